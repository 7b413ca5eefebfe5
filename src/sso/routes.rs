//! HTTP handlers of single sign-on: the sign-in methods, start and callback of the
//! OpenID login, the refusal text, linking with the local password, back-channel
//! logout and the admins' dry run of a claim mapping.
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;

use super::mapping::{map_claims, map_claims_in, say, Refusal};
use super::model::*;
use super::queries::{self, LoginOutcome, NewAttempt};
use crate::api::Body;
use crate::auth::{password, policy, throttle, CurrentUser};
use crate::config::sso::OidcProvider;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::secret::{hash_token, random_token};
use crate::state::AppState;

/// Binds a login attempt to the browser that started it.
pub const SSO_COOKIE: &str = "dn_sso";
const SSO_COOKIE_PATH: &str = "/api/v1/auth/oidc";
/// The same refresh cookie as the password sign-in sets (`users::session`).
const REFRESH_COOKIE: &str = "dn_refresh";
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

fn provider<'a>(state: &'a AppState, id: &str) -> AppResult<&'a OidcProvider> {
    state.config.sso.provider(id).ok_or(AppError::NotFound)
}

/// Only a path of this site (no scheme, no `//host`, no backslash): no open redirect.
pub fn safe_return_to(ziel: Option<&str>) -> String {
    match ziel {
        Some(z)
            if z.starts_with('/')
                && !z.starts_with("//")
                && !z.contains('\\')
                && !z.chars().any(char::is_control)
                && z.len() <= 500 =>
        {
            z.to_string()
        }
        _ => "/".into(),
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn browser_hash(req: &HttpRequest) -> Option<String> {
    req.cookie(SSO_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
        .map(|v| hash_token(&v))
}

fn refresh_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.config.cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(state.config.refresh_token_days))
        .finish()
}

fn sso_cookie_removal(state: &AppState) -> Cookie<'static> {
    let mut c = Cookie::build(SSO_COOKIE, "")
        .path(SSO_COOKIE_PATH)
        .http_only(true)
        .secure(state.config.cookie_secure)
        .same_site(SameSite::Lax)
        .finish();
    c.make_removal();
    c
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// How one can sign in: the password form (if enabled) and a button per provider.
#[utoipa::path(tag = "auth", security(()), responses((status = 200, body = AuthMethods)))]
#[get("/auth/methods")]
pub async fn auth_methods(state: web::Data<AppState>) -> HttpResponse {
    let sso = &state.config.sso;
    HttpResponse::Ok().json(AuthMethods {
        local: sso.local_login,
        providers: sso
            .providers
            .iter()
            .map(|p| AuthProvider {
                id: p.id.clone(),
                label: p.label.clone(),
            })
            .collect(),
    })
}

/// Starts the sign-in at a provider: a login attempt bound to this browser, then 303 to
/// the provider.
#[utoipa::path(tag = "auth", security(()), params(StartQuery), responses(
    (status = 303, description = "to the identity provider"),
    (status = 404, body = crate::error::Problem), (status = 503, body = crate::error::Problem)))]
#[get("/auth/oidc/{id}/start")]
pub async fn oidc_start(
    state: web::Data<AppState>,
    id: web::Path<String>,
    q: web::Query<StartQuery>,
) -> AppResult<HttpResponse> {
    let p = provider(&state, &id)?.clone();
    let start = state.sso.start(&p, &state.config.public_url).await?;
    let browser = random_token(32);
    let attempt = NewAttempt {
        provider: p.id.clone(),
        state_hash: hash_token(&start.state),
        browser_hash: hash_token(&browser),
        nonce: start.nonce,
        pkce_verifier: start.pkce_verifier,
        return_to: safe_return_to(q.ziel.as_deref()),
    };
    crate::db::tx(&state.pool, move |conn| {
        queries::create_attempt(conn, attempt)
    })
    .await?;
    let cookie = Cookie::build(SSO_COOKIE, browser)
        .path(SSO_COOKIE_PATH)
        .http_only(true)
        .secure(state.config.cookie_secure)
        // Lax: the provider's redirect back is a top-level navigation from another site.
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::minutes(ATTEMPT_MINUTES))
        .finish();
    let mut resp = see_other(&start.url);
    resp.add_cookie(&cookie)
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(resp)
}

fn token_refusal(p: &OidcProvider) -> Refusal {
    Refusal {
        missing: vec!["token".into()],
        message: say(
            crate::i18n::current(),
            format!(
                "Die Anmeldung über {} ist fehlgeschlagen: Die Antwort des Anmeldedienstes war ungültig oder abgelaufen. Bitte erneut anmelden.",
                p.label
            ),
            format!(
                "Sign-in through {} failed: the sign-in service's answer was invalid or expired. Please sign in again.",
                p.label
            ),
        ),
    }
}

async fn refuse_and_redirect(
    state: &AppState,
    p: &OidcProvider,
    attempt_id: String,
    refusal: Refusal,
) -> AppResult<HttpResponse> {
    let provider_id = p.id.clone();
    let id2 = attempt_id.clone();
    crate::db::tx(&state.pool, move |conn| {
        queries::refuse(conn, &id2, &provider_id, None, &refusal)
    })
    .await?;
    Ok(see_other(&format!(
        "/anmelden?sso_fehler={}",
        encode(&attempt_id)
    )))
}

/// The provider's redirect back: checks state, the browser binding and `iss`, uses the
/// attempt up, exchanges the code, verifies the ID token, maps the claims and signs in
/// (or refuses, or asks for the local password to link an account).
#[utoipa::path(tag = "auth", security(()), params(CallbackQuery), responses(
    (status = 303, description = "to /anmelden/fertig, /anmelden/verknuepfen or /anmelden?sso_fehler=…"),
    (status = 404, body = crate::error::Problem)))]
#[get("/auth/oidc/{id}/callback")]
pub async fn oidc_callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    q: web::Query<CallbackQuery>,
) -> AppResult<HttpResponse> {
    let p = provider(&state, &id)?.clone();
    let q = q.into_inner();
    let Some(st) = q.state.clone().filter(|s| !s.is_empty()) else {
        return Ok(see_other("/anmelden?sso_fehler=ungueltig"));
    };
    let browser = browser_hash(&req);
    let (provider_id, state_hash) = (p.id.clone(), hash_token(&st));
    let attempt = crate::db::tx(&state.pool, move |conn| {
        queries::take_attempt(conn, &provider_id, &state_hash, browser.as_deref())
    })
    .await?;
    let Some(attempt) = attempt else {
        tracing::warn!(provider = %p.id, "sso callback without a matching open attempt");
        return Ok(see_other("/anmelden?sso_fehler=ungueltig"));
    };
    if let Some(err) = &q.error {
        tracing::warn!(provider = %p.id, error = %err, description = ?q.error_description, "provider refused the sign-in");
        let refusal = Refusal {
            missing: vec!["provider".into()],
            message: say(
                crate::i18n::current(),
                format!(
                    "Der Anmeldedienst {} hat die Anmeldung abgebrochen ({err}).",
                    p.label
                ),
                format!(
                    "The sign-in service {} cancelled the sign-in ({err}).",
                    p.label
                ),
            ),
        };
        return refuse_and_redirect(&state, &p, attempt.id, refusal).await;
    }
    // RFC 9207: an `iss` in the answer must be ours (mix-up attacks between providers).
    if q.iss
        .as_deref()
        .is_some_and(|iss| iss.trim_end_matches('/') != p.issuer)
    {
        tracing::warn!(provider = %p.id, iss = ?q.iss, "sso callback with a foreign issuer");
        return refuse_and_redirect(&state, &p, attempt.id, token_refusal(&p)).await;
    }
    let Some(code) = q.code.filter(|c| !c.is_empty()) else {
        return refuse_and_redirect(&state, &p, attempt.id, token_refusal(&p)).await;
    };
    let claims = match state
        .sso
        .exchange(
            &p,
            &state.config.public_url,
            &code,
            &attempt.pkce_verifier,
            &attempt.nonce,
        )
        .await
    {
        Ok(c) => c,
        Err(super::client::VerifyError::Invalid(why)) => {
            tracing::warn!(provider = %p.id, reason = %why, "sso token refused");
            return refuse_and_redirect(&state, &p, attempt.id, token_refusal(&p)).await;
        }
        Err(super::client::VerifyError::Unavailable(why)) => {
            tracing::warn!(provider = %p.id, reason = %why, "sso provider unavailable");
            let refusal = Refusal {
                missing: vec!["provider".into()],
                message: say(
                    crate::i18n::current(),
                    format!(
                        "Der Anmeldedienst {} ist gerade nicht erreichbar. Bitte später erneut versuchen.",
                        p.label
                    ),
                    format!(
                        "The sign-in service {} cannot be reached right now. Please try again later.",
                        p.label
                    ),
                ),
            };
            return refuse_and_redirect(&state, &p, attempt.id, refusal).await;
        }
    };
    let sid = claims["sid"].as_str().map(str::to_string);
    let sub = claims["sub"].as_str().map(str::to_string);
    let (p2, attempt_id, days) = (
        p.clone(),
        attempt.id.clone(),
        state.config.refresh_token_days,
    );
    // The refusal is worded in the browser's language (the blocking task has no locale).
    let locale: Locale = crate::i18n::current();
    let outcome = crate::db::tx(&state.pool, move |conn| {
        let orgs = queries::org_index(conn)?;
        match map_claims_in(&claims, &p2, &orgs, locale).result {
            Ok(m) => queries::complete_login(
                conn,
                &p2,
                &attempt_id,
                &m,
                sid.as_deref(),
                sub.as_deref(),
                days,
                locale,
            ),
            Err(r) => {
                queries::refuse(conn, &attempt_id, &p2.id, sub.as_deref(), &r)?;
                Ok(LoginOutcome::Refused(r))
            }
        }
    })
    .await?;
    match outcome {
        LoginOutcome::Session { refresh, .. } => {
            let target = format!("/anmelden/fertig?ziel={}", encode(&attempt.return_to));
            let mut resp = see_other(&target);
            resp.add_cookie(&refresh_cookie(&state, refresh))
                .map_err(|e| AppError::internal(e.to_string()))?;
            resp.add_cookie(&sso_cookie_removal(&state))
                .map_err(|e| AppError::internal(e.to_string()))?;
            Ok(resp)
        }
        LoginOutcome::LinkPending => Ok(see_other(&format!(
            "/anmelden/verknuepfen?versuch={}",
            encode(&attempt.id)
        ))),
        LoginOutcome::Refused(_) => Ok(see_other(&format!(
            "/anmelden?sso_fehler={}",
            encode(&attempt.id)
        ))),
    }
}

/// The outcome of a recent login attempt (at most ten minutes old): the German refusal
/// and what is missing; no claims.
#[utoipa::path(tag = "auth", security(()), responses(
    (status = 200, body = AttemptInfo), (status = 404, body = crate::error::Problem)))]
#[get("/auth/oidc/attempts/{id}")]
pub async fn oidc_attempt(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let sso = state.config.clone();
    let browser = browser_hash(&req);
    let info = crate::db::run(&state.pool, move |conn| {
        queries::attempt_info(conn, &id, browser.as_deref(), |p| {
            sso.sso
                .provider(p)
                .map(|p| p.label.clone())
                .unwrap_or_else(|| p.to_string())
        })
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(info))
}

/// Links the identity of a pending login to the local account with the same email once
/// the local password is given; then signs in (refresh cookie, as after the callback).
#[utoipa::path(tag = "auth", security(()), request_body = LinkRequest, responses(
    (status = 204), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 429, body = crate::error::Problem)))]
#[post("/auth/oidc/link")]
pub async fn oidc_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<LinkRequest>,
) -> AppResult<HttpResponse> {
    let LinkRequest {
        attempt,
        password: pw,
    } = body.0;
    let browser = browser_hash(&req);
    let a2 = attempt.clone();
    let (a, user) = crate::db::run(&state.pool, move |conn| {
        queries::pending_link(conn, &a2, browser.as_deref())
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let p = provider(&state, &a.provider)?.clone();
    let keys = vec![
        throttle::account_key(&user.email),
        throttle::address_key(
            &req.peer_addr()
                .map(|a| a.ip().to_string())
                .unwrap_or_default(),
        ),
    ];
    let keys2 = keys.clone();
    crate::db::tx(&state.pool, move |conn| throttle::attempt(conn, &keys2)).await?;
    let memory = state.config.argon2_memory_kib;
    let stored = user.password_hash.clone();
    let ok = web::block(move || password::verify(&pw, stored.as_deref(), memory))
        .await
        .map_err(|e| AppError::internal(format!("hashing task: {e}")))?;
    if !ok {
        return Err(AppError::Unauthorized);
    }
    let days = state.config.refresh_token_days;
    let linked = crate::db::tx(&state.pool, move |conn| {
        throttle::succeeded(conn, &keys)?;
        queries::finish_link(conn, &p, &attempt, days)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let (_, _, refresh) = linked;
    Ok(HttpResponse::NoContent()
        .cookie(refresh_cookie(&state, refresh))
        .cookie(sso_cookie_removal(&state))
        .finish())
}

fn logout_refused(why: &str) -> HttpResponse {
    tracing::warn!(reason = why, "back-channel logout token refused");
    HttpResponse::BadRequest()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({"error": "invalid_request"}))
}

/// OpenID Connect back-channel logout: the provider posts a signed logout token; the
/// sessions of that provider session (`sid`) or subject end at once.
#[utoipa::path(tag = "auth", security(()), request_body(content = String, content_type = "application/x-www-form-urlencoded", description = "logout_token=…"),
    responses((status = 200), (status = 400, description = "{\"error\":\"invalid_request\"}")))]
#[post("/auth/oidc/{id}/backchannel-logout")]
pub async fn oidc_backchannel_logout(
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let p = provider(&state, &id)?.clone();
    let token = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "logout_token")
        .map(|(_, v)| v.into_owned());
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(logout_refused("no logout_token"));
    };
    let kid = super::logout::key_id(&token);
    let (keys, algs) = state.sso.keys_json(&p, kid.as_deref()).await?;
    let now = chrono::Utc::now().timestamp();
    let request = match super::logout::verify(&token, &p, &keys, &algs, now) {
        Ok(r) => r,
        Err(why) => return Ok(logout_refused(&why)),
    };
    let expires = chrono::DateTime::from_timestamp(request.exp, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_else(crate::db::now);
    let provider_id = p.id.clone();
    let fresh = crate::db::tx(&state.pool, move |conn| {
        if !queries::remember_logout_jti(conn, &provider_id, &request.jti, expires)? {
            return Ok(false);
        }
        let n = queries::revoke_provider_sessions(
            conn,
            &provider_id,
            request.sid.as_deref(),
            request.sub.as_deref(),
        )?;
        tracing::info!(provider = %provider_id, sessions = n, "back-channel logout");
        Ok(true)
    })
    .await?;
    if !fresh {
        return Ok(logout_refused("replayed jti"));
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// What a user with the given claims (or a pasted ID token, unchecked) would get from a
/// provider's mapping: town, role or the refusal, step by step. Writes nothing.
#[utoipa::path(tag = "auth", request_body = DryRunRequest, responses(
    (status = 200, body = DryRunResult), (status = 403, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[post("/admin/sso/dry-run")]
pub async fn sso_dry_run(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<DryRunRequest>,
) -> AppResult<HttpResponse> {
    if !policy::can_test_sso_mapping(&me.actor()) {
        return Err(AppError::Forbidden);
    }
    let b = body.0;
    let p = state
        .config
        .sso
        .provider(&b.provider)
        .cloned()
        .ok_or_else(|| AppError::field("provider", "Diesen Anmeldedienst gibt es hier nicht."))?;
    let claims = match (
        b.claims,
        b.id_token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty()),
    ) {
        (Some(c), _) if c.is_object() => c,
        (_, Some(token)) => super::mapping::unverified_payload(token).ok_or_else(|| {
            AppError::field(
                "id_token",
                "Das ist kein lesbares ID-Token (drei Teile, JSON in der Mitte).",
            )
        })?,
        _ => {
            return Err(AppError::field(
                "claims",
                "Bitte die Ansprüche als JSON-Objekt oder ein ID-Token angeben.",
            ))
        }
    };
    let orgs = crate::db::run(&state.pool, queries::org_index).await?;
    let out = map_claims(&claims, &p, &orgs);
    let result = match out.result {
        Ok(m) => DryRunResult {
            provider: p.id,
            allowed: true,
            role: Some(m.role),
            district_id: m.district_id,
            municipality_id: m.municipality_id,
            town: m.place_label,
            email: m.email,
            name: m.name,
            refusal: None,
            missing: vec![],
            steps: out.steps,
            signature_checked: false,
        },
        Err(r) => DryRunResult {
            provider: p.id,
            allowed: false,
            role: None,
            district_id: None,
            municipality_id: None,
            town: None,
            email: None,
            name: None,
            refusal: Some(r.message),
            missing: r.missing,
            steps: out.steps,
            signature_checked: false,
        },
    };
    Ok(HttpResponse::Ok().json(result))
}
