//! Two real instances behind the real HAProxy, started with `deploy/haproxy.cfg`, on one
//! PostgreSQL database and one shared DATA_DIR: sign-in and refresh, edits with If-Match,
//! attachments and digests work whichever instance answers, with no 5xx, each mail once.
//! A rolling restart (SIGTERM to one instance) goes unnoticed by the clients.
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{
    binary_command, deliveries, digest_fixture, free_port, refresh_cookie_of, sigterm, spawn_app,
    unsettled, wait_exit, wait_ready, Db, Session,
};

/// Kills the child when the test ends, also when it fails half-way.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn haproxy() -> PathBuf {
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/sbin")]);
    for dir in candidates {
        let bin = dir.join("haproxy");
        if bin.is_file() {
            return bin;
        }
    }
    panic!("HAProxy fehlt: dieser Test startet den echten Load Balancer. Installieren: apt-get install haproxy");
}

/// Who answered (HAProxy's `X-Served-By`) and how, for every request through HAProxy.
#[derive(Default)]
struct Seen {
    answers: Vec<(String, u16, String)>,
}

impl Seen {
    fn note(&mut self, what: &str, resp: &reqwest::Response) -> String {
        let backend = resp
            .headers()
            .get("x-served-by")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        self.answers
            .push((what.to_string(), resp.status().as_u16(), backend.clone()));
        backend
    }

    fn backends(&self) -> HashSet<&str> {
        self.answers.iter().map(|(_, _, b)| b.as_str()).collect()
    }
}

fn start_instance(
    database_url: &str,
    smtp_port: u16,
    data_dir: &Path,
    port: u16,
    public: &str,
) -> Running {
    Running(
        binary_command(database_url, smtp_port, data_dir)
            .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
            .env("PUBLIC_URL", public)
            .env("TRUSTED_PROXIES", "127.0.0.1")
            .env("SHUTDOWN_TIMEOUT_SECS", "10")
            .spawn()
            .unwrap(),
    )
}

const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

#[test]
fn two_instances_behind_haproxy() {
    actix_web::rt::System::new().block_on(two_instances());
}

async fn two_instances() {
    let bin = haproxy();
    let mut app = spawn_app(Db::Postgres).await;
    // Only the two instances work in the background; the in-process server is stopped.
    digitalnetzwerk::notify::worker::request_stop(&app.state);
    assert!(
        app.state
            .background
            .wait_stopped(Duration::from_secs(10))
            .await
    );
    let shared = tempfile::tempdir().unwrap();
    let mut ports = HashSet::new();
    while ports.len() < 3 {
        ports.insert(free_port());
    }
    let ports: Vec<u16> = ports.into_iter().collect();
    let (front, p1, p2) = (ports[0], ports[1], ports[2]);
    let public = format!("http://127.0.0.1:{front}");
    let mut first = start_instance(&app.database_url, app.mail.port, shared.path(), p1, &public);
    let mut second = start_instance(&app.database_url, app.mail.port, shared.path(), p2, &public);
    let probe = reqwest::Client::new();
    wait_ready(&probe, &format!("http://127.0.0.1:{p1}/readyz"), 60).await;
    wait_ready(&probe, &format!("http://127.0.0.1:{p2}/readyz"), 60).await;

    let log_path = shared.path().join("haproxy.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let _haproxy = Running(
        Command::new(&bin)
            .args(["-db", "-f"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/haproxy.cfg"))
            .env("DN_FRONT", format!("127.0.0.1:{front}"))
            .env("DN_APP1", format!("127.0.0.1:{p1}"))
            .env("DN_APP2", format!("127.0.0.1:{p2}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    wait_ready(&probe, &format!("{public}/readyz"), 30).await;
    // From here on every request of the helpers goes through HAProxy.
    app.base = public.clone();
    let mut seen = Seen::default();

    // Sign-in on one instance, refreshes on both: the session lives in the database and
    // the tokens are signed with the one shared secret.
    let resp = app
        .login_raw("digital@brakel.example", crate::common::DEMO_PASSWORD)
        .await;
    seen.note("login", &resp);
    assert_eq!(resp.status(), 200);
    let mut cookie = refresh_cookie_of(&resp).expect("refresh cookie");
    let body: Value = resp.json().await.unwrap();
    let mut s = Session {
        token: body["access_token"].as_str().unwrap().to_string(),
        refresh: cookie.clone(),
        me: body["user"].clone(),
    };
    for _ in 0..6 {
        let resp = app
            .client
            .post(app.url("/api/v1/auth/refresh"))
            .header("Cookie", format!("dn_refresh={cookie}"))
            .send()
            .await
            .unwrap();
        seen.note("refresh", &resp);
        assert_eq!(resp.status(), 200, "refresh through HAProxy");
        cookie = refresh_cookie_of(&resp).expect("rotated cookie");
        let body: Value = resp.json().await.unwrap();
        s.token = body["access_token"].as_str().unwrap().to_string();
        s.refresh = cookie.clone();
        let me = app.get(&s, "/api/v1/me").await;
        seen.note("me", &me);
        assert_eq!(me.status(), 200, "the new token works on either instance");
    }
    assert_eq!(
        seen.backends(),
        HashSet::from(["app1", "app2"]),
        "both instances answered"
    );

    // One save wins on one instance; the stale save is refused by the other.
    let resp = app
        .post(
            &s,
            "/api/v1/projects",
            json!({"title": "Digitale Bauakte", "summary": "Bauakten digital führen"}),
        )
        .await;
    seen.note("create project", &resp);
    assert_eq!(resp.status(), 201);
    let project: Value = resp.json().await.unwrap();
    let id = project["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/projects/{id}");
    let resp = app
        .patch(
            &s,
            &path,
            Some(1),
            json!({"summary": "Bauakten digital führen und teilen"}),
        )
        .await;
    let saved_by = seen.note("edit", &resp);
    assert_eq!(resp.status(), 200);
    let mut refused_by_other = false;
    for _ in 0..4 {
        let resp = app
            .patch(&s, &path, Some(1), json!({"summary": "Überschrieben?"}))
            .await;
        let by = seen.note("stale edit", &resp);
        assert_eq!(resp.status(), 412, "a stale If-Match is refused");
        if by != saved_by {
            refused_by_other = true;
            break;
        }
    }
    assert!(
        refused_by_other,
        "the other instance refused the stale edit"
    );
    let now: Value = app.get(&s, &path).await.json().await.unwrap();
    assert_eq!(now["summary"], "Bauakten digital führen und teilen");
    assert_eq!(now["version"], 2);

    // Uploaded through one instance, downloaded through the other: one shared DATA_DIR.
    let resp = app
        .upload(
            &s,
            &format!("{path}/attachments"),
            "Bauakte.pdf",
            PDF.to_vec(),
            &[],
        )
        .await;
    let uploaded_by = seen.note("upload", &resp);
    assert_eq!(resp.status(), 201);
    let attachment: Value = resp.json().await.unwrap();
    let aid = attachment["id"].as_str().unwrap();
    let mut downloaded_from_other = false;
    for _ in 0..4 {
        let resp = app.get(&s, &format!("{path}/attachments/{aid}")).await;
        let by = seen.note("download", &resp);
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.bytes().await.unwrap().as_ref(), PDF, "the same bytes");
        if by != uploaded_by {
            downloaded_from_other = true;
            break;
        }
    }
    assert!(
        downloaded_from_other,
        "the other instance served the upload"
    );

    // 200 digests: both instances' schedulers and outbox workers, each mail once.
    let emails = digest_fixture(&app, 200);
    let deadline = Instant::now() + Duration::from_secs(120);
    let received = |app: &crate::common::TestApp| {
        app.mail
            .all()
            .iter()
            .filter(|m| m.to.iter().any(|t| t.ends_with("@digest.example")))
            .count()
    };
    while received(&app) < emails.len() || unsettled(&app, "%@digest.example") > 0 {
        assert!(
            Instant::now() < deadline,
            "{} of {} digests arrived",
            received(&app),
            emails.len()
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let by = deliveries(&app.mail.all());
    for e in &emails {
        assert_eq!(
            by.get(e).map(|v| v.len()),
            Some(1),
            "{e}: exactly one digest"
        );
    }
    assert_eq!(received(&app), emails.len(), "no digest twice");

    // Rolling restart: SIGTERM to the first instance while a client keeps reading; HAProxy
    // sends new requests to the second, and no request fails.
    let client = app.client.clone();
    let (url, token) = (app.url("/api/v1/projects"), s.token.clone());
    let reader = actix_web::rt::spawn(async move {
        let mut got = Vec::new();
        let until = Instant::now() + Duration::from_secs(4);
        while Instant::now() < until {
            let r = client.get(&url).bearer_auth(&token).send().await;
            got.push(match r {
                Ok(r) => {
                    let backend = r
                        .headers()
                        .get("x-served-by")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    let status = r.status().as_u16();
                    match r.bytes().await {
                        Ok(_) => Ok((status, backend)),
                        Err(e) => Err(format!("body: {e}")),
                    }
                }
                Err(e) => Err(e.to_string()),
            });
        }
        got
    });
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    sigterm(&first.0);
    assert_eq!(wait_exit(&mut first.0, 15).await.code(), Some(0));
    let got = reader.await.unwrap();
    let failed: Vec<&String> = got.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failed.is_empty(),
        "requests failed during the restart: {failed:?}"
    );
    for (status, backend) in got.iter().flatten() {
        seen.answers
            .push(("read during restart".into(), *status, backend.clone()));
        assert_eq!(*status, 200, "read during the restart");
    }
    assert!(
        got.iter().flatten().any(|(_, b)| b == "app2"),
        "the second instance took over"
    );

    sigterm(&second.0);
    assert_eq!(wait_exit(&mut second.0, 15).await.code(), Some(0));
    let errors: Vec<_> = seen
        .answers
        .iter()
        .filter(|(_, st, _)| *st >= 500)
        .collect();
    assert!(errors.is_empty(), "5xx through HAProxy: {errors:?}");
}
