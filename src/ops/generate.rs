//! A deterministic generator of synthetic districts, towns and projects for benchmarks
//! and for tests at scale (`bench/load.rs`, the migration test). Keys start with 99,
//! which no Land has, so generated data can never be taken for real districts.
use diesel::prelude::*;

use crate::db::schema::{districts, municipalities};
use crate::projects::model::{ProjectFields, ProjectStatus, Visibility};
use crate::projects::queries::{insert, NewProject};
use crate::users::model::UserRow;

pub const SUBJECTS: &[&str] = &[
    "Terminbuchung",
    "E-Rechnung",
    "Schul-WLAN",
    "Bauantrag",
    "Ratsinformationssystem",
    "Mängelmelder",
    "Open-Data-Portal",
    "Glasfaser",
    "Smart Parking",
    "Wohnsitzanmeldung",
    "Digitale Personalakte",
    "Videokonferenzen",
    "Friedhofsverwaltung",
    "Hundesteuer online",
    "Bürgerbus-App",
    "Sitzungsdienst",
    "Geoportal",
    "Kita-Platzvergabe",
    "Feuerwehr-Alarmierung",
    "IT-Notfallhandbuch",
];
pub const ANGLES: &[&str] = &[
    "einführen",
    "gemeinsam beschaffen",
    "erweitern",
    "evaluieren",
    "an das Fachverfahren anbinden",
    "für alle Ortsteile",
    "mit dem Kreis",
    "als EfA-Nachnutzung",
];
pub const TOPICS: &[&str] = &[
    "verwaltung-ozg",
    "bildung-schulen",
    "mobilitaet",
    "infrastruktur-breitband",
    "smart-city",
    "it-sicherheit",
    "buergerservice",
    "daten-open-data",
];
pub const STATUSES: &[ProjectStatus] = &[
    ProjectStatus::Idea,
    ProjectStatus::Planned,
    ProjectStatus::InProgress,
    ProjectStatus::Live,
];

/// A synthetic district with 10 towns. Its keys start with 99, which no Land has, so they
/// can never be taken for an official Kreisschlüssel or AGS. Returns (town id, district id).
pub fn add_district(
    conn: &mut crate::db::DbConn,
    d: usize,
) -> Result<Vec<(String, String)>, crate::error::AppError> {
    let t = crate::db::now();
    let district = crate::db::new_id();
    diesel::insert_into(districts::table)
        .values((
            districts::id.eq(&district),
            districts::key.eq(format!("99{d:03}")),
            districts::name.eq(format!("Testkreis {d} (synthetisch)")),
            districts::version.eq(1),
            districts::created_at.eq(t),
            districts::updated_at.eq(t),
        ))
        .execute(conn)?;
    let mut towns = Vec::new();
    for m in 0..10 {
        let id = crate::db::new_id();
        diesel::insert_into(municipalities::table)
            .values((
                municipalities::id.eq(&id),
                municipalities::district_id.eq(&district),
                municipalities::ags.eq(format!("99{d:03}{m:03}")),
                municipalities::name.eq(format!("Teststadt {d}-{m}")),
                municipalities::kind.eq("town"),
                municipalities::version.eq(1),
                municipalities::created_at.eq(t),
                municipalities::updated_at.eq(t),
            ))
            .execute(conn)?;
        towns.push((id, district.clone()));
    }
    Ok(towns)
}

/// `count` projects numbered from `first`, spread over (author, town, district):
/// 10 % private, 30 % network, 60 % district, one topic each.
pub fn add_projects(
    conn: &mut crate::db::DbConn,
    towns: &[(&UserRow, &str, &str)],
    first: usize,
    count: usize,
) -> Result<(), crate::error::AppError> {
    for i in first..first + count {
        let (author, town, district) = towns[i % towns.len()];
        let subject = SUBJECTS[i % SUBJECTS.len()];
        let angle = ANGLES[(i / SUBJECTS.len()) % ANGLES.len()];
        let fields = ProjectFields {
            title: format!("{subject} {angle} ({i})"),
            summary: format!("{subject}: wir wollen das Vorhaben {angle} und suchen Partner."),
            description: format!(
                "Stand {i}: Abstimmung mit der Verwaltung, Haushaltsmittel beantragt."
            ),
            visibility: match i % 10 {
                0 => Visibility::Private,
                1..=3 => Visibility::Network,
                _ => Visibility::District,
            },
            topics: vec![TOPICS[i % TOPICS.len()].to_string()],
            tags: vec![],
            ozg_ids: vec![],
            planned_start: None,
            planned_end: None,
            budget_cents: Some(((i % 50) as i64 + 1) * 1_000_000),
            contact_name: None,
            contact_email: None,
        };
        insert(
            conn,
            &author.actor(),
            NewProject {
                municipality_id: town,
                district_id: district,
                status: STATUSES[i % STATUSES.len()],
                fields: &fields,
            },
        )?;
    }
    Ok(())
}

/// `n` members of `district_id` (addresses `leser00000@digest.example` …) with a daily
/// digest due and one unread digest notification each, about one processed event.
/// Returns their addresses.
pub fn add_digest_readers(
    conn: &mut crate::db::DbConn,
    district_id: &str,
    n: usize,
) -> Result<Vec<String>, crate::error::AppError> {
    use crate::db::schema::{digest_settings, events, notifications, users};
    let t = crate::db::now() - chrono::Duration::days(2);
    let event_id = crate::db::new_id();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(&event_id),
            events::verb.eq("adoption.created"),
            events::object_type.eq("adoption"),
            events::object_id.eq("fixture"),
            events::district_id.eq(district_id),
            events::payload.eq("{\"solution\": \"eWA\"}"),
            events::created_at.eq(t),
            events::processed_at.eq(Some(t)),
        ))
        .execute(conn)?;
    let mut emails = Vec::with_capacity(n);
    for i in 0..n {
        let uid = crate::db::new_id();
        let email = format!("leser{i:03}@digest.example");
        diesel::insert_into(users::table)
            .values(crate::users::model::NewUser {
                id: uid.clone(),
                email: email.clone(),
                name: format!("Leser {i}"),
                password_hash: None,
                role: "member".into(),
                locale: "de".into(),
                district_id: Some(district_id.to_string()),
                municipality_id: None,
                active: true,
                version: 1,
                created_at: t,
                updated_at: t,
            })
            .execute(conn)?;
        diesel::insert_into(digest_settings::table)
            .values((
                digest_settings::user_id.eq(&uid),
                digest_settings::frequency.eq("daily"),
                digest_settings::weekday.eq(1),
                digest_settings::hour.eq(0),
                digest_settings::enabled.eq(true),
                digest_settings::version.eq(1),
            ))
            .execute(conn)?;
        diesel::insert_into(notifications::table)
            .values((
                notifications::id.eq(crate::db::new_id()),
                notifications::user_id.eq(&uid),
                notifications::event_id.eq(&event_id),
                notifications::kind.eq("efa_adoptions"),
                notifications::mode.eq("digest"),
                notifications::title.eq("EfA-Nachnutzung: eWA"),
                notifications::body.eq("interested"),
                notifications::link.eq("/efa/matrix"),
                notifications::created_at.eq(t),
            ))
            .execute(conn)?;
        emails.push(email);
    }
    Ok(emails)
}

/// Synthetic usage figures for `towns`: one figure per town × service × month (the first
/// `services` LeiKa keys of the catalogue, the `months` months up to the last one), the
/// channel drawn deterministically (60 % online, 25 % paper, 15 % counter), counts
/// 1..=200. One import per town, marked as demo data. Returns the figures stored.
pub fn add_usage_figures(
    conn: &mut crate::db::DbConn,
    towns: &[String],
    services: i64,
    months: i32,
) -> Result<usize, crate::error::AppError> {
    use crate::db::schema::leika_services;
    use crate::usage::model::{Channel, FigureInput, Month, Source};
    use crate::usage::queries::{store_figures, town, ImportMeta};
    let keys: Vec<String> = leika_services::table
        .filter(leika_services::leika_key.is_not_null())
        .order(leika_services::leika_key.asc())
        .select(leika_services::leika_key.assume_not_null())
        .limit(services)
        .load(conn)?;
    let last = Month::of_date(crate::db::today()).plus(-1);
    let span = last.plus(1 - months).through(last);
    let mut stored = 0;
    for (t, id) in towns.iter().enumerate() {
        let Some(town) = town(conn, id)? else {
            continue;
        };
        let mut figures = Vec::with_capacity(keys.len() * span.len());
        for (s, key) in keys.iter().enumerate() {
            for (m, month) in span.iter().enumerate() {
                let h = (t * 7919 + s * 104_729 + m * 1_299_709) % 100;
                let channel = match h {
                    0..=59 => Channel::Online,
                    60..=84 => Channel::Paper,
                    _ => Channel::Counter,
                };
                figures.push(FigureInput {
                    leika_key: key.clone(),
                    month: *month,
                    channel,
                    count: 1 + ((t * 31 + s * 17 + m * 13) % 200) as i32,
                    ozg_id: None,
                    median_days: None,
                    backlog: None,
                });
            }
        }
        stored += figures.len();
        let rows = figures.len() as i32;
        store_figures(
            conn,
            &town,
            ImportMeta {
                source: Source::Api,
                file_name: Some("Lastdaten (synthetisch)".into()),
                token_id: None,
                created_by: None,
                row_count: rows,
                is_demo: true,
            },
            figures,
        )?;
    }
    Ok(stored)
}
