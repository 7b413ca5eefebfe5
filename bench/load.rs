//! HTTP load benchmark: generates a district with many projects, starts the release
//! server binary on it and measures latency percentiles, throughput and the server's
//! peak memory for the read paths people use most. Run with `make bench`.
//!
//! Settings (environment): BENCH_PROJECTS (default 5000), BENCH_REQUESTS per scenario
//! (default 2000), BENCH_CONCURRENCY (default 16), BENCH_DB (keep the database in this file),
//! BENCH_OTHER_DISTRICTS (default 0): further districts of the same deployment, each with
//! 10 towns and BENCH_PROJECTS / 2 projects, so that network-visible projects of many
//! districts are in the lists and searches too.
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use digitalnetzwerk::db::schema::{districts, municipalities, projects, users};
use digitalnetzwerk::projects::model::{ProjectFields, ProjectStatus, Visibility};
use digitalnetzwerk::projects::queries::{insert, NewProject};
use digitalnetzwerk::users::model::UserRow;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const SUBJECTS: &[&str] = &[
    "Terminbuchung",
    "E-Rechnung",
    "Schul-WLAN",
    "Bauantrag",
    "Ratsinformationssystem",
    "Mängelmelder",
    "Open-Data-Portal",
    "Glasfaser",
    "Smart Parking",
    "Wohnsitzanmeldung",
    "Digitale Personalakte",
    "Videokonferenzen",
    "Friedhofsverwaltung",
    "Hundesteuer online",
    "Bürgerbus-App",
    "Sitzungsdienst",
    "Geoportal",
    "Kita-Platzvergabe",
    "Feuerwehr-Alarmierung",
    "IT-Notfallhandbuch",
];
/// One word of five of the subjects above each.
const SEARCH_TERMS: &[&str] = &["Rechnung", "WLAN", "Bauantrag", "Glasfaser", "Parking"];
const ANGLES: &[&str] = &[
    "einführen",
    "gemeinsam beschaffen",
    "erweitern",
    "evaluieren",
    "an das Fachverfahren anbinden",
    "für alle Ortsteile",
    "mit dem Kreis",
    "als EfA-Nachnutzung",
];
const TOPICS: &[&str] = &[
    "verwaltung-ozg",
    "bildung-schulen",
    "mobilitaet",
    "infrastruktur-breitband",
    "smart-city",
    "it-sicherheit",
    "buergerservice",
    "daten-open-data",
];
const STATUSES: &[ProjectStatus] = &[
    ProjectStatus::Idea,
    ProjectStatus::Planned,
    ProjectStatus::InProgress,
    ProjectStatus::Live,
];

/// Demo accounts and towns, then `n` projects spread over the towns (one transaction), and
/// `other` further districts with `n / 2` projects each. Returns the number of towns the
/// home district's projects are spread over.
fn generate(database_url: &str, n: usize, other: usize) -> usize {
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
            add_projects(conn, &authors, n + d * n, n / 2)?;
        }
        Ok::<(), digitalnetzwerk::error::AppError>(())
    })
    .unwrap();
    home.len()
}

/// A synthetic district with 10 towns. Its keys start with 99, which no Land has, so they
/// can never be taken for an official Kreisschlüssel or AGS. Returns (town id, district id).
fn add_district(
    conn: &mut digitalnetzwerk::db::DbConn,
    d: usize,
) -> Result<Vec<(String, String)>, digitalnetzwerk::error::AppError> {
    let t = digitalnetzwerk::db::now();
    let district = digitalnetzwerk::db::new_id();
    diesel::insert_into(districts::table)
        .values((
            districts::id.eq(&district),
            districts::key.eq(format!("99{d:03}")),
            districts::name.eq(format!("Testkreis {d} (synthetisch)")),
            districts::version.eq(1),
            districts::created_at.eq(t),
            districts::updated_at.eq(t),
        ))
        .execute(conn)?;
    let mut towns = Vec::new();
    for m in 0..10 {
        let id = digitalnetzwerk::db::new_id();
        diesel::insert_into(municipalities::table)
            .values((
                municipalities::id.eq(&id),
                municipalities::district_id.eq(&district),
                municipalities::ags.eq(format!("99{d:03}{m:03}")),
                municipalities::name.eq(format!("Teststadt {d}-{m}")),
                municipalities::kind.eq("town"),
                municipalities::version.eq(1),
                municipalities::created_at.eq(t),
                municipalities::updated_at.eq(t),
            ))
            .execute(conn)?;
        towns.push((id, district.clone()));
    }
    Ok(towns)
}

/// `count` projects numbered from `first`, spread over (author, town, district):
/// 10 % private, 30 % network, 60 % district, one topic each.
fn add_projects(
    conn: &mut digitalnetzwerk::db::DbConn,
    towns: &[(&UserRow, &str, &str)],
    first: usize,
    count: usize,
) -> Result<(), digitalnetzwerk::error::AppError> {
    for i in first..first + count {
        let (author, town, district) = towns[i % towns.len()];
        let subject = SUBJECTS[i % SUBJECTS.len()];
        let angle = ANGLES[(i / SUBJECTS.len()) % ANGLES.len()];
        let fields = ProjectFields {
            title: format!("{subject} {angle} ({i})"),
            summary: format!("{subject}: wir wollen das Vorhaben {angle} und suchen Partner."),
            description: format!(
                "Stand {i}: Abstimmung mit der Verwaltung, Haushaltsmittel beantragt."
            ),
            visibility: match i % 10 {
                0 => Visibility::Private,
                1..=3 => Visibility::Network,
                _ => Visibility::District,
            },
            topics: vec![TOPICS[i % TOPICS.len()].to_string()],
            tags: vec![],
            ozg_ids: vec![],
            planned_start: None,
            planned_end: None,
            budget_cents: Some(((i % 50) as i64 + 1) * 1_000_000),
            contact_name: None,
            contact_email: None,
        };
        insert(
            conn,
            &author.actor(),
            NewProject {
                municipality_id: town,
                district_id: district,
                status: STATUSES[i % STATUSES.len()],
                fields: &fields,
            },
        )?;
    }
    Ok(())
}

fn server_binary() -> PathBuf {
    // target/<profile>/examples/load → target/<profile>/digitalnetzwerk
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("digitalnetzwerk")
}

fn start_server(database_url: &str, dir: &std::path::Path, port: u16) -> Child {
    Command::new(server_binary())
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("DATA_DIR", dir)
        .env("STATIC_DIR", dir)
        .env("BIND_ADDRESS", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", "x".repeat(40))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server")
}

/// Peak resident memory of a process in MiB (VmHWM).
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn scenario(
    client: &reqwest::Client,
    token: &str,
    paths: Vec<String>,
    requests: usize,
    concurrency: usize,
) -> (Vec<Duration>, usize, Duration) {
    let started = Instant::now();
    let mut handles = Vec::new();
    for w in 0..concurrency {
        let (client, token, paths) = (client.clone(), token.to_string(), paths.clone());
        let share = requests / concurrency + usize::from(w < requests % concurrency);
        handles.push(actix_web::rt::spawn(async move {
            let mut times = Vec::with_capacity(share);
            let mut errors = 0;
            for i in 0..share {
                let path = &paths[(w + i * concurrency) % paths.len()];
                let t = Instant::now();
                let r = client.get(path).bearer_auth(&token).send().await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    _ => errors += 1,
                }
                times.push(t.elapsed());
            }
            (times, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (t, e) = h.await.unwrap();
        all.extend(t);
        errors += e;
    }
    all.sort();
    (all, errors, started.elapsed())
}

fn main() {
    let n_projects = setting("BENCH_PROJECTS", 5000);
    let requests = setting("BENCH_REQUESTS", 2000);
    let concurrency = setting("BENCH_CONCURRENCY", 16);
    let other_districts = setting("BENCH_OTHER_DISTRICTS", 0);
    let dir = tempfile::tempdir().unwrap();
    // BENCH_DB=<file> keeps the generated database for a closer look (EXPLAIN QUERY PLAN).
    let db_file =
        std::env::var("BENCH_DB").unwrap_or_else(|_| format!("{}/bench.db", dir.path().display()));
    let _ = std::fs::remove_file(&db_file);
    let database_url = format!("sqlite://{db_file}");
    let t = Instant::now();
    let home_towns = generate(&database_url, n_projects, other_districts);
    eprintln!(
        "generated {} projects in {:.1} s",
        n_projects + other_districts * (n_projects / 2),
        t.elapsed().as_secs_f64()
    );
    let ids: Vec<String> = projects::table
        .filter(projects::visibility.ne("private"))
        .select(projects::id)
        .limit(200)
        .load(&mut digitalnetzwerk::db::establish(&database_url).unwrap())
        .unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = start_server(&database_url, dir.path(), port);
    let base = format!("http://127.0.0.1:{port}");
    actix_web::rt::System::new().block_on(async move {
        let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
        for _ in 0..200 {
            if client.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
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
        let api = |p: &str| format!("{base}/api/v1{p}");
        let scenarios: Vec<(&str, Vec<String>)> = vec![
            ("project list (page of 20, newest)", (1..=20).map(|p| api(&format!("/projects?limit=20&page={p}"))).collect()),
            ("full-text search", SEARCH_TERMS.iter().map(|q| api(&format!("/projects?q={q}"))).collect()),
            ("project detail", ids.iter().take(50).map(|id| api(&format!("/projects/{id}"))).collect()),
            ("similar projects", ids.iter().take(50).map(|id| api(&format!("/projects/{id}/similar"))).collect()),
            ("district dashboard", vec![api("/dashboard/district")]),
            ("notifications feed", vec![api("/notifications?limit=20")]),
        ];
        // Each search term names one of the 20 subjects, so it matches 5 % of the generated
        // projects (of those the officer may see); the totals show it is so.
        for q in SEARCH_TERMS {
            let page: serde_json::Value = client
                .get(api(&format!("/projects?q={q}&limit=1")))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            println!("search \"{q}\": {} visible hits", page["total"]);
        }
        println!();
        println!("| scenario | requests | errors | p50 ms | p95 ms | p99 ms | req/s |");
        println!("|---|---|---|---|---|---|---|");
        for (name, paths) in scenarios {
            // Warm-up, not measured.
            let _ = scenario(&client, &token, paths.clone(), concurrency * 2, concurrency).await;
            let (times, errors, took) = scenario(&client, &token, paths, requests, concurrency).await;
            println!(
                "| {name} | {} | {errors} | {:.1} | {:.1} | {:.1} | {:.0} |",
                times.len(),
                percentile(&times, 0.50),
                percentile(&times, 0.95),
                percentile(&times, 0.99),
                times.len() as f64 / took.as_secs_f64(),
            );
        }
    });
    println!();
    println!(
        "{n_projects} projects in Kreis Höxter ({home_towns} towns) and {other_districts} other districts with {} each, SQLite, concurrency {concurrency}; server peak RSS {:.0} MiB",
        n_projects / 2,
        peak_rss_mib(server.id())
    );
    let _ = server.kill();
    let _ = server.wait();
}
