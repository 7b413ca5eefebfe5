//! Profiles (Steckbriefe) for joint priorities: per process, town and year the annual
//! cases, minutes per case, staff and online share; the ranking "Kandidaten für
//! gemeinsame Digitalisierung" over them; and the action that turns a candidate into a
//! project draft with the interested towns as partners.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use diesel::dsl::{max, sum};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::api::{Page, Paging};
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    adoptions, efa_solutions, municipalities, process_profiles, process_projects, processes,
    usage_figures,
};
use crate::db::{now, utc, DbConn};
use crate::efa::model::AdoptionStatus;
use crate::error::{AppError, AppResult, Errors};
use crate::i18n::Locale;
use crate::projects::model::{PartnerRole, ProjectInput, ProjectStatus, TownRef, Visibility};
use crate::usage::model::Channel;
use crate::usage::queries::readable_figures;

// ---- Types and rules (pure) ----

/// Largest values a profile accepts (a plausibility bound, not a legal one).
pub const MAX_ANNUAL_CASES: i64 = 10_000_000;
pub const MAX_MINUTES_PER_CASE: i64 = 100_000;
pub const MAX_STAFF_FTE_HUNDREDTHS: i64 = 100_000;
pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2100;
/// A weight (exponent) of the ranking lies in `0..=MAX_WEIGHT`.
pub const MAX_WEIGHT: f64 = 3.0;

/// Where the online share of a profile comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnlineShareSource {
    /// Entered in the profile.
    Entered,
    /// Online cases / all cases of the process's LeiKa key in the town and year
    /// (Nutzungsmonitor).
    UsageMonitor,
    /// Neither entered nor in the Nutzungsmonitor: counted as 0 (nothing online yet).
    None,
}

impl OnlineShareSource {
    pub fn label_de(self) -> &'static str {
        match self {
            OnlineShareSource::Entered => "eingegeben",
            OnlineShareSource::UsageMonitor => "Nutzungsmonitor",
            OnlineShareSource::None => "keine Angabe",
        }
    }
}

/// The online share a profile counts with: the entered percentage, else the usage
/// monitor's online / all cases (`usage` = (online, all) of the year; only with figures),
/// else 0.
pub fn effective_share(
    entered: Option<i32>,
    usage: Option<(i64, i64)>,
) -> (f64, OnlineShareSource) {
    if let Some(p) = entered {
        return (
            f64::from(p.clamp(0, 100)) / 100.0,
            OnlineShareSource::Entered,
        );
    }
    match usage {
        Some((online, total)) if total > 0 => (
            (online.clamp(0, total) as f64) / total as f64,
            OnlineShareSource::UsageMonitor,
        ),
        _ => (0.0, OnlineShareSource::None),
    }
}

/// A profile's input (`PUT /processes/{id}/profiles/{municipality_id}/{year}`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// Cases per year in the town.
    pub annual_cases: i64,
    /// Working minutes per case.
    pub minutes_per_case: i64,
    /// Staff in hundredths of a full-time equivalent (1,5 VZÄ = 150).
    #[serde(default)]
    pub staff_fte_hundredths: i64,
    /// Online share in percent (0–100); `null` or absent: taken from the Nutzungsmonitor
    /// when it has figures for the process's LeiKa key.
    #[serde(default)]
    pub online_share_percent: Option<i64>,
}

/// The checked values of a [`ProfileInput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileValues {
    pub annual_cases: i32,
    pub minutes_per_case: i32,
    pub staff_fte_hundredths: i32,
    pub online_share_percent: Option<i32>,
}

fn whole(e: &mut Errors, field: &str, v: i64, max: i64, unit: &str) -> i32 {
    if !(0..=max).contains(&v) {
        e.push(
            field,
            format!(
                "Bitte eine ganze Zahl von 0 bis {} {unit} angeben.",
                group(max)
            ),
        );
        return 0;
    }
    v as i32
}

/// `10000000` as `10.000.000`.
fn group(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Checks a year given in a path or query (German message naming `field`).
pub fn check_year(field: &str, year: i32) -> AppResult<i32> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::field(
            field,
            &format!("Bitte ein Jahr von {MIN_YEAR} bis {MAX_YEAR} angeben."),
        ))
    }
}

pub fn check_profile(input: &ProfileInput) -> Result<ProfileValues, Errors> {
    let mut e = Errors::new();
    let annual_cases = whole(
        &mut e,
        "annual_cases",
        input.annual_cases,
        MAX_ANNUAL_CASES,
        "Fällen im Jahr",
    );
    let minutes_per_case = whole(
        &mut e,
        "minutes_per_case",
        input.minutes_per_case,
        MAX_MINUTES_PER_CASE,
        "Minuten je Fall",
    );
    let staff_fte_hundredths = whole(
        &mut e,
        "staff_fte_hundredths",
        input.staff_fte_hundredths,
        MAX_STAFF_FTE_HUNDREDTHS,
        "(Hundertstel Vollzeitstellen, 1,5 Stellen = 150)",
    );
    let online_share_percent = match input.online_share_percent {
        None => None,
        Some(p) if (0..=100).contains(&p) => Some(p as i32),
        Some(_) => {
            e.push(
                "online_share_percent",
                "Bitte einen Anteil von 0 bis 100 Prozent angeben oder das Feld leer lassen.",
            );
            None
        }
    };
    if e.0.is_empty() {
        Ok(ProfileValues {
            annual_cases,
            minutes_per_case,
            staff_fte_hundredths,
            online_share_percent,
        })
    } else {
        Err(e)
    }
}

/// One town's profile of a process in one year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessProfile {
    pub process_id: String,
    pub municipality: TownRef,
    pub year: i32,
    pub annual_cases: i32,
    pub minutes_per_case: i32,
    /// Hundredths of a full-time equivalent (150 = 1,5 VZÄ).
    pub staff_fte_hundredths: i32,
    /// The entered online share in percent; `null`: not entered.
    pub online_share_percent: Option<i32>,
    /// The share the ranking counts with (0–1, three decimals).
    pub effective_online_share: f64,
    pub online_share_source: OnlineShareSource,
    /// "eingegeben", "Nutzungsmonitor" or "keine Angabe".
    pub online_share_source_label: String,
    pub updated_at: DateTime<Utc>,
    /// May change this profile (officers of the town, the district's coordinators, admins).
    pub can_edit: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessProfileList {
    pub items: Vec<ProcessProfile>,
    /// May the caller enter a profile for the own town (or, as coordinator, for any town)?
    pub can_enter: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfileListQuery {
    /// Only this year.
    pub year: Option<i32>,
}

/// The factors of the ranking as exponents:
/// score = Σ over towns of cases^`weight_cases` × minutes^`weight_minutes` ×
/// (1 − online share)^`weight_offline`. 1 each (the default) is the plain workload in
/// minutes that is not yet online; 0 leaves a factor out, 2 makes it count squared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct RankingWeights {
    pub weight_cases: f64,
    pub weight_minutes: f64,
    pub weight_offline: f64,
}

impl Default for RankingWeights {
    fn default() -> Self {
        RankingWeights {
            weight_cases: 1.0,
            weight_minutes: 1.0,
            weight_offline: 1.0,
        }
    }
}

impl RankingWeights {
    pub fn is_default(&self) -> bool {
        *self == RankingWeights::default()
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateQuery {
    /// The year of the profiles; default: the latest year with a profile in the district.
    pub year: Option<i32>,
    /// Exponent of the annual cases (0–3, default 1; coordinators and admins only).
    pub weight_cases: Option<f64>,
    /// Exponent of the minutes per case (0–3, default 1; coordinators and admins only).
    pub weight_minutes: Option<f64>,
    /// Exponent of the offline share 1 − online share (0–3, default 1; coordinators and admins only).
    pub weight_offline: Option<f64>,
    /// The district (admins; others: their own).
    pub district_id: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The weights of a query, checked (German messages naming the parameter).
pub fn check_weights(q: &CandidateQuery) -> AppResult<RankingWeights> {
    let mut e = Errors::new();
    let mut one = |field: &str, v: Option<f64>| -> f64 {
        match v {
            None => 1.0,
            Some(w) if w.is_finite() && (0.0..=MAX_WEIGHT).contains(&w) => w,
            Some(_) => {
                e.push(
                    field,
                    "Bitte eine Gewichtung von 0 bis 3 angeben (1 = unverändert, 0 = Faktor weglassen).",
                );
                1.0
            }
        }
    };
    let w = RankingWeights {
        weight_cases: one("weight_cases", q.weight_cases),
        weight_minutes: one("weight_minutes", q.weight_minutes),
        weight_offline: one("weight_offline", q.weight_offline),
    };
    if e.0.is_empty() {
        Ok(w)
    } else {
        Err(AppError::InvalidQuery(e.0))
    }
}

/// The text the ranking shows and the API documents.
pub const FORMULA_DE: &str = "Punktzahl = Summe über die Kommunen von Fälle^a × Minuten je Fall^b × (1 − Onlinequote)^c; \
a, b, c sind die Gewichte (Standard 1: die Bearbeitungsminuten im Jahr, die noch nicht online laufen). \
Onlinequote: eingegeben, sonst aus dem Nutzungsmonitor, sonst 0. Gleichstand: nach Name.";

/// One town's figures behind a candidate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidateTown {
    pub municipality: TownRef,
    pub annual_cases: i32,
    pub minutes_per_case: i32,
    pub staff_fte_hundredths: i32,
    pub effective_online_share: f64,
    pub online_share_source: OnlineShareSource,
    /// This town's part of the score.
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CandidateEfaSolution)]
pub struct CandidateEfa {
    pub id: String,
    pub name: String,
}

/// A process in the ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    /// 1 for the first place (over the whole list, not the page).
    pub rank: i64,
    pub process_id: String,
    pub name: String,
    pub leika_key: Option<String>,
    pub ozg_id: Option<i32>,
    /// The weighted score (see `formula`), rounded to two decimals.
    pub score: f64,
    /// Unweighted: hours of work per year not yet online, summed over the towns.
    pub offline_hours: f64,
    pub annual_cases: i64,
    pub staff_fte_hundredths: i64,
    /// The towns with a profile this year (the interested towns), by score.
    pub towns: Vec<CandidateTown>,
    /// The linked EfA solution, if any.
    pub efa_solution: Option<CandidateEfa>,
    /// Towns of the district whose adoption of that solution is live.
    pub running_towns: Vec<TownRef>,
    /// Towns of other districts that run it.
    pub running_elsewhere: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateRanking {
    pub district_id: String,
    pub year: i32,
    pub weights: RankingWeights,
    /// The formula in words (German).
    pub formula: String,
    /// May change the weights (coordinators and admins).
    pub can_weight: bool,
    pub items: Vec<Candidate>,
    pub page: i64,
    pub limit: i64,
    pub total: i64,
}

/// One town's part of a score: cases^a × minutes^b × (1 − share)^c.
pub fn town_score(cases: i64, minutes: i64, share: f64, w: &RankingWeights) -> f64 {
    let offline = (1.0 - share).clamp(0.0, 1.0);
    (cases.max(0) as f64).powf(w.weight_cases)
        * (minutes.max(0) as f64).powf(w.weight_minutes)
        * offline.powf(w.weight_offline)
}

fn round_to(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// The figures of one town's profile, as the ranking needs them.
#[derive(Debug, Clone)]
pub struct TownFigures {
    pub town: TownRef,
    pub annual_cases: i32,
    pub minutes_per_case: i32,
    pub staff_fte_hundredths: i32,
    pub share: f64,
    pub source: OnlineShareSource,
}

/// A process with its towns' figures, before ranking.
#[derive(Debug, Clone)]
pub struct CandidateInput {
    pub process_id: String,
    pub name: String,
    pub leika_key: Option<String>,
    pub ozg_id: Option<i32>,
    pub towns: Vec<TownFigures>,
    pub efa_solution: Option<CandidateEfa>,
    pub running_towns: Vec<TownRef>,
    pub running_elsewhere: i64,
}

/// Scores and orders the candidates: score descending, ties by name, then id (stable).
/// Processes without any town are left out.
pub fn rank(inputs: Vec<CandidateInput>, w: &RankingWeights) -> Vec<Candidate> {
    let mut out: Vec<(f64, Candidate)> = inputs
        .into_iter()
        .filter(|c| !c.towns.is_empty())
        .map(|c| {
            let mut score = 0.0;
            let mut offline_minutes = 0.0;
            let mut towns: Vec<CandidateTown> = c
                .towns
                .into_iter()
                .map(|t| {
                    let s = town_score(
                        i64::from(t.annual_cases),
                        i64::from(t.minutes_per_case),
                        t.share,
                        w,
                    );
                    score += s;
                    offline_minutes += town_score(
                        i64::from(t.annual_cases),
                        i64::from(t.minutes_per_case),
                        t.share,
                        &RankingWeights::default(),
                    );
                    CandidateTown {
                        municipality: t.town,
                        annual_cases: t.annual_cases,
                        minutes_per_case: t.minutes_per_case,
                        staff_fte_hundredths: t.staff_fte_hundredths,
                        effective_online_share: round_to(t.share, 3),
                        online_share_source: t.source,
                        score: round_to(s, 2),
                    }
                })
                .collect();
            towns.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| a.municipality.name.cmp(&b.municipality.name))
            });
            let cand = Candidate {
                rank: 0,
                process_id: c.process_id,
                name: c.name,
                leika_key: c.leika_key,
                ozg_id: c.ozg_id,
                score: round_to(score, 2),
                offline_hours: round_to(offline_minutes / 60.0, 1),
                annual_cases: towns.iter().map(|t| i64::from(t.annual_cases)).sum(),
                staff_fte_hundredths: towns
                    .iter()
                    .map(|t| i64::from(t.staff_fte_hundredths))
                    .sum(),
                towns,
                efa_solution: c.efa_solution,
                running_towns: c.running_towns,
                running_elsewhere: c.running_elsewhere,
            };
            (score, cand)
        })
        .collect();
    // The unrounded score decides; the name breaks ties (then the id, for a stable order).
    out.sort_by(|(sa, a), (sb, b)| {
        sb.total_cmp(sa)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.process_id.cmp(&b.process_id))
    });
    out.into_iter()
        .enumerate()
        .map(|(i, (_, mut c))| {
            c.rank = i as i64 + 1;
            c
        })
        .collect()
}

/// `POST /processes/{id}/project-draft`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectDraftInput {
    /// The towns taking part (at least one; all of the process's district).
    pub municipality_ids: Vec<String>,
    /// The town that owns the project; default: the caller's town if it takes part, else
    /// the town that maintains the process, else the first town named.
    #[serde(default)]
    pub lead_municipality_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDraftCreated {
    pub project_id: String,
    /// The owning town.
    pub municipality_id: String,
    /// The partner towns (the others named).
    pub partner_ids: Vec<String>,
}

/// The towns of a draft: (lead, partners) without duplicates, or a German field error.
pub fn draft_towns(
    input: &ProjectDraftInput,
    caller_town: Option<&str>,
    process_owner: Option<&str>,
) -> AppResult<(String, Vec<String>)> {
    let mut seen = HashSet::new();
    let towns: Vec<String> = input
        .municipality_ids
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && seen.insert(t.clone()))
        .collect();
    if towns.is_empty() {
        return Err(AppError::field(
            "municipality_ids",
            "Bitte mindestens eine Kommune wählen.",
        ));
    }
    if towns.len() > 100 {
        return Err(AppError::field(
            "municipality_ids",
            "Höchstens 100 Kommunen je Projektentwurf.",
        ));
    }
    let named = |t: Option<&str>| {
        t.filter(|t| towns.iter().any(|x| x == t))
            .map(str::to_string)
    };
    let lead = match input.lead_municipality_id.as_deref().map(str::trim) {
        Some(l) if !l.is_empty() => {
            if !towns.iter().any(|x| x == l) {
                return Err(AppError::field(
                    "lead_municipality_id",
                    "Die federführende Kommune muss unter den gewählten Kommunen sein.",
                ));
            }
            l.to_string()
        }
        _ => named(caller_town)
            .or_else(|| named(process_owner))
            .unwrap_or_else(|| towns[0].clone()),
    };
    let partners = towns.into_iter().filter(|t| *t != lead).collect();
    Ok((lead, partners))
}

/// A town of a draft with its latest figures (cases, minutes per case, online share).
pub type DraftLine = (String, Option<(i32, i32, f64)>);

/// The draft's description (Markdown): the process, its keys and the towns' figures.
pub fn draft_description(
    name: &str,
    leika_key: Option<&str>,
    ozg_id: Option<i32>,
    year: Option<i32>,
    towns: &[DraftLine],
) -> String {
    let mut s = format!(
        "Projektentwurf aus dem Prozessregister: gemeinsame Digitalisierung von „{name}“.\n\n"
    );
    match leika_key {
        Some(k) => s.push_str(&format!("- LeiKa-Leistungsschlüssel: {k}\n")),
        None => s.push_str("- LeiKa-Leistungsschlüssel: nicht hinterlegt\n"),
    }
    if let Some(o) = ozg_id {
        s.push_str(&format!("- OZG-ID: {o}\n"));
    }
    s.push_str("\nBeteiligte Kommunen");
    if let Some(y) = year {
        s.push_str(&format!(" (Steckbrief {y})"));
    }
    s.push_str(":\n\n");
    for (town, figures) in towns {
        match figures {
            Some((cases, minutes, share)) => s.push_str(&format!(
                "- {town}: {} Fälle im Jahr, {minutes} Minuten je Fall, Onlinequote {} %\n",
                group(i64::from(*cases)),
                format!("{:.1}", share * 100.0).replace('.', ",")
            )),
            None => s.push_str(&format!("- {town}\n")),
        }
    }
    s
}

/// Summaries longer than this are cut (`projects::model::MAX_SUMMARY`).
pub fn draft_summary(name: &str, towns: usize) -> String {
    let s = format!(
        "Gemeinsame Digitalisierung von „{name}“ mit {towns} {}.",
        if towns == 1 { "Kommune" } else { "Kommunen" }
    );
    s.chars()
        .take(crate::projects::model::MAX_SUMMARY)
        .collect()
}

/// The default year of the ranking: the latest with a profile, else last year.
pub fn default_year(latest: Option<i32>, today: chrono::NaiveDate) -> i32 {
    latest.unwrap_or(today.year() - 1)
}

/// The usage figures of a year per (town, LeiKa key) as (online, all).
pub fn usage_by_town_key(
    rows: Vec<(String, String, String, Option<i64>)>,
) -> HashMap<(String, String), (i64, i64)> {
    let mut out: HashMap<(String, String), (i64, i64)> = HashMap::new();
    for (town, key, channel, n) in rows {
        let n = n.unwrap_or(0);
        let e = out.entry((town, key)).or_default();
        if channel == Channel::Online.as_str() {
            e.0 += n;
        }
        e.1 += n;
    }
    out
}

/// Groups rows by their first element, keeping order within a group.
pub fn group_by_first<K: Ord, V>(rows: Vec<(K, V)>) -> BTreeMap<K, Vec<V>> {
    let mut out: BTreeMap<K, Vec<V>> = BTreeMap::new();
    for (k, v) in rows {
        out.entry(k).or_default().push(v);
    }
    out
}

// ---- Database ----

/// The fields of a process the profiles, the ranking and the continuity sheets need.
#[derive(Debug, Clone, Queryable)]
pub struct ProcessHead {
    pub id: String,
    pub district_id: String,
    pub owner_municipality_id: Option<String>,
    pub name: String,
    pub leika_key: Option<String>,
    pub ozg_id: Option<i32>,
    pub efa_solution_id: Option<String>,
    pub visibility: String,
}

impl ProcessHead {
    pub fn readable_by(&self, actor: &Actor) -> bool {
        policy::can_read_process(
            Some(actor),
            Scope::new(
                Some(&self.district_id),
                self.owner_municipality_id.as_deref(),
            ),
            &self.visibility,
        )
    }
}

type HeadColumns = (
    processes::id,
    processes::district_id,
    processes::owner_municipality_id,
    processes::name,
    processes::leika_key,
    processes::ozg_id,
    processes::efa_solution_id,
    processes::visibility,
);

pub const HEAD: HeadColumns = (
    processes::id,
    processes::district_id,
    processes::owner_municipality_id,
    processes::name,
    processes::leika_key,
    processes::ozg_id,
    processes::efa_solution_id,
    processes::visibility,
);

/// The process `id` if `actor` may read it, else 404.
pub fn readable_head(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ProcessHead> {
    processes::table
        .find(id)
        .select(HEAD)
        .first::<ProcessHead>(conn)
        .optional()?
        .filter(|h| h.readable_by(actor))
        .ok_or(AppError::NotFound)
}

/// A town of the process's district (404 for an unknown town or one of another district).
pub fn district_town(conn: &mut DbConn, district_id: &str, town_id: &str) -> AppResult<TownRef> {
    municipalities::table
        .find(town_id)
        .filter(municipalities::district_id.eq(district_id))
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
        ))
        .first::<(String, String, String)>(conn)
        .optional()?
        .map(|(id, name, ags)| TownRef { id, name, ags })
        .ok_or(AppError::NotFound)
}

/// The process for its profiles: readable, and the caller belongs to its district (the
/// profiles are the district's working figures).
fn profile_head(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ProcessHead> {
    let head = readable_head(conn, actor, id)?;
    if !policy::can_read_district(actor, &head.district_id) {
        return Err(AppError::NotFound);
    }
    Ok(head)
}

type ProfileTuple = (
    String,
    i32,
    i32,
    i32,
    i32,
    Option<i32>,
    NaiveDateTime,
    String,
    String,
);

/// (online, all) per (town, year) of `leika_key` in `years`, over what `actor` may read.
fn usage_per_town_year(
    conn: &mut DbConn,
    actor: &Actor,
    district_id: &str,
    leika_key: &str,
    towns: &[String],
    years: (i32, i32),
) -> AppResult<HashMap<(String, i32), (i64, i64)>> {
    let rows: Vec<(String, i32, String, Option<i64>)> = usage_figures::table
        .filter(usage_figures::leika_key.eq(leika_key))
        .filter(usage_figures::municipality_id.eq_any(towns))
        .filter(usage_figures::month.between(years.0 * 100 + 1, years.1 * 100 + 12))
        .filter(readable_figures(Some(actor), district_id))
        .group_by((
            usage_figures::municipality_id,
            usage_figures::month,
            usage_figures::channel,
        ))
        .select((
            usage_figures::municipality_id,
            usage_figures::month,
            usage_figures::channel,
            sum(usage_figures::count),
        ))
        .load(conn)?;
    let mut out: HashMap<(String, i32), (i64, i64)> = HashMap::new();
    for (town, month, channel, n) in rows {
        let n = n.unwrap_or(0);
        let e = out.entry((town, month / 100)).or_default();
        if channel == Channel::Online.as_str() {
            e.0 += n;
        }
        e.1 += n;
    }
    Ok(out)
}

/// The profiles of a process (all years or one; one town or all), newest year first.
fn load_profiles(
    conn: &mut DbConn,
    actor: &Actor,
    head: &ProcessHead,
    year: Option<i32>,
    town: Option<&str>,
) -> AppResult<Vec<ProcessProfile>> {
    let mut q = process_profiles::table
        .inner_join(municipalities::table)
        .filter(process_profiles::process_id.eq(&head.id))
        .into_boxed();
    if let Some(y) = year {
        q = q.filter(process_profiles::year.eq(y));
    }
    if let Some(t) = town {
        q = q.filter(process_profiles::municipality_id.eq(t.to_string()));
    }
    let rows: Vec<ProfileTuple> = q
        .select((
            process_profiles::municipality_id,
            process_profiles::year,
            process_profiles::annual_cases,
            process_profiles::minutes_per_case,
            process_profiles::staff_fte_hundredths,
            process_profiles::online_share_percent,
            process_profiles::updated_at,
            municipalities::name,
            municipalities::ags,
        ))
        .order((
            process_profiles::year.desc(),
            municipalities::name.asc(),
            process_profiles::municipality_id.asc(),
        ))
        .load(conn)?;
    // The Nutzungsmonitor only for rows without an entered share.
    let measured: Vec<&ProfileTuple> = rows.iter().filter(|r| r.5.is_none()).collect();
    let usage = match (&head.leika_key, measured.is_empty()) {
        (Some(key), false) => {
            let towns: Vec<String> = measured.iter().map(|r| r.0.clone()).collect();
            let from = measured.iter().map(|r| r.1).min().unwrap_or(MIN_YEAR);
            let to = measured.iter().map(|r| r.1).max().unwrap_or(MAX_YEAR);
            usage_per_town_year(conn, actor, &head.district_id, key, &towns, (from, to))?
        }
        _ => HashMap::new(),
    };
    Ok(rows
        .into_iter()
        .map(
            |(town, year, cases, minutes, staff, entered, at, name, ags)| {
                let (share, source) =
                    effective_share(entered, usage.get(&(town.clone(), year)).copied());
                let can_edit = policy::can_edit_process_profile(
                    actor,
                    Scope::new(Some(&head.district_id), Some(&town)),
                );
                ProcessProfile {
                    process_id: head.id.clone(),
                    municipality: TownRef {
                        id: town,
                        name,
                        ags,
                    },
                    year,
                    annual_cases: cases,
                    minutes_per_case: minutes,
                    staff_fte_hundredths: staff,
                    online_share_percent: entered,
                    effective_online_share: round_to(share, 3),
                    online_share_source: source,
                    online_share_source_label: source.label_de().to_string(),
                    updated_at: utc(at),
                    can_edit,
                }
            },
        )
        .collect())
}

pub fn list_profiles(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    year: Option<i32>,
) -> AppResult<ProcessProfileList> {
    let head = profile_head(conn, &actor, &process_id)?;
    let items = load_profiles(conn, &actor, &head, year, None)?;
    let can_enter = match actor.municipality_id.as_deref() {
        Some(t) => policy::can_edit_process_profile(
            &actor,
            Scope::new(actor.district_id.as_deref(), Some(t)),
        ),
        None => policy::can_edit_process_profile(&actor, Scope::new(Some(&head.district_id), None)),
    };
    Ok(ProcessProfileList { items, can_enter })
}

/// Writes (creates or replaces) one town's profile of one year.
pub fn put_profile(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    town_id: String,
    year: i32,
    v: ProfileValues,
) -> AppResult<ProcessProfile> {
    let head = profile_head(conn, &actor, &process_id)?;
    let town = district_town(conn, &head.district_id, &town_id)?;
    if !policy::can_edit_process_profile(
        &actor,
        Scope::new(Some(&head.district_id), Some(&town.id)),
    ) {
        return Err(AppError::Forbidden);
    }
    let t = now();
    let key = process_profiles::table
        .filter(process_profiles::process_id.eq(&head.id))
        .filter(process_profiles::municipality_id.eq(&town.id))
        .filter(process_profiles::year.eq(year));
    let changed = diesel::update(key)
        .set((
            process_profiles::annual_cases.eq(v.annual_cases),
            process_profiles::minutes_per_case.eq(v.minutes_per_case),
            process_profiles::staff_fte_hundredths.eq(v.staff_fte_hundredths),
            process_profiles::online_share_percent.eq(v.online_share_percent),
            process_profiles::updated_by.eq(Some(&actor.id)),
            process_profiles::updated_at.eq(t),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(process_profiles::table)
            .values((
                process_profiles::process_id.eq(&head.id),
                process_profiles::municipality_id.eq(&town.id),
                process_profiles::year.eq(year),
                process_profiles::annual_cases.eq(v.annual_cases),
                process_profiles::minutes_per_case.eq(v.minutes_per_case),
                process_profiles::staff_fte_hundredths.eq(v.staff_fte_hundredths),
                process_profiles::online_share_percent.eq(v.online_share_percent),
                process_profiles::updated_by.eq(Some(&actor.id)),
                process_profiles::updated_at.eq(t),
            ))
            .execute(conn)?;
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.profile_update",
            object_type: "process",
            object_id: &head.id,
            district_id: Some(&head.district_id),
            municipality_id: Some(&town.id),
            summary: json!({
                "name": head.name,
                "year": year,
                "annual_cases": v.annual_cases,
                "minutes_per_case": v.minutes_per_case,
                "staff_fte_hundredths": v.staff_fte_hundredths,
                "online_share_percent": v.online_share_percent,
            }),
        },
    )?;
    load_profiles(conn, &actor, &head, Some(year), Some(&town.id))?
        .pop()
        .ok_or_else(|| AppError::internal("profile vanished after writing"))
}

/// The ranking "Kandidaten für gemeinsame Digitalisierung" of a district: every process
/// the caller may read with profiles in the year. Six queries whatever the size: the
/// processes, the profiles, the usage figures, the solutions, the adoptions, the latest year.
pub fn candidates(
    conn: &mut DbConn,
    actor: Actor,
    q: CandidateQuery,
    weights: RankingWeights,
    paging: Paging,
) -> AppResult<CandidateRanking> {
    let district = crate::api::readable_district(&actor, q.district_id.clone())?;
    let can_weight = policy::can_weight_candidates(&actor);
    if !weights.is_default() && !can_weight {
        return Err(AppError::Forbidden);
    }
    let year = match q.year {
        Some(y) => check_year("year", y).map_err(|e| match e {
            AppError::Validation(f) => AppError::InvalidQuery(f),
            other => other,
        })?,
        None => {
            let latest: Option<i32> = process_profiles::table
                .inner_join(processes::table)
                .filter(processes::district_id.eq(&district))
                .select(max(process_profiles::year))
                .first(conn)?;
            default_year(latest, crate::db::today())
        }
    };
    let heads: HashMap<String, ProcessHead> = processes::table
        .filter(processes::district_id.eq(&district))
        .select(HEAD)
        .load::<ProcessHead>(conn)?
        .into_iter()
        .filter(|h| h.readable_by(&actor))
        .map(|h| (h.id.clone(), h))
        .collect();
    let rows: Vec<(String, ProfileTuple)> = process_profiles::table
        .inner_join(processes::table)
        .inner_join(municipalities::table)
        .filter(processes::district_id.eq(&district))
        .filter(process_profiles::year.eq(year))
        .select((
            process_profiles::process_id,
            (
                process_profiles::municipality_id,
                process_profiles::year,
                process_profiles::annual_cases,
                process_profiles::minutes_per_case,
                process_profiles::staff_fte_hundredths,
                process_profiles::online_share_percent,
                process_profiles::updated_at,
                municipalities::name,
                municipalities::ags,
            ),
        ))
        .order((process_profiles::process_id, municipalities::name))
        .load(conn)?;
    let by_process = group_by_first(
        rows.into_iter()
            .filter(|(pid, _)| heads.contains_key(pid))
            .collect(),
    );
    // The usage figures only for keys some profile takes its share from.
    let keys: Vec<String> = by_process
        .iter()
        .filter(|(_, ps)| ps.iter().any(|p| p.5.is_none()))
        .filter_map(|(pid, _)| heads.get(pid).and_then(|h| h.leika_key.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let usage = if keys.is_empty() {
        HashMap::new()
    } else {
        usage_by_town_key(
            usage_figures::table
                .filter(usage_figures::district_id.eq(&district))
                .filter(usage_figures::month.between(year * 100 + 1, year * 100 + 12))
                .filter(usage_figures::leika_key.eq_any(&keys))
                .filter(readable_figures(Some(&actor), &district))
                .group_by((
                    usage_figures::municipality_id,
                    usage_figures::leika_key,
                    usage_figures::channel,
                ))
                .select((
                    usage_figures::municipality_id,
                    usage_figures::leika_key,
                    usage_figures::channel,
                    sum(usage_figures::count),
                ))
                .load(conn)?,
        )
    };
    let solution_ids: Vec<String> = by_process
        .keys()
        .filter_map(|pid| heads.get(pid).and_then(|h| h.efa_solution_id.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let solutions: HashMap<String, CandidateEfa> = if solution_ids.is_empty() {
        HashMap::new()
    } else {
        efa_solutions::table
            .filter(efa_solutions::id.eq_any(&solution_ids))
            .select((
                efa_solutions::id,
                efa_solutions::name,
                efa_solutions::published,
                efa_solutions::proposed_by,
                efa_solutions::proposed_district_id,
            ))
            .load::<(String, String, bool, Option<String>, Option<String>)>(conn)?
            .into_iter()
            .filter(|(_, _, published, by, d)| {
                policy::can_read_efa_solution(&actor, *published, by.as_deref(), d.as_deref())
            })
            .map(|(id, name, ..)| (id.clone(), CandidateEfa { id, name }))
            .collect()
    };
    let mut running: HashMap<String, (Vec<TownRef>, i64)> = HashMap::new();
    if !solutions.is_empty() {
        let ids: Vec<String> = solutions.keys().cloned().collect();
        let live: Vec<(String, String, String, String, String)> = adoptions::table
            .inner_join(municipalities::table)
            .filter(adoptions::solution_id.eq_any(ids))
            .filter(adoptions::status.eq(AdoptionStatus::Live.as_str()))
            .select((
                adoptions::solution_id,
                adoptions::district_id,
                municipalities::id,
                municipalities::name,
                municipalities::ags,
            ))
            .order(municipalities::name.asc())
            .load(conn)?;
        for (sid, d, id, name, ags) in live {
            let e = running.entry(sid).or_default();
            if d == district {
                e.0.push(TownRef { id, name, ags });
            } else {
                e.1 += 1;
            }
        }
    }
    let inputs: Vec<CandidateInput> = by_process
        .into_iter()
        .filter_map(|(pid, ps)| {
            let h = heads.get(&pid)?;
            let towns = ps
                .into_iter()
                .map(|(town, _, cases, minutes, staff, entered, _, name, ags)| {
                    let measured = h
                        .leika_key
                        .as_ref()
                        .and_then(|k| usage.get(&(town.clone(), k.clone())).copied());
                    let (share, source) = effective_share(entered, measured);
                    TownFigures {
                        town: TownRef {
                            id: town,
                            name,
                            ags,
                        },
                        annual_cases: cases,
                        minutes_per_case: minutes,
                        staff_fte_hundredths: staff,
                        share,
                        source,
                    }
                })
                .collect();
            let efa = h
                .efa_solution_id
                .as_ref()
                .and_then(|s| solutions.get(s))
                .cloned();
            let (running_towns, running_elsewhere) = efa
                .as_ref()
                .and_then(|s| running.get(&s.id).cloned())
                .unwrap_or_default();
            Some(CandidateInput {
                process_id: pid,
                name: h.name.clone(),
                leika_key: h.leika_key.clone(),
                ozg_id: h.ozg_id,
                towns,
                efa_solution: efa,
                running_towns,
                running_elsewhere,
            })
        })
        .collect();
    let page = Page::cut(rank(inputs, &weights), paging);
    Ok(CandidateRanking {
        district_id: district,
        year,
        weights,
        formula: FORMULA_DE.to_string(),
        can_weight,
        items: page.items,
        page: page.page,
        limit: page.limit,
        total: page.total,
    })
}

/// "Projektentwurf anlegen": a project in status `draft` owned by the lead town, the other
/// towns as (accepted, interested) partners, the OZG-ID and the LeiKa key filled in, linked
/// to the process. Built with `projects::queries` (the same checks, audit and events as
/// any new project).
pub fn create_project_draft(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    input: ProjectDraftInput,
    locale: Locale,
) -> AppResult<ProjectDraftCreated> {
    let head = profile_head(conn, &actor, &process_id)?;
    let (lead, partners) = draft_towns(
        &input,
        actor.municipality_id.as_deref(),
        head.owner_municipality_id.as_deref(),
    )?;
    let all: Vec<String> = std::iter::once(lead.clone())
        .chain(partners.iter().cloned())
        .collect();
    let towns: HashMap<String, String> = municipalities::table
        .filter(municipalities::id.eq_any(&all))
        .filter(municipalities::district_id.eq(&head.district_id))
        .select((municipalities::id, municipalities::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    if let Some(missing) = all.iter().find(|t| !towns.contains_key(*t)) {
        return Err(AppError::field(
            "municipality_ids",
            &format!("Die Kommune „{missing}“ gehört nicht zum Kreis dieses Prozesses."),
        ));
    }
    // The latest profile of each town, for the description.
    let latest: Vec<(String, i32, i32, i32, Option<i32>)> = process_profiles::table
        .filter(process_profiles::process_id.eq(&head.id))
        .filter(process_profiles::municipality_id.eq_any(&all))
        .select((
            process_profiles::municipality_id,
            process_profiles::year,
            process_profiles::annual_cases,
            process_profiles::minutes_per_case,
            process_profiles::online_share_percent,
        ))
        .order(process_profiles::year.desc())
        .load(conn)?;
    let year = latest.first().map(|r| r.1);
    let lines: Vec<DraftLine> = all
        .iter()
        .map(|t| {
            let figures = latest
                .iter()
                .find(|r| r.0 == *t && Some(r.1) == year)
                .map(|r| (r.2, r.3, effective_share(r.4, None).0));
            (towns.get(t).cloned().unwrap_or_default(), figures)
        })
        .collect();
    let title: String = head
        .name
        .chars()
        .take(crate::projects::model::MAX_TITLE)
        .collect();
    let project = crate::projects::queries::create_project(
        conn,
        actor.clone(),
        ProjectInput {
            title: Some(title),
            summary: Some(draft_summary(&head.name, all.len())),
            description: Some(draft_description(
                &head.name,
                head.leika_key.as_deref(),
                head.ozg_id,
                year,
                &lines,
            )),
            status: Some(ProjectStatus::Draft),
            visibility: Some(Visibility::District),
            ozg_ids: Some(head.ozg_id.into_iter().collect()),
            tags: Some(vec!["Prozessregister".into()]),
            municipality_id: Some(lead.clone()),
            ..ProjectInput::default()
        },
        locale,
    )?;
    let project_id = project.summary.id;
    for p in &partners {
        crate::projects::queries::add_partner(
            conn,
            actor.clone(),
            project_id.clone(),
            p.clone(),
            PartnerRole::Interested,
            locale,
        )?;
    }
    diesel::insert_into(process_projects::table)
        .values((
            process_projects::process_id.eq(&head.id),
            process_projects::project_id.eq(&project_id),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.project_draft",
            object_type: "process",
            object_id: &head.id,
            district_id: Some(&head.district_id),
            municipality_id: Some(&lead),
            summary: json!({
                "name": head.name,
                "project_id": project_id,
                "lead": lead,
                "partners": partners,
            }),
        },
    )?;
    Ok(ProjectDraftCreated {
        project_id,
        municipality_id: lead,
        partner_ids: partners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn town(name: &str) -> TownRef {
        TownRef {
            id: name.to_lowercase(),
            name: name.into(),
            ags: "05762000".into(),
        }
    }

    fn figures(name: &str, cases: i32, minutes: i32, share: f64) -> TownFigures {
        TownFigures {
            town: town(name),
            annual_cases: cases,
            minutes_per_case: minutes,
            staff_fte_hundredths: 0,
            share,
            source: OnlineShareSource::Entered,
        }
    }

    fn input(id: &str, name: &str, towns: Vec<TownFigures>) -> CandidateInput {
        CandidateInput {
            process_id: id.into(),
            name: name.into(),
            leika_key: None,
            ozg_id: None,
            towns,
            efa_solution: None,
            running_towns: vec![],
            running_elsewhere: 0,
        }
    }

    #[test]
    fn the_share_is_entered_else_measured_else_zero() {
        assert_eq!(
            effective_share(Some(40), Some((1, 2))),
            (0.4, OnlineShareSource::Entered)
        );
        assert_eq!(
            effective_share(None, Some((17, 40))),
            (0.425, OnlineShareSource::UsageMonitor)
        );
        assert_eq!(
            effective_share(None, Some((0, 0))),
            (0.0, OnlineShareSource::None)
        );
        assert_eq!(effective_share(None, None), (0.0, OnlineShareSource::None));
        assert_eq!(
            OnlineShareSource::UsageMonitor.label_de(),
            "Nutzungsmonitor"
        );
        assert_eq!(OnlineShareSource::None.label_de(), "keine Angabe");
    }

    #[test]
    fn the_score_sums_the_offline_workload_over_towns() {
        let w = RankingWeights::default();
        // 1000 cases × 30 min × 0,6 offline = 18.000; 200 × 60 × 1 = 12.000.
        let r = rank(
            vec![input(
                "p",
                "Hundesteuer anmelden",
                vec![
                    figures("Brakel", 1000, 30, 0.4),
                    figures("Warburg", 200, 60, 0.0),
                ],
            )],
            &w,
        );
        assert_eq!(r[0].score, 30000.0);
        assert_eq!(r[0].offline_hours, 500.0);
        assert_eq!(r[0].annual_cases, 1200);
        assert_eq!(r[0].towns[0].municipality.name, "Brakel");
        assert_eq!(r[0].towns[0].score, 18000.0);
    }

    #[test]
    fn order_is_by_score_then_name_and_empty_processes_drop_out() {
        let w = RankingWeights::default();
        let r = rank(
            vec![
                input("1", "Zulassung", vec![figures("Brakel", 10, 10, 0.0)]),
                input("2", "Anmeldung", vec![figures("Brakel", 10, 10, 0.0)]),
                input("3", "Bauantrag", vec![figures("Brakel", 100, 10, 0.5)]),
                input("4", "Ohne Zahlen", vec![]),
            ],
            &w,
        );
        let names: Vec<&str> = r.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Bauantrag", "Anmeldung", "Zulassung"]);
        assert_eq!(r.iter().map(|c| c.rank).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn weights_are_exponents() {
        // Many short cases vs. few long ones: equal with default weights...
        let a = || input("a", "Viele kurze", vec![figures("Brakel", 1000, 6, 0.0)]);
        let b = || input("b", "Wenige lange", vec![figures("Brakel", 100, 60, 0.0)]);
        let r = rank(vec![a(), b()], &RankingWeights::default());
        assert_eq!(r[0].score, r[1].score);
        assert_eq!(r[0].name, "Viele kurze", "a tie is ordered by name");
        // ...minutes squared puts the long cases first.
        let w = RankingWeights {
            weight_minutes: 2.0,
            ..RankingWeights::default()
        };
        let r = rank(vec![a(), b()], &w);
        assert_eq!(r[0].name, "Wenige lange");
        assert_eq!(r[0].score, 360000.0);
        // Weight 0 leaves the online share out: a fully online service still counts.
        let w = RankingWeights {
            weight_offline: 0.0,
            ..RankingWeights::default()
        };
        assert_eq!(town_score(10, 3, 1.0, &w), 30.0);
        assert_eq!(town_score(10, 3, 1.0, &RankingWeights::default()), 0.0);
    }

    #[test]
    fn weights_outside_the_range_are_refused_in_german() {
        let q = |c: Option<f64>, o: Option<f64>| CandidateQuery {
            year: None,
            weight_cases: c,
            weight_minutes: None,
            weight_offline: o,
            district_id: None,
            page: None,
            limit: None,
        };
        assert!(check_weights(&q(None, None)).unwrap().is_default());
        assert_eq!(
            check_weights(&q(Some(2.5), None)).unwrap().weight_cases,
            2.5
        );
        match check_weights(&q(Some(-1.0), Some(f64::NAN))) {
            Err(AppError::InvalidQuery(e)) => {
                let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(fields, ["weight_cases", "weight_offline"]);
                assert!(e[0].message.contains("von 0 bis 3"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn profile_values_are_checked_with_field_names() {
        let ok = ProfileInput {
            annual_cases: 1200,
            minutes_per_case: 25,
            staff_fte_hundredths: 150,
            online_share_percent: None,
        };
        assert_eq!(
            check_profile(&ok).map_err(|e| e.0).unwrap().annual_cases,
            1200
        );
        let bad = ProfileInput {
            annual_cases: -1,
            minutes_per_case: 100_001,
            staff_fte_hundredths: 0,
            online_share_percent: Some(101),
        };
        let e = check_profile(&bad).unwrap_err().0;
        let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["annual_cases", "minutes_per_case", "online_share_percent"]
        );
        assert!(e[0].message.contains("10.000.000"), "{}", e[0].message);
        assert!(e[2].message.contains("Prozent"));
        assert!(check_year("year", 1999).is_err());
        assert_eq!(check_year("year", 2025).unwrap(), 2025);
    }

    #[test]
    fn the_lead_town_is_chosen_and_partners_are_the_others() {
        let i = |towns: &[&str], lead: Option<&str>| ProjectDraftInput {
            municipality_ids: towns.iter().map(|s| s.to_string()).collect(),
            lead_municipality_id: lead.map(str::to_string),
        };
        let (lead, partners) =
            draft_towns(&i(&["a", "b", "b", "c"], None), Some("b"), None).unwrap();
        assert_eq!(
            (lead.as_str(), partners),
            ("b", vec!["a".to_string(), "c".into()])
        );
        let (lead, _) = draft_towns(&i(&["a", "c"], None), Some("x"), Some("c")).unwrap();
        assert_eq!(lead, "c");
        let (lead, _) = draft_towns(&i(&["a", "c"], None), None, None).unwrap();
        assert_eq!(lead, "a");
        let (lead, partners) = draft_towns(&i(&["a", "c"], Some("c")), Some("a"), None).unwrap();
        assert_eq!((lead.as_str(), partners), ("c", vec!["a".to_string()]));
        assert!(draft_towns(&i(&["a"], Some("z")), None, None).is_err());
        assert!(draft_towns(&i(&[], None), None, None).is_err());
    }

    #[test]
    fn the_description_names_the_keys() {
        let d = draft_description(
            "Hundesteuer anmelden",
            Some("99012345012000"),
            Some(123),
            Some(2025),
            &[
                ("Brakel".into(), Some((1200, 15, 0.25))),
                ("Warburg".into(), None),
            ],
        );
        assert!(d.contains("LeiKa-Leistungsschlüssel: 99012345012000"));
        assert!(d.contains("OZG-ID: 123"));
        assert!(d.contains("Brakel: 1.200 Fälle im Jahr, 15 Minuten je Fall, Onlinequote 25,0 %"));
        assert!(draft_summary(&"x".repeat(600), 2).chars().count() <= 500);
    }
}
