//! HTTP handlers for projects: thin — extract, check the policy, call the queries, respond.
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::model::*;
use super::queries;
use super::visibility::{visible_cases, visible_to, ProjectFilter};
use crate::api::{if_match, with_etag, Body, Page, PageQuery, Paging};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::model::{Actor, Locale, Role};
use crate::auth::policy::{self, Scope};
use crate::auth::CurrentUser;
use crate::db::schema::{
    comments, follows, municipalities, ozg_services, project_ozg_services, project_partners,
    project_topics, project_updates, projects, users,
};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Event};
use crate::export::{self, Cell, Table};
use crate::users::model::utc;

fn locale_of(me: &CurrentUser) -> Locale {
    Locale::parse(&me.user.locale)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicList {
    pub items: Vec<Topic>,
}

/// The controlled list of project topics.
#[utoipa::path(tag = "projects", responses((status = 200, body = TopicList)))]
#[get("/topics")]
pub async fn list_topics(state: web::Data<AppState>, me: CurrentUser) -> AppResult<HttpResponse> {
    let locale = locale_of(&me);
    let items = crate::db::run(&state.pool, move |c| queries::all_topics(c, locale)).await?;
    Ok(HttpResponse::Ok().json(TopicList { items }))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ProjectSort {
    /// Best match first (only with `q`; otherwise like `updated`).
    #[default]
    Relevance,
    Updated,
    Title,
}

#[derive(Debug, Clone, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// German full-text search over title, summary, description and updates.
    pub q: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<ProjectStatus>,
    /// Topic id, e.g. `smart-city`.
    pub topic: Option<String>,
    pub themenfeld_id: Option<i32>,
    pub ozg_id: Option<i32>,
    pub visibility: Option<Visibility>,
    /// Only projects of the caller's own town.
    pub mine: Option<bool>,
    #[param(inline)]
    pub sort: Option<ProjectSort>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// One page of the ids of the projects `viewer` may see that match `q`, in the requested
/// order, and how many match in all. Without a search text the database counts, sorts and
/// pages; with one, the (bounded) hits are ranked here.
fn find_ids(
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
            query = query.filter(c.filter(expr));
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
    // them. Visibility and filters are part of the query, so the total is exact.
    let mut expression: Option<String> = None;
    let mut total: i64 = 0;
    if let Some(c) = &compiled {
        for all in [true, false] {
            let Some(expr) = c.expression(all) else {
                continue;
            };
            total = filtered(Some(expr)).count().get_result(conn)?;
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
    if total == 0 {
        return Ok((0, vec![]));
    }
    let ids = match sort {
        ProjectSort::Relevance => {
            let (c, expr) = (compiled.as_ref().expect("search"), text.expect("search"));
            let rank = c.ranks(conn, expr)?;
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

fn rows_in_order(conn: &mut DbConn, ids: &[String]) -> AppResult<Vec<ProjectRow>> {
    let rows: Vec<ProjectRow> = projects::table
        .filter(projects::id.eq_any(ids))
        .select(ProjectRow::as_select())
        .load(conn)?;
    let mut by_id: std::collections::HashMap<String, ProjectRow> =
        rows.into_iter().map(|r| (r.id.clone(), r)).collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

fn list_page(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    q: &ProjectQuery,
    paging: Paging,
    locale: Locale,
) -> AppResult<Page<ProjectSummary>> {
    let (total, page_ids) = find_ids(conn, viewer, q, paging.offset(), paging.limit)?;
    let rows = rows_in_order(conn, &page_ids)?;
    Ok(Page::new(
        queries::summaries(conn, rows, locale)?,
        paging,
        total,
    ))
}

/// Projects the caller may see, filtered, searched and sorted.
#[utoipa::path(tag = "projects", params(ProjectQuery), responses((status = 200, body = Page<ProjectSummary>)))]
#[get("/projects")]
pub async fn list_projects(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProjectQuery>,
) -> AppResult<HttpResponse> {
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let (actor, locale, q) = (me.actor(), locale_of(&me), q.into_inner());
    let page = crate::db::run(&state.pool, move |c| {
        list_page(c, Some(&actor), &q, paging, locale)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The filtered list (at most 5,000 rows) as a table for the exports.
fn projects_table(
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
    let items = queries::summaries(conn, rows, locale)?;
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

/// The filtered list as CSV for systems and German Excel (semicolons, UTF-8 with BOM).
#[utoipa::path(tag = "projects", params(ProjectQuery), responses((status = 200, content_type = "text/csv", body = String)))]
#[get("/projects/export.csv")]
pub async fn export_projects(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProjectQuery>,
) -> AppResult<HttpResponse> {
    let (actor, locale, q) = (me.actor(), locale_of(&me), q.into_inner());
    let t = crate::db::run(&state.pool, move |c| projects_table(c, &actor, &q, locale)).await?;
    Ok(export::csv_response(t.to_csv()?, "projekte.csv"))
}

/// The filtered list as an Excel workbook for people: AGS and OZG-IDs as text, budgets in
/// euros and dates as numbers and dates.
#[utoipa::path(tag = "projects", params(ProjectQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
#[get("/projects/export.xlsx")]
pub async fn export_projects_xlsx(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProjectQuery>,
) -> AppResult<HttpResponse> {
    let (actor, locale, q) = (me.actor(), locale_of(&me), q.into_inner());
    let t = crate::db::run(&state.pool, move |c| projects_table(c, &actor, &q, locale)).await?;
    Ok(export::xlsx_response(
        t.to_xlsx("Projekte")?,
        "projekte.xlsx",
    ))
}

/// Creates a project for the caller's town (coordinators and admins name the town).
#[utoipa::path(tag = "projects", request_body = ProjectInput, responses(
    (status = 201, body = Project), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects")]
pub async fn create_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<ProjectInput>,
) -> AppResult<HttpResponse> {
    let (actor, locale, input) = (me.actor(), locale_of(&me), body.0);
    let project = crate::db::tx(&state.pool, move |conn| {
        let known = queries::topic_ids(conn)?;
        let fields = ProjectFields::from_input(&input, None, &known)
            .map_err(|e| AppError::Validation(e.0))?;
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
        let id = queries::insert(
            conn,
            &actor,
            queries::NewProject {
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
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        queries::detail(conn, Some(&actor), row, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, project.version, &project))
}

async fn load(state: &AppState, viewer: Option<Actor>, id: String) -> AppResult<ProjectRow> {
    crate::db::run(&state.pool, move |c| {
        queries::visible_project(c, viewer.as_ref(), &id)
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// One project; 404 when the caller may not see it.
#[utoipa::path(tag = "projects", responses((status = 200, body = Project), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}")]
pub async fn get_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let id = id.into_inner();
    let project = crate::db::run(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        queries::detail(conn, Some(&actor), row, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// Edits a project. Requires `If-Match`; a stale version gets 412 and changes nothing.
#[utoipa::path(tag = "projects", request_body = ProjectInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Project), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
#[patch("/projects/{id}")]
pub async fn update_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<ProjectInput>,
) -> AppResult<HttpResponse> {
    let (actor, locale, input) = (me.actor(), locale_of(&me), body.0);
    if input.status.is_some() {
        return Err(AppError::field(
            "status",
            "Den Status bitte über die Statusänderung setzen.",
        ));
    }
    if input.municipality_id.is_some() {
        return Err(AppError::field(
            "municipality_id",
            "Die Kommune eines Projekts lässt sich nicht ändern.",
        ));
    }
    let version = if_match(&req)?;
    let id = id.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        if !queries::can_edit(conn, &actor, &row)? {
            return Err(AppError::Forbidden);
        }
        let base = queries::fields_of(conn, &row)?;
        let known = queries::topic_ids(conn)?;
        let after = ProjectFields::from_input(&input, Some(&base), &known).map_err(|e| AppError::Validation(e.0))?;
        if row.version != version {
            return Err(AppError::PreconditionFailed);
        }
        let changes = queries::update(conn, &actor, &row, version, &after)?;
        audit::record(conn, Some(&actor), Entry {
            action: "project.update",
            object_type: "project",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"fields": changes.iter().map(|c| c["field"].clone()).collect::<Vec<_>>()}),
        })?;
        if !changes.is_empty() {
            events::record(conn, Event {
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
            })?;
        }
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        queries::detail(conn, Some(&actor), row, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: ProjectStatus,
    pub note: Option<String>,
}

/// Moves a project along its life cycle; moves outside it are refused (422, field `status`).
#[utoipa::path(tag = "projects", request_body = StatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Project), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects/{id}/status")]
pub async fn change_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<StatusChange>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let StatusChange { status, note } = body.0;
    let note = note.unwrap_or_default().trim().to_string();
    if note.chars().count() > 1000 {
        return Err(AppError::field("note", "Höchstens 1000 Zeichen."));
    }
    let version = if_match(&req)?;
    let id = id.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        if !queries::can_edit(conn, &actor, &row)? {
            return Err(AppError::Forbidden);
        }
        if row.version != version {
            return Err(AppError::PreconditionFailed);
        }
        let from = row.status();
        queries::change_status(conn, &actor, &row, version, status, &note)?;
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
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        queries::detail(conn, Some(&actor), row, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub from_status: Option<ProjectStatus>,
    pub to_status: ProjectStatus,
    pub note: String,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    pub items: Vec<TimelineEntry>,
}

/// The status history: who moved the project where, and when.
#[utoipa::path(tag = "projects", responses((status = 200, body = Timeline), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/timeline")]
pub async fn project_timeline(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let rows = crate::db::run(&state.pool, move |conn| {
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        queries::timeline(conn, &id)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|(from, to, note, name, at)| TimelineEntry {
            from_status: from.as_deref().and_then(ProjectStatus::parse),
            to_status: ProjectStatus::parse(&to).unwrap_or(ProjectStatus::Idea),
            note,
            changed_by_name: name,
            changed_at: utc(at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Timeline { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    /// The value before: text, a number, a list or null, as the field holds it.
    #[schema(value_type = Value)]
    pub from: serde_json::Value,
    #[schema(value_type = Value)]
    pub to: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionEntry {
    pub version: i32,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub items: Vec<VersionEntry>,
}

/// Every version of the project with what changed, newest first.
#[utoipa::path(tag = "projects", responses((status = 200, body = VersionList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/versions")]
pub async fn project_versions(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let rows = crate::db::run(&state.pool, move |conn| {
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        queries::versions(conn, &id)
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|(version, name, at, changes)| {
            let list: Vec<serde_json::Value> = serde_json::from_str(&changes).unwrap_or_default();
            VersionEntry {
                version,
                changed_by_name: name,
                changed_at: utc(at),
                changes: list
                    .into_iter()
                    .map(|c| FieldChange {
                        field: c["field"].as_str().unwrap_or_default().to_string(),
                        from: c["from"].clone(),
                        to: c["to"].clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(VersionList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerRequest {
    pub municipality_id: String,
    pub role: PartnerRole,
}

/// Adds a partner town. The owning side adds it directly (accepted); an officer
/// of another town asks for their own town (requested, the owner accepts).
#[utoipa::path(tag = "projects", request_body = PartnerRequest, responses(
    (status = 200, body = Project), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/projects/{id}/partners")]
pub async fn add_partner(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<PartnerRequest>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let PartnerRequest {
        municipality_id,
        role,
    } = body.0;
    let id = id.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        if municipality_id == row.municipality_id {
            return Err(AppError::field("municipality_id", "Die eigene Kommune ist kein Partner."));
        }
        let exists: i64 = municipalities::table.find(&municipality_id).count().get_result(conn)?;
        if exists == 0 {
            return Err(AppError::field("municipality_id", "Diese Kommune gibt es nicht."));
        }
        let owner_side = policy::can_edit_project(&actor, Scope::new(Some(&row.district_id), Some(&row.municipality_id)), false);
        let own_town_request = actor.role == Role::Officer && actor.municipality_id.as_deref() == Some(municipality_id.as_str());
        let state_ = if owner_side {
            "accepted"
        } else if own_town_request {
            "requested"
        } else {
            return Err(AppError::Forbidden);
        };
        diesel::delete(
            project_partners::table.filter(project_partners::project_id.eq(&id)).filter(project_partners::municipality_id.eq(&municipality_id)),
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
        audit::record(conn, Some(&actor), Entry {
            action: "project.partner",
            object_type: "project",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"partner": municipality_id, "role": role.as_str(), "state": state_}),
        })?;
        events::record(conn, Event {
            actor_id: Some(&actor.id),
            verb: if state_ == "accepted" { "partner.added" } else { "partner.requested" },
            object_type: "project",
            object_id: &id,
            project_id: Some(&id),
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            visibility: Some(&row.visibility),
            target_user_id: None,
            payload: json!({"partner": municipality_id, "role": role.as_str()}),
        })?;
        queries::detail(conn, Some(&actor), row, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// Accepts a partner town's request (owning side).
#[utoipa::path(tag = "projects", responses((status = 200, body = Project), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/projects/{id}/partners/{municipality_id}/accept")]
pub async fn accept_partner(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let (id, town) = path.into_inner();
    let project = crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
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
        queries::detail(conn, Some(&actor), row, locale)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, project.version, &project))
}

/// Removes a partner town (owning side, or the partner town's officer for their own town).
#[utoipa::path(tag = "projects", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/projects/{id}/partners/{municipality_id}")]
pub async fn remove_partner(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, town) = path.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        let owner_side = policy::can_edit_project(
            &actor,
            Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
            false,
        );
        let own_town =
            actor.role == Role::Officer && actor.municipality_id.as_deref() == Some(town.as_str());
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
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectUpdate {
    pub id: String,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub author_name: Option<String>,
    pub municipality_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateList {
    pub items: Vec<ProjectUpdate>,
}

type UpdateTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    chrono::NaiveDateTime,
);

/// Progress updates (Fortschrittsberichte), newest first.
#[utoipa::path(tag = "projects", responses((status = 200, body = UpdateList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/updates")]
pub async fn list_updates(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let rows: Vec<UpdateTuple> = crate::db::run(&state.pool, move |conn| {
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
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
    })
    .await?;
    let items = rows
        .into_iter()
        .map(
            |(id, title, body, author_name, municipality_name, at)| ProjectUpdate {
                id,
                title,
                body_html: crate::markdown::to_html(&body),
                body,
                author_name,
                municipality_name,
                created_at: utc(at),
            },
        )
        .collect();
    Ok(HttpResponse::Ok().json(UpdateList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUpdate {
    pub title: String,
    pub body: String,
}

/// Posts a progress update (the project's town, accepted partners, coordinators).
#[utoipa::path(tag = "projects", request_body = NewUpdate, responses(
    (status = 201, body = ProjectUpdate), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects/{id}/updates")]
pub async fn create_update(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewUpdate>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let author = me.user.name.clone();
    let NewUpdate { title, body } = body.0;
    let mut e = crate::error::Errors::new();
    let title = title.trim().to_string();
    let body = body.trim().to_string();
    if let Some(problem) = crate::text::single_line_problem(&title) {
        e.push("title", problem);
    } else if title.is_empty() || title.chars().count() > 200 {
        e.push(
            "title",
            "Bitte einen Titel mit höchstens 200 Zeichen angeben.",
        );
    }
    if body.is_empty() || body.chars().count() > 50_000 {
        e.push(
            "body",
            "Bitte einen Text mit höchstens 50 000 Zeichen angeben.",
        );
    }
    e.finish()?;
    let id = id.into_inner();
    let out = crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        if !queries::can_edit(conn, &actor, &row)? {
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
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: String,
    pub update_id: Option<String>,
    pub body: String,
    pub body_html: String,
    pub author_id: Option<String>,
    pub author_name: Option<String>,
    pub municipality_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<Comment>,
}

type CommentTuple = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    chrono::NaiveDateTime,
);

fn load_comments(
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

/// Comments on the project and its updates, oldest first.
#[utoipa::path(tag = "projects", responses((status = 200, body = CommentList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/comments")]
pub async fn list_comments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let items = crate::db::run(&state.pool, move |conn| {
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        load_comments(conn, &id, None)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CommentList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Markdown; mentions are written `@[Name](user-id)`.
    pub body: String,
    pub update_id: Option<String>,
}

/// Comments on a project (or one of its updates). Mentioned users who may see the project get an event.
#[utoipa::path(tag = "projects", request_body = NewComment, responses(
    (status = 201, body = Comment), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects/{id}/comments")]
pub async fn create_comment(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewComment>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let NewComment { body, update_id } = body.0;
    let body = body.trim().to_string();
    if body.is_empty() || body.chars().count() > 20_000 {
        return Err(AppError::field(
            "body",
            "Bitte einen Kommentar mit höchstens 20 000 Zeichen schreiben.",
        ));
    }
    let id = id.into_inner();
    let comment = crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
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
    })
    .await?;
    Ok(HttpResponse::Created().json(comment))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentionQuery {
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Mentionable {
    pub id: String,
    pub name: String,
    pub municipality_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentionableList {
    pub items: Vec<Mentionable>,
}

/// People who may see the project and can be @mentioned in it (at most 10).
#[utoipa::path(tag = "projects", params(MentionQuery), responses((status = 200, body = MentionableList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/mentionable")]
pub async fn mentionable(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    q: web::Query<MentionQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let text = q.into_inner().q.unwrap_or_default();
    let items = crate::db::run(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(MentionableList { items }))
}

/// Follows a project (its news reach the follower's notifications).
#[utoipa::path(tag = "projects", responses((status = 204), (status = 404, body = crate::error::Problem)))]
#[put("/projects/{id}/follow")]
pub async fn follow(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::tx(&state.pool, move |conn| {
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
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
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Stops following a project.
#[utoipa::path(tag = "projects", responses((status = 204), (status = 404, body = crate::error::Problem)))]
#[delete("/projects/{id}/follow")]
pub async fn unfollow(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    crate::db::run(&state.pool, move |conn| {
        diesel::delete(
            follows::table
                .filter(follows::user_id.eq(&actor.id))
                .filter(follows::project_id.eq(&id)),
        )
        .execute(conn)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Public projects, for visitors without an account.
#[utoipa::path(tag = "public", security(()), params(PageQuery), responses((status = 200, body = Page<ProjectSummary>)))]
#[get("/public/projects")]
pub async fn public_projects(
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let paging = q.paging()?;
    let query = ProjectQuery {
        sort: Some(ProjectSort::Updated),
        ..Default::default()
    };
    let page = crate::db::run(&state.pool, move |c| {
        list_page(c, None, &query, paging, Locale::De)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One public project.
#[utoipa::path(tag = "public", security(()), responses((status = 200, body = Project), (status = 404, body = crate::error::Problem)))]
#[get("/public/projects/{id}")]
pub async fn public_project(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let row = load(&state, None, id.into_inner()).await?;
    let project = crate::db::run(&state.pool, move |c| {
        queries::detail(c, None, row, Locale::De)
    })
    .await?;
    Ok(HttpResponse::Ok().json(project))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Atom feed of the 50 most recently changed public projects.
#[utoipa::path(tag = "public", security(()), responses((status = 200, content_type = "application/atom+xml", body = String)))]
#[get("/public/feed.atom")]
pub async fn public_feed(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let base = state.config.public_url.clone();
    let query = ProjectQuery {
        sort: Some(ProjectSort::Updated),
        ..Default::default()
    };
    let page = crate::db::run(&state.pool, move |c| {
        list_page(c, None, &query, Paging { page: 1, limit: 50 }, Locale::De)
    })
    .await?;
    let updated = page
        .items
        .first()
        .map(|p| p.updated_at)
        .unwrap_or_else(chrono::Utc::now);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n");
    xml.push_str("  <title>Digitalnetzwerk – öffentliche Projekte</title>\n");
    xml.push_str(&format!(
        "  <id>{}/api/v1/public/feed.atom</id>\n",
        xml_escape(&base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" href=\"{}/api/v1/public/feed.atom\"/>\n",
        xml_escape(&base)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}/oeffentlich/projekte\"/>\n",
        xml_escape(&base)
    ));
    xml.push_str(&format!(
        "  <updated>{}</updated>\n",
        updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ));
    for p in &page.items {
        let link = format!("{base}/oeffentlich/projekte/{}", p.id);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", xml_escape(&p.title)));
        xml.push_str(&format!("    <id>urn:uuid:{}</id>\n", p.id));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            xml_escape(&link)
        ));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            p.updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ));
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml_escape(&p.municipality.name)
        ));
        xml.push_str(&format!(
            "    <summary>{} ({})</summary>\n",
            xml_escape(&p.summary),
            p.status.label_de()
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .body(xml))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimilarRequest {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub ozg_ids: Vec<i32>,
    /// Topic ids.
    #[serde(default)]
    pub topics: Vec<String>,
    /// A project to leave out (the one being edited).
    pub exclude_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarItem {
    pub project: ProjectSummary,
    pub score: f64,
    /// `{kind: shared_ozg_service, ozg_id}`, `{kind: shared_topic, topic}` or `{kind: similar_words, words}`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<super::similar::Reason>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarList {
    pub items: Vec<SimilarItem>,
}

/// Candidates are the visible projects of other towns; at most this many recent ones are scored.
const SIMILAR_CANDIDATES: i64 = 3000;
const SIMILAR_RESULTS: usize = 5;

fn similar_to(
    conn: &mut DbConn,
    viewer: &Actor,
    own_town: Option<&str>,
    exclude: Option<&str>,
    draft: &SimilarRequest,
    locale: Locale,
) -> AppResult<Vec<SimilarItem>> {
    use super::similar::{features, top_k, Doc};
    let topic_names: std::collections::HashMap<String, String> = queries::all_topics(conn, locale)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let draft_topics: Vec<String> = draft
        .topics
        .iter()
        .filter_map(|t| topic_names.get(t).cloned())
        .collect();
    let draft_features = features(&Doc {
        title: &draft.title,
        summary: &draft.summary,
        ozg_ids: &draft.ozg_ids,
        topics: &draft_topics,
    });
    let mut query = projects::table
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
        .order((projects::updated_at.desc(), projects::id.asc()))
        .limit(SIMILAR_CANDIDATES)
        .load(conn)?;
    // Features are computed once per project version and locale, not on every request.
    let cache = super::similar::FeatureCache::global();
    let missing: Vec<String> = cache.missing(locale, &candidates);
    if !missing.is_empty() {
        let texts: Vec<(String, chrono::NaiveDateTime, String, String)> = projects::table
            .filter(projects::id.eq_any(&missing))
            .select((
                projects::id,
                projects::updated_at,
                projects::title,
                projects::summary,
            ))
            .load(conn)?;
        let mut ozg_of: std::collections::HashMap<String, Vec<i32>> =
            std::collections::HashMap::new();
        for (pid, oid) in project_ozg_services::table
            .filter(project_ozg_services::project_id.eq_any(&missing))
            .select((
                project_ozg_services::project_id,
                project_ozg_services::ozg_id,
            ))
            .load::<(String, i32)>(conn)?
        {
            ozg_of.entry(pid).or_default().push(oid);
        }
        let mut topics_of: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        for (pid, tid) in project_topics::table
            .filter(project_topics::project_id.eq_any(&missing))
            .select((project_topics::project_id, project_topics::topic_id))
            .load::<(String, String)>(conn)?
        {
            topics_of
                .entry(pid)
                .or_default()
                .push(topic_names.get(&tid).cloned().unwrap_or(tid));
        }
        cache.insert(
            locale,
            texts.into_iter().map(|(id, updated_at, title, summary)| {
                let ozg = ozg_of.remove(&id).unwrap_or_default();
                let topics = topics_of.remove(&id).unwrap_or_default();
                let f = features(&Doc {
                    title: &title,
                    summary: &summary,
                    ozg_ids: &ozg,
                    topics: &topics,
                });
                (id, updated_at, f)
            }),
        );
    }
    let feats = cache.get_all(locale, &candidates);
    let best = top_k(
        &draft_features,
        feats.iter().map(|(id, f)| (id.as_str(), f.as_ref())),
        SIMILAR_RESULTS,
    );
    let best_ids: Vec<String> = best.iter().map(|(id, _)| id.to_string()).collect();
    let rows = rows_in_order(conn, &best_ids)?;
    let summaries = queries::summaries(conn, rows, locale)?;
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

/// "Wer baut das schon?": the most similar projects of other towns for a draft, with reasons.
#[utoipa::path(tag = "projects", request_body = SimilarRequest, responses((status = 200, body = SimilarList)))]
#[post("/projects/similar")]
pub async fn similar_for_draft(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<SimilarRequest>,
) -> AppResult<HttpResponse> {
    let (actor, locale, draft) = (me.actor(), locale_of(&me), body.0);
    if draft.title.chars().count() > MAX_TITLE
        || draft.summary.chars().count() > MAX_SUMMARY * 2
        || draft.ozg_ids.len() > 50
    {
        return Err(AppError::field(
            "title",
            "Der Entwurf ist zu lang für einen Vergleich.",
        ));
    }
    let items = crate::db::run(&state.pool, move |conn| {
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
    .await?;
    Ok(HttpResponse::Ok().json(SimilarList { items }))
}

/// Projects of other towns similar to this one.
#[utoipa::path(tag = "projects", responses((status = 200, body = SimilarList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/similar")]
pub async fn similar_for_project(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (actor, locale) = (me.actor(), locale_of(&me));
    let id = id.into_inner();
    let items = crate::db::run(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        let f = queries::fields_of(conn, &row)?;
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
    .await?;
    Ok(HttpResponse::Ok().json(SimilarList { items }))
}
