//! HTTP handlers: the in-app feed, notification settings, the digest preview,
//! one-click unsubscribe (RFC 8058, no sign-in) and the outbox view for admins.
use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{modes_of, schedule_of, DigestSchedule, Kind, Mode};
use crate::api::{if_match, with_etag, Body, Page, PageQuery};
use crate::app::AppState;
use crate::auth::{CurrentUser, Role};
use crate::db::now;
use crate::db::schema::{
    notification_settings, notification_topics, notifications, outbox, projects, unsubscribe_tokens,
};
use crate::error::{AppError, AppResult, Errors};
use crate::users::model::utc;

#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub body: String,
    /// Path inside the SPA.
    pub link: String,
    pub read: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Only unread notifications.
    pub unread: Option<bool>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

type NotificationTuple = (
    String,
    String,
    String,
    String,
    String,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

/// The signed-in user's notifications, newest first.
#[utoipa::path(tag = "notifications", params(FeedQuery), responses((status = 200, body = Page<Notification>)))]
#[get("/notifications")]
pub async fn feed(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<FeedQuery>,
) -> AppResult<HttpResponse> {
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let unread = q.unread == Some(true);
    let uid = me.user.id.clone();
    let actor = me.actor();
    let page = crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

fn visible_project_links(
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

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread: i64,
}

/// How many notifications are unread.
#[utoipa::path(tag = "notifications", responses((status = 200, body = UnreadCount)))]
#[get("/notifications/unread-count")]
pub async fn unread_count(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    let actor = me.actor();
    let unread = crate::db::run(&state.pool, move |conn| {
        Ok(notifications::table
            .filter(notifications::user_id.eq(&uid))
            .filter(notifications::read_at.is_null())
            .filter(crate::projects::visibility::names_no_hidden_project(
                "notifications.project_id",
                &actor,
            ))
            .count()
            .get_result::<i64>(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(UnreadCount { unread }))
}

/// Marks one notification read.
#[utoipa::path(tag = "notifications", responses((status = 204), (status = 404, body = crate::error::Problem)))]
#[post("/notifications/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    let id = id.into_inner();
    crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Marks all notifications read.
#[utoipa::path(tag = "notifications", responses((status = 204)))]
#[post("/notifications/read-all")]
pub async fn mark_all_read(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    crate::db::run(&state.pool, move |conn| {
        diesel::update(
            notifications::table
                .filter(notifications::user_id.eq(&uid))
                .filter(notifications::read_at.is_null()),
        )
        .set(notifications::read_at.eq(Some(now())))
        .execute(conn)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationSettings {
    /// Mode per kind of event.
    pub kinds: BTreeMap<Kind, Mode>,
    pub digest: DigestSchedule,
    /// Topics (ids from GET /topics) for "new in the network": only projects with one of
    /// them are announced; empty means all topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Send back unchanged; also in the ETag.
    #[serde(default)]
    pub version: i32,
}

fn settings_of(conn: &mut crate::db::DbConn, uid: &str) -> AppResult<NotificationSettings> {
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

/// The signed-in user's notification settings (defaults where never changed).
#[utoipa::path(tag = "notifications", responses((status = 200, body = NotificationSettings)))]
#[get("/me/notification-settings")]
pub async fn get_settings(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    let s = crate::db::run(&state.pool, move |conn| settings_of(conn, &uid)).await?;
    Ok(with_etag(StatusCode::OK, s.version, &s))
}

/// Saves notification settings. Requires `If-Match` (0 before the first save).
#[utoipa::path(tag = "notifications", request_body = NotificationSettings, params(("If-Match" = String, Header)), responses(
    (status = 200, body = NotificationSettings), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[put("/me/notification-settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    body: Body<NotificationSettings>,
) -> AppResult<HttpResponse> {
    let version = if_match(&req)?;
    let s = body.0;
    let mut e = Errors::new();
    if !(0..=23).contains(&s.digest.hour) {
        e.push("digest.hour", "Die Uhrzeit liegt zwischen 0 und 23 Uhr.");
    }
    if !(1..=7).contains(&s.digest.weekday) {
        e.push(
            "digest.weekday",
            "Der Wochentag liegt zwischen 1 (Montag) und 7 (Sonntag).",
        );
    }
    e.finish()?;
    let uid = me.user.id.clone();
    let actor = me.actor();
    let out = crate::db::tx(&state.pool, move |conn| {
        let (_, current) = schedule_of(conn, &uid)?;
        if current != version {
            return Err(AppError::PreconditionFailed);
        }
        diesel::delete(notification_settings::table.filter(notification_settings::user_id.eq(&uid))).execute(conn)?;
        for (k, m) in &s.kinds {
            diesel::insert_into(notification_settings::table)
                .values((notification_settings::user_id.eq(&uid), notification_settings::kind.eq(k.as_str()), notification_settings::mode.eq(m.as_str())))
                .execute(conn)?;
        }
        let known = crate::projects::queries::topic_ids(conn)?;
        if let Some(bad) = s.topics.iter().find(|t| !known.contains(t)) {
            return Err(AppError::field("topics", &format!("Das Thema „{bad}“ gibt es nicht.")));
        }
        diesel::delete(notification_topics::table.filter(notification_topics::user_id.eq(&uid))).execute(conn)?;
        let mut topics = s.topics.clone();
        topics.sort();
        topics.dedup();
        for t in &topics {
            diesel::insert_into(notification_topics::table)
                .values((notification_topics::user_id.eq(&uid), notification_topics::topic_id.eq(t)))
                .execute(conn)?;
        }
        super::save_schedule(conn, &uid, &s.digest, current + 1)?;
        let frequency = s.digest.frequency.as_str();
        crate::audit::record(conn, Some(&actor), crate::audit::Entry {
            action: "user.notification_settings",
            object_type: "user",
            object_id: &uid,
            district_id: actor.district_id.as_deref(),
            municipality_id: actor.municipality_id.as_deref(),
            summary: serde_json::json!({"frequency": frequency, "hour": s.digest.hour, "weekday": s.digest.weekday, "enabled": s.digest.enabled, "topics": topics}),
        })?;
        settings_of(conn, &uid)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DigestPreview {
    /// false when nothing is waiting (an empty digest is not sent).
    pub has_content: bool,
    pub item_count: usize,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
}

/// The signed-in user's next digest as it would look now.
#[utoipa::path(tag = "notifications", responses((status = 200, body = DigestPreview)))]
#[get("/me/digest/preview")]
pub async fn preview(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let user = me.user;
    let url = state.config.public_url.clone();
    let d = crate::db::run(&state.pool, move |conn| {
        super::digest::preview(conn, &user, &url)
    })
    .await?;
    let out = match d {
        Some(d) => DigestPreview {
            has_content: true,
            item_count: d.item_count,
            subject: Some(d.mail.subject),
            text: Some(d.mail.text),
            html: Some(d.mail.html),
        },
        None => DigestPreview {
            has_content: false,
            item_count: 0,
            subject: None,
            text: None,
            html: None,
        },
    };
    Ok(HttpResponse::Ok().json(out))
}

fn page_html(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1>{body}<p><a href=\"/\">Zum Digitalnetzwerk</a></p></main></body></html>"
    )
}

/// Confirmation page of the unsubscribe link in a digest (no sign-in needed).
#[utoipa::path(tag = "notifications", security(()), responses((status = 200, content_type = "text/html", body = String)))]
#[get("/unsubscribe/{token}")]
pub async fn unsubscribe_page(token: web::Path<String>) -> HttpResponse {
    let token: String = token
        .into_inner()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page_html(
        "Zusammenfassungen abbestellen",
        &format!(
            "<p>Möchten Sie keine E-Mail-Zusammenfassungen mehr erhalten? Sofort-Benachrichtigungen (z. B. Erwähnungen) bleiben bestehen.</p>\
             <form method=\"post\" action=\"/api/v1/unsubscribe/{token}\"><button type=\"submit\">Abbestellen</button></form>"
        ),
    ))
}

/// One-click unsubscribe (RFC 8058): turns the digest off. The link works once.
#[utoipa::path(tag = "notifications", security(()), responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::error::Problem)))]
#[post("/unsubscribe/{token}")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let hash = crate::auth::tokens::hash_token(&token.into_inner());
    crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page_html(
        "Abbestellt",
        "<p>Sie erhalten keine E-Mail-Zusammenfassungen mehr. In Ihrem Profil können Sie sie wieder einschalten.</p>",
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// `pending`, `sent` (with the server's answer), `failed` (given up) or `unconfirmed`
    /// (handed to the SMTP server by a worker that stopped before the answer; counted as
    /// delivered, never sent again). Default: failed.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

type OutboxTuple = (
    String,
    String,
    String,
    String,
    i32,
    chrono::NaiveDateTime,
    chrono::NaiveDateTime,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Mails in the outbox by state, for admins (failures stay visible here).
#[utoipa::path(tag = "notifications", params(OutboxQuery), responses((status = 200, body = Page<super::outbox::OutboxEntry>), (status = 403, body = crate::error::Problem)))]
#[get("/admin/outbox")]
pub async fn admin_outbox(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<OutboxQuery>,
) -> AppResult<HttpResponse> {
    if me.user.role() != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let actor = me.actor();
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let status = q.status.clone().unwrap_or_else(|| "failed".into());
    if !["pending", "sent", "failed", "unconfirmed"].contains(&status.as_str()) {
        return Err(AppError::field(
            "status",
            "Erlaubt sind pending, sent, failed und unconfirmed.",
        ));
    }
    let page = crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Queues a mail that was given up on once more (admins, e.g. after a long mail server
/// outage): it is due at once, with a fresh give-up period. Only failed mails qualify.
#[utoipa::path(tag = "notifications", responses((status = 204), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
#[post("/admin/outbox/{id}/retry")]
pub async fn retry_outbox_mail(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    if me.user.role() != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    state.wakeup.wake();
    Ok(HttpResponse::NoContent().finish())
}
