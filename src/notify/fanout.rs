//! From events to notifications: who hears about what, checked against the
//! visibility rule at the moment of delivery, and immediate mails queued in the same transaction.
use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;
use serde_json::Value;

use super::{mode_for, modes_of, Kind, Mode};
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    events, follows, notification_topics, notifications, project_topics, projects,
    support_requests, users,
};
use crate::db::{new_id, now, DbConn};
use crate::error::AppResult;
use crate::i18n::{labels, Locale};
use crate::projects::model::ProjectRow;
use crate::users::model::UserRow;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: String,
    pub actor_id: Option<String>,
    pub verb: String,
    pub object_type: String,
    pub object_id: String,
    pub project_id: Option<String>,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    pub visibility: Option<String>,
    pub target_user_id: Option<String>,
    pub payload: String,
    pub created_at: chrono::NaiveDateTime,
    pub processed_at: Option<chrono::NaiveDateTime>,
}

/// Who hears about `e`, and as which kind.
fn recipients(conn: &mut DbConn, e: &EventRow) -> AppResult<Vec<(String, Kind)>> {
    let mut out: Vec<(String, Kind)> = Vec::new();
    let district_users = |conn: &mut DbConn, d: &str| -> AppResult<Vec<String>> {
        Ok(users::table
            .filter(users::district_id.eq(d))
            .filter(users::active.eq(true))
            .select(users::id)
            .load(conn)?)
    };
    match e.verb.as_str() {
        "mention" => out.extend(e.target_user_id.clone().map(|u| (u, Kind::Mentions))),
        "support.assigned" => out.extend(e.target_user_id.clone().map(|u| (u, Kind::Assignments))),
        "funding.checklist_due" => out.extend(
            e.target_user_id
                .clone()
                .map(|u| (u, Kind::FundingDeadlines)),
        ),
        "funding.deadline" => {
            if let Some(d) = &e.district_id {
                out.extend(
                    district_users(conn, d)?
                        .into_iter()
                        .map(|u| (u, Kind::FundingDeadlines)),
                );
            }
        }
        "project.created" => {
            if let Some(d) = &e.district_id {
                out.extend(
                    district_users(conn, d)?
                        .into_iter()
                        .map(|u| (u, Kind::NewProjectsDistrict)),
                );
            }
            if matches!(e.visibility.as_deref(), Some("network" | "public")) {
                // Users outside the district who chose no topics hear about every project;
                // who chose topics hears about projects with one of them.
                let project_topics: Vec<String> = project_topics::table
                    .filter(project_topics::project_id.eq(e.project_id.clone().unwrap_or_default()))
                    .select(project_topics::topic_id)
                    .load(conn)?;
                let with_topics = notification_topics::table.select(notification_topics::user_id);
                let matching = notification_topics::table
                    .filter(notification_topics::topic_id.eq_any(project_topics))
                    .select(notification_topics::user_id);
                let others: Vec<String> = users::table
                    .filter(users::active.eq(true))
                    .filter(
                        users::district_id
                            .ne(e.district_id.clone().unwrap_or_default())
                            .or(users::district_id.is_null()),
                    )
                    .filter(
                        diesel::dsl::not(users::id.eq_any(with_topics))
                            .or(users::id.eq_any(matching)),
                    )
                    .select(users::id)
                    .load(conn)?;
                out.extend(others.into_iter().map(|u| (u, Kind::NewProjectsNetwork)));
            }
        }
        "adoption.created" | "adoption.status_changed" => {
            if let Some(d) = &e.district_id {
                out.extend(
                    district_users(conn, d)?
                        .into_iter()
                        .map(|u| (u, Kind::EfaAdoptions)),
                );
            }
        }
        "support.opened" => {
            let coordinators: Vec<String> = users::table
                .filter(users::role.eq("coordinator"))
                .filter(users::district_id.eq(e.district_id.clone().unwrap_or_default()))
                .filter(users::active.eq(true))
                .select(users::id)
                .load(conn)?;
            out.extend(coordinators.into_iter().map(|u| (u, Kind::SupportRequests)));
        }
        v if v.starts_with("support.") => {
            // Replies and status changes reach the town's officers and the assignee.
            let town_officers: Vec<String> = users::table
                .filter(users::role.eq("officer"))
                .filter(users::municipality_id.eq(e.municipality_id.clone().unwrap_or_default()))
                .filter(users::active.eq(true))
                .select(users::id)
                .load(conn)?;
            out.extend(
                town_officers
                    .into_iter()
                    .map(|u| (u, Kind::SupportRequests)),
            );
            let assignee: Option<Option<String>> = support_requests::table
                .find(&e.object_id)
                .select(support_requests::assignee_id)
                .first(conn)
                .optional()?;
            out.extend(assignee.flatten().map(|u| (u, Kind::SupportRequests)));
        }
        _ => {
            if let Some(p) = &e.project_id {
                let followers: Vec<String> = follows::table
                    .filter(follows::project_id.eq(p))
                    .select(follows::user_id)
                    .load(conn)?;
                out.extend(followers.into_iter().map(|u| (u, Kind::FollowedProjects)));
            }
        }
    }
    // The actor does not hear about their own doing; one notification per person.
    let mut seen = BTreeSet::new();
    out.retain(|(u, _)| Some(u) != e.actor_id.as_ref() && seen.insert(u.clone()));
    Ok(out)
}

/// "Zugewiesen → In Bearbeitung" from a payload's `from` and `to` codes.
fn status_change(p: &Value, domain: &str, locale: Locale) -> String {
    let label = |k: &str| {
        let code = payload_str(p, k);
        labels::value(locale, domain, &code)
            .map(str::to_string)
            .unwrap_or(code)
    };
    labels::fill(
        locale,
        "event.status_change",
        "{from} → {to}",
        &[("from", &label("from")), ("to", &label("to"))],
    )
}

fn payload_str(p: &Value, key: &str) -> String {
    p.get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Title, body and link of a notification in the recipient's language.
pub fn describe(
    e: &EventRow,
    actor: &str,
    project_title: &str,
    support_title: Option<&str>,
    locale: Locale,
) -> (String, String, String) {
    let p: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    let de = locale == Locale::De;
    let project_link = e.project_id.as_ref().map(|id| format!("/projekte/{id}"));
    let (title, body, link) = match e.verb.as_str() {
        "mention" => (
            if de {
                format!("{actor} hat Sie in „{project_title}“ erwähnt")
            } else {
                format!("{actor} mentioned you in \"{project_title}\"")
            },
            payload_str(&p, "excerpt"),
            project_link,
        ),
        "comment.created" => (
            if de {
                format!("{actor} hat „{project_title}“ kommentiert")
            } else {
                format!("{actor} commented on \"{project_title}\"")
            },
            payload_str(&p, "excerpt"),
            project_link,
        ),
        "update.created" => (
            if de {
                format!("Neuer Fortschrittsbericht zu „{project_title}“")
            } else {
                format!("New progress update on \"{project_title}\"")
            },
            payload_str(&p, "title"),
            project_link,
        ),
        "project.created" => (
            if de {
                format!("Neues Projekt: „{project_title}“")
            } else {
                format!("New project: \"{project_title}\"")
            },
            String::new(),
            project_link,
        ),
        "project.status_changed" => (
            if de {
                format!("„{project_title}“ hat einen neuen Status")
            } else {
                format!("\"{project_title}\" has a new status")
            },
            status_change(&p, "project", locale),
            project_link,
        ),
        "project.updated" => (
            if de {
                format!("„{project_title}“ wurde geändert")
            } else {
                format!("\"{project_title}\" was edited")
            },
            String::new(),
            project_link,
        ),
        "partner.added" | "partner.requested" => (
            if de {
                format!("Neue mitwirkende Kommune bei „{project_title}“")
            } else {
                format!("New partner town on \"{project_title}\"")
            },
            String::new(),
            project_link,
        ),
        "adoption.created" | "adoption.status_changed" => {
            // The town and the solution by name, linked to the solution's page (events
            // written before they carried both still read and link as before).
            let (town, solution) = (payload_str(&p, "town"), payload_str(&p, "solution"));
            let what = match (de, town.is_empty()) {
                (true, false) => format!("{town}: EfA-Nachnutzung „{solution}“"),
                (true, true) => format!("EfA-Nachnutzung: {solution}"),
                (false, false) => format!("{town}: EfA adoption \"{solution}\""),
                (false, true) => format!("EfA adoption: {solution}"),
            };
            let solution_id = payload_str(&p, "solution_id");
            (
                what,
                labels::value(locale, "adoption", &payload_str(&p, "to"))
                    .or_else(|| labels::value(locale, "adoption", &payload_str(&p, "status")))
                    .unwrap_or_default()
                    .to_string(),
                Some(if solution_id.is_empty() {
                    "/efa/matrix".into()
                } else {
                    format!("/efa/{solution_id}")
                }),
            )
        }
        "funding.deadline" => (
            if de {
                format!(
                    "Förderfrist in {} Tag(en): {}",
                    p.get("days").and_then(|d| d.as_i64()).unwrap_or(0),
                    payload_str(&p, "programme")
                )
            } else {
                format!(
                    "Funding deadline in {} day(s): {}",
                    p.get("days").and_then(|d| d.as_i64()).unwrap_or(0),
                    payload_str(&p, "programme")
                )
            },
            chrono::NaiveDate::parse_from_str(&payload_str(&p, "deadline"), "%Y-%m-%d")
                .map(|d| labels::date(d, locale))
                .unwrap_or_default(),
            Some("/foerderung".into()),
        ),
        "funding.checklist_due" => (
            if de {
                format!("Morgen fällig: {}", payload_str(&p, "title"))
            } else {
                format!("Due tomorrow: {}", payload_str(&p, "title"))
            },
            String::new(),
            Some("/foerderung".into()),
        ),
        "support.assigned" => (
            if de {
                format!("{actor} hat Ihnen eine Unterstützungsanfrage zugewiesen")
            } else {
                format!("{actor} assigned a support request to you")
            },
            String::new(),
            Some(format!("/unterstuetzung/{}", e.object_id)),
        ),
        v if v.starts_with("support.") => {
            let title = support_title
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .or_else(|| Some(payload_str(&p, "title")).filter(|t| !t.is_empty()))
                .unwrap_or_else(|| {
                    labels::get(locale, "event.support.untitled")
                        .unwrap_or_default()
                        .to_string()
                });
            let key = format!("event.{v}");
            let key = if labels::get(locale, &key).is_some() {
                key
            } else {
                "event.support.other".to_string()
            };
            let status =
                labels::value(locale, "support", &payload_str(&p, "to")).unwrap_or_default();
            let body = if v == "support.status_changed" {
                status_change(&p, "support", locale)
            } else {
                payload_str(&p, "excerpt")
            };
            (
                labels::fill(
                    locale,
                    &key,
                    "{title}",
                    &[("title", &title), ("status", status)],
                ),
                body,
                Some(format!("/unterstuetzung/{}", e.object_id)),
            )
        }
        other => (
            labels::get(locale, "event.other")
                .unwrap_or(other)
                .to_string(),
            String::new(),
            project_link,
        ),
    };
    (title, body, link.unwrap_or_else(|| "/".into()))
}

/// Turns up to `limit` unprocessed events into notifications (in one transaction).
/// Returns how many events were processed.
pub fn process_batch(conn: &mut DbConn, public_url: &str, limit: i64) -> AppResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        let batch: Vec<EventRow> = events::table
            .filter(events::processed_at.is_null())
            .select(EventRow::as_select())
            .order((events::created_at.asc(), events::id.asc()))
            .limit(limit)
            .load(conn)?;
        if batch.is_empty() {
            return Ok(0);
        }
        // Everything a batch needs, loaded once.
        let project_ids: Vec<String> = batch.iter().filter_map(|e| e.project_id.clone()).collect();
        let projects: HashMap<String, ProjectRow> = projects::table
            .filter(projects::id.eq_any(&project_ids))
            .select(ProjectRow::as_select())
            .load::<ProjectRow>(conn)?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let support_ids: Vec<&str> = batch
            .iter()
            .filter(|e| e.object_type == "support_request")
            .map(|e| e.object_id.as_str())
            .collect();
        let support_titles: HashMap<String, String> = support_requests::table
            .filter(support_requests::id.eq_any(&support_ids))
            .select((support_requests::id, support_requests::title))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        let mut per_event = Vec::with_capacity(batch.len());
        let mut all_users: BTreeSet<String> = BTreeSet::new();
        for e in &batch {
            let r = recipients(conn, e)?;
            all_users.extend(r.iter().map(|(u, _)| u.clone()));
            all_users.extend(e.actor_id.clone());
            per_event.push(r);
        }
        let ids: Vec<String> = all_users.into_iter().collect();
        let people: HashMap<String, UserRow> = users::table
            .filter(users::id.eq_any(&ids))
            .select(UserRow::as_select())
            .load::<UserRow>(conn)?
            .into_iter()
            .map(|u| (u.id.clone(), u))
            .collect();
        let modes = modes_of(conn, &ids)?;
        let t = now();
        for (e, recipients) in batch.iter().zip(per_event) {
            let project = e.project_id.as_ref().and_then(|p| projects.get(p));
            let actor_name = e
                .actor_id
                .as_ref()
                .and_then(|a| people.get(a))
                .map(|u| u.name.clone())
                .unwrap_or_else(|| "Jemand".into());
            for (uid, kind) in recipients {
                let Some(user) = people.get(&uid).filter(|u| u.active) else {
                    continue;
                };
                // Visibility now, not when the event happened.
                if let Some(p) = project {
                    if !policy::can_read_project(
                        Some(&user.actor()),
                        Scope::new(Some(&p.district_id), Some(&p.municipality_id)),
                        &p.visibility,
                    ) {
                        continue;
                    }
                }
                if e.project_id.is_some() && project.is_none() {
                    continue;
                }
                if e.object_type == "support_request"
                    && !policy::can_read_support(
                        &user.actor(),
                        Scope::new(e.district_id.as_deref(), e.municipality_id.as_deref()),
                    )
                {
                    continue;
                }
                let mode = mode_for(&modes, &uid, kind);
                if mode == Mode::Off {
                    continue;
                }
                let locale = Locale::parse(&user.locale);
                let (title, body, link) = describe(
                    e,
                    &actor_name,
                    project.map(|p| p.title.as_str()).unwrap_or(""),
                    support_titles.get(&e.object_id).map(String::as_str),
                    locale,
                );
                diesel::insert_into(notifications::table)
                    .values((
                        notifications::id.eq(new_id()),
                        notifications::user_id.eq(&uid),
                        notifications::event_id.eq(&e.id),
                        notifications::kind.eq(kind.as_str()),
                        notifications::mode.eq(mode.as_str()),
                        notifications::project_id.eq(&e.project_id),
                        notifications::title.eq(&title),
                        notifications::body.eq(&body),
                        notifications::link.eq(&link),
                        notifications::created_at.eq(e.created_at),
                    ))
                    .execute(conn)?;
                if mode == Mode::Immediate {
                    let mail = crate::mail::render(
                        "notification",
                        locale,
                        &user.email,
                        minijinja::context! {
                            name => user.name,
                            title => title,
                            body => body,
                            link => format!("{public_url}{link}"),
                            settings_link => format!("{public_url}/profil/benachrichtigungen"),
                        },
                    )?;
                    super::outbox::enqueue_about(
                        conn,
                        "instant",
                        Some(&uid),
                        Some(&format!("instant:{}:{}", uid, e.id)),
                        e.project_id.as_deref(),
                        &mail,
                    )?;
                }
            }
        }
        let done: Vec<&str> = batch.iter().map(|e| e.id.as_str()).collect();
        diesel::update(events::table.filter(events::id.eq_any(&done)))
            .set(events::processed_at.eq(Some(t)))
            .execute(conn)?;
        Ok(batch.len())
    })
}
