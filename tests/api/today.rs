//! "Heute wichtig" (`GET /api/v1/me/today`): the Brakel officer sees the funding deadline
//! of the application in preparation, the checklist item assigned to her and the request
//! the district answered; another town's officer sees none of it; followed projects that
//! became hidden leave nothing behind.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, Session, TestApp};

both_backends!(
    brakel_officer_sees_deadline_checklist_item_and_waiting_request,
    followed_news_leave_out_hidden_projects,
    partner_town_staff_get_checklist_items_on_their_start_page,
);

fn programmes(app: &TestApp) {
    let mut conn = app.conn();
    digitalnetzwerk::funding::seed::import_reference_programmes(&mut conn).unwrap();
}

async fn programme_id(app: &TestApp, s: &Session, slug: &str) -> String {
    let list: Value = app
        .get(s, "/api/v1/funding/programmes?limit=100")
        .await
        .json()
        .await
        .unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == slug)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn today(app: &TestApp, s: &Session, query: &str) -> Value {
    let r = app.get(s, &format!("/api/v1/me/today{query}")).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn titles(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

async fn post_if(
    app: &TestApp,
    s: &Session,
    path: &str,
    version: i64,
    body: Value,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(&s.token)
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A date `days` from today in Berlin (as the server counts).
fn in_days(days: i64) -> String {
    (digitalnetzwerk::db::today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn brakel_officer_sees_deadline_checklist_item_and_waiting_request(app: TestApp) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let lena = app.login("digital@brakel.example").await;
    let tobias = app.login("digital@warburg.example").await;
    let mpsc = programme_id(&app, &coordinator, "mpsc").await;
    // Two calls: one closes in 21 days, one after the 60-day horizon.
    let mut call_ids = vec![];
    for (title, days) in [("Förderaufruf 2027", 21), ("Förderaufruf 2028", 90)] {
        let r = app
            .post(
                &coordinator,
                &format!("/api/v1/funding/programmes/{mpsc}/calls"),
                json!({"title": title, "deadline_date": in_days(days), "deadline_time": "12:00:00"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let p: Value = r.json().await.unwrap();
        call_ids.push(
            p["calls"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["title"] == title)
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // Before anything: all lists are empty for Lena.
    let before = today(&app, &lena, "").await;
    assert_eq!(before["days"], 60);
    for list in ["deadlines", "checklist", "requests", "measures"] {
        assert_eq!(before[list]["total"], 0, "{list} is empty at first");
    }
    assert!(before["district"].is_null());

    // Brakel prepares an application for the first call (status idea: in preparation).
    let brakel_town = app.municipality_id("05762016").await;
    let r = app
        .post(
            &lena,
            "/api/v1/funding/applications",
            json!({
                "programme_id": mpsc,
                "call_id": call_ids[0],
                "title": "Smarte Dorfmitte Brakel",
                "lead_municipality_id": brakel_town,
                "total_costs_cents": 200_000,
                "requested_cents": 100_000,
                "shares": [{"municipality_id": brakel_town, "share_cents": 200_000}],
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    let app_id = a["id"].as_str().unwrap().to_string();
    let item = a["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Ratsbeschluss")
        .unwrap()
        .clone();
    let iid = item["id"].as_str().unwrap();
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/checklist/{iid}"),
            Some(item["version"].as_i64().unwrap_or(1)),
            json!({"assignee_id": lena.me["id"], "due_date": in_days(14)}),
        )
        .await;
    assert_eq!(r.status(), 200);

    // Two requests of Brakel: the district answers one; the other waits for the district.
    let mut requests = vec![];
    for title in ["Hilfe beim Finanzierungsplan", "Frage zur Schnittstelle"] {
        let r = app
            .post(
                &lena,
                "/api/v1/support/requests",
                json!({"category": "funding_application", "title": title, "description": "Bitte um Unterstützung."}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        requests.push(v["id"].as_str().unwrap().to_string());
    }
    let answered = &requests[0];
    let r = post_if(
        &app,
        &coordinator,
        &format!("/api/v1/support/requests/{answered}/assign"),
        1,
        json!({"assignee_id": coordinator.me["id"]}),
    )
    .await;
    assert_eq!(r.status(), 200);
    // An internal note alone does not make the town act.
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/support/requests/{answered}/messages"),
            json!({"body": "Intern: Vorlage suchen.", "internal": true}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let mid = today(&app, &lena, "").await;
    assert_eq!(mid["requests"]["total"], 0, "nothing waits for Brakel yet");
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/support/requests/{answered}/messages"),
            json!({"body": "Bitte schicken Sie mir den Kostenplan.", "internal": false}),
        )
        .await;
    assert_eq!(r.status(), 201);

    // Brakel also declared interest in the programme: its calls count once each.
    let r = app
        .post(
            &lena,
            &format!("/api/v1/funding/programmes/{mpsc}/interest"),
            json!({"note": "Dorfmitte"}),
        )
        .await;
    assert_eq!(r.status(), 204);

    let t = today(&app, &lena, "").await;
    // The deadline in 21 days, linked to the application; the one in 90 days is beyond.
    assert_eq!(t["deadlines"]["total"], 1, "{t}");
    let d = &t["deadlines"]["items"][0];
    assert_eq!(d["kind"], "funding_application");
    assert_eq!(d["id"], app_id.as_str());
    assert_eq!(d["due_date"], in_days(21));
    assert_eq!(d["due_time"], "12:00:00");
    assert_eq!(d["context"], "Smarte Dorfmitte Brakel");
    assert!(d["title"]
        .as_str()
        .unwrap()
        .ends_with("– Förderaufruf 2027"));
    // The checklist item assigned to her.
    assert_eq!(titles(&t["checklist"]), vec!["Ratsbeschluss"]);
    assert_eq!(t["checklist"]["total"], 1);
    assert_eq!(t["checklist"]["items"][0]["id"], app_id.as_str());
    assert_eq!(t["checklist"]["items"][0]["due_date"], in_days(14));
    // The answered request, not the one waiting for the district.
    assert_eq!(titles(&t["requests"]), vec!["Hilfe beim Finanzierungsplan"]);
    assert_eq!(t["requests"]["items"][0]["kind"], "support_request");
    assert_eq!(t["requests"]["items"][0]["id"], answered.as_str());
    // A longer horizon brings the second call, known by the interest: it links the programme.
    let long = today(&app, &lena, "?days=120").await;
    assert_eq!(long["deadlines"]["total"], 2);
    assert_eq!(long["deadlines"]["items"][1]["due_date"], in_days(90));
    assert_eq!(long["deadlines"]["items"][1]["kind"], "funding_programme");
    assert_eq!(long["deadlines"]["items"][1]["id"], mpsc.as_str());

    // Her reply hands the request back to the district.
    let r = app
        .post(
            &lena,
            &format!("/api/v1/support/requests/{answered}/messages"),
            json!({"body": "Anbei der Kostenplan.", "internal": false}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(today(&app, &lena, "").await["requests"]["total"], 0);

    // The coordinator sees the new request and the one assigned to her, and the numbers.
    let c = today(&app, &coordinator, "").await;
    let mut seen = titles(&c["requests"]);
    seen.sort();
    assert_eq!(
        seen,
        vec!["Frage zur Schnittstelle", "Hilfe beim Finanzierungsplan"]
    );
    assert_eq!(c["deadlines"]["items"][0]["id"], app_id.as_str());
    assert_eq!(c["checklist"]["total"], 0, "the item is Lena's");
    assert!(c["district"]["support"]["open"].as_i64().unwrap() >= 2);

    // Warburg's officer sees none of Brakel's things.
    let w = today(&app, &tobias, "?days=120").await;
    for list in ["deadlines", "checklist", "requests"] {
        assert_eq!(w[list]["total"], 0, "{list} of Warburg: {w}");
        assert_eq!(w[list]["items"], json!([]));
    }

    // Done items and out-of-range horizons.
    let r = app
        .patch(
            &lena,
            &format!("/api/v1/funding/checklist/{iid}"),
            Some(item["version"].as_i64().unwrap_or(1) + 1),
            json!({"done": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(today(&app, &lena, "").await["checklist"]["total"], 0);
    let r = app.get(&lena, "/api/v1/me/today?days=0").await;
    let p = assert_problem(r, 422).await;
    assert_eq!(fields(&p), vec!["days"]);
    assert!(p["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Tagen"));
}

async fn followed_news_leave_out_hidden_projects(app: TestApp) {
    let lena = app.login("digital@brakel.example").await;
    let tobias = app.login("digital@warburg.example").await;
    let mut ids = vec![];
    for title in [
        "Offenes Warburger Vorhaben",
        "Bald geheimes Warburger Vorhaben",
    ] {
        let r = app
            .post(
                &tobias,
                "/api/v1/projects",
                json!({"title": title, "summary": "Für den Kreis", "visibility": "district"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let p: Value = r.json().await.unwrap();
        let id = p["id"].as_str().unwrap().to_string();
        let r = app
            .client
            .put(app.url(&format!("/api/v1/projects/{id}/follow")))
            .bearer_auth(&lena.token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let r = app
            .post(
                &tobias,
                &format!("/api/v1/projects/{id}/updates"),
                json!({"title": "Neuer Stand", "body": "Es geht voran."}),
            )
            .await;
        assert_eq!(r.status(), 201);
        ids.push((id, p["version"].as_i64().unwrap()));
    }
    let project_titles = |t: &Value| -> Vec<String> {
        let mut v: Vec<String> = t["followed"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["project_title"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let t = today(&app, &lena, "").await;
    assert_eq!(
        project_titles(&t),
        vec![
            "Bald geheimes Warburger Vorhaben",
            "Offenes Warburger Vorhaben"
        ],
        "positive control: {t}"
    );
    let (secret, _) = &ids[1];
    let current: Value = app
        .get(&tobias, &format!("/api/v1/projects/{secret}"))
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .patch(
            &tobias,
            &format!("/api/v1/projects/{secret}"),
            current["version"].as_i64(),
            json!({"visibility": "private"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let t = today(&app, &lena, "").await;
    assert_eq!(project_titles(&t), vec!["Offenes Warburger Vorhaben"]);
    let listed = t["followed"]["items"].as_array().unwrap().len() as i64;
    assert_eq!(
        t["followed"]["total"].as_i64().unwrap(),
        listed,
        "the total counts no hidden event"
    );
    assert!(!t.to_string().contains(secret.as_str()));
}

/// Issue #16: the lead town assigns a checklist item to the staff of a partner town (a town
/// with a share), who sees it under "Heute wichtig"; people of other towns cannot be assigned.
async fn partner_town_staff_get_checklist_items_on_their_start_page(app: TestApp) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let lena = app.login("digital@brakel.example").await;
    let tobias = app.login("digital@warburg.example").await;
    let sven = app.login("team@nieheim.example").await;
    let mpsc = programme_id(&app, &coordinator, "mpsc").await;
    let brakel_town = app.municipality_id("05762016").await;
    let warburg_town = app.municipality_id("05762036").await;
    let r = app
        .post(
            &lena,
            "/api/v1/funding/applications",
            json!({
                "programme_id": mpsc,
                "title": "Gemeinsames Bürgerportal",
                "lead_municipality_id": brakel_town,
                "total_costs_cents": 200_000,
                "requested_cents": 100_000,
                "shares": [
                    {"municipality_id": brakel_town, "share_cents": 150_000},
                    {"municipality_id": warburg_town, "share_cents": 50_000},
                ],
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    let item = a["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Ratsbeschluss")
        .unwrap()
        .clone();
    let iid = item["id"].as_str().unwrap();
    let path = format!("/api/v1/funding/checklist/{iid}");
    let v = item["version"].as_i64().unwrap_or(1);

    // Nieheim has no share: its staff cannot be assigned.
    let r = app
        .patch(&lena, &path, Some(v), json!({"assignee_id": sven.me["id"]}))
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["assignee_id"]);
    assert_eq!(today(&app, &sven, "").await["checklist"]["total"], 0);

    // The lead town's officer assigns the partner town's officer.
    let r = app
        .patch(
            &lena,
            &path,
            Some(v),
            json!({"assignee_id": tobias.me["id"], "due_date": in_days(10)}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let after: Value = r.json().await.unwrap();
    let saved = after["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == iid)
        .unwrap()
        .clone();
    assert_eq!(saved["assignee_id"], tobias.me["id"]);

    // Tobias can open the application and sees the item on his start page …
    let r = app
        .get(
            &tobias,
            &format!("/api/v1/funding/applications/{}", a["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(r.status(), 200);
    let mine = today(&app, &tobias, "").await;
    assert_eq!(mine["checklist"]["total"], 1);
    assert_eq!(titles(&mine["checklist"]), vec!["Ratsbeschluss"]);
    // … Nieheim still sees nothing, Lena has not been assigned.
    assert_eq!(today(&app, &sven, "").await["checklist"]["total"], 0);
    assert_eq!(today(&app, &lena, "").await["checklist"]["total"], 0);

    // Tobias may tick it.
    let r = app
        .patch(
            &tobias,
            &path,
            Some(saved["version"].as_i64().unwrap()),
            json!({"done": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(today(&app, &tobias, "").await["checklist"]["total"], 0);
}
