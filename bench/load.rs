//! HTTP load benchmark: generates a deployment (Kreis Höxter with BENCH_PROJECTS projects
//! and BENCH_OTHER_DISTRICTS synthetic districts with BENCH_OTHER_PROJECTS each), starts
//! the release server on it, and loads the read paths people use most with `wrk` (a real
//! load generator, Debian package `wrk`) at 1 and at 32 connections, next to a bare
//! actix-web handler (`bench/bare.rs`) measured in the same run. Reports req/s, p50/p99
//! from wrk's latency distribution, the ratio to the bare handler, and the server's PSS
//! (proportional set size, /proc/<pid>/smaps_rollup) after the load. Run with `make bench`.
//!
//! Settings (environment): BENCH_PROJECTS (default 10000), BENCH_OTHER_DISTRICTS (default
//! 29), BENCH_OTHER_PROJECTS (default 1380: 10,000 + 29 × 1,380 ≈ 50,000 projects in 30
//! districts), BENCH_SECONDS per run (default 10), BENCH_DB (keep the database in this
//! file; an existing file with projects is reused, not regenerated).
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "common.rs"]
mod common;
use common::{free_port, pss_mib, server_binary, start_server, wait_until_up, wrk};

use diesel::prelude::*;
use digitalnetzwerk::db::schema::{municipalities, projects, users};
use digitalnetzwerk::ops::generate::{add_district, add_projects};
use digitalnetzwerk::users::model::UserRow;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One word of five of the subjects above each.
const SEARCH_TERMS: &[&str] = &["Rechnung", "WLAN", "Bauantrag", "Glasfaser", "Parking"];
/// Demo accounts and towns, then `n` projects spread over the towns (one transaction), and
/// `other` further districts with `per_other` projects each. Returns the number of towns
/// the home district's projects are spread over.
fn generate(database_url: &str, n: usize, other: usize, per_other: usize) -> usize {
    let bin = server_binary();
    let status = Command::new(&bin)
        .args(["seed", "--demo"])
        .env("DATABASE_URL", database_url)
        .env("JWT_SECRET", "x".repeat(40))
        .stdout(Stdio::null())
        .status()
        .expect("seed");
    assert!(status.success(), "seeding failed");
    let mut conn = digitalnetzwerk::db::establish(database_url).unwrap();
    let officers: Vec<(UserRow, String, String)> = users::table
        .inner_join(
            municipalities::table.on(users::municipality_id.eq(municipalities::id.nullable())),
        )
        .filter(users::role.eq("officer"))
        .select((
            UserRow::as_select(),
            municipalities::id,
            municipalities::district_id,
        ))
        .load(&mut conn)
        .unwrap();
    let home: Vec<(&UserRow, &str, &str)> = officers
        .iter()
        .map(|(u, m, d)| (u, m.as_str(), d.as_str()))
        .collect();
    digitalnetzwerk::db::write_transaction(&mut conn, |conn| {
        add_projects(conn, &home, 0, n)?;
        for d in 0..other {
            let towns = add_district(conn, d)?;
            // The demo officers stand in as authors; authorship does not change what is read.
            let authors: Vec<(&UserRow, &str, &str)> = towns
                .iter()
                .zip(officers.iter().cycle())
                .map(|((town, district), (u, _, _))| (u, town.as_str(), district.as_str()))
                .collect();
            add_projects(conn, &authors, n + d * per_other, per_other)?;
        }
        Ok::<(), digitalnetzwerk::error::AppError>(())
    })
    .unwrap();
    home.len()
}

fn main() {
    let n_projects = setting("BENCH_PROJECTS", 10_000);
    let other_districts = setting("BENCH_OTHER_DISTRICTS", 29);
    let per_other = setting("BENCH_OTHER_PROJECTS", 1_380);
    let seconds = setting("BENCH_SECONDS", 10) as u64;
    let dir = tempfile::tempdir().unwrap();
    let db_file =
        std::env::var("BENCH_DB").unwrap_or_else(|_| format!("{}/bench.db", dir.path().display()));
    let database_url = format!("sqlite://{db_file}");
    let existing: i64 = if std::path::Path::new(&db_file).exists() {
        projects::table
            .count()
            .get_result(&mut digitalnetzwerk::db::establish(&database_url).unwrap())
            .unwrap_or(0)
    } else {
        0
    };
    let total = if existing > 0 {
        eprintln!("reusing {db_file} with {existing} projects");
        existing as usize
    } else {
        let t = Instant::now();
        generate(&database_url, n_projects, other_districts, per_other);
        let total = n_projects + other_districts * per_other;
        eprintln!(
            "generated {total} projects in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        total
    };
    let mut conn = digitalnetzwerk::db::establish(&database_url).unwrap();
    let ids: Vec<String> = projects::table
        .filter(projects::visibility.eq("network"))
        .order(projects::id.desc())
        .select(projects::id)
        .limit(50)
        .load(&mut conn)
        .unwrap();
    drop(conn);

    let bare_port = free_port();
    let mut bare = Command::new(server_binary().with_file_name("examples").join("bare"))
        .arg(bare_port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .expect("start bare handler (cargo build --release --example bare)");
    let port = free_port();
    let mut server = start_server(&database_url, dir.path(), port);
    let base = format!("http://127.0.0.1:{port}");
    let bare_base = format!("http://127.0.0.1:{bare_port}");
    wait_until_up(&base);
    wait_until_up(&bare_base);
    let token = actix_web::rt::System::new().block_on(async {
        let client = reqwest::Client::new();
        let login: serde_json::Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "digital@brakel.example", "password": "Demo-Passwort-2026!"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = login["access_token"].as_str().expect("login").to_string();
        // Each search term names one of the 20 subjects; the totals show how many hits.
        for q in SEARCH_TERMS {
            let page: serde_json::Value = client
                .get(format!("{base}/api/v1/projects?q={q}&limit=1"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            eprintln!("search \"{q}\": {} visible hits", page["total"]);
        }
        token
    });
    let api = |p: &str| format!("{base}/api/v1{p}");
    let scenarios: Vec<(&str, Vec<String>)> = vec![
        (
            "project list, newest (20 pages of 20)",
            (1..=20)
                .map(|p| api(&format!("/projects?limit=20&page={p}")))
                .collect(),
        ),
        (
            "full-text search",
            SEARCH_TERMS
                .iter()
                .map(|q| api(&format!("/projects?q={q}")))
                .collect(),
        ),
        (
            "project detail",
            ids.iter()
                .map(|id| api(&format!("/projects/{id}")))
                .collect(),
        ),
        (
            "similar projects",
            ids.iter()
                .map(|id| api(&format!("/projects/{id}/similar")))
                .collect(),
        ),
        ("district dashboard", vec![api("/dashboard/district")]),
        ("notifications feed", vec![api("/notifications?limit=20")]),
    ];
    println!("| endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | errors | share of bare |");
    println!("|---|---|---|---|---|---|---|---|");
    for connections in [1, 32] {
        let ceiling = wrk(
            dir.path(),
            None,
            &[format!("{bare_base}/")],
            connections,
            seconds,
        );
        println!(
            "| bare actix-web handler (2.4 KB JSON) | {connections} | {:.0} | {:.2} | {:.2} | {:.2} | {} | 1 |",
            ceiling.rps, ceiling.p50_ms, ceiling.p95_ms, ceiling.p99_ms, ceiling.errors
        );
        for (name, urls) in &scenarios {
            // Warm-up, not reported.
            let _ = wrk(dir.path(), Some(&token), urls, connections, 2);
            let r = wrk(dir.path(), Some(&token), urls, connections, seconds);
            println!(
                "| {name} | {connections} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {:.4} |",
                r.rps,
                r.p50_ms,
                r.p95_ms,
                r.p99_ms,
                r.errors,
                r.rps / ceiling.rps
            );
        }
    }
    println!();
    println!(
        "{total} projects ({n_projects} in Kreis Höxter, {other_districts} further districts with {per_other} each), SQLite, signed in as the Brakel officer; wrk {seconds} s per run; server PSS after the load {:.0} MiB",
        pss_mib(server.id())
    );
    for child in [&mut server, &mut bare] {
        let _ = child.kill();
        let _ = child.wait();
    }
}
