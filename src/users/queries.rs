//! Reading and writing user accounts.
use diesel::prelude::*;

use super::model::{DistrictRef, Me, MunicipalityRef, UserRow};
use crate::api::Paging;
use crate::auth::model::{Actor, Locale, Role};
use crate::db::schema::{districts, municipalities, users};
use crate::db::{contains_pattern, lower, DbConn};
use crate::error::AppResult;

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
    })
}

#[derive(Debug, Default)]
pub struct UserFilter {
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub q: Option<String>,
}

/// Users the actor may see, filtered; the visibility rule is applied here once.
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
