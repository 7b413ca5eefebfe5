//! HTTP handlers for districts and municipalities.
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use super::model::*;
use super::queries;
use crate::api::{if_match, with_etag, Body, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::{policy, CurrentUser};
use crate::db::schema::{districts, municipalities};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult, Errors};

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
        if queries::district_by_key(conn, key.as_str())?.is_some() {
            return Err(AppError::field(
                "key",
                "Einen Kreis mit diesem Schlüssel gibt es schon.",
            ));
        }
        let id = new_id();
        let t = now();
        diesel::insert_into(districts::table)
            .values((
                districts::id.eq(&id),
                districts::key.eq(key.as_str()),
                districts::name.eq(&name),
                districts::version.eq(1),
                districts::created_at.eq(t),
                districts::updated_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "district.create",
                object_type: "district",
                object_id: &id,
                district_id: Some(&id),
                municipality_id: None,
                summary: json!({"key": key.as_str(), "name": name}),
            },
        )?;
        queries::district(conn, &id)?.ok_or(AppError::NotFound)
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
        let before = queries::district(conn, &id)?.ok_or(AppError::NotFound)?;
        if before.version != version {
            return Err(AppError::PreconditionFailed);
        }
        let name = name.flatten().unwrap_or(before.name.clone());
        let n = diesel::update(
            districts::table
                .find(&id)
                .filter(districts::version.eq(version)),
        )
        .set((
            districts::name.eq(&name),
            districts::version.eq(districts::version + 1),
            districts::updated_at.eq(now()),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::PreconditionFailed);
        }
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "district.update",
                object_type: "district",
                object_id: &id,
                district_id: Some(&id),
                municipality_id: None,
                summary: json!({"name": {"from": before.name, "to": name}}),
            },
        )?;
        queries::district(conn, &id)?.ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, row.version, &District::from(row)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Only towns of this district.
    pub district_id: Option<String>,
    /// Part of the name or AGS.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// Municipalities, by name. Every signed-in user may see which towns exist.
#[utoipa::path(tag = "orgs", params(MunicipalityQuery), responses((status = 200, body = Page<Municipality>)))]
#[get("/municipalities")]
pub async fn list_municipalities(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<MunicipalityQuery>,
) -> AppResult<HttpResponse> {
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
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
        let Some(district) = queries::district(conn, &district_id)? else {
            return Err(AppError::field(
                "district_id",
                "Diesen Kreis gibt es nicht.",
            ));
        };
        if !policy::can_manage_municipalities(&actor, &district.id) {
            return Err(AppError::Forbidden);
        }
        if !ags.belongs_to(&district.key) {
            return Err(AppError::field(
                "ags",
                &format!(
                    "Der AGS muss mit dem Kreisschlüssel {} beginnen.",
                    district.key
                ),
            ));
        }
        if queries::municipality_by_ags(conn, ags.as_str())?.is_some() {
            return Err(AppError::field(
                "ags",
                "Eine Kommune mit diesem AGS gibt es schon.",
            ));
        }
        let id = new_id();
        let t = now();
        diesel::insert_into(municipalities::table)
            .values((
                municipalities::id.eq(&id),
                municipalities::district_id.eq(&district.id),
                municipalities::ags.eq(ags.as_str()),
                municipalities::name.eq(&name),
                municipalities::kind.eq(kind.as_str()),
                municipalities::population.eq(population.flatten()),
                municipalities::website.eq(website.flatten()),
                municipalities::version.eq(1),
                municipalities::created_at.eq(t),
                municipalities::updated_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "municipality.create",
                object_type: "municipality",
                object_id: &id,
                district_id: Some(&district.id),
                municipality_id: Some(&id),
                summary: json!({"ags": ags.as_str(), "name": name, "kind": kind.as_str()}),
            },
        )?;
        queries::municipality(conn, &id)?.ok_or(AppError::NotFound)
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
        let before = queries::municipality(conn, &id)?.ok_or(AppError::NotFound)?;
        if before.version != version {
            return Err(AppError::PreconditionFailed);
        }
        let new_name = name.flatten().unwrap_or(before.name.clone());
        let new_kind = kind.map(|k| k.as_str().to_string()).unwrap_or(before.kind.clone());
        let new_population = population.flatten().or(before.population);
        let new_website = website.flatten().or(before.website.clone());
        let n = diesel::update(municipalities::table.find(&id).filter(municipalities::version.eq(version)))
            .set((
                municipalities::name.eq(&new_name),
                municipalities::kind.eq(&new_kind),
                municipalities::population.eq(new_population),
                municipalities::website.eq(&new_website),
                municipalities::version.eq(municipalities::version + 1),
                municipalities::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(AppError::PreconditionFailed);
        }
        audit::record(conn, Some(&actor), Entry {
            action: "municipality.update",
            object_type: "municipality",
            object_id: &id,
            district_id: Some(&before.district_id),
            municipality_id: Some(&id),
            summary: json!({"name": {"from": before.name, "to": new_name}, "kind": {"from": before.kind, "to": new_kind}}),
        })?;
        queries::municipality(conn, &id)?.ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(
        StatusCode::OK,
        row.version,
        &Municipality::from(row),
    ))
}
