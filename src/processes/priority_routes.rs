//! HTTP handlers for the profiles, the candidate ranking, the project draft, the
//! continuity sheets with their exercises and the offline export: extract, call
//! `profiles` / `continuity` (policy and SQL live there), answer.
use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use super::continuity::{
    self, ContinuityExercise, ContinuityExerciseList, ContinuityInput, ContinuitySheet,
    ExerciseInput, OfflineQuery,
};
use super::profiles::{
    self, CandidateQuery, CandidateRanking, ProcessProfile, ProcessProfileList, ProfileInput,
    ProfileListQuery, ProjectDraftCreated, ProjectDraftInput,
};
use crate::api::{if_match, with_etag, Body};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::state::AppState;

/// The profiles of a process per town and year, with the online share counted.
#[utoipa::path(tag = "processes", params(ProfileListQuery), responses(
    (status = 200, body = ProcessProfileList), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/profiles")]
pub async fn list_process_profiles(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    q: web::Query<ProfileListQuery>,
) -> AppResult<HttpResponse> {
    let (actor, id, year) = (me.actor(), id.into_inner(), q.year);
    let out = crate::db::run(&state.pool, move |conn| {
        profiles::list_profiles(conn, actor, id, year)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Writes one town's profile of one year (creates or replaces it).
#[utoipa::path(tag = "processes", request_body = ProfileInput, responses(
    (status = 200, body = ProcessProfile), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[put("/processes/{id}/profiles/{municipality_id}/{year}")]
pub async fn put_process_profile(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String, i32)>,
    body: Body<ProfileInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, town, year) = path.into_inner();
    let year = profiles::check_year("year", year)?;
    let values = profiles::check_profile(&body.0).map_err(|e| AppError::Validation(e.0))?;
    let out = crate::db::tx(&state.pool, move |conn| {
        profiles::put_profile(conn, actor, id, town, year, values)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// "Kandidaten für gemeinsame Digitalisierung": the district's processes ranked by their
/// towns' workload that is not yet online.
#[utoipa::path(tag = "processes", params(CandidateQuery), responses(
    (status = 200, body = CandidateRanking), (status = 400, body = crate::error::Problem),
    (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[get("/processes/candidates")]
pub async fn process_candidates(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<CandidateQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let paging = crate::api::paging(q.page, q.limit)?;
    let weights = profiles::check_weights(&q)?;
    let actor = me.actor();
    let out = crate::db::run(&state.pool, move |conn| {
        profiles::candidates(conn, actor, q, weights, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// "Projektentwurf anlegen": a project draft from a process with the chosen towns.
#[utoipa::path(tag = "processes", request_body = ProjectDraftInput, responses(
    (status = 201, body = ProjectDraftCreated), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/processes/{id}/project-draft")]
pub async fn create_process_project_draft(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<ProjectDraftInput>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), Locale::parse(&me.user.locale));
    let (id, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        profiles::create_project_draft(conn, actor, id, input, locale)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A town's continuity sheet of a process (version 0 and `exists: false` before the first save).
#[utoipa::path(tag = "processes", responses(
    (status = 200, body = ContinuitySheet), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/continuity/{municipality_id}")]
pub async fn get_continuity_sheet(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, town) = path.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        continuity::get_sheet(conn, actor, id, town)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Saves a continuity sheet. Requires `If-Match` (`"0"` for the first save).
#[utoipa::path(tag = "processes", request_body = ContinuityInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = ContinuitySheet), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 412, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
#[put("/processes/{id}/continuity/{municipality_id}")]
pub async fn put_continuity_sheet(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Body<ContinuityInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, town) = path.into_inner();
    let input = body.0;
    let out = crate::db::tx(&state.pool, move |conn| {
        continuity::put_sheet(conn, actor, id, town, version, input)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Confirms that a sheet's contacts are current (resets the 90-day reminder).
#[utoipa::path(tag = "processes", responses(
    (status = 200, body = ContinuitySheet), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
#[post("/processes/{id}/continuity/{municipality_id}/confirm")]
pub async fn confirm_continuity_sheet(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, town) = path.into_inner();
    let out = crate::db::tx(&state.pool, move |conn| {
        continuity::confirm_sheet(conn, actor, id, town)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// The exercises of a sheet, newest first.
#[utoipa::path(tag = "processes", responses(
    (status = 200, body = ContinuityExerciseList), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/continuity/{municipality_id}/exercises")]
pub async fn list_continuity_exercises(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, town) = path.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        continuity::list_exercises(conn, actor, id, town)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Records an exercise (it appears in the calendar feed).
#[utoipa::path(tag = "processes", request_body = ExerciseInput, responses(
    (status = 201, body = ContinuityExercise), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/processes/{id}/continuity/{municipality_id}/exercises")]
pub async fn create_continuity_exercise(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: Body<ExerciseInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, town) = path.into_inner();
    let input = body.0;
    let out = crate::db::tx(&state.pool, move |conn| {
        continuity::create_exercise(conn, actor, id, town, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Every continuity sheet of a town as one self-contained HTML file (download).
#[utoipa::path(tag = "processes", params(OfflineQuery), responses(
    (status = 200, content_type = "text/html", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/processes/continuity/offline")]
pub async fn continuity_offline_export(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<OfflineQuery>,
) -> AppResult<HttpResponse> {
    let (actor, town) = (me.actor(), q.into_inner().town);
    let (name, html) = crate::db::run(&state.pool, move |conn| {
        continuity::offline_export(conn, actor, town)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            crate::files::content_disposition(&super::offline::file_name(&name)),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(html))
}
