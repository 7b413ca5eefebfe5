//! HTTP handlers: the in-app feed, notification settings, the digest preview,
//! one-click unsubscribe (RFC 8058, no sign-in) and the outbox view for admins.
use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::{if_match, with_etag, Body, Page};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, Errors};
use crate::state::AppState;

/// The signed-in user's notifications, newest first.
#[utoipa::path(tag = "notifications", params(FeedQuery), responses((status = 200, body = Page<Notification>)))]
#[get("/notifications")]
pub async fn feed(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<FeedQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let unread = q.unread == Some(true);
    let uid = me.user.id.clone();
    let actor = me.actor();
    let page = crate::db::run(&state.pool, move |conn| {
        queries::feed_page(conn, actor, paging, uid, unread)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// How many notifications are unread.
#[utoipa::path(tag = "notifications", responses((status = 200, body = UnreadCount)))]
#[get("/notifications/unread-count")]
pub async fn unread_count(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    let actor = me.actor();
    let unread = crate::db::run(&state.pool, move |conn| {
        queries::unread_count(conn, actor, uid)
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
    crate::db::run(&state.pool, move |conn| queries::mark_read(conn, id, uid)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Marks all notifications read.
#[utoipa::path(tag = "notifications", responses((status = 204)))]
#[post("/notifications/read-all")]
pub async fn mark_all_read(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    crate::db::run(&state.pool, move |conn| queries::mark_all_read(conn, uid)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user's notification settings (defaults where never changed).
#[utoipa::path(tag = "notifications", responses((status = 200, body = NotificationSettings)))]
#[get("/me/notification-settings")]
pub async fn get_settings(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let uid = me.user.id.clone();
    let s = crate::db::run(&state.pool, move |conn| queries::settings_of(conn, &uid)).await?;
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
        queries::put_settings(conn, actor, s, uid, version)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
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

/// A small server-rendered page, with the legal links every page of the platform carries.
fn page_html(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1>{body}<p><a href=\"/\">Zum Digitalnetzwerk</a></p></main>\
         <footer><a href=\"/impressum\">Impressum</a> · <a href=\"/datenschutz\">Datenschutz</a> · \
         <a href=\"/barrierefreiheit\">Barrierefreiheit</a></footer></body></html>"
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
    let hash = crate::secret::hash_token(&token.into_inner());
    crate::db::tx(&state.pool, move |conn| {
        queries::unsubscribe_by_hash(conn, hash)
    })
    .await?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page_html(
        "Abbestellt",
        "<p>Sie erhalten keine E-Mail-Zusammenfassungen mehr. In Ihrem Profil können Sie sie wieder einschalten.</p>",
    )))
}

/// Mails in the outbox by state, for admins (failures stay visible here).
#[utoipa::path(tag = "notifications", params(OutboxQuery), responses((status = 200, body = Page<super::outbox::OutboxEntry>), (status = 403, body = crate::error::Problem)))]
#[get("/admin/outbox")]
pub async fn admin_outbox(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<OutboxQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !crate::auth::policy::can_view_outbox(&actor) {
        return Err(AppError::Forbidden);
    }
    let paging = crate::api::paging(q.page, q.limit)?;
    let status = q.status.clone().unwrap_or_else(|| "failed".into());
    if !["pending", "sent", "failed", "unconfirmed"].contains(&status.as_str()) {
        return Err(AppError::field(
            "status",
            "Erlaubt sind pending, sent, failed und unconfirmed.",
        ));
    }
    let page = crate::db::run(&state.pool, move |conn| {
        queries::outbox_page(conn, actor, paging, status)
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
    let actor = me.actor();
    if !crate::auth::policy::can_view_outbox(&actor) {
        return Err(AppError::Forbidden);
    }
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        queries::retry_mail(conn, actor, id)
    })
    .await?;
    state.wakeup.wake();
    Ok(HttpResponse::NoContent().finish())
}
