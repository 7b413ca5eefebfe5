//! Project types: status life cycle, visibility levels, validated input and API shapes.
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::projects;
use crate::error::Errors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Idea,
    Draft,
    Planned,
    InProgress,
    Live,
    Paused,
    Cancelled,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 7] = [
        ProjectStatus::Idea,
        ProjectStatus::Draft,
        ProjectStatus::Planned,
        ProjectStatus::InProgress,
        ProjectStatus::Live,
        ProjectStatus::Paused,
        ProjectStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Idea => "idea",
            ProjectStatus::Draft => "draft",
            ProjectStatus::Planned => "planned",
            ProjectStatus::InProgress => "in_progress",
            ProjectStatus::Live => "live",
            ProjectStatus::Paused => "paused",
            ProjectStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The moves the life cycle allows from here.
    pub fn next(self) -> &'static [ProjectStatus] {
        use ProjectStatus::*;
        match self {
            Idea => &[Draft, Cancelled],
            Draft => &[Idea, Planned, Paused, Cancelled],
            Planned => &[InProgress, Paused, Cancelled],
            InProgress => &[Live, Paused, Cancelled],
            Paused => &[Draft, Planned, InProgress, Cancelled],
            Live => &[Paused],
            Cancelled => &[Idea],
        }
    }

    pub fn can_move_to(self, to: ProjectStatus) -> bool {
        self.next().contains(&to)
    }

    /// The German label, from the translation file's value list (`value.project.*`).
    pub fn label_de(self) -> &'static str {
        crate::i18n::labels::value(crate::i18n::Locale::De, "project", self.as_str())
            .unwrap_or(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Only the owning town's users.
    Private,
    /// Every user of the district (the default).
    #[default]
    District,
    /// Every signed-in user of the platform.
    Network,
    /// Also anyone without an account.
    Public,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::District => "district",
            Visibility::Network => "network",
            Visibility::Public => "public",
        }
    }
    /// The label the UI shows (exports use it, not the code).
    pub fn label_de(self) -> &'static str {
        match self {
            Visibility::Private => "Nur meine Kommune",
            Visibility::District => "Kreis",
            Visibility::Network => "Netzwerk",
            Visibility::Public => "Öffentlich",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Visibility::Private,
            Visibility::District,
            Visibility::Network,
            Visibility::Public,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnerRole {
    Interested,
    Committed,
}

impl PartnerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerRole::Interested => "interested",
            PartnerRole::Committed => "committed",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: String,
    pub municipality_id: String,
    pub district_id: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub status: String,
    pub visibility: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub budget_cents: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl ProjectRow {
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Private)
    }
    pub fn status(&self) -> ProjectStatus {
        ProjectStatus::parse(&self.status).unwrap_or(ProjectStatus::Idea)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Topic {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TownRef {
    pub id: String,
    pub name: String,
    pub ags: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub status: ProjectStatus,
    pub visibility: Visibility,
    pub municipality: TownRef,
    pub district_id: String,
    pub topics: Vec<Topic>,
    pub tags: Vec<String>,
    pub ozg_ids: Vec<i32>,
    pub partner_count: i64,
    pub follower_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OzgRef {
    pub ozg_id: i32,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Partner {
    pub municipality: TownRef,
    pub role: PartnerRole,
    /// `requested` (asked for by the partner town) or `accepted`.
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Project {
    #[serde(flatten)]
    pub summary: ProjectSummary,
    pub description: String,
    pub description_html: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub budget_cents: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub ozg_services: Vec<OzgRef>,
    pub partners: Vec<Partner>,
    pub following: bool,
    pub can_edit: bool,
    /// May add, accept and remove partner towns (the owner side, `auth::policy::can_edit_project`).
    pub can_manage_partners: bool,
    /// May ask for the own town's partnership (`auth::policy::can_request_partnership`):
    /// the own town is not the owner and not yet a partner.
    pub can_ask_partnership: bool,
    /// Statuses the caller may move the project to.
    pub next_statuses: Vec<ProjectStatus>,
    pub version: i32,
}

/// Create and edit input (all fields optional on edit).
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// Only on create (later changes go through the status endpoint).
    pub status: Option<ProjectStatus>,
    pub visibility: Option<Visibility>,
    pub topics: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub ozg_ids: Option<Vec<i32>>,
    /// On edit: absent keeps the value, `null` clears it (as for the other optional fields).
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub planned_start: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub planned_end: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<i64>)]
    pub budget_cents: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub contact_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub contact_email: Option<Option<String>>,
    /// Owning town; defaults to the creator's town (coordinators and admins choose).
    pub municipality_id: Option<String>,
}

/// Validated values of a project; missing optional fields are empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectFields {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub visibility: Visibility,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub ozg_ids: Vec<i32>,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub budget_cents: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
}

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 500;
pub const MAX_DESCRIPTION: usize = 100_000;

fn text(e: &mut Errors, field: &str, v: &str, min: usize, max: usize) -> String {
    let t = v.trim();
    let n = t.chars().count();
    if n < min {
        e.push(field, "Bitte ausfüllen.");
    } else if n > max {
        e.push(field, format!("Höchstens {max} Zeichen (jetzt {n})."));
    }
    t.to_string()
}

/// [`text`] for a one-line field: no line break, not only invisible characters.
fn line(e: &mut Errors, field: &str, v: &str, min: usize, max: usize) -> String {
    match crate::text::single_line_problem(v.trim()) {
        Some(problem) => {
            e.push(field, problem);
            v.trim().to_string()
        }
        None => text(e, field, v, min, max),
    }
}

impl ProjectFields {
    /// Merges `input` over `base` (None = create) and validates the result.
    pub fn from_input(
        input: &ProjectInput,
        base: Option<&ProjectFields>,
        known_topics: &[String],
    ) -> Result<ProjectFields, Errors> {
        let mut e = Errors::new();
        let empty = ProjectFields {
            title: String::new(),
            summary: String::new(),
            description: String::new(),
            visibility: Visibility::District,
            topics: vec![],
            tags: vec![],
            ozg_ids: vec![],
            planned_start: None,
            planned_end: None,
            budget_cents: None,
            contact_name: None,
            contact_email: None,
        };
        let base = base.unwrap_or(&empty);
        let title = line(
            &mut e,
            "title",
            input.title.as_deref().unwrap_or(&base.title),
            3,
            MAX_TITLE,
        );
        let summary = text(
            &mut e,
            "summary",
            input.summary.as_deref().unwrap_or(&base.summary),
            1,
            MAX_SUMMARY,
        );
        let description = text(
            &mut e,
            "description",
            input.description.as_deref().unwrap_or(&base.description),
            0,
            MAX_DESCRIPTION,
        );
        let mut topics = input.topics.clone().unwrap_or_else(|| base.topics.clone());
        topics.sort();
        topics.dedup();
        if let Some(bad) = topics.iter().find(|t| !known_topics.contains(t)) {
            e.push("topics", format!("Unbekanntes Thema \"{bad}\"."));
        }
        let mut tags: Vec<String> = input
            .tags
            .clone()
            .unwrap_or_else(|| base.tags.clone())
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        tags.sort();
        tags.dedup();
        if let Some(problem) = tags
            .iter()
            .find_map(|t| crate::text::single_line_problem(t))
        {
            e.push("tags", problem);
        } else if tags.len() > 20 || tags.iter().any(|t| t.chars().count() > 40) {
            e.push(
                "tags",
                "Höchstens 20 Schlagwörter mit je höchstens 40 Zeichen.",
            );
        }
        let mut ozg_ids = input
            .ozg_ids
            .clone()
            .unwrap_or_else(|| base.ozg_ids.clone());
        ozg_ids.sort();
        ozg_ids.dedup();
        if ozg_ids.len() > 50 {
            e.push("ozg_ids", "Höchstens 50 OZG-Leistungen.");
        }
        let planned_start = input.planned_start.unwrap_or(base.planned_start);
        let planned_end = input.planned_end.unwrap_or(base.planned_end);
        if let (Some(s), Some(en)) = (planned_start, planned_end) {
            if en < s {
                e.push("planned_end", "Das Ende liegt vor dem Beginn.");
            }
        }
        let budget_cents = input.budget_cents.unwrap_or(base.budget_cents);
        if budget_cents.is_some_and(|b| !(0..=10_000_000_000_000).contains(&b)) {
            e.push(
                "budget_cents",
                "Das Budget muss zwischen 0 und 100 Mrd. Euro liegen (in Cent).",
            );
        }
        let contact_name = input
            .contact_name
            .clone()
            .unwrap_or(base.contact_name.clone())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if contact_name
            .as_ref()
            .is_some_and(|n| n.chars().count() > 200)
        {
            e.push("contact_name", "Höchstens 200 Zeichen.");
        }
        let contact_email = match input
            .contact_email
            .clone()
            .unwrap_or(base.contact_email.clone())
            .filter(|s| !s.trim().is_empty())
        {
            Some(m) => match crate::auth::model::Email::parse(&m) {
                Ok(v) => Some(v.into_inner()),
                Err(msg) => {
                    e.push("contact_email", msg);
                    None
                }
            },
            None => None,
        };
        let fields = ProjectFields {
            title,
            summary,
            description,
            visibility: input.visibility.unwrap_or(base.visibility),
            topics,
            tags,
            ozg_ids,
            planned_start,
            planned_end,
            budget_cents,
            contact_name,
            contact_email,
        };
        if e.0.is_empty() {
            Ok(fields)
        } else {
            Err(e)
        }
    }
}

/// A project linked from another object (a measure, a funding application), as far as
/// the viewer may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedProject {
    pub id: String,
    pub title: String,
    pub status: ProjectStatus,
}

// Request and response types of the project handlers.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicList {
    pub items: Vec<Topic>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProjectSort {
    /// Best match first (only with `q`; otherwise like `updated`).
    #[default]
    Relevance,
    Updated,
    Title,
}

#[derive(Debug, Clone, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// German full-text search over title, summary, description and updates.
    pub q: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<ProjectStatus>,
    /// Topic id, e.g. `smart-city`.
    pub topic: Option<String>,
    pub themenfeld_id: Option<i32>,
    pub ozg_id: Option<i32>,
    pub visibility: Option<Visibility>,
    /// Only projects of the caller's own town.
    pub mine: Option<bool>,
    #[param(inline)]
    pub sort: Option<ProjectSort>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: ProjectStatus,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub from_status: Option<ProjectStatus>,
    pub to_status: ProjectStatus,
    pub note: String,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub items: Vec<TimelineEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    /// The value before: text, a number, a list or null, as the field holds it.
    #[schema(value_type = Value)]
    pub from: serde_json::Value,
    #[schema(value_type = Value)]
    pub to: serde_json::Value,
    /// The field's label in the reader's language ("Themen").
    pub label: String,
    /// The values for people: names instead of ids, euro amounts, dates as the
    /// reader's language writes them.
    pub from_text: String,
    pub to_text: String,
}

/// The order of the fields in the project form; a version lists its changes so.
pub const FIELD_ORDER: [&str; 13] = [
    "title",
    "summary",
    "description",
    "status",
    "visibility",
    "topics",
    "tags",
    "ozg_ids",
    "planned_start",
    "planned_end",
    "budget_cents",
    "contact_name",
    "contact_email",
];

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionEntry {
    pub version: i32,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub items: Vec<VersionEntry>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerRequest {
    pub municipality_id: String,
    pub role: PartnerRole,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectUpdate {
    pub id: String,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub author_name: Option<String>,
    pub municipality_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateList {
    pub items: Vec<ProjectUpdate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUpdate {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: String,
    pub update_id: Option<String>,
    pub body: String,
    pub body_html: String,
    pub author_id: Option<String>,
    pub author_name: Option<String>,
    pub municipality_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<Comment>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Markdown; mentions are written `@[Name](user-id)`.
    pub body: String,
    pub update_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentionQuery {
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Mentionable {
    pub id: String,
    pub name: String,
    pub municipality_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentionableList {
    pub items: Vec<Mentionable>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimilarRequest {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub ozg_ids: Vec<i32>,
    /// Topic ids.
    #[serde(default)]
    pub topics: Vec<String>,
    /// A project to leave out (the one being edited).
    pub exclude_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarItem {
    pub project: ProjectSummary,
    pub score: f64,
    /// `{kind: shared_ozg_service, ozg_id}`, `{kind: shared_topic, topic}` or `{kind: similar_words, words}`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<super::similar::Reason>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarList {
    pub items: Vec<SimilarItem>,
}

/// Similar hints score at most this many candidates from the search index (the best
/// matches of the draft's words among everything the viewer may read) ...
pub const SIMILAR_CANDIDATES: i64 = 300;
/// ... plus at most this many of the newest projects sharing one of its OZG services.
pub const SIMILAR_SHARING: i64 = 100;
/// The draft's words looked up in the index (the rarest first).
pub const SIMILAR_TERMS: usize = 32;
/// How rare a word is, is counted among this many of the newest network projects.
pub const SIMILAR_SAMPLE: i64 = 2000;
/// The process register compares a draft with at most this many recent processes.
pub const SIMILAR_PROCESSES: i64 = 3000;

pub const SIMILAR_RESULTS: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn life_cycle() {
        use ProjectStatus::*;
        assert!(Idea.can_move_to(Draft));
        assert!(!Idea.can_move_to(Live));
        assert!(InProgress.can_move_to(Live));
        assert!(!Live.can_move_to(Idea));
        for s in ProjectStatus::ALL {
            assert!(!s.can_move_to(s), "{s:?} must not move to itself");
            assert_eq!(ProjectStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn validation_names_fields() {
        let input = ProjectInput {
            title: Some("x".into()),
            summary: Some("s".repeat(501)),
            topics: Some(vec!["erfunden".into()]),
            planned_start: Some(NaiveDate::from_ymd_opt(2027, 5, 1)),
            planned_end: Some(NaiveDate::from_ymd_opt(2027, 1, 1)),
            contact_email: Some(Some("kein-mail".into())),
            ..Default::default()
        };
        let err = ProjectFields::from_input(&input, None, &["smart-city".into()]).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["title", "summary", "topics", "planned_end", "contact_email"]
        );
    }
}
