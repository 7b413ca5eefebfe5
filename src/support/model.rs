//! Support request types: categories, urgency, the life cycle, working days.
use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::support_requests;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    FundingApplication,
    ConceptStrategy,
    Procurement,
    EfaConnection,
    ItSecurity,
    DataProtection,
    Other,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::FundingApplication => "funding_application",
            Category::ConceptStrategy => "concept_strategy",
            Category::Procurement => "procurement",
            Category::EfaConnection => "efa_connection",
            Category::ItSecurity => "it_security",
            Category::DataProtection => "data_protection",
            Category::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Self {
        [
            Category::FundingApplication,
            Category::ConceptStrategy,
            Category::Procurement,
            Category::EfaConnection,
            Category::ItSecurity,
            Category::DataProtection,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
        .unwrap_or(Category::Other)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Low,
    #[default]
    Normal,
    High,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "low" => Urgency::Low,
            "high" => Urgency::High,
            _ => Urgency::Normal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Hash)]
#[serde(rename_all = "snake_case")]
pub enum SupportStatus {
    Open,
    Assigned,
    InProgress,
    Waiting,
    Resolved,
    Declined,
}

impl SupportStatus {
    pub const ALL: [SupportStatus; 6] = [
        SupportStatus::Open,
        SupportStatus::Assigned,
        SupportStatus::InProgress,
        SupportStatus::Waiting,
        SupportStatus::Resolved,
        SupportStatus::Declined,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SupportStatus::Open => "open",
            SupportStatus::Assigned => "assigned",
            SupportStatus::InProgress => "in_progress",
            SupportStatus::Waiting => "waiting",
            SupportStatus::Resolved => "resolved",
            SupportStatus::Declined => "declined",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
    pub fn is_closed(self) -> bool {
        matches!(self, SupportStatus::Resolved | SupportStatus::Declined)
    }
    /// open → assigned → in_progress ⇄ waiting → resolved; declined from any open state.
    /// (Assignment itself moves open → assigned.)
    pub fn can_move_to(self, to: SupportStatus) -> bool {
        use SupportStatus::*;
        matches!(
            (self, to),
            (Assigned, InProgress)
                | (InProgress, Waiting)
                | (Waiting, InProgress)
                | (InProgress, Resolved)
                | (Waiting, Resolved)
                | (Open | Assigned | InProgress | Waiting, Declined)
        )
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = support_requests)]
pub struct RequestRow {
    pub id: String,
    pub municipality_id: String,
    pub district_id: String,
    pub opened_by: Option<String>,
    pub category: String,
    pub title: String,
    pub description: String,
    pub urgency: String,
    pub wished_date: Option<NaiveDate>,
    pub project_id: Option<String>,
    pub status: String,
    pub assignee_id: Option<String>,
    pub decline_reason: Option<String>,
    pub first_response_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl RequestRow {
    pub fn status(&self) -> SupportStatus {
        SupportStatus::parse(&self.status).unwrap_or(SupportStatus::Open)
    }
}

/// Working days (Monday to Friday) after `from` up to `to`; public holidays are not known here.
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut d = from;
    let mut n = 0;
    while d < to {
        d = d.succ_opt().unwrap_or(to);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
    }
    n
}

/// Waiting too long: no first response after `limit` working days, or past the wished-for date.
pub fn is_overdue(r: &RequestRow, today: NaiveDate, limit: u32) -> bool {
    if r.status().is_closed() {
        return false;
    }
    let late_answer = r.first_response_at.is_none()
        && working_days_between(r.created_at.date(), today) > limit as i64;
    let past_wish = r.wished_date.is_some_and(|w| w < today);
    late_answer || past_wish
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_weekends() {
        let fri = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let mon = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let wed = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(working_days_between(fri, mon), 1);
        assert_eq!(working_days_between(fri, wed), 3);
        assert_eq!(working_days_between(wed, wed), 0);
    }

    #[test]
    fn life_cycle() {
        use SupportStatus::*;
        assert!(!Open.can_move_to(Resolved));
        assert!(InProgress.can_move_to(Waiting) && Waiting.can_move_to(InProgress));
        assert!(Open.can_move_to(Declined));
        assert!(!Resolved.can_move_to(InProgress));
    }
}
