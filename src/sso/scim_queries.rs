//! The Diesel of SCIM provisioning: users with an identity at the provider, created,
//! replaced, patched and deactivated (deactivation ends every session in the same
//! transaction).
use diesel::prelude::*;
use serde_json::json;

use super::mapping::OrgIndex;
use super::model::IdentityRow;
use super::scim::ScimUser;
use crate::audit::{self, Entry};
use crate::auth::model::Role;
use crate::config::sso::OidcProvider;
use crate::db::schema::{sso_identities, users};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::users::model::UserRow;

/// A provisioning error with its SCIM status and `scimType`.
#[derive(Debug)]
pub enum ScimError {
    NotFound,
    Conflict(String),
    Invalid(String),
    Db(AppError),
}

impl From<AppError> for ScimError {
    fn from(e: AppError) -> Self {
        ScimError::Db(e)
    }
}

impl From<diesel::result::Error> for ScimError {
    fn from(e: diesel::result::Error) -> Self {
        ScimError::Db(e.into())
    }
}

pub type ScimResult<T> = Result<T, ScimError>;

/// A provisioned user: the account, its identity and its town's AGS.
pub struct Provisioned {
    pub user: UserRow,
    pub identity: IdentityRow,
    pub ags: Option<String>,
}

fn ags_of(orgs: &OrgIndex, u: &UserRow) -> Option<String> {
    match (&u.municipality_id, &u.district_id) {
        (Some(m), _) => orgs
            .towns
            .iter()
            .find(|t| &t.id == m)
            .map(|t| t.ags.clone()),
        (None, Some(d)) => orgs
            .districts
            .iter()
            .find(|x| &x.id == d)
            .map(|x| x.key.clone()),
        _ => None,
    }
}

fn load_pairs(
    conn: &mut DbConn,
    provider: &str,
    filter: Option<(&str, &str)>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<(UserRow, IdentityRow)>, i64)> {
    let base = || {
        let mut q = users::table
            .inner_join(sso_identities::table)
            .filter(sso_identities::provider.eq(provider.to_string()))
            .filter(sso_identities::scim_deleted_at.is_null())
            .into_boxed();
        match filter {
            Some(("username", v)) => q = q.filter(users::email.eq(v.to_lowercase())),
            Some((_, v)) => {
                q = q.filter(
                    sso_identities::external_id
                        .eq(v.to_string())
                        .or(sso_identities::subject.eq(v.to_string())),
                )
            }
            None => {}
        }
        q
    };
    let total: i64 = base().count().get_result(conn)?;
    let rows = base()
        .select((UserRow::as_select(), IdentityRow::as_select()))
        .order(users::created_at.asc())
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// The provider's users, optionally filtered (`userName`/`externalId eq`), one page.
pub fn list(
    conn: &mut DbConn,
    provider: &str,
    filter: Option<(&str, &str)>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Provisioned>, i64)> {
    let (rows, total) = load_pairs(conn, provider, filter, offset, limit)?;
    let orgs = super::queries::org_index(conn)?;
    let out = rows
        .into_iter()
        .map(|(user, identity)| Provisioned {
            ags: ags_of(&orgs, &user),
            user,
            identity,
        })
        .collect();
    Ok((out, total))
}

pub fn get(conn: &mut DbConn, provider: &str, user_id: &str) -> ScimResult<Provisioned> {
    let row: Option<(UserRow, IdentityRow)> = users::table
        .inner_join(sso_identities::table)
        .filter(sso_identities::provider.eq(provider))
        .filter(sso_identities::scim_deleted_at.is_null())
        .filter(users::id.eq(user_id))
        .select((UserRow::as_select(), IdentityRow::as_select()))
        .first(conn)
        .optional()?;
    let (user, identity) = row.ok_or(ScimError::NotFound)?;
    let orgs = super::queries::org_index(conn)?;
    Ok(Provisioned {
        ags: ags_of(&orgs, &user),
        user,
        identity,
    })
}

/// Town and district of an AGS (8 digits: town, 5: district) for a role.
fn place(
    orgs: &OrgIndex,
    ags: Option<&str>,
    role: Role,
) -> ScimResult<(Option<String>, Option<String>)> {
    if role == Role::Admin {
        return Ok((None, None));
    }
    let ags = ags.ok_or_else(|| ScimError::Invalid("Gemeindeschlüssel (ags) fehlt".into()))?;
    if let Some(t) = orgs.towns.iter().find(|t| t.ags == ags) {
        return Ok((
            Some(t.district_id.clone()),
            role.needs_municipality().then(|| t.id.clone()),
        ));
    }
    match orgs.districts.iter().find(|d| d.key == ags) {
        Some(d) if !role.needs_municipality() => Ok((Some(d.id.clone()), None)),
        Some(_) => Err(ScimError::Invalid(format!(
            "Die Rolle braucht eine Gemeinde, „{ags}“ ist ein Kreis"
        ))),
        None => Err(ScimError::Invalid(format!(
            "Unbekannter Gemeindeschlüssel „{ags}“"
        ))),
    }
}

/// Ends a user's access at once: inactive, all sessions revoked, audited.
fn deactivate(conn: &mut DbConn, user: &UserRow, provider: &str) -> AppResult<()> {
    diesel::update(users::table.find(&user.id))
        .set((
            users::active.eq(false),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    crate::auth::queries::revoke_all_sessions(conn, &user.id)?;
    audit::record(
        conn,
        None,
        Entry {
            action: "scim.deactivated",
            object_type: "user",
            object_id: &user.id,
            district_id: user.district_id.as_deref(),
            municipality_id: user.municipality_id.as_deref(),
            summary: json!({"provider": provider}),
        },
    )
}

pub fn create(conn: &mut DbConn, p: &OidcProvider, u: ScimUser) -> ScimResult<Provisioned> {
    let email = u
        .email
        .clone()
        .ok_or_else(|| ScimError::Invalid("userName fehlt".into()))?;
    crate::auth::model::Email::parse(&email).map_err(ScimError::Invalid)?;
    let role = u
        .role
        .as_deref()
        .and_then(Role::parse)
        .ok_or_else(|| ScimError::Invalid("Rolle fehlt".into()))?;
    let orgs = super::queries::org_index(conn)?;
    let (district_id, municipality_id) = place(&orgs, u.ags.as_deref(), role)?;
    if crate::auth::queries::user_by_email(conn, &email)?.is_some() {
        return Err(ScimError::Conflict(format!(
            "Ein Konto mit {email} besteht schon"
        )));
    }
    let subject = u.external_id.clone().unwrap_or_else(|| email.clone());
    let taken: i64 = sso_identities::table
        .filter(sso_identities::provider.eq(&p.id))
        .filter(
            sso_identities::subject
                .eq(&subject)
                .or(sso_identities::external_id.eq(&subject)),
        )
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(ScimError::Conflict(format!(
            "externalId „{subject}“ ist schon vergeben"
        )));
    }
    let m = super::mapping::Mapped {
        role,
        district_id,
        municipality_id,
        place_label: None,
        subject: subject.clone(),
        email: Some(email.clone()),
        email_verified: true,
        name: u.full_name(),
    };
    let user = super::queries::create_user(conn, &m, &email)?;
    let t = now();
    diesel::insert_into(sso_identities::table)
        .values((
            sso_identities::id.eq(new_id()),
            sso_identities::user_id.eq(&user.id),
            sso_identities::provider.eq(&p.id),
            sso_identities::subject.eq(&subject),
            sso_identities::external_id.eq(u.external_id.as_deref()),
            sso_identities::managed_fields.eq(p.managed_fields.join(",")),
            sso_identities::created_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        None,
        Entry {
            action: "scim.created",
            object_type: "user",
            object_id: &user.id,
            district_id: user.district_id.as_deref(),
            municipality_id: user.municipality_id.as_deref(),
            summary: json!({"provider": p.id, "role": user.role}),
        },
    )?;
    if u.active == Some(false) {
        deactivate(conn, &user, &p.id)?;
    }
    get(conn, &p.id, &user.id)
}

/// The current state of a provisioned user as SCIM attributes (for PATCH).
pub fn current(prov: &Provisioned) -> ScimUser {
    ScimUser {
        external_id: prov.identity.external_id.clone(),
        email: Some(prov.user.email.clone()),
        given_name: None,
        family_name: None,
        display_name: Some(prov.user.name.clone()),
        active: Some(prov.user.active),
        ags: prov.ags.clone(),
        role: Some(prov.user.role.clone()),
    }
}

/// Writes the wanted state `u` (after PUT or PATCH); `active=false` deactivates.
pub fn update(
    conn: &mut DbConn,
    p: &OidcProvider,
    user_id: &str,
    u: ScimUser,
) -> ScimResult<Provisioned> {
    let before = get(conn, &p.id, user_id)?;
    let role = u
        .role
        .as_deref()
        .and_then(Role::parse)
        .unwrap_or(before.user.role());
    let orgs = super::queries::org_index(conn)?;
    let (district_id, municipality_id) = if u.ags.is_some() || u.role.is_some() {
        place(&orgs, u.ags.as_deref().or(before.ags.as_deref()), role)?
    } else {
        (
            before.user.district_id.clone(),
            before.user.municipality_id.clone(),
        )
    };
    let email = u.email.clone().unwrap_or(before.user.email.clone());
    if email != before.user.email && crate::auth::queries::user_by_email(conn, &email)?.is_some() {
        return Err(ScimError::Conflict(format!(
            "Ein Konto mit {email} besteht schon"
        )));
    }
    let name = u.full_name().unwrap_or(before.user.name.clone());
    let active = u.active.unwrap_or(before.user.active);
    diesel::update(users::table.find(user_id))
        .set((
            users::email.eq(&email),
            users::name.eq(name.chars().take(200).collect::<String>()),
            users::role.eq(role.as_str()),
            users::district_id.eq(&district_id),
            users::municipality_id.eq(&municipality_id),
            users::active.eq(active),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if let Some(ext) = u
        .external_id
        .as_deref()
        .filter(|e| Some(*e) != before.identity.external_id.as_deref())
    {
        diesel::update(sso_identities::table.find(&before.identity.id))
            .set(sso_identities::external_id.eq(Some(ext)))
            .execute(conn)?;
    }
    if before.user.active && !active {
        deactivate(conn, &before.user, &p.id)?;
    } else {
        audit::record(
            conn,
            None,
            Entry {
                action: if !before.user.active && active {
                    "scim.reactivated"
                } else {
                    "scim.updated"
                },
                object_type: "user",
                object_id: user_id,
                district_id: district_id.as_deref(),
                municipality_id: municipality_id.as_deref(),
                summary: json!({"provider": p.id, "role": role.as_str()}),
            },
        )?;
    }
    get(conn, &p.id, user_id)
}

/// DELETE: deactivated and hidden from SCIM from now on (the account and its history stay).
pub fn delete(conn: &mut DbConn, p: &OidcProvider, user_id: &str) -> ScimResult<()> {
    let before = get(conn, &p.id, user_id)?;
    if before.user.active {
        deactivate(conn, &before.user, &p.id)?;
    }
    diesel::update(sso_identities::table.find(&before.identity.id))
        .set(sso_identities::scim_deleted_at.eq(Some(now())))
        .execute(conn)?;
    Ok(())
}
