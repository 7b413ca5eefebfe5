//! Reading and writing user accounts.
use diesel::prelude::*;
use serde_json::json;

use super::model::{DistrictRef, ManagedBy, Me, MunicipalityRef, User, UserPatch, UserRow};
use crate::api::Paging;
use crate::audit::{self, Entry};
use crate::auth::model::{Actor, PersonName, Role};
use crate::auth::policy;
use crate::db::schema::{districts, invitations, municipalities, sso_identities, users};
use crate::db::{contains_pattern, lower, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;

pub fn load_me(conn: &mut DbConn, u: &UserRow) -> AppResult<Me> {
    let district = match &u.district_id {
        Some(id) => districts::table
            .find(id)
            .select((districts::id, districts::key, districts::name))
            .first::<(String, String, String)>(conn)
            .optional()?
            .map(|(id, key, name)| DistrictRef { id, key, name }),
        None => None,
    };
    let municipality = match &u.municipality_id {
        Some(id) => municipalities::table
            .find(id)
            .select((
                municipalities::id,
                municipalities::ags,
                municipalities::name,
                municipalities::kind,
            ))
            .first::<(String, String, String, String)>(conn)
            .optional()?
            .map(|(id, ags, name, kind)| MunicipalityRef {
                id,
                ags,
                name,
                kind,
            }),
        None => None,
    };
    Ok(Me {
        id: u.id.clone(),
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role(),
        locale: Locale::parse(&u.locale),
        district,
        municipality,
        version: u.version,
        permissions: crate::auth::policy::permissions(&u.actor()),
        managed_by: managed_by(conn, std::slice::from_ref(&u.id))?.remove(&u.id),
    })
}

/// Which fields an identity provider owns, per user (one query for all `ids`).
pub fn managed_by(
    conn: &mut DbConn,
    ids: &[String],
) -> AppResult<std::collections::HashMap<String, ManagedBy>> {
    let rows: Vec<(String, String, String)> = sso_identities::table
        .filter(sso_identities::user_id.eq_any(ids))
        .filter(sso_identities::scim_deleted_at.is_null())
        .select((
            sso_identities::user_id,
            sso_identities::provider,
            sso_identities::managed_fields,
        ))
        .order(sso_identities::created_at.asc())
        .load(conn)?;
    let mut out = std::collections::HashMap::new();
    for (user_id, provider, fields) in rows {
        let fields: Vec<String> = fields
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect();
        if !fields.is_empty() {
            out.entry(user_id).or_insert(ManagedBy { provider, fields });
        }
    }
    Ok(out)
}

/// The API shape of users, with what an identity provider manages.
pub fn user_views(conn: &mut DbConn, rows: &[UserRow]) -> AppResult<Vec<User>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut managed = managed_by(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|r| User {
            managed_by: managed.remove(&r.id),
            ..User::from(r)
        })
        .collect())
}

/// One user the actor may see (else 404), in the API shape.
pub fn visible_user(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<User> {
    let row = crate::auth::queries::user_by_id(conn, id)?
        .filter(|u| policy::can_view_user(actor, u.scope()))
        .ok_or(AppError::NotFound)?;
    Ok(user_views(conn, &[row])?.remove(0))
}

/// [`update_user`], answered in the API shape.
pub fn update_user_view(
    conn: &mut DbConn,
    actor: Actor,
    b: UserPatch,
    id: String,
    name: Option<Option<PersonName>>,
    version: i32,
) -> AppResult<User> {
    let row = update_user(conn, actor, b, id, name, version)?;
    Ok(user_views(conn, &[row])?.remove(0))
}

/// A page of users the actor may see, in the API shape.
pub fn list_user_page(
    conn: &mut DbConn,
    actor: &Actor,
    f: &UserFilter,
    paging: Paging,
) -> AppResult<(Vec<User>, i64)> {
    let (rows, total) = list_users(conn, actor, f, paging)?;
    Ok((user_views(conn, &rows)?, total))
}

/// The error for a local change of a field that `m` owns.
pub fn managed_conflict(m: &ManagedBy, field_de: &str) -> AppError {
    AppError::Conflict(format!(
        "{field_de} wird vom Anmeldedienst „{}“ verwaltet und kann hier nicht geändert werden.",
        m.provider
    ))
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub q: Option<String>,
}

/// Invitations `actor` may see: `auth::policy::can_view_invitation` as a query filter
/// (admins all, coordinators their district's, officers their town's, members none).
/// `tests/api/policy_agreement.rs` checks that both agree.
pub fn invitations_visible_to(
    actor: &Actor,
) -> Box<
    dyn BoxableExpression<
        invitations::table,
        crate::projects::visibility::Backend,
        SqlType = diesel::sql_types::Bool,
    >,
> {
    match actor.role {
        Role::Admin => Box::new(invitations::id.is_not_null()),
        Role::Coordinator => Box::new(
            invitations::district_id
                .assume_not_null()
                .eq(actor.district_id.clone().unwrap_or_default()),
        ),
        Role::Officer => Box::new(
            invitations::municipality_id
                .assume_not_null()
                .eq(actor.municipality_id.clone().unwrap_or_default()),
        ),
        Role::Member => Box::new(invitations::id.is_null()),
    }
}

/// Users the actor may see, filtered: `auth::policy::can_view_user` as a query filter,
/// applied here once (`tests/api/policy_agreement.rs` checks that both agree).
pub fn list_users(
    conn: &mut DbConn,
    actor: &Actor,
    f: &UserFilter,
    paging: Paging,
) -> AppResult<(Vec<UserRow>, i64)> {
    let filtered = || {
        let mut query = users::table.into_boxed();
        match actor.role {
            Role::Admin => {}
            Role::Coordinator => {
                query = query
                    .filter(users::district_id.eq(actor.district_id.clone().unwrap_or_default()));
            }
            Role::Officer | Role::Member => {
                query = query.filter(
                    users::municipality_id.eq(actor.municipality_id.clone().unwrap_or_default()),
                );
            }
        }
        if let Some(d) = &f.district_id {
            query = query.filter(users::district_id.eq(d.clone()));
        }
        if let Some(m) = &f.municipality_id {
            query = query.filter(users::municipality_id.eq(m.clone()));
        }
        if let Some(r) = f.role {
            query = query.filter(users::role.eq(r.as_str()));
        }
        if let Some(a) = f.active {
            query = query.filter(users::active.eq(a));
        }
        if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
            let p = contains_pattern(q);
            query = query.filter(
                lower(users::name)
                    .like(p.clone())
                    .escape('\\')
                    .or(users::email.like(p).escape('\\')),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .select(UserRow::as_select())
        .order((users::name.asc(), users::id.asc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    Ok((rows, total))
}

pub fn update_user(
    conn: &mut DbConn,
    actor: Actor,
    b: UserPatch,
    id: String,
    name: Option<Option<PersonName>>,
    version: i32,
) -> AppResult<crate::users::model::UserRow> {
    let before = crate::auth::queries::user_by_id(conn, &id)?
        .filter(|u| policy::can_view_user(&actor, u.scope()))
        .ok_or(AppError::NotFound)?;
    if !policy::can_edit_user(&actor, before.scope(), before.role()) {
        return Err(AppError::Forbidden);
    }
    if let Some(role) = b.role {
        if !policy::can_assign_role(&actor, role, before.scope()) {
            return Err(AppError::field(
                "role",
                "Diese Rolle dürfen Sie nicht vergeben.",
            ));
        }
        if role.needs_municipality() != before.role().needs_municipality() {
            return Err(AppError::field(
                "role",
                "Die Rolle passt nicht zur Zuordnung (Kommune oder Kreis) dieses Kontos.",
            ));
        }
    }
    if before.id == actor.id
        && (b.active == Some(false) || b.role.is_some_and(|r| r != before.role()))
    {
        return Err(AppError::field(
            "active",
            "Das eigene Konto kann man hier nicht deaktivieren oder herabstufen.",
        ));
    }
    if before.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let new_name = name
        .flatten()
        .map(PersonName::into_inner)
        .unwrap_or(before.name.clone());
    // Fields an identity provider owns are changed there (the next sign-in would undo it).
    if let Some(m) = managed_by(conn, std::slice::from_ref(&before.id))?.remove(&before.id) {
        if m.manages("name") && new_name != before.name {
            return Err(managed_conflict(&m, "Der Name"));
        }
        if m.manages("role") && b.role.is_some_and(|r| r != before.role()) {
            return Err(managed_conflict(&m, "Die Rolle"));
        }
    }
    let new_role = b.role.unwrap_or(before.role());
    let new_active = b.active.unwrap_or(before.active);
    let n = diesel::update(users::table.find(&id).filter(users::version.eq(version)))
        .set((
            users::name.eq(&new_name),
            users::role.eq(new_role.as_str()),
            users::active.eq(new_active),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    if !new_active {
        crate::auth::queries::revoke_all_sessions(conn, &id)?;
    }
    let action = match (before.active, new_active) {
        (true, false) => "user.deactivate",
        (false, true) => "user.reactivate",
        _ => "user.update",
    };
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action,
            object_type: "user",
            object_id: &id,
            district_id: before.district_id.as_deref(),
            municipality_id: before.municipality_id.as_deref(),
            summary: json!({
                "name_changed": new_name != before.name,
                "role": {"from": before.role, "to": new_role.as_str()},
                "active": {"from": before.active, "to": new_active},
            }),
        },
    )?;
    crate::auth::queries::user_by_id(conn, &id)?.ok_or(AppError::NotFound)
}
