//! Demo usage figures for `seed --demo`: a year of plausible monthly cases for some
//! services of the Höxter towns, stored as one import "Demodaten" per town (marked
//! `is_demo`), so nobody takes them for real figures.
use diesel::prelude::*;

use super::model::{Channel, FigureInput, Month, Source};
use super::queries::{self, ImportMeta};
use crate::db::schema::{municipalities, usage_imports};
use crate::db::DbConn;
use crate::error::AppResult;

/// The file name of the demo imports.
pub const DEMO_IMPORT: &str = "Demodaten (keine echten Fallzahlen)";

/// (LeiKa key from the reference catalogue, cases per 1,000 inhabitants a month, online share at the start, at the end)
const SERVICES: [(&str, f64, f64, f64); 8] = [
    ("99115005104000", 4.0, 0.15, 0.35), // Wohnsitz Anmeldung
    ("99050012104000", 0.6, 0.40, 0.65), // Gewerbe Anmeldung
    ("99102013002000", 0.5, 0.20, 0.30), // Hundesteuer Festsetzung
    ("99107023017001", 0.4, 0.10, 0.45), // Wohngeld Bewilligung erstmalig
    ("99108001001000", 0.3, 0.50, 0.70), // Bewohnerparkausweis Erteilung
    ("99027002012000", 1.2, 0.30, 0.40), // Geburtsurkunde Ausstellung
    ("99001009004002", 2.0, 0.55, 0.60), // Sperrmüll Entsorgung durch Abholung
    ("99049001001001", 0.9, 0.05, 0.10), // Führungszeugnis Erteilung einfach
];

/// A small deterministic pseudo-random factor in 0.8..1.2 (the same demo on every run).
fn jitter(seed: u64) -> f64 {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    x ^= x >> 33;
    0.8 + (x % 400) as f64 / 1000.0
}

fn hash(parts: &[&str], month: i32) -> u64 {
    let mut h: u64 = 1469598103934665603;
    for p in parts {
        for b in p.bytes() {
            h = (h ^ b as u64).wrapping_mul(1099511628211);
        }
    }
    h ^ month as u64
}

/// Seeds the demo year for the towns of Kreis Höxter that have none yet; returns the figures stored.
pub fn seed_demo_usage(conn: &mut DbConn) -> AppResult<usize> {
    let towns: Vec<(String, String, Option<i32>)> = municipalities::table
        .filter(municipalities::ags.like("05762%"))
        .filter(municipalities::kind.ne("district_administration"))
        .order(municipalities::ags.asc())
        .select((
            municipalities::id,
            municipalities::ags,
            municipalities::population,
        ))
        .load(conn)?;
    let keys: Vec<String> = SERVICES.iter().map(|s| s.0.to_string()).collect();
    let known = queries::known_leika_keys(conn, &keys)?;
    let last = Month::of_date(crate::db::today()).plus(-1);
    let months = last.plus(-11).through(last);
    let mut stored = 0;
    for (id, ags, population) in towns {
        let done: i64 = usage_imports::table
            .filter(usage_imports::municipality_id.eq(&id))
            .filter(usage_imports::is_demo.eq(true))
            .count()
            .get_result(conn)?;
        if done > 0 {
            continue;
        }
        let Some(town) = queries::town(conn, &id)? else {
            continue;
        };
        let inhabitants = population.unwrap_or(10_000) as f64 / 1000.0;
        let mut figures = Vec::new();
        for (key, per_1000, start, end) in SERVICES {
            if !known.contains(key) {
                continue;
            }
            for (i, m) in months.iter().enumerate() {
                let progress = i as f64 / (months.len() - 1) as f64;
                let all = (per_1000 * inhabitants * jitter(hash(&[&ags, key], m.db()))).round();
                let share = (start + (end - start) * progress) * jitter(hash(&[key, &ags], m.db()));
                let online = (all * share.min(0.95)).round();
                let counter = ((all - online) * 0.6).round();
                let paper = (all - online - counter).max(0.0);
                for (channel, n) in [
                    (Channel::Online, online),
                    (Channel::Counter, counter),
                    (Channel::Paper, paper),
                ] {
                    figures.push(FigureInput {
                        leika_key: key.to_string(),
                        month: *m,
                        channel,
                        count: n as i32,
                        ozg_id: None,
                        median_days: None,
                        backlog: None,
                    });
                }
            }
        }
        if figures.is_empty() {
            continue;
        }
        stored += figures.len();
        let rows = figures.len() as i32;
        queries::store_figures(
            conn,
            &town,
            ImportMeta {
                source: Source::Manual,
                file_name: Some(DEMO_IMPORT.into()),
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
