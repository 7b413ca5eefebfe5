//! Reading and writing projects and what hangs on them. Lists load related rows
//! with one query per relation, never one per project.
use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::{json, Value};

use super::model::*;
use super::visibility::{visible_cases, visible_to, ProjectFilter};
use crate::api::{Page, Paging};
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    comments, follows, municipalities, ozg_services, project_ozg_services, project_partners,
    project_status_history, project_tags, project_topics, project_updates, project_versions,
    projects, topics, users,
};
use crate::db::utc;
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Event};
use crate::export::{Cell, Table};
use crate::i18n::Locale;

pub fn topic_ids(conn: &mut DbConn) -> AppResult<Vec<String>> {
    Ok(topics::table
        .select(topics::id)
        .order(topics::position.asc())
        .load(conn)?)
}

pub fn all_topics(conn: &mut DbConn, locale: crate::i18n::Locale) -> AppResult<Vec<Topic>> {
    let rows: Vec<(String, String, String)> = topics::table
        .select((topics::id, topics::name_de, topics::name_en))
        .order(topics::position.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, de, en)| Topic {
            id,
            name: if locale == crate::i18n::Locale::En {
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
    locale: crate::i18n::Locale,
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
    locale: crate::i18n::Locale,
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
    let place = Scope::new(Some(&row.district_id), Some(&row.municipality_id));
    let can_manage_partners = viewer.is_some_and(|a| policy::can_edit_project(a, place, false));
    let can_ask_partnership = viewer.is_some_and(|a| {
        a.municipality_id.as_deref().is_some_and(|t| {
            t != row.municipality_id
                && policy::can_request_partnership(a, t)
                && !partners.iter().any(|p| p.0 == t)
        })
    });
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
        can_manage_partners,
        can_ask_partnership,
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

// What the project handlers read and write.
/// One page of the ids of the projects `viewer` may see that match `q`, in the requested
/// order, and how many match in all. The database counts, sorts and pages; a search text
/// alone is counted and ranked inside the search index (`search::Compiled::page`), with
/// further filters the visible hits are ranked here.
pub fn find_ids(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    q: &ProjectQuery,
    offset: i64,
    limit: i64,
) -> AppResult<(i64, Vec<String>)> {
    let compiled =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|text| super::search::compile(conn, text));
    // A text without any searchable word finds nothing.
    if let Some(None) = compiled {
        return Ok((0, vec![]));
    }
    let compiled = compiled.flatten();
    let filtered_in = |case: ProjectFilter, text: Option<&str>| {
        let mut query = projects::table.filter(case).into_boxed();
        if let (Some(c), Some(expr)) = (&compiled, text) {
            query = query.filter(c.filter(viewer, expr));
        }
        if let Some(m) = &q.municipality_id {
            query = query.filter(projects::municipality_id.eq(m.clone()));
        }
        if q.mine == Some(true) {
            let own = viewer
                .and_then(|a| a.municipality_id.clone())
                .unwrap_or_default();
            query = query.filter(projects::municipality_id.eq(own));
        }
        if let Some(s) = q.status {
            query = query.filter(projects::status.eq(s.as_str()));
        }
        if let Some(v) = q.visibility {
            query = query.filter(projects::visibility.eq(v.as_str()));
        }
        if let Some(t) = &q.topic {
            query = query.filter(
                projects::id.eq_any(
                    project_topics::table
                        .filter(project_topics::topic_id.eq(t.clone()))
                        .select(project_topics::project_id),
                ),
            );
        }
        if let Some(o) = q.ozg_id {
            query = query.filter(
                projects::id.eq_any(
                    project_ozg_services::table
                        .filter(project_ozg_services::ozg_id.eq(o))
                        .select(project_ozg_services::project_id),
                ),
            );
        }
        if let Some(tf) = q.themenfeld_id {
            query = query.filter(
                projects::id.eq_any(
                    project_ozg_services::table
                        .inner_join(ozg_services::table)
                        .filter(ozg_services::themenfeld_id.eq(tf))
                        .select(project_ozg_services::project_id),
                ),
            );
        }
        query
    };
    let filtered = |text: Option<&str>| filtered_in(visible_to(viewer), text);
    // Without a search text, newest first (the default): each visibility case is an
    // index-ordered scan of at most offset + limit rows, merged here, and the total is the
    // sum of the cases' counts. The cost grows with the page asked for, not with the data.
    if compiled.is_none() && q.sort.unwrap_or_default() != ProjectSort::Title {
        let wanted = offset + limit;
        let mut total = 0;
        let mut rows: Vec<(chrono::NaiveDateTime, String)> = Vec::new();
        for case in visible_cases(viewer) {
            total += filtered_in(case, None).count().get_result::<i64>(conn)?;
        }
        if total == 0 || offset >= total {
            return Ok((total, vec![]));
        }
        for case in visible_cases(viewer) {
            let part: Vec<(chrono::NaiveDateTime, String)> = filtered_in(case, None)
                .order((projects::updated_at.desc(), projects::id.asc()))
                .select((projects::updated_at, projects::id))
                .limit(wanted)
                .load(conn)?;
            rows.extend(part);
        }
        rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let ids = rows
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|r| r.1)
            .collect();
        return Ok((total, ids));
    }
    // With a search text: all words first; if no visible project has them all, any of
    // them. Visibility and filters are part of the query, so the total is exact. A text
    // without further filters is counted in the search index alone.
    let only_text = q.municipality_id.is_none()
        && q.mine != Some(true)
        && q.status.is_none()
        && q.visibility.is_none()
        && q.topic.is_none()
        && q.ozg_id.is_none()
        && q.themenfeld_id.is_none();
    if let (Some(c), true, ProjectSort::Relevance) =
        (&compiled, only_text, q.sort.unwrap_or_default())
    {
        let mut found = (0, vec![]);
        for all in [true, false] {
            if let Some(expr) = c.expression(all) {
                found = c.page(conn, viewer, expr, offset, limit)?;
                if found.0 > 0 {
                    break;
                }
            }
        }
        return Ok(found);
    }
    let mut expression: Option<String> = None;
    let mut total: i64 = 0;
    if let Some(c) = &compiled {
        for all in [true, false] {
            let Some(expr) = c.expression(all) else {
                continue;
            };
            total = if only_text {
                c.count(conn, viewer, expr)?
            } else {
                filtered(Some(expr)).count().get_result(conn)?
            };
            expression = Some(expr.to_string());
            if total > 0 {
                break;
            }
        }
    } else {
        total = filtered(None).count().get_result(conn)?;
    }
    let text = expression.as_deref();
    let sort = q.sort.unwrap_or_default();
    let sort = match (sort, text) {
        (ProjectSort::Relevance, None) => ProjectSort::Updated,
        (s, _) => s,
    };
    if total == 0 || offset >= total {
        return Ok((total, vec![]));
    }
    let ids = match sort {
        ProjectSort::Relevance => {
            let (c, expr) = (compiled.as_ref().expect("search"), text.expect("search"));
            let rank = c.ranks(conn, viewer, expr)?;
            let mut ids: Vec<String> = filtered(text).select(projects::id).load(conn)?;
            ids.sort_by(|a, b| {
                let (ra, rb) = (
                    rank.get(a).copied().unwrap_or(0.0),
                    rank.get(b).copied().unwrap_or(0.0),
                );
                rb.total_cmp(&ra).then_with(|| a.cmp(b))
            });
            ids.into_iter()
                .skip(offset as usize)
                .take(limit as usize)
                .collect()
        }
        ProjectSort::Title => filtered(text)
            .order((projects::title.asc(), projects::id.asc()))
            .select(projects::id)
            .limit(limit)
            .offset(offset)
            .load(conn)?,
        ProjectSort::Updated => filtered(text)
            .order((projects::updated_at.desc(), projects::id.asc()))
            .select(projects::id)
            .limit(limit)
            .offset(offset)
            .load(conn)?,
    };
    Ok((total, ids))
}

pub fn rows_in_order(conn: &mut DbConn, ids: &[String]) -> AppResult<Vec<ProjectRow>> {
    let rows: Vec<ProjectRow> = projects::table
        .filter(projects::id.eq_any(ids))
        .select(ProjectRow::as_select())
        .load(conn)?;
    let mut by_id: std::collections::HashMap<String, ProjectRow> =
        rows.into_iter().map(|r| (r.id.clone(), r)).collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

pub fn list_page(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    q: &ProjectQuery,
    paging: Paging,
    locale: Locale,
) -> AppResult<Page<ProjectSummary>> {
    let (total, page_ids) = find_ids(conn, viewer, q, paging.offset(), paging.limit)?;
    let rows = rows_in_order(conn, &page_ids)?;
    Ok(Page::new(summaries(conn, rows, locale)?, paging, total))
}

/// What a list without a search text depends on besides the data: the viewer's role,
/// district and town (visibility, "mine"), the language, the filters and the page.
type ListKey = (
    Option<crate::auth::model::Role>,
    Option<String>,
    Option<String>,
    Locale,
    String,
);

/// Lists without a search text, kept per kind of viewer while the `projects` generation
/// (triggers on everything a list shows) stays the same: everyone of a town opening the
/// first pages shares one answer. About 12 KB per entry.
static LISTS: crate::kept::Kept<ListKey> =
    crate::kept::Kept::new(std::time::Duration::from_secs(60), 1024);

/// Searches, kept the same way and apart from the lists (a burst of new texts starts
/// this map over, not the lists'): a text many people of one kind of viewer look for
/// (a common word, the first page of a popular topic) is ranked once per generation.
/// Fewer entries than the lists: most texts are not asked for twice.
static SEARCHES: crate::kept::Kept<ListKey> =
    crate::kept::Kept::new(std::time::Duration::from_secs(60), 256);

/// [`list_page`] as JSON, kept per kind of viewer ([`LISTS`], [`SEARCHES`]).
pub fn list_page_json(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    q: &ProjectQuery,
    paging: Paging,
    locale: Locale,
) -> AppResult<actix_web::web::Bytes> {
    let render = |conn: &mut DbConn| {
        serde_json::to_vec(&list_page(conn, viewer, q, paging, locale)?)
            .map_err(|e| AppError::internal(e.to_string()))
    };
    let key: ListKey = (
        viewer.map(|a| a.role),
        viewer.and_then(|a| a.district_id.clone()),
        viewer.and_then(|a| a.municipality_id.clone()),
        locale,
        format!("{q:?} {} {}", paging.offset(), paging.limit),
    );
    let current = crate::kept::generation(conn, crate::kept::PROJECTS)?;
    let kept = if q.q.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        &SEARCHES
    } else {
        &LISTS
    };
    kept.get_or_compute(key, current, || render(conn))
}

/// The filtered list (at most 5,000 rows) as a table for the exports.
pub fn projects_table(
    conn: &mut DbConn,
    actor: &Actor,
    q: &ProjectQuery,
    locale: Locale,
) -> AppResult<Table> {
    let (_, ids) = find_ids(conn, Some(actor), q, 0, 5000)?;
    let rows = rows_in_order(conn, &ids)?;
    let extra: Vec<(
        Option<chrono::NaiveDate>,
        Option<chrono::NaiveDate>,
        Option<i64>,
    )> = rows
        .iter()
        .map(|r| (r.planned_start, r.planned_end, r.budget_cents))
        .collect();
    let items = summaries(conn, rows, locale)?;
    let mut t = Table::new([
        "Titel",
        "Kommune",
        "AGS",
        "Status",
        "Sichtbarkeit",
        "Themen",
        "OZG-Leistungen",
        "Geplanter Beginn",
        "Geplantes Ende",
        "Budget (EUR)",
        "Zuletzt geändert",
    ]);
    for (p, (start, end, budget)) in items.iter().zip(extra) {
        t.push(vec![
            Cell::text(&p.title),
            Cell::text(&p.municipality.name),
            Cell::Key(p.municipality.ags.clone()),
            Cell::text(p.status.label_de()),
            Cell::text(p.visibility.label_de()),
            Cell::text(
                p.topics
                    .iter()
                    .map(|t| t.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Cell::Key(
                p.ozg_ids
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Cell::opt_date(start),
            Cell::opt_date(end),
            Cell::opt_euro(budget),
            Cell::DateTime(
                p.updated_at
                    .with_timezone(&chrono_tz::Europe::Berlin)
                    .naive_local(),
            ),
        ]);
    }
    Ok(t)
}

pub type UpdateTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    chrono::NaiveDateTime,
);

pub type CommentTuple = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    chrono::NaiveDateTime,
);

pub fn load_comments(
    conn: &mut DbConn,
    project_id: &str,
    only: Option<&str>,
) -> AppResult<Vec<Comment>> {
    let mut q = comments::table
        .left_join(users::table.on(users::id.nullable().eq(comments::author_id)))
        .left_join(
            municipalities::table.on(municipalities::id.nullable().eq(users::municipality_id)),
        )
        .filter(comments::project_id.eq(project_id))
        .into_boxed();
    if let Some(cid) = only {
        q = q.filter(comments::id.eq(cid.to_string()));
    }
    let rows: Vec<CommentTuple> = q
        .select((
            comments::id,
            comments::update_id,
            comments::body,
            comments::author_id,
            users::name.nullable(),
            municipalities::name.nullable(),
            comments::created_at,
        ))
        .order((comments::created_at.asc(), comments::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, update_id, body, author_id, author_name, municipality_name, at)| Comment {
                id,
                update_id,
                body_html: crate::markdown::to_html(&body),
                body,
                author_id,
                author_name,
                municipality_name,
                created_at: utc(at),
            },
        )
        .collect())
}

/// The features of `rows` (id, version) in their order, computed (one query per relation)
/// for those not yet cached at their version.
fn cached_features(
    conn: &mut DbConn,
    locale: Locale,
    topic_names: &HashMap<String, String>,
    rows: &[(String, chrono::NaiveDateTime)],
) -> AppResult<Vec<(String, std::sync::Arc<super::similar::Features>)>> {
    let cache = super::similar::FeatureCache::global();
    let missing: Vec<String> = cache.missing(locale, rows);
    for missing in missing.chunks(1000) {
        cache.insert(locale, load_features(conn, topic_names, missing)?);
    }
    Ok(cache.get_all(locale, rows))
}

/// The features of these projects (id, version read, features), computed from the
/// database (one query per relation).
fn load_features(
    conn: &mut DbConn,
    topic_names: &HashMap<String, String>,
    ids: &[String],
) -> AppResult<Vec<(String, chrono::NaiveDateTime, super::similar::Features)>> {
    use super::similar::{features, Doc};
    let texts: Vec<(String, chrono::NaiveDateTime, String, String)> = projects::table
        .filter(projects::id.eq_any(ids))
        .select((
            projects::id,
            projects::updated_at,
            projects::title,
            projects::summary,
        ))
        .load(conn)?;
    let mut ozg_of: HashMap<String, Vec<i32>> = HashMap::new();
    for (pid, oid) in project_ozg_services::table
        .filter(project_ozg_services::project_id.eq_any(ids))
        .select((
            project_ozg_services::project_id,
            project_ozg_services::ozg_id,
        ))
        .load::<(String, i32)>(conn)?
    {
        ozg_of.entry(pid).or_default().push(oid);
    }
    let mut topics_of: HashMap<String, Vec<String>> = HashMap::new();
    for (pid, tid) in project_topics::table
        .filter(project_topics::project_id.eq_any(ids))
        .select((project_topics::project_id, project_topics::topic_id))
        .load::<(String, String)>(conn)?
    {
        topics_of
            .entry(pid)
            .or_default()
            .push(topic_names.get(&tid).cloned().unwrap_or(tid));
    }
    Ok(texts
        .into_iter()
        .map(|(id, updated_at, title, summary)| {
            let ozg = ozg_of.remove(&id).unwrap_or_default();
            let topics = topics_of.remove(&id).unwrap_or_default();
            let f = features(&Doc {
                title: &title,
                summary: &summary,
                ozg_ids: &ozg,
                topics: &topics,
            });
            (id, updated_at, f)
        })
        .collect())
}

/// A rarity sample per key, with the projects generation it was brought up to date at.
type Samples<K> = std::sync::Mutex<Option<HashMap<K, (i64, super::similar::Sample)>>>;

/// How rare each word is in the network, per language: from the newest
/// [`SIMILAR_SAMPLE`] network and public projects (which every signed-in user may read, so
/// no hidden project's words weigh in), brought up to date when a project changes.
static NETWORK_SAMPLES: Samples<Locale> = std::sync::Mutex::new(None);
/// The district projects of one district (its members read them), counted on top of the
/// network sample.
static DISTRICT_SAMPLES: Samples<(Locale, String)> = std::sync::Mutex::new(None);
/// More districts' samples than this and they start over.
const DISTRICT_SAMPLE_LIMIT: usize = 32;

/// How rare a term is for this viewer: among the newest network and public projects and,
/// for a member of a district, the newest district projects of that district (which the
/// network sample leaves out). Private drafts count nowhere.
fn viewer_rarity(
    conn: &mut DbConn,
    viewer: &Actor,
    locale: Locale,
    topic_names: &HashMap<String, String>,
) -> AppResult<std::sync::Arc<super::similar::Rarity>> {
    let generation = crate::kept::generation(conn, crate::kept::PROJECTS)?;
    let mut sample = SampleOf {
        conn,
        generation,
        locale,
        topic_names,
    };
    let network = sample.rarity(
        &NETWORK_SAMPLES,
        locale,
        &[Visibility::Network, Visibility::Public],
        None,
        None,
        usize::MAX,
    )?;
    let Some(district) = viewer.district_id.clone() else {
        return Ok(network);
    };
    sample.rarity(
        &DISTRICT_SAMPLES,
        (locale, district.clone()),
        &[Visibility::District],
        Some(&district),
        Some(network),
        DISTRICT_SAMPLE_LIMIT,
    )
}

/// What a rarity sample is brought up to date with.
struct SampleOf<'a> {
    conn: &'a mut DbConn,
    generation: i64,
    locale: Locale,
    topic_names: &'a HashMap<String, String>,
}

impl SampleOf<'_> {
    /// The counts of the sample `key` of `samples` (the newest projects of these
    /// visibilities, in `district` or everywhere) on top of `base`, first brought up to the
    /// current generation: only projects new to the sample or changed are computed, from
    /// the features cache where it has them.
    fn rarity<K: Eq + std::hash::Hash>(
        &mut self,
        samples: &Samples<K>,
        key: K,
        visibilities: &[Visibility],
        district: Option<&str>,
        base: Option<std::sync::Arc<super::similar::Rarity>>,
        limit: usize,
    ) -> AppResult<std::sync::Arc<super::similar::Rarity>> {
        // Held while the sample is brought up to date: a second request waits for it
        // instead of computing the same again.
        let mut guard = samples.lock().unwrap_or_else(|e| e.into_inner());
        let map = guard.get_or_insert_with(HashMap::new);
        if map.len() >= limit && !map.contains_key(&key) {
            map.clear();
        }
        let (at, sample) = map
            .entry(key)
            .or_insert_with(|| (i64::MIN, Default::default()));
        if *at != self.generation {
            let rows = newest_sample(self.conn, visibilities, district)?;
            let missing = sample.missing(&rows);
            let cached: HashMap<String, std::sync::Arc<super::similar::Features>> =
                super::similar::FeatureCache::global()
                    .get_all(self.locale, &missing)
                    .into_iter()
                    .collect();
            let (mut computed, mut rest) = (Vec::new(), Vec::new());
            for (id, at) in missing {
                match cached.get(&id) {
                    Some(f) => computed.push((id, at, f.keys())),
                    None => rest.push(id),
                }
            }
            for chunk in rest.chunks(1000) {
                for (id, at, f) in load_features(self.conn, self.topic_names, chunk)? {
                    computed.push((id, at, f.keys()));
                }
            }
            sample.update(&rows, computed);
            *at = self.generation;
        }
        Ok(sample.rarity(base))
    }
}

/// The newest [`SIMILAR_SAMPLE`] projects (id, version) of these visibilities, in one
/// district or everywhere: a sample for term rarity.
fn newest_sample(
    conn: &mut DbConn,
    visibilities: &[Visibility],
    district: Option<&str>,
) -> AppResult<Vec<(String, chrono::NaiveDateTime)>> {
    let mut query = projects::table
        .filter(projects::visibility.eq_any(visibilities.iter().map(|v| v.as_str())))
        .into_boxed();
    if let Some(d) = district {
        query = query.filter(projects::district_id.eq(d.to_string()));
    }
    Ok(query
        .select((projects::id, projects::updated_at))
        .order((projects::updated_at.desc(), projects::id.asc()))
        .limit(SIMILAR_SAMPLE)
        .load(conn)?)
}

pub fn similar_to(
    conn: &mut DbConn,
    viewer: &Actor,
    own_town: Option<&str>,
    exclude: Option<&str>,
    draft: &SimilarRequest,
    locale: Locale,
) -> AppResult<Vec<SimilarItem>> {
    use super::similar::{draft as draft_of, telling_terms, top_k_with, Doc};
    let topic_names: HashMap<String, String> = all_topics(conn, locale)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let draft_topics: Vec<String> = draft
        .topics
        .iter()
        .filter_map(|t| topic_names.get(t).cloned())
        .collect();
    let doc = Doc {
        title: &draft.title,
        summary: &draft.summary,
        ozg_ids: &draft.ozg_ids,
        topics: &draft_topics,
    };
    let draft_features = draft_of(&doc);
    let rarity = viewer_rarity(conn, viewer, locale, &topic_names)?;
    // Candidates from the whole network the viewer may read: the best matches of the
    // draft's rarest words in the search index, and the newest projects sharing one of
    // its OZG services.
    let terms = telling_terms(&doc, &rarity, SIMILAR_TERMS);
    let mut ids = super::search::any_of(conn, Some(viewer), &terms, SIMILAR_CANDIDATES)?;
    if !draft.ozg_ids.is_empty() {
        let sharing: Vec<String> = projects::table
            .filter(visible_to(Some(viewer)))
            .filter(
                projects::id.eq_any(
                    project_ozg_services::table
                        .filter(project_ozg_services::ozg_id.eq_any(&draft.ozg_ids))
                        .select(project_ozg_services::project_id),
                ),
            )
            .select(projects::id)
            .order((projects::updated_at.desc(), projects::id.asc()))
            .limit(SIMILAR_SHARING)
            .load(conn)?;
        ids.extend(sharing);
    }
    let mut query = projects::table
        .filter(projects::id.eq_any(&ids))
        .filter(visible_to(Some(viewer)))
        .into_boxed();
    if let Some(t) = own_town {
        query = query.filter(projects::municipality_id.ne(t.to_string()));
    }
    if let Some(x) = exclude {
        query = query.filter(projects::id.ne(x.to_string()));
    }
    let candidates: Vec<(String, chrono::NaiveDateTime)> = query
        .select((projects::id, projects::updated_at))
        .load(conn)?;
    // Features are computed once per project version and locale, not on every request.
    let feats = cached_features(conn, locale, &topic_names, &candidates)?;
    let best = top_k_with(
        &draft_features,
        feats.iter().map(|(id, f)| (id.as_str(), f.as_ref())),
        &rarity,
        SIMILAR_RESULTS,
    );
    let best_ids: Vec<String> = best.iter().map(|(id, _)| id.to_string()).collect();
    let rows = rows_in_order(conn, &best_ids)?;
    let summaries = summaries(conn, rows, locale)?;
    Ok(summaries
        .into_iter()
        .zip(best)
        .map(|(project, (_, scored))| SimilarItem {
            project,
            score: (scored.score * 1000.0).round() / 1000.0,
            reasons: scored.reasons,
        })
        .collect())
}

pub fn create_project(
    conn: &mut DbConn,
    actor: Actor,
    input: ProjectInput,
    locale: Locale,
) -> AppResult<Project> {
    let known = topic_ids(conn)?;
    let fields =
        ProjectFields::from_input(&input, None, &known).map_err(|e| AppError::Validation(e.0))?;
    let town_id = input
        .municipality_id
        .clone()
        .or(actor.municipality_id.clone())
        .ok_or_else(|| {
            AppError::field(
                "municipality_id",
                "Bitte die Kommune wählen, der das Projekt gehört.",
            )
        })?;
    let town: Option<(String, String)> = municipalities::table
        .find(&town_id)
        .select((municipalities::id, municipalities::district_id))
        .first(conn)
        .optional()?;
    let Some((town_id, district_id)) = town else {
        return Err(AppError::field(
            "municipality_id",
            "Diese Kommune gibt es nicht.",
        ));
    };
    let place = Scope::new(Some(&district_id), Some(&town_id));
    if !policy::can_create_project(&actor, place) {
        return Err(AppError::Forbidden);
    }
    // A draft its author could not read afterwards (a private project of a town, made
    // by the district or an admin) would vanish on saving: refuse it with a reason.
    if !policy::can_read_project(Some(&actor), place, fields.visibility.as_str()) {
        return Err(AppError::field(
            "visibility",
            "Private Projekte legt die Kommune selbst an; bitte „Kreis“ oder weiter wählen.",
        ));
    }
    let status = input.status.unwrap_or(ProjectStatus::Idea);
    if !matches!(
        status,
        ProjectStatus::Idea
            | ProjectStatus::Draft
            | ProjectStatus::Planned
            | ProjectStatus::InProgress
            | ProjectStatus::Live
    ) {
        return Err(AppError::field(
            "status",
            "Ein neues Projekt beginnt nicht pausiert oder abgebrochen.",
        ));
    }
    let id = insert(
        conn,
        &actor,
        NewProject {
            municipality_id: &town_id,
            district_id: &district_id,
            status,
            fields: &fields,
        },
    )?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "project.create",
            object_type: "project",
            object_id: &id,
            district_id: Some(&district_id),
            municipality_id: Some(&town_id),
            summary: json!({"title": fields.title, "visibility": fields.visibility.as_str()}),
        },
    )?;
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb: "project.created",
            object_type: "project",
            object_id: &id,
            project_id: Some(&id),
            district_id: Some(&district_id),
            municipality_id: Some(&town_id),
            visibility: Some(fields.visibility.as_str()),
            target_user_id: None,
            payload: json!({"title": fields.title}),
        },
    )?;
    // The author follows their own project.
    diesel::insert_into(follows::table)
        .values((
            follows::user_id.eq(&actor.id),
            follows::project_id.eq(&id),
            follows::created_at.eq(now()),
        ))
        .execute(conn)?;
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    detail(conn, Some(&actor), row, locale)
}

pub fn project_detail(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    locale: Locale,
) -> AppResult<Project> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    detail(conn, Some(&actor), row, locale)
}

pub fn update_project(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    input: ProjectInput,
    locale: Locale,
) -> AppResult<Project> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    if !can_edit(conn, &actor, &row)? {
        return Err(AppError::Forbidden);
    }
    let base = fields_of(conn, &row)?;
    let known = topic_ids(conn)?;
    let after = ProjectFields::from_input(&input, Some(&base), &known)
        .map_err(|e| AppError::Validation(e.0))?;
    // A partner town edits the content; who may see the project stays the lead town's
    // decision (a partner making it private would lock itself out: 403 with the reason).
    let owner_side = policy::can_edit_project(
        &actor,
        Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
        false,
    );
    if !owner_side && after.visibility != base.visibility {
        return Err(AppError::ForbiddenFields(vec![
            crate::error::FieldError::new(
                "visibility",
                "Die Sichtbarkeit kann nur die federführende Kommune ändern.",
            ),
        ]));
    }
    if row.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let changes = update(conn, &actor, &row, version, &after)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "project.update",
            object_type: "project",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"fields": changes.iter().map(|c| c["field"].clone()).collect::<Vec<_>>()}),
        },
    )?;
    if !changes.is_empty() {
        events::record(
            conn,
            Event {
                actor_id: Some(&actor.id),
                verb: "project.updated",
                object_type: "project",
                object_id: &id,
                project_id: Some(&id),
                district_id: Some(&row.district_id),
                municipality_id: Some(&row.municipality_id),
                visibility: Some(after.visibility.as_str()),
                target_user_id: None,
                payload: json!({"fields": changes.iter().map(|c| c["field"].clone()).collect::<Vec<_>>()}),
            },
        )?;
    }
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    detail(conn, Some(&actor), row, locale)
}

pub fn change_project_status(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    status: ProjectStatus,
    note: String,
    locale: Locale,
) -> AppResult<Project> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    if !can_edit(conn, &actor, &row)? {
        return Err(AppError::Forbidden);
    }
    if row.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let from = row.status();
    change_status(conn, &actor, &row, version, status, &note)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "project.status",
            object_type: "project",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"from": from.as_str(), "to": status.as_str()}),
        },
    )?;
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb: "project.status_changed",
            object_type: "project",
            object_id: &id,
            project_id: Some(&id),
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            visibility: Some(&row.visibility),
            target_user_id: None,
            payload: json!({"from": from.as_str(), "to": status.as_str(), "note": note}),
        },
    )?;
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    detail(conn, Some(&actor), row, locale)
}

pub fn project_timeline(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
) -> AppResult<Vec<TimelineRow>> {
    visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    timeline(conn, &id)
}

pub fn project_versions(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<Vec<VersionRow>> {
    visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    versions(conn, &id)
}

/// Every version of a visible project with its changes for people: labels in form
/// order, topic and OZG names, euro amounts and dates in `locale`.
pub fn version_list(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    locale: Locale,
) -> AppResult<VersionList> {
    use crate::i18n::labels;
    let rows = project_versions(conn, actor, id)?;
    let parsed: Vec<(i32, Option<String>, chrono::NaiveDateTime, Vec<Value>)> = rows
        .into_iter()
        .map(|(v, n, at, changes)| (v, n, at, serde_json::from_str(&changes).unwrap_or_default()))
        .collect();
    let mut topic_ids = Vec::new();
    let mut ozg_ids: Vec<i32> = Vec::new();
    for (_, _, _, changes) in &parsed {
        for c in changes {
            let values = [&c["from"], &c["to"]];
            match c["field"].as_str() {
                Some("topics") => topic_ids.extend(values.iter().flat_map(|v| {
                    v.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str().map(str::to_string))
                })),
                Some("ozg_ids") => ozg_ids.extend(values.iter().flat_map(|v| {
                    v.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_i64().and_then(|n| i32::try_from(n).ok()))
                })),
                _ => {}
            }
        }
    }
    topic_ids.sort();
    topic_ids.dedup();
    ozg_ids.sort();
    ozg_ids.dedup();
    let topic_names = crate::audit::queries::display_names(conn, &[], &topic_ids, locale)?;
    let ozg_names: HashMap<String, String> = ozg_services::table
        .filter(ozg_services::ozg_id.eq_any(&ozg_ids))
        .select((ozg_services::ozg_id, ozg_services::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .map(|(i, n)| (i.to_string(), n))
        .collect();
    let text = |field: &str, v: &Value| -> String {
        if field == "ozg_ids" {
            let names: Vec<String> = v
                .as_array()
                .into_iter()
                .flatten()
                .map(|x| {
                    let key = x.to_string();
                    ozg_names.get(&key).cloned().unwrap_or(key)
                })
                .collect();
            if names.is_empty() {
                return labels::value_text(locale, field, "project", &Value::Null, &topic_names);
            }
            return names.join(", ");
        }
        labels::value_text(locale, field, "project", v, &topic_names)
    };
    let items = parsed
        .into_iter()
        .map(|(version, name, at, changes)| {
            let mut changes: Vec<FieldChange> = changes
                .into_iter()
                .map(|c| {
                    let field = c["field"].as_str().unwrap_or_default().to_string();
                    FieldChange {
                        label: labels::field(locale, &field)
                            .map(str::to_string)
                            .unwrap_or_else(|| labels::object_type(locale, "")),
                        from_text: text(&field, &c["from"]),
                        to_text: text(&field, &c["to"]),
                        from: c["from"].clone(),
                        to: c["to"].clone(),
                        field,
                    }
                })
                .collect();
            changes.sort_by_key(|c| {
                FIELD_ORDER
                    .iter()
                    .position(|f| *f == c.field)
                    .unwrap_or(FIELD_ORDER.len())
            });
            VersionEntry {
                version,
                changed_by_name: name,
                changed_at: crate::db::utc(at),
                changes,
            }
        })
        .collect();
    Ok(VersionList { items })
}

pub fn add_partner(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    municipality_id: String,
    role: PartnerRole,
    locale: Locale,
) -> AppResult<Project> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    if municipality_id == row.municipality_id {
        return Err(AppError::field(
            "municipality_id",
            "Die eigene Kommune ist kein Partner.",
        ));
    }
    let exists: i64 = municipalities::table
        .find(&municipality_id)
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Err(AppError::field(
            "municipality_id",
            "Diese Kommune gibt es nicht.",
        ));
    }
    let owner_side = policy::can_edit_project(
        &actor,
        Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
        false,
    );
    let own_town_request = policy::can_request_partnership(&actor, &municipality_id);
    let state_ = if owner_side {
        "accepted"
    } else if own_town_request {
        "requested"
    } else {
        return Err(AppError::Forbidden);
    };
    diesel::delete(
        project_partners::table
            .filter(project_partners::project_id.eq(&id))
            .filter(project_partners::municipality_id.eq(&municipality_id)),
    )
    .execute(conn)?;
    diesel::insert_into(project_partners::table)
        .values((
            project_partners::project_id.eq(&id),
            project_partners::municipality_id.eq(&municipality_id),
            project_partners::role.eq(role.as_str()),
            project_partners::state.eq(state_),
            project_partners::created_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "project.partner",
            object_type: "project",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"partner": municipality_id, "role": role.as_str(), "state": state_}),
        },
    )?;
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb: if state_ == "accepted" {
                "partner.added"
            } else {
                "partner.requested"
            },
            object_type: "project",
            object_id: &id,
            project_id: Some(&id),
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            visibility: Some(&row.visibility),
            target_user_id: None,
            payload: json!({"partner": municipality_id, "role": role.as_str()}),
        },
    )?;
    detail(conn, Some(&actor), row, locale)
}

pub fn accept_partner(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    town: String,
    locale: Locale,
) -> AppResult<Project> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    if !policy::can_edit_project(
        &actor,
        Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
        false,
    ) {
        return Err(AppError::Forbidden);
    }
    let n = diesel::update(
        project_partners::table
            .filter(project_partners::project_id.eq(&id))
            .filter(project_partners::municipality_id.eq(&town)),
    )
    .set(project_partners::state.eq("accepted"))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "project.partner_accept",
            object_type: "project",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"partner": town}),
        },
    )?;
    detail(conn, Some(&actor), row, locale)
}

pub fn remove_partner(conn: &mut DbConn, actor: Actor, id: String, town: String) -> AppResult<()> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    let owner_side = policy::can_edit_project(
        &actor,
        Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
        false,
    );
    let own_town = policy::can_request_partnership(&actor, &town);
    if !owner_side && !own_town {
        return Err(AppError::Forbidden);
    }
    let n = diesel::delete(
        project_partners::table
            .filter(project_partners::project_id.eq(&id))
            .filter(project_partners::municipality_id.eq(&town)),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "project.partner_remove",
            object_type: "project",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"partner": town}),
        },
    )
}

pub fn list_updates(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<Vec<UpdateTuple>> {
    visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    Ok(project_updates::table
        .left_join(users::table.on(users::id.nullable().eq(project_updates::author_id)))
        .left_join(
            municipalities::table.on(municipalities::id
                .nullable()
                .eq(project_updates::municipality_id)),
        )
        .filter(project_updates::project_id.eq(&id))
        .select((
            project_updates::id,
            project_updates::title,
            project_updates::body,
            users::name.nullable(),
            municipalities::name.nullable(),
            project_updates::created_at,
        ))
        .order((
            project_updates::created_at.desc(),
            project_updates::id.desc(),
        ))
        .load(conn)?)
}

pub fn create_update(
    conn: &mut DbConn,
    actor: Actor,
    author: String,
    id: String,
    title: String,
    body: String,
) -> AppResult<ProjectUpdate> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    if !can_edit(conn, &actor, &row)? {
        return Err(AppError::Forbidden);
    }
    let uid = new_id();
    let t = now();
    diesel::insert_into(project_updates::table)
        .values((
            project_updates::id.eq(&uid),
            project_updates::project_id.eq(&id),
            project_updates::author_id.eq(Some(&actor.id)),
            project_updates::municipality_id.eq(&actor.municipality_id),
            project_updates::title.eq(&title),
            project_updates::body.eq(&body),
            project_updates::created_at.eq(t),
        ))
        .execute(conn)?;
    diesel::update(projects::table.find(&id))
        .set(projects::updated_at.eq(t))
        .execute(conn)?;
    super::search::reindex(conn, &id)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "project.update_post",
            object_type: "project_update",
            object_id: &uid,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"project_id": id, "title": title}),
        },
    )?;
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb: "update.created",
            object_type: "project_update",
            object_id: &uid,
            project_id: Some(&id),
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            visibility: Some(&row.visibility),
            target_user_id: None,
            payload: json!({"title": title}),
        },
    )?;
    let municipality_name: Option<String> = match &actor.municipality_id {
        Some(m) => municipalities::table
            .find(m)
            .select(municipalities::name)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(ProjectUpdate {
        id: uid,
        body_html: crate::markdown::to_html(&body),
        title,
        body,
        author_name: Some(author),
        municipality_name,
        created_at: utc(t),
    })
}

pub fn list_comments(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<Vec<Comment>> {
    visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    load_comments(conn, &id, None)
}

pub fn create_comment(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    body: String,
    update_id: Option<String>,
) -> AppResult<Comment> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    if let Some(u) = &update_id {
        let n: i64 = project_updates::table
            .filter(project_updates::id.eq(u))
            .filter(project_updates::project_id.eq(&id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            return Err(AppError::field(
                "update_id",
                "Diesen Fortschrittsbericht gibt es in diesem Projekt nicht.",
            ));
        }
    }
    let cid = new_id();
    diesel::insert_into(comments::table)
        .values((
            comments::id.eq(&cid),
            comments::project_id.eq(&id),
            comments::update_id.eq(&update_id),
            comments::author_id.eq(Some(&actor.id)),
            comments::body.eq(&body),
            comments::created_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "comment.create",
            object_type: "comment",
            object_id: &cid,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"project_id": id}),
        },
    )?;
    let excerpt: String = crate::markdown::to_plain(&body).chars().take(300).collect();
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb: "comment.created",
            object_type: "comment",
            object_id: &cid,
            project_id: Some(&id),
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            visibility: Some(&row.visibility),
            target_user_id: None,
            payload: json!({"excerpt": excerpt, "update_id": update_id}),
        },
    )?;
    // Only people who may see the project can be mentioned; others are not told it exists.
    let mentioned = crate::markdown::mentioned_ids(&body);
    if !mentioned.is_empty() {
        let targets: Vec<crate::users::model::UserRow> = users::table
            .filter(users::id.eq_any(&mentioned))
            .filter(users::active.eq(true))
            .select(crate::users::model::UserRow::as_select())
            .load(conn)?;
        for u in targets {
            if u.id == actor.id
                || !policy::can_read_project(
                    Some(&u.actor()),
                    Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
                    &row.visibility,
                )
            {
                continue;
            }
            events::record(
                conn,
                Event {
                    actor_id: Some(&actor.id),
                    verb: "mention",
                    object_type: "comment",
                    object_id: &cid,
                    project_id: Some(&id),
                    district_id: Some(&row.district_id),
                    municipality_id: Some(&row.municipality_id),
                    visibility: Some(&row.visibility),
                    target_user_id: Some(&u.id),
                    payload: json!({"excerpt": excerpt}),
                },
            )?;
        }
    }
    load_comments(conn, &id, Some(&cid))?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn mentionable(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    text: String,
) -> AppResult<Vec<Mentionable>> {
    let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    let mut query = users::table
        .left_join(
            municipalities::table.on(municipalities::id.nullable().eq(users::municipality_id)),
        )
        .filter(users::active.eq(true))
        .filter(users::district_id.eq(&row.district_id))
        .into_boxed();
    if !text.trim().is_empty() {
        query = query.filter(
            crate::db::lower(users::name)
                .like(crate::db::contains_pattern(&text))
                .escape('\\'),
        );
    }
    let rows: Vec<(crate::users::model::UserRow, Option<String>)> = query
        .select((
            crate::users::model::UserRow::as_select(),
            municipalities::name.nullable(),
        ))
        .order(users::name.asc())
        .limit(50)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(u, _)| {
            policy::can_read_project(
                Some(&u.actor()),
                Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
                &row.visibility,
            )
        })
        .take(10)
        .map(|(u, m)| Mentionable {
            id: u.id,
            name: u.name,
            municipality_name: m,
        })
        .collect::<Vec<_>>())
}

pub fn follow(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<()> {
    visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
    let n: i64 = follows::table
        .filter(follows::user_id.eq(&actor.id))
        .filter(follows::project_id.eq(&id))
        .count()
        .get_result(conn)?;
    if n == 0 {
        diesel::insert_into(follows::table)
            .values((
                follows::user_id.eq(&actor.id),
                follows::project_id.eq(&id),
                follows::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn unfollow(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<()> {
    diesel::delete(
        follows::table
            .filter(follows::user_id.eq(&actor.id))
            .filter(follows::project_id.eq(&id)),
    )
    .execute(conn)?;
    Ok(())
}

/// Similar hints as sent, kept per kind of viewer and request while the `projects`
/// generation stays the same (as the lists): the hints of a project, or of a draft someone
/// pauses over, are scored once.
static SIMILAR: crate::kept::Kept<ListKey> =
    crate::kept::Kept::new(std::time::Duration::from_secs(60), 512);

fn similar_json(
    conn: &mut DbConn,
    actor: &Actor,
    request: String,
    locale: Locale,
    compute: impl FnOnce(&mut DbConn) -> AppResult<Vec<SimilarItem>>,
) -> AppResult<actix_web::web::Bytes> {
    let key: ListKey = (
        Some(actor.role),
        actor.district_id.clone(),
        actor.municipality_id.clone(),
        locale,
        request,
    );
    let current = crate::kept::generation(conn, crate::kept::PROJECTS)?;
    SIMILAR.get_or_compute(key, current, || {
        let items = compute(conn)?;
        serde_json::to_vec(&SimilarList { items }).map_err(|e| AppError::internal(e.to_string()))
    })
}

pub fn similar_for_draft(
    conn: &mut DbConn,
    actor: Actor,
    draft: SimilarRequest,
    locale: Locale,
) -> AppResult<actix_web::web::Bytes> {
    similar_json(conn, &actor, format!("draft {draft:?}"), locale, |conn| {
        let own = actor.municipality_id.clone();
        similar_to(
            conn,
            &actor,
            own.as_deref(),
            draft.exclude_id.as_deref(),
            &draft,
            locale,
        )
    })
}

pub fn similar_for_project(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    locale: Locale,
) -> AppResult<actix_web::web::Bytes> {
    similar_json(conn, &actor, format!("project {id}"), locale, |conn| {
        let row = visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        let f = fields_of(conn, &row)?;
        let draft = SimilarRequest {
            title: f.title,
            summary: f.summary,
            ozg_ids: f.ozg_ids,
            topics: f.topics,
            exclude_id: None,
        };
        similar_to(
            conn,
            &actor,
            Some(&row.municipality_id),
            Some(&row.id),
            &draft,
            locale,
        )
    })
}
