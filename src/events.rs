//! The events table: what happened (actor, verb, object) with the visibility scope
//! at the time; the input for notifications and digests.
use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::events;
use crate::db::{new_id, now, DbConn};
use crate::error::AppResult;

/// Every verb an event is recorded with; each has a text in both languages
/// (`notify::fanout::describe`), checked by the language test.
pub const VERBS: [&str; 19] = [
    "adoption.created",
    "adoption.status_changed",
    "comment.created",
    "funding.checklist_due",
    "funding.deadline",
    "partner.added",
    "partner.requested",
    "project.created",
    "project.status_changed",
    "project.updated",
    "support.assigned",
    "support.declined",
    "support.noted",
    "support.opened",
    "support.replied",
    "support.resolved",
    "support.status_changed",
    "update.created",
    "mention",
];

pub struct Event<'a> {
    pub actor_id: Option<&'a str>,
    pub verb: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub project_id: Option<&'a str>,
    pub district_id: Option<&'a str>,
    pub municipality_id: Option<&'a str>,
    pub visibility: Option<&'a str>,
    /// For events addressed to one person (a mention, an assignment).
    pub target_user_id: Option<&'a str>,
    pub payload: Value,
}

pub fn record(conn: &mut DbConn, e: Event) -> AppResult<()> {
    diesel::insert_into(events::table)
        .values((
            events::id.eq(new_id()),
            events::actor_id.eq(e.actor_id),
            events::verb.eq(e.verb),
            events::object_type.eq(e.object_type),
            events::object_id.eq(e.object_id),
            events::project_id.eq(e.project_id),
            events::district_id.eq(e.district_id),
            events::municipality_id.eq(e.municipality_id),
            events::visibility.eq(e.visibility),
            events::target_user_id.eq(e.target_user_id),
            events::payload.eq(e.payload.to_string()),
            events::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
