//! EfA reuse and strategies: matrix, adoption life cycle, coverage, strategy progress, permissions.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, Session, TestApp};
use digitalnetzwerk::ozg::import::{self, bundled, ImportKind};

both_backends!(
    matrix_shows_demo_adoptions_and_new_interest,
    adoption_life_cycle_is_enforced,
    coverage_equals_a_direct_count_and_ignores_hidden_projects,
    strategy_progress_is_computed_and_permissions_hold,
);

fn catalogue(app: &TestApp) {
    let mut conn = app.conn();
    import::run(&mut conn, ImportKind::Themenfelder, bundled::THEMENFELDER).unwrap();
    import::run(&mut conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN).unwrap();
    import::run(&mut conn, ImportKind::OzgServices, bundled::OZG_SERVICES).unwrap();
    digitalnetzwerk::efa::seed::import_reference_solutions(&mut conn).unwrap();
}

async fn solution_id(app: &TestApp, s: &Session, prefix: &str) -> String {
    let list: Value = app
        .get(s, "/api/v1/efa/solutions?limit=100")
        .await
        .json()
        .await
        .unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str().unwrap().starts_with(prefix))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn move_adoption(
    app: &TestApp,
    s: &Session,
    id: &str,
    version: i64,
    body: Value,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/adoptions/{id}/status")))
        .bearer_auth(&s.token)
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn matrix_shows_demo_adoptions_and_new_interest(app: TestApp) {
    let mut conn = app.conn();
    digitalnetzwerk::seed::seed_demo(&mut conn, 256).unwrap();
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let m: Value = app
        .get(&coordinator, "/api/v1/efa/matrix")
        .await
        .json()
        .await
        .unwrap();
    let town = |name: &str| {
        m["towns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let ewa = m["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().contains("eWA"))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cell = |m: &Value, t: &str| {
        m["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["municipality_id"] == t && c["solution_id"] == ewa.as_str())
            .map(|c| c["status"].as_str().unwrap().to_string())
    };
    assert_eq!(m["towns"].as_array().unwrap().len(), 10);
    assert_eq!(cell(&m, &town("Brakel")).as_deref(), Some("live"));
    assert_eq!(cell(&m, &town("Warburg")).as_deref(), Some("evaluating"));
    assert_eq!(cell(&m, &town("Nieheim")), None);
    let ewa_col = m["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == ewa.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (ewa_col["active"].as_i64(), ewa_col["live"].as_i64()),
        (Some(3), Some(1))
    );

    let nieheim = app.login("digital@nieheim.example").await;
    let resp = app
        .post(
            &nieheim,
            &format!("/api/v1/efa/solutions/{ewa}/adoptions"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let again = app
        .post(
            &nieheim,
            &format!("/api/v1/efa/solutions/{ewa}/adoptions"),
            json!({}),
        )
        .await;
    assert_problem(again, 409).await;
    let m: Value = app
        .get(&coordinator, "/api/v1/efa/matrix")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cell(&m, &town("Nieheim")).as_deref(), Some("interested"));
    let bytes = app
        .get(&coordinator, "/api/v1/efa/matrix.csv")
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 BOM for Excel");
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("Nieheim;") && l.contains("Interesse")),
        "{csv}"
    );
    // The solution page lists who adopted it at which stage.
    let detail: Value = app
        .get(&nieheim, &format!("/api/v1/efa/solutions/{ewa}"))
        .await
        .json()
        .await
        .unwrap();
    let stages: Vec<(String, String)> = detail["adoptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["municipality_name"].as_str().unwrap().to_string(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        stages.contains(&("Brakel".into(), "live".into()))
            && stages.contains(&("Nieheim".into(), "interested".into()))
    );
}

async fn adoption_life_cycle_is_enforced(app: TestApp) {
    catalogue(&app);
    let brakel = app.login("digital@brakel.example").await;
    let ewa = solution_id(&app, &brakel, "Elektronische Wohnsitzanmeldung").await;
    let a: Value = app
        .post(
            &brakel,
            &format!("/api/v1/efa/solutions/{ewa}/adoptions"),
            json!({"contact_name": "Lena Vogt"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(a["status"], "interested");
    // No jump from interested to live.
    let r = move_adoption(&app, &brakel, &id, 1, json!({"status": "live"})).await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["status"]);
    // Declining needs a reason.
    let r = move_adoption(&app, &brakel, &id, 1, json!({"status": "declined"})).await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["reason"]);
    // A report before rolling out is refused.
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/efa/solutions/{ewa}/reports"),
            json!({"body": "Läuft schon prima bei uns.", "rating": 5}),
        )
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["municipality_id"]
    );
    // Another town's officer may not move Brakel's adoption.
    let warburg = app.login("digital@warburg.example").await;
    assert_problem(
        move_adoption(&app, &warburg, &id, 1, json!({"status": "evaluating"})).await,
        403,
    )
    .await;
    assert_problem(
        app.patch(
            &warburg,
            &format!("/api/v1/adoptions/{id}"),
            Some(1),
            json!({"notes": "x"}),
        )
        .await,
        403,
    )
    .await;
    let brakel_town = brakel.me["municipality"]["id"].as_str().unwrap();
    let r = app
        .post(
            &warburg,
            &format!("/api/v1/efa/solutions/{ewa}/adoptions"),
            json!({"municipality_id": brakel_town}),
        )
        .await;
    assert_problem(r, 403).await;
    for (v, s) in [(1, "evaluating"), (2, "contracting"), (3, "rolling_out")] {
        assert_eq!(
            move_adoption(&app, &brakel, &id, v, json!({"status": s}))
                .await
                .status(),
            200,
            "{s}"
        );
    }
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/efa/solutions/{ewa}/reports"),
            json!({"body": "Die Einführung lief mit dem Fachverfahren reibungslos.", "rating": 6}),
        )
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["rating"]);
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/efa/solutions/{ewa}/reports"),
            json!({"body": "Die Einführung lief mit dem Fachverfahren reibungslos.", "rating": 4}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        move_adoption(&app, &brakel, &id, 4, json!({"status": "live"}))
            .await
            .status(),
        200
    );
    let r = move_adoption(
        &app,
        &brakel,
        &id,
        5,
        json!({"status": "declined", "reason": "zu teuer"}),
    )
    .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["status"]);
    let history: Value = app
        .get(&brakel, &format!("/api/v1/adoptions/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    let steps: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        vec![
            "interested",
            "evaluating",
            "contracting",
            "rolling_out",
            "live"
        ]
    );
    // Warburg (same district) is told which town moved which solution, with a link to the
    // solution's page, not to the matrix.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let live = loop {
        let feed: Value = app
            .get(&warburg, "/api/v1/notifications?limit=100")
            .await
            .json()
            .await
            .unwrap();
        let found = feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "efa_adoptions" && n["body"] == "In Betrieb");
        if let Some(n) = found {
            break n.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no notification: {feed}"
        );
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(
        live["title"], "Brakel: EfA-Nachnutzung „Elektronische Wohnsitzanmeldung (eWA)“",
        "{live}"
    );
    assert_eq!(live["link"], format!("/efa/{ewa}"));
    let detail: Value = app
        .get(&warburg, &format!("/api/v1/efa/solutions/{ewa}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["reports"][0]["municipality_name"], "Brakel");
    assert_eq!(detail["reports"][0]["rating"], 4);
    // A declined adoption keeps its reason.
    let other = solution_id(&app, &brakel, "Digitale Baugenehmigung").await;
    let a: Value = app
        .post(
            &brakel,
            &format!("/api/v1/efa/solutions/{other}/adoptions"),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = move_adoption(
        &app,
        &brakel,
        a["id"].as_str().unwrap(),
        1,
        json!({"status": "declined", "reason": "Kreis übernimmt das Verfahren"}),
    )
    .await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["decline_reason"], "Kreis übernimmt das Verfahren");
    // Members cannot record adoptions; officers may propose solutions, which stay unpublished.
    let member = app.login("team@brakel.example").await;
    assert_problem(
        app.post(
            &member,
            &format!("/api/v1/efa/solutions/{other}/adoptions"),
            json!({}),
        )
        .await,
        403,
    )
    .await;
    let p: Value = app
        .post(
            &brakel,
            "/api/v1/efa/solutions",
            json!({"name": "Hundesteuer online", "status": "pilot"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["published"], false);
    let warburg_view: Value = app
        .get(&warburg, "/api/v1/efa/solutions?q=hundesteuer")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(warburg_view["total"], 0);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let r = app
        .post(
            &coordinator,
            &format!(
                "/api/v1/efa/solutions/{}/publish",
                p["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let warburg_view: Value = app
        .get(&warburg, "/api/v1/efa/solutions?q=hundesteuer")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(warburg_view["total"], 1);
}

async fn coverage_equals_a_direct_count_and_ignores_hidden_projects(app: TestApp) {
    catalogue(&app);
    let brakel = app.login("digital@brakel.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    // Brakel: eWA live (covers 10124), a live project for 10519 and a planned one for 10092 (does not count).
    let ewa = solution_id(&app, &brakel, "Elektronische Wohnsitzanmeldung").await;
    let a: Value = app
        .post(
            &brakel,
            &format!("/api/v1/efa/solutions/{ewa}/adoptions"),
            json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let aid = a["id"].as_str().unwrap();
    for (v, s) in [
        (1, "evaluating"),
        (2, "contracting"),
        (3, "rolling_out"),
        (4, "live"),
    ] {
        assert_eq!(
            move_adoption(&app, &brakel, aid, v, json!({"status": s}))
                .await
                .status(),
            200
        );
    }
    for (title, status, ozg) in [
        ("Bauantrag online", "live", 10519),
        ("Wohngeld digital", "planned", 10092),
    ] {
        let r = app
            .post(
                &brakel,
                "/api/v1/projects",
                json!({"title": title, "summary": "x", "status": status, "ozg_ids": [ozg]}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    // Nieheim: a private live project for 10056 — counts only for Nieheim's own users.
    let nieheim = app.login("digital@nieheim.example").await;
    let r = app.post(&nieheim, "/api/v1/projects", json!({"title": "BAföG intern", "summary": "x", "status": "live", "ozg_ids": [10056], "visibility": "private"})).await;
    assert_eq!(r.status(), 201);

    let brakel_town = brakel.me["municipality"]["id"].as_str().unwrap();
    let nieheim_town = nieheim.me["municipality"]["id"].as_str().unwrap();
    let cov: Value = app
        .get(
            &coordinator,
            &format!("/api/v1/efa/coverage?municipality_id={brakel_town}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cov["covered_ozg_ids"], json!([10124, 10519]));
    assert_eq!(cov["covered"], 2);
    assert_eq!(cov["total"], app.count("ozg_services"));
    // Per Themenfeld: the sums equal the totals, and a direct count per Themenfeld.
    let tfs = cov["themenfelder"].as_array().unwrap();
    assert_eq!(
        tfs.iter()
            .map(|t| t["total"].as_i64().unwrap())
            .sum::<i64>(),
        557
    );
    assert_eq!(
        tfs.iter()
            .map(|t| t["covered"].as_i64().unwrap())
            .sum::<i64>(),
        2
    );
    {
        use diesel::prelude::*;
        use digitalnetzwerk::db::schema::{ozg_services, themenfelder};
        let mut conn = app.conn();
        let tf_of_10519: String = ozg_services::table
            .inner_join(themenfelder::table)
            .filter(ozg_services::ozg_id.eq(10519))
            .select(themenfelder::name)
            .first(&mut conn)
            .unwrap();
        let total_in_tf: i64 = ozg_services::table
            .inner_join(themenfelder::table)
            .filter(themenfelder::name.eq(&tf_of_10519))
            .count()
            .get_result(&mut conn)
            .unwrap();
        let row = tfs
            .iter()
            .find(|t| t["name"] == tf_of_10519.as_str())
            .unwrap();
        assert_eq!(row["total"], total_in_tf);
        assert!(row["covered"].as_i64().unwrap() >= 1);
    }
    // District view of the coordinator: Nieheim's private project is not counted.
    let district: Value = app
        .get(&coordinator, "/api/v1/efa/coverage")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(district["covered_ozg_ids"], json!([10124, 10519]));
    // Nieheim sees its own private project in its own coverage; Warburg does not.
    let own: Value = app
        .get(
            &nieheim,
            &format!("/api/v1/efa/coverage?municipality_id={nieheim_town}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["covered_ozg_ids"], json!([10056]));
    let warburg = app.login("digital@warburg.example").await;
    let theirs: Value = app
        .get(
            &warburg,
            &format!("/api/v1/efa/coverage?municipality_id={nieheim_town}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["covered_ozg_ids"], json!([]));
    // Another district covering a service Höxter lacks shows up as a gap.
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let pb: Value = app
        .post(
            &admin,
            "/api/v1/districts",
            json!({"key": "05774", "name": "Kreis Paderborn"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let delbrueck: Value = app
        .post(
            &admin,
            "/api/v1/municipalities",
            json!({"district_id": pb["id"], "ags": "05774012", "name": "Delbrück", "kind": "town"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = app.post(&admin, "/api/v1/projects", json!({"title": "Gewerbe online", "summary": "x", "status": "live", "ozg_ids": [10294], "visibility": "network", "municipality_id": delbrueck["id"]})).await;
    assert_eq!(r.status(), 201);
    let district: Value = app
        .get(&coordinator, "/api/v1/efa/coverage")
        .await
        .json()
        .await
        .unwrap();
    let gaps: Vec<i64> = district["covered_elsewhere"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["ozg_id"].as_i64().unwrap())
        .collect();
    assert_eq!(gaps, vec![10294]);
}

async fn strategy_progress_is_computed_and_permissions_hold(app: TestApp) {
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let district = coordinator.me["district"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let brakel = app.login("digital@brakel.example").await;
    let project: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Glasfaser Schulen", "summary": "x", "status": "draft"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pid = project["id"].as_str().unwrap().to_string();
    let secret: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Geheim", "summary": "x", "visibility": "private"}),
        )
        .await
        .json()
        .await
        .unwrap();

    let empty: Value = app
        .get(
            &coordinator,
            &format!("/api/v1/strategies/district/{district}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(empty["goal_fields"].as_array().unwrap().is_empty());
    assert_eq!(empty["can_edit"], true);
    let s: Value = app
        .post(
            &coordinator,
            &format!("/api/v1/strategies/district/{district}/goal-fields"),
            json!({"title": "Digitale Infrastruktur", "description": "Netze für alle"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let gid = s["goal_fields"][0]["id"].as_str().unwrap().to_string();
    // Linking a private project of a town is refused for the coordinator.
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/goal-fields/{gid}/measures"),
            json!({"title": "Glasfaser", "project_ids": [secret["id"]]}),
        )
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["project_ids"]);
    app.post(&coordinator, &format!("/api/v1/goal-fields/{gid}/measures"), json!({"title": "Glasfaser an alle Schulen", "project_ids": [pid], "target_date": "2027-06-30"})).await;
    let s: Value = app
        .post(
            &coordinator,
            &format!("/api/v1/goal-fields/{gid}/measures"),
            json!({"title": "WLAN in Rathäusern"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let gf = &s["goal_fields"][0];
    assert_eq!(
        gf["progress"],
        json!({"done": 0, "total": 2, "percent": 0.0})
    );
    let m1 = gf["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"] == "Glasfaser an alle Schulen")
        .unwrap()
        .clone();
    let m2 = gf["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"] == "WLAN in Rathäusern")
        .unwrap()
        .clone();
    assert_eq!(m1["projects"][0]["status"], "draft");
    let set_status = |id: String, v: i64, st: &'static str| {
        let c = app.client.clone();
        let url = app.url(&format!("/api/v1/measures/{id}/status"));
        let token = coordinator.token.clone();
        async move {
            c.post(url)
                .bearer_auth(token)
                .header("If-Match", format!("\"{v}\""))
                .json(&json!({"status": st}))
                .send()
                .await
                .unwrap()
        }
    };
    let m1id = m1["id"].as_str().unwrap().to_string();
    let m2id = m2["id"].as_str().unwrap().to_string();
    assert_eq!(
        fields(&assert_problem(set_status(m1id.clone(), 1, "done").await, 422).await),
        vec!["status"]
    );
    assert_eq!(
        set_status(m1id.clone(), 1, "in_progress").await.status(),
        200
    );
    let s: Value = set_status(m1id.clone(), 2, "done")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["goal_fields"][0]["progress"]["percent"], 50.0);
    let s: Value = set_status(m2id.clone(), 1, "dropped")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        s["goal_fields"][0]["progress"],
        json!({"done": 1, "total": 1, "percent": 100.0})
    );
    assert_eq!(s["progress"]["percent"], 100.0);
    // A linked project's status change shows at once.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/projects/{pid}/status")))
        .bearer_auth(&brakel.token)
        .header("If-Match", "\"1\"")
        .json(&json!({"status": "planned"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: Value = app
        .get(&brakel, &format!("/api/v1/strategies/district/{district}"))
        .await
        .json()
        .await
        .unwrap();
    let m1 = s["goal_fields"][0]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == m1id.as_str())
        .unwrap()
        .clone();
    assert_eq!(m1["projects"][0]["status"], "planned");
    assert_eq!(s["can_edit"], false);
    // Officers cannot edit the district strategy, nor another town's.
    assert_problem(
        app.post(
            &brakel,
            &format!("/api/v1/strategies/district/{district}/goal-fields"),
            json!({"title": "Neu"}),
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.patch(
            &brakel,
            &format!("/api/v1/goal-fields/{gid}"),
            Some(1),
            json!({"title": "Neu"}),
        )
        .await,
        403,
    )
    .await;
    let brakel_town = brakel.me["municipality"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let own: Value = app
        .post(
            &brakel,
            &format!("/api/v1/strategies/municipality/{brakel_town}/goal-fields"),
            json!({"title": "Bürgerservice online"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["can_edit"], true);
    let own_gid = own["goal_fields"][0]["id"].as_str().unwrap();
    let warburg = app.login("digital@warburg.example").await;
    assert_problem(
        app.post(
            &warburg,
            &format!("/api/v1/strategies/municipality/{brakel_town}/goal-fields"),
            json!({"title": "Fremd"}),
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.post(
            &warburg,
            &format!("/api/v1/goal-fields/{own_gid}/measures"),
            json!({"title": "Fremd"}),
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.delete(&warburg, &format!("/api/v1/measures/{m1id}"))
            .await,
        403,
    )
    .await;
    let member = app.login("team@brakel.example").await;
    assert_problem(
        app.post(
            &member,
            &format!("/api/v1/goal-fields/{own_gid}/measures"),
            json!({"title": "x"}),
        )
        .await,
        403,
    )
    .await;
    // Stale edits of a goal field get 412.
    assert_eq!(
        app.patch(
            &coordinator,
            &format!("/api/v1/goal-fields/{gid}"),
            Some(1),
            json!({"title": "Infrastruktur"})
        )
        .await
        .status(),
        200
    );
    assert_problem(
        app.patch(
            &coordinator,
            &format!("/api/v1/goal-fields/{gid}"),
            Some(1),
            json!({"title": "Alt"}),
        )
        .await,
        412,
    )
    .await;
    // Every strategy change is audited.
    let audit: Value = app
        .get(&coordinator, "/api/v1/audit?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let strategy_actions = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("strategy."))
        .count();
    assert_eq!(strategy_actions, 8);
}
