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
