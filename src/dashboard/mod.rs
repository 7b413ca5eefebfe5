//! Dashboards: where the district stands and what a town has to do. Numbers come
//! from a fixed number of aggregate queries however many towns or projects there
//! are, and count only what the viewer may see.
pub mod cache;
pub mod routes;
pub mod today;

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::model::Actor;
use crate::db::schema::{
    adoptions, events, follows, goal_fields, measures, municipalities, ozg_services,
    project_ozg_services, project_topics, projects, strategies, support_requests, themenfelder,
    topics, users,
};
use crate::db::utc;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::projects::visibility::{names_no_hidden_project, visible_in_district, visible_to};

#[derive(Debug, Serialize, ToSchema)]
pub struct TownProjects {
    pub municipality_id: String,
    pub name: String,
    /// Projects per status (`idea`, `draft`, …).
    pub by_status: BTreeMap<String, i64>,
    pub total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedCount {
    pub id: String,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportNumbers {
    pub open: i64,
    pub overdue: i64,
    pub unassigned: i64,
    /// Median minutes to the first reply, over requests that got one.
    pub median_response_minutes: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressNumbers {
    pub done: i64,
    pub total: i64,
    pub percent: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    pub verb: String,
    pub object_type: String,
    pub object_id: String,
    pub project_id: Option<String>,
    pub project_title: Option<String>,
    pub actor_name: Option<String>,
    pub municipality_name: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictDashboard {
    pub district_id: String,
    pub projects_by_town: Vec<TownProjects>,
    pub projects_by_status: BTreeMap<String, i64>,
    pub projects_by_topic: Vec<NamedCount>,
    pub projects_by_themenfeld: Vec<NamedCount>,
    pub adoptions_by_status: BTreeMap<String, i64>,
    pub ozg_coverage: ProgressNumbers,
    pub support: SupportNumbers,
    pub strategy: ProgressNumbers,
    /// Funding requested and approved per town (open, submitted and approved applications).
    pub funding_by_town: Vec<FundingNumbers>,
    pub recent_activity: Vec<Activity>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FundingNumbers {
    pub municipality_id: String,
    pub name: String,
    pub requested_cents: i64,
    pub approved_cents: i64,
}

fn percent(done: i64, total: i64) -> ProgressNumbers {
    let p = if total == 0 {
        0.0
    } else {
        (done as f64 * 1000.0 / total as f64).round() / 10.0
    };
    ProgressNumbers {
        done,
        total,
        percent: p,
    }
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    })
}

type EventTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    chrono::NaiveDateTime,
);

/// The events of `district` the viewer may see (project events only of projects the
/// viewer may read; support events only on the district side and for that town),
/// restricted to `project_ids` when given.
fn activity_filter<'a>(
    viewer: &Actor,
    district_id: &str,
    project_ids: Option<&[String]>,
) -> events::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut q = events::table
        .filter(events::district_id.eq(district_id.to_string()))
        .filter(events::target_user_id.is_null())
        .filter(events::verb.ne_all(["support.noted"]))
        // Project events only of projects the viewer may read, decided per event row.
        .filter(names_no_hidden_project("events.project_id", viewer))
        .into_boxed();
    if let Some(ids) = project_ids {
        q = q.filter(events::project_id.eq_any(ids.to_vec()));
    }
    // Support events are about a town's request: only the district side and that town see them.
    if viewer.role == crate::auth::Role::Officer || viewer.role == crate::auth::Role::Member {
        q =
            q.filter(events::object_type.ne("support_request").or(
                events::municipality_id.eq(viewer.municipality_id.clone().unwrap_or_default()),
            ));
    }
    q
}

/// Recent events of `district`: project events only for projects the viewer may see.
fn activity(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    project_ids: Option<&[String]>,
    limit: i64,
) -> AppResult<Vec<Activity>> {
    let query = activity_filter(viewer, district_id, project_ids)
        .select((
            events::verb,
            events::object_type,
            events::object_id,
            events::project_id,
            events::actor_id,
            events::municipality_id,
            events::payload,
            events::created_at,
        ))
        .order((events::created_at.desc(), events::id.desc()))
        .limit(limit);
    // Newest first; visibility is part of the query, so the first `limit` rows are the answer.
    let rows: Vec<EventTuple> = query.load(conn)?;
    let pids: Vec<&str> = rows.iter().filter_map(|r| r.3.as_deref()).collect();
    let titles: HashMap<String, String> = projects::table
        .filter(projects::id.eq_any(&pids))
        .select((projects::id, projects::title))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let aids: Vec<&str> = rows.iter().filter_map(|r| r.4.as_deref()).collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&aids))
        .select((users::id, users::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mids: Vec<&str> = rows.iter().filter_map(|r| r.5.as_deref()).collect();
    let towns: HashMap<String, String> = municipalities::table
        .filter(municipalities::id.eq_any(&mids))
        .select((municipalities::id, municipalities::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(verb, object_type, object_id, project_id, actor_id, municipality_id, payload, at)| {
                Activity {
                    project_title: project_id.as_ref().and_then(|p| titles.get(p).cloned()),
                    actor_name: actor_id.as_ref().and_then(|a| names.get(a).cloned()),
                    municipality_name: municipality_id.as_ref().and_then(|m| towns.get(m).cloned()),
                    payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                    created_at: utc(at),
                    verb,
                    object_type,
                    object_id,
                    project_id,
                }
            },
        )
        .collect())
}

fn funding_numbers(conn: &mut DbConn, district_id: &str) -> AppResult<Vec<FundingNumbers>> {
    let overview = crate::funding::queries::overview(conn, district_id)?;
    let mut by: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for r in overview.rows {
        let e = by
            .entry((r.municipality_name, r.municipality_id))
            .or_default();
        e.0 += r.requested_cents;
        e.1 += r.approved_cents;
    }
    Ok(by
        .into_iter()
        .map(
            |((name, municipality_id), (requested_cents, approved_cents))| FundingNumbers {
                municipality_id,
                name,
                requested_cents,
                approved_cents,
            },
        )
        .collect())
}

pub fn district_dashboard(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    overdue_days: u32,
) -> AppResult<DistrictDashboard> {
    let towns: Vec<(String, String)> = municipalities::table
        .filter(municipalities::district_id.eq(district_id))
        .select((municipalities::id, municipalities::name))
        .order(municipalities::name.asc())
        .load(conn)?;
    let counts: Vec<(String, String, i64)> = projects::table
        .filter(visible_in_district(viewer, district_id))
        .group_by((projects::municipality_id, projects::status))
        .select((
            projects::municipality_id,
            projects::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut per_town: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    for (m, s, n) in counts {
        *per_town.entry(m).or_default().entry(s.clone()).or_default() += n;
        *by_status.entry(s).or_default() += n;
    }
    let projects_by_town = towns
        .iter()
        .map(|(id, name)| {
            let by_status = per_town.remove(id).unwrap_or_default();
            TownProjects {
                municipality_id: id.clone(),
                name: name.clone(),
                total: by_status.values().sum(),
                by_status,
            }
        })
        .collect();
    // Counted in the database, visibility included (the district index answers it).
    let topic_names: BTreeMap<String, String> = topics::table
        .select((topics::id, topics::name_de))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let per_topic: Vec<(String, i64)> = project_topics::table
        .inner_join(projects::table)
        .filter(visible_in_district(viewer, district_id))
        .group_by(project_topics::topic_id)
        .select((project_topics::topic_id, diesel::dsl::count_star()))
        .load(conn)?;
    let mut projects_by_topic: Vec<NamedCount> = per_topic
        .into_iter()
        .map(|(id, count)| NamedCount {
            name: topic_names.get(&id).cloned().unwrap_or_else(|| id.clone()),
            id,
            count,
        })
        .collect();
    projects_by_topic.sort_by(|a, b| a.name.cmp(&b.name));
    // A project counts once per Themenfeld even with several OZG services in it.
    let per_tf: Vec<(i32, String, i64)> = project_ozg_services::table
        .inner_join(projects::table)
        .inner_join(ozg_services::table.inner_join(themenfelder::table))
        .filter(visible_in_district(viewer, district_id))
        .group_by((themenfelder::id, themenfelder::name))
        .select((
            themenfelder::id,
            themenfelder::name,
            diesel::dsl::count(project_ozg_services::project_id).aggregate_distinct(),
        ))
        .load(conn)?;
    let mut per_tf = per_tf;
    per_tf.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let projects_by_themenfeld: Vec<NamedCount> = per_tf
        .into_iter()
        .map(|(id, name, count)| NamedCount {
            id: id.to_string(),
            name,
            count,
        })
        .collect();
    let adoptions_by_status: BTreeMap<String, i64> = adoptions::table
        .filter(adoptions::district_id.eq(district_id))
        .group_by(adoptions::status)
        .select((adoptions::status, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let cov = crate::efa::coverage::coverage_counts(conn, viewer, district_id)?;
    let open: Vec<crate::support::model::RequestRow> = support_requests::table
        .filter(support_requests::district_id.eq(district_id))
        .filter(support_requests::status.ne_all(["resolved", "declined"]))
        .select(crate::support::model::RequestRow::as_select())
        .load(conn)?;
    let today = crate::db::today();
    let responded: Vec<(chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> =
        support_requests::table
            .filter(support_requests::district_id.eq(district_id))
            .filter(support_requests::first_response_at.is_not_null())
            .select((
                support_requests::created_at,
                support_requests::first_response_at,
            ))
            .load(conn)?;
    let overdue_rule = crate::support::model::OverdueRule::load(conn, overdue_days)?;
    let support = SupportNumbers {
        open: open.len() as i64,
        overdue: open
            .iter()
            .filter(|r| overdue_rule.is_overdue(r, today))
            .count() as i64,
        unassigned: open.iter().filter(|r| r.assignee_id.is_none()).count() as i64,
        median_response_minutes: median(
            responded
                .into_iter()
                .filter_map(|(c, f)| f.map(|f| (f - c).num_minutes()))
                .collect(),
        ),
    };
    let statuses: Vec<String> = measures::table
        .inner_join(goal_fields::table.inner_join(strategies::table))
        .filter(strategies::district_id.eq(district_id))
        .filter(strategies::municipality_id.is_null())
        .select(measures::status)
        .load(conn)?;
    let done = statuses.iter().filter(|s| *s == "done").count() as i64;
    let total = statuses.iter().filter(|s| *s != "dropped").count() as i64;
    Ok(DistrictDashboard {
        district_id: district_id.to_string(),
        projects_by_town,
        projects_by_status: by_status,
        projects_by_topic,
        projects_by_themenfeld,
        adoptions_by_status,
        ozg_coverage: percent(cov.0, cov.1),
        support,
        strategy: percent(done, total),
        funding_by_town: funding_numbers(conn, district_id)?,
        recent_activity: activity(conn, viewer, district_id, None, 20)?,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureTask {
    pub id: String,
    pub title: String,
    pub goal_field_title: String,
    pub status: String,
    pub target_date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestTask {
    pub id: String,
    pub title: String,
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TownDashboard {
    pub municipality_id: Option<String>,
    pub municipality_name: Option<String>,
    /// Open support requests of the own town.
    pub open_requests: Vec<RequestTask>,
    /// Measures the user is responsible for that are not done or dropped.
    pub my_measures: Vec<MeasureTask>,
    pub projects_by_status: BTreeMap<String, i64>,
    /// News from followed projects.
    pub followed_news: Vec<Activity>,
}

pub fn town_dashboard(conn: &mut DbConn, viewer: &Actor) -> AppResult<TownDashboard> {
    let town = viewer.municipality_id.clone();
    let name: Option<String> = match &town {
        Some(t) => municipalities::table
            .find(t)
            .select(municipalities::name)
            .first(conn)
            .optional()?,
        None => None,
    };
    let open_requests = match &town {
        Some(t) => support_requests::table
            .filter(support_requests::municipality_id.eq(t))
            .filter(support_requests::status.ne_all(["resolved", "declined"]))
            .select((
                support_requests::id,
                support_requests::title,
                support_requests::status,
                support_requests::created_at,
            ))
            .order(support_requests::created_at.desc())
            .limit(20)
            .load::<(String, String, String, chrono::NaiveDateTime)>(conn)?
            .into_iter()
            .map(|(id, title, status, at)| RequestTask {
                id,
                title,
                status,
                created_at: utc(at),
            })
            .collect(),
        None => vec![],
    };
    let my_measures = measures::table
        .inner_join(goal_fields::table)
        .filter(measures::owner_user_id.eq(&viewer.id))
        .filter(measures::status.ne_all(["done", "dropped"]))
        .select((
            measures::id,
            measures::title,
            goal_fields::title,
            measures::status,
            measures::target_date,
        ))
        .order((measures::target_date.asc(), measures::id.asc()))
        .limit(20)
        .load::<(String, String, String, String, Option<chrono::NaiveDate>)>(conn)?
        .into_iter()
        .map(
            |(id, title, goal_field_title, status, target_date)| MeasureTask {
                id,
                title,
                goal_field_title,
                status,
                target_date,
            },
        )
        .collect();
    let projects_by_status: BTreeMap<String, i64> = match &town {
        Some(t) => projects::table
            .filter(visible_to(Some(viewer)))
            .filter(projects::municipality_id.eq(t))
            .group_by(projects::status)
            .select((projects::status, diesel::dsl::count_star()))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect(),
        None => BTreeMap::new(),
    };
    let followed: Vec<String> = follows::table
        .filter(follows::user_id.eq(&viewer.id))
        .select(follows::project_id)
        .load(conn)?;
    let followed_news = match &viewer.district_id {
        Some(d) => activity(conn, viewer, d, Some(&followed), 20)?,
        None => vec![],
    };
    Ok(TownDashboard {
        municipality_id: town,
        municipality_name: name,
        open_requests,
        my_measures,
        projects_by_status,
        followed_news,
    })
}
