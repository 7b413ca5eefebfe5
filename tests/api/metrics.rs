//! `/metrics` read back with Python's Prometheus parsers, its protection, the request
//! id in responses and problems, and JSON logs without secrets or personal data.
use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{
    free_port, spawn_app, spawn_app_configured, wait_ready, Db, TestApp, METRICS_TOKEN,
};
use digitalnetzwerk::db::schema::outbox;

both_backends!(metrics_show_requests_pool_outbox_and_digests);

/// One sample as the parser read it.
#[derive(Debug, Clone)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// One metric family: name, type and samples.
#[derive(Debug, Clone)]
struct Family {
    kind: String,
    samples: Vec<Sample>,
}

/// The exposition read by the `prometheus_client` package: strictly as OpenMetrics
/// (what the endpoint declares) and by the classic Prometheus text parser, which must
/// accept it too and find the same samples.
fn parse(text: &str) -> BTreeMap<String, Family> {
    const SCRIPT: &str = r#"
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
from prometheus_client.parser import text_string_to_metric_families as classic
text = sys.stdin.read()
def dump(families):
    return [{"name": f.name, "type": f.type,
             "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
            for f in families]
print(json.dumps({"openmetrics": dump(om(text)), "classic": dump(classic(text))}))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 (with the prometheus-client package) is needed for this test");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the Prometheus parsers refused /metrics: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The classic parser sees an OpenMetrics counter as untyped samples, one family
    // each, so families are compared by their samples, not by name.
    let read = |v: &Value| -> Vec<(String, Family)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let samples = f["samples"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| Sample {
                        name: s["name"].as_str().unwrap().into(),
                        labels: serde_json::from_value(s["labels"].clone()).unwrap(),
                        value: s["value"].as_f64().unwrap(),
                    })
                    .collect();
                (
                    f["name"].as_str().unwrap().to_string(),
                    Family {
                        kind: f["type"].as_str().unwrap().into(),
                        samples,
                    },
                )
            })
            .collect()
    };
    let sample_set = |fams: &[(String, Family)]| {
        let mut all: Vec<String> = fams
            .iter()
            .flat_map(|(_, f)| &f.samples)
            .map(|s| format!("{} {:?} {}", s.name, s.labels, s.value))
            .collect();
        all.sort();
        all
    };
    let strict = read(&parsed["openmetrics"]);
    assert_eq!(
        sample_set(&strict),
        sample_set(&read(&parsed["classic"])),
        "both parsers read the same samples"
    );
    let n = strict.len();
    let strict: BTreeMap<String, Family> = strict.into_iter().collect();
    assert_eq!(strict.len(), n, "each family once");
    strict
}

fn family<'a>(fams: &'a BTreeMap<String, Family>, name: &str, kind: &str) -> &'a Family {
    let f = fams
        .get(name)
        .unwrap_or_else(|| panic!("no family {name} in {:?}", fams.keys().collect::<Vec<_>>()));
    assert_eq!(f.kind, kind, "type of {name}");
    f
}

fn value(f: &Family, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    f.samples
        .iter()
        .find(|s| {
            s.name == name
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
}

async fn scrape(app: &TestApp) -> BTreeMap<String, Family> {
    let resp = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    parse(&resp.text().await.unwrap())
}

fn insert_mail(app: &TestApp, created_ago_secs: i64, sent: bool, failed: bool) {
    let t = digitalnetzwerk::db::now();
    let created = t - chrono::Duration::seconds(created_ago_secs);
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(digitalnetzwerk::db::new_id()),
            outbox::kind.eq("test"),
            outbox::to_email.eq("metrics@example.org"),
            outbox::subject.eq("Test"),
            outbox::headers.eq("[]"),
            outbox::message_id.eq(format!("{}@test", digitalnetzwerk::db::new_id())),
            outbox::created_at.eq(created),
            outbox::attempts.eq(0),
            // Not due for a day: the worker leaves the pending one alone.
            outbox::next_attempt_at.eq(t + chrono::Duration::days(1)),
            outbox::sent_at.eq(sent.then_some(t)),
            outbox::failed_at.eq(failed.then_some(t)),
        ))
        .execute(&mut app.conn())
        .unwrap();
}

async fn metrics_show_requests_pool_outbox_and_digests(app: TestApp) {
    let before: i64 = outbox::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(before, 0, "a fresh test database has no mails");
    insert_mail(&app, 3600, false, false);
    insert_mail(&app, 7200, true, false);
    insert_mail(&app, 60, false, true);
    insert_mail(&app, 60, false, true);

    let s = app.login("digital@brakel.example").await;
    let secret_id = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";
    for _ in 0..3 {
        let r = app.get(&s, &format!("/api/v1/projects/{secret_id}")).await;
        assert_eq!(r.status(), 404);
    }
    let r = app.get(&s, "/api/v1/gibt-es-nicht/geheim-4711").await;
    assert_eq!(r.status(), 404);

    // The worker (every 200 ms) runs digests; wait for a round to be recorded.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let fams = loop {
        let fams = scrape(&app).await;
        let runs = value(
            family(&fams, "digest_run_duration_seconds", "histogram"),
            "digest_run_duration_seconds_count",
            &[],
        );
        if runs.unwrap_or(0.0) >= 1.0 {
            break fams;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no digest run recorded"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    };

    let requests = family(&fams, "http_requests", "counter");
    let project = [
        ("method", "GET"),
        ("route", "/api/v1/projects/{id}"),
        ("status", "404"),
    ];
    assert_eq!(value(requests, "http_requests_total", &project), Some(3.0));
    let login = [
        ("method", "POST"),
        ("route", "/api/v1/auth/login"),
        ("status", "200"),
    ];
    assert_eq!(value(requests, "http_requests_total", &login), Some(1.0));
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(
        value(requests, "http_requests_total", &unmatched),
        Some(1.0)
    );
    for s in &requests.samples {
        let route = &s.labels["route"];
        assert!(
            !route.contains(secret_id) && !route.contains("geheim"),
            "a path in a label: {route}"
        );
    }

    let durations = family(&fams, "http_request_duration_seconds", "histogram");
    let route = [("method", "GET"), ("route", "/api/v1/projects/{id}")];
    assert_eq!(
        value(durations, "http_request_duration_seconds_count", &route),
        Some(3.0)
    );
    let inf = [
        ("method", "GET"),
        ("route", "/api/v1/projects/{id}"),
        ("le", "+Inf"),
    ];
    assert_eq!(
        value(durations, "http_request_duration_seconds_bucket", &inf),
        Some(3.0)
    );
    let sum = value(durations, "http_request_duration_seconds_sum", &route).unwrap();
    assert!(sum > 0.0 && sum < 30.0, "latency sum {sum}");

    let max = value(
        family(&fams, "db_pool_max_connections", "gauge"),
        "db_pool_max_connections",
        &[],
    );
    assert_eq!(max, Some(5.0));
    let open = value(
        family(&fams, "db_pool_connections", "gauge"),
        "db_pool_connections",
        &[],
    )
    .unwrap();
    let idle = value(
        family(&fams, "db_pool_idle_connections", "gauge"),
        "db_pool_idle_connections",
        &[],
    )
    .unwrap();
    assert!((1.0..=5.0).contains(&open), "open connections {open}");
    assert!(idle <= open, "idle {idle} of {open}");

    let mails = family(&fams, "outbox_mails", "gauge");
    assert_eq!(
        value(mails, "outbox_mails", &[("state", "pending")]),
        Some(1.0)
    );
    assert_eq!(
        value(mails, "outbox_mails", &[("state", "sent")]),
        Some(1.0)
    );
    assert_eq!(
        value(mails, "outbox_mails", &[("state", "failed")]),
        Some(2.0)
    );
    let age = value(
        family(&fams, "outbox_oldest_pending_age_seconds", "gauge"),
        "outbox_oldest_pending_age_seconds",
        &[],
    )
    .unwrap();
    assert!((3600.0..3700.0).contains(&age), "oldest pending {age} s");

    let errors = family(&fams, "background_errors", "counter");
    assert_eq!(
        value(errors, "background_errors_total", &[("task", "work")]),
        Some(0.0)
    );
    let digests = family(&fams, "digest_run_duration_seconds", "histogram");
    let sum = value(digests, "digest_run_duration_seconds_sum", &[]).unwrap();
    assert!(sum > 0.0 && sum < 60.0, "digest time {sum}");
}

/// Background work that fails is counted, and a scrape still answers when the
/// database cannot give the outbox figures (saying so in `outbox_scrape_ok`).
#[actix_web::test]
async fn failed_background_work_is_counted() {
    let app = spawn_app(Db::Sqlite).await;
    let fams = scrape(&app).await;
    let ok = family(&fams, "outbox_scrape_ok", "gauge");
    assert_eq!(value(ok, "outbox_scrape_ok", &[]), Some(1.0));
    // Without its table every round of background work fails at the outbox.
    diesel::sql_query("DROP TABLE outbox")
        .execute(&mut app.conn())
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let fams = scrape(&app).await;
        let errors = family(&fams, "background_errors", "counter");
        let work = value(errors, "background_errors_total", &[("task", "work")]).unwrap();
        if work >= 1.0 {
            let ok = family(&fams, "outbox_scrape_ok", "gauge");
            assert_eq!(value(ok, "outbox_scrape_ok", &[]), Some(0.0));
            assert!(
                !fams.contains_key("outbox_mails"),
                "no made-up outbox figures"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no background error counted"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_web::test]
async fn metrics_need_the_token() {
    let app = spawn_app(Db::Sqlite).await;
    let url = app.url("/metrics");
    let none = app.client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert!(none.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/problem+json"));
    let wrong = app
        .client
        .get(&url)
        .bearer_auth("test-metrics-token-0123456780")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let basic = app
        .client
        .get(&url)
        .basic_auth("metrics", Some(METRICS_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
    let right = app
        .client
        .get(&url)
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);

    // Without a token configured the endpoint does not exist.
    let open = spawn_app_configured(Db::Sqlite, |c| c.metrics_token = None).await;
    for auth in [None, Some(METRICS_TOKEN)] {
        let mut req = open.client.get(open.url("/metrics"));
        if let Some(t) = auth {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 404);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["status"], 404);
    }
}

/// With `METRICS_BIND_ADDRESS` the metrics are served only there (and the main
/// address answers 404 for them).
#[actix_web::test]
async fn metrics_on_a_separate_address() {
    let port = free_port();
    let app = spawn_app_configured(Db::Sqlite, |c| {
        c.metrics_token = None;
        c.metrics_bind_address = Some(format!("127.0.0.1:{port}"));
    })
    .await;
    let metrics = format!("http://127.0.0.1:{port}/metrics");
    wait_ready(&app.client, &metrics, 10).await;
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = app
        .client
        .get(&metrics)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let fams = parse(&text);
    let requests = family(&fams, "http_requests", "counter");
    assert_eq!(
        value(requests, "http_requests_total", &[("route", "/healthz")]),
        Some(1.0)
    );
    let main = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(main.status(), 404);
    let other = app
        .client
        .get(format!("http://127.0.0.1:{port}/api/v1/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
}

#[actix_web::test]
async fn every_response_and_problem_carries_the_request_id() {
    let app = spawn_app(Db::Sqlite).await;
    let id_of = |r: &reqwest::Response| {
        r.headers()
            .get("x-request-id")
            .expect("X-Request-Id in the response")
            .to_str()
            .unwrap()
            .to_string()
    };

    // A sane id from the caller (a proxy) is taken over, in the header and the problem.
    let r = app
        .client
        .get(app.url("/api/v1/gibt-es-nicht"))
        .header("X-Request-Id", "lb-1234.abc:def_9")
        .send()
        .await
        .unwrap();
    assert_eq!(id_of(&r), "lb-1234.abc:def_9");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["request_id"], "lb-1234.abc:def_9");

    // An extractor's refusal (no sign-in) is a problem with the id as well.
    let r = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let id = id_of(&r);
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "generated: {id}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["request_id"], id.as_str());

    // A handler's validation problem; an unusable id from the caller is replaced.
    for bad in ["zwei worte", "x/../y", &"a".repeat(65), "\"quoted\""] {
        let r = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("X-Request-Id", bad)
            .json(&json!({"email": "kein-at-zeichen", "password": "x"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error());
        let id = id_of(&r);
        assert_ne!(id, bad);
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "generated: {id}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["request_id"], id.as_str());
    }

    // Successful answers carry it too, and two requests get two ids.
    let a = app.client.get(app.url("/healthz")).send().await.unwrap();
    let b = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(a.status(), 200);
    assert_ne!(id_of(&a), id_of(&b));
}

/// The real binary with `LOG_FORMAT=json` from a configuration file: every line it
/// writes is a JSON object, the access log holds the request id, and no password,
/// token or e-mail address appears.
#[actix_web::test]
async fn json_logs_hold_no_secrets_or_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let password = "Geheimes-Passwort-4711!";
    let email = "olga.betrieb@example.org";
    let link_token = "LinkToken0123456789abcdefSECRET";
    let config = dir.path().join("digitalnetzwerk.toml");
    std::fs::write(
        &config,
        format!(
            r#"DATABASE_URL = "sqlite://{dir}/app.db"
DATA_DIR = "{dir}"
STATIC_DIR = "{dir}/no-frontend"
BIND_ADDRESS = "127.0.0.1:{port}"
JWT_SECRET = "{jwt}"
ARGON2_MEMORY_KIB = 256
WORKER_INTERVAL_MS = 100
COOKIE_SECURE = false
METRICS_TOKEN = "{METRICS_TOKEN}"
LOG_FORMAT = "json"
RUST_LOG = "info"
"#,
            dir = dir.path().display(),
            jwt = "j".repeat(40),
        ),
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_digitalnetzwerk");
    let created = std::process::Command::new(bin)
        .args(["--config", config.to_str().unwrap()])
        .args([
            "admin",
            "create",
            "--email",
            email,
            "--name",
            "Olga Betrieb",
        ])
        .env_remove("RUST_LOG")
        .env_remove("LOG_FORMAT")
        .env("ADMIN_PASSWORD", password)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let out_path = dir.path().join("stdout.log");
    let err_path = dir.path().join("stderr.log");
    let mut child = std::process::Command::new(bin)
        .arg("serve")
        .env_remove("RUST_LOG")
        .env_remove("LOG_FORMAT")
        .env("CONFIG_FILE", &config)
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&client, &format!("{base}/readyz"), 30).await;

    let login = |pw: &'static str| {
        client
            .post(format!("{base}/api/v1/auth/login"))
            .header("X-Request-Id", "json-log-test-1")
            .json(&json!({"email": email, "password": pw}))
            .send()
    };
    assert_eq!(
        login("Falsches-Passwort-0815!").await.unwrap().status(),
        401
    );
    let ok = login(password).await.unwrap();
    assert_eq!(ok.status(), 200);
    let token = ok.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    for path in [
        format!("/api/v1/invitations/token/{link_token}"),
        format!("/api/v1/unsubscribe/{link_token}"),
        format!("/api/v1/calendar/{link_token}.ics"),
    ] {
        let r = client.get(format!("{base}{path}")).send().await.unwrap();
        assert!(r.status().as_u16() < 500, "{path}: {}", r.status());
    }
    let me = client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let m = client
        .get(format!("{base}/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(m.status(), 200, "the token of the configuration file");

    // The access log line of the last request is written once its body is sent.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let lines = loop {
        let out = std::fs::read_to_string(&out_path).unwrap();
        let err = std::fs::read_to_string(&err_path).unwrap();
        let lines: Vec<String> = out.lines().chain(err.lines()).map(String::from).collect();
        if lines.iter().any(|l| l.contains("GET /metrics 200")) {
            break lines;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no access log line for /metrics:\n{}",
            lines.join("\n")
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = child.kill();
    let _ = child.wait();

    let all = lines.join("\n");
    for secret in [
        password,
        "Falsches-Passwort-0815!",
        link_token,
        &token,
        email,
        METRICS_TOKEN,
    ] {
        assert!(!all.contains(secret), "{secret} in the logs:\n{all}");
    }
    let mut access = 0;
    for line in &lines {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        assert!(
            v["timestamp"].is_string() && v["level"].is_string(),
            "{line}"
        );
        let msg = v["fields"]["message"].as_str().unwrap_or_default();
        if msg.starts_with("POST /api/v1/auth/login ") {
            assert!(msg.contains("request_id=json-log-test-1"), "{msg}");
            access += 1;
        }
    }
    assert_eq!(access, 2, "two access log lines for the logins:\n{all}");
    assert!(
        all.contains("/api/v1/invitations/token/***"),
        "the masked token path is logged:\n{all}"
    );
}
