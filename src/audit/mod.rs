//! The audit log: every mutating action writes who did what to which object, and when.
pub mod model;
pub mod queries;
pub mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use crate::auth::model::Actor;
use crate::db::schema::audit_log;
use crate::db::{new_id, now, DbConn};
use crate::error::AppResult;

/// Every action the audit log records; each has a label in `templates/i18n/*.json`,
/// checked by the language test (which also finds actions missing here).
pub const ACTIONS: [&str; 66] = [
    "adoption.create",
    "adoption.status",
    "adoption.update",
    "attachment.create",
    "attachment.delete",
    "comment.create",
    "district.create",
    "district.update",
    "efa.create",
    "efa.propose",
    "efa.publish",
    "efa.report",
    "efa.update",
    "funding.application_create",
    "funding.application_status",
    "funding.application_update",
    "funding.call_create",
    "funding.call_delete",
    "funding.checklist_add",
    "funding.checklist_update",
    "funding.document_create",
    "funding.document_delete",
    "funding.interest",
    "funding.programme_update",
    "invitation.create",
    "invitation.revoke",
    "municipality.create",
    "municipality.update",
    "outbox.retry",
    "process.continuity_confirm",
    "process.continuity_update",
    "process.create",
    "process.difference",
    "process.exercise_create",
    "process.import",
    "process.model",
    "process.office",
    "process.profile_update",
    "process.project_draft",
    "process.projects",
    "process.update",
    "project.create",
    "project.partner",
    "project.partner_accept",
    "project.partner_remove",
    "project.status",
    "project.update",
    "project.update_post",
    "support.assign",
    "support.attachment_create",
    "support.attachment_delete",
    "support.note",
    "support.open",
    "support.reply",
    "support.status",
    "user.change_password",
    "user.create",
    "user.deactivate",
    "user.delete_self",
    "user.digest_unsubscribe",
    "user.notification_settings",
    "user.password_reset",
    "user.password_reset_requested",
    "user.reactivate",
    "user.update",
    "user.update_profile",
];

/// What an audit entry is about.
pub struct Entry<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub district_id: Option<&'a str>,
    pub municipality_id: Option<&'a str>,
    pub summary: Value,
}

/// The project an entry is about: the project itself, or the one named in the summary
/// (updates, comments, attachments). The audit list shows such an entry only to those
/// who may read that project, so a private draft's title never reaches a coordinator.
fn project_of<'a>(e: &'a Entry) -> Option<&'a str> {
    if e.object_type == "project" {
        return Some(e.object_id);
    }
    e.summary.get("project_id").and_then(Value::as_str)
}

/// The process an entry is about: the process itself, or the one named in the summary
/// (knowledge-page attachments). Shown only to those who may read that process.
fn process_of<'a>(e: &'a Entry) -> Option<&'a str> {
    if e.object_type == "process" {
        return Some(e.object_id);
    }
    e.summary.get("process_id").and_then(Value::as_str)
}

/// Writes one entry; call it inside the transaction of the change it records.
pub fn record(conn: &mut DbConn, actor: Option<&Actor>, e: Entry) -> AppResult<()> {
    let project_id = project_of(&e).map(str::to_owned);
    let process_id = process_of(&e).map(str::to_owned);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(new_id()),
            audit_log::actor_id.eq(actor.map(|a| a.id.clone())),
            audit_log::action.eq(e.action),
            audit_log::object_type.eq(e.object_type),
            audit_log::object_id.eq(e.object_id),
            audit_log::district_id.eq(e.district_id),
            audit_log::municipality_id.eq(e.municipality_id),
            audit_log::summary.eq(e.summary.to_string()),
            audit_log::created_at.eq(now()),
            audit_log::project_id.eq(project_id),
            audit_log::process_id.eq(process_id),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Queryable)]
pub struct AuditRow {
    pub id: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub summary: String,
    pub created_at: NaiveDateTime,
}
