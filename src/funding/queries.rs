//! Reading and writing funding programmes, calls, interest, applications with their
//! shares, links, checklists and history, the calendar tokens and the district overview.
//! Lists load related rows with one query per relation, never one per row.
// Diesel select tuples spell out their column types here; naming each would not help a reader.
#![allow(clippy::type_complexity)]
use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;
use serde_json::json;

use super::model::*;
use super::{apportion, ApplicationStatus};
use crate::api::{Page, Paging};
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    application_history, application_projects, application_shares, calendar_tokens,
    checklist_items, funding_applications, funding_calls, funding_interests,
    funding_programme_topics, funding_programmes, municipalities, projects, topics, users,
};
use crate::db::utc;
use crate::db::{contains_pattern, lower, new_id, now, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::projects::model::LinkedProject;

pub type ProgrammeTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i32>,
    Option<i32>,
    String,
    Option<i64>,
    Option<i64>,
    String,
    String,
    Option<String>,
    String,
    i32,
);

macro_rules! programme_columns {
    () => {
        (
            funding_programmes::id,
            funding_programmes::slug,
            funding_programmes::name,
            funding_programmes::funder,
            funding_programmes::administering_body,
            funding_programmes::level,
            funding_programmes::region,
            funding_programmes::eligible_applicants,
            funding_programmes::funding_type,
            funding_programmes::rate_bp,
            funding_programmes::increased_rate_bp,
            funding_programmes::increased_rate_condition,
            funding_programmes::min_amount_cents,
            funding_programmes::max_amount_cents,
            funding_programmes::max_amount_note,
            funding_programmes::description,
            funding_programmes::website,
            funding_programmes::status,
            funding_programmes::version,
        )
    };
}

pub fn programmes_out(conn: &mut DbConn, rows: Vec<ProgrammeTuple>) -> AppResult<Vec<Programme>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let today = crate::db::today();
    let mut calls: HashMap<String, Vec<FundingCall>> = HashMap::new();
    for (id, pid, title, opens_on, deadline_date, deadline_time) in funding_calls::table
        .filter(funding_calls::programme_id.eq_any(&ids))
        .select((
            funding_calls::id,
            funding_calls::programme_id,
            funding_calls::title,
            funding_calls::opens_on,
            funding_calls::deadline_date,
            funding_calls::deadline_time,
        ))
        .order(funding_calls::deadline_date.asc())
        .load::<(
            String,
            String,
            String,
            Option<NaiveDate>,
            NaiveDate,
            Option<NaiveTime>,
        )>(conn)?
    {
        calls.entry(pid).or_default().push(FundingCall {
            id,
            title,
            opens_on,
            deadline_date,
            deadline_time,
            days_left: (deadline_date - today).num_days(),
        });
    }
    let mut topics: HashMap<String, Vec<String>> = HashMap::new();
    for (pid, tid) in funding_programme_topics::table
        .inner_join(topics::table)
        .filter(funding_programme_topics::programme_id.eq_any(&ids))
        .select((funding_programme_topics::programme_id, topics::id))
        .order(topics::position.asc())
        .load::<(String, String)>(conn)?
    {
        topics.entry(pid).or_default().push(tid);
    }
    Ok(rows
        .into_iter()
        .map(|r| Programme {
            calls: calls.remove(&r.0).unwrap_or_default(),
            topics: topics.remove(&r.0).unwrap_or_default(),
            id: r.0,
            slug: r.1,
            name: r.2,
            funder: r.3,
            administering_body: r.4,
            level: r.5,
            region: r.6,
            eligible_applicants: r.7,
            funding_type: r.8,
            rate_bp: r.9,
            increased_rate_bp: r.10,
            increased_rate_condition: r.11,
            min_amount_cents: r.12,
            max_amount_cents: r.13,
            max_amount_note: r.14,
            description: r.15,
            website: r.16,
            status: r.17,
            version: r.18,
        })
        .collect())
}

pub fn load_programme(conn: &mut DbConn, id: &str) -> AppResult<Programme> {
    let row: ProgrammeTuple = funding_programmes::table
        .find(id)
        .select(programme_columns!())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    programmes_out(conn, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn programme_rules(conn: &mut DbConn, pid: &str) -> AppResult<Rules> {
    let (rate, increased, condition, max, name): (
        Option<i32>,
        Option<i32>,
        String,
        Option<i64>,
        String,
    ) = funding_programmes::table
        .find(pid)
        .select((
            funding_programmes::rate_bp,
            funding_programmes::increased_rate_bp,
            funding_programmes::increased_rate_condition,
            funding_programmes::max_amount_cents,
            funding_programmes::name,
        ))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::field("programme_id", "Dieses Förderprogramm gibt es nicht."))?;
    Ok(Rules {
        rate,
        increased,
        condition,
        max,
        name,
    })
}

pub fn applications_out(
    conn: &mut DbConn,
    viewer: &Actor,
    rows: Vec<ApplicationRow>,
) -> AppResult<Vec<Application>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let shares: Vec<(String, String, String, String, i64)> = application_shares::table
        .inner_join(municipalities::table)
        .filter(application_shares::application_id.eq_any(&ids))
        .select((
            application_shares::application_id,
            municipalities::id,
            municipalities::name,
            application_shares::role,
            application_shares::share_cents,
        ))
        .order((application_shares::role.asc(), municipalities::name.asc()))
        .load(conn)?;
    let mut shares_of: HashMap<String, Vec<(String, String, String, i64)>> = HashMap::new();
    for (a, m, n, r, s) in shares {
        shares_of.entry(a).or_default().push((m, n, r, s));
    }
    // Linked projects the viewer may see (a private draft of another town stays hidden).
    let links: Vec<(String, String)> = application_projects::table
        .filter(application_projects::application_id.eq_any(&ids))
        .select((
            application_projects::application_id,
            application_projects::project_id,
        ))
        .load(conn)?;
    let linked_ids: Vec<&str> = links.iter().map(|(_, p)| p.as_str()).collect();
    let visible: HashMap<String, (String, String)> = projects::table
        .filter(crate::projects::visibility::visible_to(Some(viewer)))
        .filter(projects::id.eq_any(&linked_ids))
        .select((projects::id, projects::title, projects::status))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, title, status)| (id, (title, status)))
        .collect();
    let mut projects_of: HashMap<String, Vec<LinkedProject>> = HashMap::new();
    for (a, p) in &links {
        if let Some((title, status)) = visible.get(p) {
            projects_of
                .entry(a.clone())
                .or_default()
                .push(LinkedProject {
                    id: p.clone(),
                    title: title.clone(),
                    status: crate::projects::model::ProjectStatus::parse(status)
                        .unwrap_or(crate::projects::model::ProjectStatus::Idea),
                });
        }
    }
    for list in projects_of.values_mut() {
        list.sort_by(|a, b| a.title.cmp(&b.title));
    }
    let pids: Vec<&str> = rows.iter().map(|r| r.programme_id.as_str()).collect();
    let programmes: HashMap<String, Rules> = funding_programmes::table
        .filter(funding_programmes::id.eq_any(&pids))
        .select((
            funding_programmes::id,
            funding_programmes::rate_bp,
            funding_programmes::increased_rate_bp,
            funding_programmes::increased_rate_condition,
            funding_programmes::max_amount_cents,
            funding_programmes::name,
        ))
        .load::<(
            String,
            Option<i32>,
            Option<i32>,
            String,
            Option<i64>,
            String,
        )>(conn)?
        .into_iter()
        .map(|(id, rate, increased, condition, max, name)| {
            (
                id,
                Rules {
                    rate,
                    increased,
                    condition,
                    max,
                    name,
                },
            )
        })
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let can_manage = policy::can_manage_application(viewer, lead_scope(&r));
            let notes =
                policy::can_read_application_notes(viewer, lead_scope(&r)).then(|| r.notes.clone());
            let sh = shares_of.remove(&r.id).unwrap_or_default();
            let lead_name = sh
                .iter()
                .find(|s| s.0 == r.lead_municipality_id)
                .map(|s| s.1.clone())
                .unwrap_or_default();
            let rules = programmes.get(&r.programme_id).cloned().unwrap_or_default();
            let inputs: Vec<ShareInput> = sh
                .iter()
                .map(|s| ShareInput {
                    municipality_id: s.0.clone(),
                    share_cents: s.3,
                })
                .collect();
            let (_, warnings) = check_amounts(
                r.total_costs_cents,
                r.requested_cents,
                r.approved_cents,
                &inputs,
                &rules,
            );
            let status = ApplicationStatus::parse(&r.status).unwrap_or(ApplicationStatus::Idea);
            Application {
                programme_name: rules.name,
                lead_municipality_name: lead_name,
                own_contribution_cents: r.total_costs_cents - r.requested_cents,
                next_statuses: if can_manage {
                    ApplicationStatus::ALL
                        .into_iter()
                        .filter(|s| status.can_move_to(*s))
                        .collect()
                } else {
                    vec![]
                },
                status,
                notes,
                shares: sh
                    .into_iter()
                    .map(|(m, n, role, s)| Share {
                        // The shares must add up to the total costs and a partner may
                        // change only its own, so any partner change breaks the sum: only
                        // the side that manages the application can really edit a share.
                        can_edit: can_manage,
                        municipality_id: m,
                        municipality_name: n,
                        role,
                        share_cents: s,
                    })
                    .collect(),
                projects: projects_of.remove(&r.id).unwrap_or_default(),
                can_manage,
                warnings,
                updated_at: utc(r.updated_at),
                id: r.id,
                programme_id: r.programme_id,
                call_id: r.call_id,
                district_id: r.district_id,
                lead_municipality_id: r.lead_municipality_id,
                title: r.title,
                total_costs_cents: r.total_costs_cents,
                requested_cents: r.requested_cents,
                approved_cents: r.approved_cents,
                submitted_on: r.submitted_on,
                decision_on: r.decision_on,
                version: r.version,
            }
        })
        .collect())
}

pub fn load_application(conn: &mut DbConn, viewer: &Actor, id: &str) -> AppResult<ApplicationRow> {
    let r: ApplicationRow = funding_applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    // Applications are read by everyone of the district (members included).
    if !policy::can_read_district(viewer, &r.district_id) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

pub fn detail(
    conn: &mut DbConn,
    viewer: &Actor,
    r: ApplicationRow,
) -> AppResult<ApplicationDetail> {
    let id = r.id.clone();
    let can_manage = policy::can_manage_application(viewer, lead_scope(&r));
    let application = applications_out(conn, viewer, vec![r])?
        .pop()
        .ok_or(AppError::NotFound)?;
    let items: Vec<(
        String,
        String,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
        Option<chrono::NaiveDateTime>,
        i32,
    )> = checklist_items::table
        .left_join(users::table.on(users::id.nullable().eq(checklist_items::assignee_id)))
        .filter(checklist_items::application_id.eq(&id))
        .select((
            checklist_items::id,
            checklist_items::title,
            checklist_items::assignee_id,
            users::name.nullable(),
            checklist_items::due_date,
            checklist_items::done_at,
            checklist_items::version,
        ))
        .order((checklist_items::position.asc(), checklist_items::id.asc()))
        .load(conn)?;
    let checklist = items
        .into_iter()
        .map(
            |(id, title, assignee_id, assignee_name, due_date, done_at, version)| ChecklistItem {
                can_tick: can_manage || assignee_id.as_deref() == Some(viewer.id.as_str()),
                id,
                title,
                assignee_id,
                assignee_name,
                due_date,
                done: done_at.is_some(),
                done_at: done_at.map(utc),
                version,
            },
        )
        .collect();
    let hist: Vec<(
        Option<String>,
        String,
        String,
        Option<String>,
        chrono::NaiveDateTime,
    )> = application_history::table
        .left_join(users::table.on(users::id.nullable().eq(application_history::changed_by)))
        .filter(application_history::application_id.eq(&id))
        .select((
            application_history::from_status,
            application_history::to_status,
            application_history::note,
            users::name.nullable(),
            application_history::changed_at,
        ))
        .order((
            application_history::changed_at.asc(),
            application_history::id.asc(),
        ))
        .load(conn)?;
    let history = hist
        .into_iter()
        .map(|(f, t, note, name, at)| HistoryEntry {
            from_status: f.as_deref().and_then(ApplicationStatus::parse),
            to_status: ApplicationStatus::parse(&t).unwrap_or(ApplicationStatus::Idea),
            note,
            changed_by_name: name,
            changed_at: utc(at),
        })
        .collect();
    Ok(ApplicationDetail {
        application,
        checklist,
        history,
    })
}

pub fn write_shares(
    conn: &mut DbConn,
    id: &str,
    lead: &str,
    shares: &[ShareInput],
    district: &str,
) -> AppResult<()> {
    let towns: Vec<&str> = shares.iter().map(|s| s.municipality_id.as_str()).collect();
    let known: i64 = municipalities::table
        .filter(municipalities::id.eq_any(&towns))
        .filter(municipalities::district_id.eq(district))
        .count()
        .get_result(conn)?;
    if known != towns.len() as i64 {
        return Err(AppError::field(
            "shares",
            "Partner können nur Kommunen dieses Kreises sein.",
        ));
    }
    if !towns.contains(&lead) {
        return Err(AppError::field(
            "shares",
            "Die antragstellende Kommune braucht einen Anteil (auch 0 €).",
        ));
    }
    diesel::delete(application_shares::table.filter(application_shares::application_id.eq(id)))
        .execute(conn)?;
    for s in shares {
        diesel::insert_into(application_shares::table)
            .values((
                application_shares::application_id.eq(id),
                application_shares::municipality_id.eq(&s.municipality_id),
                application_shares::role.eq(if s.municipality_id == lead {
                    "lead"
                } else {
                    "partner"
                }),
                application_shares::share_cents.eq(s.share_cents),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Assignees must be users of a town with a share, or the district's coordination.
pub fn check_assignee(
    conn: &mut DbConn,
    r: &ApplicationRow,
    assignee: Option<&str>,
) -> AppResult<()> {
    let Some(a) = assignee else { return Ok(()) };
    let user: Option<(Option<String>, Option<String>)> = users::table
        .find(a)
        .select((users::district_id, users::municipality_id))
        .first(conn)
        .optional()?;
    let ok = match user {
        Some((Some(d), None)) => d == r.district_id,
        Some((_, Some(m))) => {
            let n: i64 = application_shares::table
                .filter(application_shares::application_id.eq(&r.id))
                .filter(application_shares::municipality_id.eq(m))
                .count()
                .get_result(conn)?;
            n > 0
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::field("assignee_id", "Zuständig kann nur jemand aus einer beteiligten Kommune oder der Kreis-Koordination sein."))
    }
}

/// Per town and programme: costs, requested, approved and own contributions (withdrawn and rejected applications excluded).
pub fn overview(conn: &mut DbConn, district_id: &str) -> AppResult<Overview> {
    let apps: Vec<(String, String, String, i64, i64, Option<i64>)> = funding_applications::table
        .inner_join(funding_programmes::table)
        .filter(funding_applications::district_id.eq(district_id))
        .filter(funding_applications::status.ne_all(["withdrawn", "rejected"]))
        .select((
            funding_applications::id,
            funding_programmes::id,
            funding_programmes::name,
            funding_applications::total_costs_cents,
            funding_applications::requested_cents,
            funding_applications::approved_cents,
        ))
        .load(conn)?;
    let ids: Vec<&str> = apps.iter().map(|a| a.0.as_str()).collect();
    let shares: Vec<(String, String, String, i64)> = application_shares::table
        .inner_join(municipalities::table)
        .filter(application_shares::application_id.eq_any(&ids))
        .select((
            application_shares::application_id,
            municipalities::id,
            municipalities::name,
            application_shares::share_cents,
        ))
        .order((
            application_shares::application_id.asc(),
            municipalities::id.asc(),
        ))
        .load(conn)?;
    let mut by_app: HashMap<&str, Vec<(String, String, i64)>> = HashMap::new();
    for (a, m, n, s) in &shares {
        by_app
            .entry(a.as_str())
            .or_default()
            .push((m.clone(), n.clone(), *s));
    }
    let mut rows: BTreeMap<(String, String, String, String), (i64, i64, i64)> = BTreeMap::new();
    let (mut tc, mut tr, mut ta) = (0i64, 0i64, 0i64);
    for (id, pid, pname, total, requested, approved) in &apps {
        tc += total;
        tr += requested;
        ta += approved.unwrap_or(0);
        let parts = by_app.get(id.as_str()).cloned().unwrap_or_default();
        let weights: Vec<i64> = parts.iter().map(|p| p.2).collect();
        let req = apportion(*requested, &weights);
        let app = apportion(approved.unwrap_or(0), &weights);
        for (k, (m, n, s)) in parts.into_iter().enumerate() {
            let e = rows.entry((n, m, pname.clone(), pid.clone())).or_default();
            e.0 += s;
            e.1 += req[k];
            e.2 += app[k];
        }
    }
    Ok(Overview {
        district_id: district_id.to_string(),
        rows: rows
            .into_iter()
            .map(
                |(
                    (municipality_name, municipality_id, programme_name, programme_id),
                    (c, r, a),
                )| OverviewRow {
                    municipality_id,
                    municipality_name,
                    programme_id,
                    programme_name,
                    costs_cents: c,
                    requested_cents: r,
                    approved_cents: a,
                    own_contribution_cents: c - r,
                },
            )
            .collect(),
        total_costs_cents: tc,
        total_requested_cents: tr,
        total_approved_cents: ta,
        total_own_contribution_cents: tc - tr,
    })
}

pub fn list_programmes(
    conn: &mut DbConn,
    q: ProgrammeQuery,
    paging: Paging,
) -> AppResult<Page<Programme>> {
    let today = crate::db::today();
    let with_open: Vec<String> = funding_calls::table
        .filter(funding_calls::deadline_date.ge(today))
        .select(funding_calls::programme_id)
        .load(conn)?;
    let filtered = || {
        let mut query = funding_programmes::table.into_boxed();
        if let Some(l) = q.level.as_deref().filter(|l| !l.trim().is_empty()) {
            query = query.filter(
                lower(funding_programmes::level)
                    .like(contains_pattern(l))
                    .escape('\\'),
            );
        }
        if let Some(t) = q.q.as_deref().filter(|t| !t.trim().is_empty()) {
            let p = contains_pattern(t);
            query = query.filter(
                lower(funding_programmes::name)
                    .like(p.clone())
                    .escape('\\')
                    .or(lower(funding_programmes::description).like(p).escape('\\')),
            );
        }
        if q.open_calls == Some(true) {
            query = query.filter(funding_programmes::id.eq_any(with_open.clone()));
        }
        if let Some(t) = q.topic.as_deref().filter(|t| !t.is_empty()) {
            query = query.filter(
                funding_programmes::id.eq_any(
                    funding_programme_topics::table
                        .filter(funding_programme_topics::topic_id.eq(t.to_string()))
                        .select(funding_programme_topics::programme_id),
                ),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<ProgrammeTuple> = filtered()
        .select(programme_columns!())
        .order((funding_programmes::name.asc(), funding_programmes::id.asc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    Ok(Page::new(programmes_out(conn, rows)?, paging, total))
}

pub fn programme_detail(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<ProgrammeDetail> {
    let programme = load_programme(conn, &id)?;
    let rows: Vec<(String, String, String, chrono::NaiveDateTime)> = funding_interests::table
        .inner_join(municipalities::table)
        .filter(funding_interests::programme_id.eq(&id))
        .filter(municipalities::district_id.eq(actor.district_id.clone().unwrap_or_default()))
        .select((
            municipalities::id,
            municipalities::name,
            funding_interests::note,
            funding_interests::created_at,
        ))
        .order(municipalities::name.asc())
        .load(conn)?;
    Ok(ProgrammeDetail {
        programme,
        interested: rows
            .into_iter()
            .map(|(municipality_id, municipality_name, note, at)| Interest {
                municipality_id,
                municipality_name,
                note,
                created_at: utc(at),
            })
            .collect(),
        can_edit: policy::can_edit_funding_catalogue(&actor),
    })
}

pub fn create_call(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    title: String,
    c: NewCall,
) -> AppResult<Programme> {
    load_programme(conn, &id)?;
    let cid = new_id();
    diesel::insert_into(funding_calls::table)
        .values((
            funding_calls::id.eq(&cid),
            funding_calls::programme_id.eq(&id),
            funding_calls::title.eq(&title),
            funding_calls::opens_on.eq(c.opens_on),
            funding_calls::deadline_date.eq(c.deadline_date),
            funding_calls::deadline_time.eq(c.deadline_time),
            funding_calls::created_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.call_create",
            object_type: "funding_call",
            object_id: &cid,
            district_id: actor.district_id.as_deref(),
            municipality_id: None,
            summary: json!({"programme_id": id, "deadline": c.deadline_date}),
        },
    )?;
    load_programme(conn, &id)
}

pub fn declare_interest(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    i: InterestInput,
) -> AppResult<()> {
    load_programme(conn, &id)?;
    let town = i
        .municipality_id
        .clone()
        .or(actor.municipality_id.clone())
        .ok_or_else(|| AppError::field("municipality_id", "Bitte die Kommune wählen."))?;
    let district: String = municipalities::table
        .find(&town)
        .select(municipalities::district_id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !policy::can_declare_interest(&actor, Scope::new(Some(&district), Some(&town))) {
        return Err(AppError::Forbidden);
    }
    diesel::delete(
        funding_interests::table
            .filter(funding_interests::programme_id.eq(&id))
            .filter(funding_interests::municipality_id.eq(&town)),
    )
    .execute(conn)?;
    diesel::insert_into(funding_interests::table)
        .values((
            funding_interests::programme_id.eq(&id),
            funding_interests::municipality_id.eq(&town),
            funding_interests::note.eq(i.note.trim()),
            funding_interests::created_by.eq(Some(&actor.id)),
            funding_interests::created_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.interest",
            object_type: "funding_programme",
            object_id: &id,
            district_id: Some(&district),
            municipality_id: Some(&town),
            summary: json!({}),
        },
    )
}

pub fn list_applications(
    conn: &mut DbConn,
    actor: Actor,
    q: ApplicationQuery,
    paging: Paging,
) -> AppResult<Page<Application>> {
    let filtered = || {
        let mut query = funding_applications::table.into_boxed();
        if actor.role != crate::auth::Role::Admin {
            query = query.filter(
                funding_applications::district_id.eq(actor.district_id.clone().unwrap_or_default()),
            );
        }
        if let Some(s) = q.status {
            query = query.filter(funding_applications::status.eq(s.as_str()));
        }
        if let Some(p) = &q.programme_id {
            query = query.filter(funding_applications::programme_id.eq(p.clone()));
        }
        if let Some(m) = &q.municipality_id {
            query = query.filter(
                funding_applications::lead_municipality_id.eq(m.clone()).or(
                    funding_applications::id.eq_any(
                        application_shares::table
                            .filter(application_shares::municipality_id.eq(m.clone()))
                            .select(application_shares::application_id),
                    ),
                ),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<ApplicationRow> = filtered()
        .select(ApplicationRow::as_select())
        .order((
            funding_applications::updated_at.desc(),
            funding_applications::id.asc(),
        ))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    Ok(Page::new(
        applications_out(conn, &actor, rows)?,
        paging,
        total,
    ))
}

/// A checklist item's title: one line, 2 to 200 characters.
pub fn checklist_title(raw: &str) -> AppResult<String> {
    let title = raw.trim().to_string();
    crate::text::line("title", &title)?;
    if title.chars().count() < 2 || title.chars().count() > 200 {
        return Err(AppError::field(
            "title",
            "Bitte einen Titel mit 2 bis 200 Zeichen angeben.",
        ));
    }
    Ok(title)
}

/// A call, when given, must belong to the application's programme.
fn check_call(
    conn: &mut DbConn,
    call_id: Option<&str>,
    programme_id: &str,
    e: &mut Errors,
) -> AppResult<()> {
    if let Some(c) = call_id {
        let ok: i64 = funding_calls::table
            .filter(funding_calls::id.eq(c))
            .filter(funding_calls::programme_id.eq(programme_id))
            .count()
            .get_result(conn)?;
        if ok == 0 {
            e.push("call_id", "Dieser Aufruf gehört nicht zum Programm.");
        }
    }
    Ok(())
}

fn check_notes(notes: &str, e: &mut Errors) {
    if notes.chars().count() > 20_000 {
        e.push("notes", "Höchstens 20 000 Zeichen.");
    }
}

pub fn create_application(
    conn: &mut DbConn,
    actor: Actor,
    i: ApplicationInput,
) -> AppResult<ApplicationDetail> {
    let mut e = Errors::new();
    let title = i.title.clone().unwrap_or_default().trim().to_string();
    if crate::text::check_line(&mut e, "title", &title)
        && (title.chars().count() < 3 || title.chars().count() > 300)
    {
        e.push("title", "Bitte einen Titel mit 3 bis 300 Zeichen angeben.");
    }
    let Some(pid) = i.programme_id.clone() else {
        e.push("programme_id", "Bitte ein Förderprogramm wählen.");
        return Err(AppError::Validation(e.0));
    };
    let lead = i
        .lead_municipality_id
        .clone()
        .or(actor.municipality_id.clone())
        .ok_or_else(|| {
            AppError::field(
                "lead_municipality_id",
                "Bitte die antragstellende Kommune wählen.",
            )
        })?;
    let district: String = municipalities::table
        .find(&lead)
        .select(municipalities::district_id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::field("lead_municipality_id", "Diese Kommune gibt es nicht."))?;
    if !policy::can_manage_application(&actor, Scope::new(Some(&district), Some(&lead))) {
        return Err(AppError::Forbidden);
    }
    let rules = programme_rules(conn, &pid)?;
    let call_id = i.call_id.clone().flatten();
    check_call(conn, call_id.as_deref(), &pid, &mut e)?;
    let approved = i.approved_cents.flatten();
    let notes = i.notes.clone().flatten().unwrap_or_default();
    let total = i.total_costs_cents.unwrap_or(0);
    let requested = i.requested_cents.unwrap_or(0);
    let shares = i.shares.clone().unwrap_or_else(|| {
        vec![ShareInput {
            municipality_id: lead.clone(),
            share_cents: total,
        }]
    });
    let (amount_errors, _) = check_amounts(total, requested, approved, &shares, &rules);
    e.0.extend(amount_errors.0);
    check_notes(&notes, &mut e);
    e.finish()?;
    let id = new_id();
    let t = now();
    diesel::insert_into(funding_applications::table)
        .values((
            funding_applications::id.eq(&id),
            funding_applications::programme_id.eq(&pid),
            funding_applications::call_id.eq(&call_id),
            funding_applications::district_id.eq(&district),
            funding_applications::lead_municipality_id.eq(&lead),
            funding_applications::title.eq(&title),
            funding_applications::total_costs_cents.eq(total),
            funding_applications::requested_cents.eq(requested),
            funding_applications::approved_cents.eq(approved),
            funding_applications::status.eq(ApplicationStatus::Idea.as_str()),
            funding_applications::notes.eq(&notes),
            funding_applications::created_at.eq(t),
            funding_applications::updated_at.eq(t),
            funding_applications::version.eq(1),
        ))
        .execute(conn)?;
    write_shares(conn, &id, &lead, &shares, &district)?;
    let mut linked = i.project_ids.clone().unwrap_or_default();
    linked.sort();
    linked.dedup();
    for p in linked {
        if crate::projects::queries::visible_project(conn, Some(&actor), &p)?.is_none() {
            return Err(AppError::field(
                "project_ids",
                "Dieses Projekt gibt es nicht.",
            ));
        }
        diesel::insert_into(application_projects::table)
            .values((
                application_projects::application_id.eq(&id),
                application_projects::project_id.eq(&p),
            ))
            .execute(conn)?;
    }
    let mut items: Vec<&str> = DEFAULT_CHECKLIST.to_vec();
    if shares.len() > 1 {
        items.push("Kooperationsvereinbarung");
    }
    for (pos, title) in items.into_iter().enumerate() {
        diesel::insert_into(checklist_items::table)
            .values((
                checklist_items::id.eq(new_id()),
                checklist_items::application_id.eq(&id),
                checklist_items::title.eq(title),
                checklist_items::position.eq(pos as i32 + 1),
                checklist_items::version.eq(1),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(application_history::table)
        .values((
            application_history::id.eq(new_id()),
            application_history::application_id.eq(&id),
            application_history::to_status.eq("idea"),
            application_history::changed_by.eq(Some(&actor.id)),
            application_history::changed_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.application_create",
            object_type: "funding_application",
            object_id: &id,
            district_id: Some(&district),
            municipality_id: Some(&lead),
            summary: json!({"title": title, "total_costs_cents": total, "requested_cents": requested}),
        },
    )?;
    let row = load_application(conn, &actor, &id)?;
    detail(conn, &actor, row)
}

pub fn application_detail(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
) -> AppResult<ApplicationDetail> {
    let row = load_application(conn, &actor, &id)?;
    detail(conn, &actor, row)
}

pub fn update_application(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    i: ApplicationInput,
) -> AppResult<ApplicationDetail> {
    let r = load_application(conn, &actor, &id)?;
    let manage = policy::can_manage_application(&actor, lead_scope(&r));
    if !manage {
        // A partner may only change its own share.
        let own = actor.municipality_id.clone().unwrap_or_default();
        let only_own_share = i
            .shares
            .as_ref()
            .is_some_and(|s| s.len() == 1 && s[0].municipality_id == own)
            && i.title.is_none()
            && i.total_costs_cents.is_none()
            && i.requested_cents.is_none()
            && i.approved_cents.is_none()
            && i.notes.is_none()
            && i.project_ids.is_none()
            && i.call_id.is_none()
            && i.submitted_on.is_none()
            && i.decision_on.is_none()
            && i.programme_id.is_none()
            && i.lead_municipality_id.is_none();
        let is_partner: i64 = application_shares::table
            .filter(application_shares::application_id.eq(&id))
            .filter(application_shares::municipality_id.eq(&own))
            .count()
            .get_result(conn)?;
        if !policy::can_edit_own_share(&actor, &own) || is_partner == 0 || !only_own_share {
            return Err(AppError::Forbidden);
        }
    }
    if i.programme_id.is_some() || i.lead_municipality_id.is_some() {
        return Err(AppError::field(
            "programme_id",
            "Programm und antragstellende Kommune lassen sich nicht ändern.",
        ));
    }
    if r.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let current: Vec<ShareInput> = application_shares::table
        .filter(application_shares::application_id.eq(&id))
        .select((
            application_shares::municipality_id,
            application_shares::share_cents,
        ))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(municipality_id, share_cents)| ShareInput {
            municipality_id,
            share_cents,
        })
        .collect();
    let shares: Vec<ShareInput> = match &i.shares {
        Some(new) if !manage => current
            .iter()
            .map(|c| {
                new.iter()
                    .find(|n| n.municipality_id == c.municipality_id)
                    .cloned()
                    .unwrap_or_else(|| c.clone())
            })
            .collect(),
        Some(new) => new.clone(),
        None => current,
    };
    let total = i.total_costs_cents.unwrap_or(r.total_costs_cents);
    let requested = i.requested_cents.unwrap_or(r.requested_cents);
    // Absent keeps a value, `null` clears it.
    let approved = i.approved_cents.unwrap_or(r.approved_cents);
    let call_id = i.call_id.clone().unwrap_or(r.call_id.clone());
    let submitted_on = i.submitted_on.unwrap_or(r.submitted_on);
    let decision_on = i.decision_on.unwrap_or(r.decision_on);
    let notes = i
        .notes
        .clone()
        .map(Option::unwrap_or_default)
        .unwrap_or(r.notes.clone());
    let rules = programme_rules(conn, &r.programme_id)?;
    let (e, _) = check_amounts(total, requested, approved, &shares, &rules);
    let mut e = e;
    if i.call_id.is_some() {
        check_call(conn, call_id.as_deref(), &r.programme_id, &mut e)?;
    }
    if i.notes.is_some() {
        check_notes(&notes, &mut e);
    }
    let title = i
        .title
        .clone()
        .map(|t| t.trim().to_string())
        .unwrap_or(r.title.clone());
    if crate::text::check_line(&mut e, "title", &title)
        && (title.chars().count() < 3 || title.chars().count() > 300)
    {
        e.push("title", "Bitte einen Titel mit 3 bis 300 Zeichen angeben.");
    }
    e.finish()?;
    let n = diesel::update(
        funding_applications::table
            .find(&id)
            .filter(funding_applications::version.eq(version)),
    )
    .set((
        funding_applications::title.eq(&title),
        funding_applications::total_costs_cents.eq(total),
        funding_applications::requested_cents.eq(requested),
        funding_applications::approved_cents.eq(approved),
        funding_applications::call_id.eq(&call_id),
        funding_applications::submitted_on.eq(submitted_on),
        funding_applications::decision_on.eq(decision_on),
        funding_applications::notes.eq(&notes),
        funding_applications::updated_at.eq(now()),
        funding_applications::version.eq(funding_applications::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    write_shares(conn, &id, &r.lead_municipality_id, &shares, &r.district_id)?;
    if let Some(ps) = &i.project_ids {
        // Replaces the links the editor can see; links to projects hidden from them stay.
        let visible_linked: Vec<String> = projects::table
            .filter(crate::projects::visibility::visible_to(Some(&actor)))
            .filter(
                projects::id.eq_any(
                    application_projects::table
                        .filter(application_projects::application_id.eq(&id))
                        .select(application_projects::project_id),
                ),
            )
            .select(projects::id)
            .load(conn)?;
        diesel::delete(
            application_projects::table
                .filter(application_projects::application_id.eq(&id))
                .filter(application_projects::project_id.eq_any(&visible_linked)),
        )
        .execute(conn)?;
        let mut ps = ps.clone();
        ps.sort();
        ps.dedup();
        for p in &ps {
            if crate::projects::queries::visible_project(conn, Some(&actor), p)?.is_none() {
                return Err(AppError::field(
                    "project_ids",
                    "Dieses Projekt gibt es nicht.",
                ));
            }
            diesel::delete(
                application_projects::table
                    .filter(application_projects::application_id.eq(&id))
                    .filter(application_projects::project_id.eq(p)),
            )
            .execute(conn)?;
            diesel::insert_into(application_projects::table)
                .values((
                    application_projects::application_id.eq(&id),
                    application_projects::project_id.eq(p),
                ))
                .execute(conn)?;
        }
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.application_update",
            object_type: "funding_application",
            object_id: &id,
            district_id: Some(&r.district_id),
            municipality_id: Some(&r.lead_municipality_id),
            summary: json!({"total_costs_cents": total, "requested_cents": requested, "shares_changed": i.shares.is_some()}),
        },
    )?;
    let row = load_application(conn, &actor, &id)?;
    detail(conn, &actor, row)
}

/// Submission and decision dates after a move to `status` at the UTC time `t`: a missing
/// date becomes the German calendar day of `t`, a given one stays.
fn status_dates(
    r: &ApplicationRow,
    status: ApplicationStatus,
    t: chrono::NaiveDateTime,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let today = crate::db::berlin_date(t);
    let submitted = if status == ApplicationStatus::Submitted {
        Some(r.submitted_on.unwrap_or(today))
    } else {
        r.submitted_on
    };
    let decided = if matches!(
        status,
        ApplicationStatus::Approved | ApplicationStatus::Rejected
    ) {
        Some(r.decision_on.unwrap_or(today))
    } else {
        r.decision_on
    };
    (submitted, decided)
}

pub fn change_application_status(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    c: ApplicationStatusChange,
) -> AppResult<ApplicationDetail> {
    let r = load_application(conn, &actor, &id)?;
    if !policy::can_manage_application(&actor, lead_scope(&r)) {
        return Err(AppError::Forbidden);
    }
    if r.version != version {
        return Err(AppError::PreconditionFailed);
    }
    let from = ApplicationStatus::parse(&r.status).unwrap_or(ApplicationStatus::Idea);
    if !from.can_move_to(c.status) {
        return Err(crate::api::not_a_step(
            "application",
            from.as_str(),
            c.status.as_str(),
            "",
        ));
    }
    let t = now();
    let (submitted, decided) = status_dates(&r, c.status, t);
    diesel::update(
        funding_applications::table
            .find(&id)
            .filter(funding_applications::version.eq(version)),
    )
    .set((
        funding_applications::status.eq(c.status.as_str()),
        funding_applications::submitted_on.eq(submitted),
        funding_applications::decision_on.eq(decided),
        funding_applications::updated_at.eq(t),
        funding_applications::version.eq(funding_applications::version + 1),
    ))
    .execute(conn)?;
    diesel::insert_into(application_history::table)
        .values((
            application_history::id.eq(new_id()),
            application_history::application_id.eq(&id),
            application_history::from_status.eq(Some(from.as_str())),
            application_history::to_status.eq(c.status.as_str()),
            application_history::note.eq(c.note.clone().unwrap_or_default()),
            application_history::changed_by.eq(Some(&actor.id)),
            application_history::changed_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.application_status",
            object_type: "funding_application",
            object_id: &id,
            district_id: Some(&r.district_id),
            municipality_id: Some(&r.lead_municipality_id),
            summary: json!({"from": from.as_str(), "to": c.status.as_str()}),
        },
    )?;
    let row = load_application(conn, &actor, &id)?;
    detail(conn, &actor, row)
}

pub fn add_checklist_item(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    title: String,
    i: NewChecklistItem,
) -> AppResult<ApplicationDetail> {
    let r = load_application(conn, &actor, &id)?;
    if !policy::can_manage_application(&actor, lead_scope(&r)) {
        return Err(AppError::Forbidden);
    }
    check_assignee(conn, &r, i.assignee_id.as_deref())?;
    let pos: Option<i32> = checklist_items::table
        .filter(checklist_items::application_id.eq(&id))
        .select(diesel::dsl::max(checklist_items::position))
        .first(conn)?;
    let iid = new_id();
    diesel::insert_into(checklist_items::table)
        .values((
            checklist_items::id.eq(&iid),
            checklist_items::application_id.eq(&id),
            checklist_items::title.eq(&title),
            checklist_items::assignee_id.eq(&i.assignee_id),
            checklist_items::due_date.eq(i.due_date),
            checklist_items::position.eq(pos.unwrap_or(0) + 1),
            checklist_items::version.eq(1),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.checklist_add",
            object_type: "checklist_item",
            object_id: &iid,
            district_id: Some(&r.district_id),
            municipality_id: Some(&r.lead_municipality_id),
            summary: json!({"title": title}),
        },
    )?;
    detail(conn, &actor, r)
}

pub fn update_checklist_item(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    i: ChecklistInput,
) -> AppResult<ApplicationDetail> {
    let item: Option<(
        String,
        String,
        Option<String>,
        Option<NaiveDate>,
        Option<chrono::NaiveDateTime>,
        i32,
    )> = checklist_items::table
        .find(&id)
        .select((
            checklist_items::application_id,
            checklist_items::title,
            checklist_items::assignee_id,
            checklist_items::due_date,
            checklist_items::done_at,
            checklist_items::version,
        ))
        .first(conn)
        .optional()?;
    let (aid, title, assignee, due, done_at, v) = item.ok_or(AppError::NotFound)?;
    let r = load_application(conn, &actor, &aid)?;
    let manage = policy::can_manage_application(&actor, lead_scope(&r));
    let is_assignee = assignee.as_deref() == Some(actor.id.as_str());
    let only_tick = i.title.is_none() && i.assignee_id.is_none() && i.due_date.is_none();
    if !(manage || is_assignee && only_tick) {
        return Err(AppError::Forbidden);
    }
    if v != version {
        return Err(AppError::PreconditionFailed);
    }
    let new_title = i.title.as_deref().map(checklist_title).transpose()?;
    if manage {
        check_assignee(conn, &r, i.assignee_id.as_deref())?;
    }
    let done_at = match i.done {
        Some(true) => done_at.or(Some(now())),
        Some(false) => None,
        None => done_at,
    };
    diesel::update(checklist_items::table.find(&id))
        .set((
            checklist_items::title.eq(new_title.unwrap_or(title)),
            checklist_items::assignee_id.eq(i.assignee_id.clone().or(assignee)),
            checklist_items::due_date.eq(i.due_date.or(due)),
            checklist_items::done_at.eq(done_at),
            checklist_items::done_by.eq(done_at.map(|_| actor.id.clone())),
            checklist_items::version.eq(checklist_items::version + 1),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.checklist_update",
            object_type: "checklist_item",
            object_id: &id,
            district_id: Some(&r.district_id),
            municipality_id: Some(&r.lead_municipality_id),
            summary: json!({"done": done_at.is_some()}),
        },
    )?;
    detail(conn, &actor, r)
}

pub fn replace_calendar_token(conn: &mut DbConn, uid: String, hash: String) -> AppResult<()> {
    diesel::delete(calendar_tokens::table.find(&uid)).execute(conn)?;
    diesel::insert_into(calendar_tokens::table)
        .values((
            calendar_tokens::user_id.eq(&uid),
            calendar_tokens::token_hash.eq(&hash),
            calendar_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn calendar_for_token(conn: &mut DbConn, hash: String, url: String) -> AppResult<String> {
    let uid: String = calendar_tokens::table
        .filter(calendar_tokens::token_hash.eq(&hash))
        .select(calendar_tokens::user_id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let user = crate::auth::queries::user_by_id(conn, &uid)?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)?;
    let mut entries = super::ics::entries_for(conn, &user, &url)?;
    // The town's continuity exercises (`processes::continuity`) share the feed.
    entries.extend(crate::processes::continuity::calendar_entries(
        conn, &user, &url,
    )?);
    Ok(super::ics::render(&entries))
}

pub fn delete_call(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<()> {
    let used: i64 = funding_applications::table
        .filter(funding_applications::call_id.eq(&id))
        .count()
        .get_result(conn)?;
    if used > 0 {
        return Err(AppError::Conflict(
            "Auf diesen Aufruf beziehen sich Anträge.".into(),
        ));
    }
    let n = diesel::delete(funding_calls::table.find(&id)).execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.call_delete",
            object_type: "funding_call",
            object_id: &id,
            district_id: actor.district_id.as_deref(),
            municipality_id: None,
            summary: json!({}),
        },
    )
}

pub fn update_programme(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    i: ProgrammeInput,
) -> AppResult<Programme> {
    let p = load_programme(conn, &id)?;
    if p.version != version {
        return Err(AppError::PreconditionFailed);
    }
    if let Some(chosen) = &i.topics {
        let known = crate::projects::queries::topic_ids(conn)?;
        if let Some(bad) = chosen.iter().find(|t| !known.contains(t)) {
            return Err(AppError::field(
                "topics",
                &format!("Das Thema „{bad}“ gibt es nicht."),
            ));
        }
        let mut chosen = chosen.clone();
        chosen.sort();
        chosen.dedup();
        super::set_programme_topics(conn, &id, &chosen)?;
    }
    let pick = |new: &Option<String>, old: String| {
        new.as_ref().map(|v| v.trim().to_string()).unwrap_or(old)
    };
    let n = diesel::update(
        funding_programmes::table
            .find(&id)
            .filter(funding_programmes::version.eq(version)),
    )
    .set((
        funding_programmes::name.eq(pick(&i.name, p.name.clone())),
        funding_programmes::funder.eq(pick(&i.funder, p.funder.clone())),
        funding_programmes::administering_body
            .eq(pick(&i.administering_body, p.administering_body.clone())),
        funding_programmes::level.eq(pick(&i.level, p.level.clone())),
        funding_programmes::region.eq(pick(&i.region, p.region.clone())),
        funding_programmes::eligible_applicants
            .eq(pick(&i.eligible_applicants, p.eligible_applicants.clone())),
        funding_programmes::funding_type.eq(pick(&i.funding_type, p.funding_type.clone())),
        funding_programmes::rate_bp.eq(i.rate_bp.or(p.rate_bp)),
        funding_programmes::increased_rate_bp.eq(i.increased_rate_bp.or(p.increased_rate_bp)),
        funding_programmes::increased_rate_condition.eq(pick(
            &i.increased_rate_condition,
            p.increased_rate_condition.clone(),
        )),
        funding_programmes::min_amount_cents.eq(i.min_amount_cents.or(p.min_amount_cents)),
        funding_programmes::max_amount_cents.eq(i.max_amount_cents.or(p.max_amount_cents)),
        funding_programmes::max_amount_note.eq(pick(&i.max_amount_note, p.max_amount_note.clone())),
        funding_programmes::description.eq(pick(&i.description, p.description.clone())),
        funding_programmes::website.eq(i
            .website
            .clone()
            .filter(|w| !w.is_empty())
            .or(p.website.clone())),
        funding_programmes::status.eq(pick(&i.status, p.status.clone())),
        funding_programmes::updated_at.eq(now()),
        funding_programmes::version.eq(funding_programmes::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "funding.programme_update",
            object_type: "funding_programme",
            object_id: &id,
            district_id: actor.district_id.as_deref(),
            municipality_id: None,
            summary: json!({"name": i.name, "rate_bp": i.rate_bp, "status": i.status, "topics": i.topics}),
        },
    )?;
    load_programme(conn, &id)
}

/// Whether `user_id` is the assignee of any checklist item of application `application_id`.
pub fn has_assigned_item(
    conn: &mut DbConn,
    application_id: &str,
    user_id: &str,
) -> AppResult<bool> {
    let assigned: i64 = checklist_items::table
        .filter(checklist_items::application_id.eq(application_id))
        .filter(checklist_items::assignee_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(assigned > 0)
}

/// The assignee of checklist item `item_id` of application `application_id`; `None` if the
/// application has no such item.
pub fn item_assignee(
    conn: &mut DbConn,
    application_id: &str,
    item_id: &str,
) -> AppResult<Option<Option<String>>> {
    Ok(checklist_items::table
        .filter(checklist_items::id.eq(item_id))
        .filter(checklist_items::application_id.eq(application_id))
        .select(checklist_items::assignee_id)
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_dates_are_german_calendar_days() {
        let created = NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let row = ApplicationRow {
            id: "a".into(),
            programme_id: "p".into(),
            call_id: None,
            district_id: "d".into(),
            lead_municipality_id: "m".into(),
            title: "Antrag".into(),
            total_costs_cents: 0,
            requested_cents: 0,
            approved_cents: None,
            status: "preparing".into(),
            submitted_on: None,
            decision_on: None,
            notes: String::new(),
            created_at: created,
            updated_at: created,
            version: 1,
        };
        // 1 Dec 2026, 23:30 UTC is 2 Dec, 00:30 in Berlin.
        let t = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap();
        let dec2 = NaiveDate::from_ymd_opt(2026, 12, 2);
        assert_eq!(
            status_dates(&row, ApplicationStatus::Submitted, t),
            (dec2, None)
        );
        let submitted = ApplicationRow {
            submitted_on: NaiveDate::from_ymd_opt(2026, 11, 20),
            ..row.clone()
        };
        assert_eq!(
            status_dates(&submitted, ApplicationStatus::Approved, t),
            (submitted.submitted_on, dec2),
            "a given submission date stays"
        );
        assert_eq!(
            status_dates(&row, ApplicationStatus::Rejected, t),
            (None, dec2)
        );
        // Positive control: at noon the UTC and the German day agree.
        let noon = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(
            status_dates(&row, ApplicationStatus::Submitted, noon).0,
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
    }
}
