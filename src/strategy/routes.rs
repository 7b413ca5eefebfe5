//! HTTP handlers for strategies, goal fields and measures: extract, check, call
//! `queries`, answer.
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::{if_match, Body};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

/// The strategy of a district (`kind` = `district`) or a town (`kind` = `municipality`), with computed progress.
#[utoipa::path(tag = "strategy", params(("kind" = String, Path, description = "district or municipality")), responses(
    (status = 200, body = Strategy), (status = 404, body = crate::error::Problem)))]
#[get("/strategies/{kind}/{id}")]
pub async fn get_strategy(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (kind, id) = path.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        queries::strategy_view(conn, actor, kind, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Adds a goal field to a strategy (created on first use).
#[utoipa::path(tag = "strategy", request_body = NewGoalField, params(("kind" = String, Path, description = "district or municipality")), responses(
    (status = 201, body = Strategy), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/strategies/{kind}/{id}/goal-fields")]
pub async fn create_goal_field(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: Body<NewGoalField>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (kind, id) = path.into_inner();
    let input = GoalFieldInput::from(body.0);
    check_goal_field(&input, true)?;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_goal_field(conn, actor, kind, id, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Edits a goal field. Requires `If-Match` (the goal field's version).
#[utoipa::path(tag = "strategy", request_body = GoalFieldInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Strategy), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/goal-fields/{id}")]
pub async fn update_goal_field(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<GoalFieldInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    check_goal_field(&input, false)?;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_goal_field(conn, actor, id, version, input)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Deletes a goal field with its measures.
#[utoipa::path(tag = "strategy", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/goal-fields/{id}")]
pub async fn delete_goal_field(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        queries::delete_goal_field(conn, actor, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds a measure to a goal field.
#[utoipa::path(tag = "strategy", request_body = NewMeasure, responses(
    (status = 201, body = Strategy), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/goal-fields/{id}/measures")]
pub async fn create_measure(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewMeasure>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (gid, input) = (id.into_inner(), body.0.into());
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_measure(conn, actor, gid, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Edits a measure (title, owner, target date, linked projects). Requires `If-Match`.
#[utoipa::path(tag = "strategy", request_body = MeasureInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Strategy), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/measures/{id}")]
pub async fn update_measure(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<MeasureInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_measure(conn, actor, id, version, input)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Moves a measure along planned → in progress → done (or dropped). Requires `If-Match`.
#[utoipa::path(tag = "strategy", request_body = MeasureStatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Strategy), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/measures/{id}/status")]
pub async fn change_measure_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<MeasureStatusChange>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, to) = (id.into_inner(), body.0.status);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::change_measure_status(conn, actor, id, version, to)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Deletes a measure.
#[utoipa::path(tag = "strategy", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/measures/{id}")]
pub async fn delete_measure(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        queries::delete_measure(conn, actor, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
