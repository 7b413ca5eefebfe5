//! The deadline calendar as iCalendar (RFC 5545): call deadlines of the programmes a
//! user's town follows or applies to, and checklist items assigned to the user.
//! Timed deadlines (Europe/Berlin) are written in UTC; date-only ones as all-day events.
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Europe::Berlin;
use diesel::prelude::*;

use crate::db::schema::{
    application_shares, checklist_items, funding_applications, funding_calls, funding_interests,
    funding_programmes,
};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::users::model::UserRow;

/// RFC 5545 TEXT escaping.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if count + len > 75 {
            out.push_str("\r\n ");
            count = 1;
        }
        out.push(ch);
        count += len;
    }
    out.push_str("\r\n");
    out
}

fn utc_stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The UTC instant of a Berlin wall-clock time (the earlier one in the autumn overlap).
pub fn berlin_to_utc(date: NaiveDate, time: NaiveTime) -> NaiveDateTime {
    let local = date.and_time(time);
    Berlin
        .from_local_datetime(&local)
        .earliest()
        .map(|d| d.naive_utc())
        .unwrap_or(local)
}

pub struct Entry {
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub stamp: NaiveDateTime,
    pub url: String,
}

pub fn render(entries: &[Entry]) -> String {
    let mut s = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Digitalnetzwerk//Fristen//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Digitalnetzwerk – Förderfristen",
        "X-WR-TIMEZONE:Europe/Berlin",
    ] {
        s.push_str(&fold(l));
    }
    for e in entries {
        s.push_str(&fold("BEGIN:VEVENT"));
        s.push_str(&fold(&format!("UID:{}", e.uid)));
        s.push_str(&fold(&format!("DTSTAMP:{}", utc_stamp(e.stamp))));
        match e.time {
            Some(t) => {
                let start = berlin_to_utc(e.date, t);
                s.push_str(&fold(&format!("DTSTART:{}", utc_stamp(start))));
                s.push_str(&fold(&format!(
                    "DTEND:{}",
                    utc_stamp(start + chrono::Duration::minutes(30))
                )));
            }
            None => {
                s.push_str(&fold(&format!(
                    "DTSTART;VALUE=DATE:{}",
                    e.date.format("%Y%m%d")
                )));
                s.push_str(&fold(&format!(
                    "DTEND;VALUE=DATE:{}",
                    (e.date + chrono::Duration::days(1)).format("%Y%m%d")
                )));
            }
        }
        s.push_str(&fold(&format!("SUMMARY:{}", escape(&e.summary))));
        if !e.description.is_empty() {
            s.push_str(&fold(&format!("DESCRIPTION:{}", escape(&e.description))));
        }
        s.push_str(&fold(&format!("URL:{}", e.url)));
        s.push_str(&fold("TRANSP:TRANSPARENT"));
        s.push_str(&fold("END:VEVENT"));
    }
    s.push_str(&fold("END:VCALENDAR"));
    s
}

type CallTuple = (
    String,
    String,
    String,
    NaiveDate,
    Option<NaiveTime>,
    NaiveDateTime,
);

/// The calendar entries of `user`.
pub fn entries_for(conn: &mut DbConn, user: &UserRow, public_url: &str) -> AppResult<Vec<Entry>> {
    let mut programme_ids: Vec<String> = Vec::new();
    let mut call_ids: Vec<String> = Vec::new();
    if let Some(town) = &user.municipality_id {
        programme_ids.extend(
            funding_interests::table
                .filter(funding_interests::municipality_id.eq(town))
                .select(funding_interests::programme_id)
                .load::<String>(conn)?,
        );
        let apps: Vec<(String, Option<String>)> = funding_applications::table
            .inner_join(application_shares::table)
            .filter(application_shares::municipality_id.eq(town))
            .select((
                funding_applications::programme_id,
                funding_applications::call_id,
            ))
            .load(conn)?;
        for (p, c) in apps {
            match c {
                Some(c) => call_ids.push(c),
                None => programme_ids.push(p),
            }
        }
    } else if let Some(d) = &user.district_id {
        // Coordinators see the deadlines of every application of their district.
        let apps: Vec<(String, Option<String>)> = funding_applications::table
            .filter(funding_applications::district_id.eq(d))
            .select((
                funding_applications::programme_id,
                funding_applications::call_id,
            ))
            .load(conn)?;
        for (p, c) in apps {
            match c {
                Some(c) => call_ids.push(c),
                None => programme_ids.push(p),
            }
        }
    }
    let generated = crate::db::now();
    let calls: Vec<CallTuple> = funding_calls::table
        .inner_join(funding_programmes::table)
        .filter(
            funding_calls::programme_id
                .eq_any(&programme_ids)
                .or(funding_calls::id.eq_any(&call_ids)),
        )
        .select((
            funding_calls::id,
            funding_programmes::name,
            funding_calls::title,
            funding_calls::deadline_date,
            funding_calls::deadline_time,
            funding_calls::created_at,
        ))
        .order((funding_calls::deadline_date.asc(), funding_calls::id.asc()))
        .load(conn)?;
    let mut out: Vec<Entry> = calls
        .into_iter()
        .map(|(id, programme, title, date, time, created)| Entry {
            uid: format!("call-{id}@digitalnetzwerk"),
            summary: format!("Frist: {programme} – {title}"),
            description: "Einreichungsfrist des Förderaufrufs".into(),
            date,
            time,
            stamp: created,
            url: format!("{public_url}/foerderung"),
        })
        .collect();
    let items: Vec<(String, String, String, NaiveDate)> = checklist_items::table
        .inner_join(funding_applications::table)
        .filter(checklist_items::assignee_id.eq(&user.id))
        .filter(checklist_items::done_at.is_null())
        .filter(checklist_items::due_date.is_not_null())
        .select((
            checklist_items::id,
            checklist_items::title,
            funding_applications::title,
            checklist_items::due_date.assume_not_null(),
        ))
        .load(conn)?;
    out.extend(items.into_iter().map(|(id, title, app, date)| Entry {
        uid: format!("checklist-{id}@digitalnetzwerk"),
        summary: format!("Fällig: {title} ({app})"),
        description: "Aufgabe aus der Checkliste eines Förderantrags".into(),
        date,
        time: None,
        // RFC 5545 §3.8.7.2: when this calendar object was made, never the due date.
        stamp: generated,
        url: format!("{public_url}/foerderung"),
    }));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_times_across_daylight_saving() {
        let t = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        assert_eq!(
            berlin_to_utc(NaiveDate::from_ymd_opt(2027, 3, 27).unwrap(), t)
                .format("%H")
                .to_string(),
            "11"
        );
        assert_eq!(
            berlin_to_utc(NaiveDate::from_ymd_opt(2027, 3, 29).unwrap(), t)
                .format("%H")
                .to_string(),
            "10"
        );
    }

    #[test]
    fn text_is_escaped_and_lines_folded() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "Förderfrist ".repeat(12));
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
    }
}
