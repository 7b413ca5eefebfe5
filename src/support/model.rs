//! Support request types: categories, urgency, the life cycle, working days.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use diesel::prelude::*;
use holiday_de::GermanRegion;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::policy::Scope;
use crate::db::schema::{districts, support_requests};
use crate::db::DbConn;
use crate::error::AppResult;

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
    pub application_id: Option<String>,
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

/// The federal state of a district from the first two digits of its key (AGS).
pub fn region_of(district_key: &str) -> Option<GermanRegion> {
    use GermanRegion::*;
    Some(match district_key.get(..2)? {
        "01" => SchleswigHolstein,
        "02" => Hamburg,
        "03" => Niedersachsen,
        "04" => Bremen,
        "05" => NordrheinWestfalen,
        "06" => Hessen,
        "07" => RheinlandPfalz,
        "08" => BadenWuerttemberg,
        "09" => Bayern,
        "10" => Saarland,
        "11" => Berlin,
        "12" => Brandenburg,
        "13" => MechlenburgVorpommern,
        "14" => Sachsen,
        "15" => SachsenAnhalt,
        "16" => Thueringen,
        _ => return None,
    })
}

/// Working days after `from` up to `to`: Monday to Friday without the public holidays of
/// `region` (when known). Counting stops after `cap`, which is all an overdue check needs.
pub fn working_days_between(
    from: NaiveDate,
    to: NaiveDate,
    region: Option<GermanRegion>,
    cap: i64,
) -> i64 {
    let mut d = from;
    let mut n = 0;
    while d < to && n < cap {
        d = d.succ_opt().unwrap_or(to);
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && !region.is_some_and(|r| r.is_holiday(d)) {
            n += 1;
        }
    }
    n
}

/// When a request is overdue: no first response after `limit` working days (the public
/// holidays of its district's state count as free days), or past the wished-for date.
pub struct OverdueRule {
    limit: u32,
    regions: HashMap<String, GermanRegion>,
}

impl OverdueRule {
    /// Reads the district keys once (a few hundred rows at most), for all requests of a response.
    pub fn load(conn: &mut DbConn, limit: u32) -> AppResult<Self> {
        let regions = districts::table
            .select((districts::id, districts::key))
            .load::<(String, String)>(conn)?
            .into_iter()
            .filter_map(|(id, key)| region_of(&key).map(|r| (id, r)))
            .collect();
        Ok(OverdueRule { limit, regions })
    }

    pub fn is_overdue(&self, r: &RequestRow, today: NaiveDate) -> bool {
        if r.status().is_closed() {
            return false;
        }
        let limit = i64::from(self.limit);
        let region = self.regions.get(&r.district_id).copied();
        // `today` is a German date, so the day of the request must be one as well.
        let opened_on = crate::db::berlin_date(r.created_at);
        let late_answer = r.first_response_at.is_none()
            && working_days_between(opened_on, today, region, limit + 1) > limit;
        let past_wish = r.wished_date.is_some_and(|w| w < today);
        late_answer || past_wish
    }
}

// Request and response types of the support handlers.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportRequest {
    pub id: String,
    pub municipality_id: String,
    pub municipality_name: String,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub urgency: Urgency,
    pub wished_date: Option<NaiveDate>,
    pub project_id: Option<String>,
    /// The linked project's title, when the viewer may read the project.
    pub project_title: Option<String>,
    /// A funding application of the district the request is about.
    pub application_id: Option<String>,
    pub application_title: Option<String>,
    pub status: SupportStatus,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub opened_by_name: Option<String>,
    pub decline_reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub first_response_at: Option<chrono::DateTime<chrono::Utc>>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Minutes from opening to the first public reply of the district.
    pub response_minutes: Option<i64>,
    /// Minutes from opening to resolution.
    pub resolution_minutes: Option<i64>,
    pub overdue: bool,
    /// What the caller may do.
    pub can_triage: bool,
    /// May write a public reply (`auth::policy::can_reply_support`).
    pub can_reply: bool,
    pub next_statuses: Vec<SupportStatus>,
    pub version: i32,
}

pub fn scope(r: &RequestRow) -> Scope<'_> {
    Scope::new(Some(&r.district_id), Some(&r.municipality_id))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupportQuery {
    #[param(inline)]
    pub status: Option<SupportStatus>,
    #[param(inline)]
    pub category: Option<Category>,
    pub municipality_id: Option<String>,
    pub assignee_id: Option<String>,
    /// Only overdue requests.
    pub overdue: Option<bool>,
    /// Only open requests (not resolved or declined).
    pub open: Option<bool>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    pub category: Category,
    pub title: String,
    pub description: String,
    pub urgency: Option<Urgency>,
    pub wished_date: Option<NaiveDate>,
    pub project_id: Option<String>,
    /// A funding application of the same district.
    pub application_id: Option<String>,
    /// Defaults to the caller's town.
    pub municipality_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportMessage {
    pub id: String,
    pub author_name: Option<String>,
    /// Internal notes are visible only to coordinators.
    pub internal: bool,
    pub body: String,
    pub body_html: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportRequestDetail {
    #[serde(flatten)]
    pub request: SupportRequest,
    pub messages: Vec<SupportMessage>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
    /// An internal note (coordinators only).
    #[serde(default)]
    pub internal: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// A coordinator of the district (self-assignment allowed).
    pub assignee_id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportStatusChange {
    pub status: SupportStatus,
    /// Required when declining.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Workload {
    pub user_id: String,
    pub name: String,
    pub assigned: i64,
    pub in_progress: i64,
    pub waiting: i64,
    pub overdue: i64,
    pub resolved_last_30_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkloadList {
    pub items: Vec<Workload>,
    /// Open requests nobody is assigned to.
    pub unassigned: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkloadQuery {
    /// The district (admins choose one; coordinators get their own).
    pub district_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_weekends() {
        let fri = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let mon = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let wed = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(working_days_between(fri, mon, None, 99), 1);
        assert_eq!(working_days_between(fri, wed, None, 99), 3);
        assert_eq!(working_days_between(wed, wed, None, 99), 0);
        assert_eq!(working_days_between(fri, wed, None, 2), 2);
    }

    #[test]
    fn public_holidays_of_the_state_are_free() {
        let nrw = region_of("05762");
        assert_eq!(nrw, Some(GermanRegion::NordrheinWestfalen));
        // Allerheiligen (1 Nov) is a holiday in NRW, not in Lower Saxony; in 2027 it is a
        // Monday. From Friday 29 Oct to Tuesday 2 Nov only the Tuesday counts in NRW.
        let fri = NaiveDate::from_ymd_opt(2027, 10, 29).unwrap();
        let tue = NaiveDate::from_ymd_opt(2027, 11, 2).unwrap();
        assert_eq!(working_days_between(fri, tue, nrw, 99), 1);
        assert_eq!(working_days_between(fri, tue, None, 99), 2);
        assert_eq!(working_days_between(fri, tue, region_of("03255"), 99), 2);
        // Easter 2027: Karfreitag 26 March, Ostermontag 29 March, everywhere.
        let thu = NaiveDate::from_ymd_opt(2027, 3, 25).unwrap();
        let tue = NaiveDate::from_ymd_opt(2027, 3, 30).unwrap();
        assert_eq!(working_days_between(thu, tue, nrw, 99), 1);
        assert_eq!(working_days_between(thu, tue, None, 99), 3);
        // Fronleichnam 2027 (27 May) is free in NRW but not in Lower Saxony.
        let wed = NaiveDate::from_ymd_opt(2027, 5, 26).unwrap();
        let fri2 = NaiveDate::from_ymd_opt(2027, 5, 28).unwrap();
        assert_eq!(working_days_between(wed, fri2, nrw, 99), 1);
        assert_eq!(working_days_between(wed, fri2, region_of("03255"), 99), 2);
        assert_eq!(region_of("99000"), None);
    }

    #[test]
    fn a_request_opened_just_after_midnight_in_berlin_counts_from_that_german_day() {
        let at = |d: u32, h: u32, m: u32| {
            NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        // Thursday 26 Nov 2026, 23:30 UTC is Friday 27 Nov, 00:30 in Berlin.
        let created = at(26, 23, 30);
        let row = RequestRow {
            id: "r".into(),
            municipality_id: "m".into(),
            district_id: "d".into(),
            opened_by: None,
            category: "other".into(),
            title: "Frage".into(),
            description: String::new(),
            urgency: "normal".into(),
            wished_date: None,
            project_id: None,
            application_id: None,
            status: "open".into(),
            assignee_id: None,
            decline_reason: None,
            first_response_at: None,
            resolved_at: None,
            created_at: created,
            updated_at: created,
            version: 1,
        };
        let rule = OverdueRule {
            limit: 2,
            regions: HashMap::new(),
        };
        // Two working days after Friday: Monday 30 Nov and Tuesday 1 Dec, so not overdue
        // on Tuesday (counted from the UTC Thursday it would be three).
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(!rule.is_overdue(&row, tuesday));
        assert!(rule.is_overdue(&row, tuesday.succ_opt().unwrap()));
        // Positive control: a request opened on Thursday afternoon is overdue on Tuesday.
        let thursday = RequestRow {
            created_at: at(26, 14, 0),
            ..row
        };
        assert!(rule.is_overdue(&thursday, tuesday));
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
