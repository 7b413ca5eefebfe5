//! Reading the OZG catalogue: Themenfelder with their service counts, Lebenslagen, services.
use diesel::prelude::*;

use super::model::*;
use crate::api::Paging;
use crate::db::schema::{lebenslagen, leika_services, ozg_services, themenfelder};
use crate::db::{contains_pattern, lower, DbConn};
use crate::error::{AppError, AppResult};

pub fn ozg_select() -> (
    ozg_services::ozg_id,
    ozg_services::name,
    ozg_services::themenfeld_id,
    themenfelder::name,
    diesel::dsl::Nullable<lebenslagen::name>,
    ozg_services::leika_count,
) {
    (
        ozg_services::ozg_id,
        ozg_services::name,
        ozg_services::themenfeld_id,
        themenfelder::name,
        lebenslagen::name.nullable(),
        ozg_services::leika_count,
    )
}

pub fn themenfelder(conn: &mut DbConn) -> AppResult<Vec<Themenfeld>> {
    let tf: Vec<(i32, String, Option<String>)> = themenfelder::table
        .select((
            themenfelder::id,
            themenfelder::name,
            themenfelder::lead_state,
        ))
        .order(themenfelder::name.asc())
        .load(conn)?;
    let counts: Vec<(i32, i64)> = ozg_services::table
        .group_by(ozg_services::themenfeld_id)
        .select((ozg_services::themenfeld_id, diesel::dsl::count_star()))
        .load(conn)?;
    let counts: std::collections::HashMap<i32, i64> = counts.into_iter().collect();
    Ok(tf
        .into_iter()
        .map(|(id, name, lead_state)| Themenfeld {
            id,
            name,
            lead_state,
            service_count: counts.get(&id).copied().unwrap_or(0),
        })
        .collect::<Vec<_>>())
}

pub fn lebenslagen(conn: &mut DbConn, tf: Option<i32>) -> AppResult<Vec<Lebenslage>> {
    let mut query = lebenslagen::table.into_boxed();
    if let Some(t) = tf {
        query = query.filter(lebenslagen::themenfeld_id.eq(t));
    }
    let rows: Vec<(i32, String, i32)> = query
        .select((
            lebenslagen::id,
            lebenslagen::name,
            lebenslagen::themenfeld_id,
        ))
        .order((lebenslagen::name.asc(), lebenslagen::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, themenfeld_id)| Lebenslage {
            id,
            name,
            themenfeld_id,
        })
        .collect::<Vec<_>>())
}

pub fn services(conn: &mut DbConn, paging: Paging, q: OzgQuery) -> AppResult<(Vec<OzgTuple>, i64)> {
    let filtered = || {
        let mut query = ozg_services::table
            .inner_join(themenfelder::table)
            .left_join(
                lebenslagen::table.on(lebenslagen::id.nullable().eq(ozg_services::lebenslage_id)),
            )
            .into_boxed();
        if let Some(t) = q.themenfeld_id {
            query = query.filter(ozg_services::themenfeld_id.eq(t));
        }
        if let Some(l) = q.lebenslage_id {
            query = query.filter(ozg_services::lebenslage_id.eq(l));
        }
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let is_leika_key = text.len() == 14 && text.chars().all(|c| c.is_ascii_digit());
            match text.parse::<i32>() {
                Ok(id) => query = query.filter(ozg_services::ozg_id.eq(id)),
                // A LeiKa key (Leistungsschlüssel) finds the OZG service it belongs to.
                Err(_) if is_leika_key => {
                    query = query.filter(
                        ozg_services::ozg_id.eq_any(
                            leika_services::table
                                .filter(leika_services::leika_key.eq(text.to_string()))
                                .select(leika_services::ozg_id.assume_not_null()),
                        ),
                    )
                }
                // A word finds the services by their name or by the name of one of
                // their LeiKa services ("Hundesteuer").
                Err(_) => {
                    query = query.filter(
                        lower(ozg_services::name)
                            .like(contains_pattern(text))
                            .escape('\\')
                            .or(ozg_services::ozg_id.eq_any(
                                leika_services::table
                                    .filter(
                                        lower(leika_services::name)
                                            .like(contains_pattern(text))
                                            .escape('\\'),
                                    )
                                    .filter(leika_services::ozg_id.is_not_null())
                                    .select(leika_services::ozg_id.assume_not_null()),
                            )),
                    )
                }
            }
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<OzgTuple> = filtered()
        .select(ozg_select())
        .order(ozg_services::ozg_id.asc())
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    Ok((rows, total))
}

pub fn service(conn: &mut DbConn, id: i32) -> AppResult<OzgService> {
    let row: Option<OzgTuple> = ozg_services::table
        .inner_join(themenfelder::table)
        .left_join(
            lebenslagen::table.on(lebenslagen::id.nullable().eq(ozg_services::lebenslage_id)),
        )
        .filter(ozg_services::ozg_id.eq(id))
        .select(ozg_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Err(AppError::NotFound);
    };
    let leika: Vec<(Option<String>, String, Option<String>)> = leika_services::table
        .filter(leika_services::ozg_id.eq(id))
        .select((
            leika_services::leika_key,
            leika_services::name,
            leika_services::typisierung,
        ))
        .order((leika_services::name.asc(), leika_services::id.asc()))
        .load(conn)?;
    let mut s = to_service(row);
    s.leika = Some(
        leika
            .into_iter()
            .map(|(key, name, typisierung)| LeikaService {
                key,
                name,
                typisierung,
            })
            .collect(),
    );
    Ok(s)
}
