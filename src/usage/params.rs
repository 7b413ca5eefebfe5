//! Query parameters and cells shared by the usage handlers: paging, the period of a
//! view, masked counts and shares in CSV.
use crate::api::{PageQuery, Paging};
use crate::error::{AppError, AppResult, Errors};
use crate::export::Cell;

use super::model::Month;

/// The longest period a view covers.
pub const MAX_MONTHS: usize = 36;

pub fn paging(page: Option<i64>, limit: Option<i64>) -> AppResult<Paging> {
    PageQuery { page, limit }.paging()
}

/// The period of a view: `to` defaults to the latest month with figures (else this
/// month), `from` to eleven months before `to`.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    latest: Option<Month>,
) -> AppResult<(Month, Month)> {
    let mut errors = Errors::new();
    let to = match to {
        Some(s) => errors.check("to", Month::parse(s)),
        None => Some(latest.unwrap_or_else(|| Month::of_date(crate::db::today()))),
    };
    let from = match from {
        Some(s) => errors.check("from", Month::parse(s)),
        None => to.map(|t| t.plus(-11)),
    };
    errors.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::field("to", "Ungültiger Zeitraum."));
    };
    if from > to {
        return Err(AppError::field(
            "from",
            "Der Beginn liegt nach dem Ende des Zeitraums.",
        ));
    }
    if from.through(to).len() > MAX_MONTHS {
        return Err(AppError::field(
            "from",
            "Der Zeitraum darf höchstens 36 Monate umfassen.",
        ));
    }
    Ok((from, to))
}

pub fn masked_cell(v: Option<i64>, masked: bool) -> Cell {
    match (v, masked) {
        (_, true) => Cell::text("< 5"),
        (Some(n), false) => Cell::Int(n),
        (None, false) => Cell::Empty,
    }
}

pub fn share_cell(s: Option<f64>) -> Cell {
    match s {
        Some(s) => Cell::text(format!("{:.1}", s * 100.0).replace('.', ",")),
        None => Cell::Empty,
    }
}
