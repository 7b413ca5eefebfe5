//! Funding types: programmes and calls, applications with shares and checklists,
//! the district overview, request bodies and queries, and the pure rules on amounts.
use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{max_by_rate, ApplicationStatus};
use crate::auth::policy::Scope;
use crate::db::schema::funding_applications;
use crate::error::Errors;
use crate::export::{self, Cell, Table};
use crate::projects::model::LinkedProject;

#[derive(Debug, Serialize, ToSchema)]
pub struct FundingCall {
    pub id: String,
    pub title: String,
    pub opens_on: Option<NaiveDate>,
    /// Deadline date (Europe/Berlin).
    pub deadline_date: NaiveDate,
    /// Deadline time (Europe/Berlin), if any.
    #[schema(value_type = Option<String>, example = "12:00:00")]
    pub deadline_time: Option<NaiveTime>,
    pub days_left: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Programme {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub funder: String,
    pub administering_body: String,
    pub level: String,
    pub region: String,
    pub eligible_applicants: String,
    pub funding_type: String,
    /// Funding rate in basis points (6500 = 65 %).
    pub rate_bp: Option<i32>,
    pub increased_rate_bp: Option<i32>,
    pub increased_rate_condition: String,
    pub min_amount_cents: Option<i64>,
    pub max_amount_cents: Option<i64>,
    pub max_amount_note: String,
    pub description: String,
    pub website: Option<String>,
    /// upcoming, open or closed
    pub status: String,
    /// Ids of the shared topic list (GET /topics).
    pub topics: Vec<String>,
    pub calls: Vec<FundingCall>,
    pub version: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeQuery {
    /// EU, Bund, Land, … (part of the level text)
    pub level: Option<String>,
    /// Only programmes with a call whose deadline has not passed.
    pub open_calls: Option<bool>,
    /// Part of the name or focus.
    pub q: Option<String>,
    /// Only programmes with this topic (id from GET /topics).
    pub topic: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Interest {
    pub municipality_id: String,
    pub municipality_name: String,
    pub note: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeDetail {
    #[serde(flatten)]
    pub programme: Programme,
    /// Towns of the caller's district that declared interest.
    pub interested: Vec<Interest>,
    pub can_edit: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCall {
    pub title: String,
    pub opens_on: Option<NaiveDate>,
    pub deadline_date: NaiveDate,
    #[schema(value_type = Option<String>, example = "12:00:00")]
    pub deadline_time: Option<NaiveTime>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestInput {
    #[serde(default)]
    pub note: String,
    /// Defaults to the caller's town.
    pub municipality_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ShareInput {
    pub municipality_id: String,
    pub share_cents: i64,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub programme_id: Option<String>,
    /// On edit: absent keeps the value, `null` clears it (as for the other optional fields).
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub call_id: Option<Option<String>>,
    pub title: Option<String>,
    /// Antragsteller / Konsortialführer.
    pub lead_municipality_id: Option<String>,
    pub total_costs_cents: Option<i64>,
    pub requested_cents: Option<i64>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<i64>)]
    pub approved_cents: Option<Option<i64>>,
    /// Every town's cost share, the lead's included; they must add up to the total.
    pub shares: Option<Vec<ShareInput>>,
    pub project_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub submitted_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub decision_on: Option<Option<NaiveDate>>,
    /// Private to the lead town and the district's coordinators; on edit `null` empties it.
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Share {
    pub municipality_id: String,
    pub municipality_name: String,
    /// `lead` or `partner`
    pub role: String,
    pub share_cents: i64,
    pub can_edit: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistItem {
    pub id: String,
    pub title: String,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub done: bool,
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
    pub can_tick: bool,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub from_status: Option<ApplicationStatus>,
    pub to_status: ApplicationStatus,
    pub note: String,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    pub id: String,
    pub programme_id: String,
    pub programme_name: String,
    pub call_id: Option<String>,
    pub district_id: String,
    pub lead_municipality_id: String,
    pub lead_municipality_name: String,
    pub title: String,
    pub total_costs_cents: i64,
    pub requested_cents: i64,
    /// total − requested
    pub own_contribution_cents: i64,
    pub approved_cents: Option<i64>,
    pub status: ApplicationStatus,
    pub next_statuses: Vec<ApplicationStatus>,
    pub submitted_on: Option<NaiveDate>,
    pub decision_on: Option<NaiveDate>,
    /// Only for the lead town and the district's coordinators.
    pub notes: Option<String>,
    pub shares: Vec<Share>,
    /// Linked projects the viewer may see.
    pub projects: Vec<LinkedProject>,
    pub can_manage: bool,
    /// Advisory rules that are exceeded (e.g. only possible with the increased funding rate).
    pub warnings: Vec<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub application: Application,
    pub checklist: Vec<ChecklistItem>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = funding_applications)]
pub struct ApplicationRow {
    pub id: String,
    pub programme_id: String,
    pub call_id: Option<String>,
    pub district_id: String,
    pub lead_municipality_id: String,
    pub title: String,
    pub total_costs_cents: i64,
    pub requested_cents: i64,
    pub approved_cents: Option<i64>,
    pub status: String,
    pub submitted_on: Option<NaiveDate>,
    pub decision_on: Option<NaiveDate>,
    pub notes: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    pub version: i32,
}

pub fn lead_scope(r: &ApplicationRow) -> Scope<'_> {
    Scope::new(Some(&r.district_id), Some(&r.lead_municipality_id))
}

/// Errors for rules that must hold and warnings for advisory ones.
pub fn check_amounts(
    total: i64,
    requested: i64,
    approved: Option<i64>,
    shares: &[ShareInput],
    rules: &Rules,
) -> (Errors, Vec<String>) {
    let Rules {
        rate,
        increased,
        condition,
        max,
        ..
    } = rules;
    let (rate, increased, max) = (*rate, *increased, *max);
    let mut e = Errors::new();
    let mut warnings = Vec::new();
    const LIMIT: i64 = 100_000_000_000; // 1 Mrd. € in cents
    if !(0..=LIMIT).contains(&total) {
        e.push(
            "total_costs_cents",
            "Die Gesamtkosten liegen zwischen 0 und 1 Mrd. Euro.",
        );
    }
    if !(0..=total.max(0)).contains(&requested) {
        e.push(
            "requested_cents",
            "Die beantragte Summe liegt zwischen 0 und den Gesamtkosten.",
        );
    }
    if shares.iter().any(|s| !(0..=LIMIT).contains(&s.share_cents)) {
        e.push("shares", "Anteile liegen zwischen 0 und 1 Mrd. Euro.");
    } else {
        let sum: i128 = shares.iter().map(|s| s.share_cents as i128).sum();
        if sum != total as i128 {
            e.push(
                "shares",
                format!(
                    "Die Anteile ergeben {} €, die Gesamtkosten sind {} €. Bitte so verteilen, dass die Summe stimmt.",
                    export::euro_de(sum as i64),
                    export::euro_de(total)
                ),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    if shares.iter().any(|s| !seen.insert(&s.municipality_id)) {
        e.push("shares", "Jede Kommune darf nur einmal vorkommen.");
    }
    if let Some(rate) = rate {
        let base = max_by_rate(total, rate);
        if requested > base {
            match increased {
                Some(inc) if requested <= max_by_rate(total, inc) => warnings.push(format!(
                    "Die beantragte Summe liegt über der Förderquote von {} % und ist nur mit der erhöhten Quote möglich ({condition}).",
                    rate / 100
                )),
                _ => e.push("requested_cents", format!("Bei {} % Förderquote sind höchstens {} € möglich.", increased.unwrap_or(rate) / 100, export::euro_de(max_by_rate(total, increased.unwrap_or(rate))))),
            }
        }
    }
    if let Some(max) = max {
        if requested > max {
            e.push(
                "requested_cents",
                format!("Das Programm fördert höchstens {} €.", export::euro_de(max)),
            );
        }
    }
    if let Some(a) = approved {
        if a < 0 || a > requested {
            e.push(
                "approved_cents",
                "Bewilligt werden kann höchstens die beantragte Summe.",
            );
        }
    }
    (e, warnings)
}

/// What a programme allows: its funding rates (basis points) and maximum amount.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub rate: Option<i32>,
    pub increased: Option<i32>,
    pub condition: String,
    pub max: Option<i64>,
    pub name: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    #[param(inline)]
    pub status: Option<ApplicationStatus>,
    pub programme_id: Option<String>,
    /// Only applications this town leads or has a share in.
    pub municipality_id: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

pub const DEFAULT_CHECKLIST: [&str; 4] = [
    "Projektskizze",
    "Ratsbeschluss",
    "Finanzierungsplan",
    "Kostenschätzung",
];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationStatusChange {
    pub status: ApplicationStatus,
    pub note: Option<String>,
}

/// A new checklist item of an application: the title is required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChecklistItem {
    pub title: String,
    pub assignee_id: Option<String>,
    pub due_date: Option<NaiveDate>,
}

/// A change of a checklist item: only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistInput {
    pub title: Option<String>,
    pub assignee_id: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub done: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewRow {
    pub municipality_id: String,
    pub municipality_name: String,
    pub programme_id: String,
    pub programme_name: String,
    /// The town's cost shares.
    pub costs_cents: i64,
    /// Requested funding attributed to the town in proportion to its share.
    pub requested_cents: i64,
    pub approved_cents: i64,
    /// costs − requested
    pub own_contribution_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    pub district_id: String,
    pub rows: Vec<OverviewRow>,
    pub total_costs_cents: i64,
    pub total_requested_cents: i64,
    pub total_approved_cents: i64,
    pub total_own_contribution_cents: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// Defaults to the caller's district.
    pub district_id: Option<String>,
}

/// The district funding overview as a table for the exports.
pub fn overview_table(o: &Overview) -> Table {
    let mut t = Table::new([
        "Kommune",
        "Förderprogramm",
        "Kosten (EUR)",
        "Beantragt (EUR)",
        "Bewilligt (EUR)",
        "Eigenanteil (EUR)",
    ]);
    for r in &o.rows {
        t.push(vec![
            Cell::text(&r.municipality_name),
            Cell::text(&r.programme_name),
            Cell::Euro(r.costs_cents),
            Cell::Euro(r.requested_cents),
            Cell::Euro(r.approved_cents),
            Cell::Euro(r.own_contribution_cents),
        ]);
    }
    t.push(vec![
        Cell::text("Summe Kreis"),
        Cell::Empty,
        Cell::Euro(o.total_costs_cents),
        Cell::Euro(o.total_requested_cents),
        Cell::Euro(o.total_approved_cents),
        Cell::Euro(o.total_own_contribution_cents),
    ]);
    t
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarLink {
    /// Secret address of the personal deadline calendar (ICS); a new one replaces the old.
    pub url: String,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeInput {
    pub name: Option<String>,
    pub funder: Option<String>,
    pub administering_body: Option<String>,
    pub level: Option<String>,
    pub region: Option<String>,
    pub eligible_applicants: Option<String>,
    pub funding_type: Option<String>,
    /// Basis points (6500 = 65 %).
    pub rate_bp: Option<i32>,
    pub increased_rate_bp: Option<i32>,
    pub increased_rate_condition: Option<String>,
    pub min_amount_cents: Option<i64>,
    pub max_amount_cents: Option<i64>,
    pub max_amount_note: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    /// upcoming, open or closed
    pub status: Option<String>,
    /// Replaces the topics (ids from GET /topics).
    pub topics: Option<Vec<String>>,
}
