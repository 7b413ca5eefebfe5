//! The `/metrics` endpoints: on the main address (with a token) or on the separate
//! metrics address, and the scrape that reads the pool, the outbox and the registry.
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::{StateLabels, CONTENT_TYPE};
use crate::error::AppError;
use crate::state::AppState;

/// Equal without telling by its timing how much of the secret was right.
fn token_matches(given: &str, expected: &str) -> bool {
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Whether the request may read the metrics: without `METRICS_TOKEN` only on the
/// separate metrics address (`open`), with it only with `Authorization: Bearer <token>`.
fn authorise(req: &HttpRequest, token: Option<&str>, open: bool) -> Result<(), AppError> {
    let Some(token) = token else {
        return if open {
            Ok(())
        } else {
            Err(AppError::NoSuchRoute)
        };
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if token_matches(g, token) => Ok(()),
        _ => Err(AppError::Unauthorized),
    }
}

/// Served on the main address: only with a token and without a separate address.
pub async fn handler(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if state.config.metrics_bind_address.is_some() {
        return Err(AppError::NoSuchRoute);
    }
    authorise(&req, state.config.metrics_token.as_deref(), false)?;
    scrape(&state).await
}

/// Served on `METRICS_BIND_ADDRESS`: the token is asked for if one is set.
pub async fn separate_handler(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    authorise(&req, state.config.metrics_token.as_deref(), true)?;
    scrape(&state).await
}

#[derive(diesel::QueryableByName)]
struct StateCount {
    #[diesel(sql_type = diesel::sql_types::Text)]
    state: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// What the outbox looks like at scrape time.
struct OutboxFigures {
    by_state: Vec<StateCount>,
    oldest_pending: Option<chrono::NaiveDateTime>,
}

/// Mails by state in one grouped count over the columns of the `outbox_due` index, and
/// the creation time of the oldest pending one (the index narrows to the pending rows).
fn outbox_figures(conn: &mut crate::db::DbConn) -> Result<OutboxFigures, AppError> {
    use crate::db::schema::outbox;
    use diesel::prelude::*;
    let by_state: Vec<StateCount> = diesel::sql_query(
        "SELECT CASE WHEN failed_at IS NOT NULL THEN 'failed' \
         WHEN sent_at IS NOT NULL THEN 'sent' ELSE 'pending' END AS state, \
         COUNT(*) AS n FROM outbox GROUP BY 1",
    )
    .load(conn)?;
    let oldest_pending = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::failed_at.is_null())
        .select(diesel::dsl::min(outbox::created_at))
        .first(conn)?;
    Ok(OutboxFigures {
        by_state,
        oldest_pending,
    })
}

async fn scrape(state: &AppState) -> Result<HttpResponse, AppError> {
    // The pool before this scrape takes a connection of its own.
    let pool = state.pool.state();
    let max = state.pool.max_size();
    // Without the database the rest is still worth reading; `outbox_scrape_ok` says so.
    let figures = match crate::db::run(&state.pool, outbox_figures).await {
        Ok(f) => Some(f),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: outbox figures unavailable");
            None
        }
    };

    let mut now = Registry::default();
    let gauge = |v: i64| {
        let g: Gauge = Gauge::default();
        g.set(v);
        g
    };
    now.register(
        "db_pool_connections",
        "Open database connections of this instance's pool",
        gauge(pool.connections.into()),
    );
    now.register(
        "db_pool_idle_connections",
        "Idle database connections of this instance's pool",
        gauge(pool.idle_connections.into()),
    );
    now.register(
        "db_pool_max_connections",
        "Largest size of this instance's database pool",
        gauge(max.into()),
    );
    now.register(
        "outbox_scrape_ok",
        "1 when the outbox figures could be read from the database for this scrape",
        gauge(figures.is_some().into()),
    );
    if let Some(figures) = figures {
        let outbox = Family::<StateLabels, Gauge>::default();
        for state in ["pending", "sent", "failed"] {
            let n = figures
                .by_state
                .iter()
                .find(|c| c.state == state)
                .map_or(0, |c| c.n);
            outbox.get_or_create(&StateLabels { state }).set(n);
        }
        now.register(
            "outbox_mails",
            "Mails in the outbox by state (pending: neither sent nor given up)",
            outbox,
        );
        let age: Gauge<f64, std::sync::atomic::AtomicU64> = Gauge::default();
        if let Some(t) = figures.oldest_pending {
            let secs = (crate::db::now() - t).num_milliseconds().max(0) as f64 / 1000.0;
            age.set(secs);
        }
        now.register(
            "outbox_oldest_pending_age_seconds",
            "Age of the oldest pending mail (0 when none is pending)",
            age,
        );
    }

    let mut body = String::new();
    let encoded =
        prometheus_client::encoding::text::encode_registry(&mut body, &state.metrics.registry)
            .and_then(|_| prometheus_client::encoding::text::encode_registry(&mut body, &now))
            .and_then(|_| prometheus_client::encoding::text::encode_eof(&mut body));
    encoded.map_err(|e| AppError::internal(format!("metrics: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// Starts the small extra server for `METRICS_BIND_ADDRESS` (it answers only `/metrics`).
pub fn serve_separately(
    state: web::Data<AppState>,
    addr: &str,
) -> std::io::Result<actix_web::dev::Server> {
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(separate_handler))
            .default_service(web::to(|| async {
                actix_web::ResponseError::error_response(&AppError::NoSuchRoute)
            }))
    })
    .workers(1)
    .disable_signals()
    .bind(addr)?
    .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_comparison() {
        assert!(super::token_matches("geheim", "geheim"));
        assert!(!super::token_matches("geheim", "geheim2"));
        assert!(!super::token_matches("", "geheim"));
    }
}
