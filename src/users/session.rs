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
/// forwarded address that is not one of the trusted proxies. The forwarded addresses are
/// those of `X-Forwarded-For`, or, when a request has none, the `for=` of `Forwarded`
/// (RFC 7239).
pub fn client_address(req: &HttpRequest, trusted: &[ipnet::IpNet]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let values = |name: &str| -> Vec<&str> {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect()
    };
    forwarded_client(
        peer,
        trusted,
        &values("x-forwarded-for"),
        &values("forwarded"),
    )
    .to_string()
}

/// The client behind `peer`, from the values of `X-Forwarded-For` and `Forwarded`.
///
/// Only a trusted peer's headers count. The hops are read from the right (the proxy next
/// to this server appends last) and the first address that is not a trusted proxy is the
/// client; what is further left was written by that client and is not believed. A hop
/// without a usable address (`unknown`, an obfuscated name) ends the walk at the peer.
/// `X-Forwarded-For` wins when both headers are there: a proxy that writes it (the usual
/// case) passes a client's own `Forwarded` on unchecked, so that one could be made up.
fn forwarded_client(
    peer: std::net::IpAddr,
    trusted: &[ipnet::IpNet],
    x_forwarded_for: &[&str],
    forwarded: &[&str],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<Option<std::net::IpAddr>> = if x_forwarded_for.is_empty() {
        forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .filter(|element| !element.trim().is_empty())
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, v)| node_address(v))
            })
            .collect()
    } else {
        x_forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .filter(|a| !a.trim().is_empty())
            .map(node_address)
            .collect()
    };
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(ip) => continue,
            Some(ip) => return *ip,
            None => break,
        }
    }
    peer
}

/// The address of a forwarded node: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`,
/// `[2001:db8::1]:4711`, quoted or not (RFC 7239 quotes those with `:` or `[`); `None`
/// for `unknown`, an obfuscated name (`_proxy1`) or anything else.
fn node_address(value: &str) -> Option<std::net::IpAddr> {
    let v = value.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
        .trim();
    if let Some(rest) = v.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port_ok = after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        return if port_ok {
            ip.parse::<std::net::Ipv6Addr>().ok().map(Into::into)
        } else {
            None
        };
    }
    if let Ok(ip) = v.parse::<std::net::IpAddr>() {
        return Some(ip);
    }
    let (ip, port) = v.rsplit_once(':')?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ip.parse::<std::net::Ipv4Addr>().ok().map(Into::into)
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

#[cfg(test)]
mod tests {
    use super::{forwarded_client, node_address};
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> Vec<ipnet::IpNet> {
        vec![
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
            "fd00::/8".parse().unwrap(),
        ]
    }

    #[test]
    fn node_addresses_of_rfc_7239() {
        assert_eq!(node_address("192.0.2.60"), Some(ip("192.0.2.60")));
        assert_eq!(node_address("\"192.0.2.60:4711\""), Some(ip("192.0.2.60")));
        assert_eq!(node_address(" 192.0.2.60:4711 "), Some(ip("192.0.2.60")));
        assert_eq!(
            node_address("\"[2001:db8:cafe::17]:4711\""),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(
            node_address("\"[2001:db8:cafe::17]\""),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(node_address("2001:db8::1"), Some(ip("2001:db8::1")));
        for bad in [
            "unknown",
            "_hidden",
            "\"[2001:db8::1\"",
            "[2001:db8::1]x",
            "[192.0.2.1]",
            "192.0.2.1:",
            "192.0.2.1:_port",
            "",
        ] {
            assert_eq!(node_address(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_forwarded_header_names_the_client_behind_a_trusted_proxy() {
        let proxy = ip("127.0.0.1");
        let client = |forwarded: &[&str]| forwarded_client(proxy, &proxies(), &[], forwarded);
        assert_eq!(client(&["for=203.0.113.50"]), ip("203.0.113.50"));
        assert_eq!(
            client(&["For=203.0.113.50;proto=https"]),
            ip("203.0.113.50")
        );
        assert_eq!(
            client(&["proto=https;for=\"[2001:db8::50]:4711\";by=10.0.0.1"]),
            ip("2001:db8::50")
        );
        // Several elements, in one header or several: the right-most untrusted one.
        assert_eq!(
            client(&["for=198.51.100.9, for=203.0.113.50, for=10.1.2.3"]),
            ip("203.0.113.50")
        );
        assert_eq!(
            client(&["for=198.51.100.9", "for=203.0.113.50;proto=http"]),
            ip("203.0.113.50")
        );
        assert_eq!(
            client(&["for=\"[fd00::1]\", for=\"[fd00::2]:80\""]),
            proxy,
            "only trusted hops: the peer"
        );
        // A hop the proxy could not name ends the walk: what is left of it is unverified.
        assert_eq!(client(&["for=203.0.113.50, for=unknown"]), proxy);
        assert_eq!(client(&["for=203.0.113.50, proto=https"]), proxy);
        assert_eq!(client(&[]), proxy, "no header: the peer");
    }

    #[test]
    fn only_a_trusted_peer_is_believed_and_x_forwarded_for_wins() {
        let stranger = ip("198.51.100.1");
        assert_eq!(
            forwarded_client(
                stranger,
                &proxies(),
                &["203.0.113.50"],
                &["for=203.0.113.51"]
            ),
            stranger
        );
        let proxy = ip("10.0.0.5");
        assert_eq!(
            forwarded_client(proxy, &proxies(), &["203.0.113.50"], &["for=203.0.113.51"]),
            ip("203.0.113.50")
        );
        assert_eq!(
            forwarded_client(
                proxy,
                &proxies(),
                &["198.51.100.9, 203.0.113.50:4711", "10.0.0.7"],
                &[]
            ),
            ip("203.0.113.50")
        );
        assert_eq!(
            forwarded_client(proxy, &proxies(), &["203.0.113.50, unknown"], &[]),
            proxy
        );
    }
}
