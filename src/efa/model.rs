//! EfA types: solution status and reuse model, the adoption life cycle, rows and API shapes.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{adoptions, efa_solutions};
use crate::db::utc;
use crate::error::{AppResult, Errors};
use crate::export::{Cell, Table};

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

    /// The German label, from the translation file's value list (`value.adoption.*`).
    pub fn label_de(self) -> &'static str {
        crate::i18n::labels::value(crate::i18n::Locale::De, "adoption", self.as_str())
            .unwrap_or(self.as_str())
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

// Request and response types of the EfA handlers, and the checks of their input.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SolutionQuery {
    pub themenfeld_id: Option<i32>,
    #[param(inline)]
    pub status: Option<SolutionStatus>,
    /// Lead or developing state, e.g. `Hamburg`.
    pub lead_state: Option<String>,
    /// Part of the name.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SolutionDetail {
    #[serde(flatten)]
    pub solution: EfaSolution,
    /// Every town's adoption, by town name.
    pub adoptions: Vec<Adoption>,
    pub reports: Vec<ExperienceReport>,
    pub can_edit: bool,
}

pub fn clean_opt(v: &Option<String>, field: &str, max: usize, e: &mut Errors) -> Option<String> {
    let t = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    if t.chars().count() > max {
        e.push(field, format!("Höchstens {max} Zeichen."));
    }
    Some(t.to_string())
}

pub struct SolutionValues {
    pub name: String,
    pub description: String,
    pub themenfeld_id: Option<i32>,
    pub lead_state: Option<String>,
    pub lead_body: Option<String>,
    pub it_provider: Option<String>,
    pub status: SolutionStatus,
    pub reuse_model: ReuseModel,
    pub reuse_conditions: String,
    pub requirements: String,
    pub website: Option<String>,
    pub contact: Option<String>,
    pub ozg_ids: Option<Vec<i32>>,
}

pub fn solution_values(i: &SolutionInput, base: Option<&SolutionRow>) -> AppResult<SolutionValues> {
    let mut e = Errors::new();
    let name = i
        .name
        .clone()
        .or(base.map(|b| b.name.clone()))
        .unwrap_or_default()
        .trim()
        .to_string();
    if crate::text::check_line(&mut e, "name", &name)
        && (name.chars().count() < 3 || name.chars().count() > 300)
    {
        e.push("name", "Bitte einen Namen mit 3 bis 300 Zeichen angeben.");
    }
    let description = i
        .description
        .clone()
        .or(base.map(|b| b.description.clone()))
        .unwrap_or_default();
    if description.chars().count() > 20_000 {
        e.push("description", "Höchstens 20 000 Zeichen.");
    }
    let pick =
        |new: &Option<String>, old: Option<&Option<String>>| new.clone().or(old.cloned().flatten());
    let lead_state = clean_opt(
        &pick(&i.lead_state, base.map(|b| &b.lead_state)),
        "lead_state",
        100,
        &mut e,
    );
    let lead_body = clean_opt(
        &pick(&i.lead_body, base.map(|b| &b.lead_body)),
        "lead_body",
        300,
        &mut e,
    );
    let it_provider = clean_opt(
        &pick(&i.it_provider, base.map(|b| &b.it_provider)),
        "it_provider",
        300,
        &mut e,
    );
    let website = clean_opt(
        &pick(&i.website, base.map(|b| &b.website)),
        "website",
        300,
        &mut e,
    );
    if website
        .as_ref()
        .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")))
    {
        e.push("website", "Die Webadresse beginnt mit https://.");
    }
    let contact = clean_opt(
        &pick(&i.contact, base.map(|b| &b.contact)),
        "contact",
        300,
        &mut e,
    );
    let reuse_conditions = i
        .reuse_conditions
        .clone()
        .or(base.map(|b| b.reuse_conditions.clone()))
        .unwrap_or_default();
    if reuse_conditions.chars().count() > 5_000 {
        e.push("reuse_conditions", "Höchstens 5 000 Zeichen.");
    }
    let requirements = match &i.requirements {
        Some(list) => {
            if list.len() > 20
                || list
                    .iter()
                    .any(|r| r.chars().count() > 100 || r.contains(';'))
            {
                e.push(
                    "requirements",
                    "Höchstens 20 Voraussetzungen mit je 100 Zeichen, ohne Semikolon.",
                );
            }
            list.iter()
                .map(|r| r.trim())
                .filter(|r| !r.is_empty())
                .collect::<Vec<_>>()
                .join(";")
        }
        None => base.map(|b| b.requirements.clone()).unwrap_or_default(),
    };
    e.finish()?;
    Ok(SolutionValues {
        name,
        description,
        themenfeld_id: i.themenfeld_id.or(base.and_then(|b| b.themenfeld_id)),
        lead_state,
        lead_body,
        it_provider,
        status: i.status.unwrap_or(
            base.map(|b| SolutionStatus::parse(&b.status))
                .unwrap_or(SolutionStatus::Available),
        ),
        reuse_model: i.reuse_model.unwrap_or(
            base.map(|b| ReuseModel::parse(&b.reuse_model))
                .unwrap_or(ReuseModel::Other),
        ),
        reuse_conditions,
        requirements,
        website,
        contact,
        ozg_ids: i.ozg_ids.clone(),
    })
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AdoptionInput {
    /// Defaults to the caller's town.
    pub municipality_id: Option<String>,
    pub contact_name: Option<String>,
    pub notes: Option<String>,
    /// The project that carries out the adoption (must be visible and of the same district).
    pub project_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptionStatusChange {
    pub status: AdoptionStatus,
    /// Required when declining.
    pub reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionHistoryEntry {
    pub from_status: Option<AdoptionStatus>,
    pub to_status: AdoptionStatus,
    pub note: String,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionHistory {
    pub items: Vec<AdoptionHistoryEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExperienceReport {
    pub id: String,
    pub municipality_name: String,
    pub author_name: Option<String>,
    pub body: String,
    pub body_html: String,
    pub rating: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub body: String,
    /// 1 (poor) to 5 (very good)
    pub rating: i32,
    /// Defaults to the caller's town.
    pub municipality_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// Defaults to the caller's district.
    pub district_id: Option<String>,
    pub themenfeld_id: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixTown {
    pub id: String,
    pub name: String,
    /// Adoptions that are not declined.
    pub active: i64,
    pub live: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixSolution {
    pub id: String,
    pub name: String,
    pub active: i64,
    pub live: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixCell {
    pub municipality_id: String,
    pub solution_id: String,
    pub adoption_id: String,
    pub status: AdoptionStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionMatrix {
    pub district_id: String,
    pub towns: Vec<MatrixTown>,
    pub solutions: Vec<MatrixSolution>,
    pub cells: Vec<MatrixCell>,
}

/// The adoption matrix as a table for the exports: a row per town, a column per solution.
pub fn matrix_table(m: &AdoptionMatrix) -> Table {
    let status: HashMap<(&str, &str), &str> = m
        .cells
        .iter()
        .map(|c| {
            (
                (c.municipality_id.as_str(), c.solution_id.as_str()),
                c.status.label_de(),
            )
        })
        .collect();
    let mut header = vec!["Kommune".to_string()];
    header.extend(m.solutions.iter().map(|s| s.name.clone()));
    header.push("Nachnutzungen (aktiv)".into());
    header.push("davon in Betrieb".into());
    let mut t = Table::new(header);
    for town in &m.towns {
        let mut row = vec![Cell::text(&town.name)];
        row.extend(m.solutions.iter().map(|s| {
            Cell::text(
                status
                    .get(&(town.id.as_str(), s.id.as_str()))
                    .copied()
                    .unwrap_or(""),
            )
        }));
        row.push(Cell::Int(town.active));
        row.push(Cell::Int(town.live));
        t.push(row);
    }
    let mut totals = vec![Cell::text("Summe (aktiv / in Betrieb)")];
    totals.extend(
        m.solutions
            .iter()
            .map(|s| Cell::text(format!("{} / {}", s.active, s.live))),
    );
    totals.push(Cell::Int(m.towns.iter().map(|t| t.active).sum::<i64>()));
    totals.push(Cell::Int(m.towns.iter().map(|t| t.live).sum::<i64>()));
    t.push(totals);
    t
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// Defaults to the caller's district.
    pub district_id: Option<String>,
    /// One town of the district; without it the whole district.
    pub municipality_id: Option<String>,
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
