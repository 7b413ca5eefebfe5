//! HTTP handlers for strategies, goal fields and measures.
use std::collections::HashMap;

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::api::{if_match, Body};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::policy::{self, Scope};
use crate::auth::CurrentUser;
use crate::db::schema::{
    goal_fields, measure_projects, measures, municipalities, projects, strategies, users,
};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::projects::model::ProjectStatus;
use crate::projects::visibility::visible_to;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl MeasureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
            MeasureStatus::Dropped => "dropped",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "in_progress" => MeasureStatus::InProgress,
            "done" => MeasureStatus::Done,
            "dropped" => MeasureStatus::Dropped,
            _ => MeasureStatus::Planned,
        }
    }
    /// planned → in_progress → done; dropped from planned or in progress; a dropped
    /// measure can be planned again.
    pub fn can_move_to(self, to: MeasureStatus) -> bool {
        use MeasureStatus::*;
        matches!(
            (self, to),
            (Planned, InProgress)
                | (InProgress, Done)
                | (Planned | InProgress, Dropped)
                | (Dropped, Planned)
                | (InProgress, Planned)
        )
    }
}

/// Whose strategy: a district's (`municipality_id` None) or a town's.
#[derive(Debug, Clone)]
struct Owner {
    district_id: String,
    municipality_id: Option<String>,
}

impl Owner {
    fn scope(&self) -> Scope<'_> {
        Scope::new(Some(&self.district_id), self.municipality_id.as_deref())
    }
}

fn owner_of(conn: &mut DbConn, kind: &str, id: &str) -> AppResult<Owner> {
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

fn find_strategy(conn: &mut DbConn, o: &Owner) -> AppResult<Option<String>> {
    let mut q = strategies::table
        .filter(strategies::district_id.eq(&o.district_id))
        .into_boxed();
    q = match &o.municipality_id {
        Some(m) => q.filter(strategies::municipality_id.eq(m.clone())),
        None => q.filter(strategies::municipality_id.is_null()),
    };
    Ok(q.select(strategies::id).first(conn).optional()?)
}

fn ensure_strategy(conn: &mut DbConn, o: &Owner) -> AppResult<String> {
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

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedProject {
    pub id: String,
    pub title: String,
    pub status: ProjectStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub owner: Option<UserRef>,
    pub target_date: Option<NaiveDate>,
    pub status: MeasureStatus,
    /// Linked projects the viewer may see.
    pub projects: Vec<LinkedProject>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Progress {
    pub done: i64,
    /// Measures that count (all but dropped ones).
    pub total: i64,
    pub percent: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalField {
    pub id: String,
    pub title: String,
    pub description: String,
    pub position: i32,
    pub progress: Progress,
    pub measures: Vec<Measure>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Strategy {
    pub id: Option<String>,
    pub district_id: String,
    pub municipality_id: Option<String>,
    pub goal_fields: Vec<GoalField>,
    pub progress: Progress,
    pub can_edit: bool,
}

fn progress(done: i64, total: i64) -> Progress {
    let percent = if total == 0 {
        0.0
    } else {
        (done as f64 * 1000.0 / total as f64).round() / 10.0
    };
    Progress {
        done,
        total,
        percent,
    }
}

type MeasureTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    String,
    i32,
);

fn load_view(conn: &mut DbConn, viewer: &Actor, o: &Owner) -> AppResult<Strategy> {
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

/// The strategy of a district (`kind` = `district`) or a town (`kind` = `municipality`), with computed progress.
#[utoipa::path(tag = "strategy", params(("kind" = String, Path, description = "district or municipality")), responses(
    (status = 200, body = Strategy), (status = 404, body = crate::error::Problem)))]
#[get("/strategies/{kind}/{id}")]
pub async fn get_strategy(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (kind, id) = path.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        let o = owner_of(conn, &kind, &id)?;
        if !policy::can_read_strategy(&actor, o.scope()) {
            return Err(AppError::NotFound);
        }
        load_view(conn, &actor, &o)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalFieldInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub position: Option<i32>,
}

fn check_goal_field(i: &GoalFieldInput, create: bool) -> AppResult<()> {
    let mut e = Errors::new();
    match i.title.as_deref().map(str::trim) {
        Some(t) if t.chars().count() >= 2 && t.chars().count() <= 200 => {}
        None if !create => {}
        _ => e.push("title", "Bitte einen Titel mit 2 bis 200 Zeichen angeben."),
    }
    if i.description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 5000)
    {
        e.push("description", "Höchstens 5 000 Zeichen.");
    }
    if i.position.is_some_and(|p| !(0..=1000).contains(&p)) {
        e.push("position", "Die Position liegt zwischen 0 und 1000.");
    }
    e.finish()
}

fn audit_strategy(
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

/// Adds a goal field to a strategy (created on first use).
#[utoipa::path(tag = "strategy", request_body = GoalFieldInput, params(("kind" = String, Path, description = "district or municipality")), responses(
    (status = 201, body = Strategy), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/strategies/{kind}/{id}/goal-fields")]
pub async fn create_goal_field(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: Body<GoalFieldInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (kind, id) = path.into_inner();
    let input = body.0;
    check_goal_field(&input, true)?;
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The owner of a goal field's strategy.
fn owner_of_goal_field(conn: &mut DbConn, goal_field_id: &str) -> AppResult<(Owner, i32)> {
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

fn editable(actor: &Actor, o: &Owner) -> AppResult<()> {
    if !policy::can_read_strategy(actor, o.scope()) {
        return Err(AppError::NotFound);
    }
    if !policy::can_edit_strategy(actor, o.scope()) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Edits a goal field. Requires `If-Match` (the goal field's version).
#[utoipa::path(tag = "strategy", request_body = GoalFieldInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Strategy), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/goal-fields/{id}")]
pub async fn update_goal_field(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<GoalFieldInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    check_goal_field(&input, false)?;
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Deletes a goal field with its measures.
#[utoipa::path(tag = "strategy", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/goal-fields/{id}")]
pub async fn delete_goal_field(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureInput {
    pub title: Option<String>,
    pub owner_user_id: Option<String>,
    pub target_date: Option<NaiveDate>,
    /// Replaces the linked projects.
    pub project_ids: Option<Vec<String>>,
}

fn check_measure(
    conn: &mut DbConn,
    actor: &Actor,
    o: &Owner,
    i: &MeasureInput,
    create: bool,
) -> AppResult<()> {
    let mut e = Errors::new();
    match i.title.as_deref().map(str::trim) {
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

fn write_links(conn: &mut DbConn, measure_id: &str, ids: &[String]) -> AppResult<()> {
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

/// Adds a measure to a goal field.
#[utoipa::path(tag = "strategy", request_body = MeasureInput, responses(
    (status = 201, body = Strategy), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/goal-fields/{id}/measures")]
pub async fn create_measure(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<MeasureInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (gid, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

fn owner_of_measure(conn: &mut DbConn, measure_id: &str) -> AppResult<(Owner, MeasureStatus)> {
    let found: Option<(String, String)> = measures::table
        .find(measure_id)
        .select((measures::goal_field_id, measures::status))
        .first(conn)
        .optional()?;
    let (gid, status) = found.ok_or(AppError::NotFound)?;
    let (o, _) = owner_of_goal_field(conn, &gid)?;
    Ok((o, MeasureStatus::parse(&status)))
}

/// Edits a measure (title, owner, target date, linked projects). Requires `If-Match`.
#[utoipa::path(tag = "strategy", request_body = MeasureInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Strategy), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/measures/{id}")]
pub async fn update_measure(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<MeasureInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureStatusChange {
    pub status: MeasureStatus,
}

/// Moves a measure along planned → in progress → done (or dropped). Requires `If-Match`.
#[utoipa::path(tag = "strategy", request_body = MeasureStatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Strategy), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/measures/{id}/status")]
pub async fn change_measure_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<MeasureStatusChange>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, to) = (id.into_inner(), body.0.status);
    let out = crate::db::tx(&state.pool, move |conn| {
        let (o, from) = owner_of_measure(conn, &id)?;
        editable(&actor, &o)?;
        if !from.can_move_to(to) {
            return Err(AppError::field(
                "status",
                &format!(
                    "Von „{}“ nach „{}“ ist kein erlaubter Schritt.",
                    from.as_str(),
                    to.as_str()
                ),
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Deletes a measure.
#[utoipa::path(tag = "strategy", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/measures/{id}")]
pub async fn delete_measure(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::MeasureStatus::*;

    #[test]
    fn measure_life_cycle() {
        assert!(Planned.can_move_to(InProgress));
        assert!(!Planned.can_move_to(Done));
        assert!(InProgress.can_move_to(Done));
        assert!(!Done.can_move_to(Planned));
        assert!(Dropped.can_move_to(Planned));
    }
}
