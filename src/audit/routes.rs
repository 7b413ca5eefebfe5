//! Reading the audit log: admins everything, coordinators their district.
use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AuditRow;
use crate::api::{Page, PageQuery};
use crate::app::AppState;
use crate::auth::{policy, CurrentUser, Role};
use crate::db::schema::{audit_log, users};
use crate::error::{AppError, AppResult};
use crate::projects::visibility::{names_no_hidden_project, Backend};
use crate::users::model::utc;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries of this district (coordinators always get their own).
    pub district_id: Option<String>,
    /// Only entries with this action, e.g. `user.update`.
    pub action: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// Audit entries, newest first.
#[utoipa::path(tag = "audit", params(AuditQuery), responses(
    (status = 200, body = Page<AuditEntry>), (status = 403, body = crate::error::Problem)))]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let district = match actor.role {
        Role::Admin => q.district_id.clone(),
        Role::Coordinator => {
            if q.district_id.is_some() && q.district_id != actor.district_id {
                return Err(AppError::Forbidden);
            }
            actor.district_id.clone()
        }
        _ => return Err(AppError::Forbidden),
    };
    if !policy::can_read_audit(&actor, district.as_deref()) && actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let action = q.action.clone();
    let (rows, total) = crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            district_id: r.district_id,
            municipality_id: r.municipality_id,
            summary: serde_json::from_str(&r.summary).unwrap_or(serde_json::Value::Null),
            created_at: utc(r.created_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page::new(items, paging, total)))
}
