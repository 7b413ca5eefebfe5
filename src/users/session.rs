//! Sign-in, token refresh, sign-out and password reset (the handlers; passwords,
//! tokens, sessions and throttling live in `crate::auth`).
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::api::Body;
use crate::auth::{password, queries, throttle, tokens};
use crate::error::{AppError, AppResult, Errors};
use crate::i18n::Locale;
use crate::state::AppState;
use crate::users::model::Me;

pub const REFRESH_COOKIE: &str = "dn_refresh";
/// Marks a browser that signed in before (see `auth::throttle`).
pub const DEVICE_COOKIE: &str = "dn_device";
const DEVICE_DAYS: i64 = 180;
const COOKIE_PATH: &str = "/api/v1/auth";

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: Me,
}

fn refresh_cookie(state: &AppState, value: String, days: i64) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.config.cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(days))
        .finish()
}

fn removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = refresh_cookie(state, String::new(), 0);
    c.make_removal();
    c
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the last
/// address in `X-Forwarded-For` that is not one of the trusted proxies.
pub fn client_address(req: &HttpRequest, trusted: &[ipnet::IpNet]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<std::net::IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(&peer)
        .to_string()
}

/// The cookie-authenticated endpoints (refresh, logout) answer only the platform's own
/// pages: a browser names the page's origin, and a foreign one is refused (SameSite is
/// then not the only defence). Clients without an Origin header (scripts) pass.
fn check_origin(req: &HttpRequest, state: &AppState) -> AppResult<()> {
    let Some(origin) = req
        .headers()
        .get(actix_web::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(());
    };
    let own = origin.trim_end_matches('/') == state.config.public_url
        || state.config.cors_origins.iter().any(|o| o == origin);
    if own {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn token_response(
    state: &AppState,
    user: crate::users::model::UserRow,
    session_id: String,
    refresh_token: String,
) -> AppResult<HttpResponse> {
    let (access, ttl) = tokens::issue_access_token_in(
        &state.config.jwt_secret,
        &user.id,
        &session_id,
        state.config.access_token_minutes,
        Some(&user.locale),
    )?;
    let me = crate::db::run(&state.pool, move |conn| {
        crate::users::queries::load_me(conn, &user)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .cookie(refresh_cookie(
            state,
            refresh_token,
            state.config.refresh_token_days,
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: access,
            token_type: "Bearer".into(),
            expires_in: ttl,
            user: me,
        }))
}

/// Signs in with email and password. Wrong credentials always get the same answer.
#[utoipa::path(tag = "auth", security(()), request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, body = crate::error::Problem),
    (status = 429, body = crate::error::Problem)))]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<LoginRequest>,
) -> AppResult<HttpResponse> {
    let LoginRequest {
        email,
        password: pw,
    } = body.0;
    let email = email.trim().to_lowercase();
    if email.is_empty() || pw.is_empty() || email.len() > 254 || pw.len() > 1024 {
        let mut e = Errors::new();
        if email.is_empty() || email.len() > 254 {
            e.push("email", "Bitte eine E-Mail-Adresse angeben.");
        }
        if pw.is_empty() || pw.len() > 1024 {
            e.push("password", "Bitte das Passwort angeben.");
        }
        return Err(AppError::Validation(e.0));
    }
    // LOCAL_LOGIN=false: passwords only for the break-glass accounts (single sign-on for the rest).
    if !state.config.sso.password_allowed(&email) {
        return Err(AppError::Forbidden);
    }
    // A browser that signed in to this account before counts its guesses apart.
    let device = req
        .cookie(DEVICE_COOKIE)
        .and_then(|c| tokens::verify_device_token(&state.config.jwt_secret, c.value(), &email));
    let keys = vec![
        match &device {
            Some(d) => throttle::device_key(d),
            None => throttle::account_key(&email),
        },
        throttle::address_key(&client_address(&req, &state.config.trusted_proxies)),
    ];
    let memory = state.config.argon2_memory_kib;
    let state2 = state.clone();
    let keys2 = keys.clone();
    // The attempt is counted before the password is checked, in its own transaction.
    crate::db::tx(&state.pool, move |conn| throttle::attempt(conn, &keys2)).await?;
    let email2 = email.clone();
    // The Argon2 check runs without holding a database connection.
    let (user, keys) = crate::db::run(&state.pool, move |conn| {
        Ok((queries::user_by_email(conn, &email2)?, keys))
    })
    .await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = actix_web::web::block(move || password::verify(&pw, stored.as_deref(), memory))
        .await
        .map_err(|e| AppError::internal(format!("hashing task: {e}")))?;
    let outcome = crate::db::tx(&state.pool, move |conn| match user {
        Some(u) if ok && u.active => {
            throttle::succeeded(conn, &keys)?;
            let (sid, refresh_token) =
                queries::create_session(conn, &u.id, state2.config.refresh_token_days)?;
            Ok(Some((u, sid, refresh_token)))
        }
        _ => Ok(None),
    })
    .await?;
    match outcome {
        Some((user, sid, refresh_token)) => {
            let mut resp = token_response(&state, user, sid, refresh_token).await?;
            let token = tokens::issue_device_token(&state.config.jwt_secret, &email, DEVICE_DAYS)?;
            let cookie = Cookie::build(DEVICE_COOKIE, token)
                .path(COOKIE_PATH)
                .http_only(true)
                .secure(state.config.cookie_secure)
                .same_site(SameSite::Strict)
                .max_age(CookieDuration::days(DEVICE_DAYS))
                .finish();
            resp.add_cookie(&cookie)
                .map_err(|e| AppError::internal(e.to_string()))?;
            Ok(resp)
        }
        None => Err(AppError::Unauthorized),
    }
}

/// Exchanges the refresh cookie for a new access token and a new refresh cookie.
/// Replaying an already used refresh token ends that whole session.
#[utoipa::path(tag = "auth", security(()), responses(
    (status = 200, body = TokenResponse), (status = 401, body = crate::error::Problem),
    (status = 403, body = crate::error::Problem)))]
#[post("/auth/refresh")]
pub async fn refresh_session(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    check_origin(&req, &state)?;
    let token = req
        .cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty());
    let Some(token) = token else {
        return Err(AppError::Unauthorized);
    };
    let outcome = crate::db::tx(&state.pool, move |conn| {
        queries::rotate_refresh_token(conn, &token)
    })
    .await?;
    match outcome {
        queries::RefreshOutcome::Rotated {
            user,
            session_id,
            token,
        } => token_response(&state, *user, session_id, token).await,
        queries::RefreshOutcome::Reused => {
            tracing::warn!("refresh token reuse detected; session revoked");
            let mut resp = actix_web::ResponseError::error_response(&AppError::Unauthorized);
            let _ = resp.add_cookie(&removal_cookie(&state));
            Ok(resp)
        }
        queries::RefreshOutcome::Invalid => {
            let mut resp = actix_web::ResponseError::error_response(&AppError::Unauthorized);
            let _ = resp.add_cookie(&removal_cookie(&state));
            Ok(resp)
        }
    }
}

/// Ends the session of the refresh cookie (and of the bearer token, if given).
#[utoipa::path(tag = "auth", security(()), responses((status = 204), (status = 403, body = crate::error::Problem)))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    check_origin(&req, &state)?;
    let token = req
        .cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty());
    let bearer_sid = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| tokens::verify_access_token(&state.config.jwt_secret, t))
        .map(|c| c.sid);
    crate::db::tx(&state.pool, move |conn| {
        if let Some(t) = token {
            queries::revoke_session_by_refresh_token(conn, &t)?;
        }
        if let Some(sid) = bearer_sid {
            queries::revoke_session(conn, &sid)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(removal_cookie(&state))
        .finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// Sends a reset link if the address belongs to an active account. Always answers 202.
#[utoipa::path(tag = "auth", security(()), request_body = PasswordResetRequest, responses((status = 202)))]
#[post("/auth/password-reset")]
pub async fn request_reset(
    state: web::Data<AppState>,
    body: Body<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    let email = body.0.email.trim().to_lowercase();
    if email.is_empty() || email.len() > 254 {
        return Err(AppError::field(
            "email",
            "Bitte eine E-Mail-Adresse angeben.",
        ));
    }
    let public_url = state.config.public_url.clone();
    // Without local sign-in no reset mail goes out (the answer stays the same).
    if !state.config.sso.password_allowed(&email) {
        return Ok(HttpResponse::Accepted().finish());
    }
    crate::db::tx(&state.pool, move |conn| {
        let Some(user) = queries::user_by_email(conn, &email)?.filter(|u| u.active) else {
            return Ok(());
        };
        let Some((token, expires)) = queries::create_password_reset(conn, &user.id)? else {
            return Ok(());
        };
        crate::audit::record(
            conn,
            None,
            crate::audit::Entry {
                action: "user.password_reset_requested",
                object_type: "user",
                object_id: &user.id,
                district_id: user.district_id.as_deref(),
                municipality_id: user.municipality_id.as_deref(),
                summary: json!({}),
            },
        )?;
        let locale = Locale::parse(&user.locale);
        let mail = crate::mail::render(
            "password_reset",
            locale,
            &user.email,
            minijinja::context! {
                name => user.name,
                link => format!("{public_url}/passwort-zuruecksetzen/{token}"),
                expires => crate::i18n::format_berlin(expires, locale),
            },
        )?;
        crate::notify::outbox::enqueue(conn, "system", Some(&user.id), None, &mail)?;
        Ok(())
    })
    .await?;
    state.wakeup.wake();
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

/// Sets a new password with a reset token; ends all sessions of the account.
#[utoipa::path(tag = "auth", security(()), request_body = PasswordResetConfirm, responses(
    (status = 204), (status = 422, body = crate::error::Problem)))]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_reset(
    state: web::Data<AppState>,
    body: Body<PasswordResetConfirm>,
) -> AppResult<HttpResponse> {
    let PasswordResetConfirm {
        token,
        password: pw,
    } = body.0;
    let memory = state.config.argon2_memory_kib;
    let sso = state.config.sso.clone();
    crate::db::tx(&state.pool, move |conn| {
        let Some(user) = queries::consume_password_reset(conn, &token)? else {
            return Err(AppError::field(
                "token",
                "Der Link ist ungültig, schon benutzt oder abgelaufen.",
            ));
        };
        if !sso.password_allowed(&user.email) {
            return Err(AppError::field(
                "password",
                "Hier meldet man sich über den Anmeldedienst an; ein Passwort kann nicht gesetzt werden.",
            ));
        }
        password::check_rules(&pw, &user.email).map_err(|m| AppError::field("password", &m))?;
        let hash = password::hash(&pw, memory)?;
        queries::set_password(conn, &user.id, &hash)?;
        queries::revoke_all_sessions(conn, &user.id)?;
        crate::audit::record(
            conn,
            Some(&user.actor()),
            crate::audit::Entry {
                action: "user.password_reset",
                object_type: "user",
                object_id: &user.id,
                district_id: user.district_id.as_deref(),
                municipality_id: user.municipality_id.as_deref(),
                summary: json!({}),
            },
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
