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
//! file; an existing file with projects is reused, not regenerated), BENCH_PG_URL (an
//! empty PostgreSQL database: the same data is copied there with `migrate-data` and
//! measured too), BENCH_ONLY (only the endpoints whose name contains this text).
use std::process::{Child, Command, Stdio};
use std::time::Instant;

#[path = "common.rs"]
mod common;
use common::{free_port, pss_mib, server_binary, start_server, wait_until_up, wrk, wrk_lua, Run};

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
    // A kept file from an older build: its migrations and search rows are brought up to
    // date here, before the server's start-up is timed.
    digitalnetzwerk::db::run_migrations(&database_url).unwrap();
    let mut conn = digitalnetzwerk::db::establish(&database_url).unwrap();
    let t = Instant::now();
    let n = digitalnetzwerk::projects::search::reindex_missing(&mut conn).unwrap();
    if n > 0 {
        eprintln!("indexed {n} projects in {:.1} s", t.elapsed().as_secs_f64());
    }
    // What each search word becomes (stem, compound parts, synonyms), for EXPLAIN.
    for q in SEARCH_TERMS {
        if let Some(c) = digitalnetzwerk::projects::search::compile(&conn, q) {
            eprintln!("expression\t{q}\t{}", c.expression(true).unwrap_or(""));
        }
    }
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
    let bare_base = format!("http://127.0.0.1:{bare_port}");
    wait_until_up(&bare_base);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    println!(
        "| backend | endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | errors | share of bare |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let pss = measure(
        "SQLite",
        &database_url,
        dir.path(),
        seconds,
        &bare_base,
        &ids,
        &only,
    );
    let mut report = format!("server PSS after the load: SQLite {pss:.0} MiB");
    if let Ok(pg) = std::env::var("BENCH_PG_URL") {
        let t = Instant::now();
        let status = Command::new(server_binary())
            .args(["migrate-data", "--from", &database_url, "--to", &pg])
            .stdout(Stdio::null())
            .status()
            .expect("migrate-data");
        assert!(status.success(), "migrate-data to PostgreSQL failed");
        eprintln!("copied to PostgreSQL in {:.1} s", t.elapsed().as_secs_f64());
        let pss = measure(
            "PostgreSQL",
            &pg,
            dir.path(),
            seconds,
            &bare_base,
            &ids,
            &only,
        );
        report.push_str(&format!(
            ", PostgreSQL {pss:.0} MiB (the server process only)"
        ));
    }
    let _ = bare.kill();
    let _ = bare.wait();
    println!();
    println!(
        "{total} projects ({n_projects} in Kreis Höxter, {other_districts} further districts with {per_other} each), signed in as the Brakel officer; wrk {seconds} s per run; {report}"
    );
}

/// One table row: a scenario's wrk figures and their share of the bare handler's req/s.
fn print_row(backend: &str, name: &str, connections: usize, r: &Run, bare_rps: f64) {
    println!(
        "| {backend} | {name} | {connections} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {:.4} |",
        r.rps,
        r.p50_ms,
        r.p95_ms,
        r.p99_ms,
        r.errors,
        r.rps / bare_rps
    );
}

/// A scenario's URLs for the n-th wrk run.
type Urls<'a> = Box<dyn Fn(usize) -> Vec<String> + 'a>;

/// The same URLs in every run.
fn fixed<'a>(urls: Vec<String>) -> Urls<'a> {
    Box::new(move |_| urls.clone())
}

/// Starts the server on one backend, signs in as the Brakel officer and loads every
/// scenario (whose name contains `only`) at 1 and 32 connections next to the bare
/// handler; prints one table row per run and returns the server's PSS after the load.
fn measure(
    backend: &str,
    database_url: &str,
    dir: &std::path::Path,
    seconds: u64,
    bare_base: &str,
    ids: &[String],
    only: &str,
) -> f64 {
    let port = free_port();
    let mut server: Child = start_server(database_url, dir, port);
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&base);
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
            eprintln!("{backend}: search \"{q}\": {} visible hits", page["total"]);
        }
        token
    });
    let api = |p: &str| format!("{base}/api/v1{p}");
    // Each scenario's URLs for the n-th wrk run.
    let scenarios: Vec<(&str, Urls)> = vec![
        (
            "project list, newest (20 pages of 20)",
            fixed(
                (1..=20)
                    .map(|p| api(&format!("/projects?limit=20&page={p}")))
                    .collect(),
            ),
        ),
        (
            "full-text search (5 words in turn)",
            fixed(
                SEARCH_TERMS
                    .iter()
                    .map(|q| api(&format!("/projects?q={q}")))
                    .collect(),
            ),
        ),
        (
            // A text no request asked before, in any run (a word and a number no project
            // has: all words find nothing, any word finds the word's projects), so
            // nothing kept helps.
            "full-text search, a new text each request",
            Box::new(|run| {
                (0..10_000)
                    .map(|n| {
                        let q = SEARCH_TERMS[n % SEARCH_TERMS.len()];
                        api(&format!("/projects?q={q}+{}", 1_000_000 * (run + 1) + n))
                    })
                    .collect()
            }),
        ),
        (
            "project detail",
            fixed(
                ids.iter()
                    .map(|id| api(&format!("/projects/{id}")))
                    .collect(),
            ),
        ),
        (
            "similar projects",
            fixed(
                ids.iter()
                    .map(|id| api(&format!("/projects/{id}/similar")))
                    .collect(),
            ),
        ),
        (
            "district dashboard",
            fixed(vec![api("/dashboard/district")]),
        ),
        (
            "notifications feed",
            fixed(vec![api("/notifications?limit=20")]),
        ),
    ];
    let mut run = 0;
    for connections in [1, 32] {
        let ceiling = wrk(dir, None, &[format!("{bare_base}/")], connections, seconds);
        println!(
            "| {backend} | bare actix-web handler (2.4 KB JSON) | {connections} | {:.0} | {:.2} | {:.2} | {:.2} | {} | 1 |",
            ceiling.rps, ceiling.p50_ms, ceiling.p95_ms, ceiling.p99_ms, ceiling.errors
        );
        for (name, urls) in scenarios.iter().filter(|(n, _)| n.contains(only)) {
            // Warm-up, not reported.
            let _ = wrk(dir, Some(&token), &urls(run), connections, 2);
            let r = wrk(dir, Some(&token), &urls(run + 1), connections, seconds);
            run += 2;
            print_row(backend, name, connections, &r, ceiling.rps);
        }
        // Hints for a draft no one asked about before (each request's summary carries its
        // own number), so the kept answers do not help: the cost of one draft's hints.
        let name = "similar hints, a new draft each request";
        if name.contains(only) {
            let subjects: Vec<String> = digitalnetzwerk::ops::generate::SUBJECTS
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect();
            let lua = |tag: usize| {
                format!(
                    r#"local subjects = {{{subjects}}}
local n = 0
request = function()
  n = n + 1
  local s = subjects[n % #subjects + 1]
  return wrk.format("POST", "/api/v1/projects/similar", {{["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}, '{{"title":"' .. s .. ' für unsere Verwaltung","summary":"Entwurf {tag}-' .. (number or 0) .. '-' .. n .. ': wir wollen ' .. s .. ' digital anbieten."}}')
end
"#,
                    subjects = subjects.join(", ")
                )
            };
            let _ = wrk_lua(dir, &base, &lua(run), connections, 2);
            let r = wrk_lua(dir, &base, &lua(run + 1), connections, seconds);
            run += 2;
            print_row(backend, name, connections, &r, ceiling.rps);
        }
    }
    if "write mix".contains(only) {
        write_mix(&base, &token, dir, seconds, backend, bare_base);
    }
    let pss = pss_mib(server.id());
    let _ = server.kill();
    let _ = server.wait();
    pss
}

/// Projects of the Brakel officer that the write mix edits and comments on (each wrk
/// thread takes its own half, so that two connections never edit the same project).
const WRITE_POOL: usize = 200;

/// The write mix at 1 and 32 connections: a third each of creating a project, editing one
/// (with the version it last saw in `If-Match`) and commenting on one. A thread cycles
/// through its 100 projects and edits only one whose previous edit has been answered, as a
/// person edits what they last saw; any 412 would count as an error.
fn write_mix(
    base: &str,
    token: &str,
    dir: &std::path::Path,
    seconds: u64,
    backend: &str,
    bare_base: &str,
) {
    let api = |p: &str| format!("{base}/api/v1{p}");
    let client = reqwest::Client::builder()
        // wrk runs between the requests of this client; the server closes idle connections.
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let rt = actix_web::rt::System::new();
    let mut pool = Vec::new();
    for n in 0..WRITE_POOL {
        let created: serde_json::Value = rt.block_on(async {
            client
                .post(api("/projects"))
                .bearer_auth(token)
                .json(&serde_json::json!({"title": format!("Schreiblast {n}"), "summary": "Ein Projekt, das die Schreiblast bearbeitet und kommentiert.", "visibility": "district"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        });
        pool.push(created["id"].as_str().expect("create project").to_string());
    }
    for connections in [1, 32] {
        let ceiling = wrk(dir, None, &[format!("{bare_base}/")], connections, seconds);
        let mut figures = None;
        for secs in [2, seconds] {
            // The versions as they are now (the previous run edited them). Edits that were
            // still out when wrk stopped finish on the server first.
            std::thread::sleep(std::time::Duration::from_secs(3));
            let mut entries = Vec::new();
            for id in &pool {
                let r = rt.block_on(async {
                    client
                        .get(api(&format!("/projects/{id}")))
                        .bearer_auth(token)
                        .send()
                        .await
                        .unwrap()
                });
                let v = r.headers()["etag"]
                    .to_str()
                    .unwrap()
                    .trim_matches('"')
                    .to_string();
                entries.push(format!("{{\"{id}\", {v}}}"));
            }
            let lua = format!(
                r#"local pool = {{{pool}}}
local mine, version, pending, n, j = {{}}, {{}}, {{}}, 0, 0
init = function(args)
  for k, p in ipairs(pool) do
    if (k - 1) % {threads} == (number or 0) then
      table.insert(mine, p[1])
      version[p[1]] = p[2]
    end
  end
end
local function headers(extra)
  local h = {{["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}
  for k, v in pairs(extra or {{}}) do h[k] = v end
  return h
end
request = function()
  n = n + 1
  if n % 3 == 0 then
    return wrk.format("POST", "/api/v1/projects", headers(), '{{"title":"Lastprobe ' .. (number or 0) .. '-' .. n .. '","summary":"Angelegt von der Schreiblast.","visibility":"private"}}')
  end
  j = j % #mine + 1
  local id = mine[j]
  if n % 3 == 1 then
    return wrk.format("POST", "/api/v1/projects/" .. id .. "/comments", headers(), '{{"body":"Kommentar ' .. n .. ' der Schreiblast"}}')
  end
  -- Edit a project whose last edit has been answered (a slow answer may still be out).
  for _ = 1, #mine do
    if not pending[id] then break end
    j = j % #mine + 1
    id = mine[j]
  end
  pending[id] = true
  return wrk.format("PATCH", "/api/v1/projects/" .. id, headers({{["If-Match"] = '"' .. version[id] .. '"'}}), '{{"summary":"Bearbeitet von der Schreiblast, Schritt ' .. n .. '."}}')
end
local failures = 0
response = function(status, hdrs, body)
  if status >= 300 then
    failures = failures + 1
    if failures <= 3 then io.write("FAIL " .. status .. " " .. string.sub(body, 1, 200) .. "\n") end
    return
  end
  local etag = hdrs["etag"] or hdrs["ETag"]
  if etag then
    local id = string.match(body, '"id"%s*:%s*"([^"]+)"')
    local v = tonumber(string.match(etag, "(%d+)"))
    if id and v and version[id] then
      version[id] = v
      pending[id] = nil
    end
  end
end
"#,
                pool = entries.join(", "),
                threads = connections.min(2),
            );
            figures = Some(wrk_lua(dir, base, &lua, connections, secs));
        }
        let r = figures.unwrap();
        print_row(
            backend,
            "write mix (create, edit, comment)",
            connections,
            &r,
            ceiling.rps,
        );
    }
}
