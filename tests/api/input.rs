//! Bad input gets problem+json naming the field, and nothing is written.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, Session, TestApp};

both_backends!(
    bad_input_is_refused_with_field_errors_and_changes_nothing,
    list_parameters_are_checked,
    control_characters_and_invisible_titles_are_refused,
    every_title_and_name_is_one_visible_line,
    control_characters_in_the_url_are_refused,
    unwritable_file_storage_answers_503_and_readyz_says_so,
);

async fn unwritable_file_storage_answers_503_and_readyz_says_so(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let p: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Ablagetest", "summary": "x"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/projects/{}/attachments", p["id"].as_str().unwrap());
    let pdf =
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
            .to_vec();
    // A file where the storage folder should be: unwritable even for root.
    let storage = app.state.config.data_dir.join("attachments");
    let _ = std::fs::remove_dir_all(&storage);
    std::fs::write(&storage, b"kein Ordner").unwrap();
    let before = app.count("files");
    let resp = app
        .upload(&brakel, &path, "Plan.pdf", pdf.clone(), &[])
        .await;
    let problem = assert_problem(resp, 503).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("nicht gespeichert"),
        "{problem}"
    );
    assert_eq!(app.count("files"), before, "nothing was recorded");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    // Repaired, both work again.
    std::fs::remove_file(&storage).unwrap();
    assert_eq!(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let resp = app.upload(&brakel, &path, "Plan.pdf", pdf, &[]).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(app.count("files"), before + 1);
}

async fn control_characters_and_invisible_titles_are_refused(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let before = app.count("projects");
    for (body, field) in [
        (json!({"title": "Null\u{0}Byte", "summary": "x"}), "title"),
        (json!({"title": "Zeile\r\nZwei", "summary": "x"}), "title"),
        (json!({"title": "Glocke\u{7}", "summary": "x"}), "title"),
        (
            json!({"title": "Farbe \u{1b}[31m", "summary": "x"}),
            "title",
        ),
        (
            json!({"title": "\u{200b}\u{200b}\u{200b}\u{200b}", "summary": "x"}),
            "title",
        ),
        (
            json!({"title": "Umgedreht \u{202e}tlah", "summary": "x"}),
            "title",
        ),
        (
            json!({"title": "Gute Idee", "summary": "x", "tags": ["ok", "mit\nUmbruch"]}),
            "tags",
        ),
        (
            json!({"title": "Gute Idee", "summary": "NUL\u{0} im Text"}),
            "summary",
        ),
    ] {
        let p = assert_problem(
            app.post(&brakel, "/api/v1/projects", body.clone()).await,
            422,
        )
        .await;
        assert_eq!(fields(&p), vec![field], "{body}");
    }
    assert_eq!(app.count("projects"), before, "nothing was written");
    // Positive control: the same shapes with ordinary text are accepted.
    let resp = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Gute Idee – „Bürgerbüro“", "summary": "Zwei\nZeilen", "tags": ["ok"]}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    assert_eq!(app.count("projects"), before + 1);
}

/// A NUL in a query string broke PostgreSQL (500, found by schemathesis): the URL is
/// checked as bodies are, on every route, and nothing is read or written.
async fn control_characters_in_the_url_are_refused(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let created: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Kita-Portal", "summary": "Anmeldung online"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    for (path, field) in [
        (
            format!("/api/v1/projects/{id}/mentionable?q=%00%C2%BF"),
            "q",
        ),
        ("/api/v1/projects?q=Kita%00Portal".to_string(), "q"),
        ("/api/v1/projects?limit=5&q%07=x".to_string(), "q"),
        ("/api/v1/processes?q=%E2%80%AEtlah".to_string(), "q"),
        ("/api/v1/calendar/ab%00cd.ics".to_string(), "path"),
    ] {
        let p = assert_problem(app.get(&brakel, &path).await, 400).await;
        assert_eq!(fields(&p), vec![field], "{path}");
    }
    // Positive control: the same routes with ordinary text answer.
    let resp = app
        .get(
            &brakel,
            &format!("/api/v1/projects/{id}/mentionable?q=%C2%BFM"),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let resp = app.get(&brakel, "/api/v1/projects?q=Kita%20Portal").await;
    assert_eq!(resp.status(), 200);
}

async fn bad_input_is_refused_with_field_errors_and_changes_nothing(app: TestApp) {
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let district_id = admin_district(&app, &admin).await;
    let before = (
        app.count("municipalities"),
        app.count("invitations"),
        app.count("users"),
        app.count("audit_log"),
    );

    // Malformed JSON
    let resp = app
        .client
        .post(app.url("/api/v1/municipalities"))
        .bearer_auth(&admin.token)
        .header("content-type", "application/json")
        .body("{\"ags\": \"0576")
        .send()
        .await
        .unwrap();
    let p = assert_problem(resp, 400).await;
    assert!(p["detail"].as_str().unwrap().contains("JSON"));

    // A 7-digit AGS
    let resp = app
        .post(&admin, "/api/v1/municipalities", json!({"district_id": district_id, "ags": "0576204", "name": "Neustadt", "kind": "town"}))
        .await;
    let p = assert_problem(resp, 422).await;
    assert_eq!(fields(&p), vec!["ags"]);
    assert!(p["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("8 Ziffern"));

    // An AGS of another district
    let resp = app
        .post(&admin, "/api/v1/municipalities", json!({"district_id": district_id, "ags": "05774032", "name": "Delbrück", "kind": "town"}))
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["ags"]);

    // An unknown role
    let resp = app
        .post(
            &admin,
            "/api/v1/invitations",
            json!({"email": "x@y.example", "role": "superuser"}),
        )
        .await;
    let p = assert_problem(resp, 422).await;
    assert_eq!(fields(&p), vec!["role"]);

    // A missing field
    let resp = app
        .post(&admin, "/api/v1/invitations", json!({"role": "member"}))
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["email"]);

    // A 2 MB name
    let huge = "x".repeat(2 * 1024 * 1024);
    let resp = app
        .post(
            &admin,
            "/api/v1/municipalities",
            json!({"district_id": district_id, "ags": "05762099", "name": huge, "kind": "town"}),
        )
        .await;
    let p = assert_problem(resp, 422).await;
    assert_eq!(fields(&p), vec!["name"]);
    let resp = app
        .patch(
            &admin,
            "/api/v1/me",
            Some(1),
            json!({"name": "y".repeat(2 * 1024 * 1024)}),
        )
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["name"]);

    // A 5-character password when accepting an invitation
    let resp = app.post(&admin, "/api/v1/invitations", json!({"email": "kurz@brakel.example", "role": "member", "municipality_id": app.municipality_id("05762016").await})).await;
    assert_eq!(resp.status(), 201);
    let mail = app.mail.wait_for("kurz@brakel.example").await;
    let token = mail
        .link_containing("/einladung/")
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/invitations/token/{token}/accept")))
        .json(&json!({"name": "Kai Kurz", "password": "abcde"}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(resp, 422).await;
    assert_eq!(fields(&p), vec!["password"]);
    // The email as password, and a common password, are refused too.
    for pw in ["kurz@brakel.example", "passwort123456"] {
        let resp = app
            .client
            .post(app.url(&format!("/api/v1/invitations/token/{token}/accept")))
            .json(&json!({"name": "Kai Kurz", "password": pw}))
            .send()
            .await
            .unwrap();
        assert_eq!(fields(&assert_problem(resp, 422).await), vec!["password"]);
    }

    // Nothing was written by the refused requests (only the one valid invitation and its audit entry).
    let after = (
        app.count("municipalities"),
        app.count("invitations"),
        app.count("users"),
        app.count("audit_log"),
    );
    assert_eq!(after, (before.0, before.1 + 1, before.2, before.3 + 1));

    // Non-JSON content type
    let resp = app
        .client
        .post(app.url("/api/v1/invitations"))
        .bearer_auth(&admin.token)
        .header("content-type", "text/plain")
        .body("email=x")
        .send()
        .await
        .unwrap();
    assert_problem(resp, 400).await;
}

async fn admin_district(app: &TestApp, admin: &crate::common::Session) -> String {
    let d: Value = app
        .get(admin, "/api/v1/districts")
        .await
        .json()
        .await
        .unwrap();
    d["items"][0]["id"].as_str().unwrap().to_string()
}

async fn list_parameters_are_checked(app: TestApp) {
    let s = app.login("koordination@kreis-hoexter.example").await;
    let resp = app.get(&s, "/api/v1/users?limit=1000").await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["limit"]);
    let resp = app.get(&s, "/api/v1/users?page=0").await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["page"]);
    let resp = app.get(&s, "/api/v1/users?role=king").await;
    assert_problem(resp, 400).await;
    let page: Value = app
        .get(&s, "/api/v1/users?limit=5&page=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["limit"], 5);
    assert_eq!(page["page"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    // 1 coordinator + 10 officers + 3 members in the district
    assert_eq!(page["total"], 14);
}

/// Sends `body(v)` with a line break and with only zero-width characters as `field`
/// (422 naming the field each time, else noted in `failures`), then with a proper
/// one-line text, which must be accepted.
#[allow(clippy::too_many_arguments)]
async fn one_line_or_422(
    failures: &mut Vec<String>,
    app: &TestApp,
    s: &Session,
    method: reqwest::Method,
    path: &str,
    version: Option<i64>,
    field: &str,
    body: impl Fn(&str) -> Value,
) -> Value {
    let send = |v: &str| {
        let mut req = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&s.token)
            .json(&body(v));
        if let Some(v) = version {
            req = req.header("If-Match", format!("\"{v}\""));
        }
        req.send()
    };
    // A wrongly accepted value made an object already; then the control may conflict.
    let mut accepted = None;
    for bad in [
        "Zeile eins\r\nZeile zwei",
        "\u{200b}\u{200b}\u{200b}\u{2060}",
    ] {
        let r = send(bad).await.unwrap();
        let status = r.status().as_u16();
        let p: Value = r.json().await.unwrap_or(Value::Null);
        if status != 422 || !fields(&p).iter().any(|f| f == field) {
            failures.push(format!(
                "{method} {path}: {bad:?} in {field} gave {status} {p}"
            ));
            if (200..300).contains(&status) {
                accepted = Some(p);
            }
        }
    }
    let ok = send("Gut lesbarer Titel").await.unwrap();
    let status = ok.status();
    let text = ok.text().await.unwrap();
    match accepted {
        Some(p) if !status.is_success() => p,
        _ => {
            assert!(
                status.is_success(),
                "{method} {path} positive control: {status} {text}"
            );
            serde_json::from_str(&text).unwrap_or(Value::Null)
        }
    }
}

async fn every_title_and_name_is_one_visible_line(app: TestApp) {
    use reqwest::Method;
    {
        let mut conn = app.conn();
        digitalnetzwerk::funding::seed::import_reference_programmes(&mut conn).unwrap();
    }
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel = app.login("digital@brakel.example").await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let hoexter = app.municipality_id("05762020").await;
    let brakel_town = brakel.me["municipality"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let programmes: Value = app
        .get(&coordinator, "/api/v1/funding/programmes?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let mpsc = programmes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "mpsc")
        .unwrap()
        .clone();
    let pid = mpsc["id"].as_str().unwrap().to_string();
    let mut failures = Vec::new();

    // Funding: application (create and edit), call, checklist item, programme name.
    let a = one_line_or_422(
        &mut failures,
        &app,
        &coordinator,
        Method::POST,
        "/api/v1/funding/applications",
        None,
        "title",
        |v| json!({"programme_id": pid, "title": v, "lead_municipality_id": hoexter, "total_costs_cents": 100_000_000i64, "requested_cents": 65_000_000i64}),
    )
    .await;
    let aid = a["id"].as_str().unwrap();
    one_line_or_422(
        &mut failures,
        &app,
        &coordinator,
        Method::PATCH,
        &format!("/api/v1/funding/applications/{aid}"),
        a["version"].as_i64(),
        "title",
        |v| json!({"title": v}),
    )
    .await;
    let a = one_line_or_422(
        &mut failures,
        &app,
        &coordinator,
        Method::POST,
        &format!("/api/v1/funding/applications/{aid}/checklist"),
        None,
        "title",
        |v| json!({"title": v}),
    )
    .await;
    let item = a["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Gut lesbarer Titel")
        .unwrap()
        .clone();
    one_line_or_422(
        &mut failures,
        &app,
        &coordinator,
        Method::PATCH,
        &format!("/api/v1/funding/checklist/{}", item["id"].as_str().unwrap()),
        item["version"].as_i64(),
        "title",
        |v| json!({"title": v}),
    )
    .await;
    one_line_or_422(
        &mut failures,
        &app,
        &coordinator,
        Method::POST,
        &format!("/api/v1/funding/programmes/{pid}/calls"),
        None,
        "title",
        |v| json!({"title": v, "deadline_date": "2027-09-30"}),
    )
    .await;
    let programme: Value = app
        .get(&coordinator, &format!("/api/v1/funding/programmes/{pid}"))
        .await
        .json()
        .await
        .unwrap();
    one_line_or_422(
        &mut failures,
        &app,
        &coordinator,
        Method::PATCH,
        &format!("/api/v1/funding/programmes/{pid}"),
        programme["version"].as_i64(),
        "name",
        |v| json!({"name": v}),
    )
    .await;

    // Support request, strategy goal field and measure, EfA solution and adoption, process.
    one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::POST,
        "/api/v1/support/requests",
        None,
        "title",
        |v| json!({"category": "it_security", "title": v, "description": "Bitte helfen."}),
    )
    .await;
    let strategy = one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::POST,
        &format!("/api/v1/strategies/municipality/{brakel_town}/goal-fields"),
        None,
        "title",
        |v| json!({"title": v}),
    )
    .await;
    let gid = strategy["goal_fields"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::PATCH,
        &format!("/api/v1/goal-fields/{gid}"),
        strategy["goal_fields"][0]["version"].as_i64(),
        "title",
        |v| json!({"title": v}),
    )
    .await;
    one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::POST,
        &format!("/api/v1/goal-fields/{gid}/measures"),
        None,
        "title",
        |v| json!({"title": v}),
    )
    .await;
    let solution = one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::POST,
        "/api/v1/efa/solutions",
        None,
        "name",
        |v| json!({"name": v, "status": "pilot"}),
    )
    .await;
    one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::POST,
        &format!(
            "/api/v1/efa/solutions/{}/adoptions",
            solution["id"].as_str().unwrap()
        ),
        None,
        "contact_name",
        |v| json!({"contact_name": v}),
    )
    .await;
    one_line_or_422(
        &mut failures,
        &app,
        &coordinator,
        Method::POST,
        "/api/v1/processes",
        None,
        "name",
        |v| json!({"name": v}),
    )
    .await;

    // Districts and towns, an import token, the own name.
    let district = one_line_or_422(
        &mut failures,
        &app,
        &admin,
        Method::POST,
        "/api/v1/districts",
        None,
        "name",
        |v| json!({"key": "05774", "name": v}),
    )
    .await;
    one_line_or_422(
        &mut failures,
        &app,
        &admin,
        Method::POST,
        "/api/v1/municipalities",
        None,
        "name",
        |v| json!({"district_id": district["id"], "ags": "05774012", "name": v, "kind": "town"}),
    )
    .await;
    one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::POST,
        "/api/v1/usage/tokens",
        None,
        "name",
        |v| json!({"municipality_id": brakel_town, "name": v}),
    )
    .await;
    one_line_or_422(
        &mut failures,
        &app,
        &brakel,
        Method::PATCH,
        "/api/v1/me",
        brakel.me["version"].as_i64(),
        "name",
        |v| json!({"name": v}),
    )
    .await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
