//! EfA types: solution status and reuse model, the adoption life cycle, rows and API shapes.
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{adoptions, efa_solutions};
use crate::users::model::utc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SolutionStatus {
    InDevelopment,
    Pilot,
    Available,
}

impl SolutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SolutionStatus::InDevelopment => "in_development",
            SolutionStatus::Pilot => "pilot",
            SolutionStatus::Available => "available",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "in_development" => SolutionStatus::InDevelopment,
            "pilot" => SolutionStatus::Pilot,
            _ => SolutionStatus::Available,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReuseModel {
    /// Subscribed through the FIT-Store (SaaS contract).
    FitStore,
    OpenSource,
    StateLicence,
    /// Offered by the state (e.g. a state portal) for its municipalities.
    StateService,
    Other,
}

impl ReuseModel {
    pub fn as_str(self) -> &'static str {
        match self {
            ReuseModel::FitStore => "fit_store",
            ReuseModel::OpenSource => "open_source",
            ReuseModel::StateLicence => "state_licence",
            ReuseModel::StateService => "state_service",
            ReuseModel::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Self {
        [
            Self::FitStore,
            Self::OpenSource,
            Self::StateLicence,
            Self::StateService,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
        .unwrap_or(Self::Other)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Hash)]
#[serde(rename_all = "snake_case")]
pub enum AdoptionStatus {
    Interested,
    Evaluating,
    Contracting,
    RollingOut,
    Live,
    Declined,
}

impl AdoptionStatus {
    pub const ALL: [AdoptionStatus; 6] = [
        AdoptionStatus::Interested,
        AdoptionStatus::Evaluating,
        AdoptionStatus::Contracting,
        AdoptionStatus::RollingOut,
        AdoptionStatus::Live,
        AdoptionStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdoptionStatus::Interested => "interested",
            AdoptionStatus::Evaluating => "evaluating",
            AdoptionStatus::Contracting => "contracting",
            AdoptionStatus::RollingOut => "rolling_out",
            AdoptionStatus::Live => "live",
            AdoptionStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_de(self) -> &'static str {
        match self {
            AdoptionStatus::Interested => "Interesse",
            AdoptionStatus::Evaluating => "In Prüfung",
            AdoptionStatus::Contracting => "Vertragsabschluss",
            AdoptionStatus::RollingOut => "Einführung",
            AdoptionStatus::Live => "In Betrieb",
            AdoptionStatus::Declined => "Abgelehnt",
        }
    }

    /// One step forward at a time; declining is possible until live; a declined
    /// adoption can start again with renewed interest.
    pub fn next(self) -> &'static [AdoptionStatus] {
        use AdoptionStatus::*;
        match self {
            Interested => &[Evaluating, Declined],
            Evaluating => &[Contracting, Interested, Declined],
            Contracting => &[RollingOut, Evaluating, Declined],
            RollingOut => &[Live, Declined],
            Live => &[],
            Declined => &[Interested],
        }
    }

    pub fn can_move_to(self, to: AdoptionStatus) -> bool {
        self.next().contains(&to)
    }

    /// Towns past this point may write an experience report.
    pub fn may_report(self) -> bool {
        matches!(self, AdoptionStatus::RollingOut | AdoptionStatus::Live)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = efa_solutions)]
pub struct SolutionRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub themenfeld_id: Option<i32>,
    pub lead_state: Option<String>,
    pub lead_body: Option<String>,
    pub it_provider: Option<String>,
    pub status: String,
    pub reuse_model: String,
    pub reuse_conditions: String,
    pub requirements: String,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub published: bool,
    pub proposed_by: Option<String>,
    pub proposed_district_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = adoptions)]
pub struct AdoptionRow {
    pub id: String,
    pub solution_id: String,
    pub municipality_id: String,
    pub district_id: String,
    pub status: String,
    pub contact_name: Option<String>,
    pub notes: String,
    pub decline_reason: Option<String>,
    pub project_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl AdoptionRow {
    pub fn status(&self) -> AdoptionStatus {
        AdoptionStatus::parse(&self.status).unwrap_or(AdoptionStatus::Interested)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OzgRef {
    pub ozg_id: i32,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EfaSolution {
    pub id: String,
    pub name: String,
    pub description: String,
    pub themenfeld_id: Option<i32>,
    pub themenfeld: Option<String>,
    pub lead_state: Option<String>,
    pub lead_body: Option<String>,
    pub it_provider: Option<String>,
    pub status: SolutionStatus,
    pub reuse_model: ReuseModel,
    pub reuse_conditions: String,
    /// e.g. FIT-Connect, Servicekonto/BundID, payment service
    pub requirements: Vec<String>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub published: bool,
    pub ozg_services: Vec<OzgRef>,
    /// Adoptions by status (all towns of the platform).
    pub adoption_counts: std::collections::BTreeMap<String, i64>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Adoption {
    pub id: String,
    pub solution_id: String,
    pub solution_name: String,
    pub municipality_id: String,
    pub municipality_name: String,
    pub status: AdoptionStatus,
    pub contact_name: Option<String>,
    pub notes: String,
    pub decline_reason: Option<String>,
    pub project_id: Option<String>,
    pub next_statuses: Vec<AdoptionStatus>,
    pub can_edit: bool,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SolutionInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub themenfeld_id: Option<i32>,
    pub lead_state: Option<String>,
    pub lead_body: Option<String>,
    pub it_provider: Option<String>,
    pub status: Option<SolutionStatus>,
    pub reuse_model: Option<ReuseModel>,
    pub reuse_conditions: Option<String>,
    pub requirements: Option<Vec<String>>,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub ozg_ids: Option<Vec<i32>>,
}

pub fn row_time(t: NaiveDateTime) -> DateTime<Utc> {
    utc(t)
}

#[cfg(test)]
mod tests {
    use super::AdoptionStatus::*;

    #[test]
    fn adoption_life_cycle() {
        assert!(!Interested.can_move_to(Live));
        assert!(Interested.can_move_to(Evaluating));
        assert!(RollingOut.can_move_to(Live));
        assert!(Contracting.can_move_to(Declined));
        assert!(!Live.can_move_to(Declined));
        assert!(Declined.can_move_to(Interested));
        assert!(RollingOut.may_report() && Live.may_report() && !Contracting.may_report());
    }
}
