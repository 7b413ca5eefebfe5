//! The visibility rule for processes as a query filter; it mirrors
//! `auth::policy::can_read_process` (a process is read like a project of its owner
//! town; a private process without owner town is the district coordinators').
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::auth::model::{Actor, Role};
use crate::db::DbConn;

pub type Backend = <DbConn as diesel::Connection>::Backend;
pub type Filter<QS> = Box<dyn BoxableExpression<QS, Backend, SqlType = Bool>>;

/// Processes `viewer` may read (`None`: anonymous, public ones only), as SQL on the
/// `processes` columns, usable on `processes` and on every join that contains it.
pub fn visible_to<QS: 'static>(viewer: Option<&Actor>) -> Filter<QS> {
    let open = "processes.visibility IN ('network', 'public')";
    let Some(a) = viewer else {
        return Box::new(sql::<Bool>("(processes.visibility = 'public')"));
    };
    if a.role == Role::Admin {
        return Box::new(sql::<Bool>("(processes.visibility <> 'private')"));
    }
    let district = a.district_id.clone().unwrap_or_default();
    let head = sql::<Bool>(&format!(
        "({open} OR (processes.visibility = 'district' AND processes.district_id = "
    ))
    .bind::<Text, _>(district.clone());
    match (a.role, a.municipality_id.clone()) {
        (Role::Officer | Role::Member, Some(town)) => Box::new(
            head.sql(") OR (processes.visibility IN ('district', 'private') AND processes.owner_municipality_id = ")
                .bind::<Text, _>(town)
                .sql("))"),
        ),
        (Role::Coordinator, _) => Box::new(
            head.sql(") OR (processes.visibility = 'private' AND processes.owner_municipality_id IS NULL AND processes.district_id = ")
                .bind::<Text, _>(district)
                .sql("))"),
        ),
        _ => Box::new(head.sql("))")),
    }
}

/// For the audit log, which names a process in a nullable column: true where the column
/// is empty or names a process `viewer` may read. The rule of [`visible_to`] written as a
/// correlated lookup (Diesel cannot box a subselect that carries a boxed filter);
/// `tests/api/processes.rs` checks the audit list against what the reader can open.
pub fn names_no_hidden_process<QS: 'static>(column: &'static str, viewer: &Actor) -> Filter<QS> {
    let head = format!(
        "({column} IS NULL OR EXISTS (SELECT 1 FROM processes vq WHERE vq.id = {column} AND ("
    );
    let open = "vq.visibility IN ('network', 'public')";
    if viewer.role == Role::Admin {
        return Box::new(sql::<Bool>(&format!("{head}vq.visibility <> 'private')))")));
    }
    let district = viewer.district_id.clone().unwrap_or_default();
    let start = sql::<Bool>(&format!(
        "{head}{open} OR (vq.visibility = 'district' AND vq.district_id = "
    ))
    .bind::<Text, _>(district.clone());
    match (viewer.role, viewer.municipality_id.clone()) {
        (Role::Officer | Role::Member, Some(town)) => Box::new(
            start
                .sql(") OR (vq.visibility IN ('district', 'private') AND vq.owner_municipality_id = ")
                .bind::<Text, _>(town)
                .sql("))))"),
        ),
        (Role::Coordinator, _) => Box::new(
            start
                .sql(") OR (vq.visibility = 'private' AND vq.owner_municipality_id IS NULL AND vq.district_id = ")
                .bind::<Text, _>(district)
                .sql("))))"),
        ),
        _ => Box::new(start.sql("))))")),
    }
}
