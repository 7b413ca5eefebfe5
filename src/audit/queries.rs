//! Reading the audit log, as far as the viewer may see it.
use diesel::prelude::*;

use super::AuditRow;
use crate::api::Paging;
use crate::auth::model::Actor;
use std::collections::HashMap;

use crate::db::schema::{
    audit_log, districts, efa_solutions, funding_programmes, municipalities, topics, users,
};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::projects::visibility::{names_no_hidden_project, Backend};

pub fn list_entries(
    conn: &mut DbConn,
    action: Option<String>,
    actor: Actor,
    district: Option<String>,
    paging: Paging,
) -> AppResult<(Vec<AuditRow>, i64)> {
    let filtered = || {
        // Entries about a project the reader may not read are not there for them.
        let mut query = audit_log::table
            .filter(names_no_hidden_project("audit_log.project_id", &actor))
            .filter(crate::processes::visibility::names_no_hidden_process(
                "audit_log.process_id",
                &actor,
            ))
            .into_boxed::<Backend>();
        if let Some(d) = &district {
            query = query.filter(audit_log::district_id.eq(d.clone()));
        }
        if let Some(a) = &action {
            query = query.filter(audit_log::action.eq(a.clone()));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let ids: Vec<String> = filtered()
        .select(audit_log::id)
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    let rows: Vec<AuditRow> = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_id)))
        .filter(audit_log::id.eq_any(&ids))
        .select((
            audit_log::id,
            audit_log::actor_id,
            users::name.nullable(),
            audit_log::action,
            audit_log::object_type,
            audit_log::object_id,
            audit_log::district_id,
            audit_log::municipality_id,
            audit_log::summary,
            audit_log::created_at,
        ))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .load(conn)?;
    Ok((rows, total))
}

/// The names behind `ids` (people, towns, districts, EfA solutions, funding programmes)
/// and `topic_ids` (in `locale`), one query per table, for texts that show names
/// instead of ids.
pub fn display_names(
    conn: &mut DbConn,
    ids: &[String],
    topic_ids: &[String],
    locale: Locale,
) -> AppResult<HashMap<String, String>> {
    let mut out: HashMap<String, String> = HashMap::new();
    if !ids.is_empty() {
        let people: Vec<(String, String)> = users::table
            .filter(users::id.eq_any(ids))
            .select((users::id, users::name))
            .load(conn)?;
        let towns: Vec<(String, String)> = municipalities::table
            .filter(municipalities::id.eq_any(ids))
            .select((municipalities::id, municipalities::name))
            .load(conn)?;
        let kreise: Vec<(String, String)> = districts::table
            .filter(districts::id.eq_any(ids))
            .select((districts::id, districts::name))
            .load(conn)?;
        let solutions: Vec<(String, String)> = efa_solutions::table
            .filter(efa_solutions::id.eq_any(ids))
            .select((efa_solutions::id, efa_solutions::name))
            .load(conn)?;
        let programmes: Vec<(String, String)> = funding_programmes::table
            .filter(funding_programmes::id.eq_any(ids))
            .select((funding_programmes::id, funding_programmes::name))
            .load(conn)?;
        out.extend(
            people
                .into_iter()
                .chain(towns)
                .chain(kreise)
                .chain(solutions)
                .chain(programmes),
        );
    }
    if !topic_ids.is_empty() {
        let names: Vec<(String, String, String)> = topics::table
            .filter(topics::id.eq_any(topic_ids))
            .select((topics::id, topics::name_de, topics::name_en))
            .load(conn)?;
        out.extend(
            names
                .into_iter()
                .map(|(id, de, en)| (id, if locale == Locale::En { en } else { de })),
        );
    }
    Ok(out)
}

/// [`list_entries`] and the names of the ids and topics their summaries mention.
pub fn list_entries_with_names(
    conn: &mut DbConn,
    action: Option<String>,
    actor: Actor,
    district: Option<String>,
    paging: Paging,
    locale: Locale,
) -> AppResult<(Vec<AuditRow>, i64, HashMap<String, String>)> {
    let (rows, total) = list_entries(conn, action, actor, district, paging)?;
    let mut ids = Vec::new();
    let mut topic_ids = Vec::new();
    for r in &rows {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&r.summary) {
            crate::i18n::labels::ids_in(&v, &mut ids);
            if let Some(t) = v.get("topics").and_then(serde_json::Value::as_array) {
                topic_ids.extend(t.iter().filter_map(|x| x.as_str().map(str::to_string)));
            }
        }
    }
    ids.sort();
    ids.dedup();
    topic_ids.sort();
    topic_ids.dedup();
    let names = display_names(conn, &ids, &topic_ids, locale)?;
    Ok((rows, total, names))
}
