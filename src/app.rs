//! Builds the actix application: shared state, middleware, the API routes, the
//! OpenAPI document, health checks and the single-page frontend.
use std::path::PathBuf;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Service;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{Condition, DefaultHeaders, Logger};
use actix_web::{get, web, App, HttpRequest, HttpResponse, HttpServer};
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};

use crate::error::AppError;
use crate::state::AppState;

pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Digitalnetzwerk API",
        description = "API of the Digitalnetzwerk: the towns of a district share projects, EfA reuse, funding and support.",
        version = "1",
        contact(name = "Digitalnetzwerk, Betrieb", email = "betrieb@digitalnetzwerk.example")
    ),
    servers((url = "/", description = "This server (the paths are absolute)")),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Sign-in, tokens, password reset"),
        (name = "me", description = "The signed-in user's own account"),
        (name = "users", description = "User accounts"),
        (name = "invitations", description = "Invitations by email"),
        (name = "orgs", description = "Districts and municipalities"),
        (name = "audit", description = "Audit log"),
        (name = "ozg", description = "OZG catalogue"),
        (name = "projects", description = "Projects, updates, comments, partners"),
        (name = "public", description = "The public showcase (no sign-in)"),
        (name = "efa", description = "EfA solutions, adoptions, matrix and OZG coverage"),
        (name = "strategy", description = "Strategies: goal fields and measures"),
        (name = "support", description = "Support requests to the district"),
        (name = "dashboard", description = "District and town dashboards"),
        (name = "notifications", description = "In-app notifications, settings, digests, unsubscribe"),
        (name = "funding", description = "Funding programmes, calls, joint applications, calendar"),
        (name = "usage", description = "Nutzungsmonitor: usage figures, imports, push API, heat map, Reifegrad"),
        (name = "processes", description = "Prozessregister: processes, BPMN models and variants, profiles and the candidate ranking (score = sum over towns of cases^weight_cases × minutes^weight_minutes × (1 − online share)^weight_offline), continuity sheets"),
        (name = "ops", description = "Health checks and the API description"),
        (name = "scim", description = "SCIM 2.0 provisioning by the identity providers (bearer token of the provider)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        // A town's API token for pushing usage figures (`POST /api/v1/usage/push` only).
        components.add_security_scheme(
            "usage_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("dnu_…")
                    .build(),
            ),
        );
    }
}

/// The service is alive.
#[utoipa::path(tag = "ops", security(()), responses((status = 200, description = "alive", body = String)))]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// The database answers.
#[utoipa::path(tag = "ops", security(()), responses((status = 200, body = String), (status = 503, body = crate::error::Problem)))]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    crate::db::run(&state.pool, |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map_err(|e| AppError::unavailable(format!("database: {e}")))
    })
    .await
    .map_err(|e| match e {
        AppError::Unavailable(m) | AppError::Internal(m) => AppError::Unavailable(m),
        other => other,
    })?;
    let data_dir = state.config.data_dir.clone();
    web::block(move || crate::files::check_storage(&data_dir))
        .await
        .map_err(|e| AppError::internal(format!("storage check: {e}")))?
        .map_err(AppError::StorageUnavailable)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ready"))
}

#[derive(Clone)]
struct OpenApiJson(Arc<String>);

/// This document.
#[utoipa::path(tag = "ops", security(()), responses((status = 200, description = "OpenAPI 3.1 document", body = Object)))]
#[get("/api/v1/openapi.json")]
async fn openapi_json(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.as_str().to_owned())
}

/// Registers every route; returns the app and the OpenAPI document describing it.
macro_rules! build_app {
    ($app:expr) => {{
        use crate::{
            audit, dashboard, efa, funding, notify, orgs, ozg, projects, strategy, support, users,
        };
        $app.into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .service(healthz)
            .service(readyz)
            .service(openapi_json)
            .service(
                scope("/scim/v2")
                    .service(crate::sso::scim_api::scim_service_provider_config)
                    .service(crate::sso::scim_api::scim_list_users)
                    .service(crate::sso::scim_api::scim_create_user)
                    .service(crate::sso::scim_api::scim_get_user)
                    .service(crate::sso::scim_api::scim_replace_user)
                    .service(crate::sso::scim_api::scim_patch_user)
                    .service(crate::sso::scim_api::scim_delete_user),
            )
            .service(
                scope("/api/v1")
                    .service(users::session::login)
                    .service(users::session::refresh_session)
                    .service(users::session::logout)
                    .service(users::session::request_reset)
                    .service(users::session::confirm_reset)
                    .service(crate::sso::routes::auth_methods)
                    .service(crate::sso::routes::oidc_attempt)
                    .service(crate::sso::routes::oidc_link)
                    .service(crate::sso::routes::oidc_start)
                    .service(crate::sso::routes::oidc_callback)
                    .service(crate::sso::routes::oidc_backchannel_logout)
                    .service(crate::sso::routes::sso_dry_run)
                    .service(users::me::get_me)
                    .service(users::me::update_me)
                    .service(users::me::change_password)
                    .service(users::me::my_data)
                    .service(users::me::delete_me)
                    .service(users::routes::list_users)
                    .service(users::routes::get_user)
                    .service(users::routes::update_user)
                    .service(users::invitations::list_invitations)
                    .service(users::invitations::create_invitation)
                    .service(users::invitations::revoke_invitation)
                    .service(users::invitations::preview_invitation)
                    .service(users::invitations::accept_invitation)
                    .service(orgs::routes::list_districts)
                    .service(orgs::routes::create_district)
                    .service(orgs::routes::get_district)
                    .service(orgs::routes::update_district)
                    .service(orgs::routes::list_municipalities)
                    .service(orgs::routes::create_municipality)
                    .service(orgs::routes::get_municipality)
                    .service(orgs::routes::update_municipality)
                    .service(audit::routes::list_audit)
                    .service(ozg::routes::list_themenfelder)
                    .service(ozg::routes::list_lebenslagen)
                    .service(ozg::routes::list_services)
                    .service(ozg::routes::get_service)
                    .service(projects::routes::list_topics)
                    .service(projects::routes::list_projects)
                    .service(projects::routes::export_projects)
                    .service(projects::routes::export_projects_xlsx)
                    .service(projects::routes::create_project)
                    .service(projects::routes::similar_for_draft)
                    .service(projects::routes::get_project)
                    .service(projects::routes::update_project)
                    .service(projects::routes::change_status)
                    .service(projects::routes::project_timeline)
                    .service(projects::routes::project_versions)
                    .service(projects::routes::similar_for_project)
                    .service(projects::routes::add_partner)
                    .service(projects::routes::accept_partner)
                    .service(projects::routes::remove_partner)
                    .service(projects::routes::list_updates)
                    .service(projects::routes::create_update)
                    .service(projects::routes::list_comments)
                    .service(projects::routes::create_comment)
                    .service(projects::routes::mentionable)
                    .service(projects::attachments::list_attachments)
                    .service(projects::attachments::upload_attachment)
                    .service(projects::attachments::download_attachment)
                    .service(projects::attachments::delete_attachment)
                    .service(crate::funding::documents::list_documents)
                    .service(crate::funding::documents::upload_document)
                    .service(crate::funding::documents::download_document)
                    .service(crate::funding::documents::delete_document)
                    .service(crate::support::attachments::list_support_attachments)
                    .service(crate::support::attachments::upload_support_attachment)
                    .service(crate::support::attachments::download_support_attachment)
                    .service(crate::support::attachments::delete_support_attachment)
                    .service(projects::routes::follow)
                    .service(projects::routes::unfollow)
                    .service(projects::routes::public_projects)
                    .service(projects::routes::public_project)
                    .service(projects::routes::public_feed)
                    .service(crate::legal::routes::get_legal_page)
                    .service(efa::routes::list_solutions)
                    .service(efa::routes::create_solution)
                    .service(efa::routes::get_matrix)
                    .service(efa::routes::matrix_csv)
                    .service(efa::routes::matrix_xlsx)
                    .service(efa::routes::get_coverage)
                    .service(efa::routes::get_solution)
                    .service(efa::routes::update_solution)
                    .service(efa::routes::publish_solution)
                    .service(efa::routes::create_adoption)
                    .service(efa::routes::create_report)
                    .service(efa::routes::get_adoption)
                    .service(efa::routes::update_adoption)
                    .service(efa::routes::change_adoption_status)
                    .service(efa::routes::adoption_history_route)
                    .service(strategy::routes::get_strategy)
                    .service(strategy::routes::create_goal_field)
                    .service(strategy::routes::update_goal_field)
                    .service(strategy::routes::delete_goal_field)
                    .service(strategy::routes::create_measure)
                    .service(strategy::routes::update_measure)
                    .service(strategy::routes::change_measure_status)
                    .service(strategy::routes::delete_measure)
                    .service(support::routes::list_requests)
                    .service(support::routes::create_request)
                    .service(support::routes::workload)
                    .service(support::routes::get_request)
                    .service(support::routes::add_message)
                    .service(support::routes::assign)
                    .service(support::routes::change_request_status)
                    .service(dashboard::routes::district)
                    .service(dashboard::routes::town)
                    .service(dashboard::routes::my_today)
                    .service(notify::routes::feed)
                    .service(notify::routes::unread_count)
                    .service(notify::routes::mark_all_read)
                    .service(notify::routes::mark_read)
                    .service(notify::routes::get_settings)
                    .service(notify::routes::put_settings)
                    .service(notify::routes::preview)
                    .service(notify::routes::unsubscribe_page)
                    .service(notify::routes::unsubscribe)
                    .service(notify::routes::admin_outbox)
                    .service(notify::routes::retry_outbox_mail)
                    .service(funding::routes::list_programmes)
                    .service(funding::routes::get_programme)
                    .service(funding::routes::update_programme)
                    .service(funding::routes::create_call)
                    .service(funding::routes::delete_call)
                    .service(funding::routes::declare_interest)
                    .service(funding::routes::list_applications)
                    .service(funding::routes::create_application)
                    .service(funding::routes::get_application)
                    .service(funding::routes::update_application)
                    .service(funding::routes::change_application_status)
                    .service(funding::routes::add_checklist_item)
                    .service(funding::routes::update_checklist_item)
                    .service(funding::routes::get_overview)
                    .service(funding::routes::overview_csv)
                    .service(funding::routes::overview_xlsx)
                    .service(funding::routes::renew_calendar_token)
                    .service(funding::routes::calendar)
                    .service(crate::usage::routes::usage_import_preview)
                    .service(crate::usage::routes::usage_create_import)
                    .service(crate::usage::routes::usage_list_imports)
                    .service(crate::usage::routes::usage_manual_grid)
                    .service(crate::usage::routes::usage_save_manual)
                    .service(crate::usage::routes::usage_services)
                    .service(crate::usage::routes::usage_list_tokens)
                    .service(crate::usage::routes::usage_create_token)
                    .service(crate::usage::routes::usage_revoke_token)
                    .service(crate::usage::routes::usage_push)
                    .service(crate::usage::routes::usage_get_sharing)
                    .service(crate::usage::routes::usage_put_sharing)
                    .service(crate::usage::views::usage_town_series)
                    .service(crate::usage::views::usage_town_series_csv)
                    .service(crate::usage::views::usage_heat_map)
                    .service(crate::usage::views::usage_heat_map_csv)
                    .service(crate::usage::views::usage_totals)
                    .service(crate::usage::views::usage_totals_csv)
                    .service(crate::usage::views::usage_potential)
                    .service(crate::usage::views::usage_potential_csv)
                    .service(crate::usage::views::usage_anomalies)
                    .service(crate::usage::views::usage_anomalies_csv)
                    .service(crate::usage::routes::usage_maturity_models)
                    .service(crate::usage::routes::usage_create_assessment)
                    .service(crate::usage::routes::usage_list_assessments)
                    .service(crate::usage::routes::usage_maturity_matrix)
                    .service(crate::usage::routes::usage_maturity_matrix_csv)
                    .service(crate::usage::views::usage_open_data)
                    .service(crate::usage::views::usage_public_services)
                    .service(crate::usage::views::usage_efa)
                    // Before the register's `/processes/{id}` routes: fixed paths first.
                    .service(crate::processes::priority_routes::process_candidates)
                    .service(crate::processes::priority_routes::continuity_offline_export)
                    .service(crate::processes::priority_routes::list_process_profiles)
                    .service(crate::processes::priority_routes::put_process_profile)
                    .service(crate::processes::priority_routes::create_process_project_draft)
                    .service(crate::processes::priority_routes::get_continuity_sheet)
                    .service(crate::processes::priority_routes::put_continuity_sheet)
                    .service(crate::processes::priority_routes::confirm_continuity_sheet)
                    .service(crate::processes::priority_routes::list_continuity_exercises)
                    .service(crate::processes::priority_routes::create_continuity_exercise)
                    .service(crate::processes::routes::list_processes)
                    .service(crate::processes::routes::export_processes_csv)
                    .service(crate::processes::routes::process_deviations)
                    .service(crate::processes::routes::import_processes)
                    .service(crate::processes::routes::similar_processes)
                    .service(crate::processes::routes::create_process)
                    .service(crate::processes::routes::get_process)
                    .service(crate::processes::routes::update_process)
                    .service(crate::processes::routes::put_process_office)
                    .service(crate::processes::routes::put_process_projects)
                    .service(crate::processes::routes::list_process_models)
                    .service(crate::processes::routes::upload_process_model)
                    .service(crate::processes::routes::download_process_bpmn)
                    .service(crate::processes::routes::process_model_comparison)
                    .service(crate::processes::routes::update_process_difference)
                    .service(crate::processes::attachments::list_process_files)
                    .service(crate::processes::attachments::upload_process_file)
                    .service(crate::processes::attachments::download_process_file)
                    .service(crate::processes::attachments::delete_process_file),
            )
            .split_for_parts()
    }};
}

/// The generated OpenAPI document (also written by `digitalnetzwerk openapi`).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_app, mut api) = build_app!(App::new());
    describe_operations(&mut api);
    problem_json(&mut api);
    common_problems(&mut api);
    api
}

fn operations_mut(
    api: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    api.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
    })
}

/// Every operation's description (what it does, who may call it) from
/// `openapi_descriptions`; `tests/api/openapi.rs` checks that none is missing.
fn describe_operations(api: &mut utoipa::openapi::OpenApi) {
    let texts: std::collections::HashMap<&str, &str> = crate::openapi_descriptions::DESCRIPTIONS
        .iter()
        .copied()
        .collect();
    for op in operations_mut(api) {
        if let Some(text) = op.operation_id.as_deref().and_then(|id| texts.get(id)) {
            op.description = Some((*text).to_string());
        }
    }
}

/// Problems are sent as `application/problem+json` (`AppError::error_response`).
fn problem_json(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::RefOr;
    for op in operations_mut(api) {
        for resp in op.responses.responses.values_mut() {
            let RefOr::T(resp) = resp else { continue };
            let is_problem = matches!(
                resp.content.get("application/json").and_then(|c| c.schema.as_ref()),
                Some(RefOr::Ref(r)) if r.ref_location == "#/components/schemas/Problem"
            );
            if is_problem {
                if let Some(c) = resp.content.shift_remove("application/json") {
                    resp.content.insert("application/problem+json".into(), c);
                }
            }
        }
    }
}

/// The problems any operation can answer before its handler runs, documented where the
/// handler's own list lacks them: 400 (a query string or body that cannot be read), 422 (a
/// value out of range), 401 and 403 (no sign-in, or a role that may not, on every operation
/// that needs a sign-in), 404 (an id in the path or query that does not exist or is hidden)
/// and 428 (If-Match missing where 412 is documented).
fn common_problems(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let globally_secured = api.security.as_ref().is_some_and(|s| !s.is_empty());
    // Request bodies that name an object by id (`municipality_id`, `project_ids`).
    let naming_bodies: std::collections::HashSet<String> = api
        .components
        .as_ref()
        .map(|c| {
            c.schemas
                .iter()
                .filter(|(_, schema)| {
                    serde_json::to_value(schema).is_ok_and(|v| {
                        v["properties"].as_object().is_some_and(|props| {
                            props
                                .keys()
                                .any(|k| k.ends_with("_id") || k.ends_with("_ids"))
                        })
                    })
                })
                .map(|(name, _)| format!("#/components/schemas/{name}"))
                .collect()
        })
        .unwrap_or_default();
    let problem = |text: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(text)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in api.paths.paths.iter_mut() {
        // SCIM documents its own errors (`application/scim+json`).
        if path.starts_with("/scim/") {
            continue;
        }
        let has_id = path.contains('{');
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let secured = match &op.security {
                None => globally_secured,
                Some(reqs) => reqs
                    .iter()
                    .all(|r| serde_json::to_value(r).is_ok_and(|v| v != serde_json::json!({}))),
            };
            let params = op.parameters.as_deref().unwrap_or_default();
            let takes_input = op.request_body.is_some() || !params.is_empty();
            // An object named in the query (`district_id`, `town`) may not exist either.
            let body_names_object = op.request_body.as_ref().is_some_and(|b| {
                serde_json::to_value(b).is_ok_and(|v| {
                    v["content"].as_object().is_some_and(|content| {
                        content.values().any(|c| {
                            c["schema"]["$ref"]
                                .as_str()
                                .is_some_and(|r| naming_bodies.contains(r))
                        })
                    })
                })
            });
            let names_object = has_id
                || body_names_object
                || params.iter().any(|p| {
                    p.name.ends_with("id") || matches!(p.name.as_str(), "town" | "district")
                });
            let locked = op.responses.responses.contains_key("412");
            let responses = &mut op.responses.responses;
            let mut add = |code: &str, text: &str| {
                if !responses.contains_key(code) {
                    responses.insert(code.to_string(), problem(text));
                }
            };
            if takes_input {
                add(
                    "400",
                    "Die Anfrage ist nicht lesbar (Parameter oder Inhalt).",
                );
                add("422", "Ein Wert ist ungültig.");
            }
            if secured {
                add("401", "Anmeldung erforderlich.");
                add("403", "Keine Berechtigung für diese Aktion.");
            }
            if names_object {
                add("404", "Nicht gefunden.");
            }
            if locked {
                add(
                    "428",
                    "If-Match fehlt: die zuletzt gelesene Version mitsenden.",
                );
            }
        }
    }
}

/// Paths in logs never show the secret part of token links.
fn loggable_path(path: &str) -> String {
    const MARKERS: [&str; 5] = [
        "/token/",
        "/einladung/",
        "/passwort-zuruecksetzen/",
        "/unsubscribe/",
        "/calendar/",
    ];
    for marker in MARKERS {
        if let Some(i) = path.find(marker) {
            let rest = &path[i + marker.len()..];
            let tail = rest.find('/').map(|j| &rest[j..]).unwrap_or("");
            return format!("{}{}***{}", &path[..i], marker, tail);
        }
    }
    path.to_string()
}

fn not_found_problem() -> HttpResponse {
    actix_web::ResponseError::error_response(&AppError::NoSuchRoute)
}

async fn spa_fallback(req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let resp = spa_index(&req).await;
    Ok(ServiceResponse::new(req, resp))
}

/// The documented routes as (path segments, methods), for 405 answers.
fn route_table() -> &'static [(Vec<String>, Vec<String>)] {
    static TABLE: std::sync::OnceLock<Vec<(Vec<String>, Vec<String>)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let doc = openapi_document();
        doc.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut methods = Vec::new();
                for (m, op) in [
                    ("GET", &item.get),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                ] {
                    if op.is_some() {
                        methods.push(m.to_string());
                    }
                }
                (path.split('/').map(str::to_string).collect(), methods)
            })
            .collect()
    })
}

/// The methods a known API path answers to (most literal template first), if any.
fn allowed_methods(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut best: Option<(usize, &Vec<String>)> = None;
    for (template, methods) in route_table() {
        if template.len() != segments.len() {
            continue;
        }
        let mut literal = 0;
        let fits = template.iter().zip(&segments).all(|(t, s)| {
            if t.starts_with('{') {
                !s.is_empty()
            } else {
                literal += 1;
                t == s
            }
        });
        if fits && best.is_none_or(|(l, _)| literal > l) {
            best = Some((literal, methods));
        }
    }
    best.map(|(_, m)| m.join(", "))
}

async fn spa_index(req: &HttpRequest) -> HttpResponse {
    let path = req.path();
    if path.starts_with("/api/") || path == "/api" {
        // A known path asked with a method it does not have: 405 with the ones it has.
        if let Some(allow) = allowed_methods(path) {
            return actix_web::ResponseError::error_response(&AppError::MethodNotAllowed { allow });
        }
        return not_found_problem();
    }
    let dir = req.app_data::<web::Data<StaticDir>>().map(|d| d.0.clone());
    match dir.map(|d| d.join("index.html")).and_then(|p| std::fs::read(p).ok()) {
        Some(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(html),
        None => HttpResponse::NotFound()
            .content_type("text/html; charset=utf-8")
            .body("<!DOCTYPE html><html lang=\"de\"><title>Digitalnetzwerk</title><p>Die Oberfläche ist nicht gebaut. Bitte <code>make run</code> verwenden.</p></html>"),
    }
}

#[derive(Clone)]
struct StaticDir(PathBuf);

/// Starts the HTTP server on `listener` (the caller picks the address, tests use port 0)
/// and the background loop. SIGTERM or SIGINT drain both (see `crate::shutdown`).
pub fn run_server(
    state: web::Data<AppState>,
    listener: std::net::TcpListener,
    workers: usize,
) -> std::io::Result<actix_web::dev::Server> {
    let api_json = OpenApiJson(Arc::new(
        openapi_document()
            .to_pretty_json()
            .map_err(std::io::Error::other)?,
    ));
    let static_dir = StaticDir(state.config.static_dir.clone());
    crate::notify::worker::start(state.clone());
    if let Some(addr) = &state.config.metrics_bind_address {
        actix_web::rt::spawn(crate::metrics::serve::serve_separately(
            state.clone(),
            addr,
        )?);
    }
    // Installed before the first connection is accepted: a SIGTERM from then on drains.
    let stop_signal = crate::shutdown::signal(state.clone())?;
    let shutdown_timeout = state.config.shutdown_timeout_secs;
    let server = HttpServer::new(move || {
        let config = state.config.clone();
        let cors_enabled = !config.cors_origins.is_empty();
        let mut cors = Cors::default()
            .allowed_methods(vec!["GET", "POST", "PATCH", "PUT", "DELETE"])
            .allowed_headers(vec![
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
                header::ACCEPT,
            ])
            .expose_headers(vec![
                header::ETAG,
                header::RETRY_AFTER,
                header::HeaderName::from_static(crate::request_id::HEADER),
            ])
            .supports_credentials()
            .max_age(600)
            .allowed_origin(&config.public_url);
        for origin in &config.cors_origins {
            cors = cors.allowed_origin(origin);
        }
        let (app, _api) = build_app!(App::new()
            .app_data(state.clone())
            .app_data(web::Data::new(api_json.clone()))
            .app_data(web::Data::new(static_dir.clone()))
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|e, req| { crate::api::query_error(&e, req).into() })
            ));
        // Not in the OpenAPI document: it is for operators, not for API clients.
        let app = app.route("/metrics", web::get().to(crate::metrics::serve::handler));
        // Unmatched paths (also below /api/v1) end in the fallback: problem+json under /api, the SPA elsewhere.
        let app = app.default_service(actix_web::dev::fn_service(spa_fallback));
        let files_dir = static_dir.0.clone();
        let app = if files_dir.is_dir() {
            app.service(
                actix_files::Files::new("/", files_dir)
                    .index_file("index.html")
                    .default_handler(actix_web::dev::fn_service(spa_fallback)),
            )
        } else {
            app
        };
        let hsts = config.hsts;
        app.wrap(actix_web::middleware::from_fn(
            crate::api::refuse_forbidden_in_url,
        ))
        .wrap(Condition::new(cors_enabled, cors))
        // Answers of the API are personal: no cache keeps them (handlers that may be
        // cached set their own Cache-Control). HSTS only where TLS ends here.
        // The language of the signed-in user from their token, before any extractor runs.
        .wrap_fn({
            let secret = config.jwt_secret.clone();
            move |req, srv| {
                let locale = crate::api::token_locale(req.headers(), &secret);
                let fut = srv.call(req);
                async move {
                    if let Some(l) = locale {
                        crate::i18n::set_current(l);
                    }
                    fut.await
                }
            }
        })
        .wrap_fn(move |req, srv| {
            let api = req.path().starts_with("/api/");
            let fut = srv.call(req);
            async move {
                let mut res = fut.await?;
                let headers = res.headers_mut();
                if api && !headers.contains_key(header::CACHE_CONTROL) {
                    headers.insert(
                        header::CACHE_CONTROL,
                        header::HeaderValue::from_static("no-store"),
                    );
                }
                if hsts {
                    headers.insert(
                        header::STRICT_TRANSPORT_SECURITY,
                        header::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
                    );
                }
                Ok(res)
            }
        })
        .wrap(
            DefaultHeaders::new()
                .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::X_FRAME_OPTIONS, "DENY"))
                .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
                .add((
                    "Permissions-Policy",
                    "camera=(), microphone=(), geolocation=()",
                ))
                .add(("Cross-Origin-Opener-Policy", "same-origin")),
        )
        .wrap(
            Logger::new("%{path}xi %s %b %Dms request_id=%{request_id}xi")
                .custom_request_replace("path", |req| {
                    format!("{} {}", req.method(), loggable_path(req.path()))
                })
                .custom_request_replace("request_id", |req| {
                    use actix_web::HttpMessage;
                    req.extensions()
                        .get::<crate::request_id::RequestId>()
                        .map(|id| id.to_string())
                        .unwrap_or_default()
                }),
        )
        // Outermost: the request id is there for everything inside, the access log included.
        .wrap_fn({
            let metrics = state.metrics.clone();
            move |req, srv| crate::metrics::around(metrics.clone(), req, srv)
        })
    })
    .workers(workers)
    .shutdown_timeout(shutdown_timeout)
    .shutdown_signal(stop_signal)
    .listen(listener)?
    .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn tokens_are_masked_in_logged_paths() {
        assert_eq!(
            loggable_path("/api/v1/invitations/token/abc123/accept"),
            "/api/v1/invitations/token/***/accept"
        );
        assert_eq!(
            loggable_path("/api/v1/invitations/token/abc123"),
            "/api/v1/invitations/token/***"
        );
        assert_eq!(loggable_path("/api/v1/users"), "/api/v1/users");
        assert_eq!(
            loggable_path("/api/v1/calendar/geheim123.ics"),
            "/api/v1/calendar/***"
        );
        assert_eq!(
            loggable_path("/passwort-zuruecksetzen/geheim"),
            "/passwort-zuruecksetzen/***"
        );
    }
}
