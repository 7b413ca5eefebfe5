//! HTTP handlers for support requests: extract, ask the policy, call `queries`, answer.
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::{if_match, with_etag, Body, Page};
use crate::auth::policy::{self, Scope};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, Errors};
use crate::state::AppState;

/// The requests the caller may see: coordinators their district's queue, towns their own.
#[utoipa::path(tag = "support", params(SupportQuery), responses((status = 200, body = Page<SupportRequest>)))]
#[get("/support/requests")]
pub async fn list_requests(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<SupportQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let (actor, q) = (me.actor(), q.into_inner());
    let days = state.config.support_overdue_working_days;
    let page = crate::db::run(&state.pool, move |conn| {
        queries::list_requests(conn, actor, q, paging, days)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Opens a request for the caller's town.
#[utoipa::path(tag = "support", request_body = NewRequest, responses(
    (status = 201, body = SupportRequest), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/support/requests")]
pub async fn create_request(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<NewRequest>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let b = body.0;
    let mut e = Errors::new();
    let title = b.title.trim().to_string();
    let description = b.description.trim().to_string();
    if crate::text::check_line(&mut e, "title", &title)
        && (title.chars().count() < 3 || title.chars().count() > 200)
    {
        e.push("title", "Bitte einen Titel mit 3 bis 200 Zeichen angeben.");
    }
    if description.is_empty() || description.chars().count() > 20_000 {
        e.push(
            "description",
            "Bitte beschreiben, wobei Sie Unterstützung brauchen (höchstens 20 000 Zeichen).",
        );
    }
    if b.wished_date.is_some_and(|d| d < crate::db::today()) {
        e.push(
            "wished_date",
            "Der Wunschtermin liegt in der Vergangenheit.",
        );
    }
    e.finish()?;
    let days = state.config.support_overdue_working_days;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_request(conn, actor, b, title, description, days)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, out.version, &out))
}

/// One request with its conversation (internal notes only for coordinators).
#[utoipa::path(tag = "support", responses((status = 200, body = SupportRequestDetail), (status = 404, body = crate::error::Problem)))]
#[get("/support/requests/{id}")]
pub async fn get_request(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let days = state.config.support_overdue_working_days;
    let out = crate::db::run(&state.pool, move |conn| {
        queries::request_detail(conn, actor, id, days)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.request.version, &out))
}

/// Adds a public reply or an internal note. The district's first public reply sets the response time.
#[utoipa::path(tag = "support", request_body = NewMessage, responses(
    (status = 201, body = SupportMessage), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/support/requests/{id}/messages")]
pub async fn add_message(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewMessage>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let author = me.user.name.clone();
    let (id, m) = (id.into_inner(), body.0);
    let text = m.body.trim().to_string();
    if text.is_empty() || text.chars().count() > 20_000 {
        return Err(AppError::field(
            "body",
            "Bitte einen Text mit höchstens 20 000 Zeichen schreiben.",
        ));
    }
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::add_message(conn, actor, author, id, m, text)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Assigns the request to a coordinator of the district (coordinators; self-assignment allowed).
#[utoipa::path(tag = "support", request_body = Assignment, params(("If-Match" = String, Header)), responses(
    (status = 200, body = SupportRequest), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[post("/support/requests/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<Assignment>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, a) = (id.into_inner(), body.0);
    let days = state.config.support_overdue_working_days;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::assign(conn, actor, id, version, a, days)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Moves the request along its life cycle (coordinators). Declining needs a reason.
#[utoipa::path(tag = "support", request_body = SupportStatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = SupportRequest), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[post("/support/requests/{id}/status")]
pub async fn change_request_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<SupportStatusChange>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, c) = (id.into_inner(), body.0);
    let reason = c
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
    if c.status == SupportStatus::Declined && reason.is_none() {
        return Err(AppError::field(
            "reason",
            "Bitte einen Grund für die Ablehnung angeben.",
        ));
    }
    let days = state.config.support_overdue_working_days;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::change_request_status(conn, actor, id, version, c, reason, days)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Workload per coordinator of a district (coordinators: their own; admins: the chosen one).
#[utoipa::path(tag = "support", params(WorkloadQuery), responses((status = 200, body = WorkloadList), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[get("/support/workload")]
pub async fn workload(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<WorkloadQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let district = crate::api::readable_district(&actor, q.into_inner().district_id)?;
    if !policy::can_triage_support(&actor, Scope::new(Some(&district), None)) {
        return Err(AppError::Forbidden);
    }
    let days = state.config.support_overdue_working_days;
    let out = crate::db::run(&state.pool, move |conn| {
        queries::workload(conn, district, days)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
