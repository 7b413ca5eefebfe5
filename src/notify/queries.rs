//! Reading and writing notifications, settings, unsubscribe tokens and the outbox view.
// Diesel select tuples spell out their column types here; naming each would not help a reader.
#![allow(clippy::type_complexity)]
use diesel::prelude::*;

use super::model::*;
use super::{modes_of, schedule_of, DigestSchedule, Kind};
use crate::api::{Page, Paging};
use crate::auth::model::Actor;
use crate::db::schema::{
    notification_settings, notification_topics, notifications, outbox, projects, unsubscribe_tokens,
};
use crate::db::{now, utc, DbConn};
use crate::error::{AppError, AppResult};

pub fn visible_project_links(
    conn: &mut crate::db::DbConn,
    actor: &crate::auth::model::Actor,
    rows: &[NotificationTuple],
) -> AppResult<impl Fn(&str) -> bool> {
    let ids: Vec<String> = rows
        .iter()
        .filter_map(|r| r.4.strip_prefix("/projekte/").map(str::to_string))
        .collect();
    let visible: std::collections::HashSet<String> = crate::db::schema::projects::table
        .filter(crate::projects::visibility::visible_to(Some(actor)))
        .filter(crate::db::schema::projects::id.eq_any(&ids))
        .select(crate::db::schema::projects::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    Ok(move |link: &str| match link.strip_prefix("/projekte/") {
        Some(id) => visible.contains(id),
        None => true,
    })
}

pub fn settings_of(conn: &mut crate::db::DbConn, uid: &str) -> AppResult<NotificationSettings> {
    let modes = modes_of(conn, &[uid.to_string()])?;
    let kinds = Kind::ALL
        .into_iter()
        .map(|k| (k, super::mode_for(&modes, uid, k)))
        .collect();
    let (digest, version) = schedule_of(conn, uid)?;
    let topics = notification_topics::table
        .inner_join(crate::db::schema::topics::table)
        .filter(notification_topics::user_id.eq(uid))
        .select(notification_topics::topic_id)
        .order(crate::db::schema::topics::position.asc())
        .load(conn)?;
    Ok(NotificationSettings {
        kinds,
        digest,
        topics,
        version,
    })
}

pub fn feed_page(
    conn: &mut DbConn,
    actor: Actor,
    paging: Paging,
    uid: String,
    unread: bool,
) -> AppResult<Page<Notification>> {
    let filtered = || {
        // Notifications about a project hidden since are neither listed nor counted.
        let mut query = notifications::table
            .filter(notifications::user_id.eq(uid.clone()))
            .filter(crate::projects::visibility::names_no_hidden_project(
                "notifications.project_id",
                &actor,
            ))
            .into_boxed();
        if unread {
            query = query.filter(notifications::read_at.is_null());
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<NotificationTuple> = filtered()
        .select((
            notifications::id,
            notifications::kind,
            notifications::title,
            notifications::body,
            notifications::link,
            notifications::read_at,
            notifications::created_at,
        ))
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    // A project hidden since the notification was made is not shown.
    let visible = visible_project_links(conn, &actor, &rows)?;
    let items = rows
        .into_iter()
        .filter(|r| visible(&r.4))
        .map(|(id, kind, title, body, link, read_at, at)| Notification {
            id,
            kind: Kind::parse(&kind).unwrap_or(Kind::FollowedProjects),
            title,
            body,
            link,
            read: read_at.is_some(),
            created_at: utc(at),
        })
        .collect();
    Ok(Page::new(items, paging, total))
}

pub fn unread_count(conn: &mut DbConn, actor: Actor, uid: String) -> AppResult<i64> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(&uid))
        .filter(notifications::read_at.is_null())
        .filter(crate::projects::visibility::names_no_hidden_project(
            "notifications.project_id",
            &actor,
        ))
        .count()
        .get_result::<i64>(conn)?)
}

pub fn mark_read(conn: &mut DbConn, id: String, uid: String) -> AppResult<()> {
    let n: i64 = notifications::table
        .filter(notifications::id.eq(&id))
        .filter(notifications::user_id.eq(&uid))
        .count()
        .get_result(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    diesel::update(
        notifications::table
            .find(&id)
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

pub fn mark_all_read(conn: &mut DbConn, uid: String) -> AppResult<()> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(&uid))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

pub fn put_settings(
    conn: &mut DbConn,
    actor: Actor,
    s: NotificationSettings,
    uid: String,
    version: i32,
) -> AppResult<NotificationSettings> {
    let (_, current) = schedule_of(conn, &uid)?;
    if current != version {
        return Err(AppError::PreconditionFailed);
    }
    diesel::delete(notification_settings::table.filter(notification_settings::user_id.eq(&uid)))
        .execute(conn)?;
    for (k, m) in &s.kinds {
        diesel::insert_into(notification_settings::table)
            .values((
                notification_settings::user_id.eq(&uid),
                notification_settings::kind.eq(k.as_str()),
                notification_settings::mode.eq(m.as_str()),
            ))
            .execute(conn)?;
    }
    let known = crate::projects::queries::topic_ids(conn)?;
    if let Some(bad) = s.topics.iter().find(|t| !known.contains(t)) {
        return Err(AppError::field(
            "topics",
            &format!("Das Thema „{bad}“ gibt es nicht."),
        ));
    }
    diesel::delete(notification_topics::table.filter(notification_topics::user_id.eq(&uid)))
        .execute(conn)?;
    let mut topics = s.topics.clone();
    topics.sort();
    topics.dedup();
    for t in &topics {
        diesel::insert_into(notification_topics::table)
            .values((
                notification_topics::user_id.eq(&uid),
                notification_topics::topic_id.eq(t),
            ))
            .execute(conn)?;
    }
    super::save_schedule(conn, &uid, &s.digest, current + 1)?;
    let frequency = s.digest.frequency.as_str();
    crate::audit::record(
        conn,
        Some(&actor),
        crate::audit::Entry {
            action: "user.notification_settings",
            object_type: "user",
            object_id: &uid,
            district_id: actor.district_id.as_deref(),
            municipality_id: actor.municipality_id.as_deref(),
            summary: serde_json::json!({"frequency": frequency, "hour": s.digest.hour, "weekday": s.digest.weekday, "enabled": s.digest.enabled, "topics": topics}),
        },
    )?;
    settings_of(conn, &uid)
}

pub fn unsubscribe_by_hash(conn: &mut DbConn, hash: String) -> AppResult<()> {
    let uid: Option<String> = unsubscribe_tokens::table
        .filter(unsubscribe_tokens::token_hash.eq(&hash))
        .filter(unsubscribe_tokens::used_at.is_null())
        .select(unsubscribe_tokens::user_id)
        .first(conn)
        .optional()?;
    let Some(uid) = uid else {
        return Err(AppError::NotFound);
    };
    diesel::update(unsubscribe_tokens::table.find(&hash))
        .set(unsubscribe_tokens::used_at.eq(Some(now())))
        .execute(conn)?;
    let (s, v) = schedule_of(conn, &uid)?;
    super::save_schedule(
        conn,
        &uid,
        &DigestSchedule {
            enabled: false,
            ..s
        },
        v + 1,
    )?;
    crate::audit::record(
        conn,
        None,
        crate::audit::Entry {
            action: "user.digest_unsubscribe",
            object_type: "user",
            object_id: &uid,
            district_id: None,
            municipality_id: None,
            summary: serde_json::json!({"via": "one-click"}),
        },
    )
}

pub fn outbox_page(
    conn: &mut DbConn,
    actor: Actor,
    paging: Paging,
    status: String,
) -> AppResult<Page<super::outbox::OutboxEntry>> {
    let filtered = || {
        let q = outbox::table.into_boxed();
        match status.as_str() {
            "sent" => q
                .filter(outbox::sent_at.is_not_null())
                .filter(outbox::smtp_response.is_not_null()),
            "failed" => q.filter(outbox::failed_at.is_not_null()),
            "unconfirmed" => q
                .filter(outbox::sent_at.is_not_null())
                .filter(outbox::handed_over_at.is_not_null())
                .filter(outbox::smtp_response.is_null()),
            _ => q
                .filter(outbox::sent_at.is_null())
                .filter(outbox::failed_at.is_null()),
        }
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<OutboxTuple> = filtered()
        .select((
            outbox::id,
            outbox::kind,
            outbox::to_email,
            outbox::subject,
            outbox::attempts,
            outbox::created_at,
            outbox::next_attempt_at,
            outbox::sent_at,
            outbox::failed_at,
            outbox::last_error,
            outbox::smtp_response,
            outbox::project_id,
        ))
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    // A mail's subject names its project; withhold it where the admin may not read it.
    let about: Vec<&str> = rows.iter().filter_map(|r| r.11.as_deref()).collect();
    let readable: std::collections::HashSet<String> = projects::table
        .filter(projects::id.eq_any(&about))
        .filter(crate::projects::visibility::visible_to(Some(&actor)))
        .select(projects::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let items = rows
        .into_iter()
        .map(|r| super::outbox::OutboxEntry {
            id: r.0,
            kind: r.1,
            to_email: r.2,
            subject: match &r.11 {
                Some(p) if !readable.contains(p) => {
                    "Benachrichtigung zu einem Projekt, das Sie nicht sehen dürfen".into()
                }
                _ => r.3,
            },
            attempts: r.4,
            created_at: utc(r.5),
            next_attempt_at: utc(r.6),
            sent_at: r.7.map(utc),
            failed_at: r.8.map(utc),
            last_error: r.9,
            smtp_response: r.10,
        })
        .collect();
    Ok(Page::new(items, paging, total))
}

pub fn retry_mail(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<()> {
    let state: Option<(Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)> =
        outbox::table
            .find(&id)
            .select((outbox::failed_at, outbox::sent_at))
            .first(conn)
            .optional()?;
    match state {
        None => return Err(AppError::NotFound),
        Some((Some(_), None)) => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "Nur aufgegebene Mails können erneut gesendet werden.".into(),
            ))
        }
    }
    let t = now();
    diesel::update(outbox::table.find(&id))
        .set((
            outbox::failed_at.eq(None::<chrono::NaiveDateTime>),
            outbox::created_at.eq(t),
            outbox::next_attempt_at.eq(t),
            outbox::attempts.eq(0),
        ))
        .execute(conn)?;
    crate::audit::record(
        conn,
        Some(&actor),
        crate::audit::Entry {
            action: "outbox.retry",
            object_type: "outbox",
            object_id: &id,
            district_id: None,
            municipality_id: None,
            summary: serde_json::json!({}),
        },
    )
}
