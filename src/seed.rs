//! Demo data for `seed --demo`: Kreis Höxter, its ten towns and the district
//! administration (from the reference data), the OZG catalogue, and demo accounts.
use diesel::prelude::*;

use crate::auth::password;
use crate::db::schema::{districts, municipalities, users};
use crate::db::{new_id, now, DbConn};
use crate::error::AppError;
use crate::ozg::import::{self, ImportError};
use crate::users::model::NewUser;

pub const DEMO_PASSWORD: &str = "Demo-Passwort-2026!";
pub const HOEXTER_KEY: &str = "05762";

/// (AGS, email prefix slug, officer name)
pub const TOWN_OFFICERS: [(&str, &str, &str); 10] = [
    ("05762004", "bad-driburg", "Miriam Hesse"),
    ("05762008", "beverungen", "Jonas Albers"),
    ("05762012", "borgentreich", "Claudia Franke"),
    ("05762016", "brakel", "Lena Vogt"),
    ("05762020", "hoexter", "Daniel Wiegand"),
    ("05762024", "marienmuenster", "Petra Lohmann"),
    ("05762028", "nieheim", "Stefan Kuhlmann"),
    ("05762032", "steinheim", "Anke Brinkmann"),
    ("05762036", "warburg", "Tobias Schröder"),
    ("05762040", "willebadessen", "Katrin Meyer"),
];

pub const MEMBERS: [(&str, &str, &str); 3] = [
    ("05762016", "team@brakel.example", "Martin Klein"),
    ("05762036", "team@warburg.example", "Eva Hoffmann"),
    ("05762028", "team@nieheim.example", "Sven Rüther"),
];

#[derive(Debug, Clone)]
pub struct DemoUser {
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub ags: Option<&'static str>,
}

pub fn demo_users() -> Vec<DemoUser> {
    let mut out = vec![
        DemoUser {
            email: "admin@digitalnetzwerk.example".into(),
            name: "Paul Betreiber".into(),
            role: "admin",
            ags: None,
        },
        DemoUser {
            email: "koordination@kreis-hoexter.example".into(),
            name: "Sabine Kramer".into(),
            role: "coordinator",
            ags: None,
        },
    ];
    for (ags, slug, name) in TOWN_OFFICERS {
        out.push(DemoUser {
            email: format!("digital@{slug}.example"),
            name: name.into(),
            role: "officer",
            ags: Some(ags),
        });
    }
    for (ags, email, name) in MEMBERS {
        out.push(DemoUser {
            email: email.into(),
            name: name.into(),
            role: "member",
            ags: Some(ags),
        });
    }
    out
}

/// True when no user exists yet (then `make run` seeds the demo).
pub fn is_empty(conn: &mut DbConn) -> Result<bool, AppError> {
    let n: i64 = users::table.count().get_result(conn)?;
    Ok(n == 0)
}

/// Imports the reference data and creates the demo accounts that do not exist yet.
pub fn seed_demo(conn: &mut DbConn, argon2_memory_kib: u32) -> Result<usize, ImportError> {
    import::import_bundled(conn)?;
    let accounts = seed_accounts(conn, argon2_memory_kib)?;
    seed_demo_projects(conn)?;
    crate::efa::seed::import_reference_solutions(conn)?;
    crate::efa::seed::seed_demo_adoptions(conn)?;
    crate::funding::seed::import_reference_programmes(conn)?;
    crate::funding::seed::seed_demo_calls(conn)?;
    seed_demo_strategy(conn)?;
    crate::usage::seed::seed_demo_usage(conn)?;
    Ok(accounts)
}

/// The towns of Kreis Höxter and the demo accounts, without the OZG catalogue (used by tests).
pub fn seed_accounts(conn: &mut DbConn, argon2_memory_kib: u32) -> Result<usize, ImportError> {
    import::run(
        conn,
        import::ImportKind::Municipalities,
        import::bundled::MUNICIPALITIES,
    )?;
    // One hash for all demo accounts: they share the documented demo password.
    let hash = password::hash(DEMO_PASSWORD, argon2_memory_kib)?;
    crate::db::write_transaction(conn, |conn| {
        let district_id: String = districts::table
            .filter(districts::key.eq(HOEXTER_KEY))
            .select(districts::id)
            .first(conn)?;
        let mut created = 0;
        for u in demo_users() {
            let exists: i64 = users::table
                .filter(users::email.eq(&u.email))
                .count()
                .get_result(conn)?;
            if exists > 0 {
                continue;
            }
            let municipality_id: Option<String> = match u.ags {
                Some(ags) => Some(
                    municipalities::table
                        .filter(municipalities::ags.eq(ags))
                        .select(municipalities::id)
                        .first(conn)?,
                ),
                None => None,
            };
            let t = now();
            diesel::insert_into(users::table)
                .values(NewUser {
                    id: new_id(),
                    email: u.email.clone(),
                    name: u.name.clone(),
                    password_hash: Some(hash.clone()),
                    role: u.role.into(),
                    locale: "de".into(),
                    district_id: if u.role == "admin" {
                        None
                    } else {
                        Some(district_id.clone())
                    },
                    municipality_id,
                    active: true,
                    version: 1,
                    created_at: t,
                    updated_at: t,
                })
                .execute(conn)?;
            created += 1;
        }
        Ok(created)
    })
}

/// (AGS of the owning town, title, summary, description, status, visibility, topics, OZG ids)
type DemoProject = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [i32],
);

/// Realistic drafts of the Höxter towns, some overlapping across towns on purpose.
const DEMO_PROJECTS: &[DemoProject] = &[
    ("05762020", "Terminbuchung im Bürgeramt", "Bürgerinnen und Bürger buchen Termine im Bürgeramt rund um die Uhr online; Erinnerung per E-Mail.",
     "Seit Mai 2026 testen wir ein Buchungssystem für das **Bürgeramt**. Nächster Schritt: Anbindung an das Fachverfahren.", "in_progress", "district", &["buergerservice", "verwaltung-ozg"], &[]),
    ("05762036", "Digitale Bauakte", "Bauakten werden digital geführt und mit der Kreisbauaufsicht geteilt.",
     "Ziel ist die medienbruchfreie Bearbeitung von Bauanträgen gemeinsam mit dem Kreis.", "planned", "district", &["verwaltung-ozg"], &[10519]),
    ("05762008", "Digitaler Bauantrag mit der Kreisbauaufsicht", "Bauanträge online einreichen und den Bearbeitungsstand verfolgen.",
     "Wir prüfen die Nachnutzung der EfA-Lösung Digitale Baugenehmigung.", "idea", "district", &["verwaltung-ozg", "buergerservice"], &[10519]),
    ("05762004", "WLAN in allen Grundschulen", "Flächendeckendes WLAN und Netzwerktechnik für die Grundschulen der Stadt.",
     "Gefördert aus dem DigitalPakt Schule. Drei von fünf Schulen sind fertig ausgeleuchtet.", "in_progress", "network", &["bildung-schulen", "infrastruktur-breitband"], &[]),
    ("05762032", "Schul-WLAN und Tablets für weiterführende Schulen", "WLAN-Ausbau und Tablet-Klassensätze für die Schulen in Steinheim.",
     "Ausschreibung in Vorbereitung, Abstimmung mit den Schulleitungen läuft.", "planned", "district", &["bildung-schulen"], &[]),
    ("05762020", "Smart Parking in der Innenstadt", "Sensoren melden freie Parkplätze; eine Karte zeigt sie in Echtzeit.",
     "Teil der Smart-City-Strategie des Kreises. LoRaWAN-Sensorik an 120 Stellplätzen.", "live", "public", &["smart-city", "mobilitaet"], &[]),
    ("05762016", "E-Rechnung im Rechnungseingang", "Eingangsrechnungen im Format XRechnung werden elektronisch empfangen, geprüft und freigegeben.",
     "Workflow mit dem Finanzverfahren; Schulung der Sachbearbeitung im Herbst.", "in_progress", "district", &["verwaltung-ozg"], &[]),
    ("05762028", "Elektronischer Rechnungseingang (XRechnung)", "Rechnungen elektronisch empfangen und verarbeiten statt auf Papier.",
     "Wir suchen Partner für eine gemeinsame Beschaffung.", "draft", "district", &["verwaltung-ozg"], &[]),
    ("05762036", "Elektronische Wohnsitzanmeldung (eWA) einführen", "Umzüge online anmelden mit der EfA-Lösung eWA.",
     "Anbindung über das Fachverfahren Meldewesen; Start geplant für das erste Quartal.", "planned", "network", &["buergerservice", "verwaltung-ozg"], &[10124]),
    ("05762012", "Mängelmelder-App", "Bürgerinnen und Bürger melden Schlaglöcher und defekte Laternen per App.",
     "Idee aus der Bürgerversammlung; mögliche Nachnutzung einer bestehenden Lösung.", "idea", "public", &["buergerservice", "smart-city"], &[]),
    ("05762016", "Chatbot für das Rathaus", "Erste interne Idee: ein Chatbot beantwortet häufige Fragen.",
     "Noch nicht abgestimmt – nur für Brakel sichtbar.", "idea", "private", &["buergerservice"], &[]),
    ("05762024", "Glasfaser für Außenbereiche", "Breitbandausbau für Höfe und Ortsteile im Außenbereich.",
     "Gefördert über das Bundesprogramm; Tiefbau hat begonnen.", "in_progress", "district", &["infrastruktur-breitband"], &[]),
    ("05762040", "Ratsinformationssystem mit digitalen Sitzungsunterlagen", "Rat und Ausschüsse arbeiten mit digitalen Vorlagen auf Tablets.",
     "Seit 2025 im Betrieb; Papierverbrauch um 80 % gesunken.", "live", "district", &["verwaltung-ozg"], &[]),
    ("05762000", "Open-Data-Portal Kreis Höxter", "Der Kreis und die Städte veröffentlichen offene Daten auf einem gemeinsamen Portal.",
     "Start mit Haushaltsdaten, Parkplätzen und Ladesäulen.", "planned", "network", &["daten-open-data", "smart-city"], &[]),
];

/// Demo projects, once (skipped when any project exists).
pub fn seed_demo_projects(conn: &mut DbConn) -> Result<usize, ImportError> {
    use crate::db::schema::projects;
    use crate::projects::model::{ProjectFields, ProjectStatus, Visibility};
    let existing: i64 = projects::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(0);
    }
    crate::db::write_transaction(conn, |conn| {
        let mut n = 0;
        for (ags, title, summary, description, status, visibility, topics, ozg) in DEMO_PROJECTS {
            let (town_id, district_id): (String, String) = municipalities::table
                .filter(municipalities::ags.eq(ags))
                .select((municipalities::id, municipalities::district_id))
                .first(conn)?;
            // The town's officer is the author; the district administration's projects belong to the coordinator.
            let is_district_administration =
                ags.ends_with(crate::ozg::import::DISTRICT_ADMINISTRATION_SUFFIX);
            let author_query = users::table
                .select(crate::users::model::UserRow::as_select())
                .into_boxed();
            let author_query = if is_district_administration {
                author_query
                    .filter(users::role.eq("coordinator"))
                    .filter(users::district_id.eq(&district_id))
            } else {
                author_query
                    .filter(users::role.eq("officer"))
                    .filter(users::municipality_id.eq(&town_id))
            };
            let author = author_query.first(conn).optional()?;
            let Some(author) = author else { continue };
            let fields = ProjectFields {
                title: title.to_string(),
                summary: summary.to_string(),
                description: description.to_string(),
                visibility: Visibility::parse(visibility).unwrap_or_default(),
                topics: topics.iter().map(|t| t.to_string()).collect(),
                tags: vec![],
                ozg_ids: ozg.to_vec(),
                planned_start: None,
                planned_end: None,
                budget_cents: None,
                contact_name: Some(author.name.clone()),
                contact_email: Some(author.email.clone()),
            };
            crate::projects::queries::insert(
                conn,
                &author.actor(),
                crate::projects::queries::NewProject {
                    municipality_id: &town_id,
                    district_id: &district_id,
                    status: ProjectStatus::parse(status).unwrap_or(ProjectStatus::Idea),
                    fields: &fields,
                },
            )?;
            n += 1;
        }
        Ok(n)
    })
}

/// (goal field, [(measure, status, titles of linked demo projects)])
type DemoGoal = (
    &'static str,
    &'static [(&'static str, &'static str, &'static [&'static str])],
);

const DEMO_STRATEGY: &[DemoGoal] = &[
    (
        "Digitale Verwaltung",
        &[
            (
                "Elektronische Wohnsitzanmeldung in allen Städten",
                "in_progress",
                &["Elektronische Wohnsitzanmeldung (eWA) einführen"],
            ),
            (
                "E-Rechnung kreisweit einführen",
                "planned",
                &[
                    "E-Rechnung im Rechnungseingang",
                    "Elektronischer Rechnungseingang (XRechnung)",
                ],
            ),
            (
                "Ratsarbeit papierlos",
                "done",
                &["Ratsinformationssystem mit digitalen Sitzungsunterlagen"],
            ),
        ],
    ),
    (
        "Digitale Infrastruktur",
        &[
            (
                "WLAN in allen Schulen",
                "in_progress",
                &[
                    "WLAN in allen Grundschulen",
                    "Schul-WLAN und Tablets für weiterführende Schulen",
                ],
            ),
            (
                "Glasfaser für die Außenbereiche",
                "in_progress",
                &["Glasfaser für Außenbereiche"],
            ),
        ],
    ),
    (
        "Smarte Region",
        &[(
            "Offene Daten des Kreises und der Städte",
            "planned",
            &["Open-Data-Portal Kreis Höxter"],
        )],
    ),
];

/// A demo strategy for Kreis Höxter (once, when the district has none).
pub fn seed_demo_strategy(conn: &mut DbConn) -> Result<usize, ImportError> {
    use crate::db::schema::{goal_fields, measure_projects, measures, projects, strategies};
    let district_id: String = districts::table
        .filter(districts::key.eq(HOEXTER_KEY))
        .select(districts::id)
        .first(conn)?;
    let existing: i64 = strategies::table
        .filter(strategies::district_id.eq(&district_id))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Ok(0);
    }
    let owner: Option<String> = users::table
        .filter(users::role.eq("coordinator"))
        .filter(users::district_id.eq(&district_id))
        .select(users::id)
        .first(conn)
        .optional()?;
    crate::db::write_transaction(conn, |conn| {
        let t = now();
        let sid = new_id();
        diesel::insert_into(strategies::table)
            .values((
                strategies::id.eq(&sid),
                strategies::district_id.eq(&district_id),
                strategies::title.eq("Digitale Zukunft gemeinsam gestalten"),
                strategies::created_at.eq(t),
                strategies::updated_at.eq(t),
            ))
            .execute(conn)?;
        let mut n = 0;
        for (pos, (goal, items)) in DEMO_STRATEGY.iter().enumerate() {
            let gid = new_id();
            diesel::insert_into(goal_fields::table)
                .values((
                    goal_fields::id.eq(&gid),
                    goal_fields::strategy_id.eq(&sid),
                    goal_fields::title.eq(goal),
                    goal_fields::position.eq(pos as i32 + 1),
                    goal_fields::created_at.eq(t),
                    goal_fields::updated_at.eq(t),
                    goal_fields::version.eq(1),
                ))
                .execute(conn)?;
            for (title, status, linked) in items.iter() {
                let mid = new_id();
                diesel::insert_into(measures::table)
                    .values((
                        measures::id.eq(&mid),
                        measures::goal_field_id.eq(&gid),
                        measures::title.eq(title),
                        measures::owner_user_id.eq(&owner),
                        measures::status.eq(status),
                        measures::created_at.eq(t),
                        measures::updated_at.eq(t),
                        measures::version.eq(1),
                    ))
                    .execute(conn)?;
                let ids: Vec<String> = projects::table
                    .filter(projects::title.eq_any(linked.iter()))
                    .select(projects::id)
                    .load(conn)?;
                for p in ids {
                    diesel::insert_into(measure_projects::table)
                        .values((
                            measure_projects::measure_id.eq(&mid),
                            measure_projects::project_id.eq(p),
                        ))
                        .execute(conn)?;
                }
                n += 1;
            }
        }
        Ok(n)
    })
}
