//! HTTP handlers for EfA solutions, adoptions, experience reports, the adoption
//! matrix and the OZG coverage: extract, ask the policy, call `queries`, answer.
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::{if_match, with_etag, Body, Page};
use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::db::utc;
use crate::error::{AppError, AppResult, Errors};
use crate::export;
use crate::state::AppState;

/// The EfA solutions catalogue.
#[utoipa::path(tag = "efa", params(SolutionQuery), responses((status = 200, body = Page<EfaSolution>)))]
#[get("/efa/solutions")]
pub async fn list_solutions(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<SolutionQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let (actor, q) = (me.actor(), q.into_inner());
    let page = crate::db::run(&state.pool, move |conn| {
        queries::list_solutions(conn, actor, q, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One solution with who adopted it at which stage and the experience reports.
#[utoipa::path(tag = "efa", responses((status = 200, body = SolutionDetail), (status = 404, body = crate::error::Problem)))]
#[get("/efa/solutions/{id}")]
pub async fn get_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let detail = crate::db::run(&state.pool, move |conn| {
        queries::solution_detail(conn, actor, id)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, detail.1, &detail.0))
}

/// Adds a solution. Admins and coordinators publish it at once; officers propose it
/// (unpublished until a coordinator publishes it).
#[utoipa::path(tag = "efa", request_body = SolutionInput, responses(
    (status = 201, body = EfaSolution), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/efa/solutions")]
pub async fn create_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<SolutionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_propose_efa(&actor) {
        return Err(AppError::Forbidden);
    }
    let v = solution_values(&body.0, None)?;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_solution(conn, actor, v)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, out.version, &out))
}

/// Edits a solution (admins, coordinators). Requires `If-Match`.
#[utoipa::path(tag = "efa", request_body = SolutionInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = EfaSolution), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/efa/solutions/{id}")]
pub async fn update_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<SolutionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_edit_efa_catalogue(&actor) {
        return Err(AppError::Forbidden);
    }
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_solution(conn, actor, id, version, input)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Publishes a proposed solution (admins, coordinators).
#[utoipa::path(tag = "efa", responses((status = 200, body = EfaSolution), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/efa/solutions/{id}/publish")]
pub async fn publish_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_edit_efa_catalogue(&actor) {
        return Err(AppError::Forbidden);
    }
    let id = id.into_inner();
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::publish_solution(conn, actor, id)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Records a town's interest in a solution ("Wir sind interessiert"): a new adoption in state `interested`.
#[utoipa::path(tag = "efa", request_body = AdoptionInput, responses(
    (status = 201, body = Adoption), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
#[post("/efa/solutions/{id}/adoptions")]
pub async fn create_adoption(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<AdoptionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (sid, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_adoption(conn, actor, sid, input)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, out.version, &out))
}

/// One adoption.
#[utoipa::path(tag = "efa", responses((status = 200, body = Adoption), (status = 404, body = crate::error::Problem)))]
#[get("/adoptions/{id}")]
pub async fn get_adoption(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let out = crate::db::run(&state.pool, move |conn| queries::adoption(conn, actor, id)).await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Edits contact, notes and the linked project of an adoption. Requires `If-Match`.
#[utoipa::path(tag = "efa", request_body = AdoptionInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Adoption), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/adoptions/{id}")]
pub async fn update_adoption(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<AdoptionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    if input.municipality_id.is_some() {
        return Err(AppError::field(
            "municipality_id",
            "Die Kommune einer Nachnutzung lässt sich nicht ändern.",
        ));
    }
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_adoption(conn, actor, id, version, input)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Moves an adoption along its life cycle; no jumps, and declining needs a reason.
#[utoipa::path(tag = "efa", request_body = AdoptionStatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Adoption), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/adoptions/{id}/status")]
pub async fn change_adoption_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<AdoptionStatusChange>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, change) = (id.into_inner(), body.0);
    let reason = change
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
    if change.status == AdoptionStatus::Declined && reason.is_none() {
        return Err(AppError::field(
            "reason",
            "Bitte einen Grund für die Ablehnung angeben.",
        ));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::field("reason", "Höchstens 1000 Zeichen."));
    }
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::change_adoption_status(conn, actor, id, version, change, reason)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// The dated history of an adoption.
#[utoipa::path(tag = "efa", responses((status = 200, body = AdoptionHistory), (status = 404, body = crate::error::Problem)))]
#[get("/adoptions/{id}/history")]
pub async fn adoption_history_route(
    state: web::Data<AppState>,
    _signed_in: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let rows: Vec<queries::HistoryTuple> =
        crate::db::run(&state.pool, move |conn| queries::adoption_history(conn, id)).await?;
    let items = rows
        .into_iter()
        .map(|(from, to, note, name, at)| AdoptionHistoryEntry {
            from_status: from.as_deref().and_then(AdoptionStatus::parse),
            to_status: AdoptionStatus::parse(&to).unwrap_or(AdoptionStatus::Interested),
            note,
            changed_by_name: name,
            changed_at: utc(at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(AdoptionHistory { items }))
}

/// An experience report by a town whose adoption is rolling out or live.
#[utoipa::path(tag = "efa", request_body = NewReport, responses(
    (status = 201, body = ExperienceReport), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/efa/solutions/{id}/reports")]
pub async fn create_report(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewReport>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (sid, input) = (id.into_inner(), body.0);
    let mut e = Errors::new();
    let text = input.body.trim().to_string();
    if text.chars().count() < 10 || text.chars().count() > 10_000 {
        e.push("body", "Bitte 10 bis 10 000 Zeichen schreiben.");
    }
    if !(1..=5).contains(&input.rating) {
        e.push("rating", "Die Bewertung liegt zwischen 1 und 5.");
    }
    e.finish()?;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_report(conn, actor, sid, input, text)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The district's adoption matrix: towns × solutions with the status in each cell and totals.
#[utoipa::path(tag = "efa", params(MatrixQuery), responses((status = 200, body = AdoptionMatrix), (status = 404, body = crate::error::Problem)))]
#[get("/efa/matrix")]
pub async fn get_matrix(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let district = crate::api::readable_district(&actor, q.district_id)?;
    let out = crate::db::run(&state.pool, move |conn| {
        queries::matrix(conn, &actor, &district, q.themenfeld_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The adoption matrix as CSV for systems and German Excel.
#[utoipa::path(tag = "efa", params(MatrixQuery), responses((status = 200, content_type = "text/csv", body = String)))]
#[get("/efa/matrix.csv")]
pub async fn matrix_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let m = matrix_for(&state, &me, q.into_inner()).await?;
    Ok(export::csv_response(
        matrix_table(&m).to_csv()?,
        "nachnutzungsmatrix.csv",
    ))
}

/// The adoption matrix as an Excel workbook for people.
#[utoipa::path(tag = "efa", params(MatrixQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
#[get("/efa/matrix.xlsx")]
pub async fn matrix_xlsx(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let m = matrix_for(&state, &me, q.into_inner()).await?;
    Ok(export::xlsx_response(
        matrix_table(&m).to_xlsx("Nachnutzung")?,
        "nachnutzungsmatrix.xlsx",
    ))
}

async fn matrix_for(
    state: &AppState,
    me: &CurrentUser,
    q: MatrixQuery,
) -> AppResult<AdoptionMatrix> {
    let actor = me.actor();
    let district = crate::api::readable_district(&actor, q.district_id)?;
    crate::db::run(&state.pool, move |conn| {
        queries::matrix(conn, &actor, &district, q.themenfeld_id)
    })
    .await
}

/// OZG coverage of a town or district, per Themenfeld, and gaps other districts already cover.
#[utoipa::path(tag = "efa", params(CoverageQuery), responses((status = 200, body = super::coverage::Coverage), (status = 404, body = crate::error::Problem)))]
#[get("/efa/coverage")]
pub async fn get_coverage(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let district = crate::api::readable_district(&actor, q.district_id.clone())?;
    let out = crate::db::run(&state.pool, move |conn| {
        queries::coverage_of(conn, actor, district, q)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
