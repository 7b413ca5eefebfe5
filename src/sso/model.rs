//! Rows and API shapes of single sign-on.
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::mapping::MappingStep;
use crate::auth::model::Role;
use crate::db::schema::{sso_identities, sso_login_attempts};

pub const ATTEMPT_OPEN: &str = "open";
pub const ATTEMPT_DONE: &str = "done";
pub const ATTEMPT_REFUSED: &str = "refused";
pub const ATTEMPT_LINK_PENDING: &str = "link_pending";

/// A login attempt lives this long (from the start to the callback and the linking).
pub const ATTEMPT_MINUTES: i64 = 10;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sso_login_attempts)]
pub struct AttemptRow {
    pub id: String,
    pub provider: String,
    pub state_hash: String,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    pub status: String,
    pub refusal: Option<String>,
    pub link_user_id: Option<String>,
    pub link_claims: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub consumed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sso_identities)]
pub struct IdentityRow {
    pub id: String,
    pub user_id: String,
    pub provider: String,
    pub subject: String,
    pub external_id: Option<String>,
    pub managed_fields: String,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    pub scim_deleted_at: Option<NaiveDateTime>,
}

/// One sign-in button.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthProvider {
    pub id: String,
    /// Shown as „Anmelden mit {label}“.
    pub label: String,
}

/// How one can sign in here.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthMethods {
    /// Whether the password form is offered (`LOCAL_LOGIN`); `/anmelden/notzugang` shows it anyway.
    pub local: bool,
    pub providers: Vec<AuthProvider>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StartQuery {
    /// Where to go after the sign-in (a path of this site).
    pub ziel: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    /// RFC 9207: the issuer that answers.
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The outcome of a login attempt as the sign-in page shows it (no claims).
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptInfo {
    pub id: String,
    pub provider: String,
    pub provider_label: String,
    /// `open`, `done`, `refused` or `link_pending`
    pub status: String,
    /// The reason of a refusal, in the language of the browser that was refused.
    pub message: Option<String>,
    /// What is missing: `subject`, `login_group`, `town`, `role`, `email`, `account_inactive`, `token`.
    pub missing: Vec<String>,
    /// For `link_pending`: the email of the local account to link.
    pub link_email: Option<String>,
}

/// The local password once, to link a provider identity with an existing account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    pub attempt: String,
    pub password: String,
}

/// A claim set (or a pasted ID token) to try a provider's mapping on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DryRunRequest {
    pub provider: String,
    /// The claims as JSON (an ID token payload).
    #[schema(value_type = Option<Object>)]
    pub claims: Option<serde_json::Value>,
    /// Or a whole ID token; its signature is not checked.
    pub id_token: Option<String>,
}

/// What a user with these claims would get; nothing is written.
#[derive(Debug, Serialize, ToSchema)]
pub struct DryRunResult {
    pub provider: String,
    pub allowed: bool,
    pub role: Option<Role>,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    /// `Brakel (Kreis Höxter)`
    pub town: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// Why the login would be refused, in the reader's language.
    pub refusal: Option<String>,
    pub missing: Vec<String>,
    pub steps: Vec<MappingStep>,
    /// Always `false`: the dry run checks no signature (shown as „ungeprüft“).
    pub signature_checked: bool,
}

/// What a pending link carries until the password is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingLink {
    pub subject: String,
    pub sid: Option<String>,
    pub sub: Option<String>,
    pub role: String,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
}
