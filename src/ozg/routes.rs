//! Browsing the OZG catalogue: by Themenfeld, by text, by OZG-ID.
use actix_web::{get, web, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::Page;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

/// The 14 Themenfelder with the number of OZG services in each.
#[utoipa::path(tag = "ozg", responses((status = 200, body = ThemenfeldList)))]
#[get("/ozg/themenfelder")]
pub async fn list_themenfelder(
    state: web::Data<AppState>,
    _me: CurrentUser,
) -> AppResult<HttpResponse> {
    let items = crate::db::run(&state.pool, queries::themenfelder).await?;
    Ok(HttpResponse::Ok().json(ThemenfeldList { items }))
}

/// Lebens- and Unternehmenslagen, optionally of one Themenfeld.
#[utoipa::path(tag = "ozg", params(LebenslageQuery), responses((status = 200, body = LebenslageList)))]
#[get("/ozg/lebenslagen")]
pub async fn list_lebenslagen(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<LebenslageQuery>,
) -> AppResult<HttpResponse> {
    let tf = q.themenfeld_id;
    let items = crate::db::run(&state.pool, move |conn| queries::lebenslagen(conn, tf)).await?;
    Ok(HttpResponse::Ok().json(LebenslageList { items }))
}

/// OZG services, filtered by Themenfeld, Lebenslage and text, ordered by OZG-ID.
#[utoipa::path(tag = "ozg", params(OzgQuery), responses((status = 200, body = Page<OzgService>)))]
#[get("/ozg/services")]
pub async fn list_services(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<OzgQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let q = q.into_inner();
    let (rows, total) =
        crate::db::run(&state.pool, move |conn| queries::services(conn, paging, q)).await?;
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(to_service).collect(),
        paging,
        total,
    )))
}

/// One OZG service with its LeiKa services.
#[utoipa::path(tag = "ozg", responses((status = 200, body = OzgService), (status = 404, body = crate::error::Problem)))]
#[get("/ozg/services/{ozg_id}")]
pub async fn get_service(
    state: web::Data<AppState>,
    _me: CurrentUser,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let service = crate::db::run(&state.pool, move |conn| queries::service(conn, id)).await?;
    Ok(HttpResponse::Ok().json(service))
}
