//! The EfA catalogue from the reference data (`efa_services.csv`: eight real services),
//! and demo adoptions of the Höxter towns.
use diesel::prelude::*;
use serde::Deserialize;

use super::model::{AdoptionStatus, ReuseModel, SolutionStatus};
use crate::db::schema::{
    adoption_history, adoptions, efa_solution_ozg, efa_solutions, municipalities, ozg_services,
    themenfelder,
};
use crate::db::{new_id, now, DbConn};
use crate::ozg::import::ImportError;

#[derive(Deserialize)]
struct EfaRecord {
    efa_service_name: String,
    ozg_ids: String,
    themenfeld: String,
    lead_or_developing_state: String,
    lead_body: String,
    implementing_it_provider: String,
    efa_status: String,
    public_url: String,
}

/// What the free-text status of the reference data says, in the catalogue's terms.
fn status_of(text: &str) -> SolutionStatus {
    let t = text.to_lowercase();
    if [
        "nachnutzungsbereit",
        "available",
        "rolled out",
        "roll-out",
        "used by",
        "nachnutzung",
    ]
    .iter()
    .any(|k| t.contains(k))
    {
        SolutionStatus::Available
    } else if t.contains("pilot") {
        SolutionStatus::Pilot
    } else {
        SolutionStatus::Available
    }
}

fn reuse_of(text: &str) -> ReuseModel {
    let t = text.to_lowercase();
    if t.contains("fit-store") {
        ReuseModel::FitStore
    } else if t.contains("state portal") || t.contains("landesportal") {
        ReuseModel::StateService
    } else {
        ReuseModel::Other
    }
}

/// Adds the solutions of the reference file that are not in the catalogue yet (by name).
pub fn import_reference_solutions(conn: &mut DbConn) -> Result<usize, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(crate::ozg::import::bundled::EFA_SERVICES.as_bytes());
    let mut n = 0;
    crate::db::write_transaction(conn, |conn| {
        for (i, rec) in reader.deserialize::<EfaRecord>().enumerate() {
            let r = rec.map_err(|e| ImportError::Line {
                line: i as u64 + 2,
                message: e.to_string(),
            })?;
            let exists: i64 = efa_solutions::table
                .filter(efa_solutions::name.eq(&r.efa_service_name))
                .count()
                .get_result(conn)?;
            if exists > 0 {
                continue;
            }
            let tf: Option<i32> = themenfelder::table
                .filter(themenfelder::name.eq(&r.themenfeld))
                .select(themenfelder::id)
                .first(conn)
                .optional()?;
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            // The reference file's notes are English research notes; users get German text.
            let reuse = reuse_of(&r.efa_status);
            let description = format!(
                "Einer-für-Alle-Onlinedienst{}{}.",
                if r.lead_or_developing_state.trim().is_empty() {
                    String::new()
                } else {
                    format!(
                        ", federführend bzw. entwickelt von {}",
                        r.lead_or_developing_state.trim()
                    )
                },
                if r.themenfeld.trim().is_empty() {
                    String::new()
                } else {
                    format!(" (Themenfeld {})", r.themenfeld.trim())
                },
            );
            let conditions = match reuse {
                ReuseModel::FitStore => "Nachnutzung über den FIT-Store.",
                ReuseModel::StateService => "Angebot des Landes für seine Kommunen (Landesportal).",
                _ => "Nachnutzung nach dem Einer-für-Alle-Prinzip; Bedingungen beim federführenden Land erfragen.",
            };
            let id = new_id();
            let t = now();
            diesel::insert_into(efa_solutions::table)
                .values((
                    efa_solutions::id.eq(&id),
                    efa_solutions::name.eq(&r.efa_service_name),
                    efa_solutions::description.eq(&description),
                    efa_solutions::themenfeld_id.eq(tf),
                    efa_solutions::lead_state.eq(opt(&r.lead_or_developing_state)),
                    efa_solutions::lead_body.eq(opt(&r.lead_body)),
                    efa_solutions::it_provider.eq(opt(&r.implementing_it_provider)),
                    efa_solutions::status.eq(status_of(&r.efa_status).as_str()),
                    efa_solutions::reuse_model.eq(reuse.as_str()),
                    efa_solutions::reuse_conditions.eq(conditions),
                    efa_solutions::requirements.eq(""),
                    efa_solutions::website.eq(opt(&r.public_url)),
                    efa_solutions::contact.eq(None::<String>),
                    efa_solutions::published.eq(true),
                    efa_solutions::created_at.eq(t),
                    efa_solutions::updated_at.eq(t),
                    efa_solutions::version.eq(1),
                ))
                .execute(conn)?;
            for part in r
                .ozg_ids
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let Ok(ozg) = part.parse::<i32>() else {
                    continue;
                };
                let known: i64 = ozg_services::table.find(ozg).count().get_result(conn)?;
                if known > 0 {
                    diesel::insert_into(efa_solution_ozg::table)
                        .values((
                            efa_solution_ozg::solution_id.eq(&id),
                            efa_solution_ozg::ozg_id.eq(ozg),
                        ))
                        .execute(conn)?;
                }
            }
            n += 1;
        }
        Ok(n)
    })
}

/// Demo adoptions: (AGS, solution name starts with, status, note)
const DEMO_ADOPTIONS: &[(&str, &str, AdoptionStatus, &str)] = &[
    (
        "05762016",
        "Elektronische Wohnsitzanmeldung",
        AdoptionStatus::Live,
        "Seit März 2026 in Betrieb, rund 40 % der Umzüge online.",
    ),
    (
        "05762036",
        "Elektronische Wohnsitzanmeldung",
        AdoptionStatus::Evaluating,
        "Prüfung mit dem Fachverfahren Meldewesen.",
    ),
    (
        "05762020",
        "Elektronische Wohnsitzanmeldung",
        AdoptionStatus::RollingOut,
        "",
    ),
    (
        "05762016",
        "Digitale Baugenehmigung",
        AdoptionStatus::Interested,
        "",
    ),
    (
        "05762008",
        "Digitale Baugenehmigung",
        AdoptionStatus::Contracting,
        "Vertrag über den FIT-Store in Vorbereitung.",
    ),
    ("05762004", "Gewerbeanmeldung", AdoptionStatus::Live, ""),
    ("05762032", "Gewerbeanmeldung", AdoptionStatus::Live, ""),
    ("05762040", "Wohngeld", AdoptionStatus::Declined, ""),
];

pub fn seed_demo_adoptions(conn: &mut DbConn) -> Result<usize, ImportError> {
    let existing: i64 = adoptions::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(0);
    }
    crate::db::write_transaction(conn, |conn| {
        let mut n = 0;
        for (ags, prefix, status, note) in DEMO_ADOPTIONS {
            let town: Option<(String, String)> = municipalities::table
                .filter(municipalities::ags.eq(ags))
                .select((municipalities::id, municipalities::district_id))
                .first(conn)
                .optional()?;
            let solution: Option<String> = efa_solutions::table
                .filter(efa_solutions::name.like(format!("{prefix}%")))
                .select(efa_solutions::id)
                .first(conn)
                .optional()?;
            let (Some((town_id, district_id)), Some(solution_id)) = (town, solution) else {
                continue;
            };
            let id = new_id();
            let t = now();
            diesel::insert_into(adoptions::table)
                .values((
                    adoptions::id.eq(&id),
                    adoptions::solution_id.eq(&solution_id),
                    adoptions::municipality_id.eq(&town_id),
                    adoptions::district_id.eq(&district_id),
                    adoptions::status.eq(status.as_str()),
                    adoptions::notes.eq(note),
                    adoptions::decline_reason.eq((*status == AdoptionStatus::Declined)
                        .then_some("Landesverfahren wird genutzt.")),
                    adoptions::created_at.eq(t),
                    adoptions::updated_at.eq(t),
                    adoptions::version.eq(1),
                ))
                .execute(conn)?;
            diesel::insert_into(adoption_history::table)
                .values((
                    adoption_history::id.eq(new_id()),
                    adoption_history::adoption_id.eq(&id),
                    adoption_history::from_status.eq(None::<String>),
                    adoption_history::to_status.eq(status.as_str()),
                    adoption_history::note.eq("Demo-Daten"),
                    adoption_history::changed_at.eq(t),
                ))
                .execute(conn)?;
            n += 1;
        }
        Ok(n)
    })
}
