//! CSV import of reference data. Every import runs in one transaction: a
//! malformed file changes nothing and the error names the bad line.
use std::collections::HashMap;

use diesel::prelude::*;
use serde::Deserialize;

use crate::db::schema::{
    districts, lebenslagen, leika_services, municipalities, ozg_services, themenfelder,
};
use crate::db::{new_id, now, DbConn};
use crate::error::AppError;
use crate::orgs::model::{Ags, DistrictKey};

/// The kinds of file `digitalnetzwerk import <kind> <file>` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    Municipalities,
    Themenfelder,
    Lebenslagen,
    OzgServices,
    Leika,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("Zeile {line}: {message}")]
    Line { line: u64, message: String },
    #[error("{0}")]
    File(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::App(e.into())
    }
}

/// Reference data shipped inside the binary (copied from `data/reference/`).
pub mod bundled {
    pub const MUNICIPALITIES: &str =
        include_str!("../../data/reference/hoexter_municipalities.csv");
    pub const THEMENFELDER: &str = include_str!("../../data/reference/themenfelder.csv");
    pub const LEBENSLAGEN: &str = include_str!("../../data/reference/lebenslagen.csv");
    pub const OZG_SERVICES: &str = include_str!("../../data/reference/ozg_leistungen.csv");
    pub const LEIKA: &str = include_str!("../../data/reference/leika_leistungen.csv");
    pub const EFA_SERVICES: &str = include_str!("../../data/reference/efa_services.csv");
    pub const FUNDING_PROGRAMMES: &str =
        include_str!("../../data/reference/funding_programmes.csv");
}

/// Parses every record first (so a bad line is found before anything is written).
fn parse<T: for<'de> Deserialize<'de>>(content: &str) -> Result<Vec<(u64, T)>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(content.as_bytes());
    let mut out = Vec::new();
    for result in reader.deserialize::<T>() {
        match result {
            Ok(rec) => {
                let line = out.len() as u64 + 2;
                out.push((line, rec));
            }
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| p.line())
                    .unwrap_or(out.len() as u64 + 2);
                let message = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => match err.field() {
                        Some(i) => format!("Spalte {}: {}", i + 1, err.kind()),
                        None => err.to_string(),
                    },
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("{len} Spalten statt {expected_len}")
                    }
                    _ => e.to_string(),
                };
                return Err(ImportError::Line { line, message });
            }
        }
    }
    if out.is_empty() {
        return Err(ImportError::File(
            "Die Datei enthält keine Datenzeilen.".into(),
        ));
    }
    Ok(out)
}

fn bad(line: u64, message: impl Into<String>) -> ImportError {
    ImportError::Line {
        line,
        message: message.into(),
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Runs an import of `kind` in one transaction and returns the number of rows read.
pub fn run(conn: &mut DbConn, kind: ImportKind, content: &str) -> Result<usize, ImportError> {
    crate::db::write_transaction(conn, |conn| match kind {
        ImportKind::Municipalities => import_municipalities(conn, content),
        ImportKind::Themenfelder => import_themenfelder(conn, content),
        ImportKind::Lebenslagen => import_lebenslagen(conn, content),
        ImportKind::OzgServices => import_ozg(conn, content),
        ImportKind::Leika => import_leika(conn, content),
    })
}

/// Imports the whole bundled catalogue and the towns of Kreis Höxter.
pub fn import_bundled(conn: &mut DbConn) -> Result<(), ImportError> {
    run(conn, ImportKind::Themenfelder, bundled::THEMENFELDER)?;
    run(conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN)?;
    run(conn, ImportKind::OzgServices, bundled::OZG_SERVICES)?;
    run(conn, ImportKind::Leika, bundled::LEIKA)?;
    run(conn, ImportKind::Municipalities, bundled::MUNICIPALITIES)?;
    Ok(())
}

#[derive(Deserialize)]
struct MunicipalityRecord {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    ags: String,
    kreis_schluessel: String,
    #[serde(default)]
    population: String,
    #[serde(default)]
    website: String,
}

/// Suffix of the pseudo-AGS given to a district administration. Not an official
/// AGS: a Kreis has only its 5-digit key, and the district administration needs an 8-digit one here.
pub const DISTRICT_ADMINISTRATION_SUFFIX: &str = "000";

fn import_municipalities(conn: &mut DbConn, content: &str) -> Result<usize, ImportError> {
    let records = parse::<MunicipalityRecord>(content)?;
    let t = now();
    for (line, r) in &records {
        let key = DistrictKey::parse(&r.kreis_schluessel)
            .map_err(|m| bad(*line, format!("kreis_schluessel: {m}")))?;
        let population = match opt(&r.population) {
            Some(p) => Some(
                p.parse::<i32>()
                    .map_err(|_| bad(*line, "population ist keine ganze Zahl"))?,
            ),
            None => None,
        };
        if r.name.trim().is_empty() {
            return Err(bad(*line, "name fehlt"));
        }
        let district_id = ensure_district(conn, key.as_str(), &r.name, r.kind == "Kreis")?;
        let (ags, name, kind) = if r.kind == "Kreis" {
            let ags = format!("{}{}", key.as_str(), DISTRICT_ADMINISTRATION_SUFFIX);
            (
                ags,
                format!(
                    "Kreisverwaltung {}",
                    r.name.trim().trim_start_matches("Kreis ")
                ),
                "district_administration",
            )
        } else {
            let ags = Ags::parse(&r.ags).map_err(|m| bad(*line, format!("ags: {m}")))?;
            if !ags.belongs_to(key.as_str()) {
                return Err(bad(
                    *line,
                    format!(
                        "ags {} beginnt nicht mit dem Kreisschlüssel {}",
                        ags.as_str(),
                        key.as_str()
                    ),
                ));
            }
            let kind = if r.kind.contains("Stadt") {
                "town"
            } else {
                "municipality"
            };
            (ags.as_str().to_string(), r.name.trim().to_string(), kind)
        };
        let existing: Option<String> = municipalities::table
            .filter(municipalities::ags.eq(&ags))
            .select(municipalities::id)
            .first(conn)
            .optional()?;
        match existing {
            Some(id) => {
                diesel::update(municipalities::table.find(id))
                    .set((
                        municipalities::name.eq(&name),
                        municipalities::kind.eq(kind),
                        municipalities::population.eq(population),
                        municipalities::website.eq(opt(&r.website)),
                        municipalities::updated_at.eq(t),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(municipalities::table)
                    .values((
                        municipalities::id.eq(new_id()),
                        municipalities::district_id.eq(&district_id),
                        municipalities::ags.eq(&ags),
                        municipalities::name.eq(&name),
                        municipalities::kind.eq(kind),
                        municipalities::population.eq(population),
                        municipalities::website.eq(opt(&r.website)),
                        municipalities::version.eq(1),
                        municipalities::created_at.eq(t),
                        municipalities::updated_at.eq(t),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(records.len())
}

fn ensure_district(
    conn: &mut DbConn,
    key: &str,
    name: &str,
    is_kreis_row: bool,
) -> Result<String, ImportError> {
    let existing: Option<String> = districts::table
        .filter(districts::key.eq(key))
        .select(districts::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let t = now();
    let id = new_id();
    let name = if is_kreis_row {
        name.trim().to_string()
    } else {
        format!("Kreis {key}")
    };
    diesel::insert_into(districts::table)
        .values((
            districts::id.eq(&id),
            districts::key.eq(key),
            districts::name.eq(name),
            districts::version.eq(1),
            districts::created_at.eq(t),
            districts::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(id)
}

#[derive(Deserialize)]
struct ThemenfeldRecord {
    themenfeld_id_in_source: i32,
    themenfeld: String,
    #[serde(default)]
    federfuehrendes_land: String,
    #[serde(default)]
    federfuehrung_note: String,
}

fn import_themenfelder(conn: &mut DbConn, content: &str) -> Result<usize, ImportError> {
    let records = parse::<ThemenfeldRecord>(content)?;
    for (line, r) in &records {
        if r.themenfeld.is_empty() {
            return Err(bad(*line, "themenfeld fehlt"));
        }
        let exists: i64 = themenfelder::table
            .find(r.themenfeld_id_in_source)
            .count()
            .get_result(conn)?;
        if exists > 0 {
            diesel::update(themenfelder::table.find(r.themenfeld_id_in_source))
                .set((
                    themenfelder::name.eq(&r.themenfeld),
                    themenfelder::lead_state.eq(opt(&r.federfuehrendes_land)),
                    themenfelder::lead_note.eq(opt(&r.federfuehrung_note)),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(themenfelder::table)
                .values((
                    themenfelder::id.eq(r.themenfeld_id_in_source),
                    themenfelder::name.eq(&r.themenfeld),
                    themenfelder::lead_state.eq(opt(&r.federfuehrendes_land)),
                    themenfelder::lead_note.eq(opt(&r.federfuehrung_note)),
                ))
                .execute(conn)?;
        }
    }
    Ok(records.len())
}

fn themenfeld_ids(conn: &mut DbConn) -> Result<HashMap<String, i32>, ImportError> {
    let rows: Vec<(i32, String)> = themenfelder::table
        .select((themenfelder::id, themenfelder::name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, name)| (name, id)).collect())
}

#[derive(Deserialize)]
struct LebenslageRecord {
    lebenslage_id_in_source: i32,
    lebenslage_oder_unternehmenslage: String,
    themenfeld: String,
}

fn import_lebenslagen(conn: &mut DbConn, content: &str) -> Result<usize, ImportError> {
    let records = parse::<LebenslageRecord>(content)?;
    let tf = themenfeld_ids(conn)?;
    for (line, r) in &records {
        let Some(&tid) = tf.get(&r.themenfeld) else {
            return Err(bad(
                *line,
                format!(
                    "unbekanntes Themenfeld \"{}\" (erst Themenfelder importieren)",
                    r.themenfeld
                ),
            ));
        };
        let exists: i64 = lebenslagen::table
            .find(r.lebenslage_id_in_source)
            .count()
            .get_result(conn)?;
        if exists > 0 {
            diesel::update(lebenslagen::table.find(r.lebenslage_id_in_source))
                .set((
                    lebenslagen::name.eq(&r.lebenslage_oder_unternehmenslage),
                    lebenslagen::themenfeld_id.eq(tid),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(lebenslagen::table)
                .values((
                    lebenslagen::id.eq(r.lebenslage_id_in_source),
                    lebenslagen::name.eq(&r.lebenslage_oder_unternehmenslage),
                    lebenslagen::themenfeld_id.eq(tid),
                ))
                .execute(conn)?;
        }
    }
    Ok(records.len())
}

#[derive(Deserialize)]
struct OzgRecord {
    ozg_id: i32,
    name: String,
    themenfeld: String,
    #[serde(default)]
    lebenslage_oder_unternehmenslage: String,
    #[serde(default)]
    anzahl_leika_leistungen_in_source: Option<i32>,
}

fn import_ozg(conn: &mut DbConn, content: &str) -> Result<usize, ImportError> {
    let records = parse::<OzgRecord>(content)?;
    let tf = themenfeld_ids(conn)?;
    let ll: Vec<(i32, String, i32)> = lebenslagen::table
        .select((
            lebenslagen::id,
            lebenslagen::name,
            lebenslagen::themenfeld_id,
        ))
        .load(conn)?;
    let ll: HashMap<(i32, String), i32> = ll
        .into_iter()
        .map(|(id, name, t)| ((t, name), id))
        .collect();
    let existing: std::collections::HashSet<i32> = ozg_services::table
        .select(ozg_services::ozg_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    for (line, r) in &records {
        if !(10000..=99999).contains(&r.ozg_id) {
            return Err(bad(*line, format!("ozg_id {} ist keine OZG-ID", r.ozg_id)));
        }
        if r.name.is_empty() {
            return Err(bad(*line, "name fehlt"));
        }
        let Some(&tid) = tf.get(&r.themenfeld) else {
            return Err(bad(
                *line,
                format!("unbekanntes Themenfeld \"{}\"", r.themenfeld),
            ));
        };
        let lid = ll
            .get(&(tid, r.lebenslage_oder_unternehmenslage.clone()))
            .copied();
        let count = r.anzahl_leika_leistungen_in_source.unwrap_or(0);
        if existing.contains(&r.ozg_id) {
            diesel::update(ozg_services::table.find(r.ozg_id))
                .set((
                    ozg_services::name.eq(&r.name),
                    ozg_services::themenfeld_id.eq(tid),
                    ozg_services::lebenslage_id.eq(lid),
                    ozg_services::leika_count.eq(count),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(ozg_services::table)
                .values((
                    ozg_services::ozg_id.eq(r.ozg_id),
                    ozg_services::name.eq(&r.name),
                    ozg_services::themenfeld_id.eq(tid),
                    ozg_services::lebenslage_id.eq(lid),
                    ozg_services::leika_count.eq(count),
                ))
                .execute(conn)?;
        }
    }
    Ok(records.len())
}

#[derive(Deserialize)]
struct LeikaRecord {
    leika_schluessel: String,
    name: String,
    #[serde(default)]
    leika_typisierung: String,
    #[serde(default)]
    ozg_id: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = leika_services)]
struct NewLeika {
    id: i32,
    leika_key: Option<String>,
    name: String,
    typisierung: Option<String>,
    ozg_id: Option<i32>,
}

fn import_leika(conn: &mut DbConn, content: &str) -> Result<usize, ImportError> {
    let records = parse::<LeikaRecord>(content)?;
    let known: std::collections::HashSet<i32> = ozg_services::table
        .select(ozg_services::ozg_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    let mut rows = Vec::with_capacity(records.len());
    for (i, (line, r)) in records.iter().enumerate() {
        let key = match r.leika_schluessel.as_str() {
            "nicht im LeiKa" | "" => None,
            k if k.len() == 14 && k.bytes().all(|b| b.is_ascii_digit()) => Some(k.to_string()),
            k => {
                return Err(bad(
                    *line,
                    format!("leika_schluessel \"{k}\" hat nicht 14 Ziffern"),
                ))
            }
        };
        if r.name.is_empty() {
            return Err(bad(*line, "name fehlt"));
        }
        if let Some(o) = r.ozg_id {
            if !known.contains(&o) {
                return Err(bad(
                    *line,
                    format!("unbekannte ozg_id {o} (erst OZG-Leistungen importieren)"),
                ));
            }
        }
        rows.push(NewLeika {
            id: i as i32 + 1,
            leika_key: key,
            name: r.name.clone(),
            typisierung: opt(&r.leika_typisierung),
            ozg_id: r.ozg_id,
        });
    }
    // Nothing refers to LeiKa rows, so the catalogue is replaced as a whole.
    diesel::delete(leika_services::table).execute(conn)?;
    // Multi-row inserts are not available through the connection enum, so dispatch per backend.
    for chunk in rows.chunks(500) {
        match conn {
            DbConn::Pg(c) => diesel::insert_into(leika_services::table)
                .values(chunk)
                .execute(c)?,
            DbConn::Sqlite(c) => diesel::insert_into(leika_services::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(records.len())
}
