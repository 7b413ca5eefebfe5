//! HTTP handlers for listing and editing user accounts (including deactivation).
use actix_web::http::StatusCode;
use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use super::model::{User, UserPatch};
use super::queries::{self, UserFilter};
use crate::api::{if_match, with_etag, Body, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::model::PersonName;
use crate::auth::{policy, CurrentUser, Role};
use crate::db::now;
use crate::db::schema::users;
use crate::error::{AppError, AppResult, Errors};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Part of the name or email.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// Users the caller may see: admins all, coordinators their district, officers and members their town.
#[utoipa::path(tag = "users", params(UserQuery), responses((status = 200, body = Page<User>)))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<UserQuery>,
) -> AppResult<HttpResponse> {
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let q = q.into_inner();
    let actor = me.actor();
    let filter = UserFilter {
        district_id: q.district_id,
        municipality_id: q.municipality_id,
        role: q.role,
        active: q.active,
        q: q.q,
    };
    let (rows, total) = crate::db::run(&state.pool, move |c| {
        queries::list_users(c, &actor, &filter, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(
        rows.iter().map(User::from).collect(),
        paging,
        total,
    )))
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
    let row = crate::db::run(&state.pool, move |c| {
        crate::auth::queries::user_by_id(c, &id)
    })
    .await?
    .filter(|u| policy::can_view_user(&actor, u.scope()))
    .ok_or(AppError::NotFound)?;
    Ok(with_etag(StatusCode::OK, row.version, &User::from(&row)))
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
    let row = crate::db::tx(&state.pool, move |conn| {
        let before = crate::auth::queries::user_by_id(conn, &id)?
            .filter(|u| policy::can_view_user(&actor, u.scope()))
            .ok_or(AppError::NotFound)?;
        if !policy::can_edit_user(&actor, before.scope(), before.role()) {
            return Err(AppError::Forbidden);
        }
        if let Some(role) = b.role {
            if !policy::can_assign_role(&actor, role, before.scope()) {
                return Err(AppError::field(
                    "role",
                    "Diese Rolle dürfen Sie nicht vergeben.",
                ));
            }
            if role.needs_municipality() != before.role().needs_municipality() {
                return Err(AppError::field(
                    "role",
                    "Die Rolle passt nicht zur Zuordnung (Kommune oder Kreis) dieses Kontos.",
                ));
            }
        }
        if before.id == actor.id
            && (b.active == Some(false) || b.role.is_some_and(|r| r != before.role()))
        {
            return Err(AppError::field(
                "active",
                "Das eigene Konto kann man hier nicht deaktivieren oder herabstufen.",
            ));
        }
        if before.version != version {
            return Err(AppError::PreconditionFailed);
        }
        let new_name = name
            .flatten()
            .map(PersonName::into_inner)
            .unwrap_or(before.name.clone());
        let new_role = b.role.unwrap_or(before.role());
        let new_active = b.active.unwrap_or(before.active);
        let n = diesel::update(users::table.find(&id).filter(users::version.eq(version)))
            .set((
                users::name.eq(&new_name),
                users::role.eq(new_role.as_str()),
                users::active.eq(new_active),
                users::version.eq(users::version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(AppError::PreconditionFailed);
        }
        if !new_active {
            crate::auth::queries::revoke_all_sessions(conn, &id)?;
        }
        let action = match (before.active, new_active) {
            (true, false) => "user.deactivate",
            (false, true) => "user.reactivate",
            _ => "user.update",
        };
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action,
                object_type: "user",
                object_id: &id,
                district_id: before.district_id.as_deref(),
                municipality_id: before.municipality_id.as_deref(),
                summary: json!({
                    "name_changed": new_name != before.name,
                    "role": {"from": before.role, "to": new_role.as_str()},
                    "active": {"from": before.active, "to": new_active},
                }),
            },
        )?;
        crate::auth::queries::user_by_id(conn, &id)?.ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, row.version, &User::from(&row)))
}
