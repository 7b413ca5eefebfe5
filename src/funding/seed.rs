//! Funding programmes from the reference data (`funding_programmes.csv`) and demo calls.
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::schema::{funding_calls, funding_programmes};
use crate::db::{new_id, now, DbConn};
use crate::ozg::import::ImportError;

#[derive(Deserialize)]
struct Record {
    programme_id: String,
    name: String,
    level: String,
    funder: String,
    administering_body: String,
    region: String,
    eligible_applicants: String,
    funding_type: String,
    funding_rate_pct: String,
    funding_rate_increased_pct: String,
    funding_rate_condition: String,
    max_amount_eur: String,
    period: String,
    focus: String,
    sources: String,
}

/// Percent text ("65", "80 (Kommunen …)") as basis points.
fn rate_bp(text: &str) -> Option<i32> {
    let digits: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits
        .parse::<i32>()
        .ok()
        .filter(|p| (1..=100).contains(p))
        .map(|p| p * 100)
}

/// The largest plain euro amount in a free-text field, in cents (amounts below 1 000 € are
/// percentages or counts, not limits).
fn max_cents(text: &str) -> Option<i64> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 1_000)
        .max()
        .map(|n| n * 100)
}

/// Programmes whose period ended are closed (derived from the period text).
fn status_of(period: &str) -> &'static str {
    let p = period.to_lowercase();
    let ended = p.contains("abgeschlossen")
        || p.contains("programmende")
        || p.split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse::<i32>().ok())
            .filter(|y| (2000..2100).contains(y))
            .max()
            .is_some_and(|y| y < 2026);
    if ended {
        "closed"
    } else {
        "open"
    }
}

/// Our classification of the reference programmes into the shared topic list (from their
/// focus text); coordinators can change it in the programme editor.
const TOPICS: &[(&str, &[&str])] = &[
    ("mpsc", &["smart-city", "daten-open-data"]),
    (
        "digitalpakt_schule_nrw",
        &["bildung-schulen", "infrastruktur-breitband"],
    ),
    (
        "digitale_modellregionen_nrw",
        &["verwaltung-ozg", "buergerservice", "smart-city"],
    ),
    ("efre_jtf_nrw_2021_2027", &["smart-city", "mobilitaet"]),
    (
        "foerdr_digitales_rathaus_bayern",
        &["verwaltung-ozg", "buergerservice"],
    ),
    ("leader_kulturland_kreis_hoexter", &["mobilitaet"]),
    ("landaufschwung", &["smart-city"]),
];

pub fn import_reference_programmes(conn: &mut DbConn) -> Result<usize, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(crate::ozg::import::bundled::FUNDING_PROGRAMMES.as_bytes());
    crate::db::write_transaction(conn, |conn| {
        let mut n = 0;
        for (i, rec) in reader.deserialize::<Record>().enumerate() {
            let r = rec.map_err(|e| ImportError::Line {
                line: i as u64 + 2,
                message: e.to_string(),
            })?;
            let exists: i64 = funding_programmes::table
                .filter(funding_programmes::slug.eq(&r.programme_id))
                .count()
                .get_result(conn)?;
            if exists > 0 {
                continue;
            }
            let website = r
                .sources
                .split(" ; ")
                .next()
                .map(str::trim)
                .filter(|s| s.starts_with("http"))
                .map(String::from);
            let t = now();
            let pid = new_id();
            diesel::insert_into(funding_programmes::table)
                .values((
                    funding_programmes::id.eq(&pid),
                    funding_programmes::slug.eq(&r.programme_id),
                    funding_programmes::name.eq(&r.name),
                    funding_programmes::funder.eq(&r.funder),
                    funding_programmes::administering_body.eq(&r.administering_body),
                    funding_programmes::level.eq(&r.level),
                    funding_programmes::region.eq(&r.region),
                    funding_programmes::eligible_applicants.eq(&r.eligible_applicants),
                    funding_programmes::funding_type.eq(&r.funding_type),
                    funding_programmes::rate_bp.eq(rate_bp(&r.funding_rate_pct)),
                    funding_programmes::increased_rate_bp
                        .eq(rate_bp(&r.funding_rate_increased_pct)),
                    funding_programmes::increased_rate_condition.eq(&r.funding_rate_condition),
                    funding_programmes::max_amount_cents.eq(max_cents(&r.max_amount_eur)),
                    funding_programmes::max_amount_note.eq(&r.max_amount_eur),
                    funding_programmes::description.eq(&r.focus),
                    funding_programmes::website.eq(website),
                    funding_programmes::status.eq(status_of(&r.period)),
                    funding_programmes::created_at.eq(t),
                    funding_programmes::updated_at.eq(t),
                    funding_programmes::version.eq(1),
                ))
                .execute(conn)?;
            let topics = TOPICS
                .iter()
                .find(|(slug, _)| *slug == r.programme_id)
                .map(|(_, t)| *t)
                .unwrap_or(&[]);
            super::set_programme_topics(conn, &pid, topics)?;
            n += 1;
        }
        Ok(n)
    })
}

/// A demo call for each open programme (titled as demo data, not an official call).
pub fn seed_demo_calls(conn: &mut DbConn) -> Result<usize, ImportError> {
    let existing: i64 = funding_calls::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(0);
    }
    let open: Vec<(String, String)> = funding_programmes::table
        .filter(funding_programmes::status.eq("open"))
        .select((funding_programmes::id, funding_programmes::slug))
        .load(conn)?;
    let today = crate::db::today();
    crate::db::write_transaction(conn, |conn| {
        for (i, (pid, _)) in open.iter().enumerate() {
            diesel::insert_into(funding_calls::table)
                .values((
                    funding_calls::id.eq(new_id()),
                    funding_calls::programme_id.eq(pid),
                    funding_calls::title.eq("Aufruf 2027 (Demo-Daten)"),
                    funding_calls::opens_on.eq(Some(today)),
                    funding_calls::deadline_date
                        .eq(today + chrono::Duration::days(21 + 14 * i as i64)),
                    funding_calls::deadline_time.eq(chrono::NaiveTime::from_hms_opt(12, 0, 0)),
                    funding_calls::created_at.eq(now()),
                ))
                .execute(conn)?;
        }
        Ok(open.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_reference_fields() {
        assert_eq!(rate_bp("65"), Some(6500));
        assert_eq!(
            rate_bp("80 (Kommunen, gemeinnützige Vereine); 90"),
            Some(8000)
        );
        assert_eq!(rate_bp(""), None);
        assert_eq!(
            max_cents("2500000 (Phase A, 12 Monate, davon 1000000 …); 15000000 (Phase B)"),
            Some(1_500_000_000)
        );
        assert_eq!(
            max_cents("Förderbudget je Schulträger (75 % …, 25 %)"),
            None
        );
        assert_eq!(
            status_of("Mitte 2015 – Ende 2019 (abgeschlossen)"),
            "closed"
        );
        assert_eq!(status_of("2023–2029"), "open");
    }
}
