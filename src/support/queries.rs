//! Reading and writing support requests, their messages and the coordinators' workload.
// Diesel select tuples spell out their column types here; naming each would not help a reader.
#![allow(clippy::type_complexity)]
use crate::db::schema::{
    application_shares, funding_applications, municipalities, project_partners, projects,
    support_messages, support_requests, users,
};
use std::collections::HashMap;

use diesel::prelude::*;
use serde_json::json;

use super::model::*;
use crate::api::{Page, Paging};
use crate::audit::{self, Entry};
use crate::auth::model::{Actor, Role};
use crate::auth::policy::{self, Scope};
use crate::db::utc;
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Event};

pub fn requests_out(
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
    // The linked project's title only where the viewer may read the project.
    let project_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.project_id.as_deref())
        .collect();
    let projects: HashMap<String, String> = if project_ids.is_empty() {
        HashMap::new()
    } else {
        projects::table
            .filter(projects::id.eq_any(&project_ids))
            .filter(crate::projects::visibility::visible_to(Some(viewer)))
            .select((projects::id, projects::title))
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
                can_reply: policy::can_reply_support(viewer, scope(&r)),
                next_statuses: next,
                status,
                id: r.id,
                municipality_id: r.municipality_id,
                title: r.title,
                description: r.description,
                wished_date: r.wished_date,
                project_title: r.project_id.as_ref().and_then(|p| projects.get(p).cloned()),
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

/// The requests `actor` may see that match the filters of `q` (all but `overdue`); the
/// first filter is `auth::policy::can_read_support` in SQL (`tests/api/policy_agreement.rs`
/// checks that both agree).
pub fn filtered<'a>(
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

#[allow(clippy::too_many_arguments)]
pub fn record(
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

pub fn load(conn: &mut DbConn, id: &str) -> AppResult<RequestRow> {
    support_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn load_readable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<RequestRow> {
    let r = load(conn, id)?;
    if !policy::can_read_support(actor, scope(&r)) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

pub fn messages(
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

pub fn list_requests(
    conn: &mut DbConn,
    actor: Actor,
    q: SupportQuery,
    paging: Paging,
    days: u32,
) -> AppResult<Page<SupportRequest>> {
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
}

pub fn create_request(
    conn: &mut DbConn,
    actor: Actor,
    b: NewRequest,
    title: String,
    description: String,
    days: u32,
) -> AppResult<SupportRequest> {
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
}

pub fn request_detail(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    days: u32,
) -> AppResult<SupportRequestDetail> {
    let r = load_readable(conn, &actor, &id)?;
    let internal = policy::can_triage_support(&actor, scope(&r));
    let messages = messages(conn, &id, internal)?;
    let request = requests_out(conn, &actor, vec![r], days)?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(SupportRequestDetail { request, messages })
}

pub fn add_message(
    conn: &mut DbConn,
    actor: Actor,
    author: String,
    id: String,
    m: NewMessage,
    text: String,
) -> AppResult<SupportMessage> {
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
    if !m.internal {
        reply_moves_status(conn, &actor, &r, triage)?;
    }
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
}

/// What a public reply does to the life cycle (`open → assigned → in_progress ⇄ waiting`):
/// the district's reply to a request nobody works on yet starts the work — the replying
/// coordinator takes it if it has no assignee, and it is "in progress"; the town's reply
/// to a request waiting for it puts it back to "in progress". The change is audited like
/// one made by hand and bumps the version.
fn reply_moves_status(
    conn: &mut DbConn,
    actor: &Actor,
    r: &RequestRow,
    triage: bool,
) -> AppResult<()> {
    let from = r.status();
    let mut assignee = r.assignee_id.clone();
    let to = match from {
        SupportStatus::Open | SupportStatus::Assigned if triage => {
            if assignee.is_none() {
                let coordinator: i64 = users::table
                    .filter(users::id.eq(&actor.id))
                    .filter(users::role.eq("coordinator"))
                    .filter(users::district_id.eq(&r.district_id))
                    .filter(users::active.eq(true))
                    .count()
                    .get_result(conn)?;
                if coordinator > 0 {
                    assignee = Some(actor.id.clone());
                }
            }
            if assignee.is_some() {
                SupportStatus::InProgress
            } else {
                return Ok(());
            }
        }
        SupportStatus::Waiting if !triage => SupportStatus::InProgress,
        _ => return Ok(()),
    };
    diesel::update(support_requests::table.find(&r.id))
        .set((
            support_requests::status.eq(to.as_str()),
            support_requests::assignee_id.eq(assignee.as_deref()),
            support_requests::version.eq(support_requests::version + 1),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(actor),
        Entry {
            action: "support.status",
            object_type: "support_request",
            object_id: &r.id,
            district_id: Some(&r.district_id),
            municipality_id: Some(&r.municipality_id),
            summary: json!({"from": from.as_str(), "to": to.as_str()}),
        },
    )?;
    Ok(())
}

pub fn assign(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    a: Assignment,
    days: u32,
) -> AppResult<SupportRequest> {
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
}

pub fn change_request_status(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    c: SupportStatusChange,
    reason: Option<String>,
    days: u32,
) -> AppResult<SupportRequest> {
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
        return Err(crate::api::not_a_step(
            "support",
            r.status().as_str(),
            c.status.as_str(),
            hint,
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
}

pub fn workload(conn: &mut DbConn, district: String, days: u32) -> AppResult<WorkloadList> {
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
}
