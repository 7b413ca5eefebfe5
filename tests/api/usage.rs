//! Nutzungsmonitor: CSV import all-or-nothing, the push API and its token, the online
//! share in the town chart and the heat map, visibility on every surface, the Reifegrad.
use diesel::prelude::*;
use diesel_migrations::MigrationHarness;
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, Session, TestApp};
use digitalnetzwerk::db::schema::leika_services;
use digitalnetzwerk::db::{DbConn, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use digitalnetzwerk::ozg::import::{self, bundled, ImportKind};

both_backends!(
    a_year_of_brakel_imports_in_one_step_and_a_bad_line_changes_nothing,
    a_town_token_pushes_only_for_its_town_and_opens_nothing_else,
    online_share_in_town_chart_and_heat_map,
    figures_stay_in_the_district_unless_shared,
    reifegrad_is_the_weakest_criterion_and_history_is_kept,
    the_maturity_models_name_their_sources_and_keep_their_keys,
    the_demo_year_is_labelled_and_seeded_once,
    a_live_efa_solution_without_online_cases_is_flagged_and_the_grid_saves_a_month,
    a_coordinators_digest_has_last_months_usage,
    the_heat_map_shows_every_change_at_once,
    the_same_cases_from_two_sources_count_once,
);

const BRAKEL: &str = "05762016";
const WARBURG: &str = "05762036";
const OFFICER_BRAKEL: &str = "digital@brakel.example";
const OFFICER_WARBURG: &str = "digital@warburg.example";
const COORDINATOR: &str = "koordination@kreis-hoexter.example";

/// The OZG and LeiKa catalogues; returns `n` distinct LeiKa keys.
fn catalogue(app: &TestApp, n: usize) -> Vec<String> {
    let mut conn = app.conn();
    import::run(&mut conn, ImportKind::Themenfelder, bundled::THEMENFELDER).unwrap();
    import::run(&mut conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN).unwrap();
    import::run(&mut conn, ImportKind::OzgServices, bundled::OZG_SERVICES).unwrap();
    import::run(&mut conn, ImportKind::Leika, bundled::LEIKA).unwrap();
    let mut keys: Vec<String> = leika_services::table
        .filter(leika_services::leika_key.is_not_null())
        .order(leika_services::id.asc())
        .select(leika_services::leika_key.assume_not_null())
        .limit(200)
        .load(&mut conn)
        .unwrap();
    keys.dedup();
    keys.truncate(n);
    assert_eq!(keys.len(), n);
    keys
}

/// Kreis Höxter's id.
async fn district_id(app: &TestApp, _s: &Session) -> String {
    use digitalnetzwerk::db::schema::districts;
    districts::table
        .filter(districts::key.eq("05762"))
        .select(districts::id)
        .first(&mut app.conn())
        .unwrap()
}

async fn json_of(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
}

async fn put(app: &TestApp, s: &Session, path: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(&s.token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// 12 months × `keys` × (online, paper) in the long format, as a portal exports it.
fn year_csv(keys: &[String]) -> String {
    let mut csv = String::from("\u{feff}Leistungsschlüssel;Monat;Kanal;Anzahl\r\n");
    for (i, k) in keys.iter().enumerate() {
        for m in 1..=12 {
            csv.push_str(&format!("{k};{m:02}/2025;online;{}\r\n", 10 + i + m));
            csv.push_str(&format!("{k};{m:02}/2025;Papier;{}\r\n", 30 + i));
        }
    }
    csv
}

fn with_line(csv: &str, line: usize, content: &str) -> String {
    let mut lines: Vec<String> = csv.split("\r\n").map(str::to_string).collect();
    lines[line - 1] = content.to_string();
    lines.join("\r\n")
}

async fn import_csv(app: &TestApp, s: &Session, town: &str, csv: &str) -> reqwest::Response {
    let preview = json_of(
        app.post(s, "/api/v1/usage/import/preview", json!({ "csv": csv }))
            .await,
    )
    .await;
    app.post(
        s,
        "/api/v1/usage/imports",
        json!({
            "municipality_id": town,
            "file_name": "brakel-2025.csv",
            "csv": csv,
            "mapping": preview["suggested_mapping"],
        }),
    )
    .await
}

async fn a_year_of_brakel_imports_in_one_step_and_a_bad_line_changes_nothing(app: TestApp) {
    let keys = catalogue(&app, 20);
    let brakel = app.municipality_id(BRAKEL).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    let csv = year_csv(&keys);

    let preview = json_of(
        app.post(
            &officer,
            "/api/v1/usage/import/preview",
            json!({ "csv": csv }),
        )
        .await,
    )
    .await;
    assert_eq!(preview["delimiter"], ";");
    assert_eq!(preview["row_count"], 480);
    assert_eq!(preview["rows"].as_array().unwrap().len(), 10);
    assert_eq!(
        preview["suggested_mapping"]["leika_key"],
        "Leistungsschlüssel"
    );
    assert_eq!(preview["suggested_mapping"]["channel"], "Kanal");

    // Each kind of bad line refuses the whole file and names its line and column.
    for (line, content, column) in [
        (7, format!("{};13/2025;online;4", keys[0]), "Monat"),
        (12, format!("{};03/2025;online;-2", keys[1]), "Anzahl"),
        (
            300,
            "11111111111111;03/2025;online;4".to_string(),
            "Leistungsschlüssel",
        ),
    ] {
        let bad = with_line(&csv, line, &content);
        let p = assert_problem(import_csv(&app, &officer, &brakel, &bad).await, 422).await;
        let messages: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap())
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with(&format!("Zeile {line}, Spalte „{column}“")),
            "{messages:?}"
        );
        assert_eq!(app.count("usage_figures"), 0);
        assert_eq!(app.count("usage_imports"), 0);
    }

    let resp = import_csv(&app, &officer, &brakel, &csv).await;
    assert_eq!(resp.status(), 201);
    let imp = json_of(resp).await;
    assert_eq!(imp["figure_count"], 480);
    assert_eq!(imp["row_count"], 480);
    assert_eq!(imp["replaced_count"], 0);
    assert_eq!(imp["municipality_name"], "Brakel");
    assert_eq!(app.count("usage_figures"), 480);

    // The good file once more, with a bad line: the stored year stays as it was.
    let bad = with_line(&csv, 7, &format!("{};13/2025;online;4", keys[0]));
    assert_problem(import_csv(&app, &officer, &brakel, &bad).await, 422).await;
    assert_eq!(app.count("usage_figures"), 480);
    assert_eq!(app.count("usage_figure_history"), 0);

    // A corrected month replaces the old values and keeps them in the history.
    let again = json_of(import_csv(&app, &officer, &brakel, &csv).await).await;
    assert_eq!(again["replaced_count"], 480);
    assert_eq!(app.count("usage_figures"), 480);
    assert_eq!(app.count("usage_figure_history"), 480);

    // Comma-separated wide files work too; another town's officer may not import for Brakel.
    let wide = format!(
        "LeiKa,Monat,Online,Papier,Schalter\n{},März 2026,5,3,1\n",
        keys[0]
    );
    let resp = import_csv(&app, &officer, &brakel, &wide).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert_eq!(app.count("usage_figures"), 483);
    let warburg = app.login(OFFICER_WARBURG).await;
    assert_problem(import_csv(&app, &warburg, &brakel, &csv).await, 403).await;
    let member = app.login("team@brakel.example").await;
    assert_problem(
        app.post(
            &member,
            "/api/v1/usage/import/preview",
            json!({ "csv": csv }),
        )
        .await,
        403,
    )
    .await;
    let list = json_of(
        app.get(
            &officer,
            &format!("/api/v1/usage/imports?municipality_id={brakel}"),
        )
        .await,
    )
    .await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][0]["created_by_name"], "Lena Vogt");
}

async fn a_town_token_pushes_only_for_its_town_and_opens_nothing_else(app: TestApp) {
    let keys = catalogue(&app, 2);
    let brakel = app.municipality_id(BRAKEL).await;
    let warburg = app.municipality_id(WARBURG).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    let created = app
        .post(
            &officer,
            "/api/v1/usage/tokens",
            json!({ "municipality_id": brakel, "name": "Fachverfahren Meldewesen" }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created = json_of(created).await;
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("dnu_") && secret.len() > 40);
    // Stored hashed: the secret is in no column.
    let list = app
        .get(
            &officer,
            &format!("/api/v1/usage/tokens?municipality_id={brakel}"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!list.contains(&secret));
    assert!(list.contains("Fachverfahren Meldewesen"));
    let hashes: Vec<String> = {
        use digitalnetzwerk::db::schema::usage_tokens;
        usage_tokens::table
            .select(usage_tokens::token_hash)
            .load(&mut app.conn())
            .unwrap()
    };
    assert_eq!(hashes.len(), 1);
    assert_ne!(hashes[0], secret);
    assert!(!hashes[0].contains(&secret[4..]));

    let push = |town: &str, body: Value| {
        app.client
            .post(app.url("/api/v1/usage/push"))
            .bearer_auth(&secret)
            .json(&json!({ "municipality_id": town, "figures": body }))
            .send()
    };
    let figures = json!([
        { "leika_key": keys[0], "month": "2025-03", "channel": "online", "count": 41 },
        { "leika_key": keys[1], "month": "März 2025", "channel": "paper", "count": 7, "median_days": 4.5, "backlog": 2 },
    ]);
    let resp = push(&brakel, figures.clone()).await.unwrap();
    assert_eq!(resp.status(), 200);
    let out = json_of(resp).await;
    assert_eq!(out["accepted"], 2);
    // The same month again replaces, with history.
    let out = json_of(push(&brakel, figures.clone()).await.unwrap()).await;
    assert_eq!(out["replaced"], 2);
    assert_eq!(app.count("usage_figures"), 2);
    // Another town: 403, nothing stored.
    assert_problem(push(&warburg, figures.clone()).await.unwrap(), 403).await;
    // Validation names the figure.
    let p = assert_problem(
        push(&brakel, json!([{ "leika_key": "11111111111111", "month": "13/2025", "channel": "online", "count": -1 }]))
            .await
            .unwrap(),
        422,
    )
    .await;
    let fields = crate::common::fields(&p);
    assert!(
        fields.contains(&"figures[0].month".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"figures[0].count".to_string()),
        "{fields:?}"
    );
    assert_eq!(app.count("usage_figures"), 2);

    // The token opens no other endpoint, reading or writing.
    for path in [
        "/api/v1/me".to_string(),
        "/api/v1/projects".to_string(),
        format!("/api/v1/usage/towns/{brakel}/series"),
        format!("/api/v1/usage/tokens?municipality_id={brakel}"),
    ] {
        let resp = app
            .client
            .get(app.url(&path))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap();
        assert_problem(resp, 401).await;
    }
    let resp = app
        .client
        .post(app.url("/api/v1/usage/manual"))
        .bearer_auth(&secret)
        .json(&json!({ "municipality_id": brakel, "month": "2025-03", "entries": [] }))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 401).await;
    // Without a token it is 401, whatever the body.
    let resp = app
        .client
        .post(app.url("/api/v1/usage/push"))
        .header("content-type", "application/json")
        .body("{ not json")
        .send()
        .await
        .unwrap();
    assert_problem(resp, 401).await;
    // A user's access token cannot push.
    let resp = app
        .client
        .post(app.url("/api/v1/usage/push"))
        .bearer_auth(&officer.token)
        .json(&json!({ "municipality_id": brakel, "figures": figures }))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 401).await;

    // Another town's officer cannot revoke it; Brakel's can, and then it is dead.
    let id = created["token"]["id"].as_str().unwrap();
    let warburg_officer = app.login(OFFICER_WARBURG).await;
    assert_problem(
        app.delete(&warburg_officer, &format!("/api/v1/usage/tokens/{id}"))
            .await,
        403,
    )
    .await;
    assert_eq!(
        app.delete(&officer, &format!("/api/v1/usage/tokens/{id}"))
            .await
            .status(),
        204
    );
    assert_problem(push(&brakel, figures).await.unwrap(), 401).await;
}

async fn online_share_in_town_chart_and_heat_map(app: TestApp) {
    let keys = catalogue(&app, 2);
    let brakel = app.municipality_id(BRAKEL).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    // keys[0]: Jan only online, Feb only paper, Mar missing, Apr 3 online + 1 counter.
    let csv = format!(
        "Schlüssel;Monat;Online;Papier;Schalter\n{k};01/2025;10;;\n{k};02/2025;0;5;\n{k};04/2025;3;;1\n{j};04/2025;40;60;\n",
        k = keys[0],
        j = keys[1]
    );
    let resp = import_csv(&app, &officer, &brakel, &csv).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let s = json_of(
        app.get(
            &officer,
            &format!("/api/v1/usage/towns/{brakel}/series?from=2025-01&to=2025-04"),
        )
        .await,
    )
    .await;
    assert_eq!(
        s["months"],
        json!(["2025-01", "2025-02", "2025-03", "2025-04"])
    );
    let item = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["leika_key"] == keys[0].as_str())
        .unwrap();
    let p = item["points"].as_array().unwrap();
    assert_eq!(p[0]["online_share"], 1.0, "no paper cases");
    assert_eq!(p[0]["paper"], Value::Null);
    assert_eq!(p[1]["online_share"], 0.0, "no online cases");
    assert_eq!(p[1]["online"], 0);
    assert_eq!(p[2]["online_share"], Value::Null, "a missing month");
    assert_eq!(p[2]["total"], Value::Null);
    assert_eq!(p[3]["online_share"], 0.75);
    // The town's own officer sees small counts exactly.
    assert_eq!(p[3]["online"], 3);
    assert_eq!(p[3]["online_masked"], false);

    // The coordinator's heat map shows Brakel, small totals masked without the number.
    let coord = app.login(COORDINATOR).await;
    let d = district_id(&app, &coord).await;
    let url = format!("/api/v1/usage/districts/{d}/heatmap?from=2025-04&to=2025-04");
    let text = app.get(&coord, &url).await.text().await.unwrap();
    let h: Value = serde_json::from_str(&text).unwrap();
    assert!(h["towns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["name"] == "Brakel"));
    let cell = |k: &str| {
        h["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["leika_key"] == k && c["municipality_id"] == brakel.as_str())
            .cloned()
            .unwrap()
    };
    let small = cell(&keys[0]);
    assert_eq!(small["total"], Value::Null);
    assert_eq!(small["total_masked"], true);
    assert_eq!(small["online"], Value::Null);
    assert_eq!(small["online_share"], Value::Null);
    assert!(!small.to_string().contains(":4") && !small.to_string().contains(":3"));
    let big = cell(&keys[1]);
    assert_eq!(big["total"], 100);
    assert_eq!(big["online_share"], 0.4);
    assert_eq!(h["services"][0]["leika_key"], keys[1].as_str());
    // The sums are kept between requests, and a new import replaces them at once: a
    // correction of April (re-imported: 50 online, 50 on paper) shows on the next request.
    let fix = format!("Schlüssel;Monat;Online;Papier\n{};04/2025;50;50\n", keys[1]);
    assert_eq!(
        import_csv(&app, &officer, &brakel, &fix).await.status(),
        201
    );
    let again: Value = json_of(app.get(&coord, &url).await).await;
    let fixed = again["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["leika_key"] == keys[1].as_str() && c["municipality_id"] == brakel.as_str())
        .cloned()
        .unwrap();
    assert_eq!(fixed["online_share"], 0.5, "{fixed}");
    assert_eq!(fixed["total"], 100);
    let back = format!("Schlüssel;Monat;Online;Papier\n{};04/2025;40;60\n", keys[1]);
    assert_eq!(
        import_csv(&app, &officer, &brakel, &back).await.status(),
        201
    );
    let restored: Value = json_of(app.get(&coord, &url).await).await;
    assert_eq!(restored["cells"], h["cells"]);
    // Potenzial: the service with 60 % on paper leads.
    let pot = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/potential?from=2025-01&to=2025-04"),
        )
        .await,
    )
    .await;
    assert_eq!(pot["items"][0]["leika_key"], keys[1].as_str());
    assert_eq!(pot["items"][0]["paper_share"], 0.6);
    // Totals per month, missing months as zero with no share.
    let t = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/totals?from=2025-01&to=2025-04"),
        )
        .await,
    )
    .await;
    assert_eq!(t["months"][2]["total"], 0);
    assert_eq!(t["months"][2]["online_share"], Value::Null);
    assert_eq!(t["months"][3]["total"], 104);
    assert_eq!(t["months"][3]["towns_reporting"], 1);
    // CSV in Excel-de: BOM, semicolons, masked small counts.
    let resp = app
        .get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/heatmap.csv?from=2025-04&to=2025-04"),
        )
        .await;
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let csv = String::from_utf8_lossy(&bytes[3..]).to_string();
    assert!(csv.starts_with("Kommune;Leistungsschlüssel"));
    assert!(csv.contains("< 5"), "{csv}");
    assert!(csv.contains(";100;40;40,0"), "{csv}");

    // A falling share three months in a row shows up as "Auffällig".
    let falling = format!(
        "Schlüssel;Monat;Online;Papier\n{k};05/2025;90;10\n{k};06/2025;80;20\n{k};07/2025;70;30\n{k};08/2025;60;40\n",
        k = keys[1]
    );
    assert_eq!(
        import_csv(&app, &officer, &brakel, &falling).await.status(),
        201
    );
    let a = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/anomalies?to=2025-08"),
        )
        .await,
    )
    .await;
    assert_eq!(a["total"], 1, "{a}");
    assert_eq!(a["items"][0]["kind"], "falling_share");
    assert_eq!(a["items"][0]["municipality_name"], "Brakel");
    // Period limits are checked.
    assert_problem(
        app.get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/heatmap?from=2020-01&to=2025-01"),
        )
        .await,
        422,
    )
    .await;
}

async fn figures_stay_in_the_district_unless_shared(app: TestApp) {
    let keys = catalogue(&app, 2);
    let brakel = app.municipality_id(BRAKEL).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    let csv = format!(
        "Schlüssel;Monat;Online;Papier\n{};03/2025;3;2\n{};03/2025;60;40\n",
        keys[0], keys[1]
    );
    assert_eq!(
        import_csv(&app, &officer, &brakel, &csv).await.status(),
        201
    );
    let coord = app.login(COORDINATOR).await;
    let d = district_id(&app, &coord).await;
    let q = "from=2025-03&to=2025-03";
    let other = app.other_district_officer().await;
    let anon = reqwest::Client::new();

    // Another town of the district sees Brakel, small counts masked.
    let warburg = app.login(OFFICER_WARBURG).await;
    let s = json_of(
        app.get(
            &warburg,
            &format!("/api/v1/usage/towns/{brakel}/series?{q}"),
        )
        .await,
    )
    .await;
    assert_eq!(s["total"], 2);
    let small = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["leika_key"] == keys[0].as_str())
        .unwrap();
    assert_eq!(small["points"][0]["online"], Value::Null);
    assert_eq!(small["points"][0]["online_masked"], true);
    assert_eq!(small["points"][0]["online_share"], Value::Null);

    // Another district's officer and anonymous visitors see nothing of it, anywhere.
    let check_hidden = |shared: Option<&'static str>| {
        let (app, other, anon, d, brakel) = (&app, &other, &anon, &d, &brakel);
        let keys = keys.clone();
        async move {
            let h = json_of(
                app.get(other, &format!("/api/v1/usage/districts/{d}/heatmap?{q}"))
                    .await,
            )
            .await;
            let visible: Vec<&str> = h["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["leika_key"].as_str().unwrap())
                .collect();
            let csv = app
                .get(
                    other,
                    &format!("/api/v1/usage/districts/{d}/heatmap.csv?{q}"),
                )
                .await
                .text()
                .await
                .unwrap();
            let totals = json_of(
                app.get(other, &format!("/api/v1/usage/districts/{d}/totals?{q}"))
                    .await,
            )
            .await;
            let pot = json_of(
                app.get(other, &format!("/api/v1/usage/districts/{d}/potential?{q}"))
                    .await,
            )
            .await;
            let series = app
                .get(other, &format!("/api/v1/usage/towns/{brakel}/series?{q}"))
                .await;
            let open = anon
                .get(app.url("/api/v1/usage/public/open-data.csv"))
                .send()
                .await
                .unwrap();
            assert_eq!(open.status(), 200);
            let open = open.text().await.unwrap();
            assert!(open
                .trim_start_matches('\u{feff}')
                .starts_with("# Lizenz: Datenlizenz Deutschland"));
            let public = json_of(
                anon.get(app.url("/api/v1/usage/public/services"))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            match shared {
                None => {
                    assert!(visible.is_empty(), "{visible:?}");
                    assert!(!csv.contains("Brakel"));
                    assert_eq!(totals["sum"]["total"], 0);
                    assert_eq!(pot["total"], 0);
                    assert_problem(series, 404).await;
                    assert!(!open.contains("Brakel"));
                    assert_eq!(public["total"], 0);
                }
                Some(level) => {
                    assert_eq!(visible, vec![keys[1].as_str()]);
                    assert!(csv.contains("Brakel") && !csv.contains(&keys[0]));
                    assert_eq!(totals["sum"]["total"], 100);
                    assert_eq!(pot["items"][0]["leika_key"], keys[1].as_str());
                    let s = json_of(series).await;
                    assert_eq!(s["total"], 1);
                    assert_eq!(s["items"][0]["visibility"], level);
                    if level == "public" {
                        assert!(open.contains("Brakel") && open.contains(&keys[1]));
                        assert!(!open.contains(&keys[0]));
                        assert_eq!(public["total"], 1);
                    } else {
                        assert!(!open.contains("Brakel"));
                        assert_eq!(public["total"], 0);
                    }
                }
            }
        }
    };
    check_hidden(None).await;
    // Anonymous visitors cannot call the signed-in views at all.
    let resp = anon
        .get(app.url(&format!("/api/v1/usage/districts/{d}/heatmap")))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 401).await;
    // Sharing is the town's decision; another district cannot change it.
    assert_problem(
        put(
            &app,
            &other,
            "/api/v1/usage/sharing",
            json!({ "municipality_id": brakel, "leika_key": keys[1], "visibility": "public" }),
        )
        .await,
        403,
    )
    .await;
    let resp = put(
        &app,
        &officer,
        "/api/v1/usage/sharing",
        json!({ "municipality_id": brakel, "leika_key": keys[1], "visibility": "network" }),
    )
    .await;
    assert_eq!(resp.status(), 200);
    check_hidden(Some("network")).await;
    let resp = put(
        &app,
        &officer,
        "/api/v1/usage/sharing",
        json!({ "municipality_id": brakel, "leika_key": keys[1], "visibility": "public" }),
    )
    .await;
    assert_eq!(resp.status(), 200);
    check_hidden(Some("public")).await;
    // Taking it back hides it again.
    let resp = put(
        &app,
        &officer,
        "/api/v1/usage/sharing",
        json!({ "municipality_id": brakel, "leika_key": keys[1], "visibility": "district" }),
    )
    .await;
    assert_eq!(resp.status(), 200);
    check_hidden(None).await;
}

async fn reifegrad_is_the_weakest_criterion_and_history_is_kept(app: TestApp) {
    let keys = catalogue(&app, 1);
    let brakel = app.municipality_id(BRAKEL).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    let models = json_of(app.get(&officer, "/api/v1/usage/maturity/models").await).await;
    let m11 = models
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "ozg_1_1")
        .unwrap();
    assert_eq!(m11["max_level"], 4);
    assert_eq!(m11["levels"].as_array().unwrap().len(), 5);
    assert!(m11["source"].as_str().unwrap().contains("OZG"));
    let m20 = models
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "ozg_2_0")
        .unwrap();
    assert_eq!(m20["levels"].as_array().unwrap().len(), 8);
    let criteria: Vec<String> = m11["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_string())
        .collect();
    assert!(criteria.len() >= 2);
    let weak = criteria[1].clone();
    let levels: Vec<Value> = criteria
        .iter()
        .map(|k| json!({ "key": k, "level": if *k == weak { 1 } else { 4 } }))
        .collect();
    let body = json!({
        "municipality_id": brakel, "leika_key": keys[0], "model": "ozg_1_1",
        "assessed_on": "2026-11-30", "assessor": "Lena Vogt",
        "evidence_url": "https://www.brakel.de/buergerservice", "criteria": levels,
    });
    let resp = app
        .post(&officer, "/api/v1/usage/maturity/assessments", body.clone())
        .await;
    assert_eq!(resp.status(), 201);
    let a = json_of(resp).await;
    assert_eq!(a["overall_level"], 1);
    assert_eq!(a["weakest_criteria"], json!([weak]));
    assert_eq!(a["criteria"].as_array().unwrap().len(), criteria.len());

    // A missing criterion or a level beyond the model is refused.
    let mut partial = body.clone();
    partial["criteria"] = json!([{ "key": criteria[0], "level": 3 }]);
    assert_problem(
        app.post(&officer, "/api/v1/usage/maturity/assessments", partial)
            .await,
        422,
    )
    .await;
    let mut high = body.clone();
    high["criteria"][0]["level"] = json!(7);
    let p = assert_problem(
        app.post(&officer, "/api/v1/usage/maturity/assessments", high)
            .await,
        422,
    )
    .await;
    assert!(crate::common::fields(&p).contains(&"criteria[0].level".to_string()));
    // Another town's officer may not assess Brakel.
    let warburg = app.login(OFFICER_WARBURG).await;
    assert_problem(
        app.post(&warburg, "/api/v1/usage/maturity/assessments", body.clone())
            .await,
        403,
    )
    .await;

    // The matrix counts the current level; an improved assessment later is the current one.
    let coord = app.login(COORDINATOR).await;
    let d = district_id(&app, &coord).await;
    let mx = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/maturity?model=ozg_1_1"),
        )
        .await,
    )
    .await;
    assert_eq!(mx["services"][0]["at_least_3"], 0);
    assert_eq!(mx["services"][0]["towns_total"], 10);
    let mut better = body.clone();
    better["criteria"] = json!(criteria
        .iter()
        .map(|k| json!({ "key": k, "level": 3 }))
        .collect::<Vec<_>>());
    assert_eq!(
        app.post(&officer, "/api/v1/usage/maturity/assessments", better)
            .await
            .status(),
        201
    );
    let mx = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/maturity?model=ozg_1_1"),
        )
        .await,
    )
    .await;
    assert_eq!(mx["services"][0]["at_least_3"], 1);
    assert_eq!(mx["cells"][0]["level"], 3);
    let hist = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/maturity/assessments?municipality_id={brakel}"),
        )
        .await,
    )
    .await;
    assert_eq!(hist["total"], 2);
    assert_eq!(hist["items"][0]["overall_level"], 3);
    assert_eq!(hist["items"][1]["overall_level"], 1);
    let csv = app
        .get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/maturity.csv?model=ozg_1_1"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("1 von 10 Kommunen"), "{csv}");
    // Another district sees no assessment of an unshared service.
    let other = app.other_district_officer().await;
    let mx = json_of(
        app.get(
            &other,
            &format!("/api/v1/usage/districts/{d}/maturity?model=ozg_1_1"),
        )
        .await,
    )
    .await;
    assert!(mx["cells"].as_array().unwrap().is_empty());
    let hist = json_of(
        app.get(
            &other,
            &format!("/api/v1/usage/maturity/assessments?municipality_id={brakel}"),
        )
        .await,
    )
    .await;
    assert_eq!(hist["total"], 0);
}

/// The seeded models as the API gives them: model ids and criterion keys (which
/// assessments reference) and where each model comes from.
async fn maturity_seed(app: &TestApp, s: &Session) -> (Value, Value) {
    let models = json_of(app.get(s, "/api/v1/usage/maturity/models").await).await;
    let model = |id: &str| {
        models
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .cloned()
            .unwrap()
    };
    (model("ozg_1_1"), model("ozg_2_0"))
}

fn keys(model: &Value) -> Vec<String> {
    model["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_string())
        .collect()
}

/// Reverts the migrations down to and including 000017, leaving the seed of 000016.
fn revert_maturity_criteria_migration(app: &TestApp) {
    let mut conn = app.conn();
    loop {
        let version = match &mut conn {
            DbConn::Pg(c) => c
                .revert_last_migration(POSTGRES_MIGRATIONS)
                .map(|v| v.to_string()),
            DbConn::Sqlite(c) => c
                .revert_last_migration(SQLITE_MIGRATIONS)
                .map(|v| v.to_string()),
        }
        .unwrap();
        if version == "20261202000017" {
            break;
        }
    }
}

async fn the_maturity_models_name_their_sources_and_keep_their_keys(app: TestApp) {
    let officer = app.login(OFFICER_BRAKEL).await;
    let (m11, m20) = maturity_seed(&app, &officer).await;
    // Model 1.1: the six criteria of the Reifegrad-Check whose wording is known, under
    // the keys of 000016; the source names the check and says that four are missing.
    assert_eq!(
        keys(&m11),
        [
            "leistungsbeschreibung",
            "antragsprozess",
            "nutzerkonto",
            "authentifizierung",
            "bezahlung",
            "nachweise"
        ]
    );
    let source = m11["source"].as_str().unwrap();
    assert!(source.contains("OZG_Reifegrad_Check.xlsx"), "{source}");
    assert!(
        source.contains("https://leitfaden.ozg-umsetzung.de"),
        "{source}"
    );
    assert!(source.contains("Kriterien 7 bis 10 fehlen"), "{source}");
    for c in m11["criteria"].as_array().unwrap() {
        assert!(c["description"].as_str().unwrap().len() > 40, "{c}");
    }
    let level3 = m11["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == 3)
        .unwrap();
    assert!(level3["description"]
        .as_str()
        .unwrap()
        .contains("Rückkanal"));
    // Model 2.0: its 13 criteria are not known word for word, so one overall rating.
    assert_eq!(keys(&m20), ["gesamt"]);
    let source = m20["source"].as_str().unwrap();
    assert!(
        source.contains("https://ozg.sachsen-anhalt.de/grundlagen/reifegradmodell"),
        "{source}"
    );

    // An assessment made before keeps its criteria across the migration, both ways.
    let keys11 = catalogue(&app, 1);
    let brakel = app.municipality_id(BRAKEL).await;
    let levels: Vec<Value> = keys(&m11)
        .iter()
        .map(|k| json!({ "key": k, "level": if k == "bezahlung" { 2 } else { 4 } }))
        .collect();
    let r = app
        .post(
            &officer,
            "/api/v1/usage/maturity/assessments",
            json!({
                "municipality_id": brakel, "leika_key": keys11[0], "model": "ozg_1_1",
                "assessed_on": "2026-11-30", "assessor": "Lena Vogt", "criteria": levels,
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let history = format!("/api/v1/usage/maturity/assessments?municipality_id={brakel}");
    let before = json_of(app.get(&officer, &history).await).await;
    assert_eq!(before["items"][0]["overall_level"], 2);

    revert_maturity_criteria_migration(&app);
    let (old11, old20) = maturity_seed(&app, &officer).await;
    assert_eq!(keys(&old11), keys(&m11));
    assert_eq!(keys(&old20), ["gesamt"]);
    assert!(old11["source"]
        .as_str()
        .unwrap()
        .contains("deren Wortlaut geprüft wurde"));
    // Names and keys are the same in both seeds, so the history reads the same.
    assert_eq!(
        json_of(app.get(&officer, &history).await).await["items"],
        before["items"]
    );

    match &mut app.conn() {
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    }
    .unwrap();
    let (again11, _) = maturity_seed(&app, &officer).await;
    assert_eq!(again11["source"], m11["source"]);
    assert_eq!(again11["criteria"], m11["criteria"]);
    assert_eq!(
        json_of(app.get(&officer, &history).await).await["items"],
        before["items"]
    );
}

async fn the_demo_year_is_labelled_and_seeded_once(app: TestApp) {
    let mut conn = app.conn();
    digitalnetzwerk::seed::seed_demo(&mut conn, 256).unwrap();
    let figures = app.count("usage_figures");
    // Ten towns × eight services × twelve months × three channels.
    assert_eq!(figures, 10 * 8 * 12 * 3);
    digitalnetzwerk::usage::seed::seed_demo_usage(&mut conn).unwrap();
    assert_eq!(
        app.count("usage_figures"),
        figures,
        "seeding twice adds nothing"
    );
    let coord = app.login(COORDINATOR).await;
    let imports = json_of(app.get(&coord, "/api/v1/usage/imports?limit=100").await).await;
    assert_eq!(imports["total"], 10);
    for i in imports["items"].as_array().unwrap() {
        assert_eq!(i["is_demo"], true);
        assert!(i["file_name"].as_str().unwrap().starts_with("Demodaten"));
    }
    let d = district_id(&app, &coord).await;
    let h = json_of(
        app.get(&coord, &format!("/api/v1/usage/districts/{d}/heatmap"))
            .await,
    )
    .await;
    assert_eq!(h["services"].as_array().unwrap().len(), 8);
    assert_eq!(h["cells"].as_array().unwrap().len(), 80);
}

async fn a_live_efa_solution_without_online_cases_is_flagged_and_the_grid_saves_a_month(
    app: TestApp,
) {
    use digitalnetzwerk::db::schema::{adoptions, efa_solution_ozg};
    catalogue(&app, 1);
    let mut conn = app.conn();
    digitalnetzwerk::efa::seed::import_reference_solutions(&mut conn).unwrap();
    // eWA covers OZG 10124, to which LeiKa 99115005104000 "Wohnsitz Anmeldung" belongs.
    let solution: String = efa_solution_ozg::table
        .filter(efa_solution_ozg::ozg_id.eq(10124))
        .select(efa_solution_ozg::solution_id)
        .first(&mut conn)
        .unwrap();
    let brakel = app.municipality_id(BRAKEL).await;
    let coord = app.login(COORDINATOR).await;
    let d = district_id(&app, &coord).await;
    let t = digitalnetzwerk::db::now();
    diesel::insert_into(adoptions::table)
        .values((
            adoptions::id.eq(digitalnetzwerk::db::new_id()),
            adoptions::solution_id.eq(&solution),
            adoptions::municipality_id.eq(&brakel),
            adoptions::district_id.eq(&d),
            adoptions::status.eq("live"),
            adoptions::notes.eq(""),
            adoptions::created_at.eq(t),
            adoptions::updated_at.eq(t),
            adoptions::version.eq(1),
        ))
        .execute(&mut conn)
        .unwrap();
    let officer = app.login(OFFICER_BRAKEL).await;
    // Paper and counter only, typed into the grid month by month.
    for (month, paper, counter) in [("2025-09", 30, 12), ("2025-10", 28, 10), ("2025-11", 31, 9)] {
        let resp = app
            .post(
                &officer,
                "/api/v1/usage/manual",
                json!({ "municipality_id": brakel, "month": month, "entries": [
                    { "leika_key": "99115005104000", "channel": "paper", "count": paper, "median_days": 3.5 },
                    { "leika_key": "99115005104000", "channel": "counter", "count": counter },
                ]}),
            )
            .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(json_of(resp).await["saved"], 2);
    }
    // Typing a month again replaces it; online is not typed by hand.
    let out = json_of(
        app.post(
            &officer,
            "/api/v1/usage/manual",
            json!({ "municipality_id": brakel, "month": "2025-11", "entries": [
                { "leika_key": "99115005104000", "channel": "paper", "count": 33 },
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(out["replaced"], 1);
    let p = assert_problem(
        app.post(
            &officer,
            "/api/v1/usage/manual",
            json!({ "municipality_id": brakel, "month": "2025-11", "entries": [
                { "leika_key": "99115005104000", "channel": "online", "count": 3 },
                { "leika_key": "99115005104000", "channel": "paper", "count": -3 },
            ]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        crate::common::fields(&p),
        vec![
            "entries[0].channel".to_string(),
            "entries[1].count".to_string()
        ]
    );
    let grid = json_of(
        app.get(
            &officer,
            &format!("/api/v1/usage/manual?municipality_id={brakel}&month=2025-11"),
        )
        .await,
    )
    .await;
    assert_eq!(grid["rows"][0]["leika_key"], "99115005104000");
    assert_eq!(grid["rows"][0]["service_name"], "Wohnsitz Anmeldung");
    assert_eq!(grid["rows"][0]["paper"], 33);
    assert_eq!(grid["rows"][0]["counter"], 9);

    let a = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/anomalies?to=2025-11"),
        )
        .await,
    )
    .await;
    let live: Vec<&Value> = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "live_without_online")
        .collect();
    assert_eq!(live.len(), 1, "{a}");
    assert_eq!(live[0]["municipality_name"], "Brakel");
    assert_eq!(live[0]["efa_solution_id"], solution.as_str());
    let csv = app
        .get(
            &coord,
            &format!("/api/v1/usage/districts/{d}/anomalies.csv?to=2025-11"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("EfA-Lösung in Betrieb, aber keine Online-Fälle"),
        "{csv}"
    );
    // The solution page's usage per adopting town.
    let e = json_of(
        app.get(
            &coord,
            &format!("/api/v1/usage/efa/{solution}?from=2025-09&to=2025-11"),
        )
        .await,
    )
    .await;
    assert_eq!(e["items"][0]["municipality_name"], "Brakel");
    assert_eq!(e["items"][0]["adoption_status"], "live");
    assert_eq!(e["items"][0]["online"], 0);
    assert_eq!(e["items"][0]["total"], 30 + 12 + 28 + 10 + 33 + 9);
    assert_eq!(e["items"][0]["online_share"], 0.0);
    // Another district sees Brakel's adoption but not its unshared figures.
    let other = app.other_district_officer().await;
    let e = json_of(
        app.get(
            &other,
            &format!("/api/v1/usage/efa/{solution}?from=2025-09&to=2025-11"),
        )
        .await,
    )
    .await;
    assert_eq!(e["items"][0]["total"], Value::Null);
    assert_eq!(e["items"][0]["online_share"], Value::Null);
}

/// Something for `email`'s next digest, so that there is a digest at all.
fn digest_item(app: &TestApp, email: &str) {
    use digitalnetzwerk::db::schema::{events, notifications, users};
    let mut conn = app.conn();
    let uid: String = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut conn)
        .unwrap();
    let t = digitalnetzwerk::db::now() - chrono::Duration::hours(1);
    let event_id = digitalnetzwerk::db::new_id();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(&event_id),
            events::verb.eq("adoption.created"),
            events::object_type.eq("adoption"),
            events::object_id.eq("fixture"),
            events::payload.eq("{}"),
            events::created_at.eq(t),
            events::processed_at.eq(Some(t)),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(digitalnetzwerk::db::new_id()),
            notifications::user_id.eq(&uid),
            notifications::event_id.eq(&event_id),
            notifications::kind.eq("efa_adoptions"),
            notifications::mode.eq("digest"),
            notifications::title.eq("EfA-Nachnutzung: eWA"),
            notifications::body.eq("interested"),
            notifications::link.eq("/efa/matrix"),
            notifications::created_at.eq(t),
        ))
        .execute(&mut conn)
        .unwrap();
}

async fn a_coordinators_digest_has_last_months_usage(app: TestApp) {
    let keys = catalogue(&app, 1);
    let brakel = app.municipality_id(BRAKEL).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    let csv = format!(
        "Schlüssel;Monat;Online;Papier\n{k};09/2025;10;30\n{k};10/2025;17;23\n",
        k = keys[0]
    );
    assert_eq!(
        import_csv(&app, &officer, &brakel, &csv).await.status(),
        201
    );
    for email in [COORDINATOR, OFFICER_WARBURG] {
        digest_item(&app, email);
    }
    let coord = app.login(COORDINATOR).await;
    let d = json_of(app.get(&coord, "/api/v1/me/digest/preview").await).await;
    let text = d["text"].as_str().unwrap();
    assert!(text.contains("== Nutzung im letzten Monat =="), "{text}");
    assert!(
        text.contains(
            "Oktober 2025: 40 Fälle, davon 17 online (42,5 %); 1 Kommunen haben gemeldet."
        ),
        "{text}"
    );
    assert!(d["html"]
        .as_str()
        .unwrap()
        .contains("Nutzung im letzten Monat"));
    // In English: English month names and an English number.
    sql(
        &app,
        &format!("UPDATE users SET locale = 'en' WHERE email = '{COORDINATOR}'"),
    );
    let d = json_of(app.get(&coord, "/api/v1/me/digest/preview").await).await;
    let text = d["text"].as_str().unwrap();
    assert!(text.contains("== Usage last month =="), "{text}");
    assert!(
        text.contains("October 2025: 40 cases, 17 of them online (42.5%); 1 towns reported."),
        "{text}"
    );
    assert!(!text.contains("Oktober"), "{text}");
    // Officers get no usage block.
    let warburg = app.login(OFFICER_WARBURG).await;
    let d = json_of(app.get(&warburg, "/api/v1/me/digest/preview").await).await;
    assert!(!d["text"].as_str().unwrap().contains("Nutzung"));
}

/// A write behind the server's back, as another instance or an operator would make it.
fn sql(app: &TestApp, statement: &str) {
    let mut conn = app.conn();
    diesel::sql_query(statement).execute(&mut conn).unwrap();
}

/// The heat-map answers are kept per server instance (`HEAT_MAPS` in src/usage/views.rs,
/// the sums in src/usage/cells.rs); every change to what they show, made by SQL directly,
/// shows on the next request, and each viewer keeps seeing only what they may read.
async fn the_heat_map_shows_every_change_at_once(app: TestApp) {
    let keys = catalogue(&app, 2);
    let (k0, k1) = (keys[0].as_str(), keys[1].as_str());
    let brakel = app.municipality_id(BRAKEL).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    let csv = format!("Schlüssel;Monat;Online;Papier\n{k0};03/2025;60;40\n");
    assert_eq!(
        import_csv(&app, &officer, &brakel, &csv).await.status(),
        201
    );
    let coord = app.login(COORDINATOR).await;
    let other = app.other_district_officer().await;
    let d = district_id(&app, &coord).await;
    let map = |s: &Session, q: &str| {
        let (app, s, url) = (
            &app,
            s.clone(),
            format!("/api/v1/usage/districts/{d}/heatmap?{q}"),
        );
        async move {
            let resp = app.get(&s, &url).await;
            assert_eq!(
                resp.headers().get("content-type").unwrap(),
                "application/json"
            );
            json_of(resp).await
        }
    };
    let q = "from=2025-03&to=2025-03";
    let total = |h: &Value, k: &str| {
        h["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["leika_key"] == k && c["municipality_id"] == brakel.as_str())
            .map(|c| c["total"].as_i64().unwrap())
    };
    // Computed and kept for both reader classes.
    assert_eq!(total(&map(&coord, q).await, k0), Some(100));
    assert_eq!(total(&map(&coord, q).await, k0), Some(100));
    assert_eq!(total(&map(&other, q).await, k0), None, "not shared");
    let potential = || {
        let (app, coord, d) = (&app, &coord, &d);
        async move {
            json_of(
                app.get(coord, &format!("/api/v1/usage/districts/{d}/potential?{q}"))
                    .await,
            )
            .await["items"][0]["paper"]
                .as_i64()
        }
    };
    assert_eq!(potential().await, Some(40));

    // A count changed by hand.
    sql(
        &app,
        &format!("UPDATE usage_figures SET count = 70 WHERE municipality_id = '{brakel}' AND leika_key = '{k0}' AND channel = 'online'"),
    );
    assert_eq!(total(&map(&coord, q).await, k0), Some(110));
    sql(
        &app,
        &format!("UPDATE usage_figures SET count = 45 WHERE municipality_id = '{brakel}' AND leika_key = '{k0}' AND channel = 'paper'"),
    );
    assert_eq!(
        potential().await,
        Some(45),
        "the kept sums are replaced too"
    );
    // A figure of another service inserted by hand: a second service on the page.
    sql(
        &app,
        &format!(
            "INSERT INTO usage_figures (municipality_id, leika_key, month, channel, source, district_id, ozg_id, efa_solution_id, count, median_days, backlog, import_id, updated_at) \
             SELECT municipality_id, '{k1}', month, channel, source, district_id, NULL, NULL, 9, NULL, NULL, import_id, updated_at FROM usage_figures \
             WHERE municipality_id = '{brakel}' AND leika_key = '{k0}' AND channel = 'online'"
        ),
    );
    let h = map(&coord, q).await;
    assert_eq!(total(&h, k1), Some(9));
    assert_eq!(h["total"], 2);
    // Shared with the network by hand: the other district's officer sees it; unshared: gone.
    sql(
        &app,
        &format!("INSERT INTO usage_sharing (municipality_id, leika_key, visibility, updated_at) VALUES ('{brakel}', '{k0}', 'network', '2025-04-01 00:00:00')"),
    );
    assert_eq!(total(&map(&other, q).await, k0), Some(115));
    assert_eq!(
        total(&map(&other, q).await, k1),
        None,
        "only the shared service"
    );
    sql(
        &app,
        &format!("DELETE FROM usage_sharing WHERE municipality_id = '{brakel}'"),
    );
    assert_eq!(total(&map(&other, q).await, k0), None);
    // The town's name, the service's name.
    sql(
        &app,
        &format!("UPDATE municipalities SET name = 'Brakel (Weser)' WHERE id = '{brakel}'"),
    );
    let h = map(&coord, q).await;
    assert!(h["towns"].to_string().contains("Brakel (Weser)"), "{h}");
    sql(
        &app,
        &format!("UPDATE leika_services SET name = 'Umbenannte Leistung' WHERE leika_key = '{k0}'"),
    );
    let h = map(&coord, q).await;
    assert!(
        h["services"].to_string().contains("Umbenannte Leistung"),
        "{h}"
    );
    // The default period follows the latest month with figures.
    assert_eq!(map(&coord, "").await["to"], "2025-03");
    sql(
        &app,
        &format!("UPDATE usage_figures SET month = month + 1 WHERE leika_key = '{k1}'"),
    );
    assert_eq!(map(&coord, "").await["to"], "2025-04");
}

/// "One figure per (town, service, month, channel, source)": a CSV import and the manual
/// grid may both report a month's paper cases. They are the same cases, so they are not
/// added up: the figure written last counts, in every view (and the other stays stored).
async fn the_same_cases_from_two_sources_count_once(app: TestApp) {
    let keys = catalogue(&app, 1);
    let k = keys[0].as_str();
    let brakel = app.municipality_id(BRAKEL).await;
    let officer = app.login(OFFICER_BRAKEL).await;
    let coord = app.login(COORDINATOR).await;
    let d = district_id(&app, &coord).await;
    let csv = format!("Schlüssel;Monat;Online;Papier\n{k};03/2025;10;30\n");
    assert_eq!(
        import_csv(&app, &officer, &brakel, &csv).await.status(),
        201
    );
    let q = "from=2025-03&to=2025-03";
    let views = || {
        let (app, coord, officer, d, brakel) = (&app, &coord, &officer, &d, &brakel);
        async move {
            let h = json_of(
                app.get(coord, &format!("/api/v1/usage/districts/{d}/heatmap?{q}"))
                    .await,
            )
            .await;
            let cell = h["cells"][0]["total"].as_i64();
            let t = json_of(
                app.get(coord, &format!("/api/v1/usage/districts/{d}/totals?{q}"))
                    .await,
            )
            .await;
            let s = json_of(
                app.get(officer, &format!("/api/v1/usage/towns/{brakel}/series?{q}"))
                    .await,
            )
            .await;
            let point = &s["items"][0]["points"][0];
            (
                cell,
                t["sum"]["paper"].as_i64(),
                point["paper"].as_i64(),
                point["total"].as_i64(),
            )
        }
    };
    assert_eq!(views().await, (Some(40), Some(30), Some(30), Some(40)));
    // The officer types the month's paper cases into the grid: they replace the CSV's.
    let resp = app
        .post(
            &officer,
            "/api/v1/usage/manual",
            json!({ "municipality_id": brakel, "month": "2025-03", "entries": [
                { "leika_key": k, "channel": "paper", "count": 12 },
            ]}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(views().await, (Some(22), Some(12), Some(12), Some(22)));
    // Both figures are kept; a new import of the file counts again.
    use digitalnetzwerk::db::schema::usage_figures;
    let stored: i64 = usage_figures::table
        .filter(usage_figures::municipality_id.eq(&brakel))
        .filter(usage_figures::channel.eq("paper"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(stored, 2);
    assert_eq!(
        import_csv(&app, &officer, &brakel, &csv).await.status(),
        201
    );
    assert_eq!(views().await, (Some(40), Some(30), Some(30), Some(40)));
}
