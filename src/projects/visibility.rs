//! The one visibility rule for projects as a query filter; it mirrors
//! `auth::policy::can_read_project` (a test checks that both agree).
use diesel::dsl::not;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::auth::model::{Actor, Role};
use crate::db::schema::projects;
use crate::db::DbConn;

pub type Backend = <DbConn as diesel::Connection>::Backend;
pub type ProjectFilter = Box<dyn BoxableExpression<projects::table, Backend, SqlType = Bool>>;

/// Projects `viewer` may read (`None`: anonymous, public projects only).
pub fn visible_to(viewer: Option<&Actor>) -> ProjectFilter {
    let open = projects::visibility.eq_any(["network", "public"]);
    match viewer {
        None => Box::new(projects::visibility.eq("public")),
        Some(a) if a.role == Role::Admin => Box::new(not(projects::visibility.eq("private"))),
        Some(a) => {
            let district = a.district_id.clone().unwrap_or_default();
            let in_district = projects::visibility
                .eq("district")
                .and(projects::district_id.eq(district));
            match (a.role, a.municipality_id.clone()) {
                (Role::Officer | Role::Member, Some(town)) => {
                    Box::new(open.or(in_district).or(projects::municipality_id.eq(town)))
                }
                _ => Box::new(open.or(in_district)),
            }
        }
    }
}

/// For other tables that name a project in a nullable column (the audit log): true where
/// the column is empty or names a project `viewer` may read. The same rule as
/// [`visible_to`], written as SQL because Diesel cannot box a subselect that carries a
/// boxed filter; `tests/api/hidden.rs` checks both against each other.
pub fn names_no_hidden_project<QS: 'static>(
    column: &'static str,
    viewer: &Actor,
) -> Box<dyn BoxableExpression<QS, Backend, SqlType = Bool>> {
    use diesel::dsl::sql;
    use diesel::sql_types::Text;
    let open = "visibility IN ('network', 'public')";
    let head = format!("({column} IS NULL OR {column} IN (SELECT id FROM projects WHERE ");
    let district = viewer.district_id.clone().unwrap_or_default();
    match (viewer.role, viewer.municipality_id.clone()) {
        (Role::Admin, _) => Box::new(sql::<Bool>(&format!("{head}visibility <> 'private'))"))),
        (Role::Officer | Role::Member, Some(town)) => Box::new(
            sql::<Bool>(&format!(
                "{head}{open} OR (visibility = 'district' AND district_id = "
            ))
            .bind::<Text, _>(district)
            .sql(") OR municipality_id = ")
            .bind::<Text, _>(town)
            .sql("))"),
        ),
        _ => Box::new(
            sql::<Bool>(&format!(
                "{head}{open} OR (visibility = 'district' AND district_id = "
            ))
            .bind::<Text, _>(district)
            .sql(")))"),
        ),
    }
}
