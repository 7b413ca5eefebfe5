//! Reading and writing strategies, goal fields, measures and their project links.
use super::model::*;
use crate::db::schema::{
    goal_fields, measure_projects, measures, municipalities, projects, strategies, users,
};
use crate::projects::visibility::visible_to;
use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::policy;
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::projects::model::{LinkedProject, ProjectStatus};

pub fn owner_of(conn: &mut DbConn, kind: &str, id: &str) -> AppResult<Owner> {
    match kind {
        "district" => {
            let n: i64 = crate::db::schema::districts::table
                .find(id)
                .count()
                .get_result(conn)?;
            if n == 0 {
                return Err(AppError::NotFound);
            }
            Ok(Owner {
                district_id: id.to_string(),
                municipality_id: None,
            })
        }
        "municipality" => {
            let d: Option<String> = municipalities::table
                .find(id)
                .select(municipalities::district_id)
                .first(conn)
                .optional()?;
            let d = d.ok_or(AppError::NotFound)?;
            Ok(Owner {
                district_id: d,
                municipality_id: Some(id.to_string()),
            })
        }
        _ => Err(AppError::NotFound),
    }
}

pub fn find_strategy(conn: &mut DbConn, o: &Owner) -> AppResult<Option<String>> {
    let mut q = strategies::table
        .filter(strategies::district_id.eq(&o.district_id))
        .into_boxed();
    q = match &o.municipality_id {
        Some(m) => q.filter(strategies::municipality_id.eq(m.clone())),
        None => q.filter(strategies::municipality_id.is_null()),
    };
    Ok(q.select(strategies::id).first(conn).optional()?)
}

pub fn ensure_strategy(conn: &mut DbConn, o: &Owner) -> AppResult<String> {
    if let Some(id) = find_strategy(conn, o)? {
        return Ok(id);
    }
    let id = new_id();
    let t = now();
    diesel::insert_into(strategies::table)
        .values((
            strategies::id.eq(&id),
            strategies::district_id.eq(&o.district_id),
            strategies::municipality_id.eq(&o.municipality_id),
            strategies::title.eq("Digitalisierungsstrategie"),
            strategies::created_at.eq(t),
            strategies::updated_at.eq(t),
        ))
        .execute(conn)?;
    Ok(id)
}

pub type MeasureTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    String,
    i32,
);

pub fn load_view(conn: &mut DbConn, viewer: &Actor, o: &Owner) -> AppResult<Strategy> {
    let can_edit = policy::can_edit_strategy(viewer, o.scope());
    let Some(sid) = find_strategy(conn, o)? else {
        return Ok(Strategy {
            id: None,
            district_id: o.district_id.clone(),
            municipality_id: o.municipality_id.clone(),
            goal_fields: vec![],
            progress: progress(0, 0),
            can_edit,
        });
    };
    let fields: Vec<(String, String, String, i32, i32)> = goal_fields::table
        .filter(goal_fields::strategy_id.eq(&sid))
        .select((
            goal_fields::id,
            goal_fields::title,
            goal_fields::description,
            goal_fields::position,
            goal_fields::version,
        ))
        .order((goal_fields::position.asc(), goal_fields::id.asc()))
        .load(conn)?;
    let field_ids: Vec<&str> = fields.iter().map(|f| f.0.as_str()).collect();
    let ms: Vec<MeasureTuple> = measures::table
        .filter(measures::goal_field_id.eq_any(&field_ids))
        .select((
            measures::id,
            measures::goal_field_id,
            measures::title,
            measures::owner_user_id,
            measures::target_date,
            measures::status,
            measures::version,
        ))
        .order((
            measures::target_date.asc(),
            measures::title.asc(),
            measures::id.asc(),
        ))
        .load(conn)?;
    let measure_ids: Vec<&str> = ms.iter().map(|m| m.0.as_str()).collect();
    let owner_ids: Vec<String> = ms.iter().filter_map(|m| m.3.clone()).collect();
    let owners: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&owner_ids))
        .select((users::id, users::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let links: Vec<(String, String)> = measure_projects::table
        .filter(measure_projects::measure_id.eq_any(&measure_ids))
        .select((measure_projects::measure_id, measure_projects::project_id))
        .load(conn)?;
    let project_ids: Vec<&str> = links.iter().map(|l| l.1.as_str()).collect();
    // Linked projects obey the visibility rule like everything else.
    let visible: HashMap<String, (String, String)> = projects::table
        .filter(visible_to(Some(viewer)))
        .filter(projects::id.eq_any(&project_ids))
        .select((projects::id, projects::title, projects::status))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, t, s)| (id, (t, s)))
        .collect();
    let mut projects_of: HashMap<String, Vec<LinkedProject>> = HashMap::new();
    for (m, p) in links {
        if let Some((title, status)) = visible.get(&p) {
            projects_of.entry(m).or_default().push(LinkedProject {
                id: p,
                title: title.clone(),
                status: ProjectStatus::parse(status).unwrap_or(ProjectStatus::Idea),
            });
        }
    }
    let mut by_field: HashMap<String, Vec<Measure>> = HashMap::new();
    for (id, field, title, owner, target_date, status, version) in ms {
        let mut linked = projects_of.remove(&id).unwrap_or_default();
        linked.sort_by(|a, b| a.title.cmp(&b.title));
        by_field.entry(field).or_default().push(Measure {
            owner: owner.and_then(|o| {
                owners.get(&o).map(|n| UserRef {
                    id: o.clone(),
                    name: n.clone(),
                })
            }),
            projects: linked,
            status: MeasureStatus::parse(&status),
            id,
            title,
            target_date,
            version,
        });
    }
    let (mut all_done, mut all_total) = (0, 0);
    let goal_fields = fields
        .into_iter()
        .map(|(id, title, description, position, version)| {
            let measures = by_field.remove(&id).unwrap_or_default();
            let total = measures
                .iter()
                .filter(|m| m.status != MeasureStatus::Dropped)
                .count() as i64;
            let done = measures
                .iter()
                .filter(|m| m.status == MeasureStatus::Done)
                .count() as i64;
            all_done += done;
            all_total += total;
            GoalField {
                id,
                title,
                description,
                position,
                progress: progress(done, total),
                measures,
                version,
            }
        })
        .collect();
    Ok(Strategy {
        id: Some(sid),
        district_id: o.district_id.clone(),
        municipality_id: o.municipality_id.clone(),
        goal_fields,
        progress: progress(all_done, all_total),
        can_edit,
    })
}

pub fn audit_strategy(
    conn: &mut DbConn,
    actor: &Actor,
    o: &Owner,
    action: &str,
    object_type: &str,
    object_id: &str,
    summary: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        conn,
        Some(actor),
        Entry {
            action,
            object_type,
            object_id,
            district_id: Some(&o.district_id),
            municipality_id: o.municipality_id.as_deref(),
            summary,
        },
    )
}

/// The owner of a goal field's strategy.
pub fn owner_of_goal_field(conn: &mut DbConn, goal_field_id: &str) -> AppResult<(Owner, i32)> {
    let found: Option<(String, Option<String>, i32)> = goal_fields::table
        .inner_join(strategies::table)
        .filter(goal_fields::id.eq(goal_field_id))
        .select((
            strategies::district_id,
            strategies::municipality_id,
            goal_fields::version,
        ))
        .first(conn)
        .optional()?;
    let (district_id, municipality_id, version) = found.ok_or(AppError::NotFound)?;
    Ok((
        Owner {
            district_id,
            municipality_id,
        },
        version,
    ))
}

pub fn check_measure(
    conn: &mut DbConn,
    actor: &Actor,
    o: &Owner,
    i: &MeasureInput,
    create: bool,
) -> AppResult<()> {
    let mut e = Errors::new();
    match i.title.as_deref().map(str::trim) {
        Some(t) if !crate::text::check_line(&mut e, "title", t) => {}
        Some(t) if t.chars().count() >= 2 && t.chars().count() <= 300 => {}
        None if !create => {}
        _ => e.push("title", "Bitte einen Titel mit 2 bis 300 Zeichen angeben."),
    }
    if let Some(u) = &i.owner_user_id {
        let n: i64 = users::table
            .filter(users::id.eq(u))
            .filter(users::district_id.eq(&o.district_id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            e.push(
                "owner_user_id",
                "Verantwortlich kann nur jemand aus dem Kreis sein.",
            );
        }
    }
    if let Some(ids) = &i.project_ids {
        let ok: i64 = projects::table
            .filter(visible_to(Some(actor)))
            .filter(projects::district_id.eq(&o.district_id))
            .filter(projects::id.eq_any(ids))
            .count()
            .get_result(conn)?;
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        if ok != unique.len() as i64 {
            e.push(
                "project_ids",
                "Verknüpfen lassen sich nur sichtbare Projekte des Kreises.",
            );
        }
    }
    e.finish()
}

pub fn write_links(conn: &mut DbConn, measure_id: &str, ids: &[String]) -> AppResult<()> {
    diesel::delete(measure_projects::table.filter(measure_projects::measure_id.eq(measure_id)))
        .execute(conn)?;
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    for p in unique {
        diesel::insert_into(measure_projects::table)
            .values((
                measure_projects::measure_id.eq(measure_id),
                measure_projects::project_id.eq(p),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn owner_of_measure(conn: &mut DbConn, measure_id: &str) -> AppResult<(Owner, MeasureStatus)> {
    let found: Option<(String, String)> = measures::table
        .find(measure_id)
        .select((measures::goal_field_id, measures::status))
        .first(conn)
        .optional()?;
    let (gid, status) = found.ok_or(AppError::NotFound)?;
    let (o, _) = owner_of_goal_field(conn, &gid)?;
    Ok((o, MeasureStatus::parse(&status)))
}

pub fn strategy_view(
    conn: &mut DbConn,
    actor: Actor,
    kind: String,
    id: String,
) -> AppResult<Strategy> {
    let o = owner_of(conn, &kind, &id)?;
    if !policy::can_read_strategy(&actor, o.scope()) {
        return Err(AppError::NotFound);
    }
    load_view(conn, &actor, &o)
}

pub fn create_goal_field(
    conn: &mut DbConn,
    actor: Actor,
    kind: String,
    id: String,
    input: GoalFieldInput,
) -> AppResult<Strategy> {
    let o = owner_of(conn, &kind, &id)?;
    if !policy::can_read_strategy(&actor, o.scope()) {
        return Err(AppError::NotFound);
    }
    if !policy::can_edit_strategy(&actor, o.scope()) {
        return Err(AppError::Forbidden);
    }
    let sid = ensure_strategy(conn, &o)?;
    let next: Option<i32> = goal_fields::table
        .filter(goal_fields::strategy_id.eq(&sid))
        .select(diesel::dsl::max(goal_fields::position))
        .first(conn)?;
    let gid = new_id();
    let t = now();
    let title = input.title.clone().unwrap_or_default().trim().to_string();
    diesel::insert_into(goal_fields::table)
        .values((
            goal_fields::id.eq(&gid),
            goal_fields::strategy_id.eq(&sid),
            goal_fields::title.eq(&title),
            goal_fields::description.eq(input.description.clone().unwrap_or_default()),
            goal_fields::position.eq(input.position.unwrap_or(next.unwrap_or(0) + 1)),
            goal_fields::created_at.eq(t),
            goal_fields::updated_at.eq(t),
            goal_fields::version.eq(1),
        ))
        .execute(conn)?;
    audit_strategy(
        conn,
        &actor,
        &o,
        "strategy.goal_field_create",
        "goal_field",
        &gid,
        json!({"title": title}),
    )?;
    load_view(conn, &actor, &o)
}

pub fn update_goal_field(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    input: GoalFieldInput,
) -> AppResult<Strategy> {
    let (o, _) = owner_of_goal_field(conn, &id)?;
    editable(&actor, &o)?;
    let (title, description, position): (String, String, i32) = goal_fields::table
        .find(&id)
        .select((
            goal_fields::title,
            goal_fields::description,
            goal_fields::position,
        ))
        .first(conn)?;
    let n = diesel::update(
        goal_fields::table
            .find(&id)
            .filter(goal_fields::version.eq(version)),
    )
    .set((
        goal_fields::title.eq(input
            .title
            .clone()
            .map(|t| t.trim().to_string())
            .unwrap_or(title)),
        goal_fields::description.eq(input.description.clone().unwrap_or(description)),
        goal_fields::position.eq(input.position.unwrap_or(position)),
        goal_fields::updated_at.eq(now()),
        goal_fields::version.eq(goal_fields::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    audit_strategy(
        conn,
        &actor,
        &o,
        "strategy.goal_field_update",
        "goal_field",
        &id,
        json!({}),
    )?;
    load_view(conn, &actor, &o)
}

pub fn delete_goal_field(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<()> {
    let (o, _) = owner_of_goal_field(conn, &id)?;
    editable(&actor, &o)?;
    let ms: Vec<String> = measures::table
        .filter(measures::goal_field_id.eq(&id))
        .select(measures::id)
        .load(conn)?;
    diesel::delete(measure_projects::table.filter(measure_projects::measure_id.eq_any(&ms)))
        .execute(conn)?;
    diesel::delete(measures::table.filter(measures::goal_field_id.eq(&id))).execute(conn)?;
    diesel::delete(goal_fields::table.find(&id)).execute(conn)?;
    audit_strategy(
        conn,
        &actor,
        &o,
        "strategy.goal_field_delete",
        "goal_field",
        &id,
        json!({"measures": ms.len()}),
    )
}

pub fn create_measure(
    conn: &mut DbConn,
    actor: Actor,
    gid: String,
    input: MeasureInput,
) -> AppResult<Strategy> {
    let (o, _) = owner_of_goal_field(conn, &gid)?;
    editable(&actor, &o)?;
    check_measure(conn, &actor, &o, &input, true)?;
    let mid = new_id();
    let t = now();
    let title = input.title.clone().unwrap_or_default().trim().to_string();
    diesel::insert_into(measures::table)
        .values((
            measures::id.eq(&mid),
            measures::goal_field_id.eq(&gid),
            measures::title.eq(&title),
            measures::owner_user_id.eq(&input.owner_user_id),
            measures::target_date.eq(input.target_date),
            measures::status.eq(MeasureStatus::Planned.as_str()),
            measures::created_at.eq(t),
            measures::updated_at.eq(t),
            measures::version.eq(1),
        ))
        .execute(conn)?;
    write_links(conn, &mid, input.project_ids.as_deref().unwrap_or(&[]))?;
    audit_strategy(
        conn,
        &actor,
        &o,
        "strategy.measure_create",
        "measure",
        &mid,
        json!({"title": title}),
    )?;
    load_view(conn, &actor, &o)
}

pub fn update_measure(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    input: MeasureInput,
) -> AppResult<Strategy> {
    let (o, _) = owner_of_measure(conn, &id)?;
    editable(&actor, &o)?;
    check_measure(conn, &actor, &o, &input, false)?;
    let (title, owner, target): (String, Option<String>, Option<NaiveDate>) = measures::table
        .find(&id)
        .select((
            measures::title,
            measures::owner_user_id,
            measures::target_date,
        ))
        .first(conn)?;
    let n = diesel::update(
        measures::table
            .find(&id)
            .filter(measures::version.eq(version)),
    )
    .set((
        measures::title.eq(input
            .title
            .clone()
            .map(|t| t.trim().to_string())
            .unwrap_or(title)),
        measures::owner_user_id.eq(input.owner_user_id.clone().or(owner)),
        measures::target_date.eq(input.target_date.or(target)),
        measures::updated_at.eq(now()),
        measures::version.eq(measures::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    if let Some(ids) = &input.project_ids {
        write_links(conn, &id, ids)?;
    }
    audit_strategy(
        conn,
        &actor,
        &o,
        "strategy.measure_update",
        "measure",
        &id,
        json!({}),
    )?;
    load_view(conn, &actor, &o)
}

pub fn change_measure_status(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    to: MeasureStatus,
) -> AppResult<Strategy> {
    let (o, from) = owner_of_measure(conn, &id)?;
    editable(&actor, &o)?;
    if !from.can_move_to(to) {
        return Err(crate::api::not_a_step(
            "measure",
            from.as_str(),
            to.as_str(),
            "",
        ));
    }
    let n = diesel::update(
        measures::table
            .find(&id)
            .filter(measures::version.eq(version)),
    )
    .set((
        measures::status.eq(to.as_str()),
        measures::updated_at.eq(now()),
        measures::version.eq(measures::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    audit_strategy(
        conn,
        &actor,
        &o,
        "strategy.measure_status",
        "measure",
        &id,
        json!({"from": from.as_str(), "to": to.as_str()}),
    )?;
    load_view(conn, &actor, &o)
}

pub fn delete_measure(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<()> {
    let (o, _) = owner_of_measure(conn, &id)?;
    editable(&actor, &o)?;
    diesel::delete(measure_projects::table.filter(measure_projects::measure_id.eq(&id)))
        .execute(conn)?;
    diesel::delete(measures::table.find(&id)).execute(conn)?;
    audit_strategy(
        conn,
        &actor,
        &o,
        "strategy.measure_delete",
        "measure",
        &id,
        json!({}),
    )
}
