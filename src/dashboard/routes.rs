//! HTTP handlers for the district and town dashboards.
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{DistrictDashboard, TownDashboard};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// Defaults to the caller's district.
    pub district_id: Option<String>,
}

/// Where the district stands: projects, EfA, OZG coverage, support, strategy, recent activity.
#[utoipa::path(tag = "dashboard", params(DashboardQuery), responses((status = 200, body = DistrictDashboard), (status = 404, body = crate::error::Problem)))]
#[get("/dashboard/district")]
pub async fn district(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<DashboardQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let district = crate::api::readable_district(&actor, q.into_inner().district_id)?;
    let days = state.config.support_overdue_working_days;
    let body = crate::db::run(&state.pool, move |conn| {
        super::cache::cached(conn, &actor, &district, days, |conn| {
            let out = super::district_dashboard(conn, &actor, &district, days)?;
            serde_json::to_vec(&out).map_err(|e| crate::error::AppError::internal(e.to_string()))
        })
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// The signed-in user's town: open requests, own measures, the town's projects, news from followed projects.
#[utoipa::path(tag = "dashboard", responses((status = 200, body = TownDashboard)))]
#[get("/dashboard/town")]
pub async fn town(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let out = crate::db::run(&state.pool, move |conn| super::town_dashboard(conn, &actor)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// "Heute wichtig" for the signed-in user: funding deadlines, own checklist items, support requests waiting for them, measures due, news from followed projects; for coordinators the district's key numbers.
#[utoipa::path(tag = "dashboard", params(super::today::TodayQuery), responses((status = 200, body = super::today::Today), (status = 422, body = crate::error::Problem)))]
#[get("/me/today")]
pub async fn my_today(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<super::today::TodayQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let days = q.horizon()?;
    let overdue = state.config.support_overdue_working_days;
    let out = crate::db::run(&state.pool, move |conn| {
        super::today::today(conn, &actor, days, overdue)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
