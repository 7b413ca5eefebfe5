//! Usage-monitor load benchmark (issue #17, acceptance 7): the district heat map over 30
//! districts × 10 towns × 300 services × 36 months (one figure per town, service and
//! month: about 3.2 million figures), on SQLite and, when BENCH_PG_URL names an empty
//! PostgreSQL database, on PostgreSQL (the same data copied with `migrate-data`). `wrk`
//! at 1 and 32 connections next to the bare actix-web handler, as the Kreis Höxter
//! coordinator. Run with `make bench`.
//!
//! Settings: BENCH_USAGE_DISTRICTS (default 30, Höxter included), BENCH_USAGE_SERVICES
//! (300), BENCH_USAGE_MONTHS (36), BENCH_SECONDS (10), BENCH_USAGE_DB (keep the SQLite
//! file; an existing one with figures is reused), BENCH_PG_URL (optional).
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use diesel::prelude::*;
use digitalnetzwerk::db::schema::{districts, municipalities, usage_figures};
use digitalnetzwerk::ops::generate::{add_district, add_usage_figures};

#[path = "common.rs"]
mod common;
use common::{free_port, pss_mib, server_binary, start_server, wait_until_up, wrk};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The demo deployment, `districts - 1` synthetic districts, and the figures for every
/// town of all of them.
fn generate(database_url: &str, districts: usize, services: i64, months: i32) -> usize {
    let status = Command::new(server_binary())
        .args(["seed", "--demo"])
        .env("DATABASE_URL", database_url)
        .env("JWT_SECRET", "x".repeat(40))
        .stdout(Stdio::null())
        .status()
        .expect("seed");
    assert!(status.success(), "seeding failed");
    let mut conn = digitalnetzwerk::db::establish(database_url).unwrap();
    // The demo seed brought a year of demo figures for Höxter: replaced by the load data.
    diesel::delete(usage_figures::table)
        .execute(&mut conn)
        .unwrap();
    for d in 0..districts.saturating_sub(1) {
        add_district(&mut conn, d).unwrap();
    }
    let towns: Vec<String> = municipalities::table
        .filter(municipalities::kind.ne("district_administration"))
        .order(municipalities::ags.asc())
        .select(municipalities::id)
        .load(&mut conn)
        .unwrap();
    add_usage_figures(&mut conn, &towns, services, months).unwrap()
}

fn figures(database_url: &str) -> i64 {
    digitalnetzwerk::db::establish(database_url)
        .ok()
        .and_then(|mut c| usage_figures::table.count().get_result(&mut c).ok())
        .unwrap_or(0)
}

fn login(base: &str) -> String {
    actix_web::rt::System::new().block_on(async {
        let login: serde_json::Value = reqwest::Client::new()
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "koordination@kreis-hoexter.example", "password": "Demo-Passwort-2026!"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        login["access_token"].as_str().expect("login").to_string()
    })
}

/// Loads the heat map on one backend; prints one table row per connection count.
fn measure(backend: &str, database_url: &str, dir: &std::path::Path, seconds: u64, bare: &str) {
    let district: String = districts::table
        .filter(districts::key.eq("05762"))
        .select(districts::id)
        .first(&mut digitalnetzwerk::db::establish(database_url).unwrap())
        .expect("Kreis Höxter");
    let port = free_port();
    let mut server: Child = start_server(database_url, dir, port);
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&base);
    let token = login(&base);
    let urls: Vec<String> = [
        "heatmap?limit=50",
        "heatmap?limit=50&page=3",
        "heatmap?limit=300",
    ]
    .iter()
    .map(|q| format!("{base}/api/v1/usage/districts/{district}/{q}"))
    .collect();
    for connections in [1, 32] {
        let ceiling = wrk(dir, None, &[format!("{bare}/")], connections, seconds);
        let _ = wrk(dir, Some(&token), &urls, connections, 2);
        let r = wrk(dir, Some(&token), &urls, connections, seconds);
        println!(
            "| {backend} | bare actix-web handler | {connections} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            ceiling.rps, ceiling.p50_ms, ceiling.p95_ms, ceiling.p99_ms, ceiling.errors
        );
        println!(
            "| {backend} | district heat map (12 months; 50, 50 and 300 services a page) | {connections} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            r.rps, r.p50_ms, r.p95_ms, r.p99_ms, r.errors
        );
    }
    eprintln!(
        "{backend}: server PSS after the load {:.0} MiB",
        pss_mib(server.id())
    );
    let _ = server.kill();
    let _ = server.wait();
}

fn main() {
    let n_districts = setting("BENCH_USAGE_DISTRICTS", 30);
    let services = setting("BENCH_USAGE_SERVICES", 300) as i64;
    let months = setting("BENCH_USAGE_MONTHS", 36) as i32;
    let seconds = setting("BENCH_SECONDS", 10) as u64;
    let dir = tempfile::tempdir().unwrap();
    let db_file = std::env::var("BENCH_USAGE_DB")
        .unwrap_or_else(|_| format!("{}/usage.db", dir.path().display()));
    let sqlite = format!("sqlite://{db_file}");
    let existing = if std::path::Path::new(&db_file).exists() {
        figures(&sqlite)
    } else {
        0
    };
    if existing > 0 {
        eprintln!("reusing {db_file} with {existing} figures");
    } else {
        let t = Instant::now();
        let n = generate(&sqlite, n_districts, services, months);
        eprintln!(
            "generated {n} figures in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let total = figures(&sqlite);
    let bare_port = free_port();
    let mut bare = Command::new(server_binary().with_file_name("examples").join("bare"))
        .arg(bare_port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .expect("start bare handler (cargo build --release --example bare)");
    let bare_base = format!("http://127.0.0.1:{bare_port}");
    wait_until_up(&bare_base);
    println!("| backend | endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | errors |");
    println!("|---|---|---|---|---|---|---|---|");
    measure("SQLite", &sqlite, dir.path(), seconds, &bare_base);
    if let Ok(pg) = std::env::var("BENCH_PG_URL") {
        let t = Instant::now();
        let status = Command::new(server_binary())
            .args(["migrate-data", "--from", &sqlite, "--to", &pg])
            .stdout(Stdio::null())
            .status()
            .expect("migrate-data");
        assert!(status.success(), "migrate-data to PostgreSQL failed");
        eprintln!("copied to PostgreSQL in {:.1} s", t.elapsed().as_secs_f64());
        measure("PostgreSQL", &pg, dir.path(), seconds, &bare_base);
    }
    let _ = bare.kill();
    let _ = bare.wait();
    println!();
    println!(
        "{total} usage figures ({n_districts} districts × 10 towns × {services} services × {months} months), signed in as the Kreis Höxter coordinator; wrk {seconds} s per run"
    );
}
