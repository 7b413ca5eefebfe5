//! Reading and writing districts and municipalities.
use diesel::prelude::*;

use super::model::{DistrictRow, MunicipalityRow};
use crate::api::Paging;
use crate::db::schema::{districts, municipalities};
use crate::db::{contains_pattern, lower, DbConn};
use crate::error::AppResult;

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
