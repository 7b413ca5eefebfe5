//! The back-channel logout token (OpenID Connect Back-Channel Logout 1.0, 2.4 and 2.6):
//! signature against the provider's keys, `iss`, `aud`, `iat`, `exp`, `jti`, `events`,
//! `sub`/`sid`, and no `nonce`. Replays are caught by the caller with the `jti`.
use std::str::FromStr;

use jsonwebtoken::{decode, decode_header, jwk::Jwk, Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::config::sso::OidcProvider;

pub const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
const LEEWAY_SECS: u64 = 60;

/// What a valid logout token asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutRequest {
    pub jti: String,
    pub sub: Option<String>,
    pub sid: Option<String>,
    /// Seconds since the epoch; the jti is remembered until then.
    pub exp: i64,
}

/// The key id of a token's header (to pick or refetch the key).
pub fn key_id(token: &str) -> Option<String> {
    decode_header(token).ok()?.kid
}

/// Checks a logout token against `keys` (a JWKS as JSON) and `algs` (the ID token
/// algorithms allowed for the provider). The error is the reason, for the log.
pub fn verify(
    token: &str,
    p: &OidcProvider,
    keys: &Value,
    algs: &[String],
    now: i64,
) -> Result<LogoutRequest, String> {
    if token.split('.').count() != 3 {
        return Err("not a signed JWT (encrypted tokens are not registered)".into());
    }
    let header = decode_header(token).map_err(|e| format!("header: {e}"))?;
    // `logout+jwt` (the spec) or none; a plain `JWT` is accepted as Keycloak versions differ.
    if let Some(typ) = header.typ.as_deref() {
        let t = typ.to_ascii_lowercase();
        if t != "logout+jwt" && t != "jwt" && t != "application/logout+jwt" {
            return Err(format!("typ {typ}"));
        }
    }
    let alg_name = serde_json::to_value(header.alg)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if !algs.iter().any(|a| a == &alg_name) || alg_name.starts_with("HS") {
        return Err(format!("algorithm {alg_name} not allowed"));
    }
    let key_json = keys["keys"]
        .as_array()
        .and_then(|ks| {
            ks.iter()
                .find(|k| header.kid.as_deref().is_none_or(|kid| k["kid"] == kid))
        })
        .ok_or("no matching key")?;
    let jwk: Jwk = serde_json::from_value(key_json.clone()).map_err(|e| format!("jwk: {e}"))?;
    let key = DecodingKey::from_jwk(&jwk).map_err(|e| format!("jwk: {e}"))?;
    let alg = Algorithm::from_str(&alg_name).map_err(|e| format!("alg: {e}"))?;
    let mut v = Validation::new(alg);
    v.leeway = LEEWAY_SECS;
    v.set_issuer(&[p.issuer.as_str()]);
    v.set_audience(&[p.client_id.as_str()]);
    v.set_required_spec_claims(&["exp", "iat", "iss", "aud"]);
    let claims = decode::<Value>(token, &key, &v)
        .map_err(|e| format!("{e}"))?
        .claims;
    let iat = claims["iat"].as_i64().ok_or("iat missing")?;
    if iat > now + LEEWAY_SECS as i64 {
        return Err("iat in the future".into());
    }
    let exp = claims["exp"].as_i64().ok_or("exp missing")?;
    let jti = claims["jti"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or("jti missing")?
        .to_string();
    if !claims["events"][EVENT].is_object() {
        return Err("events lacks the back-channel logout event".into());
    }
    if claims.get("nonce").is_some() {
        return Err("a logout token has no nonce".into());
    }
    let text = |k: &str| {
        claims[k]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (sub, sid) = (text("sub"), text("sid"));
    if sub.is_none() && sid.is_none() {
        return Err("neither sub nor sid".into());
    }
    Ok(LogoutRequest { jti, sub, sid, exp })
}
