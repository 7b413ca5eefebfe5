//! Reading the audit log, as far as the viewer may see it.
use diesel::prelude::*;

use super::AuditRow;
use crate::api::Paging;
use crate::auth::model::Actor;
use crate::db::schema::{audit_log, users};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::projects::visibility::{names_no_hidden_project, Backend};

pub fn list_entries(
    conn: &mut DbConn,
    action: Option<String>,
    actor: Actor,
    district: Option<String>,
    paging: Paging,
) -> AppResult<(Vec<AuditRow>, i64)> {
    let filtered = || {
        // Entries about a project the reader may not read are not there for them.
        let mut query = audit_log::table
            .filter(names_no_hidden_project("audit_log.project_id", &actor))
            .into_boxed::<Backend>();
        if let Some(d) = &district {
            query = query.filter(audit_log::district_id.eq(d.clone()));
        }
        if let Some(a) = &action {
            query = query.filter(audit_log::action.eq(a.clone()));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let ids: Vec<String> = filtered()
        .select(audit_log::id)
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    let rows: Vec<AuditRow> = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_id)))
        .filter(audit_log::id.eq_any(&ids))
        .select((
            audit_log::id,
            audit_log::actor_id,
            users::name.nullable(),
            audit_log::action,
            audit_log::object_type,
            audit_log::object_id,
            audit_log::district_id,
            audit_log::municipality_id,
            audit_log::summary,
            audit_log::created_at,
        ))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .load(conn)?;
    Ok((rows, total))
}
