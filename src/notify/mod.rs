//! Notifications: events become in-app notifications for the right people (respecting
//! visibility at delivery time), immediate mails or daily/weekly digests, all mail
//! going through a transactional outbox that a worker delivers with retries.
pub mod digest;
pub mod fanout;
pub mod model;
pub mod outbox;
pub mod queries;
pub mod routes;
pub mod worker;

use std::collections::HashMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{digest_settings, notification_settings};
use crate::db::DbConn;
use crate::error::AppResult;

/// What a notification is about; each kind has its own delivery mode per user.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Mentions,
    Assignments,
    FollowedProjects,
    NewProjectsDistrict,
    NewProjectsNetwork,
    EfaAdoptions,
    FundingDeadlines,
    SupportRequests,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Mentions,
        Kind::Assignments,
        Kind::FollowedProjects,
        Kind::NewProjectsDistrict,
        Kind::NewProjectsNetwork,
        Kind::EfaAdoptions,
        Kind::FundingDeadlines,
        Kind::SupportRequests,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Mentions => "mentions",
            Kind::Assignments => "assignments",
            Kind::FollowedProjects => "followed_projects",
            Kind::NewProjectsDistrict => "new_projects_district",
            Kind::NewProjectsNetwork => "new_projects_network",
            Kind::EfaAdoptions => "efa_adoptions",
            Kind::FundingDeadlines => "funding_deadlines",
            Kind::SupportRequests => "support_requests",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Mentions and assignments reach people at once; the rest waits for the digest.
    pub fn default_mode(self) -> Mode {
        match self {
            Kind::Mentions | Kind::Assignments => Mode::Immediate,
            _ => Mode::Digest,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Immediate,
    Digest,
    Off,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Immediate => "immediate",
            Mode::Digest => "digest",
            Mode::Off => "off",
        }
    }
    pub fn parse(s: &str) -> Mode {
        match s {
            "immediate" => Mode::Immediate,
            "off" => Mode::Off,
            _ => Mode::Digest,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Daily,
    Weekly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }
    pub fn parse(s: &str) -> Frequency {
        if s == "daily" {
            Frequency::Daily
        } else {
            Frequency::Weekly
        }
    }
}

/// When a user's digest goes out (Europe/Berlin).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DigestSchedule {
    pub frequency: Frequency,
    /// 1 = Monday … 7 = Sunday (weekly only).
    pub weekday: i32,
    /// 0–23, Berlin time.
    pub hour: i32,
    /// false after unsubscribing.
    pub enabled: bool,
}

impl Default for DigestSchedule {
    fn default() -> Self {
        DigestSchedule {
            frequency: Frequency::Weekly,
            weekday: 1,
            hour: 7,
            enabled: true,
        }
    }
}

/// The modes of `user_ids` for every kind, defaults filled in.
pub fn modes_of(
    conn: &mut DbConn,
    user_ids: &[String],
) -> AppResult<HashMap<(String, Kind), Mode>> {
    let rows: Vec<(String, String, String)> = notification_settings::table
        .filter(notification_settings::user_id.eq_any(user_ids))
        .select((
            notification_settings::user_id,
            notification_settings::kind,
            notification_settings::mode,
        ))
        .load(conn)?;
    let mut out = HashMap::new();
    for (u, k, m) in rows {
        if let Some(k) = Kind::parse(&k) {
            out.insert((u, k), Mode::parse(&m));
        }
    }
    Ok(out)
}

pub fn mode_for(modes: &HashMap<(String, Kind), Mode>, user: &str, kind: Kind) -> Mode {
    modes
        .get(&(user.to_string(), kind))
        .copied()
        .unwrap_or(kind.default_mode())
}

/// The schedule and version of `user_id` (defaults when never saved).
pub fn schedule_of(conn: &mut DbConn, user_id: &str) -> AppResult<(DigestSchedule, i32)> {
    let row: Option<(String, i32, i32, bool, i32)> = digest_settings::table
        .find(user_id)
        .select((
            digest_settings::frequency,
            digest_settings::weekday,
            digest_settings::hour,
            digest_settings::enabled,
            digest_settings::version,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((f, w, h, e, v)) => (
            DigestSchedule {
                frequency: Frequency::parse(&f),
                weekday: w,
                hour: h,
                enabled: e,
            },
            v,
        ),
        None => (DigestSchedule::default(), 0),
    })
}

/// Stores `schedule` as the user's digest settings with `version`.
pub fn save_schedule(
    conn: &mut DbConn,
    user_id: &str,
    schedule: &DigestSchedule,
    version: i32,
) -> AppResult<()> {
    diesel::delete(digest_settings::table.find(user_id)).execute(conn)?;
    diesel::insert_into(digest_settings::table)
        .values((
            digest_settings::user_id.eq(user_id),
            digest_settings::frequency.eq(schedule.frequency.as_str()),
            digest_settings::weekday.eq(schedule.weekday),
            digest_settings::hour.eq(schedule.hour),
            digest_settings::enabled.eq(schedule.enabled),
            digest_settings::version.eq(version),
        ))
        .execute(conn)?;
    Ok(())
}
