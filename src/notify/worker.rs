//! Background work inside the server: turning events into notifications, queueing
//! due digests, and delivering the outbox. Several server processes may run it: the
//! event fan-out holds a lease, digests and mails are claimed per row. On shutdown the
//! loop finishes the mail it is sending, then gives back its claims and its lease.
use std::time::{Duration, Instant};

use actix_web::web;
use chrono::Duration as ChronoDuration;
use diesel::prelude::*;

use crate::db::schema::worker_leases;
use crate::db::{now, DbConn};
use crate::error::AppResult;
use crate::state::AppState;

/// Asks the background loop to stop after the mail it is sending (idempotent).
pub fn request_stop(state: &AppState) {
    state.background.stop_requested_at.get_or_init(Instant::now);
    state.wakeup.wake();
}

/// Gives back what `holder` holds: outbox rows it claimed and has not handed over, and
/// the event lease, so another process (or the next start) goes on at once. Returns how
/// many mails were given back.
pub fn release(conn: &mut DbConn, holder: &str) -> AppResult<usize> {
    let released = super::outbox::release_claims(conn, holder)?;
    diesel::update(
        worker_leases::table
            .filter(worker_leases::holder.eq(holder))
            .filter(worker_leases::name.eq("events")),
    )
    .set((
        worker_leases::holder.eq(None::<String>),
        worker_leases::lease_until.eq(None::<chrono::NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(released)
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

/// One round of all background work (also used by `digitalnetzwerk digest run`). A
/// requested stop is heeded between its phases and between mails, never inside one.
pub fn tick(state: &AppState, holder: &str, at: chrono::NaiveDateTime) -> AppResult<usize> {
    let stop = || state.background.stop_requested();
    let mut conn = state
        .pool
        .get()
        .map_err(|e| crate::error::AppError::unavailable(format!("database: {e}")))?;
    if acquire_lease(&mut conn, "events", holder, 60)? {
        crate::funding::deadlines::record_deadline_events(&mut conn, at)?;
        while !stop() && super::fanout::process_batch(&mut conn, &state.config.public_url, 200)? > 0
        {
        }
    }
    if stop() {
        return Ok(0);
    }
    let digests_started = std::time::Instant::now();
    let digests = super::digest::run_due(&mut conn, at, &state.config.public_url);
    state.metrics.observe_digest_run(digests_started.elapsed());
    digests?;
    if stop() {
        return Ok(0);
    }
    maybe_optimize(&mut conn);
    drop(conn);
    let give_up = ChronoDuration::hours(state.config.outbox_give_up_hours);
    let lease = ChronoDuration::seconds(state.config.outbox_claim_secs);
    super::outbox::deliver_due(&state.pool, &state.mailer, holder, give_up, lease, &stop)
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

/// Starts the background loop on the current actix runtime; it runs until
/// [`request_stop`], then releases what it holds and reports itself stopped.
pub fn start(state: web::Data<AppState>) {
    let interval = Duration::from_millis(state.config.worker_interval_ms);
    actix_web::rt::spawn(async move {
        while !state.background.stop_requested() {
            let s = state.clone();
            match web::block(move || tick(&s, &s.background.holder, now())).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    state.metrics.background_error("work");
                    tracing::warn!(error = %e, "background work failed; retrying")
                }
                Err(e) => {
                    state.metrics.background_error("task");
                    tracing::warn!(error = %e, "background task failed; retrying")
                }
            }
            if state.background.stop_requested() {
                break;
            }
            let wake = state.wakeup.0.clone();
            let _ = tokio::time::timeout(interval, wake.notified()).await;
        }
        let s = state.clone();
        match web::block(move || {
            let mut conn = s
                .pool
                .get()
                .map_err(|e| crate::error::AppError::unavailable(format!("database: {e}")))?;
            release(&mut conn, &s.background.holder)
        })
        .await
        {
            Ok(Ok(n)) => tracing::info!(mails_released = n, "background work stopped"),
            Ok(Err(e)) => tracing::warn!(error = %e, "releasing the background claims failed"),
            Err(e) => tracing::warn!(error = %e, "releasing the background claims failed"),
        }
        state.background.stopped.send_replace(true);
    });
}
