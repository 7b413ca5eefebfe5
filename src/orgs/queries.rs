//! Reading and writing districts and municipalities.
use diesel::prelude::*;
use serde_json::json;

use super::model::*;
use crate::api::Paging;
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::policy;
use crate::db::schema::{districts, municipalities};
use crate::db::{contains_pattern, lower, new_id, now, DbConn};
use crate::error::{AppError, AppResult};

pub fn district(conn: &mut DbConn, id: &str) -> AppResult<Option<DistrictRow>> {
    Ok(districts::table
        .find(id)
        .select(DistrictRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn district_by_key(conn: &mut DbConn, key: &str) -> AppResult<Option<DistrictRow>> {
    Ok(districts::table
        .filter(districts::key.eq(key))
        .select(DistrictRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_districts(conn: &mut DbConn, paging: Paging) -> AppResult<(Vec<DistrictRow>, i64)> {
    let total = districts::table.count().get_result(conn)?;
    let rows = districts::table
        .select(DistrictRow::as_select())
        .order((districts::name.asc(), districts::id.asc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    Ok((rows, total))
}

pub fn municipality(conn: &mut DbConn, id: &str) -> AppResult<Option<MunicipalityRow>> {
    Ok(municipalities::table
        .find(id)
        .select(MunicipalityRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn municipality_by_ags(conn: &mut DbConn, ags: &str) -> AppResult<Option<MunicipalityRow>> {
    Ok(municipalities::table
        .filter(municipalities::ags.eq(ags))
        .select(MunicipalityRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_municipalities(
    conn: &mut DbConn,
    district_id: Option<&str>,
    q: Option<&str>,
    paging: Paging,
) -> AppResult<(Vec<MunicipalityRow>, i64)> {
    let filtered = || {
        let mut query = municipalities::table.into_boxed();
        if let Some(d) = district_id {
            query = query.filter(municipalities::district_id.eq(d.to_string()));
        }
        if let Some(q) = q.filter(|q| !q.trim().is_empty()) {
            let pattern = contains_pattern(q);
            query = query.filter(
                lower(municipalities::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(municipalities::ags.like(pattern).escape('\\')),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .select(MunicipalityRow::as_select())
        .order((municipalities::name.asc(), municipalities::id.asc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    Ok((rows, total))
}

pub fn create_district(
    conn: &mut DbConn,
    actor: Actor,
    key: DistrictKey,
    name: String,
) -> AppResult<DistrictRow> {
    if district_by_key(conn, key.as_str())?.is_some() {
        return Err(AppError::field(
            "key",
            "Einen Kreis mit diesem Schlüssel gibt es schon.",
        ));
    }
    let id = new_id();
    let t = now();
    diesel::insert_into(districts::table)
        .values((
            districts::id.eq(&id),
            districts::key.eq(key.as_str()),
            districts::name.eq(&name),
            districts::version.eq(1),
            districts::created_at.eq(t),
            districts::updated_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "district.create",
            object_type: "district",
            object_id: &id,
            district_id: Some(&id),
            municipality_id: None,
            summary: json!({"key": key.as_str(), "name": name}),
        },
    )?;
    district(conn, &id)?.ok_or(AppError::NotFound)
}

pub fn update_district(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    name: Option<Option<String>>,
    version: i32,
) -> AppResult<DistrictRow> {
    let before = district(conn, &id)?.ok_or(AppError::NotFound)?;
    if before.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let name = name.flatten().unwrap_or(before.name.clone());
    let n = diesel::update(
        districts::table
            .find(&id)
            .filter(districts::version.eq(version)),
    )
    .set((
        districts::name.eq(&name),
        districts::version.eq(districts::version + 1),
        districts::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "district.update",
            object_type: "district",
            object_id: &id,
            district_id: Some(&id),
            municipality_id: None,
            summary: json!({"name": {"from": before.name, "to": name}}),
        },
    )?;
    district(conn, &id)?.ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
pub fn create_municipality(
    conn: &mut DbConn,
    actor: Actor,
    ags: Ags,
    district_id: String,
    kind: MunicipalityKind,
    name: String,
    population: Option<Option<i32>>,
    website: Option<Option<String>>,
) -> AppResult<MunicipalityRow> {
    let Some(district) = district(conn, &district_id)? else {
        return Err(AppError::field(
            "district_id",
            "Diesen Kreis gibt es nicht.",
        ));
    };
    if !policy::can_manage_municipalities(&actor, &district.id) {
        return Err(AppError::Forbidden);
    }
    if !ags.belongs_to(&district.key) {
        return Err(AppError::field(
            "ags",
            &format!(
                "Der AGS muss mit dem Kreisschlüssel {} beginnen.",
                district.key
            ),
        ));
    }
    if municipality_by_ags(conn, ags.as_str())?.is_some() {
        return Err(AppError::field(
            "ags",
            "Eine Kommune mit diesem AGS gibt es schon.",
        ));
    }
    let id = new_id();
    let t = now();
    diesel::insert_into(municipalities::table)
        .values((
            municipalities::id.eq(&id),
            municipalities::district_id.eq(&district.id),
            municipalities::ags.eq(ags.as_str()),
            municipalities::name.eq(&name),
            municipalities::kind.eq(kind.as_str()),
            municipalities::population.eq(population.flatten()),
            municipalities::website.eq(website.flatten()),
            municipalities::version.eq(1),
            municipalities::created_at.eq(t),
            municipalities::updated_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "municipality.create",
            object_type: "municipality",
            object_id: &id,
            district_id: Some(&district.id),
            municipality_id: Some(&id),
            summary: json!({"ags": ags.as_str(), "name": name, "kind": kind.as_str()}),
        },
    )?;
    municipality(conn, &id)?.ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
pub fn update_municipality(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    kind: Option<MunicipalityKind>,
    name: Option<Option<String>>,
    population: Option<Option<i32>>,
    version: i32,
    website: Option<Option<String>>,
) -> AppResult<MunicipalityRow> {
    let before = municipality(conn, &id)?.ok_or(AppError::NotFound)?;
    if before.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let new_name = name.flatten().unwrap_or(before.name.clone());
    let new_kind = kind
        .map(|k| k.as_str().to_string())
        .unwrap_or(before.kind.clone());
    let new_population = population.flatten().or(before.population);
    let new_website = website.flatten().or(before.website.clone());
    let n = diesel::update(
        municipalities::table
            .find(&id)
            .filter(municipalities::version.eq(version)),
    )
    .set((
        municipalities::name.eq(&new_name),
        municipalities::kind.eq(&new_kind),
        municipalities::population.eq(new_population),
        municipalities::website.eq(&new_website),
        municipalities::version.eq(municipalities::version + 1),
        municipalities::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "municipality.update",
            object_type: "municipality",
            object_id: &id,
            district_id: Some(&before.district_id),
            municipality_id: Some(&id),
            summary: json!({"name": {"from": before.name, "to": new_name}, "kind": {"from": before.kind, "to": new_kind}}),
        },
    )?;
    municipality(conn, &id)?.ok_or(AppError::NotFound)
}
