//! "Heute wichtig": what the signed-in user has to do soon — funding deadlines of the
//! own town's open applications and declared interests, checklist items assigned to
//! them, support requests waiting for them, own strategy measures due, news from
//! followed projects and, for coordinators, the district's key numbers. Every list is
//! one count and one bounded load (plus one lookup per list, never one per row).
use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Activity, ProgressNumbers, SupportNumbers};
use crate::auth::model::Actor;
use crate::auth::Role;
use crate::db::schema::{
    application_shares, checklist_items, events, follows, funding_applications, funding_calls,
    funding_interests, funding_programmes, goal_fields, measures, strategies, support_requests,
};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

/// How many entries each list carries at most; `total` says how many there are.
pub const LIST_LIMIT: i64 = 10;
/// The default horizon of "due soon", in days.
pub const DEFAULT_DAYS: u32 = 60;
const MAX_DAYS: u32 = 366;
/// Applications whose deadlines still matter: not yet submitted.
const PREPARING: [&str; 2] = ["idea", "preparing"];
/// Applications whose checklists still matter.
const CLOSED_APPLICATIONS: [&str; 2] = ["rejected", "withdrawn"];
const CLOSED_REQUESTS: [&str; 2] = ["resolved", "declined"];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TodayQuery {
    /// Horizon for deadlines and measures in days (1–366, default 60).
    pub days: Option<u32>,
}

impl TodayQuery {
    pub fn horizon(&self) -> AppResult<u32> {
        match self.days {
            None => Ok(DEFAULT_DAYS),
            Some(d) if (1..=MAX_DAYS).contains(&d) => Ok(d),
            Some(_) => Err(AppError::field(
                "days",
                "Der Zeitraum muss zwischen 1 und 366 Tagen liegen.",
            )),
        }
    }
}

/// One thing to do, with what the link opens.
#[derive(Debug, Serialize, ToSchema)]
pub struct TodayItem {
    /// What the link opens: `funding_application`, `funding_programme`,
    /// `support_request`, `town_strategy` (id = the town) or `district_strategy`
    /// (id = the district).
    pub kind: String,
    /// The id of the object the link opens.
    pub id: String,
    /// The object's own title (a call "Programm – Aufruf", a checklist item, a request, a measure).
    pub title: String,
    /// Where it belongs: the application, the goal field, the town of a request.
    pub context: Option<String>,
    /// Deadline or due date (Europe/Berlin).
    pub due_date: Option<NaiveDate>,
    pub due_time: Option<NaiveTime>,
    /// The raw status of requests and measures (`waiting`, `open`, `in_progress`, …).
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TodayList {
    /// At most 10 entries, the most urgent first.
    pub items: Vec<TodayItem>,
    /// How many there are in all.
    pub total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowedNews {
    /// The 10 newest events of followed projects the viewer may read.
    pub items: Vec<Activity>,
    pub total: i64,
}

/// The district's key numbers, from the district dashboard's queries.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictNumbers {
    pub district_id: String,
    pub projects: i64,
    pub projects_live: i64,
    pub support: SupportNumbers,
    pub strategy: ProgressNumbers,
    pub ozg_coverage: ProgressNumbers,
    pub requested_cents: i64,
    pub approved_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Today {
    /// Today in Europe/Berlin.
    pub today: NaiveDate,
    /// The horizon of deadlines and measures in days.
    pub days: u32,
    /// Funding calls closing within the horizon, for the own town's applications in
    /// preparation (as lead or partner) and the programmes it declared interest in;
    /// for coordinators, the district's applications in preparation.
    pub deadlines: TodayList,
    /// Open checklist items of funding applications assigned to the viewer.
    pub checklist: TodayList,
    /// Support requests waiting for the viewer: for officers the own town's requests in
    /// status `waiting` or whose last public message came from the district; for
    /// coordinators the district's new requests and those assigned to them.
    pub requests: TodayList,
    /// The viewer's strategy measures due within the horizon (or overdue).
    pub measures: TodayList,
    /// What changed in the projects the viewer follows.
    pub followed: FollowedNews,
    /// For coordinators: the district's key numbers.
    pub district: Option<DistrictNumbers>,
}

fn list(items: Vec<TodayItem>, total: i64) -> TodayList {
    TodayList { items, total }
}

fn empty() -> TodayList {
    list(vec![], 0)
}

type CallTuple = (String, String, String, String, NaiveDate, Option<NaiveTime>);

/// Funding deadlines between today and `until`.
fn deadlines(
    conn: &mut DbConn,
    viewer: &Actor,
    today: NaiveDate,
    until: NaiveDate,
) -> AppResult<TodayList> {
    // The applications in preparation whose deadlines concern the viewer.
    let mut apps = funding_applications::table
        .filter(funding_applications::status.eq_any(PREPARING))
        .into_boxed();
    let mut interests: Vec<String> = Vec::new();
    match (viewer.role, &viewer.municipality_id, &viewer.district_id) {
        (Role::Coordinator, _, Some(d)) => {
            apps = apps.filter(funding_applications::district_id.eq(d.clone()));
        }
        (Role::Officer | Role::Member, Some(town), Some(d)) => {
            apps = apps
                .filter(funding_applications::district_id.eq(d.clone()))
                .filter(
                    funding_applications::id.eq_any(
                        application_shares::table
                            .filter(application_shares::municipality_id.eq(town.clone()))
                            .select(application_shares::application_id),
                    ),
                );
            interests = funding_interests::table
                .filter(funding_interests::municipality_id.eq(town))
                .select(funding_interests::programme_id)
                .load(conn)?;
        }
        _ => return Ok(empty()),
    }
    let apps: Vec<(String, String, String, Option<String>)> = apps
        .select((
            funding_applications::id,
            funding_applications::title,
            funding_applications::programme_id,
            funding_applications::call_id,
        ))
        .order((
            funding_applications::updated_at.desc(),
            funding_applications::id.asc(),
        ))
        .load(conn)?;
    let call_ids: Vec<String> = apps.iter().filter_map(|a| a.3.clone()).collect();
    // An application without a chosen call watches every call of its programme.
    let mut programme_ids: Vec<String> = apps
        .iter()
        .filter(|a| a.3.is_none())
        .map(|a| a.2.clone())
        .collect();
    programme_ids.extend(interests.iter().cloned());
    if call_ids.is_empty() && programme_ids.is_empty() {
        return Ok(empty());
    }
    let filtered = || {
        funding_calls::table
            .inner_join(funding_programmes::table)
            .filter(funding_calls::deadline_date.ge(today))
            .filter(funding_calls::deadline_date.le(until))
            .filter(
                funding_calls::id
                    .eq_any(call_ids.clone())
                    .or(funding_calls::programme_id.eq_any(programme_ids.clone())),
            )
            .into_boxed()
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let calls: Vec<CallTuple> = filtered()
        .select((
            funding_calls::id,
            funding_calls::programme_id,
            funding_programmes::name,
            funding_calls::title,
            funding_calls::deadline_date,
            funding_calls::deadline_time,
        ))
        .order((
            funding_calls::deadline_date.asc(),
            funding_calls::deadline_time.is_null().asc(),
            funding_calls::deadline_time.asc(),
            funding_calls::id.asc(),
        ))
        .limit(LIST_LIMIT)
        .load(conn)?;
    let items = calls
        .into_iter()
        .map(|(cid, pid, programme, title, date, time)| {
            // The application for exactly this call, else one watching its programme.
            let app = apps
                .iter()
                .find(|a| a.3.as_deref() == Some(cid.as_str()))
                .or_else(|| apps.iter().find(|a| a.3.is_none() && a.2 == pid));
            let (kind, id, context) = match app {
                Some(a) => ("funding_application", a.0.clone(), Some(a.1.clone())),
                None => ("funding_programme", pid, None),
            };
            TodayItem {
                kind: kind.into(),
                id,
                title: format!("{programme} – {title}"),
                context,
                due_date: Some(date),
                due_time: time,
                status: None,
            }
        })
        .collect();
    Ok(list(items, total))
}

/// Open checklist items assigned to the viewer.
fn checklist(conn: &mut DbConn, viewer: &Actor) -> AppResult<TodayList> {
    let filtered = || {
        checklist_items::table
            .inner_join(funding_applications::table)
            .filter(checklist_items::assignee_id.eq(viewer.id.clone()))
            .filter(checklist_items::done_at.is_null())
            .filter(funding_applications::status.ne_all(CLOSED_APPLICATIONS))
            .into_boxed()
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<(String, String, String, Option<NaiveDate>)> = filtered()
        .select((
            funding_applications::id,
            funding_applications::title,
            checklist_items::title,
            checklist_items::due_date,
        ))
        .order((
            checklist_items::due_date.is_null().asc(),
            checklist_items::due_date.asc(),
            funding_applications::id.asc(),
            checklist_items::position.asc(),
        ))
        .limit(LIST_LIMIT)
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(app_id, app_title, title, due)| TodayItem {
            kind: "funding_application".into(),
            id: app_id,
            title,
            context: Some(app_title),
            due_date: due,
            due_time: None,
            status: None,
        })
        .collect();
    Ok(list(items, total))
}

/// The last public message of the request came from outside the requesting town: the
/// district replied and the town has to act.
const DISTRICT_REPLIED_LAST: &str = "EXISTS (SELECT 1 FROM support_messages m \
     JOIN users u ON u.id = m.author_id \
     WHERE m.request_id = support_requests.id AND NOT m.internal \
     AND (u.municipality_id IS NULL OR u.municipality_id <> support_requests.municipality_id) \
     AND NOT EXISTS (SELECT 1 FROM support_messages m2 \
       JOIN users u2 ON u2.id = m2.author_id \
       WHERE m2.request_id = support_requests.id AND NOT m2.internal \
       AND u2.municipality_id = support_requests.municipality_id \
       AND m2.created_at >= m.created_at))";

/// Support requests waiting for the viewer.
fn requests(conn: &mut DbConn, viewer: &Actor) -> AppResult<TodayList> {
    let filtered = || -> Option<support_requests::BoxedQuery<'static, crate::db::MultiBackend>> {
        let q = support_requests::table
            .filter(support_requests::status.ne_all(CLOSED_REQUESTS))
            .into_boxed();
        match (viewer.role, &viewer.municipality_id, &viewer.district_id) {
            (Role::Coordinator, _, Some(d)) => Some(
                q.filter(support_requests::district_id.eq(d.clone()))
                    .filter(
                        support_requests::status
                            .eq("open")
                            .or(support_requests::assignee_id.eq(viewer.id.clone())),
                    ),
            ),
            (Role::Officer, Some(town), _) => Some(
                q.filter(support_requests::municipality_id.eq(town.clone()))
                    .filter(
                        support_requests::status
                            .eq("waiting")
                            .or(diesel::dsl::sql::<Bool>(DISTRICT_REPLIED_LAST)),
                    ),
            ),
            _ => None,
        }
    };
    let Some(count) = filtered() else {
        return Ok(empty());
    };
    let total: i64 = count.count().get_result(conn)?;
    let rows: Vec<(String, String, String, Option<NaiveDate>)> = filtered()
        .map(|q| {
            q.select((
                support_requests::id,
                support_requests::title,
                support_requests::status,
                support_requests::wished_date,
            ))
            .order((
                support_requests::wished_date.is_null().asc(),
                support_requests::wished_date.asc(),
                support_requests::created_at.asc(),
                support_requests::id.asc(),
            ))
            .limit(LIST_LIMIT)
            .load(conn)
        })
        .transpose()?
        .unwrap_or_default();
    let items = rows
        .into_iter()
        .map(|(id, title, status, wished)| TodayItem {
            kind: "support_request".into(),
            id,
            title,
            context: None,
            due_date: wished,
            due_time: None,
            status: Some(status),
        })
        .collect();
    Ok(list(items, total))
}

/// The viewer's measures due by `until` (overdue ones included).
fn measures_due(conn: &mut DbConn, viewer: &Actor, until: NaiveDate) -> AppResult<TodayList> {
    let filtered = || {
        measures::table
            .inner_join(goal_fields::table.inner_join(strategies::table))
            .filter(measures::owner_user_id.eq(viewer.id.clone()))
            .filter(measures::status.ne_all(["done", "dropped"]))
            .filter(measures::target_date.le(until))
            .into_boxed()
    };
    let total: i64 = filtered().count().get_result(conn)?;
    type Row = (
        String,
        String,
        String,
        Option<NaiveDate>,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = filtered()
        .select((
            measures::title,
            measures::status,
            goal_fields::title,
            measures::target_date,
            strategies::district_id,
            strategies::municipality_id,
        ))
        .order((measures::target_date.asc(), measures::id.asc()))
        .limit(LIST_LIMIT)
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|(title, status, goal, due, district, town)| {
            let (kind, id) = match town {
                Some(t) => ("town_strategy", t),
                None => ("district_strategy", district),
            };
            TodayItem {
                kind: kind.into(),
                id,
                title,
                context: Some(goal),
                due_date: due,
                due_time: None,
                status: Some(status),
            }
        })
        .collect();
    Ok(list(items, total))
}

fn followed(conn: &mut DbConn, viewer: &Actor) -> AppResult<FollowedNews> {
    let Some(d) = viewer.district_id.clone() else {
        return Ok(FollowedNews {
            items: vec![],
            total: 0,
        });
    };
    let ids: Vec<String> = follows::table
        .filter(follows::user_id.eq(&viewer.id))
        .select(follows::project_id)
        .load(conn)?;
    let total: i64 = super::activity_filter(viewer, &d, Some(&ids))
        .select(diesel::dsl::count(events::id))
        .first(conn)?;
    let items = super::activity(conn, viewer, &d, Some(&ids), LIST_LIMIT)?;
    Ok(FollowedNews { items, total })
}

fn district_numbers(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    overdue_days: u32,
) -> AppResult<DistrictNumbers> {
    let d = super::district_dashboard(conn, viewer, district_id, overdue_days)?;
    Ok(DistrictNumbers {
        district_id: d.district_id,
        projects: d.projects_by_status.values().sum(),
        projects_live: d.projects_by_status.get("live").copied().unwrap_or(0),
        support: d.support,
        strategy: d.strategy,
        ozg_coverage: d.ozg_coverage,
        requested_cents: d.funding_by_town.iter().map(|f| f.requested_cents).sum(),
        approved_cents: d.funding_by_town.iter().map(|f| f.approved_cents).sum(),
    })
}

/// Everything "Heute wichtig" shows the viewer.
pub fn today(conn: &mut DbConn, viewer: &Actor, days: u32, overdue_days: u32) -> AppResult<Today> {
    let today = crate::db::today();
    let until = today + chrono::Duration::days(i64::from(days));
    let district = match (viewer.role, &viewer.district_id) {
        (Role::Coordinator, Some(d)) => Some(district_numbers(conn, viewer, d, overdue_days)?),
        _ => None,
    };
    Ok(Today {
        today,
        days,
        deadlines: deadlines(conn, viewer, today, until)?,
        checklist: checklist(conn, viewer)?,
        requests: requests(conn, viewer)?,
        measures: measures_due(conn, viewer, until)?,
        followed: followed(conn, viewer)?,
        district,
    })
}
