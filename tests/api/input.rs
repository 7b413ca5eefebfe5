//! Bad input gets problem+json naming the field, and nothing is written.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, TestApp};

both_backends!(
    bad_input_is_refused_with_field_errors_and_changes_nothing,
    list_parameters_are_checked,
    control_characters_and_invisible_titles_are_refused,
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
