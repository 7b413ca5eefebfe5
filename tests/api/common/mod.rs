//! Spawns the real application on 127.0.0.1:0 with a fresh database (SQLite file
//! or a new PostgreSQL database in the throwaway cluster) and a real SMTP server on loopback.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use digitalnetzwerk::config::Config;
use digitalnetzwerk::db::schema::{outbox, users};
use digitalnetzwerk::db::DbConn;
use digitalnetzwerk::state::AppState;
use serde_json::{json, Value};

pub use digitalnetzwerk::seed::DEMO_PASSWORD;

pub mod oidc;
pub mod schema;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Generates one test per backend from `async fn name(app: TestApp)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name($crate::common::spawn_app($crate::common::Db::Sqlite).await).await;
                }
                #[actix_web::test]
                async fn postgres() {
                    super::$name($crate::common::spawn_app($crate::common::Db::Postgres).await).await;
                }
            }
        )*
    };
}

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    pub raw: String,
}

impl ReceivedMail {
    /// The message with quoted-printable soft line breaks and escapes undone, good enough to search in.
    pub fn decoded(&self) -> String {
        let joined = self.raw.replace("=\r\n", "").replace("=\n", "");
        let mut out = Vec::new();
        let b = joined.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'='
                && i + 2 < b.len()
                && b[i + 1].is_ascii_hexdigit()
                && b[i + 2].is_ascii_hexdigit()
            {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The first link that contains `marker`.
    pub fn link_containing(&self, marker: &str) -> Option<String> {
        let text = self.decoded();
        text.split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
            .find(|w| w.starts_with("http") && w.contains(marker))
            .map(|s| s.to_string())
    }
}

#[derive(Clone)]
struct SinkHandler {
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
    to: Vec<String>,
    buf: Vec<u8>,
    /// How long the server takes to accept a mail after its last line (a slow relay).
    delay: Duration,
}

impl mailin_embedded::Handler for SinkHandler {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.to = to.to_vec();
        self.buf.clear();
        mailin_embedded::response::OK
    }
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(buf);
        Ok(())
    }
    fn data_end(&mut self) -> mailin_embedded::Response {
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        let raw = String::from_utf8_lossy(&self.buf).into_owned();
        self.mails.lock().unwrap().push(ReceivedMail {
            to: self.to.clone(),
            raw,
        });
        mailin_embedded::response::OK
    }
}

/// A real SMTP server on loopback that keeps what it receives.
#[derive(Clone)]
pub struct MailSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl MailSink {
    pub fn start() -> MailSink {
        Self::start_on(std::net::TcpListener::bind("127.0.0.1:0").unwrap())
    }

    pub fn start_on(listener: std::net::TcpListener) -> MailSink {
        Self::start_on_with_delay(listener, Duration::ZERO)
    }

    /// A sink that takes `delay` to accept each mail, so that sending takes a while.
    pub fn start_slow(delay: Duration) -> MailSink {
        Self::start_on_with_delay(std::net::TcpListener::bind("127.0.0.1:0").unwrap(), delay)
    }

    fn start_on_with_delay(listener: std::net::TcpListener, delay: Duration) -> MailSink {
        let mails = Arc::new(Mutex::new(Vec::new()));
        let port = listener.local_addr().unwrap().port();
        let handler = SinkHandler {
            mails: mails.clone(),
            to: Vec::new(),
            buf: Vec::new(),
            delay,
        };
        let mut server = mailin_embedded::Server::new(handler);
        server
            .with_name("sink.localhost")
            .with_num_threads(2)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        MailSink { port, mails }
    }

    pub fn all(&self) -> Vec<ReceivedMail> {
        self.mails.lock().unwrap().clone()
    }

    /// Waits up to 10 s for a mail to `to`.
    pub async fn wait_for(&self, to: &str) -> ReceivedMail {
        for _ in 0..200 {
            if let Some(m) = self
                .all()
                .into_iter()
                .rev()
                .find(|m| m.to.iter().any(|t| t.contains(to)))
            {
                return m;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no mail to {to} arrived; received: {:?}",
            self.all().iter().map(|m| &m.to).collect::<Vec<_>>()
        );
    }
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub client: reqwest::Client,
    pub mail: MailSink,
    pub state: web::Data<AppState>,
    pub database_url: String,
    _tmp: tempfile::TempDir,
}

pub fn postgres_database() -> String {
    let admin = std::env::var("TEST_PG_URL").unwrap_or_else(|_| {
        panic!(
            "TEST_PG_URL is not set: the PostgreSQL tests need the throwaway cluster. \
             Run them with `make test` (or scripts/with-postgres.sh cargo test)."
        )
    });
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let mut conn = diesel::PgConnection::establish(&admin).expect("connect to the test cluster");
    conn.batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create test database");
    match admin.rsplit_once('/') {
        Some((prefix, _)) => format!("{prefix}/{name}"),
        None => panic!("TEST_PG_URL has no database part"),
    }
}

pub async fn spawn_app(db: Db) -> TestApp {
    let mail = MailSink::start();
    let port = mail.port;
    spawn_app_with(db, mail, port, None).await
}

/// Starts the app with its SMTP client pointed at `smtp_port` (which may have no
/// server yet), optionally on an existing database (a second server instance).
pub async fn spawn_app_with(
    db: Db,
    mail: MailSink,
    smtp_port: u16,
    existing_database: Option<String>,
) -> TestApp {
    spawn_app_in(
        db,
        mail,
        smtp_port,
        existing_database,
        tempfile::tempdir().unwrap(),
    )
    .await
}

/// Like [`spawn_app_with`], with `tmp` as the data directory (e.g. one a restore filled).
pub async fn spawn_app_in(
    db: Db,
    mail: MailSink,
    smtp_port: u16,
    existing_database: Option<String>,
    tmp: tempfile::TempDir,
) -> TestApp {
    spawn_app_tweaked(db, mail, smtp_port, existing_database, tmp, |_| {}).await
}

/// The bearer token `/metrics` of a test app asks for.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

/// A fresh app whose configuration `tweak` changes first.
pub async fn spawn_app_configured(db: Db, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mail = MailSink::start();
    let port = mail.port;
    let tmp = tempfile::tempdir().unwrap();
    spawn_app_tweaked(db, mail, port, None, tmp, tweak).await
}

/// Like [`spawn_app_in`], with the configuration changed by `tweak` before the start.
pub async fn spawn_app_tweaked(
    db: Db,
    mail: MailSink,
    smtp_port: u16,
    existing_database: Option<String>,
    tmp: tempfile::TempDir,
    tweak: impl FnOnce(&mut Config),
) -> TestApp {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    spawn_app_listening(db, mail, smtp_port, existing_database, tmp, listener, tweak).await
}

/// Like [`spawn_app_tweaked`] on a listener the caller bound (its port is known before
/// the start, e.g. for a test identity provider's redirect URIs).
pub async fn spawn_app_listening(
    db: Db,
    mail: MailSink,
    smtp_port: u16,
    existing_database: Option<String>,
    tmp: tempfile::TempDir,
    listener: std::net::TcpListener,
    tweak: impl FnOnce(&mut Config),
) -> TestApp {
    let fresh = existing_database.is_none();
    let database_url = match (existing_database, db) {
        (Some(url), _) => url,
        (None, Db::Sqlite) => format!("sqlite://{}/test.db", tmp.path().display()),
        (None, Db::Postgres) => postgres_database(),
    };
    let port = listener.local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut config = Config {
        database_url: database_url.clone(),
        database_max_connections: 5,
        bind_address: format!("127.0.0.1:{port}"),
        public_url: base.clone(),
        jwt_secret: "test-secret-that-is-long-enough-for-hs256-0123456789".into(),
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
        smtp_from: "Digitalnetzwerk <noreply@digitalnetzwerk.example>".into(),
        static_dir: tmp.path().join("no-frontend"),
        cors_origins: vec![],
        data_dir: tmp.path().to_path_buf(),
        cookie_secure: true,
        access_token_minutes: 15,
        refresh_token_days: 14,
        // Cheap hashes keep the suite fast; production uses the Argon2 defaults.
        argon2_memory_kib: 256,
        support_overdue_working_days: 3,
        worker_interval_ms: 200,
        similar_cache_entries: 8_000,
        outbox_give_up_hours: 48,
        outbox_claim_secs: 5,
        // The tests stand in for a reverse proxy on loopback when they send X-Forwarded-For.
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        hsts: false,
        shutdown_timeout_secs: 5,
        metrics_token: Some(METRICS_TOKEN.into()),
        metrics_bind_address: None,
        sso: Default::default(),
    };
    tweak(&mut config);
    let state = digitalnetzwerk::state::build_state(config).expect("state");
    if fresh {
        let url = database_url.clone();
        web::block(move || {
            let mut conn = digitalnetzwerk::db::establish(&url).unwrap();
            digitalnetzwerk::seed::seed_accounts(&mut conn, 256).unwrap();
        })
        .await
        .unwrap();
    }
    let server = digitalnetzwerk::app::run_server(state.clone(), listener, 1).expect("server");
    actix_web::rt::spawn(server);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        base,
        db,
        client,
        mail,
        state,
        database_url,
        _tmp: tmp,
    }
}

/// A signed-in user: access token and the refresh cookie value.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub refresh: String,
    pub me: Value,
}

pub fn refresh_cookie_of(resp: &reqwest::Response) -> Option<String> {
    resp.headers().get_all("set-cookie").iter().find_map(|v| {
        let s = v.to_str().ok()?;
        let rest = s.strip_prefix("dn_refresh=")?;
        Some(rest.split(';').next()?.to_string())
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn conn(&self) -> DbConn {
        digitalnetzwerk::db::establish(&self.database_url).unwrap()
    }

    pub async fn login_raw(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, email: &str) -> Session {
        self.login_with(email, DEMO_PASSWORD).await
    }

    pub async fn login_with(&self, email: &str, password: &str) -> Session {
        let resp = self.login_raw(email, password).await;
        assert_eq!(resp.status(), 200, "login of {email} failed");
        let refresh = refresh_cookie_of(&resp).expect("refresh cookie");
        let body: Value = resp.json().await.unwrap();
        Session {
            token: body["access_token"].as_str().unwrap().to_string(),
            refresh,
            me: body["user"].clone(),
        }
    }

    pub async fn get(&self, s: &Session, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, s: &Session, path: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(&s.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(
        &self,
        s: &Session,
        path: &str,
        version: Option<i64>,
        body: Value,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .patch(self.url(path))
            .bearer_auth(&s.token)
            .json(&body);
        if let Some(v) = version {
            req = req.header("If-Match", format!("\"{v}\""));
        }
        req.send().await.unwrap()
    }

    pub async fn delete(&self, s: &Session, path: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(&s.token)
            .send()
            .await
            .unwrap()
    }

    /// Id of the user with `email` (read through an admin session).
    /// POSTs a multipart form with `bytes` in the field `file` and the given text fields.
    pub async fn upload(
        &self,
        s: &Session,
        path: &str,
        name: &str,
        bytes: Vec<u8>,
        text: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        for (k, v) in text {
            form = form.text(k.to_string(), v.to_string());
        }
        self.client
            .post(self.url(path))
            .bearer_auth(&s.token)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn user_id(&self, email: &str) -> String {
        let admin = self.login("admin@digitalnetzwerk.example").await;
        let body: Value = self
            .get(&admin, &format!("/api/v1/users?q={email}"))
            .await
            .json()
            .await
            .unwrap();
        body["items"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no user {email}"))
            .to_string()
    }

    pub async fn municipality_id(&self, ags: &str) -> String {
        let admin = self.login("admin@digitalnetzwerk.example").await;
        let body: Value = self
            .get(&admin, &format!("/api/v1/municipalities?q={ags}"))
            .await
            .json()
            .await
            .unwrap();
        body["items"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no municipality {ags}"))
            .to_string()
    }

    pub fn count(&self, table: &str) -> i64 {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.conn();
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(&mut conn)
            .unwrap()
            .n
    }
}

/// Asserts an RFC 9457 problem with `status`, returning its body.
pub async fn assert_problem(resp: reqwest::Response, status: u16) -> Value {
    assert_eq!(resp.status().as_u16(), status, "unexpected status");
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert_eq!(ct, "application/problem+json");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["type"].as_str().unwrap().starts_with("https://"));
    assert!(body["title"].is_string());
    body
}

/// The field names of a validation problem.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

impl TestApp {
    /// Signs in an officer of Delbrück in a second district (Kreis Paderborn), created
    /// through the API by the admin as an operator would.
    pub async fn other_district_officer(&self) -> Session {
        let admin = self.login("admin@digitalnetzwerk.example").await;
        let pb: Value = self
            .post(
                &admin,
                "/api/v1/districts",
                json!({"key": "05774", "name": "Kreis Paderborn"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let town: Value = self
            .post(&admin, "/api/v1/municipalities", json!({"district_id": pb["id"], "ags": "05774012", "name": "Delbrück", "kind": "town"}))
            .await
            .json()
            .await
            .unwrap();
        let resp = self
            .post(&admin, "/api/v1/invitations", json!({"email": "digital@delbrueck.example", "role": "officer", "municipality_id": town["id"]}))
            .await;
        assert_eq!(resp.status(), 201);
        let mail = self.mail.wait_for("digital@delbrueck.example").await;
        let link = mail
            .link_containing("/einladung/")
            .expect("invitation link");
        let token = link.rsplit('/').next().unwrap().to_string();
        let resp = self
            .client
            .post(self.url(&format!("/api/v1/invitations/token/{token}/accept")))
            .json(&json!({"name": "Dana Delbrück", "password": "Lippe-und-Alme-2026"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204);
        self.login_with("digital@delbrueck.example", "Lippe-und-Alme-2026")
            .await
    }
}

impl TestApp {
    /// Invites `email` with `role` into the place of an existing user (`like`: their
    /// district, and town for officers and members) through the admin, accepts the
    /// invitation and signs in, e.g. a member or coordinator beside
    /// [`TestApp::other_district_officer`].
    pub async fn invite_beside(&self, like: &Session, email: &str, role: &str) -> Session {
        let admin = self.login("admin@digitalnetzwerk.example").await;
        let mut body = json!({"email": email, "role": role});
        if role == "coordinator" {
            body["district_id"] = like.me["district"]["id"].clone();
        } else {
            body["municipality_id"] = like.me["municipality"]["id"].clone();
        }
        let resp = self.post(&admin, "/api/v1/invitations", body).await;
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        let link = self
            .mail
            .wait_for(email)
            .await
            .link_containing("/einladung/")
            .expect("invitation link");
        let token = link.rsplit('/').next().unwrap().to_string();
        let resp = self
            .client
            .post(self.url(&format!("/api/v1/invitations/token/{token}/accept")))
            .json(&json!({"name": "Nora Nachbarkreis", "password": "Lippe-und-Alme-2026"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204);
        self.login_with(email, "Lippe-und-Alme-2026").await
    }
}

// Process-level helpers: the real binary, a digest fixture, what the sink received.

/// A header of a received mail (folded lines joined).
pub fn header(mail: &ReceivedMail, name: &str) -> Option<String> {
    let unfolded = mail.raw.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|l| {
        l.strip_prefix(&format!("{name}: "))
            .map(|v| v.trim().to_string())
    })
}

/// Gives `n` new users something for their next daily digest.
pub fn digest_fixture(app: &TestApp, n: usize) -> Vec<String> {
    let mut conn = app.conn();
    let district: String = users::table
        .filter(users::email.eq("koordination@kreis-hoexter.example"))
        .select(users::district_id.assume_not_null())
        .first(&mut conn)
        .unwrap();
    digitalnetzwerk::ops::generate::add_digest_readers(&mut conn, &district, n).unwrap()
}

/// Message-IDs received per recipient.
pub fn deliveries(mails: &[ReceivedMail]) -> HashMap<String, Vec<String>> {
    let mut by: HashMap<String, Vec<String>> = HashMap::new();
    for m in mails {
        let id = header(m, "Message-ID").unwrap_or_default();
        for to in &m.to {
            by.entry(to.clone()).or_default().push(id.clone());
        }
    }
    by
}

/// A command that starts the real server binary against an existing database, sending
/// to `smtp_port`; callers add or override variables (`BIND_ADDRESS` is port 0 here).
pub fn binary_command(
    database_url: &str,
    smtp_port: u16,
    data_dir: &std::path::Path,
) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_digitalnetzwerk"));
    cmd.arg("serve")
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", data_dir)
        .env("BIND_ADDRESS", "127.0.0.1:0")
        .env("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("JWT_SECRET", "x".repeat(40))
        .env("WORKER_INTERVAL_MS", "100")
        .env("OUTBOX_CLAIM_SECS", "3")
        .env("STATIC_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

/// Starts the real server binary against an existing database, sending to `smtp_port`.
pub fn start_binary(
    database_url: &str,
    smtp_port: u16,
    data_dir: &std::path::Path,
) -> std::process::Child {
    binary_command(database_url, smtp_port, data_dir)
        .spawn()
        .unwrap()
}

/// A port on loopback that was free a moment ago (for a child process to bind).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits up to `secs` seconds until `url` answers 200.
pub async fn wait_ready(client: &reqwest::Client, url: &str, secs: u64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Ok(r) = client.get(url).send().await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{url} did not become ready within {secs} s"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Mails to addresses like `pattern` that a worker could still send: not sent, not given
/// up, or claimed by a worker right now.
pub fn unsettled(app: &TestApp, pattern: &str) -> i64 {
    outbox::table
        .filter(outbox::to_email.like(pattern))
        .filter(
            outbox::sent_at
                .is_null()
                .and(outbox::failed_at.is_null())
                .or(outbox::claimed_by.is_not_null()),
        )
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// Waits for `child` to exit, at most `secs` seconds (then kills it and fails).
pub async fn wait_exit(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not exit within {secs} s of SIGTERM");
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sends SIGTERM to `child`, as systemd does to stop a service.
pub fn sigterm(child: &std::process::Child) {
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill(1) runs")
        .success();
    assert!(ok, "kill -TERM failed");
}
