//! HTTP handlers for listing and editing user accounts (including deactivation).
use actix_web::http::StatusCode;
use actix_web::{get, patch, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries::{self, UserFilter};
use crate::api::{if_match, with_etag, Body, Page};
use crate::auth::model::PersonName;
use crate::auth::CurrentUser;
use crate::error::{AppResult, Errors};
use crate::state::AppState;

/// Users the caller may see: admins all, coordinators their district, officers and members their town.
#[utoipa::path(tag = "users", params(UserQuery), responses((status = 200, body = Page<User>)))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<UserQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let q = q.into_inner();
    let actor = me.actor();
    let filter = UserFilter {
        district_id: q.district_id,
        municipality_id: q.municipality_id,
        role: q.role,
        active: q.active,
        q: q.q,
    };
    let (items, total) = crate::db::run(&state.pool, move |c| {
        queries::list_user_page(c, &actor, &filter, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(items, paging, total)))
}

/// One user; 404 when the caller may not see them.
#[utoipa::path(tag = "users", responses((status = 200, body = User), (status = 404, body = crate::error::Problem)))]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = me.actor();
    let user = crate::db::run(&state.pool, move |c| queries::visible_user(c, &actor, &id)).await?;
    Ok(with_etag(StatusCode::OK, user.version, &user))
}

/// Changes a user's name, role or active flag (admins; coordinators in their district).
/// Deactivating ends all of the user's sessions. Requires `If-Match`.
#[utoipa::path(tag = "users", request_body = UserPatch, params(("If-Match" = String, Header)), responses(
    (status = 200, body = User), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 412, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<UserPatch>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let b = body.0;
    let mut e = Errors::new();
    let name = b
        .name
        .as_deref()
        .map(|n| e.check("name", PersonName::parse(n)));
    e.finish()?;
    let version = if_match(&req)?;
    let user = crate::db::tx(&state.pool, move |conn| {
        queries::update_user_view(conn, actor, b, id, name, version)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, user.version, &user))
}
