//! HTTP handlers for support requests: queue, request page, messages, assignment, status, workload.
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::model::*;
use crate::api::{if_match, with_etag, Body, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::model::{Actor, Role};
use crate::auth::policy::{self, Scope};
use crate::auth::CurrentUser;
use crate::db::schema::{
    application_shares, funding_applications, municipalities, project_partners, support_messages,
    support_requests, users,
};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::events::{self, Event};
use crate::users::model::utc;

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportRequest {
    pub id: String,
    pub municipality_id: String,
    pub municipality_name: String,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub urgency: Urgency,
    pub wished_date: Option<NaiveDate>,
    pub project_id: Option<String>,
    /// A funding application of the district the request is about.
    pub application_id: Option<String>,
    pub application_title: Option<String>,
    pub status: SupportStatus,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
    pub opened_by_name: Option<String>,
    pub decline_reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub first_response_at: Option<chrono::DateTime<chrono::Utc>>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Minutes from opening to the first public reply of the district.
    pub response_minutes: Option<i64>,
    /// Minutes from opening to resolution.
    pub resolution_minutes: Option<i64>,
    pub overdue: bool,
    /// What the caller may do.
    pub can_triage: bool,
    pub next_statuses: Vec<SupportStatus>,
    pub version: i32,
}

pub(crate) fn scope(r: &RequestRow) -> Scope<'_> {
    Scope::new(Some(&r.district_id), Some(&r.municipality_id))
}

fn requests_out(
    conn: &mut DbConn,
    viewer: &Actor,
    rows: Vec<RequestRow>,
    overdue_days: u32,
) -> AppResult<Vec<SupportRequest>> {
    let rule = OverdueRule::load(conn, overdue_days)?;
    let town_ids: Vec<&str> = rows.iter().map(|r| r.municipality_id.as_str()).collect();
    let towns: HashMap<String, String> = municipalities::table
        .filter(municipalities::id.eq_any(&town_ids))
        .select((municipalities::id, municipalities::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let user_ids: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r.assignee_id.as_deref(), r.opened_by.as_deref()])
        .flatten()
        .collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let application_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.application_id.as_deref())
        .collect();
    let applications: HashMap<String, String> = if application_ids.is_empty() {
        HashMap::new()
    } else {
        funding_applications::table
            .filter(funding_applications::id.eq_any(&application_ids))
            .select((funding_applications::id, funding_applications::title))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect()
    };
    let today = crate::db::today();
    Ok(rows
        .into_iter()
        .map(|r| {
            let can_triage = policy::can_triage_support(viewer, scope(&r));
            let status = r.status();
            let next: Vec<SupportStatus> = if can_triage {
                SupportStatus::ALL
                    .into_iter()
                    .filter(|s| status.can_move_to(*s))
                    .collect()
            } else {
                vec![]
            };
            SupportRequest {
                municipality_name: towns.get(&r.municipality_id).cloned().unwrap_or_default(),
                assignee_name: r.assignee_id.as_ref().and_then(|a| names.get(a).cloned()),
                opened_by_name: r.opened_by.as_ref().and_then(|a| names.get(a).cloned()),
                category: Category::parse(&r.category),
                urgency: Urgency::parse(&r.urgency),
                response_minutes: r
                    .first_response_at
                    .map(|t| (t - r.created_at).num_minutes()),
                resolution_minutes: r.resolved_at.map(|t| (t - r.created_at).num_minutes()),
                overdue: rule.is_overdue(&r, today),
                created_at: utc(r.created_at),
                first_response_at: r.first_response_at.map(utc),
                resolved_at: r.resolved_at.map(utc),
                can_triage,
                next_statuses: next,
                status,
                id: r.id,
                municipality_id: r.municipality_id,
                title: r.title,
                description: r.description,
                wished_date: r.wished_date,
                project_id: r.project_id,
                application_title: r
                    .application_id
                    .as_ref()
                    .and_then(|a| applications.get(a).cloned()),
                application_id: r.application_id,
                assignee_id: r.assignee_id,
                decline_reason: r.decline_reason,
                version: r.version,
            }
        })
        .collect())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupportQuery {
    #[param(inline)]
    pub status: Option<SupportStatus>,
    #[param(inline)]
    pub category: Option<Category>,
    pub municipality_id: Option<String>,
    pub assignee_id: Option<String>,
    /// Only overdue requests.
    pub overdue: Option<bool>,
    /// Only open requests (not resolved or declined).
    pub open: Option<bool>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The requests `actor` may see that match the filters of `q` (all but `overdue`).
fn filtered<'a>(
    actor: &Actor,
    q: &'a SupportQuery,
) -> support_requests::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut query = support_requests::table.into_boxed();
    query = match actor.role {
        Role::Admin => query,
        Role::Coordinator => query.filter(
            support_requests::district_id.eq(actor.district_id.clone().unwrap_or_default()),
        ),
        _ => query.filter(
            support_requests::municipality_id.eq(actor.municipality_id.clone().unwrap_or_default()),
        ),
    };
    if let Some(s) = q.status {
        query = query.filter(support_requests::status.eq(s.as_str()));
    }
    if q.open == Some(true) {
        query = query.filter(support_requests::status.ne_all(["resolved", "declined"]));
    }
    if let Some(c) = q.category {
        query = query.filter(support_requests::category.eq(c.as_str()));
    }
    if let Some(m) = &q.municipality_id {
        query = query.filter(support_requests::municipality_id.eq(m));
    }
    if let Some(a) = &q.assignee_id {
        query = query.filter(support_requests::assignee_id.eq(a));
    }
    query
}

/// The requests the caller may see: coordinators their district's queue, towns their own.
#[utoipa::path(tag = "support", params(SupportQuery), responses((status = 200, body = Page<SupportRequest>)))]
#[get("/support/requests")]
pub async fn list_requests(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<SupportQuery>,
) -> AppResult<HttpResponse> {
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let (actor, q) = (me.actor(), q.into_inner());
    let days = state.config.support_overdue_working_days;
    let page = crate::db::run(&state.pool, move |conn| {
        let order = (
            support_requests::created_at.desc(),
            support_requests::id.asc(),
        );
        if q.overdue != Some(true) {
            let total = filtered(&actor, &q).count().get_result(conn)?;
            let rows: Vec<RequestRow> = filtered(&actor, &q)
                .select(RequestRow::as_select())
                .order(order)
                .limit(paging.limit)
                .offset(paging.offset())
                .load(conn)?;
            return Ok(Page::new(
                requests_out(conn, &actor, rows, days)?,
                paging,
                total,
            ));
        }
        // Overdue depends on working days and holidays, so it is decided in Rust, over the
        // open requests that lack a first answer or are past their wished-for date.
        let today = crate::db::today();
        let candidates: Vec<RequestRow> = filtered(&actor, &q)
            .filter(support_requests::status.ne_all(["resolved", "declined"]))
            .filter(
                support_requests::first_response_at
                    .is_null()
                    .or(support_requests::wished_date.lt(today)),
            )
            .select(RequestRow::as_select())
            .order(order)
            .load(conn)?;
        let rule = OverdueRule::load(conn, days)?;
        let overdue: Vec<RequestRow> = candidates
            .into_iter()
            .filter(|r| rule.is_overdue(r, today))
            .collect();
        let total = overdue.len() as i64;
        let page_rows: Vec<RequestRow> = overdue
            .into_iter()
            .skip(paging.offset() as usize)
            .take(paging.limit as usize)
            .collect();
        Ok(Page::new(
            requests_out(conn, &actor, page_rows, days)?,
            paging,
            total,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    pub category: Category,
    pub title: String,
    pub description: String,
    pub urgency: Option<Urgency>,
    pub wished_date: Option<NaiveDate>,
    pub project_id: Option<String>,
    /// A funding application of the same district.
    pub application_id: Option<String>,
    /// Defaults to the caller's town.
    pub municipality_id: Option<String>,
}

/// Opens a request for the caller's town.
#[utoipa::path(tag = "support", request_body = NewRequest, responses(
    (status = 201, body = SupportRequest), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/support/requests")]
pub async fn create_request(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<NewRequest>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let b = body.0;
    let mut e = Errors::new();
    let title = b.title.trim().to_string();
    let description = b.description.trim().to_string();
    if title.chars().count() < 3 || title.chars().count() > 200 {
        e.push("title", "Bitte einen Titel mit 3 bis 200 Zeichen angeben.");
    }
    if description.is_empty() || description.chars().count() > 20_000 {
        e.push(
            "description",
            "Bitte beschreiben, wobei Sie Unterstützung brauchen (höchstens 20 000 Zeichen).",
        );
    }
    if b.wished_date.is_some_and(|d| d < crate::db::today()) {
        e.push(
            "wished_date",
            "Der Wunschtermin liegt in der Vergangenheit.",
        );
    }
    e.finish()?;
    let days = state.config.support_overdue_working_days;
    let out = crate::db::tx(&state.pool, move |conn| {
        let town = b
            .municipality_id
            .clone()
            .or(actor.municipality_id.clone())
            .ok_or_else(|| AppError::field("municipality_id", "Bitte die Kommune wählen."))?;
        let district: Option<String> = municipalities::table
            .find(&town)
            .select(municipalities::district_id)
            .first(conn)
            .optional()?;
        let Some(district) = district else {
            return Err(AppError::field(
                "municipality_id",
                "Diese Kommune gibt es nicht.",
            ));
        };
        if !policy::can_open_support(&actor, Scope::new(Some(&district), Some(&town))) {
            return Err(AppError::Forbidden);
        }
        if let Some(p) = &b.project_id {
            let Some(project) = crate::projects::queries::visible_project(conn, Some(&actor), p)?
            else {
                return Err(AppError::field(
                    "project_id",
                    "Dieses Projekt gibt es nicht.",
                ));
            };
            let partner: i64 = project_partners::table
                .filter(project_partners::project_id.eq(p))
                .filter(project_partners::municipality_id.eq(&town))
                .count()
                .get_result(conn)?;
            if project.municipality_id != town && partner == 0 {
                return Err(AppError::field(
                    "project_id",
                    "Das Projekt gehört weder dieser Kommune, noch wirkt sie daran mit.",
                ));
            }
        }
        if let Some(a) = &b.application_id {
            let found: Option<(String, String)> = funding_applications::table
                .find(a)
                .select((
                    funding_applications::district_id,
                    funding_applications::lead_municipality_id,
                ))
                .first(conn)
                .optional()?;
            let Some((_, lead)) = found.filter(|(d, _)| *d == district) else {
                return Err(AppError::field(
                    "application_id",
                    "Diesen Förderantrag gibt es im Landkreis nicht.",
                ));
            };
            let share: i64 = application_shares::table
                .filter(application_shares::application_id.eq(a))
                .filter(application_shares::municipality_id.eq(&town))
                .count()
                .get_result(conn)?;
            if lead != town && share == 0 {
                return Err(AppError::field(
                    "application_id",
                    "Diese Kommune ist an dem Förderantrag nicht beteiligt.",
                ));
            }
        }
        let id = new_id();
        let t = now();
        diesel::insert_into(support_requests::table)
            .values((
                support_requests::id.eq(&id),
                support_requests::municipality_id.eq(&town),
                support_requests::district_id.eq(&district),
                support_requests::opened_by.eq(Some(&actor.id)),
                support_requests::category.eq(b.category.as_str()),
                support_requests::title.eq(&title),
                support_requests::description.eq(&description),
                support_requests::urgency.eq(b.urgency.unwrap_or_default().as_str()),
                support_requests::wished_date.eq(b.wished_date),
                support_requests::project_id.eq(&b.project_id),
                support_requests::application_id.eq(&b.application_id),
                support_requests::status.eq(SupportStatus::Open.as_str()),
                support_requests::created_at.eq(t),
                support_requests::updated_at.eq(t),
                support_requests::version.eq(1),
            ))
            .execute(conn)?;
        record(
            conn,
            &actor,
            &district,
            &town,
            &id,
            "support.open",
            "support.opened",
            json!({"title": title, "category": b.category.as_str()}),
            None,
        )?;
        let row = load(conn, &id)?;
        requests_out(conn, &actor, vec![row], days)?
            .pop()
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, out.version, &out))
}

#[allow(clippy::too_many_arguments)]
fn record(
    conn: &mut DbConn,
    actor: &Actor,
    district: &str,
    town: &str,
    id: &str,
    action: &str,
    verb: &str,
    summary: serde_json::Value,
    target: Option<&str>,
) -> AppResult<()> {
    audit::record(
        conn,
        Some(actor),
        Entry {
            action,
            object_type: "support_request",
            object_id: id,
            district_id: Some(district),
            municipality_id: Some(town),
            summary: summary.clone(),
        },
    )?;
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb,
            object_type: "support_request",
            object_id: id,
            project_id: None,
            district_id: Some(district),
            municipality_id: Some(town),
            visibility: None,
            target_user_id: target,
            payload: summary,
        },
    )
}

fn load(conn: &mut DbConn, id: &str) -> AppResult<RequestRow> {
    support_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub(crate) fn load_readable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<RequestRow> {
    let r = load(conn, id)?;
    if !policy::can_read_support(actor, scope(&r)) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportMessage {
    pub id: String,
    pub author_name: Option<String>,
    /// Internal notes are visible only to coordinators.
    pub internal: bool,
    pub body: String,
    pub body_html: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportRequestDetail {
    #[serde(flatten)]
    pub request: SupportRequest,
    pub messages: Vec<SupportMessage>,
}

fn messages(
    conn: &mut DbConn,
    request_id: &str,
    with_internal: bool,
) -> AppResult<Vec<SupportMessage>> {
    let mut q = support_messages::table
        .left_join(users::table.on(users::id.nullable().eq(support_messages::author_id)))
        .filter(support_messages::request_id.eq(request_id))
        .into_boxed();
    if !with_internal {
        q = q.filter(support_messages::internal.eq(false));
    }
    let rows: Vec<(String, Option<String>, bool, String, chrono::NaiveDateTime)> = q
        .select((
            support_messages::id,
            users::name.nullable(),
            support_messages::internal,
            support_messages::body,
            support_messages::created_at,
        ))
        .order((
            support_messages::created_at.asc(),
            support_messages::id.asc(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, author_name, internal, body, at)| SupportMessage {
            id,
            author_name,
            internal,
            body_html: crate::markdown::to_html(&body),
            body,
            created_at: utc(at),
        })
        .collect())
}

/// One request with its conversation (internal notes only for coordinators).
#[utoipa::path(tag = "support", responses((status = 200, body = SupportRequestDetail), (status = 404, body = crate::error::Problem)))]
#[get("/support/requests/{id}")]
pub async fn get_request(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let days = state.config.support_overdue_working_days;
    let out = crate::db::run(&state.pool, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        let internal = policy::can_triage_support(&actor, scope(&r));
        let messages = messages(conn, &id, internal)?;
        let request = requests_out(conn, &actor, vec![r], days)?
            .pop()
            .ok_or(AppError::NotFound)?;
        Ok(SupportRequestDetail { request, messages })
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.request.version, &out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub body: String,
    /// An internal note (coordinators only).
    #[serde(default)]
    pub internal: bool,
}

/// Adds a public reply or an internal note. The district's first public reply sets the response time.
#[utoipa::path(tag = "support", request_body = NewMessage, responses(
    (status = 201, body = SupportMessage), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/support/requests/{id}/messages")]
pub async fn add_message(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewMessage>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let author = me.user.name.clone();
    let (id, m) = (id.into_inner(), body.0);
    let text = m.body.trim().to_string();
    if text.is_empty() || text.chars().count() > 20_000 {
        return Err(AppError::field(
            "body",
            "Bitte einen Text mit höchstens 20 000 Zeichen schreiben.",
        ));
    }
    let out = crate::db::tx(&state.pool, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        let triage = policy::can_triage_support(&actor, scope(&r));
        if m.internal && !triage {
            return Err(AppError::Forbidden);
        }
        if !m.internal && !policy::can_reply_support(&actor, scope(&r)) {
            return Err(AppError::Forbidden);
        }
        let mid = new_id();
        let t = now();
        diesel::insert_into(support_messages::table)
            .values((
                support_messages::id.eq(&mid),
                support_messages::request_id.eq(&id),
                support_messages::author_id.eq(Some(&actor.id)),
                support_messages::internal.eq(m.internal),
                support_messages::body.eq(&text),
                support_messages::created_at.eq(t),
            ))
            .execute(conn)?;
        if triage && !m.internal && r.first_response_at.is_none() {
            diesel::update(support_requests::table.find(&id))
                .set(support_requests::first_response_at.eq(Some(t)))
                .execute(conn)?;
        }
        diesel::update(support_requests::table.find(&id))
            .set(support_requests::updated_at.eq(t))
            .execute(conn)?;
        let (action, verb) = if m.internal {
            ("support.note", "support.noted")
        } else {
            ("support.reply", "support.replied")
        };
        // Internal notes leave no event the town could be told about.
        if m.internal {
            audit::record(
                conn,
                Some(&actor),
                Entry {
                    action,
                    object_type: "support_request",
                    object_id: &id,
                    district_id: Some(&r.district_id),
                    municipality_id: Some(&r.municipality_id),
                    summary: json!({"internal": true}),
                },
            )?;
        } else {
            let excerpt: String = crate::markdown::to_plain(&text).chars().take(300).collect();
            record(
                conn,
                &actor,
                &r.district_id,
                &r.municipality_id,
                &id,
                action,
                verb,
                json!({"excerpt": excerpt}),
                None,
            )?;
        }
        Ok(SupportMessage {
            id: mid,
            author_name: Some(author),
            internal: m.internal,
            body_html: crate::markdown::to_html(&text),
            body: text,
            created_at: utc(t),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// A coordinator of the district (self-assignment allowed).
    pub assignee_id: String,
}

/// Assigns the request to a coordinator of the district (coordinators; self-assignment allowed).
#[utoipa::path(tag = "support", request_body = Assignment, params(("If-Match" = String, Header)), responses(
    (status = 200, body = SupportRequest), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[post("/support/requests/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<Assignment>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, a) = (id.into_inner(), body.0);
    let days = state.config.support_overdue_working_days;
    let out = crate::db::tx(&state.pool, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        if !policy::can_triage_support(&actor, scope(&r)) {
            return Err(AppError::Forbidden);
        }
        if r.version != version {
            return Err(AppError::PreconditionFailed);
        }
        if r.status().is_closed() {
            return Err(AppError::field(
                "assignee_id",
                "Erledigte Anfragen werden nicht mehr zugewiesen.",
            ));
        }
        let ok: i64 = users::table
            .filter(users::id.eq(&a.assignee_id))
            .filter(users::role.eq("coordinator"))
            .filter(users::district_id.eq(&r.district_id))
            .filter(users::active.eq(true))
            .count()
            .get_result(conn)?;
        if ok == 0 {
            return Err(AppError::field(
                "assignee_id",
                "Zuweisen lässt sich nur an die Kreis-Koordination dieses Kreises.",
            ));
        }
        let status = if r.status() == SupportStatus::Open {
            SupportStatus::Assigned
        } else {
            r.status()
        };
        let n = diesel::update(
            support_requests::table
                .find(&id)
                .filter(support_requests::version.eq(version)),
        )
        .set((
            support_requests::assignee_id.eq(Some(&a.assignee_id)),
            support_requests::status.eq(status.as_str()),
            support_requests::updated_at.eq(now()),
            support_requests::version.eq(support_requests::version + 1),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::PreconditionFailed);
        }
        record(
            conn,
            &actor,
            &r.district_id,
            &r.municipality_id,
            &id,
            "support.assign",
            "support.assigned",
            json!({"assignee_id": a.assignee_id}),
            Some(&a.assignee_id),
        )?;
        let row = load(conn, &id)?;
        requests_out(conn, &actor, vec![row], days)?
            .pop()
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportStatusChange {
    pub status: SupportStatus,
    /// Required when declining.
    pub reason: Option<String>,
}

/// Moves the request along its life cycle (coordinators). Declining needs a reason.
#[utoipa::path(tag = "support", request_body = SupportStatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = SupportRequest), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[post("/support/requests/{id}/status")]
pub async fn change_request_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<SupportStatusChange>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, c) = (id.into_inner(), body.0);
    let reason = c
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
    if c.status == SupportStatus::Declined && reason.is_none() {
        return Err(AppError::field(
            "reason",
            "Bitte einen Grund für die Ablehnung angeben.",
        ));
    }
    let days = state.config.support_overdue_working_days;
    let out = crate::db::tx(&state.pool, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        if !policy::can_triage_support(&actor, scope(&r)) {
            return Err(AppError::Forbidden);
        }
        if r.version != version {
            return Err(AppError::PreconditionFailed);
        }
        if !r.status().can_move_to(c.status) {
            let hint = if r.status() == SupportStatus::Open {
                " Erst zuweisen."
            } else {
                ""
            };
            return Err(AppError::field(
                "status",
                &format!(
                    "Von „{}“ nach „{}“ ist kein erlaubter Schritt.{hint}",
                    r.status().as_str(),
                    c.status.as_str()
                ),
            ));
        }
        let t = now();
        let n = diesel::update(
            support_requests::table
                .find(&id)
                .filter(support_requests::version.eq(version)),
        )
        .set((
            support_requests::status.eq(c.status.as_str()),
            support_requests::decline_reason.eq(reason.clone()),
            support_requests::resolved_at.eq(c.status.is_closed().then_some(t)),
            support_requests::updated_at.eq(t),
            support_requests::version.eq(support_requests::version + 1),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::PreconditionFailed);
        }
        let verb = match c.status {
            SupportStatus::Resolved => "support.resolved",
            SupportStatus::Declined => "support.declined",
            _ => "support.status_changed",
        };
        record(
            conn,
            &actor,
            &r.district_id,
            &r.municipality_id,
            &id,
            "support.status",
            verb,
            json!({"from": r.status, "to": c.status.as_str()}),
            None,
        )?;
        let row = load(conn, &id)?;
        requests_out(conn, &actor, vec![row], days)?
            .pop()
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Workload {
    pub user_id: String,
    pub name: String,
    pub assigned: i64,
    pub in_progress: i64,
    pub waiting: i64,
    pub overdue: i64,
    pub resolved_last_30_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkloadList {
    pub items: Vec<Workload>,
    /// Open requests nobody is assigned to.
    pub unassigned: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkloadQuery {
    /// The district (admins choose one; coordinators get their own).
    pub district_id: Option<String>,
}

/// Workload per coordinator of a district (coordinators: their own; admins: the chosen one).
#[utoipa::path(tag = "support", params(WorkloadQuery), responses((status = 200, body = WorkloadList), (status = 403, body = crate::error::Problem),
    (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[get("/support/workload")]
pub async fn workload(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<WorkloadQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let district = crate::api::readable_district(&actor, q.into_inner().district_id)?;
    if !policy::can_triage_support(&actor, Scope::new(Some(&district), None)) {
        return Err(AppError::Forbidden);
    }
    let days = state.config.support_overdue_working_days;
    let out = crate::db::run(&state.pool, move |conn| {
        let coordinators: Vec<(String, String)> = users::table
            .filter(users::role.eq("coordinator"))
            .filter(users::district_id.eq(&district))
            .filter(users::active.eq(true))
            .select((users::id, users::name))
            .order(users::name.asc())
            .load(conn)?;
        let since = now() - chrono::Duration::days(30);
        let rule = OverdueRule::load(conn, days)?;
        let rows: Vec<RequestRow> = support_requests::table
            .filter(support_requests::district_id.eq(&district))
            .filter(
                support_requests::status
                    .ne_all(["resolved", "declined"])
                    .or(support_requests::resolved_at.gt(since)),
            )
            .select(RequestRow::as_select())
            .load(conn)?;
        let today = crate::db::today();
        let mut by: HashMap<String, Workload> = coordinators
            .into_iter()
            .map(|(id, name)| {
                (
                    id.clone(),
                    Workload {
                        user_id: id,
                        name,
                        assigned: 0,
                        in_progress: 0,
                        waiting: 0,
                        overdue: 0,
                        resolved_last_30_days: 0,
                    },
                )
            })
            .collect();
        let mut unassigned = 0;
        for r in &rows {
            let Some(w) = r.assignee_id.as_ref().and_then(|a| by.get_mut(a)) else {
                if !r.status().is_closed() {
                    unassigned += 1;
                }
                continue;
            };
            match r.status() {
                SupportStatus::Assigned | SupportStatus::Open => w.assigned += 1,
                SupportStatus::InProgress => w.in_progress += 1,
                SupportStatus::Waiting => w.waiting += 1,
                SupportStatus::Resolved => w.resolved_last_30_days += 1,
                SupportStatus::Declined => {}
            }
            if rule.is_overdue(r, today) {
                w.overdue += 1;
            }
        }
        let mut items: Vec<Workload> = by.into_values().collect();
        items.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(WorkloadList { items, unassigned })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
