//! The shared state every handler and the background loop get: the database pool,
//! the configuration, the mailer, the worker wake-up and stop switch, the metrics.
//! It sits below the route table (`crate::app`) and imports no handler file.
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use actix_web::web;
use tokio::sync::Notify;

use crate::config::Config;
use crate::db::{new_id, DbPool};
use crate::error::AppError;
use crate::mail::Mailer;

pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    pub wakeup: Wakeup,
    pub background: Background,
    /// This instance's request and background metrics (`/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The identity providers' metadata and keys (single sign-on), fetched when first needed.
    pub sso: crate::sso::client::SsoRuntime,
}

/// Wakes the workers when something was queued, so mails need not wait for the next tick.
#[derive(Clone, Default)]
pub struct Wakeup(pub Arc<Notify>);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// This process's background loop: the name it uses in leases and outbox claims, and
/// its stop switch (pulled once on SIGTERM; `digest run` never pulls it).
pub struct Background {
    pub holder: String,
    pub(crate) stop_requested_at: OnceLock<Instant>,
    pub(crate) stopped: tokio::sync::watch::Sender<bool>,
}

impl Default for Background {
    fn default() -> Self {
        Background {
            holder: format!("{}-{}", std::process::id(), new_id()),
            stop_requested_at: OnceLock::new(),
            stopped: tokio::sync::watch::Sender::new(false),
        }
    }
}

impl Background {
    pub fn stop_requested(&self) -> bool {
        self.stop_requested_at.get().is_some()
    }

    /// When the stop was asked for (the shutdown deadline counts from here).
    pub fn stop_requested_at(&self) -> Option<Instant> {
        self.stop_requested_at.get().copied()
    }

    /// Waits until the loop has given back what it held, at most `timeout`; false if
    /// it is still busy then (say, an SMTP server that does not answer).
    pub async fn wait_stopped(&self, timeout: Duration) -> bool {
        let mut rx = self.stopped.subscribe();
        tokio::time::timeout(timeout, rx.wait_for(|stopped| *stopped))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

/// Builds the shared state from a configuration (pool, migrations, mailer).
pub fn build_state(mut config: Config) -> Result<web::Data<AppState>, AppError> {
    config.ensure_jwt_secret()?;
    crate::projects::similar::FeatureCache::global().set_limit(config.similar_cache_entries);
    crate::db::run_migrations(&config.database_url)?;
    {
        // Projects without a search row (after a change of the text analysis) are indexed
        // before the server answers, so search never misses them.
        let mut conn = crate::db::establish(&config.database_url)
            .map_err(|e| AppError::unavailable(format!("database: {e}")))?;
        let n = crate::projects::search::reindex_missing(&mut conn)?;
        if n > 0 {
            tracing::info!(projects = n, "search index rebuilt");
        }
        let n = crate::processes::search::reindex_missing(&mut conn)?;
        if n > 0 {
            tracing::info!(processes = n, "process search index rebuilt");
        }
    }
    let pool = crate::db::build_pool(&config.database_url, config.database_max_connections)?;
    let mailer = Mailer::from_config(&config)?;
    Ok(web::Data::new(AppState {
        pool,
        config: Arc::new(config),
        mailer,
        wakeup: Default::default(),
        background: Default::default(),
        metrics: Default::default(),
        sso: Default::default(),
    }))
}
