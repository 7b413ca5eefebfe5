//! Daily and weekly digests: for each user whose scheduled time (Europe/Berlin) has
//! come, the undigested notifications from before that time, grouped by project, with
//! open tasks; stored in the outbox once per user and period (idempotent, so a crash
//! or a second server never sends it twice and a restart never skips it).
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Europe::Berlin;
use diesel::prelude::*;
use serde::Serialize;

use super::{schedule_of, DigestSchedule, Frequency};
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    digest_runs, digest_settings, follows, measures, notifications, projects, support_requests,
    unsubscribe_tokens, users,
};
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::mail::OutgoingMail;
use crate::projects::model::ProjectRow;
use crate::users::model::UserRow;

/// The period a schedule is in at `at` (UTC), its key and the UTC time it became due.
pub fn current_period(s: &DigestSchedule, at: NaiveDateTime) -> (String, NaiveDateTime) {
    let local = Berlin.from_utc_datetime(&at);
    let hour = s.hour.clamp(0, 23) as u32;
    let day = local.date_naive();
    let due_on = match s.frequency {
        Frequency::Daily => {
            if local.hour() >= hour {
                day
            } else {
                day - Duration::days(1)
            }
        }
        Frequency::Weekly => {
            let wanted = s.weekday.clamp(1, 7) as i64;
            let today = local.weekday().number_from_monday() as i64;
            let mut back = (today - wanted).rem_euclid(7);
            if back == 0 && local.hour() < hour {
                back = 7;
            }
            day - Duration::days(back)
        }
    };
    let due_local = due_on.and_hms_opt(hour, 0, 0).unwrap_or_default();
    let due_utc = Berlin
        .from_local_datetime(&due_local)
        .earliest()
        .map(|d| d.naive_utc())
        .unwrap_or(due_local);
    let key = match s.frequency {
        Frequency::Daily => format!("d:{}", due_on.format("%Y-%m-%d")),
        // The due day, not the ISO week: someone who moves the weekday mid-week gets
        // that week's digest on the new day (with only what the old one did not cover).
        Frequency::Weekly => format!("w:{}", due_on.format("%Y-%m-%d")),
    };
    (key, due_utc)
}

#[derive(Debug, Serialize)]
struct Item {
    title: String,
    body: String,
    when: String,
}

#[derive(Debug, Serialize)]
struct Group {
    title: String,
    link: String,
    unfollow_link: Option<String>,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct Task {
    title: String,
    link: String,
}

/// A rendered digest and the notifications it covers.
pub struct Digest {
    pub mail: OutgoingMail,
    pub notification_ids: Vec<String>,
    pub item_count: usize,
}

type NotificationTuple = (
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
);

/// Builds the digest of `user` with what happened before `until` (None if empty).
/// `unsubscribe_token` goes into the links and headers.
pub fn build(
    conn: &mut DbConn,
    user: &UserRow,
    until: NaiveDateTime,
    period_label: &str,
    public_url: &str,
    unsubscribe_token: &str,
) -> AppResult<Option<Digest>> {
    let rows: Vec<NotificationTuple> = notifications::table
        .filter(notifications::user_id.eq(&user.id))
        .filter(notifications::mode.eq("digest"))
        .filter(notifications::digested_at.is_null())
        .filter(notifications::created_at.le(until))
        .select((
            notifications::id,
            notifications::title,
            notifications::body,
            notifications::link,
            notifications::project_id,
            notifications::created_at,
        ))
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(500)
        .load(conn)?;
    let project_ids: Vec<String> = rows.iter().filter_map(|r| r.4.clone()).collect();
    let projects: HashMap<String, ProjectRow> = projects::table
        .filter(projects::id.eq_any(&project_ids))
        .select(ProjectRow::as_select())
        .load::<ProjectRow>(conn)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    // "Nicht mehr folgen" only where the user follows the project (a mention in a
    // project they do not follow has nothing to stop).
    let followed: std::collections::HashSet<String> = follows::table
        .filter(follows::user_id.eq(&user.id))
        .filter(follows::project_id.eq_any(&project_ids))
        .select(follows::project_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let actor = user.actor();
    let locale = Locale::parse(&user.locale);
    let mut covered = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (id, title, body, link, project_id, at) in rows {
        // A project made private (or hidden otherwise) since then does not appear.
        if let Some(pid) = &project_id {
            match projects.get(pid) {
                Some(p)
                    if policy::can_read_project(
                        Some(&actor),
                        Scope::new(Some(&p.district_id), Some(&p.municipality_id)),
                        &p.visibility,
                    ) => {}
                _ => {
                    covered.push(id);
                    continue;
                }
            }
        }
        let key = project_id.clone().unwrap_or_else(|| "_".into());
        let group_title = match project_id.as_ref().and_then(|p| projects.get(p)) {
            Some(p) => p.title.clone(),
            None if locale == Locale::De => "Weitere Neuigkeiten".into(),
            None => "Other news".into(),
        };
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Group {
                title: group_title,
                link: format!("{public_url}{link}"),
                unfollow_link: project_id
                    .as_ref()
                    .filter(|p| followed.contains(*p))
                    .map(|p| format!("{public_url}/projekte/{p}?nicht-mehr-folgen=1")),
                items: vec![],
            }
        });
        let short: String = body.chars().take(280).collect();
        entry.items.push(Item {
            title,
            body: short,
            when: crate::i18n::format_berlin(at, locale),
        });
        covered.push(id);
    }
    let item_count: usize = groups.values().map(|g| g.items.len()).sum();
    if item_count == 0 {
        return Ok(None);
    }
    let mut tasks = Vec::new();
    if let Some(town) = &user.municipality_id {
        let open: Vec<(String, String)> = support_requests::table
            .filter(support_requests::municipality_id.eq(town))
            .filter(support_requests::status.ne_all(["resolved", "declined"]))
            .select((support_requests::id, support_requests::title))
            .limit(10)
            .load(conn)?;
        tasks.extend(open.into_iter().map(|(id, title)| Task {
            title,
            link: format!("{public_url}/unterstuetzung/{id}"),
        }));
    }
    let own: Vec<String> = measures::table
        .filter(measures::owner_user_id.eq(&user.id))
        .filter(measures::status.ne_all(["done", "dropped"]))
        .select(measures::title)
        .limit(10)
        .load(conn)?;
    tasks.extend(own.into_iter().map(|title| Task {
        title,
        link: format!("{public_url}/strategie"),
    }));
    let groups: Vec<Group> = order
        .into_iter()
        .filter_map(|k| groups.remove(&k))
        .collect();
    // Deadlines of the next 14 days from the user's calendar (interest or applications of the town).
    let deadlines: Vec<Task> = crate::funding::ics::entries_for(conn, user, public_url)?
        .into_iter()
        .filter(|e| in_deadline_window(e.date, until))
        .map(|e| Task {
            title: format!("{} – {}", e.date.format("%d.%m.%Y"), e.summary),
            link: e.url,
        })
        .collect();
    // Coordinators: the district's usage in the latest month with figures (`usage`).
    let usage = crate::usage::queries::digest_block(conn, &actor, public_url, locale)?;
    // Officers: the town's continuity sheets not confirmed for 90 days (`processes`).
    let continuity = crate::processes::continuity::digest_reminder(conn, &actor, public_url)?;
    let unsubscribe_api = format!("{public_url}/api/v1/unsubscribe/{unsubscribe_token}");
    let mut mail = crate::mail::render(
        "digest",
        locale,
        &user.email,
        minijinja::context! {
            name => user.name,
            period => period_label,
            count => item_count,
            groups => groups,
            tasks => tasks,
            deadlines => deadlines,
            usage => usage,
            continuity => continuity,
            settings_link => format!("{public_url}/profil/benachrichtigungen"),
            unsubscribe_link => unsubscribe_api.clone(),
        },
    )?;
    mail.headers = vec![
        ("List-Unsubscribe".into(), format!("<{unsubscribe_api}>")),
        (
            "List-Unsubscribe-Post".into(),
            "List-Unsubscribe=One-Click".into(),
        ),
    ];
    Ok(Some(Digest {
        mail,
        notification_ids: covered,
        item_count,
    }))
}

/// Whether a deadline on the German date `date` is among the next 14 days at the UTC time
/// `at`: today and the 14 days after it, counted in Berlin (a digest at 00:00 Berlin is
/// built at 23:00 UTC of the day before).
fn in_deadline_window(date: chrono::NaiveDate, at: NaiveDateTime) -> bool {
    let today = crate::db::berlin_date(at);
    date >= today && date <= today + Duration::days(14)
}

fn period_label(key: &str, locale: Locale) -> String {
    match (key.starts_with("d:"), locale) {
        (true, Locale::De) => "von heute".into(),
        (true, Locale::En) => "of today".into(),
        (false, Locale::De) => "dieser Woche".into(),
        (false, Locale::En) => "of this week".into(),
    }
}

/// Sends (queues) every digest that is due at `at`. Safe to run in several processes:
/// the (user, period) row is the idempotency key. Returns how many digests were queued.
pub fn run_due(conn: &mut DbConn, at: NaiveDateTime, public_url: &str) -> AppResult<usize> {
    let people: Vec<UserRow> = users::table
        .filter(users::active.eq(true))
        .select(UserRow::as_select())
        .load(conn)?;
    let settings: HashMap<String, (String, i32, i32, bool)> = digest_settings::table
        .select((
            digest_settings::user_id,
            digest_settings::frequency,
            digest_settings::weekday,
            digest_settings::hour,
            digest_settings::enabled,
        ))
        .load::<(String, String, i32, i32, bool)>(conn)?
        .into_iter()
        .map(|(u, f, w, h, e)| (u, (f, w, h, e)))
        .collect();
    let mut due: Vec<(UserRow, String, NaiveDateTime)> = Vec::new();
    for u in people {
        let s = match settings.get(&u.id) {
            Some((f, w, h, e)) => DigestSchedule {
                frequency: Frequency::parse(f),
                weekday: *w,
                hour: *h,
                enabled: *e,
            },
            None => DigestSchedule::default(),
        };
        if !s.enabled {
            continue;
        }
        let (key, due_at) = current_period(&s, at);
        due.push((u, key, due_at));
    }
    let keys: Vec<String> = due.iter().map(|d| d.1.clone()).collect();
    let done: std::collections::HashSet<(String, String)> = digest_runs::table
        .filter(digest_runs::period_key.eq_any(&keys))
        .select((digest_runs::user_id, digest_runs::period_key))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    // Only users with something to tell are worth a transaction.
    let waiting: std::collections::HashSet<String> = notifications::table
        .filter(notifications::mode.eq("digest"))
        .filter(notifications::digested_at.is_null())
        .select(notifications::user_id)
        .distinct()
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let candidates: Vec<(UserRow, String, NaiveDateTime)> = due
        .into_iter()
        .filter(|(user, key, _)| {
            !done.contains(&(user.id.clone(), key.clone())) && waiting.contains(&user.id)
        })
        .collect();
    // Up to 100 digests per transaction, each in its own savepoint: one digest that
    // another server took at the same moment rolls back alone, and a Monday round of
    // thousands of digests does not pay a commit for each.
    let mut queued = 0;
    for chunk in candidates.chunks(100) {
        queued += crate::db::write_transaction(conn, |conn| -> AppResult<usize> {
            let mut n = 0;
            for (user, key, due_at) in chunk {
                let (user, key, due_at) = (user, key, *due_at);
                let result = conn.transaction(|conn| -> AppResult<bool> {
                    // The (user, period) key: a second server inserting it fails and rolls back.
                    diesel::insert_into(digest_runs::table)
                        .values((
                            digest_runs::user_id.eq(&user.id),
                            digest_runs::period_key.eq(&key),
                            digest_runs::created_at.eq(now()),
                        ))
                        .execute(conn)?;
                    let token = crate::secret::random_token(24);
                    let locale = Locale::parse(&user.locale);
                    let Some(digest) = build(
                        conn,
                        user,
                        due_at,
                        &period_label(key, locale),
                        public_url,
                        &token,
                    )?
                    else {
                        // Nothing to tell after all (say, only news of projects hidden since):
                        // the period stays open, so a later check in it can still send.
                        diesel::delete(digest_runs::table.find((&user.id, &key))).execute(conn)?;
                        return Ok(false);
                    };
                    diesel::insert_into(unsubscribe_tokens::table)
                        .values((
                            unsubscribe_tokens::token_hash.eq(crate::secret::hash_token(&token)),
                            unsubscribe_tokens::user_id.eq(&user.id),
                            unsubscribe_tokens::created_at.eq(now()),
                        ))
                        .execute(conn)?;
                    let mut mail = digest.mail;
                    mail.message_id = Some(format!(
                        "digest.{}.{}@digitalnetzwerk",
                        user.id,
                        key.replace(':', ".")
                    ));
                    let idem = format!("digest:{}:{}", user.id, key);
                    super::outbox::enqueue(conn, "digest", Some(&user.id), Some(&idem), &mail)?;
                    let outbox_id: Option<String> = crate::db::schema::outbox::table
                        .filter(crate::db::schema::outbox::idempotency_key.eq(&idem))
                        .select(crate::db::schema::outbox::id)
                        .first(conn)
                        .optional()?;
                    diesel::update(digest_runs::table.find((&user.id, &key)))
                        .set(digest_runs::outbox_id.eq(outbox_id))
                        .execute(conn)?;
                    diesel::update(
                        notifications::table
                            .filter(notifications::id.eq_any(&digest.notification_ids)),
                    )
                    .set(notifications::digested_at.eq(Some(now())))
                    .execute(conn)?;
                    Ok(true)
                });
                match result {
                    Ok(true) => n += 1,
                    Ok(false) => {}
                    // Another server took the same digest at the same moment.
                    Err(crate::error::AppError::Conflict(_)) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(n)
        })?;
    }
    Ok(queued)
}

/// The next digest of `user` as it would look now (nothing is stored).
pub fn preview(conn: &mut DbConn, user: &UserRow, public_url: &str) -> AppResult<Option<Digest>> {
    let (s, _) = schedule_of(conn, &user.id)?;
    let key = current_period(&s, now()).0;
    build(
        conn,
        user,
        now(),
        &period_label(&key, Locale::parse(&user.locale)),
        public_url,
        "vorschau",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn weekly_monday_seven_berlin() {
        let s = DigestSchedule::default();
        // Wednesday 25 Nov 2026, 12:00 UTC: the period began Monday 23 Nov, 07:00 CET = 06:00 UTC.
        let (key, due) = current_period(&s, utc("2026-11-25 12:00"));
        assert_eq!(key, "w:2026-11-23");
        assert_eq!(due, utc("2026-11-23 06:00"));
        // Monday 30 Nov, 05:59 UTC (06:59 Berlin): still the previous week.
        assert_eq!(
            current_period(&s, utc("2026-11-30 05:59")).0,
            "w:2026-11-23"
        );
        assert_eq!(
            current_period(&s, utc("2026-11-30 06:00")).0,
            "w:2026-11-30"
        );
    }

    #[test]
    fn moving_the_weekday_mid_week_opens_a_new_period() {
        let monday = DigestSchedule::default();
        let thursday = DigestSchedule {
            weekday: 4,
            ..DigestSchedule::default()
        };
        // The Monday digest of 23 Nov went out; on Tuesday the user moves it to Thursday.
        let sent = current_period(&monday, utc("2026-11-23 06:30")).0;
        let (key, due) = current_period(&thursday, utc("2026-11-26 06:30"));
        assert_ne!(key, sent, "the Thursday digest of the same week is due");
        assert_eq!(due, utc("2026-11-26 06:00"));
        // Before Thursday's hour it is still the period of last Thursday.
        assert_eq!(
            current_period(&thursday, utc("2026-11-24 10:00")).0,
            "w:2026-11-19"
        );
    }

    #[test]
    fn the_deadline_window_starts_on_the_german_day() {
        let d = |m: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // 1 Dec 2026, 23:30 UTC is 2 Dec, 00:30 in Berlin: 1 Dec has passed, 16 Dec is in.
        let at = utc("2026-12-01 23:30");
        assert!(!in_deadline_window(d(12, 1), at));
        assert!(in_deadline_window(d(12, 2), at));
        assert!(in_deadline_window(d(12, 16), at));
        assert!(!in_deadline_window(d(12, 17), at));
        // Summer: 30 Jun, 22:30 UTC is 1 Jul, 00:30 in Berlin.
        let at = utc("2026-06-30 22:30");
        assert!(!in_deadline_window(d(6, 30), at));
        assert!(in_deadline_window(d(7, 15), at));
        // Positive control: in the afternoon the UTC and the German day agree.
        let at = utc("2026-12-01 14:00");
        assert!(in_deadline_window(d(12, 1), at));
        assert!(!in_deadline_window(d(12, 16), at));
    }

    #[test]
    fn daily_eighteen_across_daylight_saving() {
        let s = DigestSchedule {
            frequency: Frequency::Daily,
            weekday: 1,
            hour: 18,
            enabled: true,
        };
        // Summer (CEST, UTC+2): 18:00 Berlin = 16:00 UTC.
        let (key, due) = current_period(&s, utc("2026-07-01 16:30"));
        assert_eq!(
            (key.as_str(), due),
            ("d:2026-07-01", utc("2026-07-01 16:00"))
        );
        // Winter (CET, UTC+1): 18:00 Berlin = 17:00 UTC; at 16:30 UTC it is still yesterday's period.
        let (key, due) = current_period(&s, utc("2026-12-01 16:30"));
        assert_eq!(
            (key.as_str(), due),
            ("d:2026-11-30", utc("2026-11-30 17:00"))
        );
    }
}
