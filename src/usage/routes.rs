//! HTTP handlers of the Nutzungsmonitor: extract, check the policy, call the
//! queries, answer (JSON or Excel-de CSV).
use actix_web::http::header;
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::import;
use super::model::*;
use super::params::paging;
use super::queries::{self, ImportMeta, Town};
use crate::api::{Body, Page};
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::auth::policy;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, Errors, FieldError};
use crate::export::{Cell, Table};
use crate::state::AppState;

/// A town the caller may enter figures for (404 if it does not exist, 403 if not allowed).
fn town_to_enter(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<Town> {
    let town = queries::town(conn, id)?.ok_or(AppError::NotFound)?;
    if !policy::can_enter_usage(actor, town.scope()) {
        return Err(AppError::Forbidden);
    }
    Ok(town)
}

// ---- Import ----

/// Reads a CSV file and proposes a column mapping.
#[utoipa::path(tag = "usage", request_body = PreviewIn, responses((status = 200, body = import::Preview), (status = 422, body = crate::error::Problem)))]
#[post("/usage/import/preview")]
pub async fn usage_import_preview(
    me: CurrentUser,
    body: Body<PreviewIn>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !crate::auth::policy::can_enter_some_usage(&actor) {
        return Err(AppError::Forbidden);
    }
    let p = import::preview(&body.0.csv).map_err(AppError::Validation)?;
    Ok(HttpResponse::Ok().json(p))
}

/// Imports a CSV file with its column mapping for one town, all or nothing.
#[utoipa::path(tag = "usage", request_body = ImportIn, responses((status = 201, body = ImportOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/usage/imports")]
pub async fn usage_create_import(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<ImportIn>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let input = body.0;
    let out = crate::db::run(&state.pool, move |conn| {
        let town = town_to_enter(conn, &actor, &input.municipality_id)?;
        let file = import::read(&input.csv).map_err(AppError::Validation)?;
        let keys = import::mentioned_keys(&file, &input.mapping);
        let known = queries::known_leika_keys(conn, &keys)?;
        let figures =
            import::figures(&file, &input.mapping, &known).map_err(AppError::Validation)?;
        let file_name = input
            .file_name
            .map(|f| f.trim().chars().take(200).collect::<String>())
            .filter(|f| !f.is_empty());
        let (id, _, _) = queries::store_figures(
            conn,
            &town,
            ImportMeta {
                source: Source::Csv,
                file_name,
                token_id: None,
                created_by: Some(actor.id.clone()),
                row_count: file.records.len() as i32,
                is_demo: false,
            },
            figures,
        )?;
        queries::get_import(conn, &id)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportsQuery {
    /// One town; without it every town the caller enters figures for.
    pub municipality_id: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// Imports (CSV, manual, API), newest first.
#[utoipa::path(tag = "usage", params(ImportsQuery), responses((status = 200, body = Page<ImportOut>), (status = 403, body = crate::error::Problem)))]
#[get("/usage/imports")]
pub async fn usage_list_imports(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ImportsQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let p = paging(q.page, q.limit)?;
    if !crate::auth::policy::can_enter_some_usage(&actor) {
        return Err(AppError::Forbidden);
    }
    let (items, total) = crate::db::run(&state.pool, move |conn| {
        if let Some(t) = &q.municipality_id {
            town_to_enter(conn, &actor, t)?;
        }
        queries::list_imports(
            conn,
            &actor,
            q.municipality_id.as_deref(),
            p.limit,
            p.offset(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(items, p, total)))
}

// ---- Manual entry ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ManualQuery {
    pub municipality_id: String,
    /// `YYYY-MM`
    pub month: String,
}

/// The grid of one month's paper, counter, email and phone cases of a town.
#[utoipa::path(tag = "usage", params(ManualQuery), responses((status = 200, body = ManualGrid), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[get("/usage/manual")]
pub async fn usage_manual_grid(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ManualQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let month = Month::parse(&q.month).map_err(|m| AppError::field("month", &m))?;
    let grid = crate::db::run(&state.pool, move |conn| {
        let town = town_to_enter(conn, &actor, &q.municipality_id)?;
        queries::manual_grid(conn, &town, month)
    })
    .await?;
    Ok(HttpResponse::Ok().json(grid))
}

/// Unknown LeiKa keys as field errors.
fn unknown_keys(
    conn: &mut DbConn,
    prefix: &str,
    figures: &[FigureInput],
    errors: &mut Vec<FieldError>,
) -> AppResult<()> {
    let keys: Vec<String> = figures.iter().map(|f| f.leika_key.clone()).collect();
    let known = queries::known_leika_keys(conn, &keys)?;
    for (i, f) in figures.iter().enumerate() {
        if !known.contains(&f.leika_key) {
            errors.push(FieldError::new(
                format!("{prefix}[{i}].leika_key"),
                format!(
                    "Den Leistungsschlüssel {} gibt es im Leistungskatalog nicht.",
                    f.leika_key
                ),
            ));
        }
    }
    Ok(())
}

/// Saves one month's paper, counter, email and phone cases of a town (source `manual`).
#[utoipa::path(tag = "usage", request_body = ManualIn, responses((status = 200, body = SavedOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/usage/manual")]
pub async fn usage_save_manual(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<ManualIn>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let input = body.0;
    let month = Month::parse(&input.month).map_err(|m| AppError::field("month", &m))?;
    let entries = input
        .entries
        .into_iter()
        .map(|e| {
            (
                e.leika_key,
                None,
                e.channel,
                e.count,
                e.median_days,
                e.backlog,
            )
        })
        .collect();
    let (figures, mut errors) = check_entries("entries", entries, Some(month), true);
    let out = crate::db::run(&state.pool, move |conn| {
        let town = town_to_enter(conn, &actor, &input.municipality_id)?;
        unknown_keys(conn, "entries", &figures, &mut errors)?;
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        if figures.is_empty() {
            return Err(AppError::field(
                "entries",
                "Bitte mindestens einen Wert eintragen.",
            ));
        }
        let n = figures.len() as i32;
        let (import_id, saved, replaced) = queries::store_figures(
            conn,
            &town,
            ImportMeta {
                source: Source::Manual,
                file_name: None,
                token_id: None,
                created_by: Some(actor.id.clone()),
                row_count: n,
                is_demo: false,
            },
            figures,
        )?;
        Ok(SavedOut {
            import_id,
            saved,
            replaced,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServicesQuery {
    /// Start of the LeiKa key or part of the name.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// Searches the LeiKa catalogue (for the grid and the mapping step).
#[utoipa::path(tag = "usage", params(ServicesQuery), responses((status = 200, body = Page<LeikaOut>)))]
#[get("/usage/services")]
pub async fn usage_services(
    state: web::Data<AppState>,
    _me: CurrentUser,
    q: web::Query<ServicesQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let p = paging(q.page, q.limit)?;
    let (items, total) = crate::db::run(&state.pool, move |conn| {
        queries::search_leika(conn, q.q.as_deref(), p.limit, p.offset())
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(items, p, total)))
}

// ---- API tokens and push ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TownQuery {
    pub municipality_id: String,
}

/// The API tokens of a town (without their secrets).
#[utoipa::path(tag = "usage", params(TownQuery), responses((status = 200, body = Vec<TokenOut>), (status = 403, body = crate::error::Problem)))]
#[get("/usage/tokens")]
pub async fn usage_list_tokens(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<TownQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let out = crate::db::run(&state.pool, move |conn| {
        let town = town_to_enter(conn, &actor, &q.municipality_id)?;
        queries::list_tokens(conn, &town.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Creates an API token for a town's systems; the secret is in this answer only.
#[utoipa::path(tag = "usage", request_body = TokenIn, responses((status = 201, body = TokenCreated), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/usage/tokens")]
pub async fn usage_create_token(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<TokenIn>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let input = body.0;
    let name = input.name.trim().to_string();
    crate::text::line("name", &name)?;
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field(
            "name",
            "Bitte einen Namen mit 1 bis 100 Zeichen angeben (z. B. das Fachverfahren).",
        ));
    }
    let out = crate::db::run(&state.pool, move |conn| {
        let town = town_to_enter(conn, &actor, &input.municipality_id)?;
        queries::create_token(conn, &town, &name, &actor.id)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Revokes an API token; it stays in the list with its revocation time.
#[utoipa::path(tag = "usage", params(("id" = String, Path)), responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/usage/tokens/{id}")]
pub async fn usage_revoke_token(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = path.into_inner();
    crate::db::run(&state.pool, move |conn| {
        let town_id = queries::token_town(conn, &id)?.ok_or(AppError::NotFound)?;
        let town = queries::town(conn, &town_id)?.ok_or(AppError::NotFound)?;
        if !policy::can_read_usage(Some(&actor), town.scope(), "district") {
            return Err(AppError::NotFound);
        }
        if !policy::can_enter_usage(&actor, town.scope()) {
            return Err(AppError::Forbidden);
        }
        queries::revoke_token(conn, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The secret of a town's API token from `Authorization: Bearer dnu_…`. Extracted
/// before the body, so a call without a token is 401 whatever it sends.
pub struct TokenSecret(String);

impl actix_web::FromRequest for TokenSecret {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(
            req.headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(|t| t.trim().to_string())
                .filter(|t| t.starts_with("dnu_"))
                .map(TokenSecret)
                .ok_or(AppError::Unauthorized),
        )
    }
}

/// Figures pushed by a town's system with its API token (`Authorization: Bearer dnu_…`).
#[utoipa::path(tag = "usage", request_body = PushIn, security(("usage_token" = [])), responses((status = 200, body = PushOut), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/usage/push")]
pub async fn usage_push(
    state: web::Data<AppState>,
    token: TokenSecret,
    body: Body<PushIn>,
) -> AppResult<HttpResponse> {
    let secret = token.0;
    let input = body.0;
    let entries = input
        .figures
        .into_iter()
        .map(|f| {
            (
                f.leika_key,
                Some(f.month),
                f.channel,
                f.count,
                f.median_days,
                f.backlog,
            )
        })
        .collect();
    let (figures, mut errors) = check_entries("figures", entries, None, false);
    let out = crate::db::run(&state.pool, move |conn| {
        let (token_id, token_town) =
            queries::authenticate_token(conn, &secret)?.ok_or(AppError::Unauthorized)?;
        if token_town != input.municipality_id {
            return Err(AppError::Forbidden);
        }
        let town = queries::town(conn, &token_town)?.ok_or(AppError::Unauthorized)?;
        unknown_keys(conn, "figures", &figures, &mut errors)?;
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        if figures.is_empty() {
            return Err(AppError::field("figures", "Keine Fallzahlen übermittelt."));
        }
        let n = figures.len() as i32;
        let (import_id, accepted, replaced) = queries::store_figures(
            conn,
            &town,
            ImportMeta {
                source: Source::Api,
                file_name: None,
                token_id: Some(token_id),
                created_by: None,
                row_count: n,
                is_demo: false,
            },
            figures,
        )?;
        Ok(PushOut {
            import_id,
            accepted,
            replaced,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

// ---- Sharing ----

/// How a town shares each service's figures (district, network, public).
#[utoipa::path(tag = "usage", params(TownQuery), responses((status = 200, body = Vec<SharingOut>), (status = 404, body = crate::error::Problem)))]
#[get("/usage/sharing")]
pub async fn usage_get_sharing(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<TownQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let out = crate::db::run(&state.pool, move |conn| {
        let town = queries::town(conn, &q.municipality_id)?.ok_or(AppError::NotFound)?;
        if !policy::can_read_usage(Some(&actor), town.scope(), "district") {
            return Err(AppError::NotFound);
        }
        queries::sharing_of(conn, &town.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Shares a town's figures of one service beyond the district, or takes that back.
#[utoipa::path(tag = "usage", request_body = SharingIn, responses((status = 200, body = SharingOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[put("/usage/sharing")]
pub async fn usage_put_sharing(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<SharingIn>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let input = body.0;
    let key = parse_leika_key(&input.leika_key).map_err(|m| AppError::field("leika_key", &m))?;
    let out = crate::db::run(&state.pool, move |conn| {
        let town = town_to_enter(conn, &actor, &input.municipality_id)?;
        if queries::known_leika_keys(conn, std::slice::from_ref(&key))?.is_empty() {
            return Err(AppError::field(
                "leika_key",
                "Diesen Leistungsschlüssel gibt es im Leistungskatalog nicht.",
            ));
        }
        queries::set_sharing(conn, &town.id, &key, input.visibility, &actor.id)?;
        let info = queries::leika_info(conn, std::slice::from_ref(&key))?;
        Ok(SharingOut {
            service_name: info
                .get(&key)
                .map(|i| i.0.clone())
                .unwrap_or_else(|| key.clone()),
            leika_key: key,
            visibility: input.visibility,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

// ---- Reifegrad ----

/// The OZG maturity models with their levels and criteria, and where they come from.
#[utoipa::path(tag = "usage", responses((status = 200, body = Vec<MaturityModel>)))]
#[get("/usage/maturity/models")]
pub async fn usage_maturity_models(
    state: web::Data<AppState>,
    _me: CurrentUser,
) -> AppResult<HttpResponse> {
    let out = crate::db::run(&state.pool, queries::maturity_models).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Records a Reifegrad assessment of a town's service; the overall level is the lowest criterion.
#[utoipa::path(tag = "usage", request_body = AssessmentIn, responses((status = 201, body = Assessment), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/usage/maturity/assessments")]
pub async fn usage_create_assessment(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<AssessmentIn>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let input = body.0;
    let out = crate::db::run(&state.pool, move |conn| {
        let town = town_to_enter(conn, &actor, &input.municipality_id)?;
        let mut errors = Errors::new();
        let key = errors.check("leika_key", parse_leika_key(&input.leika_key));
        if let Some(k) = &key {
            if queries::known_leika_keys(conn, std::slice::from_ref(k))?.is_empty() {
                errors.push(
                    "leika_key",
                    "Diesen Leistungsschlüssel gibt es im Leistungskatalog nicht.",
                );
            }
        }
        let assessor = input.assessor.trim().to_string();
        if crate::text::check_line(&mut errors, "assessor", &assessor)
            && (assessor.is_empty() || assessor.chars().count() > 200)
        {
            errors.push(
                "assessor",
                "Bitte angeben, wer bewertet hat (1 bis 200 Zeichen).",
            );
        }
        let evidence = input
            .evidence_url
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        if let Some(u) = &evidence {
            if !(u.starts_with("https://") || u.starts_with("http://")) || u.len() > 2000 {
                errors.push(
                    "evidence_url",
                    "Der Nachweis muss ein Link (https://…) sein.",
                );
            }
        }
        if input.assessed_on > crate::db::today() {
            errors.push(
                "assessed_on",
                "Das Datum der Bewertung liegt in der Zukunft.",
            );
        }
        let model = queries::model_criteria(conn, &input.model)?;
        let mut levels = Vec::new();
        match &model {
            None => errors.push("model", "Unbekanntes Reifegradmodell."),
            Some((max_level, keys)) => {
                for (i, c) in input.criteria.iter().enumerate() {
                    if !keys.contains(&c.key) {
                        errors.push(
                            &format!("criteria[{i}].key"),
                            "Dieses Kriterium gehört nicht zum Modell.",
                        );
                    } else if levels.iter().any(|(k, _): &(String, i32)| *k == c.key) {
                        errors.push(
                            &format!("criteria[{i}].key"),
                            "Dieses Kriterium ist doppelt bewertet.",
                        );
                    } else if !(0..=*max_level).contains(&c.level) {
                        errors.push(
                            &format!("criteria[{i}].level"),
                            format!("Die Stufe muss zwischen 0 und {max_level} liegen."),
                        );
                    } else {
                        levels.push((c.key.clone(), c.level));
                    }
                }
                for k in keys {
                    if !input.criteria.iter().any(|c| &c.key == k) {
                        errors.push(
                            "criteria",
                            format!("Das Kriterium „{k}“ ist nicht bewertet."),
                        );
                    }
                }
            }
        }
        errors.finish()?;
        let id = queries::create_assessment(
            conn,
            &town,
            queries::NewAssessment {
                leika_key: key.unwrap_or_default(),
                model: input.model,
                assessed_on: input.assessed_on,
                assessor,
                evidence_url: evidence,
                levels,
            },
            &actor.id,
        )?;
        let mut items = queries::assessment_by_id(conn, &id)?;
        items
            .pop()
            .ok_or_else(|| AppError::internal("assessment vanished"))
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentsQuery {
    pub municipality_id: String,
    pub leika_key: Option<String>,
    pub model: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The assessment history of a town (optionally one service and model), newest first.
#[utoipa::path(tag = "usage", params(AssessmentsQuery), responses((status = 200, body = Page<Assessment>), (status = 404, body = crate::error::Problem)))]
#[get("/usage/maturity/assessments")]
pub async fn usage_list_assessments(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<AssessmentsQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let p = paging(q.page, q.limit)?;
    let (items, total) = crate::db::run(&state.pool, move |conn| {
        queries::town(conn, &q.municipality_id)?.ok_or(AppError::NotFound)?;
        queries::town_assessments(
            conn,
            &actor,
            &q.municipality_id,
            q.leika_key.as_deref(),
            q.model.as_deref(),
            p.limit,
            p.offset(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page::new(items, p, total)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// `ozg_1_1` or `ozg_2_0` (default `ozg_1_1`).
    pub model: Option<String>,
}

async fn maturity_for(
    state: &AppState,
    actor: Actor,
    district_id: String,
    q: MatrixQuery,
) -> AppResult<MaturityMatrix> {
    crate::db::run(&state.pool, move |conn| {
        queries::district_name(conn, &district_id)?.ok_or(AppError::NotFound)?;
        let model = q.model.unwrap_or_else(|| "ozg_1_1".into());
        if queries::model_criteria(conn, &model)?.is_none() {
            return Err(AppError::field("model", "Unbekanntes Reifegradmodell."));
        }
        queries::maturity_matrix(conn, &actor, &district_id, &model)
    })
    .await
}

/// The district's Reifegrad matrix towns × services with "Stufe ≥ 3 in N von M Kommunen".
#[utoipa::path(tag = "usage", params(("id" = String, Path), MatrixQuery), responses((status = 200, body = MaturityMatrix), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/maturity")]
pub async fn usage_maturity_matrix(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let out = maturity_for(&state, me.actor(), path.into_inner(), q.into_inner()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The Reifegrad matrix as CSV: one line per service, a column per town.
#[utoipa::path(tag = "usage", params(("id" = String, Path), MatrixQuery), responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/usage/districts/{id}/maturity.csv")]
pub async fn usage_maturity_matrix_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<String>,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let m = maturity_for(&state, me.actor(), path.into_inner(), q.into_inner()).await?;
    let mut head = vec!["Leistungsschlüssel".to_string(), "Leistung".to_string()];
    head.extend(m.towns.iter().map(|t| t.name.clone()));
    head.push("Stufe ≥ 3".into());
    let mut t = Table::new(head);
    let level: std::collections::HashMap<(&str, &str), i32> = m
        .cells
        .iter()
        .map(|c| ((c.municipality_id.as_str(), c.leika_key.as_str()), c.level))
        .collect();
    for s in &m.services {
        let mut row = vec![Cell::Key(s.leika_key.clone()), Cell::text(&s.name)];
        row.extend(m.towns.iter().map(|town| {
            level
                .get(&(town.id.as_str(), s.leika_key.as_str()))
                .map(|l| Cell::Int(*l as i64))
                .unwrap_or(Cell::Empty)
        }));
        row.push(Cell::text(format!(
            "{} von {} Kommunen",
            s.at_least_3, s.towns_total
        )));
        t.push(row);
    }
    Ok(crate::export::csv_response(t.to_csv()?, "reifegrad.csv"))
}
