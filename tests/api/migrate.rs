//! `digitalnetzwerk migrate-data`: the demo data plus a generated district move from
//! SQLite to PostgreSQL, and afterwards every list of the API answers the same on both.
use diesel::prelude::*;
use serde_json::Value;

use crate::common::{postgres_database, spawn_app_with, Db, MailSink, Session, TestApp};

/// Lists whose answers a background worker or the moment of the request changes
/// (notifications and digests are made by the worker, XLSX files carry their creation
/// time, the outbox is the worker's), the viewer's own account (signing in on each
/// server records that session and its time), and the API description.
const NOT_COMPARED: [&str; 13] = [
    "/api/v1/me",
    "/api/v1/me/data",
    "/api/v1/notifications",
    "/api/v1/notifications/unread-count",
    "/api/v1/me/digest/preview",
    "/api/v1/admin/outbox",
    "/api/v1/projects/export.xlsx",
    "/api/v1/efa/matrix.xlsx",
    "/api/v1/funding/overview.xlsx",
    "/api/v1/openapi.json",
    "/api/v1/public/feed.atom",
    "/healthz",
    "/readyz",
];

const VIEWERS: [&str; 4] = [
    "admin@digitalnetzwerk.example",
    "koordination@kreis-hoexter.example",
    "digital@brakel.example",
    "team@warburg.example",
];

fn migrate(from: &str, to: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_digitalnetzwerk"))
        .args(["migrate-data", "--from", from, "--to", to])
        .env("JWT_SECRET", "x".repeat(40))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

/// Every parameterless GET of the API, plus the detail of each listed project.
async fn answers(app: &TestApp, s: &Session) -> Vec<(String, u16, String)> {
    let doc: Value =
        serde_json::from_str(&digitalnetzwerk::app::openapi_document().to_json().unwrap()).unwrap();
    let mut paths: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(p, item)| item.get("get").is_some() && !p.contains('{'))
        .map(|(p, _)| p.clone())
        .filter(|p| !NOT_COMPARED.contains(&p.as_str()))
        .collect();
    for q in [
        "?q=Bauantrag",
        "?q=digitale",
        "?page=2&per_page=25",
        "?sort=title",
    ] {
        paths.push(format!("/api/v1/projects{q}"));
    }
    let list: Value = app
        .get(s, "/api/v1/projects?per_page=100")
        .await
        .json()
        .await
        .unwrap();
    for p in list["items"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        paths.push(format!("/api/v1/projects/{id}"));
        paths.push(format!("/api/v1/projects/{id}/similar"));
    }
    let mut out = Vec::new();
    for path in paths {
        let resp = app.get(s, &path).await;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let text = match serde_json::from_str::<Value>(&text) {
            Ok(mut v) => {
                normalise(&mut v, path.contains("q="));
                v.to_string()
            }
            _ => text,
        };
        out.push((path, status, text));
    }
    out
}

#[actix_web::test]
async fn migrate_data_moves_everything_and_the_api_answers_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}/quelle.db", tmp.path().display());
    {
        let url = sqlite.clone();
        actix_web::web::block(move || {
            digitalnetzwerk::db::run_migrations(&url).unwrap();
            let mut conn = digitalnetzwerk::db::establish(&url).unwrap();
            digitalnetzwerk::seed::seed_demo(&mut conn, 256).unwrap();
            add_generated_district(&mut conn);
        })
        .await
        .unwrap();
    }
    let source_bytes = std::fs::read(digitalnetzwerk::db::sqlite_path(&sqlite)).unwrap();
    let pg = postgres_database();

    let out = migrate(&sqlite, &pg);
    assert!(
        out.status.success(),
        "migrate-data failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("projects"), "{report}");
    // The source is only read.
    assert_eq!(
        std::fs::read(digitalnetzwerk::db::sqlite_path(&sqlite)).unwrap(),
        source_bytes,
        "the source database file is unchanged"
    );
    // A second run finds data in the target and refuses.
    let again = migrate(&sqlite, &pg);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("enthält schon Daten"));

    let mail = MailSink::start();
    let port = mail.port;
    let on_sqlite = spawn_app_with(Db::Sqlite, mail, port, Some(sqlite.clone())).await;
    let mail = MailSink::start();
    let port = mail.port;
    let on_pg = spawn_app_with(Db::Postgres, mail, port, Some(pg.clone())).await;
    let projects: i64 = digitalnetzwerk::db::schema::projects::table
        .count()
        .get_result(&mut on_pg.conn())
        .unwrap();
    assert!(
        projects > 200,
        "the generated district came along ({projects})"
    );

    let mut compared = 0;
    for viewer in VIEWERS {
        let a = answers(&on_sqlite, &on_sqlite.login(viewer).await).await;
        let b = answers(&on_pg, &on_pg.login(viewer).await).await;
        assert_eq!(a.len(), b.len(), "{viewer}: the same lists");
        let mut differ = Vec::new();
        for ((path, sa, ba), (_, sb, bb)) in a.iter().zip(&b) {
            if sa != sb || ba != bb {
                let at = ba
                    .bytes()
                    .zip(bb.bytes())
                    .take_while(|(x, y)| x == y)
                    .count();
                let around = |t: &str| {
                    t.get(at.saturating_sub(120)..(at + 120).min(t.len()))
                        .unwrap_or("")
                        .to_string()
                };
                differ.push(format!(
                    "{path}: {sa} / {sb}, first difference at byte {at}: …{}… / …{}…",
                    around(ba),
                    around(bb)
                ));
            }
            compared += 1;
        }
        assert!(
            differ.is_empty(),
            "{viewer}: answers differ between SQLite and PostgreSQL:\n{}",
            differ.join("\n")
        );
    }
    assert!(compared > 100, "{compared} answers compared");
}

/// A synthetic district (10 towns) with 300 projects by the demo officers.
fn add_generated_district(conn: &mut digitalnetzwerk::db::DbConn) {
    use digitalnetzwerk::db::schema::users;
    use digitalnetzwerk::users::model::UserRow;
    let officers: Vec<UserRow> = users::table
        .filter(users::role.eq("officer"))
        .select(UserRow::as_select())
        .load(conn)
        .unwrap();
    digitalnetzwerk::db::write_transaction(conn, |conn| {
        let towns = digitalnetzwerk::ops::generate::add_district(conn, 0)?;
        let authors: Vec<(&UserRow, &str, &str)> = towns
            .iter()
            .zip(officers.iter().cycle())
            .map(|((town, district), u)| (u, town.as_str(), district.as_str()))
            .collect();
        digitalnetzwerk::ops::generate::add_projects(conn, &authors, 0, 300)
    })
    .unwrap();
}

/// Takes out what differs by construction: a problem's request id (new for each request),
/// the sign-in times (each viewer signs in on each server), and for a full-text search
/// the order of equally relevant hits (SQLite ranks with bm25, PostgreSQL with ts_rank;
/// the hits and the total must be the same).
fn normalise(v: &mut Value, search: bool) {
    match v {
        Value::Object(o) => {
            o.remove("request_id");
            if o.contains_key("last_login_at") {
                o.insert("last_login_at".into(), Value::Null);
            }
            if search {
                if let Some(Value::Array(items)) = o.get_mut("items") {
                    items.sort_by_key(|i| i["id"].as_str().unwrap_or("").to_string());
                }
            }
            for x in o.values_mut() {
                normalise(x, false);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| normalise(x, false)),
        _ => {}
    }
}
