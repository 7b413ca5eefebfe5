//! Continuity sheets (Notfallkarten) per process and town: criticality, tolerable
//! outage, the fallback (paper, manual procedure or a partner town), contacts and
//! systems; their confirmation, the exercises (also in the ICS feed), the offline export's
//! data and the quarterly reminder in the digest.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::offline::OfflineSheet;
use super::profiles::{district_town, readable_head, ProcessHead, HEAD};
use crate::audit::{self, Entry};
use crate::auth::model::{Actor, Role};
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    continuity_exercises, continuity_sheets, districts, municipalities, processes,
};
use crate::db::{new_id, now, utc, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::projects::model::TownRef;
use crate::users::model::UserRow;

// ---- Types and rules (pure) ----

/// Contacts not confirmed for longer than this are due again (the quarterly reminder).
pub const CONFIRM_EVERY_DAYS: i64 = 90;
pub const MAX_OUTAGE_HOURS: i64 = 8760;
pub const MAX_TEXT: usize = 5000;
pub const MAX_NOTE: usize = 2000;

/// How bad an outage is: A = critical (at once), B = important, C = can wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Criticality {
    A,
    B,
    C,
}

impl Criticality {
    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::A => "A",
            Criticality::B => "B",
            Criticality::C => "C",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "A" => Some(Criticality::A),
            "B" => Some(Criticality::B),
            "C" => Some(Criticality::C),
            _ => None,
        }
    }
    pub fn label_de(self) -> &'static str {
        match self {
            Criticality::A => "A – kritisch",
            Criticality::B => "B – wichtig",
            Criticality::C => "C – aufschiebbar",
        }
    }
}

/// The fallback while the process's IT is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FallbackKind {
    /// A paper form.
    Paper,
    /// A manual procedure.
    Manual,
    /// A partner town steps in by agreement.
    Partner,
}

impl FallbackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FallbackKind::Paper => "paper",
            FallbackKind::Manual => "manual",
            FallbackKind::Partner => "partner",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "paper" => Some(FallbackKind::Paper),
            "manual" => Some(FallbackKind::Manual),
            "partner" => Some(FallbackKind::Partner),
            _ => None,
        }
    }
    pub fn label_de(self) -> &'static str {
        match self {
            FallbackKind::Paper => "Papierformular",
            FallbackKind::Manual => "Manuelles Verfahren",
            FallbackKind::Partner => "Partnerkommune springt ein",
        }
    }
}

/// `PUT /processes/{id}/continuity/{municipality_id}` (with `If-Match`; `"0"` creates).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContinuityInput {
    /// `A`, `B` or `C`.
    pub criticality: String,
    /// The longest tolerable outage in hours (1–8760).
    pub max_outage_hours: i64,
    /// `paper`, `manual` or `partner`.
    pub fallback_kind: String,
    /// What happens instead (the paper form, the manual steps, the agreement).
    #[serde(default)]
    pub fallback: String,
    /// The town that steps in; required for `partner`, otherwise empty.
    #[serde(default)]
    pub partner_municipality_id: Option<String>,
    /// Who to call (names, phone numbers; one per line).
    #[serde(default)]
    pub contacts: String,
    /// The systems the process needs (Fachverfahren, network, printers).
    #[serde(default)]
    pub systems: String,
}

/// Checked values of a [`ContinuityInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinuityValues {
    pub criticality: Criticality,
    pub max_outage_hours: i32,
    pub fallback_kind: FallbackKind,
    pub fallback: String,
    pub partner_municipality_id: Option<String>,
    pub contacts: String,
    pub systems: String,
}

/// What the database says about the named partner town: `None` when it does not exist,
/// else its district.
pub type PartnerDistrict<'a> = Option<&'a str>;

fn text(e: &mut Errors, field: &str, v: &str, max: usize) -> String {
    let t = v.trim();
    let n = t.chars().count();
    if n > max {
        e.push(field, format!("Höchstens {max} Zeichen (jetzt {n})."));
    }
    t.to_string()
}

/// Checks a sheet of `town` in `district` (German messages with field names).
pub fn check_sheet(
    input: &ContinuityInput,
    town: &str,
    district: &str,
    partner_district: PartnerDistrict,
) -> Result<ContinuityValues, Errors> {
    let mut e = Errors::new();
    let criticality = Criticality::parse(&input.criticality);
    if criticality.is_none() {
        e.push(
            "criticality",
            "Bitte die Kritikalität A (kritisch), B (wichtig) oder C (aufschiebbar) wählen.",
        );
    }
    if !(1..=MAX_OUTAGE_HOURS).contains(&input.max_outage_hours) {
        e.push(
            "max_outage_hours",
            "Bitte die maximal tolerierbare Ausfallzeit in Stunden angeben: eine ganze Zahl von 1 bis 8760 (ein Jahr).",
        );
    }
    let fallback_kind = FallbackKind::parse(&input.fallback_kind);
    if fallback_kind.is_none() {
        e.push(
            "fallback_kind",
            "Bitte die Ausweichlösung wählen: Papierformular (paper), manuelles Verfahren (manual) oder Partnerkommune (partner).",
        );
    }
    let partner = input
        .partner_municipality_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    match (fallback_kind, &partner) {
        (Some(FallbackKind::Partner), None) => e.push(
            "partner_municipality_id",
            "Bitte die Partnerkommune wählen, die im Notfall einspringt.",
        ),
        (Some(FallbackKind::Partner), Some(p)) if p == town => e.push(
            "partner_municipality_id",
            "Die Partnerkommune muss eine andere Kommune sein.",
        ),
        (Some(FallbackKind::Partner), Some(_)) => match partner_district {
            None => e.push("partner_municipality_id", "Diese Kommune gibt es nicht."),
            Some(d) if d != district => e.push(
                "partner_municipality_id",
                "Die Partnerkommune muss zum selben Kreis gehören.",
            ),
            Some(_) => {}
        },
        (Some(_), Some(_)) => e.push(
            "partner_municipality_id",
            "Eine Partnerkommune gehört nur zur Ausweichlösung „Partnerkommune“; bitte leer lassen.",
        ),
        _ => {}
    }
    let fallback = text(&mut e, "fallback", &input.fallback, MAX_TEXT);
    let contacts = text(&mut e, "contacts", &input.contacts, MAX_TEXT);
    let systems = text(&mut e, "systems", &input.systems, MAX_TEXT);
    match (criticality, fallback_kind) {
        (Some(criticality), Some(fallback_kind)) if e.0.is_empty() => Ok(ContinuityValues {
            criticality,
            max_outage_hours: input.max_outage_hours as i32,
            fallback_kind,
            fallback,
            partner_municipality_id: partner,
            contacts,
            systems,
        }),
        _ => Err(e),
    }
}

/// Whether contacts confirmed at `confirmed_at` are due again at `now`.
pub fn confirmation_due(confirmed_at: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    match confirmed_at {
        None => true,
        Some(t) => now - t > chrono::Duration::days(CONFIRM_EVERY_DAYS),
    }
}

/// One continuity sheet. A sheet not written yet comes with `version` 0 and `exists` false.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContinuitySheet {
    pub process_id: String,
    pub process_name: String,
    pub municipality: TownRef,
    pub exists: bool,
    pub criticality: Option<Criticality>,
    pub max_outage_hours: Option<i32>,
    pub fallback_kind: Option<FallbackKind>,
    pub fallback: String,
    pub partner_municipality: Option<TownRef>,
    pub contacts: String,
    pub systems: String,
    /// When the contacts were last confirmed.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Not confirmed within the last 90 days (the digest reminds the town's officers).
    pub confirmation_due: bool,
    pub updated_at: Option<DateTime<Utc>>,
    /// May edit, confirm and record exercises (officers of the town, the district's coordinators, admins).
    pub can_edit: bool,
    pub version: i32,
}

/// `POST /processes/{id}/continuity/{municipality_id}/exercises`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExerciseInput {
    /// The day of the exercise (YYYY-MM-DD).
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
}

pub fn check_exercise(input: &ExerciseInput) -> Result<(NaiveDate, String), Errors> {
    let mut e = Errors::new();
    let date = match input.date {
        None => {
            e.push("date", "Bitte das Datum der Übung angeben.");
            None
        }
        Some(d) if !(2000..=2100).contains(&chrono::Datelike::year(&d)) => {
            e.push("date", "Bitte ein Datum zwischen 2000 und 2100 angeben.");
            None
        }
        Some(d) => Some(d),
    };
    let note = text(&mut e, "note", &input.note, MAX_NOTE);
    match date {
        Some(d) if e.0.is_empty() => Ok((d, note)),
        _ => Err(e),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContinuityExercise {
    pub id: String,
    pub process_id: String,
    pub municipality_id: String,
    pub date: NaiveDate,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContinuityExerciseList {
    pub items: Vec<ContinuityExercise>,
    pub can_add: bool,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfflineQuery {
    /// The town whose sheets are exported.
    pub town: String,
}

// ---- Database ----

type SheetRow = (
    String,
    String,
    String,
    i32,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<NaiveDateTime>,
    NaiveDateTime,
    i32,
);

type SheetColumns = (
    continuity_sheets::process_id,
    continuity_sheets::municipality_id,
    continuity_sheets::criticality,
    continuity_sheets::max_outage_hours,
    continuity_sheets::fallback_kind,
    continuity_sheets::fallback,
    continuity_sheets::partner_municipality_id,
    continuity_sheets::contacts,
    continuity_sheets::systems,
    continuity_sheets::confirmed_at,
    continuity_sheets::updated_at,
    continuity_sheets::version,
);

const SHEET: SheetColumns = (
    continuity_sheets::process_id,
    continuity_sheets::municipality_id,
    continuity_sheets::criticality,
    continuity_sheets::max_outage_hours,
    continuity_sheets::fallback_kind,
    continuity_sheets::fallback,
    continuity_sheets::partner_municipality_id,
    continuity_sheets::contacts,
    continuity_sheets::systems,
    continuity_sheets::confirmed_at,
    continuity_sheets::updated_at,
    continuity_sheets::version,
);

/// The process and the town of a sheet, if `actor` may read the sheet (else 404): the
/// process is readable, the town belongs to its district, and the policy lets `actor`
/// read the town's sheets.
fn context(
    conn: &mut DbConn,
    actor: &Actor,
    process_id: &str,
    town_id: &str,
) -> AppResult<(ProcessHead, TownRef)> {
    let head = readable_head(conn, actor, process_id)?;
    let town = district_town(conn, &head.district_id, town_id)?;
    if !policy::can_read_continuity(actor, Scope::new(Some(&head.district_id), Some(&town.id))) {
        return Err(AppError::NotFound);
    }
    Ok((head, town))
}

fn may_edit(actor: &Actor, head: &ProcessHead, town: &TownRef) -> bool {
    policy::can_edit_continuity(actor, Scope::new(Some(&head.district_id), Some(&town.id)))
}

fn town_refs(conn: &mut DbConn, ids: &[String]) -> AppResult<HashMap<String, TownRef>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(municipalities::table
        .filter(municipalities::id.eq_any(ids))
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
        ))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, ags)| (id.clone(), TownRef { id, name, ags }))
        .collect())
}

fn sheet_row(conn: &mut DbConn, process_id: &str, town_id: &str) -> AppResult<Option<SheetRow>> {
    Ok(continuity_sheets::table
        .find((process_id, town_id))
        .select(SHEET)
        .first::<SheetRow>(conn)
        .optional()?)
}

fn sheet_out(
    conn: &mut DbConn,
    actor: &Actor,
    head: &ProcessHead,
    town: TownRef,
    row: Option<SheetRow>,
) -> AppResult<ContinuitySheet> {
    let can_edit = may_edit(actor, head, &town);
    let Some(r) = row else {
        return Ok(ContinuitySheet {
            process_id: head.id.clone(),
            process_name: head.name.clone(),
            municipality: town,
            exists: false,
            criticality: None,
            max_outage_hours: None,
            fallback_kind: None,
            fallback: String::new(),
            partner_municipality: None,
            contacts: String::new(),
            systems: String::new(),
            confirmed_at: None,
            confirmation_due: true,
            updated_at: None,
            can_edit,
            version: 0,
        });
    };
    let partner = match &r.6 {
        Some(p) => town_refs(conn, std::slice::from_ref(p))?.remove(p),
        None => None,
    };
    Ok(ContinuitySheet {
        process_id: head.id.clone(),
        process_name: head.name.clone(),
        municipality: town,
        exists: true,
        criticality: Criticality::parse(&r.2),
        max_outage_hours: Some(r.3),
        fallback_kind: FallbackKind::parse(&r.4),
        fallback: r.5,
        partner_municipality: partner,
        contacts: r.7,
        systems: r.8,
        confirmed_at: r.9.map(utc),
        confirmation_due: confirmation_due(r.9, now()),
        updated_at: Some(utc(r.10)),
        can_edit,
        version: r.11,
    })
}

pub fn get_sheet(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    town_id: String,
) -> AppResult<ContinuitySheet> {
    let (head, town) = context(conn, &actor, &process_id, &town_id)?;
    let row = sheet_row(conn, &head.id, &town.id)?;
    sheet_out(conn, &actor, &head, town, row)
}

/// Writes a sheet: `version` 0 creates it (412 if one exists meanwhile), any other the
/// stored version it is based on (412 when stale).
pub fn put_sheet(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    town_id: String,
    version: i32,
    input: ContinuityInput,
) -> AppResult<ContinuitySheet> {
    let (head, town) = context(conn, &actor, &process_id, &town_id)?;
    if !may_edit(&actor, &head, &town) {
        return Err(AppError::Forbidden);
    }
    let partner_district: Option<String> = match input
        .partner_municipality_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => municipalities::table
            .find(p)
            .select(municipalities::district_id)
            .first(conn)
            .optional()?,
        None => None,
    };
    let v = check_sheet(
        &input,
        &town.id,
        &head.district_id,
        partner_district.as_deref(),
    )
    .map_err(|e| AppError::Validation(e.0))?;
    let t = now();
    let existing = sheet_row(conn, &head.id, &town.id)?;
    match (&existing, version) {
        (None, 0) => {
            diesel::insert_into(continuity_sheets::table)
                .values((
                    continuity_sheets::process_id.eq(&head.id),
                    continuity_sheets::municipality_id.eq(&town.id),
                    continuity_sheets::criticality.eq(v.criticality.as_str()),
                    continuity_sheets::max_outage_hours.eq(v.max_outage_hours),
                    continuity_sheets::fallback_kind.eq(v.fallback_kind.as_str()),
                    continuity_sheets::fallback.eq(&v.fallback),
                    continuity_sheets::partner_municipality_id.eq(&v.partner_municipality_id),
                    continuity_sheets::contacts.eq(&v.contacts),
                    continuity_sheets::systems.eq(&v.systems),
                    continuity_sheets::confirmed_at.eq(None::<NaiveDateTime>),
                    continuity_sheets::updated_by.eq(Some(&actor.id)),
                    continuity_sheets::updated_at.eq(t),
                    continuity_sheets::version.eq(1),
                ))
                .execute(conn)?;
        }
        (Some(_), v0) if v0 > 0 => {
            let n = diesel::update(
                continuity_sheets::table
                    .find((&head.id, &town.id))
                    .filter(continuity_sheets::version.eq(v0)),
            )
            .set((
                continuity_sheets::criticality.eq(v.criticality.as_str()),
                continuity_sheets::max_outage_hours.eq(v.max_outage_hours),
                continuity_sheets::fallback_kind.eq(v.fallback_kind.as_str()),
                continuity_sheets::fallback.eq(&v.fallback),
                continuity_sheets::partner_municipality_id.eq(&v.partner_municipality_id),
                continuity_sheets::contacts.eq(&v.contacts),
                continuity_sheets::systems.eq(&v.systems),
                continuity_sheets::updated_by.eq(Some(&actor.id)),
                continuity_sheets::updated_at.eq(t),
                continuity_sheets::version.eq(continuity_sheets::version + 1),
            ))
            .execute(conn)?;
            if n == 0 {
                return Err(AppError::PreconditionFailed);
            }
        }
        _ => return Err(AppError::PreconditionFailed),
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.continuity_update",
            object_type: "process",
            object_id: &head.id,
            district_id: Some(&head.district_id),
            municipality_id: Some(&town.id),
            summary: json!({
                "name": head.name,
                "criticality": v.criticality.as_str(),
                "max_outage_hours": v.max_outage_hours,
                "fallback_kind": v.fallback_kind.as_str(),
            }),
        },
    )?;
    let row = sheet_row(conn, &head.id, &town.id)?;
    sheet_out(conn, &actor, &head, town, row)
}

/// The town confirms that the sheet's contacts are current.
pub fn confirm_sheet(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    town_id: String,
) -> AppResult<ContinuitySheet> {
    let (head, town) = context(conn, &actor, &process_id, &town_id)?;
    if !may_edit(&actor, &head, &town) {
        return Err(AppError::Forbidden);
    }
    let n = diesel::update(continuity_sheets::table.find((&head.id, &town.id)))
        .set((
            continuity_sheets::confirmed_at.eq(Some(now())),
            continuity_sheets::version.eq(continuity_sheets::version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::Conflict(
            "Diese Notfallkarte ist noch nicht gespeichert; bitte zuerst ausfüllen und speichern."
                .into(),
        ));
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.continuity_confirm",
            object_type: "process",
            object_id: &head.id,
            district_id: Some(&head.district_id),
            municipality_id: Some(&town.id),
            summary: json!({"name": head.name}),
        },
    )?;
    let row = sheet_row(conn, &head.id, &town.id)?;
    sheet_out(conn, &actor, &head, town, row)
}

type ExerciseRow = (String, String, String, NaiveDate, String, NaiveDateTime);

fn exercise_out(r: ExerciseRow) -> ContinuityExercise {
    ContinuityExercise {
        id: r.0,
        process_id: r.1,
        municipality_id: r.2,
        date: r.3,
        note: r.4,
        created_at: utc(r.5),
    }
}

const EXERCISE: (
    continuity_exercises::id,
    continuity_exercises::process_id,
    continuity_exercises::municipality_id,
    continuity_exercises::date,
    continuity_exercises::note,
    continuity_exercises::created_at,
) = (
    continuity_exercises::id,
    continuity_exercises::process_id,
    continuity_exercises::municipality_id,
    continuity_exercises::date,
    continuity_exercises::note,
    continuity_exercises::created_at,
);

pub fn list_exercises(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    town_id: String,
) -> AppResult<ContinuityExerciseList> {
    let (head, town) = context(conn, &actor, &process_id, &town_id)?;
    let items = continuity_exercises::table
        .filter(continuity_exercises::process_id.eq(&head.id))
        .filter(continuity_exercises::municipality_id.eq(&town.id))
        .select(EXERCISE)
        .order((
            continuity_exercises::date.desc(),
            continuity_exercises::id.desc(),
        ))
        .load::<ExerciseRow>(conn)?
        .into_iter()
        .map(exercise_out)
        .collect();
    Ok(ContinuityExerciseList {
        items,
        can_add: may_edit(&actor, &head, &town),
    })
}

pub fn create_exercise(
    conn: &mut DbConn,
    actor: Actor,
    process_id: String,
    town_id: String,
    input: ExerciseInput,
) -> AppResult<ContinuityExercise> {
    let (head, town) = context(conn, &actor, &process_id, &town_id)?;
    if !may_edit(&actor, &head, &town) {
        return Err(AppError::Forbidden);
    }
    let (date, note) = check_exercise(&input).map_err(|e| AppError::Validation(e.0))?;
    let id = new_id();
    let t = now();
    diesel::insert_into(continuity_exercises::table)
        .values((
            continuity_exercises::id.eq(&id),
            continuity_exercises::process_id.eq(&head.id),
            continuity_exercises::municipality_id.eq(&town.id),
            continuity_exercises::date.eq(date),
            continuity_exercises::note.eq(&note),
            continuity_exercises::created_by.eq(Some(&actor.id)),
            continuity_exercises::created_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.exercise_create",
            object_type: "process",
            object_id: &head.id,
            district_id: Some(&head.district_id),
            municipality_id: Some(&town.id),
            summary: json!({"name": head.name, "date": date.to_string()}),
        },
    )?;
    Ok(ContinuityExercise {
        id,
        process_id: head.id,
        municipality_id: town.id,
        date,
        note,
        created_at: utc(t),
    })
}

/// The offline export of `town_id`: (town name, the HTML file). 404 unless the caller
/// may read the town's sheets; only sheets of processes the caller may read. Four queries.
pub fn offline_export(
    conn: &mut DbConn,
    actor: Actor,
    town_id: String,
) -> AppResult<(String, String)> {
    let town: Option<(String, String, String)> = municipalities::table
        .inner_join(districts::table)
        .filter(municipalities::id.eq(&town_id))
        .select((
            municipalities::name,
            municipalities::district_id,
            districts::name,
        ))
        .first(conn)
        .optional()?;
    let Some((town_name, district_id, district_name)) = town else {
        return Err(AppError::NotFound);
    };
    if !policy::can_read_continuity(&actor, Scope::new(Some(&district_id), Some(&town_id))) {
        return Err(AppError::NotFound);
    }
    let rows: Vec<(SheetRow, ProcessHead)> = continuity_sheets::table
        .inner_join(processes::table)
        .filter(continuity_sheets::municipality_id.eq(&town_id))
        .select((SHEET, HEAD))
        .load(conn)?;
    let rows: Vec<(SheetRow, ProcessHead)> = rows
        .into_iter()
        .filter(|(_, h)| h.readable_by(&actor))
        .collect();
    let partner_ids: Vec<String> = rows.iter().filter_map(|(r, _)| r.6.clone()).collect();
    let partners = town_refs(conn, &partner_ids)?;
    let mut exercises: HashMap<String, Vec<(NaiveDate, String)>> = HashMap::new();
    for (pid, date, note) in continuity_exercises::table
        .filter(continuity_exercises::municipality_id.eq(&town_id))
        .select((
            continuity_exercises::process_id,
            continuity_exercises::date,
            continuity_exercises::note,
        ))
        .order(continuity_exercises::date.desc())
        .load::<(String, NaiveDate, String)>(conn)?
    {
        exercises.entry(pid).or_default().push((date, note));
    }
    let mut sheets: Vec<OfflineSheet> = rows
        .into_iter()
        .map(|(r, h)| OfflineSheet {
            exercises: exercises.remove(&h.id).unwrap_or_default(),
            process_id: h.id,
            process_name: h.name,
            leika_key: h.leika_key,
            criticality: Criticality::parse(&r.2).unwrap_or(Criticality::C),
            max_outage_hours: r.3,
            fallback_kind: FallbackKind::parse(&r.4).unwrap_or(FallbackKind::Manual),
            fallback: r.5,
            partner_name: r
                .6
                .as_ref()
                .and_then(|p| partners.get(p))
                .map(|t| t.name.clone()),
            contacts: r.7,
            systems: r.8,
            confirmed_at: r.9,
            updated_at: r.10,
        })
        .collect();
    sheets.sort_by(|a, b| {
        a.criticality
            .as_str()
            .cmp(b.criticality.as_str())
            .then_with(|| {
                a.process_name
                    .to_lowercase()
                    .cmp(&b.process_name.to_lowercase())
            })
            .then_with(|| a.process_id.cmp(&b.process_id))
    });
    let html = super::offline::render(&town_name, &district_name, now(), &sheets);
    Ok((town_name, html))
}

/// The exercises in `user`'s calendar feed: their town's (officers and members), or every
/// town's of their district (coordinators); only where they may read the sheet and the process.
pub fn calendar_entries(
    conn: &mut DbConn,
    user: &UserRow,
    public_url: &str,
) -> AppResult<Vec<crate::funding::ics::Entry>> {
    let actor = user.actor();
    let mut q = continuity_exercises::table
        .inner_join(processes::table)
        .inner_join(municipalities::table)
        .into_boxed();
    match (actor.role, &actor.municipality_id, &actor.district_id) {
        (Role::Officer | Role::Member, Some(t), _) => {
            q = q.filter(continuity_exercises::municipality_id.eq(t.clone()));
        }
        (Role::Coordinator, _, Some(d)) => {
            q = q.filter(municipalities::district_id.eq(d.clone()));
        }
        _ => return Ok(vec![]),
    }
    let rows: Vec<(ExerciseRow, ProcessHead, String)> = q
        .select((EXERCISE, HEAD, municipalities::name))
        .order((
            continuity_exercises::date.asc(),
            continuity_exercises::id.asc(),
        ))
        .limit(1000)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(e, h, _)| {
            h.readable_by(&actor)
                && policy::can_read_continuity(&actor, Scope::new(Some(&h.district_id), Some(&e.2)))
        })
        .map(|(e, h, town)| crate::funding::ics::Entry {
            uid: format!("exercise-{}@digitalnetzwerk", e.0),
            summary: format!("Notfallübung: {} ({town})", h.name),
            description: if e.4.is_empty() {
                "Übung zur Notfallkarte".into()
            } else {
                format!("Übung zur Notfallkarte: {}", e.4)
            },
            date: e.3,
            time: None,
            stamp: e.5,
            url: format!("{public_url}/prozesse/{}", h.id),
        })
        .collect())
}

/// The digest block "Notfallkarten bestätigen" for an officer whose town has sheets not
/// confirmed within 90 days (None for everyone else).
#[derive(Debug, Serialize)]
pub struct DigestContinuity {
    pub count: i64,
    pub link: String,
}

pub fn digest_reminder(
    conn: &mut DbConn,
    actor: &Actor,
    public_url: &str,
) -> AppResult<Option<DigestContinuity>> {
    let (Role::Officer, Some(town)) = (actor.role, actor.municipality_id.as_deref()) else {
        return Ok(None);
    };
    let due_before = now() - chrono::Duration::days(CONFIRM_EVERY_DAYS);
    let count: i64 = continuity_sheets::table
        .filter(continuity_sheets::municipality_id.eq(town))
        .filter(
            continuity_sheets::confirmed_at
                .is_null()
                .or(continuity_sheets::confirmed_at.lt(due_before)),
        )
        .count()
        .get_result(conn)?;
    Ok((count > 0).then(|| DigestContinuity {
        count,
        link: format!("{public_url}/prozesse/notfallkarten"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, partner: Option<&str>) -> ContinuityInput {
        ContinuityInput {
            criticality: "A".into(),
            max_outage_hours: 24,
            fallback_kind: kind.into(),
            fallback: " Formular im Schrank ".into(),
            partner_municipality_id: partner.map(str::to_string),
            contacts: "Frau Vogt, 05272 1234".into(),
            systems: "Fachverfahren".into(),
        }
    }

    fn fields(e: Errors) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_good_sheet_passes_and_is_trimmed() {
        let v = check_sheet(&input("paper", None), "brakel", "hx", None)
            .map_err(|e| e.0)
            .unwrap();
        assert_eq!(v.criticality, Criticality::A);
        assert_eq!(v.fallback, "Formular im Schrank");
        let v = check_sheet(
            &input("partner", Some("warburg")),
            "brakel",
            "hx",
            Some("hx"),
        )
        .map_err(|e| e.0)
        .unwrap();
        assert_eq!(v.partner_municipality_id.as_deref(), Some("warburg"));
    }

    #[test]
    fn bad_values_are_named_in_german() {
        let mut i = input("rauchzeichen", None);
        i.criticality = "D".into();
        i.max_outage_hours = 0;
        let e = check_sheet(&i, "brakel", "hx", None).unwrap_err();
        assert!(e.0[0].message.contains("A (kritisch)"));
        assert!(e.0[1].message.contains("1 bis 8760"));
        assert_eq!(
            fields(e),
            ["criticality", "max_outage_hours", "fallback_kind"]
        );
        let mut i = input("paper", None);
        i.max_outage_hours = 8761;
        assert_eq!(
            fields(check_sheet(&i, "b", "hx", None).unwrap_err()),
            ["max_outage_hours"]
        );
    }

    #[test]
    fn the_partner_town_is_another_town_of_the_district() {
        let f = |partner: Option<&str>, district: Option<&str>| {
            check_sheet(&input("partner", partner), "brakel", "hx", district)
                .unwrap_err()
                .0
        };
        assert!(f(None, None)[0].message.contains("Partnerkommune wählen"));
        assert!(f(Some("brakel"), Some("hx"))[0]
            .message
            .contains("andere Kommune"));
        assert!(f(Some("delbrueck"), Some("pb"))[0]
            .message
            .contains("selben Kreis"));
        assert!(f(Some("nirgendwo"), None)[0]
            .message
            .contains("gibt es nicht"));
        let e = check_sheet(
            &input("manual", Some("warburg")),
            "brakel",
            "hx",
            Some("hx"),
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "partner_municipality_id");
    }

    #[test]
    fn confirmation_is_due_after_ninety_days() {
        let now = NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert!(confirmation_due(None, now));
        assert!(!confirmation_due(
            Some(now - chrono::Duration::days(90)),
            now
        ));
        assert!(confirmation_due(
            Some(now - chrono::Duration::days(90) - chrono::Duration::minutes(1)),
            now
        ));
    }

    #[test]
    fn an_exercise_needs_a_date() {
        let e = check_exercise(&ExerciseInput {
            date: None,
            note: String::new(),
        })
        .unwrap_err();
        assert_eq!(e.0[0].field, "date");
        assert!(e.0[0].message.contains("Datum der Übung"));
        let d = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(
            check_exercise(&ExerciseInput {
                date: Some(d),
                note: " Stromausfall ".into()
            })
            .map_err(|e| e.0)
            .unwrap(),
            (d, "Stromausfall".into())
        );
    }
}
