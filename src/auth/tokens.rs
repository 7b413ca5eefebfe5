//! Secrets handed to users (invitation, reset and refresh tokens) and the JWT access token.
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub use crate::secret::{hash_token, random_token};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// user id
    pub sub: String,
    /// session id
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
    /// The user's language when the token was issued: errors found before the user
    /// is loaded (a query string that does not parse) are worded in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loc: Option<String>,
}

pub fn issue_access_token(
    secret: &str,
    user_id: &str,
    session_id: &str,
    minutes: i64,
) -> Result<(String, i64), AppError> {
    issue_access_token_in(secret, user_id, session_id, minutes, None)
}

/// [`issue_access_token`] carrying the user's language.
pub fn issue_access_token_in(
    secret: &str,
    user_id: &str,
    session_id: &str,
    minutes: i64,
    locale: Option<&str>,
) -> Result<(String, i64), AppError> {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: user_id.into(),
        sid: session_id.into(),
        iat: now,
        exp: now + minutes * 60,
        loc: locale.map(str::to_string),
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map(|t| (t, minutes * 60))
    .map_err(|e| AppError::internal(format!("token: {e}")))
}

pub fn verify_access_token(secret: &str, token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    decode::<Claims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .ok()
    .map(|d| d.claims)
}

/// The device cookie's content: a browser that signed in to the account with this
/// email hash before (see `auth::throttle`).
#[derive(Debug, Serialize, Deserialize)]
struct DeviceClaims {
    /// random id of the device
    dev: String,
    /// SHA-256 of the lower-case email
    acc: String,
    exp: i64,
}

pub fn issue_device_token(secret: &str, email: &str, days: i64) -> Result<String, AppError> {
    let claims = DeviceClaims {
        dev: random_token(16),
        acc: hash_token(&email.trim().to_lowercase()),
        exp: chrono::Utc::now().timestamp() + days * 86_400,
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| AppError::internal(format!("token: {e}")))
}

/// The device id of `token` if it is genuine, unexpired and was issued for `email`.
pub fn verify_device_token(secret: &str, token: &str, email: &str) -> Option<String> {
    let validation = Validation::new(Algorithm::HS256);
    let c = decode::<DeviceClaims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .ok()?
    .claims;
    (c.acc == hash_token(&email.trim().to_lowercase())).then_some(c.dev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_round_trip_and_tamper() {
        let secret = "x".repeat(40);
        let (t, ttl) = issue_access_token(&secret, "u1", "s1", 15).unwrap();
        assert_eq!(ttl, 900);
        let c = verify_access_token(&secret, &t).unwrap();
        assert_eq!((c.sub.as_str(), c.sid.as_str()), ("u1", "s1"));
        assert!(verify_access_token(&"y".repeat(40), &t).is_none());
        let (expired, _) = issue_access_token(&secret, "u1", "s1", -10).unwrap();
        assert!(verify_access_token(&secret, &expired).is_none());
    }

    #[test]
    fn device_tokens_belong_to_one_account() {
        let secret = "x".repeat(40);
        let t = issue_device_token(&secret, "A@b.example", 30).unwrap();
        assert!(verify_device_token(&secret, &t, "a@b.example").is_some());
        assert!(verify_device_token(&secret, &t, "c@b.example").is_none());
        assert!(verify_device_token(&"y".repeat(40), &t, "a@b.example").is_none());
        // An access token is no device token, nor the other way round.
        let (access, _) = issue_access_token(&secret, "u1", "s1", 15).unwrap();
        assert!(verify_device_token(&secret, &access, "a@b.example").is_none());
        assert!(verify_access_token(&secret, &t).is_none());
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token(32);
        assert_ne!(a, random_token(32));
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }
}
