//! HTTP handlers of SCIM 2.0 provisioning (`/scim/v2/{provider}/…`): bearer token of the
//! provider (compared as SHA-256), `application/scim+json`, SCIM error bodies.
use actix_web::http::{header, StatusCode};
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::scim::{self, UserView};
use super::scim_queries::{self as q, Provisioned, ScimError};
use crate::config::sso::OidcProvider;
use crate::state::AppState;

fn scim_response(status: StatusCode, body: Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, scim::CONTENT_TYPE))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body.to_string())
}

fn scim_error(status: StatusCode, detail: &str, scim_type: Option<&str>) -> HttpResponse {
    scim_response(status, scim::error_json(status.as_u16(), detail, scim_type))
}

fn from_error(e: ScimError) -> HttpResponse {
    match e {
        ScimError::NotFound => scim_error(StatusCode::NOT_FOUND, "Benutzer nicht gefunden", None),
        ScimError::Conflict(d) => scim_error(StatusCode::CONFLICT, &d, Some("uniqueness")),
        ScimError::Invalid(d) => scim_error(StatusCode::BAD_REQUEST, &d, Some("invalidValue")),
        ScimError::Db(e) => {
            tracing::error!(error = %e, "scim request failed");
            scim_error(StatusCode::INTERNAL_SERVER_ERROR, "Interner Fehler", None)
        }
    }
}

/// The provider of the path if the request carries its SCIM token; else the 401 answer.
fn authorize(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
) -> Result<OidcProvider, Box<HttpResponse>> {
    let unauthorized = || {
        let mut r = scim_error(
            StatusCode::UNAUTHORIZED,
            "Gültiges Bearer-Token erforderlich",
            None,
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        Box::new(r)
    };
    let p = state
        .config
        .sso
        .provider(id)
        .cloned()
        .ok_or_else(unauthorized)?;
    let expected = p.scim_token_sha256.clone().ok_or_else(unauthorized)?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(unauthorized)?;
    if !super::constant_time_eq(&crate::secret::hash_token(token), &expected) {
        return Err(unauthorized());
    }
    Ok(p)
}

fn location(state: &AppState, p: &str, id: &str) -> String {
    format!("{}/scim/v2/{p}/Users/{id}", state.config.public_url)
}

fn view(state: &AppState, p: &str, x: &Provisioned) -> Value {
    scim::user_json(&UserView {
        id: &x.user.id,
        external_id: x.identity.external_id.as_deref(),
        email: &x.user.email,
        name: &x.user.name,
        active: x.user.active,
        ags: x.ags.as_deref(),
        role: &x.user.role,
        created: x.user.created_at,
        modified: x.user.updated_at,
        location: location(state, p, &x.user.id),
    })
}

fn parse_json(body: &[u8]) -> Result<Value, Box<HttpResponse>> {
    serde_json::from_slice(body).map_err(|_| {
        Box::new(scim_error(
            StatusCode::BAD_REQUEST,
            "Der Inhalt ist kein gültiges JSON",
            Some("invalidSyntax"),
        ))
    })
}

async fn run<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut crate::db::DbConn) -> Result<T, ScimError> + Send + 'static,
) -> Result<T, Box<HttpResponse>> {
    // A database error rolls the transaction back; a refusal has written nothing.
    let out = crate::db::tx(&state.pool, move |conn| match f(conn) {
        Err(ScimError::Db(e)) => Err(e),
        other => Ok(other),
    })
    .await;
    match out {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Box::new(from_error(e))),
        Err(e) => Err(Box::new(from_error(ScimError::Db(e)))),
    }
}

macro_rules! try_resp {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(resp) => return *resp,
        }
    };
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScimListQuery {
    /// `userName eq "…"` or `externalId eq "…"`
    pub filter: Option<String>,
    #[serde(rename = "startIndex")]
    pub start_index: Option<i64>,
    pub count: Option<i64>,
}

/// What this SCIM service supports (PATCH yes, bulk/sort/etag/password no, filter on two attributes).
#[utoipa::path(tag = "scim", security(("bearer" = [])), responses((status = 200, description = "ServiceProviderConfig"), (status = 401)))]
#[get("/{id}/ServiceProviderConfig")]
pub async fn scim_service_provider_config(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    try_resp!(authorize(&state, &req, &id));
    scim_response(
        StatusCode::OK,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": 200},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{"type": "oauthbearertoken", "name": "Bearer-Token", "description": "Das SCIM-Token des Anbieters"}],
        }),
    )
}

/// The provider's users; `filter=userName eq "…"` or `externalId eq "…"`.
#[utoipa::path(tag = "scim", security(("bearer" = [])), params(ScimListQuery), responses((status = 200, description = "ListResponse"), (status = 400), (status = 401)))]
#[get("/{id}/Users")]
pub async fn scim_list_users(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    query: web::Query<ScimListQuery>,
) -> HttpResponse {
    let p = try_resp!(authorize(&state, &req, &id));
    let query = query.into_inner();
    let filter =
        match query.filter.as_deref().filter(|f| !f.trim().is_empty()) {
            None => None,
            Some(f) => match scim::parse_filter(f) {
                Some(x) => Some(x),
                None => return scim_error(
                    StatusCode::BAD_REQUEST,
                    "Nur die Filter userName eq \"…\" und externalId eq \"…\" werden unterstützt",
                    Some("invalidFilter"),
                ),
            },
        };
    let start = query.start_index.unwrap_or(1).max(1);
    let count = query.count.unwrap_or(100).clamp(0, 200);
    let pid = p.id.clone();
    let (items, total) = try_resp!(
        run(&state, move |conn| {
            let f = filter.as_ref().map(|(a, v)| (a.as_str(), v.as_str()));
            Ok(q::list(conn, &pid, f, start - 1, count)?)
        })
        .await
    );
    let resources: Vec<Value> = items.iter().map(|x| view(&state, &p.id, x)).collect();
    scim_response(
        StatusCode::OK,
        json!({
            "schemas": [scim::LIST_RESPONSE],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}

/// Creates a user (201); 409 `uniqueness` if the email or externalId exists.
#[utoipa::path(tag = "scim", security(("bearer" = [])), request_body(content = Object, content_type = "application/scim+json"), responses((status = 201), (status = 400), (status = 401), (status = 409)))]
#[post("/{id}/Users")]
pub async fn scim_create_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let p = try_resp!(authorize(&state, &req, &id));
    let json = try_resp!(parse_json(&body));
    let u = match scim::parse_user(&json, &p) {
        Ok(u) => u,
        Err(e) => return scim_error(StatusCode::BAD_REQUEST, &e, Some("invalidValue")),
    };
    let p2 = p.clone();
    let created = try_resp!(run(&state, move |conn| q::create(conn, &p2, u)).await);
    let mut resp = scim_response(StatusCode::CREATED, view(&state, &p.id, &created));
    if let Ok(v) = header::HeaderValue::from_str(&location(&state, &p.id, &created.user.id)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// One user (404 after DELETE).
#[utoipa::path(tag = "scim", security(("bearer" = [])), responses((status = 200), (status = 401), (status = 404)))]
#[get("/{id}/Users/{user}")]
pub async fn scim_get_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (id, user) = path.into_inner();
    let p = try_resp!(authorize(&state, &req, &id));
    let pid = p.id.clone();
    let x = try_resp!(run(&state, move |conn| q::get(conn, &pid, &user)).await);
    scim_response(StatusCode::OK, view(&state, &p.id, &x))
}

/// Replaces a user; `active=false` deactivates and ends all sessions at once.
#[utoipa::path(tag = "scim", security(("bearer" = [])), request_body(content = Object, content_type = "application/scim+json"), responses((status = 200), (status = 400), (status = 401), (status = 404)))]
#[put("/{id}/Users/{user}")]
pub async fn scim_replace_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (id, user) = path.into_inner();
    let p = try_resp!(authorize(&state, &req, &id));
    let json = try_resp!(parse_json(&body));
    let u = match scim::parse_user(&json, &p) {
        Ok(u) => u,
        Err(e) => return scim_error(StatusCode::BAD_REQUEST, &e, Some("invalidValue")),
    };
    let p2 = p.clone();
    let x = try_resp!(run(&state, move |conn| q::update(conn, &p2, &user, u)).await);
    scim_response(StatusCode::OK, view(&state, &p.id, &x))
}

/// PatchOp (`add`/`replace`/`remove`, with or without path; `Replace` and `"False"` as
/// Entra sends them); `active=false` ends all sessions at once.
#[utoipa::path(tag = "scim", security(("bearer" = [])), request_body(content = Object, content_type = "application/scim+json"), responses((status = 200), (status = 400), (status = 401), (status = 404)))]
#[patch("/{id}/Users/{user}")]
pub async fn scim_patch_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (id, user) = path.into_inner();
    let p = try_resp!(authorize(&state, &req, &id));
    let json = try_resp!(parse_json(&body));
    let p2 = p.clone();
    let x = try_resp!(
        run(&state, move |conn| {
            let before = q::get(conn, &p2.id, &user)?;
            let mut u = q::current(&before);
            scim::apply_patch(&mut u, &json, &p2).map_err(ScimError::Invalid)?;
            q::update(conn, &p2, &user, u)
        })
        .await
    );
    scim_response(StatusCode::OK, view(&state, &p.id, &x))
}

/// Deactivates a user (sessions end at once) and hides it from SCIM: 204, then 404.
#[utoipa::path(tag = "scim", security(("bearer" = [])), responses((status = 204), (status = 401), (status = 404)))]
#[delete("/{id}/Users/{user}")]
pub async fn scim_delete_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (id, user) = path.into_inner();
    let p = try_resp!(authorize(&state, &req, &id));
    try_resp!(run(&state, move |conn| q::delete(conn, &p, &user)).await);
    HttpResponse::NoContent().finish()
}
