//! Deadline reminders: "call closes in 14/7/1 days" and "checklist item due tomorrow"
//! events, recorded once each (the background loop calls this every tick).
use diesel::prelude::*;
use serde_json::json;

use crate::db::schema::{
    checklist_items, deadline_reminders, funding_applications, funding_calls, funding_interests,
    funding_programmes, municipalities,
};
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::events::{self, Event};

/// Records "call closes in 14/7/1 days" and "checklist item due tomorrow" events, once each.
pub fn record_deadline_events(conn: &mut DbConn, at: chrono::NaiveDateTime) -> AppResult<usize> {
    use chrono::TimeZone;
    let today = chrono_tz::Europe::Berlin
        .from_utc_datetime(&at)
        .date_naive();
    let mut n = 0;
    for days in [14i64, 7, 1] {
        let date = today + chrono::Duration::days(days);
        let calls: Vec<(String, String, String)> = funding_calls::table
            .inner_join(funding_programmes::table)
            .filter(funding_calls::deadline_date.eq(date))
            .select((
                funding_calls::id,
                funding_programmes::id,
                funding_programmes::name,
            ))
            .load(conn)?;
        for (cid, pid, name) in calls {
            let key = format!("call:{cid}:{days}");
            n += record_once(conn, &key, |conn| {
                // One event per district with interested or applying towns.
                let mut districts: Vec<String> = funding_interests::table
                    .inner_join(municipalities::table)
                    .filter(funding_interests::programme_id.eq(&pid))
                    .select(municipalities::district_id)
                    .load(conn)?;
                districts.extend(
                    funding_applications::table
                        .filter(funding_applications::programme_id.eq(&pid))
                        .select(funding_applications::district_id)
                        .load::<String>(conn)?,
                );
                districts.sort();
                districts.dedup();
                for d in districts {
                    events::record(
                        conn,
                        Event {
                            actor_id: None,
                            verb: "funding.deadline",
                            object_type: "funding_call",
                            object_id: &cid,
                            project_id: None,
                            district_id: Some(&d),
                            municipality_id: None,
                            visibility: None,
                            target_user_id: None,
                            payload: json!({"programme_id": pid, "programme": name, "days": days, "deadline": date}),
                        },
                    )?;
                }
                Ok(())
            })?;
        }
    }
    let due: Vec<(String, String, Option<String>)> = checklist_items::table
        .filter(checklist_items::done_at.is_null())
        .filter(checklist_items::due_date.eq(today + chrono::Duration::days(1)))
        .select((
            checklist_items::id,
            checklist_items::title,
            checklist_items::assignee_id,
        ))
        .load(conn)?;
    for (iid, title, assignee) in due {
        let Some(a) = assignee else { continue };
        n += record_once(conn, &format!("checklist:{iid}"), |conn| {
            events::record(
                conn,
                Event {
                    actor_id: None,
                    verb: "funding.checklist_due",
                    object_type: "checklist_item",
                    object_id: &iid,
                    project_id: None,
                    district_id: None,
                    municipality_id: None,
                    visibility: None,
                    target_user_id: Some(&a),
                    payload: json!({"title": title}),
                },
            )
        })?;
    }
    Ok(n)
}

fn record_once(
    conn: &mut DbConn,
    key: &str,
    f: impl FnOnce(&mut DbConn) -> AppResult<()>,
) -> AppResult<usize> {
    let done: i64 = deadline_reminders::table
        .find(key)
        .count()
        .get_result(conn)?;
    if done > 0 {
        return Ok(0);
    }
    let result = crate::db::write_transaction(conn, |conn| -> AppResult<()> {
        diesel::insert_into(deadline_reminders::table)
            .values((
                deadline_reminders::key.eq(key),
                deadline_reminders::created_at.eq(now()),
            ))
            .execute(conn)?;
        f(conn)
    });
    match result {
        Ok(()) => Ok(1),
        Err(AppError::Conflict(_)) => Ok(0),
        Err(e) => Err(e),
    }
}
