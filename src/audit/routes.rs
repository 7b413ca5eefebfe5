//! Reading the audit log: admins everything, coordinators their district.
use actix_web::{get, web, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::Page;
use crate::auth::{policy, CurrentUser};
use crate::db::utc;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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
    let paging = crate::api::paging(q.page, q.limit)?;
    let district = policy::audit_district(&actor, q.district_id.as_deref());
    if !policy::can_read_audit(&actor, district.as_deref()) {
        return Err(AppError::Forbidden);
    }
    let action = q.action.clone();
    let locale = crate::i18n::Locale::parse(&me.user.locale);
    let (rows, total, names) = crate::db::run(&state.pool, move |conn| {
        queries::list_entries_with_names(conn, action, actor, district, paging, locale)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            use crate::i18n::labels;
            let summary = serde_json::from_str(&r.summary).unwrap_or(serde_json::Value::Null);
            AuditEntry {
                action_label: labels::audit_action(locale, &r.action),
                object_label: labels::object_type(locale, &r.object_type),
                summary_text: labels::summary_text(locale, &r.object_type, &summary, &names),
                id: r.id,
                actor_id: r.actor_id,
                actor_name: r.actor_name,
                action: r.action,
                object_type: r.object_type,
                object_id: r.object_id,
                district_id: r.district_id,
                municipality_id: r.municipality_id,
                summary,
                created_at: utc(r.created_at),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page::new(items, paging, total)))
}
