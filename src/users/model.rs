//! User rows and their API shapes.
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::model::{Actor, Role};
use crate::db::schema::{invitations, users};
/// Kept here so older imports keep working; the function lives in `crate::db`.
pub use crate::db::utc;
use crate::i18n::Locale;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub locale: String,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

impl UserRow {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Member)
    }
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id.clone(),
            role: self.role(),
            district_id: self.district_id.clone(),
            municipality_id: self.municipality_id.clone(),
        }
    }
    pub fn scope(&self) -> crate::auth::policy::Scope<'_> {
        crate::auth::policy::Scope::new(
            self.district_id.as_deref(),
            self.municipality_id.as_deref(),
        )
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub locale: String,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields of an account that an identity provider owns (single sign-on): they are
/// overwritten at every sign-in there and cannot be changed here.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct ManagedBy {
    /// The provider's id (its label comes with `GET /auth/methods`).
    pub provider: String,
    /// Of `name`, `email`, `role`, `town`.
    pub fields: Vec<String>,
}

impl ManagedBy {
    pub fn manages(&self, field: &str) -> bool {
        self.fields.iter().any(|f| f == field)
    }
}

/// A user as other users see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i32,
    /// Set when an identity provider owns some of the fields (read-only here).
    pub managed_by: Option<ManagedBy>,
}

impl From<&UserRow> for User {
    fn from(u: &UserRow) -> Self {
        User {
            id: u.id.clone(),
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role(),
            locale: Locale::parse(&u.locale),
            district_id: u.district_id.clone(),
            municipality_id: u.municipality_id.clone(),
            active: u.active,
            created_at: utc(u.created_at),
            last_login_at: u.last_login_at.map(utc),
            version: u.version,
            managed_by: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictRef {
    pub id: String,
    pub key: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityRef {
    pub id: String,
    pub ags: String,
    pub name: String,
    pub kind: String,
}

/// The signed-in user with their district and town.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub district: Option<DistrictRef>,
    pub municipality: Option<MunicipalityRef>,
    pub version: i32,
    /// What this user may do at all (menus and buttons of the SPA), from `auth::policy`.
    pub permissions: crate::auth::policy::Permissions,
    /// Set when an identity provider owns some of the fields (read-only here).
    pub managed_by: Option<ManagedBy>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub locale: String,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub token_hash: String,
    pub invited_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub locale: Locale,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub invited_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// pending, accepted, revoked or expired
    pub status: String,
    /// false when the invitation mail could not be handed to the mail server
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_sent: Option<bool>,
}

impl From<&InvitationRow> for Invitation {
    fn from(i: &InvitationRow) -> Self {
        let status = if i.accepted_at.is_some() {
            "accepted"
        } else if i.revoked_at.is_some() {
            "revoked"
        } else if i.expires_at < crate::db::now() {
            "expired"
        } else {
            "pending"
        };
        Invitation {
            id: i.id.clone(),
            email: i.email.clone(),
            role: Role::parse(&i.role).unwrap_or(Role::Member),
            locale: Locale::parse(&i.locale),
            district_id: i.district_id.clone(),
            municipality_id: i.municipality_id.clone(),
            invited_by: i.invited_by.clone(),
            created_at: utc(i.created_at),
            expires_at: utc(i.expires_at),
            accepted_at: i.accepted_at.map(utc),
            revoked_at: i.revoked_at.map(utc),
            status: status.into(),
            mail_sent: None,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Part of the name or email.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}
