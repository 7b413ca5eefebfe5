//! Operational metrics for Prometheus (`/metrics`, OpenMetrics text): requests and
//! latencies per route template, database pool use, the outbox by state, digest run
//! durations and background errors. Also the outermost middleware that gives every
//! request its id and records it. The endpoints that serve the figures are in `serve`.
pub mod serve;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage, HttpRequest};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use tracing::Instrument;

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
    let locale = crate::i18n::Locale::from_accept_language(
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let fut = id.sync_scope(|| span.in_scope(|| srv.call(req)));
    async move {
        let result = id
            .scope(crate::i18n::scope(locale, fut))
            .instrument(span)
            .await;
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
