//! Stopping `serve` gracefully: on SIGTERM or SIGINT the server stops accepting
//! connections and finishes the requests it is answering, while the background loop
//! finishes the mail it is sending and gives back its claims and its lease; both within
//! `SHUTDOWN_TIMEOUT_SECS` counted from the signal. Then the process exits with 0.
use std::future::Future;
use std::time::Duration;

use actix_web::web;

use crate::state::AppState;

/// A future that resolves at the first SIGTERM or SIGINT, after asking the background
/// loop to stop; given to actix as its shutdown signal, it starts the graceful stop of
/// the HTTP server. The handlers are installed by this call, so that a signal that
/// arrives before the server's first poll is not lost. Needs the runtime's context.
pub fn signal(state: web::Data<AppState>) -> std::io::Result<impl Future<Output = ()> + Send> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!(
                signal = name,
                "Server wird beendet: keine neuen Verbindungen, laufende Anfragen und Mails werden abgeschlossen"
            );
            crate::notify::worker::request_stop(&state);
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async move {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("Server wird beendet");
            crate::notify::worker::request_stop(&state);
        })
    }
}

/// Called once the HTTP server has stopped: waits for the background loop for what is
/// left of the deadline; if it is still busy then (an SMTP server that does not answer),
/// gives back its claims itself. Logs the end. Returns false in that case: the caller
/// must exit without waiting for the busy thread.
pub async fn finish(state: &web::Data<AppState>) -> bool {
    crate::notify::worker::request_stop(state);
    let deadline = Duration::from_secs(state.config.shutdown_timeout_secs);
    let elapsed = state
        .background
        .stop_requested_at()
        .map(|t| t.elapsed())
        .unwrap_or_default();
    let in_time = state
        .background
        .wait_stopped(deadline.saturating_sub(elapsed))
        .await;
    if !in_time {
        tracing::warn!("background work did not stop in time; its claims are given back");
        let s = state.clone();
        let released = web::block(move || {
            let mut conn = s
                .pool
                .get()
                .map_err(|e| crate::error::AppError::unavailable(format!("database: {e}")))?;
            crate::notify::worker::release(&mut conn, &s.background.holder)
        })
        .await;
        if !matches!(released, Ok(Ok(_))) {
            tracing::warn!("giving back the background claims failed; they run out by themselves");
        }
    }
    tracing::info!("Server beendet");
    in_time
}
