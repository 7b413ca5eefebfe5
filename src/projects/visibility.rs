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
    // A correlated lookup by primary key per row: the cost follows the rows the query
    // reads (a page of the feed or the log), not the number of visible projects.
    let open = "vp.visibility IN ('network', 'public')";
    let head = format!(
        "({column} IS NULL OR EXISTS (SELECT 1 FROM projects vp WHERE vp.id = {column} AND ("
    );
    let district = viewer.district_id.clone().unwrap_or_default();
    match (viewer.role, viewer.municipality_id.clone()) {
        (Role::Admin, _) => Box::new(sql::<Bool>(&format!("{head}vp.visibility <> 'private')))"))),
        (Role::Officer | Role::Member, Some(town)) => Box::new(
            sql::<Bool>(&format!(
                "{head}{open} OR (vp.visibility = 'district' AND vp.district_id = "
            ))
            .bind::<Text, _>(district)
            .sql(") OR vp.municipality_id = ")
            .bind::<Text, _>(town)
            .sql(")))"),
        ),
        _ => Box::new(
            sql::<Bool>(&format!(
                "{head}{open} OR (vp.visibility = 'district' AND vp.district_id = "
            ))
            .bind::<Text, _>(district)
            .sql("))))"),
        ),
    }
}

/// [`visible_to`] as disjoint cases, each a single-index range (`visibility`, or
/// `district_id, visibility`, or `municipality_id`, each followed by `updated_at`), so that
/// "newest first" is an index-ordered scan per case instead of one sort over every visible
/// project. Together they select exactly what [`visible_to`] selects (a test checks it).
pub fn visible_cases(viewer: Option<&Actor>) -> Vec<ProjectFilter> {
    let is = |v: &'static str| projects::visibility.eq(v);
    let Some(a) = viewer else {
        return vec![Box::new(is("public"))];
    };
    let mut cases: Vec<ProjectFilter> = vec![Box::new(is("public")), Box::new(is("network"))];
    if a.role == Role::Admin {
        cases.push(Box::new(is("district")));
        return cases;
    }
    let district = a.district_id.clone().unwrap_or_default();
    cases.push(Box::new(
        is("district").and(projects::district_id.eq(district.clone())),
    ));
    if let (Role::Officer | Role::Member, Some(town)) = (a.role, a.municipality_id.clone()) {
        cases.push(Box::new(
            is("private").and(projects::municipality_id.eq(town.clone())),
        ));
        // The own town's district-visible projects are in the own district, unless the
        // town moved: then they are still the town's own.
        cases.push(Box::new(
            is("district")
                .and(projects::municipality_id.eq(town))
                .and(projects::district_id.ne(district)),
        ));
    }
    cases
}

/// [`visible_to`] together with `projects.district_id = district_id`, as SQL on the
/// `projects` columns, for queries that join projects with other tables (the dashboard's
/// aggregates). Inside one district the rule is simple, and the district index answers it
/// without touching the projects of other districts. `tests/api/hidden.rs` checks it
/// against the policy.
pub fn visible_in_district<QS: 'static>(
    viewer: &Actor,
    district_id: &str,
) -> Box<dyn BoxableExpression<QS, Backend, SqlType = Bool>> {
    use diesel::dsl::sql;
    use diesel::sql_types::Text;
    let own_district = viewer.district_id.as_deref() == Some(district_id);
    let readable = match viewer.role {
        Role::Admin => "projects.visibility <> 'private'",
        _ if own_district => "projects.visibility <> 'private'",
        _ => "projects.visibility IN ('network', 'public')",
    };
    let head = sql::<Bool>("(projects.district_id = ").bind::<Text, _>(district_id.to_string());
    match (viewer.role, viewer.municipality_id.clone()) {
        (Role::Officer | Role::Member, Some(town)) => Box::new(
            head.sql(&format!(" AND ({readable} OR projects.municipality_id = "))
                .bind::<Text, _>(town)
                .sql("))"),
        ),
        _ => Box::new(head.sql(&format!(" AND {readable})"))),
    }
}
