//! Operational metrics for Prometheus (`/metrics`, OpenMetrics text): requests and
//! latencies per route template, database pool use, the outbox by state, digest run
//! durations and background errors. Also the outermost middleware that gives every
//! request its id and records it.
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::app::AppState;
use crate::error::AppError;
use crate::request_id::RequestId;

pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TaskLabels {
    task: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new([
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

/// The metrics one server instance collects while it runs (the figures read from
/// the database are added at scrape time).
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
    digest_runs: Histogram,
    background_errors: Family<TaskLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by method, route template and status",
            requests.clone(),
        );
        let durations = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time until the response head, by method and route template",
            durations.clone(),
        );
        let digest_runs = Histogram::new([0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0]);
        registry.register(
            "digest_run_duration_seconds",
            "Duration of one round of queueing the due digests",
            digest_runs.clone(),
        );
        let background_errors = Family::<TaskLabels, Counter>::default();
        registry.register(
            "background_errors",
            "Failed rounds of background work (events, digests, outbox)",
            background_errors.clone(),
        );
        // Present from the start, so a rate() over it has a zero to begin with.
        for task in ["work", "task"] {
            drop(background_errors.get_or_create(&TaskLabels { task }));
        }
        Metrics {
            registry,
            requests,
            durations,
            digest_runs,
            background_errors,
        }
    }

    fn observe_request(&self, method: &'static str, route: String, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.clone(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels { method, route })
            .observe(took.as_secs_f64());
    }

    pub fn observe_digest_run(&self, took: Duration) {
        self.digest_runs.observe(took.as_secs_f64());
    }

    /// A failed round of background work: `task` is `work` (it returned an error) or
    /// `task` (it panicked or could not run).
    pub fn background_error(&self, task: &'static str) {
        self.background_errors
            .get_or_create(&TaskLabels { task })
            .inc();
    }
}

/// The method as a label: the standard ones by name, anything else as `OTHER`
/// (so strange requests cannot create new series).
fn method_label(m: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The route template (`/api/v1/projects/{id}`), never the path itself: paths can hold
/// secret tokens, and every id would be a new series.
fn route_label(req: &HttpRequest) -> String {
    match req.match_pattern() {
        // The static files of the frontend are mounted at the root.
        Some(p) if p.is_empty() => "static".into(),
        Some(p) => p,
        None => "unmatched".into(),
    }
}

/// The outermost middleware: gives the request its id (task-local while the inner
/// services run, so problem bodies carry it; a tracing span; a request extension for
/// the access log), echoes it in `X-Request-Id` and records count and latency.
pub fn around<S, B>(
    metrics: Arc<Metrics>,
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: 'static,
{
    let id = RequestId::from_header(req.headers().get(crate::request_id::HEADER));
    req.extensions_mut().insert(id.clone());
    let method = method_label(req.method());
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = %id);
    let fut = id.sync_scope(|| span.in_scope(|| srv.call(req)));
    async move {
        let result = id.scope(fut).instrument(span).await;
        let took = started.elapsed();
        match result {
            Ok(mut res) => {
                metrics.observe_request(
                    method,
                    route_label(res.request()),
                    res.status().as_u16(),
                    took,
                );
                if let Ok(v) = HeaderValue::from_str(id.as_str()) {
                    res.headers_mut().insert(
                        header::HeaderName::from_static(crate::request_id::HEADER),
                        v,
                    );
                }
                Ok(res)
            }
            Err(e) => {
                // An error no inner service turned into a response (rare: the handlers
                // and the routing answer with responses); actix renders it after this.
                let status = e.as_response_error().status_code().as_u16();
                metrics.observe_request(method, "unmatched".into(), status, took);
                Err(e)
            }
        }
    }
}

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
