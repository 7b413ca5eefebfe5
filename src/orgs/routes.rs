//! HTTP handlers for districts and municipalities.
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::model::*;
use super::queries;
use crate::api::{if_match, with_etag, Body, Page, PageQuery};
use crate::auth::{policy, CurrentUser};
use crate::error::{AppError, AppResult, Errors};
use crate::state::AppState;

/// All districts of the platform.
#[utoipa::path(tag = "orgs", params(PageQuery), responses((status = 200, body = Page<District>)))]
#[get("/districts")]
pub async fn list_districts(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let paging = q.paging()?;
    let (rows, total) =
        crate::db::run(&state.pool, move |c| queries::list_districts(c, paging)).await?;
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(District::from).collect(),
        paging,
        total,
    )))
}

/// One district.
#[utoipa::path(tag = "orgs", responses((status = 200, body = District), (status = 404, body = crate::error::Problem)))]
#[get("/districts/{id}")]
pub async fn get_district(
    state: web::Data<AppState>,
    _me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let row = crate::db::run(&state.pool, move |c| queries::district(c, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(StatusCode::OK, row.version, &District::from(row)))
}

/// Creates a district (admins).
#[utoipa::path(tag = "orgs", request_body = NewDistrictRequest, responses(
    (status = 201, body = District), (status = 403, body = crate::error::Problem),
    (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/districts")]
pub async fn create_district(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<NewDistrictRequest>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_manage_districts(&actor) {
        return Err(AppError::Forbidden);
    }
    let mut e = Errors::new();
    let key = e.check("key", DistrictKey::parse(&body.0.key));
    let name = e.check("name", org_name(&body.0.name));
    e.finish()?;
    let (Some(key), Some(name)) = (key, name) else {
        return Err(AppError::internal("validated values missing"));
    };
    let row = crate::db::tx(&state.pool, move |conn| {
        queries::create_district(conn, actor, key, name)
    })
    .await?;
    Ok(with_etag(
        StatusCode::CREATED,
        row.version,
        &District::from(row),
    ))
}

/// Renames a district (admins). Requires `If-Match`.
#[utoipa::path(tag = "orgs", request_body = DistrictPatch, params(("If-Match" = String, Header)), responses(
    (status = 200, body = District), (status = 412, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
#[patch("/districts/{id}")]
pub async fn update_district(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<DistrictPatch>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    if !policy::can_manage_districts(&actor) {
        return Err(AppError::Forbidden);
    }
    let mut e = Errors::new();
    let name = body.0.name.as_deref().map(|n| e.check("name", org_name(n)));
    e.finish()?;
    let version = if_match(&req)?;
    let row = crate::db::tx(&state.pool, move |conn| {
        queries::update_district(conn, actor, id, name, version)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, row.version, &District::from(row)))
}

/// Municipalities, by name. Every signed-in user may see which towns exist.
#[utoipa::path(tag = "orgs", params(MunicipalityQuery), responses((status = 200, body = Page<Municipality>)))]
#[get("/municipalities")]
pub async fn list_municipalities(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<MunicipalityQuery>,
) -> AppResult<HttpResponse> {
    let paging = crate::api::paging(q.page, q.limit)?;
    let q = q.into_inner();
    let (rows, total) = crate::db::run(&state.pool, move |c| {
        queries::list_municipalities(c, q.district_id.as_deref(), q.q.as_deref(), paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(
        rows.into_iter().map(Municipality::from).collect(),
        paging,
        total,
    )))
}

/// One municipality.
#[utoipa::path(tag = "orgs", responses((status = 200, body = Municipality), (status = 404, body = crate::error::Problem)))]
#[get("/municipalities/{id}")]
pub async fn get_municipality(
    state: web::Data<AppState>,
    _me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let row = crate::db::run(&state.pool, move |c| queries::municipality(c, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(
        StatusCode::OK,
        row.version,
        &Municipality::from(row),
    ))
}

fn check_website(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.len() > 300 || s.chars().any(char::is_whitespace) || !s.contains('.') {
        return Err("Bitte eine gültige Webadresse angeben (z. B. brakel.de).".into());
    }
    Ok(s.to_string())
}

fn check_population(p: i32) -> Result<i32, String> {
    if (0..=10_000_000).contains(&p) {
        Ok(p)
    } else {
        Err("Die Einwohnerzahl muss zwischen 0 und 10 000 000 liegen.".into())
    }
}

/// Adds a municipality to a district (admins; coordinators for their district).
/// Its AGS must start with the district's key.
#[utoipa::path(tag = "orgs", request_body = NewMunicipalityRequest, responses(
    (status = 201, body = Municipality), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/municipalities")]
pub async fn create_municipality(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<NewMunicipalityRequest>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let b = body.0;
    let mut e = Errors::new();
    let ags = e.check("ags", Ags::parse(&b.ags));
    let name = e.check("name", org_name(&b.name));
    let website = b
        .website
        .as_deref()
        .map(|w| e.check("website", check_website(w)));
    let population = b
        .population
        .map(|p| e.check("population", check_population(p)));
    if b.district_id.trim().is_empty() {
        e.push("district_id", "Bitte einen Kreis wählen.");
    }
    e.finish()?;
    let (Some(ags), Some(name)) = (ags, name) else {
        return Err(AppError::internal("validated values missing"));
    };
    let district_id = b.district_id;
    let kind = b.kind;
    let row = crate::db::tx(&state.pool, move |conn| {
        queries::create_municipality(
            conn,
            actor,
            ags,
            district_id,
            kind,
            name,
            population,
            website,
        )
    })
    .await?;
    Ok(with_etag(
        StatusCode::CREATED,
        row.version,
        &Municipality::from(row),
    ))
}

/// Changes a municipality's name, kind, population or website. Requires `If-Match`.
#[utoipa::path(tag = "orgs", request_body = MunicipalityPatch, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Municipality), (status = 412, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
#[patch("/municipalities/{id}")]
pub async fn update_municipality(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<MunicipalityPatch>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let b = body.0;
    let mut e = Errors::new();
    let name = b.name.as_deref().map(|n| e.check("name", org_name(n)));
    let website = b
        .website
        .as_deref()
        .map(|w| e.check("website", check_website(w)));
    let population = b
        .population
        .map(|p| e.check("population", check_population(p)));
    e.finish()?;
    let kind = b.kind;
    let row = crate::db::run(&state.pool, {
        let id = id.clone();
        move |c| queries::municipality(c, &id)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    if !policy::can_manage_municipalities(&actor, &row.district_id) {
        return Err(AppError::Forbidden);
    }
    let version = if_match(&req)?;
    let row = crate::db::tx(&state.pool, move |conn| {
        queries::update_municipality(conn, actor, id, kind, name, population, version, website)
    })
    .await?;
    Ok(with_etag(
        StatusCode::OK,
        row.version,
        &Municipality::from(row),
    ))
}
