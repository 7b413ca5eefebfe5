//! Mail benchmark for `make bench`: BENCH_DIGESTS (default 10,000) members with a daily
//! digest due are composed and queued by one `digest::run_due`, then the outbox is
//! delivered to a real SMTP server on loopback (mailin-embedded) with the same
//! exactly-once hand-over the server uses. Prints both durations and mails per second.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use diesel::prelude::*;

#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl mailin_embedded::Handler for Counter {
    fn data_end(&mut self) -> mailin_embedded::Response {
        self.0.fetch_add(1, Ordering::SeqCst);
        mailin_embedded::response::OK
    }
}

fn main() {
    let n: usize = std::env::var("BENCH_DIGESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/mail.db", dir.path().display());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(AtomicUsize::new(0));
    let mut server = mailin_embedded::Server::new(Counter(received.clone()));
    server.with_addr(listener.local_addr().unwrap()).unwrap();
    drop(listener);
    std::thread::spawn(move || server.serve().unwrap());

    std::env::set_var("DATABASE_URL", &url);
    std::env::set_var("DATA_DIR", dir.path());
    std::env::set_var("SMTP_URL", format!("smtp://127.0.0.1:{port}"));
    std::env::set_var("JWT_SECRET", "x".repeat(40));
    let config = digitalnetzwerk::config::Config::from_env().unwrap();
    let state = digitalnetzwerk::state::build_state(config).unwrap();
    let mut conn = digitalnetzwerk::db::establish(&url).unwrap();
    digitalnetzwerk::seed::seed_accounts(&mut conn, 256).unwrap();
    let district: String = digitalnetzwerk::db::schema::districts::table
        .select(digitalnetzwerk::db::schema::districts::id)
        .first(&mut conn)
        .unwrap();
    digitalnetzwerk::db::write_transaction(&mut conn, |conn| {
        digitalnetzwerk::ops::generate::add_digest_readers(conn, &district, n)
    })
    .unwrap();

    let t = Instant::now();
    digitalnetzwerk::notify::digest::run_due(
        &mut conn,
        digitalnetzwerk::db::now(),
        "http://127.0.0.1",
    )
    .unwrap();
    let composed = t.elapsed();
    use digitalnetzwerk::db::schema::outbox;
    let queued: i64 = outbox::table.count().get_result(&mut conn).unwrap();
    drop(conn);

    let t = Instant::now();
    let mut sent = 0;
    while sent < queued as usize {
        sent += digitalnetzwerk::notify::outbox::deliver_due(
            &state.pool,
            &state.mailer,
            "bench",
            chrono::Duration::hours(48),
            chrono::Duration::seconds(60),
            &|| false,
        )
        .unwrap();
    }
    let delivered = t.elapsed();
    while received.load(Ordering::SeqCst) < sent {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    println!(
        "| digests | composed and queued | delivered to loopback SMTP | mails/s |\n|---|---|---|---|\n| {queued} | {:.2} s | {:.2} s | {:.0} |",
        composed.as_secs_f64(),
        delivered.as_secs_f64(),
        sent as f64 / delivered.as_secs_f64()
    );
}
