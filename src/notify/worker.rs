//! Background work inside the server: turning events into notifications, queueing
//! due digests, and delivering the outbox. Several server processes may run it: the
//! event fan-out holds a lease, digests and mails are claimed per row.
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::Duration as ChronoDuration;
use diesel::prelude::*;
use tokio::sync::Notify;

use crate::app::AppState;
use crate::db::schema::worker_leases;
use crate::db::{new_id, now, DbConn};
use crate::error::AppResult;

/// Wakes the workers when something was queued, so mails need not wait for the next tick.
#[derive(Clone, Default)]
pub struct Wakeup(pub Arc<Notify>);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Takes or renews the lease `name` for `holder`; false when another process holds it.
pub fn acquire_lease(conn: &mut DbConn, name: &str, holder: &str, secs: i64) -> AppResult<bool> {
    let t = now();
    let n = diesel::update(
        worker_leases::table
            .filter(worker_leases::name.eq(name))
            .filter(
                worker_leases::holder
                    .is_null()
                    .or(worker_leases::holder.eq(holder))
                    .or(worker_leases::lease_until.lt(t)),
            ),
    )
    .set((
        worker_leases::holder.eq(Some(holder)),
        worker_leases::lease_until.eq(Some(t + ChronoDuration::seconds(secs))),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// One round of all background work (also used by `digitalnetzwerk digest run`).
pub fn tick(state: &AppState, holder: &str, at: chrono::NaiveDateTime) -> AppResult<usize> {
    let mut conn = state
        .pool
        .get()
        .map_err(|e| crate::error::AppError::unavailable(format!("database: {e}")))?;
    if acquire_lease(&mut conn, "events", holder, 60)? {
        crate::funding::routes::record_deadline_events(&mut conn, at)?;
        while super::fanout::process_batch(&mut conn, &state.config.public_url, 200)? > 0 {}
    }
    super::digest::run_due(&mut conn, at, &state.config.public_url)?;
    maybe_optimize(&mut conn);
    drop(conn);
    let give_up = ChronoDuration::hours(state.config.outbox_give_up_hours);
    let lease = ChronoDuration::seconds(state.config.outbox_claim_secs);
    super::outbox::deliver_due(&state.pool, &state.mailer, holder, give_up, lease)
}

/// Refreshes the planner statistics at start and then once an hour (per process).
fn maybe_optimize(conn: &mut DbConn) {
    use std::sync::atomic::{AtomicI64, Ordering};
    static LAST: AtomicI64 = AtomicI64::new(i64::MIN);
    let now_s = chrono::Utc::now().timestamp();
    let last = LAST.load(Ordering::Relaxed);
    if now_s.saturating_sub(last) < 3600 {
        return;
    }
    LAST.store(now_s, Ordering::Relaxed);
    if let Err(e) = crate::db::optimize(conn) {
        tracing::warn!(error = %e, "PRAGMA optimize failed");
    }
}

/// Starts the background loop on the current actix runtime.
pub fn start(state: web::Data<AppState>) {
    let holder = format!("{}-{}", std::process::id(), new_id());
    let interval = Duration::from_millis(state.config.worker_interval_ms);
    actix_web::rt::spawn(async move {
        loop {
            let (s, h) = (state.clone(), holder.clone());
            match web::block(move || tick(&s, &h, now())).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "background work failed; retrying"),
                Err(e) => tracing::warn!(error = %e, "background task failed; retrying"),
            }
            let wake = state.wakeup.0.clone();
            let _ = tokio::time::timeout(interval, wake.notified()).await;
        }
    });
}
