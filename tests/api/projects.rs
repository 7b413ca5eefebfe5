//! Projects: visibility on every surface, concurrency, life cycle, safe Markdown, search, partners.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, Session, TestApp};

both_backends!(
    private_project_is_invisible_to_other_towns_everywhere,
    concurrent_edits_never_overwrite,
    illegal_status_moves_are_refused,
    comments_are_rendered_harmless_and_mentions_respect_visibility,
    german_search_finds_inflected_words,
    german_search_folds_stems_and_splits_compounds,
    null_clears_an_optional_field_and_absent_keeps_it,
    partners_request_accept_and_post_updates,
    public_showcase_and_feed_show_only_public_projects,
    similar_hints_find_other_towns_projects_the_user_may_see,
    demo_seed_has_overlapping_projects,
    attachments_are_checked_by_content_and_inherit_visibility,
    a_partner_changing_what_only_the_lead_town_may_change_gets_403_with_the_reason,
);

async fn create(app: &TestApp, s: &Session, body: Value) -> Value {
    let resp = app.post(s, "/api/v1/projects", body).await;
    assert_eq!(resp.status(), 201, "create failed");
    resp.json().await.unwrap()
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

async fn private_project_is_invisible_to_other_towns_everywhere(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let secret = create(&app, &brakel, json!({"title": "Geheime Chatbot-Idee", "summary": "Ein Chatbot für das Rathaus", "visibility": "private"})).await;
    let open = create(&app, &brakel, json!({"title": "Offener Chatbot für Bürgeranfragen", "summary": "Ein Chatbot beantwortet Fragen", "visibility": "district"})).await;
    let sid = secret["id"].as_str().unwrap();
    let warburg = app.login("digital@warburg.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let brakel_member = app.login("team@brakel.example").await;

    // Detail and everything hanging on it: 404.
    for path in [
        "",
        "/timeline",
        "/versions",
        "/updates",
        "/comments",
        "/mentionable",
    ] {
        let resp = app
            .get(&warburg, &format!("/api/v1/projects/{sid}{path}"))
            .await;
        assert_problem(resp, 404).await;
    }
    assert_problem(
        app.post(
            &warburg,
            &format!("/api/v1/projects/{sid}/comments"),
            json!({"body": "Hallo"}),
        )
        .await,
        404,
    )
    .await;
    assert_problem(
        app.client
            .put(app.url(&format!("/api/v1/projects/{sid}/follow")))
            .bearer_auth(&warburg.token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    for s in [&coordinator, &admin] {
        assert_problem(app.get(s, &format!("/api/v1/projects/{sid}")).await, 404).await;
    }
    // The owning town sees it.
    assert_eq!(
        app.get(&brakel_member, &format!("/api/v1/projects/{sid}"))
            .await
            .status(),
        200
    );

    // Lists, counts and search.
    let list: Value = app
        .get(&warburg, "/api/v1/projects")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&list), vec!["Offener Chatbot für Bürgeranfragen"]);
    assert_eq!(list["total"], 1);
    let search: Value = app
        .get(&warburg, "/api/v1/projects?q=Chatbot")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&search), vec!["Offener Chatbot für Bürgeranfragen"]);
    let brakel_list: Value = app
        .get(&brakel, "/api/v1/projects?q=Chatbot")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(brakel_list["total"], 2);
    let by_town: Value = app
        .get(
            &warburg,
            &format!(
                "/api/v1/projects?municipality_id={}",
                secret["municipality"]["id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_town["total"], 1);
    let coord_list: Value = app
        .get(&coordinator, "/api/v1/projects?visibility=private")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(coord_list["total"], 0);

    // CSV export.
    let csv = app.get(&warburg, "/api/v1/projects/export.csv").await;
    assert_eq!(csv.status(), 200);
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("Titel;Kommune;AGS;Status"));
    assert!(text.contains("Offener Chatbot für Bürgeranfragen;Brakel;05762016;Idee"));
    assert!(!text.contains("Geheime"));

    // Public surfaces: neither the private nor the district project.
    let public: Value = app
        .client
        .get(app.url("/api/v1/public/projects"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["total"], 0);
    let feed = app
        .client
        .get(app.url("/api/v1/public/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!feed.contains("Chatbot"));
    assert_problem(
        app.client
            .get(app.url(&format!("/api/v1/public/projects/{sid}")))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let oid = open["id"].as_str().unwrap();
    assert_problem(
        app.client
            .get(app.url(&format!("/api/v1/public/projects/{oid}")))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;

    // Making it private later hides it from Warburg at once.
    let resp = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{oid}"),
            Some(1),
            json!({"visibility": "private"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let list: Value = app
        .get(&warburg, "/api/v1/projects")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
}

async fn concurrent_edits_never_overwrite(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let p = create(
        &app,
        &brakel,
        json!({"title": "Digitale Bauakte", "summary": "Bauakten digital führen"}),
    )
    .await;
    let id = p["id"].as_str().unwrap();
    assert_eq!(p["version"], 1);
    // Both read version 1; the first save wins, the second gets 412.
    let first = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{id}"),
            Some(1),
            json!({"summary": "Bauakten digital führen und teilen"}),
        )
        .await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers().get("etag").unwrap(), "\"2\"");
    let second = app
        .patch(
            &coordinator,
            &format!("/api/v1/projects/{id}"),
            Some(1),
            json!({"summary": "Überschrieben?"}),
        )
        .await;
    assert_problem(second, 412).await;
    let now: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["summary"], "Bauakten digital führen und teilen");
    assert_problem(
        app.patch(
            &coordinator,
            &format!("/api/v1/projects/{id}"),
            None,
            json!({"summary": "x"}),
        )
        .await,
        428,
    )
    .await;
    // After reloading, the coordinator's change goes through.
    let third = app
        .patch(
            &coordinator,
            &format!("/api/v1/projects/{id}"),
            Some(2),
            json!({"summary": "Gemeinsam mit dem Kreis"}),
        )
        .await;
    assert_eq!(third.status(), 200);
    // History keeps every version with who and what.
    let versions: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}/versions"))
        .await
        .json()
        .await
        .unwrap();
    let items = versions["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["version"], 3);
    assert_eq!(items[0]["changed_by_name"], "Sabine Kramer");
    assert_eq!(items[0]["changes"][0]["field"], "summary");
    assert_eq!(
        items[0]["changes"][0]["from"],
        "Bauakten digital führen und teilen"
    );
    assert_eq!(items[0]["changes"][0]["to"], "Gemeinsam mit dem Kreis");
    // Members and other towns' officers may not edit.
    let member = app.login("team@brakel.example").await;
    assert_problem(
        app.patch(
            &member,
            &format!("/api/v1/projects/{id}"),
            Some(3),
            json!({"summary": "x"}),
        )
        .await,
        403,
    )
    .await;
    let warburg = app.login("digital@warburg.example").await;
    assert_problem(
        app.patch(
            &warburg,
            &format!("/api/v1/projects/{id}"),
            Some(3),
            json!({"summary": "x"}),
        )
        .await,
        403,
    )
    .await;
    // Bad input names the field and changes nothing.
    let resp = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{id}"),
            Some(3),
            json!({"summary": "s".repeat(501), "topics": ["erfunden"]}),
        )
        .await;
    assert_eq!(
        fields(&assert_problem(resp, 422).await),
        vec!["summary", "topics"]
    );
    let now: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["version"], 3);
}

async fn illegal_status_moves_are_refused(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let p = create(
        &app,
        &brakel,
        json!({"title": "Smart Parking", "summary": "Freie Parkplätze anzeigen"}),
    )
    .await;
    let id = p["id"].as_str().unwrap();
    assert_eq!(p["status"], "idea");
    let post_status = |version: i64, status: &str| {
        app.client
            .post(app.url(&format!("/api/v1/projects/{id}/status")))
            .bearer_auth(&brakel.token)
            .header("If-Match", format!("\"{version}\""))
            .json(&json!({"status": status, "note": "Ratsbeschluss vom 12.11."}))
            .send()
    };
    let resp = post_status(1, "live").await.unwrap();
    let p422 = assert_problem(resp, 422).await;
    assert_eq!(fields(&p422), vec!["status"]);
    let resp = post_status(1, "fertig").await.unwrap();
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["status"]);
    for (v, s) in [
        (1, "draft"),
        (2, "planned"),
        (3, "in_progress"),
        (4, "live"),
    ] {
        let resp = post_status(v, s).await.unwrap();
        assert_eq!(resp.status(), 200, "move to {s}");
    }
    let timeline: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}/timeline"))
        .await
        .json()
        .await
        .unwrap();
    let steps: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        vec!["idea", "draft", "planned", "in_progress", "live"]
    );
    assert_eq!(timeline["items"][4]["changed_by_name"], "Lena Vogt");
    assert_eq!(timeline["items"][4]["note"], "Ratsbeschluss vom 12.11.");
    let p: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["status"], "live");
    assert_eq!(p["next_statuses"], json!(["paused"]));
}

async fn comments_are_rendered_harmless_and_mentions_respect_visibility(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let lena = brakel.me["id"].as_str().unwrap().to_string();
    let p = create(
        &app,
        &brakel,
        json!({"title": "Online-Terminvergabe", "summary": "Termine im Bürgerbüro online buchen"}),
    )
    .await;
    let id = p["id"].as_str().unwrap();
    let warburg = app.login("digital@warburg.example").await;
    let mentionable: Value = app
        .get(
            &warburg,
            &format!("/api/v1/projects/{id}/mentionable?q=lena"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mentionable["items"][0]["id"], lena.as_str());
    let evil = format!("Gute Idee @[Lena Vogt]({lena})! <script>alert('x')</script> [Klick](javascript:alert(1)) <img src=x onerror=alert(2)>");
    let resp = app
        .post(
            &warburg,
            &format!("/api/v1/projects/{id}/comments"),
            json!({"body": evil}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let c: Value = resp.json().await.unwrap();
    assert_eq!(c["body"], evil.as_str(), "stored as written");
    let html = c["body_html"].as_str().unwrap();
    assert!(
        !html.contains("<script") && !html.contains("javascript:") && !html.contains("onerror")
    );
    assert!(html.contains("@Lena Vogt"));
    let list: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}/comments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["author_name"], "Tobias Schröder");
    // A mention of someone who cannot see a private project records nothing for them.
    let secret = create(
        &app,
        &brakel,
        json!({"title": "Interne Notiz", "summary": "Nur Brakel", "visibility": "private"}),
    )
    .await;
    let tobias = warburg.me["id"].as_str().unwrap();
    let resp = app
        .post(
            &brakel,
            &format!(
                "/api/v1/projects/{}/comments",
                secret["id"].as_str().unwrap()
            ),
            json!({"body": format!("Hallo @[Tobias Schröder]({tobias})")}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    use diesel::prelude::*;
    use digitalnetzwerk::db::schema::events;
    let mut conn = app.conn();
    let mentions: Vec<Option<String>> = events::table
        .filter(events::verb.eq("mention"))
        .select(events::target_user_id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(mentions, vec![Some(lena.clone())]);
    let created: i64 = events::table
        .filter(events::verb.eq("project.created"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(created, 2);
}

async fn german_search_finds_inflected_words(app: TestApp) {
    let s = app.login("digital@bad-driburg.example").await;
    create(&app, &s, json!({"title": "WLAN in allen Grundschulen", "summary": "Schnelles Netz für die Schulen der Stadt", "topics": ["bildung-schulen"]})).await;
    create(&app, &s, json!({"title": "Online-Terminvergabe im Bürgerbüro", "summary": "Termine rund um die Uhr buchen"})).await;
    // Only "E-Rechnung" names the word: "Rechnungen" must find it by its stem, not
    // as a literal part of the text.
    create(&app, &s, json!({"title": "E-Rechnung", "summary": "Belege elektronisch empfangen", "description": "Für **Schulträger** und Verwaltung"})).await;
    let other = app.login("digital@nieheim.example").await;
    let hits: Value = app
        .get(&other, "/api/v1/projects?q=Schule")
        .await
        .json()
        .await
        .unwrap();
    let t = titles(&hits);
    assert!(
        t.contains(&"WLAN in allen Grundschulen".to_string()),
        "{t:?}"
    );
    assert_eq!(
        t[0], "WLAN in allen Grundschulen",
        "title and summary rank above the description"
    );
    let hits: Value = app
        .get(&other, "/api/v1/projects?q=Terminvergabe")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&hits), vec!["Online-Terminvergabe im Bürgerbüro"]);
    let hits: Value = app
        .get(&other, "/api/v1/projects?q=Rechnungen&sort=title")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&hits), vec!["E-Rechnung"]);
    let none: Value = app
        .get(&other, "/api/v1/projects?q=Friedhof")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["total"], 0);
    let filtered: Value = app
        .get(&other, "/api/v1/projects?topic=bildung-schulen")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&filtered), vec!["WLAN in allen Grundschulen"]);
    let by_title: Value = app
        .get(&other, "/api/v1/projects?sort=title")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        titles(&by_title),
        vec![
            "E-Rechnung",
            "Online-Terminvergabe im Bürgerbüro",
            "WLAN in allen Grundschulen"
        ]
    );
}

async fn null_clears_an_optional_field_and_absent_keeps_it(app: TestApp) {
    let s = app.login("digital@brakel.example").await;
    let p = create(&app, &s, json!({"title": "Budgetprobe", "summary": "x", "budget_cents": 1_000_000, "planned_start": "2027-02-01", "contact_name": "Lena Vogt", "contact_email": "digital@brakel.example"})).await;
    let id = p["id"].as_str().unwrap();
    let resp = app
        .patch(
            &s,
            &format!("/api/v1/projects/{id}"),
            Some(p["version"].as_i64().unwrap()),
            json!({"budget_cents": null, "planned_start": null, "contact_name": null}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let after: Value = resp.json().await.unwrap();
    assert!(after["budget_cents"].is_null(), "{after}");
    assert!(after["planned_start"].is_null());
    assert!(after["contact_name"].is_null());
    assert_eq!(
        after["contact_email"], "digital@brakel.example",
        "absent fields keep their value"
    );
    assert_eq!(after["title"], "Budgetprobe");
}

/// Each query finds its project although the project never uses the query's word form:
/// inflection, ASCII umlauts, compound parts, acronyms (#13).
async fn german_search_folds_stems_and_splits_compounds(app: TestApp) {
    let s = app.login("digital@bad-driburg.example").await;
    for (title, summary) in [
        (
            "Digitalisierung der Schulen",
            "Tablets und WLAN für alle Klassen",
        ),
        ("Neues Bürgerbüro im Rathaus", "Ein Schalter für alles"),
        ("Anträge online stellen", "Formulare ohne Papier"),
        (
            "Straßenbeleuchtung auf LED umstellen",
            "Weniger Strom für Laternen",
        ),
        (
            "Antrag auf Förderung für den Breitbandausbau",
            "Gigabit für Gewerbegebiete",
        ),
        ("KI-Chatbot für Bürgeranfragen", "Antworten rund um die Uhr"),
        ("Hundekotbeutel im Stadtpark", "Spender an den Wegen"),
    ] {
        create(&app, &s, json!({"title": title, "summary": summary})).await;
    }
    let other = app.login("digital@nieheim.example").await;
    for (query, expected) in [
        ("Schule", "Digitalisierung der Schulen"),
        ("digitale", "Digitalisierung der Schulen"),
        ("Buergerbuero", "Neues Bürgerbüro im Rathaus"),
        ("Antraege", "Anträge online stellen"),
        (
            "Strassenbeleuchtung",
            "Straßenbeleuchtung auf LED umstellen",
        ),
        ("Beleuchtung", "Straßenbeleuchtung auf LED umstellen"),
        (
            "Förderantrag",
            "Antrag auf Förderung für den Breitbandausbau",
        ),
        ("KI", "KI-Chatbot für Bürgeranfragen"),
    ] {
        let hits: Value = app
            .get(&other, &format!("/api/v1/projects?q={query}"))
            .await
            .json()
            .await
            .unwrap();
        let t = titles(&hits);
        assert!(t.contains(&expected.to_string()), "{query} → {t:?}");
        assert!(
            !t.contains(&"Hundekotbeutel im Stadtpark".to_string()),
            "{query} → {t:?}"
        );
    }
    // Positive control for the negative: the unrelated project is found by its own word.
    let hits: Value = app
        .get(&other, "/api/v1/projects?q=Stadtpark")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&hits), vec!["Hundekotbeutel im Stadtpark"]);
    // The OZG catalogue: a LeiKa key and a LeiKa service name find the OZG service.
    {
        use digitalnetzwerk::ozg::import::{self, bundled, ImportKind};
        let mut conn = app.conn();
        import::run(&mut conn, ImportKind::Themenfelder, bundled::THEMENFELDER).unwrap();
        import::run(&mut conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN).unwrap();
        import::run(&mut conn, ImportKind::OzgServices, bundled::OZG_SERVICES).unwrap();
        import::run(&mut conn, ImportKind::Leika, bundled::LEIKA).unwrap();
    }
    for (q, key) in [
        ("99115005000000", "99115005000000"),
        ("Hundesteuer", "99102013000000"),
    ] {
        let expected_ozg = bundled_leika_ozg(key);
        let found: Value = app
            .get(&other, &format!("/api/v1/ozg/services?q={q}&limit=100"))
            .await
            .json()
            .await
            .unwrap();
        let ids: Vec<i64> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["ozg_id"].as_i64().unwrap())
            .collect();
        assert!(ids.contains(&expected_ozg), "{q} → {ids:?}");
    }
}

/// The OZG-ID the bundled LeiKa list gives for `key`.
fn bundled_leika_ozg(key: &str) -> i64 {
    digitalnetzwerk::ozg::import::bundled::LEIKA
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split(',').nth(3))
        .and_then(|v| v.parse().ok())
        .expect("the key is in the bundled LeiKa list")
}

async fn partners_request_accept_and_post_updates(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let p = create(
        &app,
        &brakel,
        json!({"title": "Gemeinsames Bürgerportal", "summary": "Ein Portal für alle Städte"}),
    )
    .await;
    let id = p["id"].as_str().unwrap();
    let warburg = app.login("digital@warburg.example").await;
    let warburg_town = warburg.me["municipality"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Before being a partner, Warburg cannot post updates.
    assert_problem(
        app.post(
            &warburg,
            &format!("/api/v1/projects/{id}/updates"),
            json!({"title": "x", "body": "y"}),
        )
        .await,
        403,
    )
    .await;
    let resp = app
        .post(
            &warburg,
            &format!("/api/v1/projects/{id}/partners"),
            json!({"municipality_id": warburg_town, "role": "interested"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let after: Value = resp.json().await.unwrap();
    assert_eq!(after["partners"][0]["state"], "requested");
    let resp = app
        .post(
            &warburg,
            &format!("/api/v1/projects/{id}/updates"),
            json!({"title": "x", "body": "y"}),
        )
        .await;
    assert_problem(resp, 403).await;
    // Brakel accepts; now Warburg may report progress.
    let resp = app
        .post(
            &brakel,
            &format!("/api/v1/projects/{id}/partners/{warburg_town}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let resp = app
        .post(
            &warburg,
            &format!("/api/v1/projects/{id}/updates"),
            json!({"title": "Warburg ist dabei", "body": "Wir testen das **Portal**."}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let updates: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}/updates"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updates["items"][0]["municipality_name"], "Warburg");
    assert!(updates["items"][0]["body_html"]
        .as_str()
        .unwrap()
        .contains("<strong>Portal</strong>"));
    let p: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["partner_count"], 1);
    // Updates are searchable.
    let hits: Value = app
        .get(&brakel, "/api/v1/projects?q=testen")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hits["total"], 1);
    // Following.
    let r = app
        .client
        .put(app.url(&format!("/api/v1/projects/{id}/follow")))
        .bearer_auth(&warburg.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let p: Value = app
        .get(&warburg, &format!("/api/v1/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["following"], true);
    assert_eq!(p["follower_count"], 2, "the author follows automatically");
    let r = app
        .delete(&warburg, &format!("/api/v1/projects/{id}/follow"))
        .await;
    assert_eq!(r.status(), 204);
    // A member of another town cannot add partners.
    let member = app.login("team@nieheim.example").await;
    let nieheim = member.me["municipality"]["id"].as_str().unwrap();
    assert_problem(
        app.post(
            &member,
            &format!("/api/v1/projects/{id}/partners"),
            json!({"municipality_id": nieheim, "role": "interested"}),
        )
        .await,
        403,
    )
    .await;
}

async fn public_showcase_and_feed_show_only_public_projects(app: TestApp) {
    let s = app.login("digital@hoexter.example").await;
    create(&app, &s, json!({"title": "Smart Parking Innenstadt", "summary": "Sensoren zeigen freie Plätze & Wege", "visibility": "public", "contact_name": "Daniel Wiegand"})).await;
    create(&app, &s, json!({"title": "Netzwerkweites Projekt", "summary": "Nur angemeldet", "visibility": "network"})).await;
    let public: Value = app
        .client
        .get(app.url("/api/v1/public/projects"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&public), vec!["Smart Parking Innenstadt"]);
    let id = public["items"][0]["id"].as_str().unwrap();
    let detail: Value = app
        .client
        .get(app.url(&format!("/api/v1/public/projects/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["municipality"]["name"], "Höxter");
    assert!(
        detail["contact_name"].is_null(),
        "no personal data for anonymous visitors"
    );
    let feed = app
        .client
        .get(app.url("/api/v1/public/feed.atom"))
        .send()
        .await
        .unwrap();
    assert!(feed
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let xml = feed.text().await.unwrap();
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(xml.contains("<title>Smart Parking Innenstadt</title>"));
    assert!(xml.contains("Sensoren zeigen freie Plätze &amp; Wege"));
    assert!(!xml.contains("Netzwerkweites"));
    // An officer of another district sees the network and public projects, not the
    // district one, which Höxter's own district does see.
    create(&app, &s, json!({"title": "Kreisprojekt Höxter", "summary": "Nur im Kreis", "visibility": "district"})).await;
    let outsider = app.other_district_officer().await;
    let list: Value = app
        .get(&outsider, "/api/v1/projects")
        .await
        .json()
        .await
        .unwrap();
    let mut seen = titles(&list);
    seen.sort();
    assert_eq!(
        seen,
        vec!["Netzwerkweites Projekt", "Smart Parking Innenstadt"]
    );
    assert_eq!(list["total"], 2);
    let brakel = app.login("digital@brakel.example").await;
    let own: Value = app
        .get(&brakel, "/api/v1/projects?q=Kreisprojekt")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        titles(&own),
        vec!["Kreisprojekt Höxter"],
        "positive control"
    );
}

async fn similar_hints_find_other_towns_projects_the_user_may_see(app: TestApp) {
    let hoexter = app.login("digital@hoexter.example").await;
    create(&app, &hoexter, json!({"title": "Terminbuchung Bürgeramt", "summary": "Bürgerinnen und Bürger buchen Termine im Bürgeramt online"})).await;
    create(&app, &hoexter, json!({"title": "Glasfaser für Gewerbegebiete", "summary": "Breitbandausbau im Gewerbegebiet"})).await;
    let nieheim = app.login("digital@nieheim.example").await;
    create(&app, &nieheim, json!({"title": "Terminvergabe im Bürgerbüro", "summary": "Private Vorüberlegung zur Online-Terminvergabe", "visibility": "private"})).await;
    let brakel = app.login("digital@brakel.example").await;
    create(&app, &brakel, json!({"title": "Online-Terminvergabe Standesamt", "summary": "Eigenes Projekt der Stadt Brakel"})).await;

    let draft = json!({"title": "Online-Terminvergabe für das Bürgerbüro", "summary": "Termine für das Bürgerbüro online vergeben", "ozg_ids": [], "topics": []});
    let resp = app.post(&brakel, "/api/v1/projects/similar", draft).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    let found: Vec<&str> = items
        .iter()
        .map(|i| i["project"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(found.first(), Some(&"Terminbuchung Bürgeramt"), "{found:?}");
    assert!(
        !found.contains(&"Terminvergabe im Bürgerbüro"),
        "private project of another town leaked"
    );
    assert!(
        !found.contains(&"Online-Terminvergabe Standesamt"),
        "own town's projects are not hints"
    );
    assert!(!found.contains(&"Glasfaser für Gewerbegebiete"));
    assert_eq!(items[0]["project"]["municipality"]["name"], "Höxter");
    assert_eq!(items[0]["reasons"][0]["kind"], "similar_words");

    // On a project page, too; the Nieheim officer sees the own private project excluded and Höxter's.
    let nieheim_list: Value = app
        .get(&nieheim, "/api/v1/projects?mine=true")
        .await
        .json()
        .await
        .unwrap();
    let nid = nieheim_list["items"][0]["id"].as_str().unwrap();
    let similar: Value = app
        .get(&nieheim, &format!("/api/v1/projects/{nid}/similar"))
        .await
        .json()
        .await
        .unwrap();
    let found: Vec<&str> = similar["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["project"]["title"].as_str().unwrap())
        .collect();
    // The closest wording first; a much weaker match is cut (under half the best score).
    assert_eq!(
        found.first(),
        Some(&"Online-Terminvergabe Standesamt"),
        "{found:?}"
    );
    assert!(!found.contains(&"Terminvergabe im Bürgerbüro"));
    assert!(
        !found.contains(&"Glasfaser für Gewerbegebiete"),
        "{found:?}"
    );
    // Warburg cannot ask for hints of Nieheim's private project.
    let warburg = app.login("digital@warburg.example").await;
    assert_problem(
        app.get(&warburg, &format!("/api/v1/projects/{nid}/similar"))
            .await,
        404,
    )
    .await;
}

async fn demo_seed_has_overlapping_projects(app: TestApp) {
    let mut conn = app.conn();
    digitalnetzwerk::seed::seed_demo(&mut conn, 256).unwrap();
    // Seeding twice adds nothing.
    digitalnetzwerk::seed::seed_demo(&mut conn, 256).unwrap();
    assert_eq!(app.count("projects"), 14);
    let brakel = app.login("digital@brakel.example").await;
    let draft = json!({"title": "Online-Terminvergabe für das Bürgerbüro", "summary": "Termine im Bürgerbüro online vergeben"});
    let body: Value = app
        .post(&brakel, "/api/v1/projects/similar", draft)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["items"][0]["project"]["title"],
        "Terminbuchung im Bürgeramt"
    );
    let warburg = app.login("digital@warburg.example").await;
    let list: Value = app
        .get(&warburg, "/api/v1/projects?limit=100")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 13, "everything but Brakel's private idea");
    let public: Value = app
        .client
        .get(app.url("/api/v1/public/projects"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["total"], 2);
}

async fn upload(
    app: &TestApp,
    s: &Session,
    project: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.upload(
        s,
        &format!("/api/v1/projects/{project}/attachments"),
        name,
        bytes,
        &[],
    )
    .await
}

async fn attachments_are_checked_by_content_and_inherit_visibility(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let p = create(&app, &brakel, json!({"title": "Interne Kalkulation", "summary": "Nur für Brakel", "visibility": "private"})).await;
    let id = p["id"].as_str().unwrap();
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec();
    let resp = upload(&app, &brakel, id, "Kostenschätzung 2026.pdf", pdf.clone()).await;
    assert_eq!(resp.status(), 201);
    let a: Value = resp.json().await.unwrap();
    assert_eq!(a["content_type"], "application/pdf");
    assert_eq!(a["file_name"], "Kostenschätzung 2026.pdf");
    let aid = a["id"].as_str().unwrap();

    // An executable renamed to .pdf is refused and nothing is stored.
    let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00".to_vec();
    let resp = upload(&app, &brakel, id, "rechnung.pdf", elf).await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["file"]);
    let resp = upload(
        &app,
        &brakel,
        id,
        "script.pdf",
        b"#!/bin/sh\necho hallo\n".to_vec(),
    )
    .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["file"]);
    assert_eq!(app.count("files"), 1);

    // Download with the right headers.
    let resp = app
        .get(&brakel, &format!("/api/v1/projects/{id}/attachments/{aid}"))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        "application/pdf"
    );
    let cd = resp
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cd.starts_with("attachment;")
            && cd.contains("filename*=UTF-8''Kostensch%C3%A4tzung%202026.pdf"),
        "{cd}"
    );
    assert_eq!(resp.bytes().await.unwrap().to_vec(), pdf);

    // Another town sees neither list nor file, and cannot upload.
    let warburg = app.login("digital@warburg.example").await;
    assert_problem(
        app.get(&warburg, &format!("/api/v1/projects/{id}/attachments"))
            .await,
        404,
    )
    .await;
    assert_problem(
        app.get(
            &warburg,
            &format!("/api/v1/projects/{id}/attachments/{aid}"),
        )
        .await,
        404,
    )
    .await;
    assert_problem(upload(&app, &warburg, id, "x.pdf", pdf.clone()).await, 404).await;
    // A member of the own town can read but not upload.
    let member = app.login("team@brakel.example").await;
    let list: Value = app
        .get(&member, &format!("/api/v1/projects/{id}/attachments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["file_name"], "Kostenschätzung 2026.pdf");
    assert_problem(upload(&app, &member, id, "x.pdf", pdf).await, 403).await;
    // Deleting removes it.
    assert_eq!(
        app.delete(&brakel, &format!("/api/v1/projects/{id}/attachments/{aid}"))
            .await
            .status(),
        204
    );
    assert_eq!(app.count("files"), 0);
}

/// #14 walk-through: an accepted partner town edits the content of a project, but who may
/// see it is the lead town's decision: 403 with the field and a German reason (it used to
/// be 404 "Nicht gefunden"), the project unchanged. A project the town may not see at all
/// still answers 404, never 403.
async fn a_partner_changing_what_only_the_lead_town_may_change_gets_403_with_the_reason(
    app: TestApp,
) {
    let brakel = app.login("digital@brakel.example").await;
    let p = create(
        &app,
        &brakel,
        json!({"title": "Gemeinsame Terminvergabe", "summary": "Brakel und Warburg", "visibility": "district"}),
    )
    .await;
    let id = p["id"].as_str().unwrap().to_string();
    let warburg = app.login("digital@warburg.example").await;
    let warburg_town = warburg.me["municipality"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &warburg,
            &format!("/api/v1/projects/{id}/partners"),
            json!({"municipality_id": warburg_town, "role": "committed"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/projects/{id}/partners/{warburg_town}/accept"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let version = |p: &Value| p["version"].as_i64().unwrap();
    let current: Value = app
        .get(&warburg, &format!("/api/v1/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["can_edit"], true);
    for vis in ["private", "network", "public"] {
        let r = app
            .patch(
                &warburg,
                &format!("/api/v1/projects/{id}"),
                Some(version(&current)),
                json!({"visibility": vis}),
            )
            .await;
        let problem = assert_problem(r, 403).await;
        assert_eq!(fields(&problem), vec!["visibility"], "{problem}");
        let reason = problem["errors"][0]["message"].as_str().unwrap();
        assert!(
            reason.contains("Sichtbarkeit") && reason.contains("federführende Kommune"),
            "{reason}"
        );
        assert_eq!(problem["detail"], reason);
    }
    let after: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["visibility"], "district");
    assert_eq!(after["version"], current["version"]);
    // The content is the partner's to edit.
    let r = app
        .patch(
            &warburg,
            &format!("/api/v1/projects/{id}"),
            Some(version(&current)),
            json!({"summary": "Brakel und Warburg, gemeinsam betrieben", "visibility": "district"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let edited: Value = r.json().await.unwrap();
    // Once the lead town makes it private, the partner may not see it: 404, not 403.
    let r = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{id}"),
            Some(version(&edited)),
            json!({"visibility": "private"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .patch(
            &warburg,
            &format!("/api/v1/projects/{id}"),
            Some(version(&edited) + 1),
            json!({"visibility": "district"}),
        )
        .await;
    assert_problem(r, 404).await;
}
