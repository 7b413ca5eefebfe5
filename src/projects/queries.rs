//! Reading and writing projects and what hangs on them. Lists load related rows
//! with one query per relation, never one per project.
use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::model::*;
use super::visibility::visible_to;
use crate::auth::model::Actor;
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    follows, municipalities, ozg_services, project_ozg_services, project_partners,
    project_status_history, project_tags, project_topics, project_updates, project_versions,
    projects, topics, users,
};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::users::model::utc;

pub fn topic_ids(conn: &mut DbConn) -> AppResult<Vec<String>> {
    Ok(topics::table
        .select(topics::id)
        .order(topics::position.asc())
        .load(conn)?)
}

pub fn all_topics(conn: &mut DbConn, locale: crate::auth::Locale) -> AppResult<Vec<Topic>> {
    let rows: Vec<(String, String, String)> = topics::table
        .select((topics::id, topics::name_de, topics::name_en))
        .order(topics::position.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, de, en)| Topic {
            id,
            name: if locale == crate::auth::Locale::En {
                en
            } else {
                de
            },
        })
        .collect())
}

/// Whether `update_id` is a progress update of the project `project_id`.
pub fn has_update(conn: &mut DbConn, project_id: &str, update_id: &str) -> AppResult<bool> {
    let n: i64 = project_updates::table
        .filter(project_updates::id.eq(update_id))
        .filter(project_updates::project_id.eq(project_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The project if `viewer` may read it.
pub fn visible_project(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    id: &str,
) -> AppResult<Option<ProjectRow>> {
    Ok(projects::table
        .filter(projects::id.eq(id))
        .filter(visible_to(viewer))
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn is_accepted_partner(
    conn: &mut DbConn,
    project_id: &str,
    municipality_id: Option<&str>,
) -> AppResult<bool> {
    let Some(m) = municipality_id else {
        return Ok(false);
    };
    let n: i64 = project_partners::table
        .filter(project_partners::project_id.eq(project_id))
        .filter(project_partners::municipality_id.eq(m))
        .filter(project_partners::state.eq("accepted"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn can_edit(conn: &mut DbConn, actor: &Actor, p: &ProjectRow) -> AppResult<bool> {
    let partner = is_accepted_partner(conn, &p.id, actor.municipality_id.as_deref())?;
    Ok(policy::can_edit_project(
        actor,
        Scope::new(Some(&p.district_id), Some(&p.municipality_id)),
        partner,
    ))
}

/// Summaries for `rows`, in the same order, with one query per relation.
pub fn summaries(
    conn: &mut DbConn,
    rows: Vec<ProjectRow>,
    locale: crate::auth::Locale,
) -> AppResult<Vec<ProjectSummary>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let town_ids: Vec<String> = rows.iter().map(|r| r.municipality_id.clone()).collect();
    let towns: HashMap<String, TownRef> = municipalities::table
        .filter(municipalities::id.eq_any(&town_ids))
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
        ))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, ags)| (id.clone(), TownRef { id, name, ags }))
        .collect();
    let topic_names: HashMap<String, String> = all_topics(conn, locale)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut topics_of: HashMap<String, Vec<Topic>> = HashMap::new();
    for (pid, tid) in project_topics::table
        .filter(project_topics::project_id.eq_any(&ids))
        .select((project_topics::project_id, project_topics::topic_id))
        .order(project_topics::topic_id.asc())
        .load::<(String, String)>(conn)?
    {
        let name = topic_names
            .get(&tid)
            .cloned()
            .unwrap_or_else(|| tid.clone());
        topics_of
            .entry(pid)
            .or_default()
            .push(Topic { id: tid, name });
    }
    let mut tags_of: HashMap<String, Vec<String>> = HashMap::new();
    for (pid, tag) in project_tags::table
        .filter(project_tags::project_id.eq_any(&ids))
        .select((project_tags::project_id, project_tags::tag))
        .order(project_tags::tag.asc())
        .load::<(String, String)>(conn)?
    {
        tags_of.entry(pid).or_default().push(tag);
    }
    let mut ozg_of: HashMap<String, Vec<i32>> = HashMap::new();
    for (pid, oid) in project_ozg_services::table
        .filter(project_ozg_services::project_id.eq_any(&ids))
        .select((
            project_ozg_services::project_id,
            project_ozg_services::ozg_id,
        ))
        .order(project_ozg_services::ozg_id.asc())
        .load::<(String, i32)>(conn)?
    {
        ozg_of.entry(pid).or_default().push(oid);
    }
    let partners: HashMap<String, i64> = project_partners::table
        .filter(project_partners::project_id.eq_any(&ids))
        .filter(project_partners::state.eq("accepted"))
        .group_by(project_partners::project_id)
        .select((project_partners::project_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let followers: HashMap<String, i64> = follows::table
        .filter(follows::project_id.eq_any(&ids))
        .group_by(follows::project_id)
        .select((follows::project_id, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| ProjectSummary {
            municipality: towns.get(&r.municipality_id).cloned().unwrap_or(TownRef {
                id: r.municipality_id.clone(),
                name: String::new(),
                ags: String::new(),
            }),
            topics: topics_of.remove(&r.id).unwrap_or_default(),
            tags: tags_of.remove(&r.id).unwrap_or_default(),
            ozg_ids: ozg_of.remove(&r.id).unwrap_or_default(),
            partner_count: partners.get(&r.id).copied().unwrap_or(0),
            follower_count: followers.get(&r.id).copied().unwrap_or(0),
            status: r.status(),
            visibility: r.visibility(),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
            id: r.id,
            title: r.title,
            summary: r.summary,
            district_id: r.district_id,
        })
        .collect())
}

/// The full project for `viewer` (who may read it).
pub fn detail(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    row: ProjectRow,
    locale: crate::auth::Locale,
) -> AppResult<Project> {
    let ozg: Vec<(i32, String)> = project_ozg_services::table
        .inner_join(ozg_services::table)
        .filter(project_ozg_services::project_id.eq(&row.id))
        .select((ozg_services::ozg_id, ozg_services::name))
        .order(ozg_services::ozg_id.asc())
        .load(conn)?;
    let partners: Vec<(String, String, String, String, String)> = project_partners::table
        .inner_join(municipalities::table)
        .filter(project_partners::project_id.eq(&row.id))
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
            project_partners::role,
            project_partners::state,
        ))
        .order(municipalities::name.asc())
        .load(conn)?;
    let (following, can_edit) = match viewer {
        Some(a) => {
            let f: i64 = follows::table
                .filter(follows::project_id.eq(&row.id))
                .filter(follows::user_id.eq(&a.id))
                .count()
                .get_result(conn)?;
            (f > 0, self::can_edit(conn, a, &row)?)
        }
        None => (false, false),
    };
    let status = row.status();
    let version = row.version;
    let description = row.description.clone();
    let (planned_start, planned_end, budget_cents) =
        (row.planned_start, row.planned_end, row.budget_cents);
    let (contact_name, contact_email) = (row.contact_name.clone(), row.contact_email.clone());
    let summary = summaries(conn, vec![row], locale)?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(Project {
        summary,
        description_html: crate::markdown::to_html(&description),
        description,
        planned_start,
        planned_end,
        budget_cents,
        // The contact is personal data: only signed-in users see it.
        contact_name: viewer.and(contact_name),
        contact_email: viewer.and(contact_email),
        ozg_services: ozg
            .into_iter()
            .map(|(ozg_id, name)| OzgRef { ozg_id, name })
            .collect(),
        partners: partners
            .into_iter()
            .map(|(id, name, ags, role, state)| Partner {
                municipality: TownRef { id, name, ags },
                role: if role == "committed" {
                    PartnerRole::Committed
                } else {
                    PartnerRole::Interested
                },
                state,
            })
            .collect(),
        following,
        next_statuses: if can_edit {
            status.next().to_vec()
        } else {
            vec![]
        },
        can_edit,
        version,
    })
}

/// The editable fields of a stored project.
pub fn fields_of(conn: &mut DbConn, p: &ProjectRow) -> AppResult<ProjectFields> {
    let topics: Vec<String> = project_topics::table
        .filter(project_topics::project_id.eq(&p.id))
        .select(project_topics::topic_id)
        .order(project_topics::topic_id.asc())
        .load(conn)?;
    let tags: Vec<String> = project_tags::table
        .filter(project_tags::project_id.eq(&p.id))
        .select(project_tags::tag)
        .order(project_tags::tag.asc())
        .load(conn)?;
    let ozg_ids: Vec<i32> = project_ozg_services::table
        .filter(project_ozg_services::project_id.eq(&p.id))
        .select(project_ozg_services::ozg_id)
        .order(project_ozg_services::ozg_id.asc())
        .load(conn)?;
    Ok(ProjectFields {
        title: p.title.clone(),
        summary: p.summary.clone(),
        description: p.description.clone(),
        visibility: p.visibility(),
        topics,
        tags,
        ozg_ids,
        planned_start: p.planned_start,
        planned_end: p.planned_end,
        budget_cents: p.budget_cents,
        contact_name: p.contact_name.clone(),
        contact_email: p.contact_email.clone(),
    })
}

fn check_ozg_ids(conn: &mut DbConn, ids: &[i32]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let known: Vec<i32> = ozg_services::table
        .filter(ozg_services::ozg_id.eq_any(ids))
        .select(ozg_services::ozg_id)
        .load(conn)?;
    if let Some(bad) = ids.iter().find(|i| !known.contains(i)) {
        return Err(AppError::field(
            "ozg_ids",
            &format!("Die OZG-Leistung {bad} gibt es im Katalog nicht."),
        ));
    }
    Ok(())
}

fn write_relations(conn: &mut DbConn, project_id: &str, f: &ProjectFields) -> AppResult<()> {
    diesel::delete(project_topics::table.filter(project_topics::project_id.eq(project_id)))
        .execute(conn)?;
    diesel::delete(project_tags::table.filter(project_tags::project_id.eq(project_id)))
        .execute(conn)?;
    diesel::delete(
        project_ozg_services::table.filter(project_ozg_services::project_id.eq(project_id)),
    )
    .execute(conn)?;
    for t in &f.topics {
        diesel::insert_into(project_topics::table)
            .values((
                project_topics::project_id.eq(project_id),
                project_topics::topic_id.eq(t),
            ))
            .execute(conn)?;
    }
    for t in &f.tags {
        diesel::insert_into(project_tags::table)
            .values((
                project_tags::project_id.eq(project_id),
                project_tags::tag.eq(t),
            ))
            .execute(conn)?;
    }
    for o in &f.ozg_ids {
        diesel::insert_into(project_ozg_services::table)
            .values((
                project_ozg_services::project_id.eq(project_id),
                project_ozg_services::ozg_id.eq(o),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The fields that differ, as `[{field, from, to}]`.
pub fn diff(before: Option<&ProjectFields>, after: &ProjectFields) -> Vec<Value> {
    let a = serde_json::to_value(after).unwrap_or(Value::Null);
    let b = before
        .and_then(|b| serde_json::to_value(b).ok())
        .unwrap_or(Value::Null);
    let mut out = Vec::new();
    if let Value::Object(map) = &a {
        for (k, v) in map {
            let old = b.get(k).cloned().unwrap_or(Value::Null);
            let empty = |x: &Value| {
                x.is_null() || x.as_str() == Some("") || x.as_array().is_some_and(|a| a.is_empty())
            };
            if &old != v && !(empty(&old) && empty(v)) {
                out.push(json!({"field": k, "from": old, "to": v}));
            }
        }
    }
    out
}

fn record_version(
    conn: &mut DbConn,
    project_id: &str,
    version: i32,
    actor: &Actor,
    changes: &[Value],
) -> AppResult<()> {
    diesel::insert_into(project_versions::table)
        .values((
            project_versions::id.eq(new_id()),
            project_versions::project_id.eq(project_id),
            project_versions::version.eq(version),
            project_versions::changed_by.eq(Some(&actor.id)),
            project_versions::changed_at.eq(now()),
            project_versions::changes.eq(Value::Array(changes.to_vec()).to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

pub struct NewProject<'a> {
    pub municipality_id: &'a str,
    pub district_id: &'a str,
    pub status: ProjectStatus,
    pub fields: &'a ProjectFields,
}

pub fn insert(conn: &mut DbConn, actor: &Actor, p: NewProject) -> AppResult<String> {
    check_ozg_ids(conn, &p.fields.ozg_ids)?;
    let id = new_id();
    let t = now();
    let f = p.fields;
    diesel::insert_into(projects::table)
        .values((
            projects::id.eq(&id),
            projects::municipality_id.eq(p.municipality_id),
            projects::district_id.eq(p.district_id),
            projects::title.eq(&f.title),
            projects::summary.eq(&f.summary),
            projects::description.eq(&f.description),
            projects::status.eq(p.status.as_str()),
            projects::visibility.eq(f.visibility.as_str()),
            projects::planned_start.eq(f.planned_start),
            projects::planned_end.eq(f.planned_end),
            projects::budget_cents.eq(f.budget_cents),
            projects::contact_name.eq(&f.contact_name),
            projects::contact_email.eq(&f.contact_email),
            projects::created_by.eq(Some(&actor.id)),
            projects::created_at.eq(t),
            projects::updated_at.eq(t),
            projects::version.eq(1),
        ))
        .execute(conn)?;
    write_relations(conn, &id, f)?;
    diesel::insert_into(project_status_history::table)
        .values((
            project_status_history::id.eq(new_id()),
            project_status_history::project_id.eq(&id),
            project_status_history::from_status.eq(None::<String>),
            project_status_history::to_status.eq(p.status.as_str()),
            project_status_history::note.eq(""),
            project_status_history::changed_by.eq(Some(&actor.id)),
            project_status_history::changed_at.eq(t),
        ))
        .execute(conn)?;
    record_version(conn, &id, 1, actor, &diff(None, f))?;
    super::search::reindex(conn, &id)?;
    Ok(id)
}

/// Applies `after` if the stored version is still `version`; returns the changes.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    p: &ProjectRow,
    version: i32,
    after: &ProjectFields,
) -> AppResult<Vec<Value>> {
    check_ozg_ids(conn, &after.ozg_ids)?;
    let before = fields_of(conn, p)?;
    let n = diesel::update(
        projects::table
            .find(&p.id)
            .filter(projects::version.eq(version)),
    )
    .set((
        projects::title.eq(&after.title),
        projects::summary.eq(&after.summary),
        projects::description.eq(&after.description),
        projects::visibility.eq(after.visibility.as_str()),
        projects::planned_start.eq(after.planned_start),
        projects::planned_end.eq(after.planned_end),
        projects::budget_cents.eq(after.budget_cents),
        projects::contact_name.eq(&after.contact_name),
        projects::contact_email.eq(&after.contact_email),
        projects::updated_at.eq(now()),
        projects::version.eq(projects::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    write_relations(conn, &p.id, after)?;
    let changes = diff(Some(&before), after);
    record_version(conn, &p.id, version + 1, actor, &changes)?;
    super::search::reindex(conn, &p.id)?;
    Ok(changes)
}

pub fn change_status(
    conn: &mut DbConn,
    actor: &Actor,
    p: &ProjectRow,
    version: i32,
    to: ProjectStatus,
    note: &str,
) -> AppResult<()> {
    let from = p.status();
    if !from.can_move_to(to) {
        let allowed: Vec<&str> = from.next().iter().map(|s| s.label_de()).collect();
        return Err(AppError::field(
            "status",
            &format!(
                "Von „{}“ geht es nur weiter zu: {}.",
                from.label_de(),
                allowed.join(", ")
            ),
        ));
    }
    let t = now();
    let n = diesel::update(
        projects::table
            .find(&p.id)
            .filter(projects::version.eq(version)),
    )
    .set((
        projects::status.eq(to.as_str()),
        projects::updated_at.eq(t),
        projects::version.eq(projects::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    diesel::insert_into(project_status_history::table)
        .values((
            project_status_history::id.eq(new_id()),
            project_status_history::project_id.eq(&p.id),
            project_status_history::from_status.eq(Some(from.as_str())),
            project_status_history::to_status.eq(to.as_str()),
            project_status_history::note.eq(note),
            project_status_history::changed_by.eq(Some(&actor.id)),
            project_status_history::changed_at.eq(t),
        ))
        .execute(conn)?;
    record_version(
        conn,
        &p.id,
        version + 1,
        actor,
        &[json!({"field": "status", "from": from.as_str(), "to": to.as_str()})],
    )?;
    Ok(())
}

pub type TimelineRow = (
    Option<String>,
    String,
    String,
    Option<String>,
    chrono::NaiveDateTime,
);

pub fn timeline(conn: &mut DbConn, project_id: &str) -> AppResult<Vec<TimelineRow>> {
    Ok(project_status_history::table
        .left_join(users::table.on(users::id.nullable().eq(project_status_history::changed_by)))
        .filter(project_status_history::project_id.eq(project_id))
        .select((
            project_status_history::from_status,
            project_status_history::to_status,
            project_status_history::note,
            users::name.nullable(),
            project_status_history::changed_at,
        ))
        .order((
            project_status_history::changed_at.asc(),
            project_status_history::id.asc(),
        ))
        .load(conn)?)
}

pub type VersionRow = (i32, Option<String>, chrono::NaiveDateTime, String);

pub fn versions(conn: &mut DbConn, project_id: &str) -> AppResult<Vec<VersionRow>> {
    Ok(project_versions::table
        .left_join(users::table.on(users::id.nullable().eq(project_versions::changed_by)))
        .filter(project_versions::project_id.eq(project_id))
        .select((
            project_versions::version,
            users::name.nullable(),
            project_versions::changed_at,
            project_versions::changes,
        ))
        .order(project_versions::version.desc())
        .load(conn)?)
}
