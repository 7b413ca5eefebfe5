//! Single sign-on: OpenID Connect login against the configured identity providers
//! (authorisation code flow with PKCE, state and nonce), the claim mapping to town and
//! role, accounts created just in time or linked, the SSO dry run for admins, SCIM 2.0
//! provisioning and back-channel logout. The settings are `crate::config::sso`.
pub mod client;
pub mod logout;
pub mod mapping;
pub mod model;
pub mod queries;
pub mod routes;
pub mod scim;
pub mod scim_api;
pub mod scim_queries;

/// Compares two secrets (hashes) without an early exit.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
