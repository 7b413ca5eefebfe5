//! Notification types: feed entries, settings, the outbox view, and their queries.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{DigestSchedule, Kind, Mode};

#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub body: String,
    /// Path inside the SPA.
    pub link: String,
    pub read: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Only unread notifications.
    pub unread: Option<bool>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

pub type NotificationTuple = (
    String,
    String,
    String,
    String,
    String,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationSettings {
    /// Mode per kind of event.
    pub kinds: BTreeMap<Kind, Mode>,
    pub digest: DigestSchedule,
    /// Topics (ids from GET /topics) for "new in the network": only projects with one of
    /// them are announced; empty means all topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Send back unchanged; also in the ETag.
    #[serde(default)]
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DigestPreview {
    /// false when nothing is waiting (an empty digest is not sent).
    pub has_content: bool,
    pub item_count: usize,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// `pending`, `sent` (with the server's answer), `failed` (given up) or `unconfirmed`
    /// (handed to the SMTP server by a worker that stopped before the answer; counted as
    /// delivered, never sent again). Default: failed.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

pub type OutboxTuple = (
    String,
    String,
    String,
    String,
    i32,
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
    Option<String>,
    Option<String>,
    Option<String>,
);
