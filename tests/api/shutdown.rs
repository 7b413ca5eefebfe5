//! SIGTERM to the real binary while it answers requests and sends digests: it stops
//! accepting, finishes what it is doing, gives back its claims, and exits 0. No answer
//! is a 5xx, and every mail the SMTP server received is recorded as sent, once.
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::common::{
    binary_command, deliveries, digest_fixture, free_port, sigterm, spawn_app, unsettled,
    wait_exit, wait_ready, Db, MailSink, DEMO_PASSWORD,
};
use digitalnetzwerk::db::schema::{outbox, worker_leases};

const DIGESTS: usize = 200;
const PATTERN: &str = "%@digest.example";

/// What the clients saw: statuses, and transport errors before and after the signal.
#[derive(Default)]
struct Seen {
    statuses: Vec<u16>,
    errors_before_signal: Vec<String>,
    errors_after_signal: usize,
}

/// Signed-in GETs of list endpoints in a loop, until the server is gone (a refused or
/// reset connection after the signal ends the loop) or `deadline`.
async fn load(base: String, token: String, signalled: Arc<AtomicBool>, seen: Arc<Mutex<Seen>>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let paths = [
        "/api/v1/projects?limit=50",
        "/api/v1/efa/solutions",
        "/api/v1/municipalities",
        "/api/v1/notifications",
        "/api/v1/support/requests",
    ];
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut i = 0;
    while Instant::now() < deadline {
        let path = paths[i % paths.len()];
        i += 1;
        let was_signalled = signalled.load(Ordering::SeqCst);
        match client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
        {
            Ok(resp) => {
                let status = resp.status().as_u16();
                // Read the whole body: a response cut off by the shutdown is an error too.
                let body = resp.bytes().await;
                let mut seen = seen.lock().unwrap();
                seen.statuses.push(status);
                if let Err(e) = body {
                    if was_signalled || signalled.load(Ordering::SeqCst) {
                        seen.errors_after_signal += 1;
                        return;
                    }
                    seen.errors_before_signal.push(format!("{path}: body: {e}"));
                    return;
                }
            }
            Err(e) => {
                let mut seen = seen.lock().unwrap();
                if was_signalled || signalled.load(Ordering::SeqCst) {
                    seen.errors_after_signal += 1;
                    return;
                }
                seen.errors_before_signal.push(format!("{path}: {e}"));
                return;
            }
        }
    }
}

fn count(conn: &mut digitalnetzwerk::db::DbConn, filter: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM outbox WHERE to_email LIKE '{PATTERN}' AND {filter}"
    ))
    .get_result::<N>(conn)
    .unwrap()
    .n
}

fn digests_received(sink: &MailSink) -> usize {
    sink.all()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.ends_with("@digest.example")))
        .count()
}

async fn sigterm_under_load(db: Db) {
    let app = spawn_app(db).await;
    // Only the binary sends: the in-process server's own loop is stopped first.
    digitalnetzwerk::notify::worker::request_stop(&app.state);
    assert!(
        app.state
            .background
            .wait_stopped(Duration::from_secs(10))
            .await,
        "the in-process background loop did not stop"
    );
    let emails = digest_fixture(&app, DIGESTS);
    // A relay that takes 25 ms per mail: 200 digests take a few seconds, so the signal
    // arrives while mails are being handed over.
    let sink = MailSink::start_slow(Duration::from_millis(25));
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log_path = tmp.path().join("server.log");
    let log_file = std::fs::File::create(&log_path).unwrap();
    let timeout_secs = 10;
    let mut child = binary_command(&app.database_url, sink.port, tmp.path())
        .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", &base)
        .env("SHUTDOWN_TIMEOUT_SECS", timeout_secs.to_string())
        .env("OUTBOX_CLAIM_SECS", "60")
        .env("RUST_LOG", "info,actix_server=warn")
        // The log goes to standard output.
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .unwrap();
    let pid = child.id();
    let probe = reqwest::Client::new();
    wait_ready(&probe, &format!("{base}/readyz"), 60).await;

    let login: Value = probe
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "koordination@kreis-hoexter.example", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"]
        .as_str()
        .expect("signed in")
        .to_string();

    let signalled = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            actix_web::rt::spawn(load(
                base.clone(),
                token.clone(),
                signalled.clone(),
                seen.clone(),
            ))
        })
        .collect();

    // Mid-stream: some digests are out, most are not.
    let deadline = Instant::now() + Duration::from_secs(60);
    while digests_received(&sink) < 20 {
        assert!(Instant::now() < deadline, "the server sent no digests");
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        !seen.lock().unwrap().statuses.is_empty(),
        "the clients got no answers before the signal"
    );
    signalled.store(true, Ordering::SeqCst);
    let signalled_at = Instant::now();
    sigterm(&child);
    let status = wait_exit(&mut child, timeout_secs + 5).await;
    let took = signalled_at.elapsed();
    for c in clients {
        c.await.unwrap();
    }
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    assert_eq!(
        status.code(),
        Some(0),
        "exit status after SIGTERM; log:\n{log}"
    );
    assert!(
        took < Duration::from_secs(timeout_secs),
        "the shutdown took {took:?}, longer than SHUTDOWN_TIMEOUT_SECS"
    );
    assert!(
        log.contains("Server beendet"),
        "no end line in the log:\n{log}"
    );

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    assert!(
        seen.errors_before_signal.is_empty(),
        "requests failed before the signal: {:?}",
        seen.errors_before_signal
    );
    let server_errors: Vec<&u16> = seen.statuses.iter().filter(|s| **s >= 500).collect();
    assert!(server_errors.is_empty(), "5xx answers: {server_errors:?}");
    assert!(
        seen.statuses.iter().all(|s| *s == 200),
        "every answer is 200: {:?}",
        seen.statuses.iter().collect::<HashSet<_>>()
    );
    eprintln!(
        "SIGTERM: {} answers, {} connections refused or closed after the signal, exit after {took:?}",
        seen.statuses.len(),
        seen.errors_after_signal
    );

    // The outbox after the stop: exactly the received mails are recorded as sent, none is
    // handed over without an answer, and the stopped process holds no claim and no lease.
    let received = digests_received(&sink);
    let mut conn = app.conn();
    assert!(
        received < DIGESTS,
        "the signal came too late to test anything ({received} sent)"
    );
    let by = deliveries(&sink.all());
    assert!(
        by.values().all(|ids| ids.len() == 1),
        "a digest was received twice"
    );
    let sent: Vec<String> = outbox::table
        .filter(outbox::to_email.like(PATTERN))
        .filter(outbox::sent_at.is_not_null())
        .select(outbox::to_email)
        .load(&mut conn)
        .unwrap();
    let received_to: HashSet<String> = by.keys().cloned().collect();
    let sent_to: HashSet<String> = sent.iter().cloned().collect();
    assert_eq!(sent.len(), received, "sent rows == received mails");
    assert_eq!(sent_to, received_to, "the received mails are the sent rows");
    assert_eq!(
        count(&mut conn, "handed_over_at IS NOT NULL AND sent_at IS NULL"),
        0,
        "a mail was handed over but not recorded"
    );
    assert_eq!(
        count(&mut conn, "claimed_by IS NOT NULL"),
        0,
        "the stopped process left claims"
    );
    assert_eq!(
        count(&mut conn, "sent_at IS NOT NULL AND last_error IS NOT NULL"),
        0,
        "no mail was settled as unconfirmed"
    );
    let leases: Vec<Option<String>> = worker_leases::table
        .select(worker_leases::holder)
        .load(&mut conn)
        .unwrap();
    assert!(
        leases
            .iter()
            .flatten()
            .all(|h| !h.starts_with(&format!("{pid}-"))),
        "the stopped process still holds a lease: {leases:?}"
    );
    drop(conn);

    // The next start sends the rest, and nothing twice.
    let mut next = binary_command(&app.database_url, sink.port, tmp.path())
        .env("BIND_ADDRESS", format!("127.0.0.1:{}", free_port()))
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    while digests_received(&sink) < emails.len() || unsettled(&app, PATTERN) > 0 {
        if Instant::now() >= deadline {
            let _ = next.kill();
            panic!(
                "after the restart {} of {} digests arrived",
                digests_received(&sink),
                emails.len()
            );
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    sigterm(&next);
    assert_eq!(wait_exit(&mut next, timeout_secs + 5).await.code(), Some(0));
    let by = deliveries(&sink.all());
    for e in &emails {
        assert_eq!(
            by.get(e).map(|v| v.len()),
            Some(1),
            "{e} must get exactly one digest"
        );
    }
    assert_eq!(digests_received(&sink), emails.len(), "no digest twice");
}

mod sigterm_under_load_drains_requests_and_mails {
    #[test]
    fn sqlite() {
        actix_web::rt::System::new().block_on(super::sigterm_under_load(crate::common::Db::Sqlite));
    }
    #[test]
    fn postgres() {
        actix_web::rt::System::new()
            .block_on(super::sigterm_under_load(crate::common::Db::Postgres));
    }
}
