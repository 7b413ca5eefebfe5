//! Types of the process register: rows, API shapes, inputs with their German
//! validation, and the pure rules (visibility values, difference states).
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::bpmn::Activity;
use crate::db::schema::processes;
use crate::error::{AppResult, Errors};
pub use crate::projects::model::{TownRef, Visibility};

pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 4000;
pub const MAX_KNOWLEDGE: usize = 100_000;
pub const MAX_OFFICE: usize = 200;
pub const MAX_REASON: usize = 2000;
/// The most projects one process links.
pub const MAX_LINKS: usize = 50;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = processes)]
pub struct ProcessRow {
    pub id: String,
    pub district_id: String,
    pub owner_municipality_id: Option<String>,
    pub name: String,
    pub leika_key: Option<String>,
    pub ozg_id: Option<i32>,
    pub themenfeld_id: Option<i32>,
    pub legal_basis: String,
    pub forms: String,
    pub it_systems: String,
    pub efa_solution_id: Option<String>,
    pub knowledge: String,
    pub visibility: String,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl ProcessRow {
    pub fn scope(&self) -> crate::auth::policy::Scope<'_> {
        crate::auth::policy::Scope::new(
            Some(&self.district_id),
            self.owner_municipality_id.as_deref(),
        )
    }
}

/// A process in lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessSummary {
    pub id: String,
    pub district_id: String,
    pub name: String,
    pub leika_key: Option<String>,
    pub ozg_id: Option<i32>,
    pub themenfeld_id: Option<i32>,
    pub themenfeld_name: Option<String>,
    /// The town that maintains the reference; `null`: the district itself.
    pub owner: Option<TownRef>,
    pub visibility: Visibility,
    /// The number of reference versions.
    pub reference_versions: i64,
    /// The number of towns with a local variant.
    pub local_variants: i64,
    pub updated_at: DateTime<Utc>,
}

/// A town's responsible office for a process.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessOffice {
    pub municipality: TownRef,
    pub office: String,
    /// Whether the caller may change it.
    pub can_edit: bool,
}

/// A project linked to a process (only those the caller may read are shown).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessProjectLink {
    pub id: String,
    pub title: String,
    pub municipality_name: String,
}

/// A process with everything its page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Process {
    #[serde(flatten)]
    pub summary: ProcessSummary,
    pub legal_basis: String,
    pub forms: String,
    /// Fachverfahren, comma separated.
    pub it_systems: String,
    pub efa_solution_id: Option<String>,
    pub efa_solution_name: Option<String>,
    /// The knowledge page as Markdown …
    pub knowledge: String,
    /// … and as safe HTML.
    pub knowledge_html: String,
    pub offices: Vec<ProcessOffice>,
    pub projects: Vec<ProcessProjectLink>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    /// Whether the caller may edit the process (fields, knowledge page, reference models).
    pub can_edit: bool,
    /// The towns the caller may upload a local variant (and set the office) for.
    pub variant_towns: Vec<TownRef>,
}

/// Create (all required fields) or change (only the fields sent) a process.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ProcessInput)]
pub struct ProcessInput {
    pub name: Option<String>,
    /// The town that maintains the reference (`null`: the district). Only on create.
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub owner_municipality_id: Option<Option<String>>,
    /// The district, for admins (everyone else: their own).
    pub district_id: Option<String>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub leika_key: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<i32>)]
    pub ozg_id: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<i32>)]
    pub themenfeld_id: Option<Option<i32>>,
    pub legal_basis: Option<String>,
    pub forms: Option<String>,
    pub it_systems: Option<String>,
    #[serde(default, deserialize_with = "crate::api::nullable")]
    #[schema(value_type = Option<String>)]
    pub efa_solution_id: Option<Option<String>>,
    /// Markdown.
    pub knowledge: Option<String>,
    pub visibility: Option<Visibility>,
}

/// The checked values of a process.
#[derive(Debug, Clone)]
pub struct ProcessFields {
    pub name: String,
    pub leika_key: Option<String>,
    pub ozg_id: Option<i32>,
    pub themenfeld_id: Option<i32>,
    pub legal_basis: String,
    pub forms: String,
    pub it_systems: String,
    pub efa_solution_id: Option<String>,
    pub knowledge: String,
    pub visibility: Visibility,
}

pub fn is_leika_key(s: &str) -> bool {
    s.len() == 14 && s.chars().all(|c| c.is_ascii_digit())
}

fn too_long(max: usize) -> String {
    format!("Höchstens {max} Zeichen.")
}

impl ProcessFields {
    /// The fields of `input` over `base` (the stored process, or none on create), with
    /// German messages per field. References to other tables are checked in queries.
    pub fn from_input(input: &ProcessInput, base: Option<&ProcessRow>) -> AppResult<Self> {
        let mut e = Errors::new();
        let name = input
            .name
            .clone()
            .or_else(|| base.map(|b| b.name.clone()))
            .unwrap_or_default()
            .trim()
            .to_string();
        if crate::text::check_line(&mut e, "name", &name) {
            if name.chars().count() < 3 {
                e.push(
                    "name",
                    "Bitte einen Namen angeben (Objekt und Verrichtung, z. B. „Hundesteuer anmelden“), mindestens 3 Zeichen.",
                );
            } else if name.chars().count() > MAX_NAME {
                e.push("name", too_long(MAX_NAME));
            }
        }
        let leika_key = match &input.leika_key {
            Some(k) => k
                .as_ref()
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty()),
            None => base.and_then(|b| b.leika_key.clone()),
        };
        if let Some(k) = &leika_key {
            if !is_leika_key(k) {
                e.push(
                    "leika_key",
                    "Der Leistungsschlüssel (LeiKa) hat 14 Ziffern, z. B. 99036011000000.",
                );
            }
        }
        let text = |v: &Option<String>, old: Option<&String>| {
            v.clone()
                .or_else(|| old.cloned())
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        let legal_basis = text(&input.legal_basis, base.map(|b| &b.legal_basis));
        let forms = text(&input.forms, base.map(|b| &b.forms));
        let it_systems = text(&input.it_systems, base.map(|b| &b.it_systems));
        for (field, v) in [
            ("legal_basis", &legal_basis),
            ("forms", &forms),
            ("it_systems", &it_systems),
        ] {
            if v.chars().count() > MAX_TEXT {
                e.push(field, too_long(MAX_TEXT));
            }
        }
        let knowledge = input
            .knowledge
            .clone()
            .or_else(|| base.map(|b| b.knowledge.clone()))
            .unwrap_or_default();
        if knowledge.chars().count() > MAX_KNOWLEDGE {
            e.push("knowledge", too_long(MAX_KNOWLEDGE));
        }
        let pick = |v: &Option<Option<i32>>, old: Option<i32>| match v {
            Some(x) => *x,
            None => old,
        };
        let ozg_id = pick(&input.ozg_id, base.and_then(|b| b.ozg_id));
        let themenfeld_id = pick(&input.themenfeld_id, base.and_then(|b| b.themenfeld_id));
        let efa_solution_id = match &input.efa_solution_id {
            Some(x) => x.clone().filter(|s| !s.is_empty()),
            None => base.and_then(|b| b.efa_solution_id.clone()),
        };
        let visibility = input
            .visibility
            .or_else(|| base.and_then(|b| Visibility::parse(&b.visibility)))
            .unwrap_or_default();
        e.finish()?;
        Ok(ProcessFields {
            name,
            leika_key,
            ozg_id,
            themenfeld_id,
            legal_basis,
            forms,
            it_systems,
            efa_solution_id,
            knowledge,
            visibility,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProcessQuery {
    /// Words in the name, the LeiKa key or the knowledge page.
    pub q: Option<String>,
    /// A Themenfeld id.
    pub themenfeld: Option<i32>,
    /// Processes this town maintains or has an office or a variant for.
    pub town: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The office of a town for a process (empty: remove it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeInput {
    pub office: String,
}

/// The projects a process links (the whole set).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessProjectsInput {
    pub project_ids: Vec<String>,
}

/// `reference` (the district's shared model) or `local` (one town's variant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    Reference,
    Local,
}

impl ModelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Reference => "reference",
            ModelKind::Local => "local",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reference" => Some(ModelKind::Reference),
            "local" => Some(ModelKind::Local),
            _ => None,
        }
    }
}

/// A stored model version (without its XML; `GET …/bpmn` downloads that).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessModel {
    pub id: String,
    pub process_id: String,
    pub kind: ModelKind,
    /// The town of a local variant.
    pub municipality: Option<TownRef>,
    /// 1, 2, … per process, kind and town.
    pub version_no: i32,
    /// The reference version a local variant derives from.
    pub derived_from: Option<String>,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub activities: Vec<Activity>,
    /// The newest version of its kind (and town).
    pub is_current: bool,
    /// Differences against the reference (local variants).
    pub difference_count: i64,
    pub uploaded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessModelList {
    pub items: Vec<ProcessModel>,
}

/// What a town did with a changed step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceState {
    Adopted,
    Adapted,
    OwnProcess,
}

impl DifferenceState {
    pub fn as_str(self) -> &'static str {
        match self {
            DifferenceState::Adopted => "adopted",
            DifferenceState::Adapted => "adapted",
            DifferenceState::OwnProcess => "own_process",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "adopted" => Some(DifferenceState::Adopted),
            "adapted" => Some(DifferenceState::Adapted),
            "own_process" => Some(DifferenceState::OwnProcess),
            _ => None,
        }
    }
}

/// `added`, `removed` or `renamed` against the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
}

impl ChangeKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "added" => Some(ChangeKind::Added),
            "removed" => Some(ChangeKind::Removed),
            "renamed" => Some(ChangeKind::Renamed),
            _ => None,
        }
    }
}

/// One step a local variant changed against its reference.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessDifference {
    pub id: String,
    pub model_id: String,
    pub activity_id: String,
    pub change: ChangeKind,
    pub reference_name: Option<String>,
    pub local_name: Option<String>,
    /// The town's reason.
    pub reason: String,
    pub state: DifferenceState,
    pub updated_at: DateTime<Utc>,
    pub can_edit: bool,
}

/// A town's reason and state for a changed step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DifferenceInput {
    pub reason: String,
    pub state: DifferenceState,
}

impl DifferenceInput {
    pub fn check(&self) -> AppResult<()> {
        let mut e = Errors::new();
        if self.reason.chars().count() > MAX_REASON {
            e.push("reason", too_long(MAX_REASON));
        }
        e.finish()
    }
}

/// A local variant next to the reference version it derives from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessComparison {
    pub reference: ProcessModel,
    pub local: ProcessModel,
    pub differences: Vec<ProcessDifference>,
}

/// "Abweichungen im Kreis": a step of a process and how many towns changed it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessDeviation {
    pub process_id: String,
    pub process_name: String,
    pub activity_id: String,
    /// The step's name in the reference (or in a variant, for added steps).
    pub activity_name: String,
    /// Towns whose current variant changed the step.
    pub towns: i64,
    pub added: i64,
    pub removed: i64,
    pub renamed: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeviationQuery {
    /// The district (admins; everyone else: their own).
    pub district: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// A town's register as CSV (columns Name, Leistungsschlüssel, Amt, Fallzahl, Minuten
/// je Fall), imported all or nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessImportInput {
    pub municipality_id: String,
    /// The year of the case numbers (default: the current year).
    pub year: Option<i32>,
    pub csv: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessImportResult {
    pub rows: i64,
    /// Processes created.
    pub created: i64,
    /// Existing processes (same LeiKa key or name in the district) the rows were added to.
    pub matched: i64,
    /// Profiles (cases, minutes) written for the year.
    pub profiles: i64,
}

/// A process of another town worth a hint ("Wer baut das schon?").
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessHint {
    pub process: ProcessSummary,
    pub score: f64,
    /// `{kind: shared_ozg_service, ozg_id}` or `{kind: similar_words, words}`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<crate::projects::similar::Reason>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessHintList {
    pub items: Vec<ProcessHint>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_fields_in_german() {
        let input = ProcessInput {
            name: Some("x".into()),
            leika_key: Some(Some("123".into())),
            forms: Some("f".repeat(MAX_TEXT + 1)),
            ..Default::default()
        };
        let Err(crate::error::AppError::Validation(errs)) = ProcessFields::from_input(&input, None)
        else {
            panic!("must fail");
        };
        let fields: Vec<&str> = errs.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "leika_key", "forms"]);
        assert!(errs[1].message.contains("14 Ziffern"));
    }

    #[test]
    fn an_edit_keeps_what_it_does_not_send() {
        let input = ProcessInput {
            name: Some("Hundesteuer anmelden".into()),
            leika_key: Some(Some("99036011000000".into())),
            ..Default::default()
        };
        let f = ProcessFields::from_input(&input, None).unwrap();
        assert_eq!(f.visibility, Visibility::District);
        assert_eq!(f.leika_key.as_deref(), Some("99036011000000"));
        for s in ["adopted", "adapted", "own_process"] {
            assert_eq!(DifferenceState::parse(s).unwrap().as_str(), s);
        }
    }
}
