//! The OpenAPI document is valid 3.1 and covers every route.
use std::collections::BTreeSet;

use serde_json::Value;

use crate::both_backends;
use crate::common::TestApp;

both_backends!(
    openapi_document_is_complete,
    real_answers_match_the_published_schemas,
);

/// Every route the server answers, as "METHOD path".
const ROUTES: &[&str] = &[
    "GET /healthz",
    "GET /readyz",
    "GET /api/v1/openapi.json",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/refresh",
    "GET /api/v1/auth/methods",
    "GET /api/v1/auth/oidc/{id}/start",
    "GET /api/v1/auth/oidc/{id}/callback",
    "GET /api/v1/auth/oidc/attempts/{id}",
    "POST /api/v1/auth/oidc/link",
    "POST /api/v1/auth/oidc/{id}/backchannel-logout",
    "POST /api/v1/admin/sso/dry-run",
    "GET /scim/v2/{id}/ServiceProviderConfig",
    "GET /scim/v2/{id}/Users",
    "POST /scim/v2/{id}/Users",
    "GET /scim/v2/{id}/Users/{user}",
    "PUT /scim/v2/{id}/Users/{user}",
    "PATCH /scim/v2/{id}/Users/{user}",
    "DELETE /scim/v2/{id}/Users/{user}",
    "POST /api/v1/auth/logout",
    "POST /api/v1/auth/password-reset",
    "POST /api/v1/auth/password-reset/confirm",
    "GET /api/v1/me",
    "PATCH /api/v1/me",
    "DELETE /api/v1/me",
    "POST /api/v1/me/password",
    "GET /api/v1/me/data",
    "GET /api/v1/users",
    "GET /api/v1/users/{id}",
    "PATCH /api/v1/users/{id}",
    "GET /api/v1/invitations",
    "POST /api/v1/invitations",
    "DELETE /api/v1/invitations/{id}",
    "GET /api/v1/invitations/token/{token}",
    "POST /api/v1/invitations/token/{token}/accept",
    "GET /api/v1/districts",
    "POST /api/v1/districts",
    "GET /api/v1/districts/{id}",
    "PATCH /api/v1/districts/{id}",
    "GET /api/v1/municipalities",
    "POST /api/v1/municipalities",
    "GET /api/v1/municipalities/{id}",
    "PATCH /api/v1/municipalities/{id}",
    "GET /api/v1/audit",
    "GET /api/v1/ozg/themenfelder",
    "GET /api/v1/ozg/lebenslagen",
    "GET /api/v1/ozg/services",
    "GET /api/v1/ozg/services/{ozg_id}",
    "GET /api/v1/topics",
    "GET /api/v1/projects",
    "POST /api/v1/projects",
    "GET /api/v1/projects/export.csv",
    "GET /api/v1/projects/export.xlsx",
    "GET /api/v1/projects/{id}",
    "PATCH /api/v1/projects/{id}",
    "POST /api/v1/projects/{id}/status",
    "GET /api/v1/projects/{id}/timeline",
    "GET /api/v1/projects/{id}/versions",
    "POST /api/v1/projects/similar",
    "GET /api/v1/projects/{id}/similar",
    "POST /api/v1/projects/{id}/partners",
    "POST /api/v1/projects/{id}/partners/{municipality_id}/accept",
    "DELETE /api/v1/projects/{id}/partners/{municipality_id}",
    "GET /api/v1/projects/{id}/updates",
    "POST /api/v1/projects/{id}/updates",
    "GET /api/v1/projects/{id}/comments",
    "POST /api/v1/projects/{id}/comments",
    "GET /api/v1/projects/{id}/mentionable",
    "GET /api/v1/projects/{id}/attachments",
    "POST /api/v1/projects/{id}/attachments",
    "GET /api/v1/projects/{id}/attachments/{attachment_id}",
    "DELETE /api/v1/projects/{id}/attachments/{attachment_id}",
    "GET /api/v1/funding/applications/{id}/documents",
    "POST /api/v1/funding/applications/{id}/documents",
    "GET /api/v1/funding/applications/{id}/documents/{document_id}",
    "DELETE /api/v1/funding/applications/{id}/documents/{document_id}",
    "GET /api/v1/support/requests/{id}/attachments",
    "POST /api/v1/support/requests/{id}/attachments",
    "GET /api/v1/support/requests/{id}/attachments/{attachment_id}",
    "DELETE /api/v1/support/requests/{id}/attachments/{attachment_id}",
    "PUT /api/v1/projects/{id}/follow",
    "DELETE /api/v1/projects/{id}/follow",
    "GET /api/v1/public/projects",
    "GET /api/v1/public/projects/{id}",
    "GET /api/v1/public/feed.atom",
    "GET /api/v1/legal/{page}",
    "GET /api/v1/efa/solutions",
    "POST /api/v1/efa/solutions",
    "GET /api/v1/efa/solutions/{id}",
    "PATCH /api/v1/efa/solutions/{id}",
    "POST /api/v1/efa/solutions/{id}/publish",
    "POST /api/v1/efa/solutions/{id}/adoptions",
    "POST /api/v1/efa/solutions/{id}/reports",
    "GET /api/v1/efa/matrix",
    "GET /api/v1/efa/matrix.csv",
    "GET /api/v1/efa/matrix.xlsx",
    "GET /api/v1/efa/coverage",
    "GET /api/v1/adoptions/{id}",
    "PATCH /api/v1/adoptions/{id}",
    "POST /api/v1/adoptions/{id}/status",
    "GET /api/v1/adoptions/{id}/history",
    "GET /api/v1/strategies/{kind}/{id}",
    "POST /api/v1/strategies/{kind}/{id}/goal-fields",
    "PATCH /api/v1/goal-fields/{id}",
    "DELETE /api/v1/goal-fields/{id}",
    "POST /api/v1/goal-fields/{id}/measures",
    "PATCH /api/v1/measures/{id}",
    "POST /api/v1/measures/{id}/status",
    "DELETE /api/v1/measures/{id}",
    "GET /api/v1/support/requests",
    "POST /api/v1/support/requests",
    "GET /api/v1/support/requests/{id}",
    "POST /api/v1/support/requests/{id}/messages",
    "POST /api/v1/support/requests/{id}/assign",
    "POST /api/v1/support/requests/{id}/status",
    "GET /api/v1/support/workload",
    "GET /api/v1/dashboard/district",
    "GET /api/v1/dashboard/town",
    "GET /api/v1/me/today",
    "GET /api/v1/notifications",
    "GET /api/v1/notifications/unread-count",
    "POST /api/v1/notifications/{id}/read",
    "POST /api/v1/notifications/read-all",
    "GET /api/v1/me/notification-settings",
    "PUT /api/v1/me/notification-settings",
    "GET /api/v1/me/digest/preview",
    "GET /api/v1/unsubscribe/{token}",
    "POST /api/v1/unsubscribe/{token}",
    "GET /api/v1/admin/outbox",
    "POST /api/v1/admin/outbox/{id}/retry",
    "GET /api/v1/funding/programmes",
    "GET /api/v1/funding/programmes/{id}",
    "PATCH /api/v1/funding/programmes/{id}",
    "POST /api/v1/funding/programmes/{id}/calls",
    "DELETE /api/v1/funding/calls/{id}",
    "POST /api/v1/funding/programmes/{id}/interest",
    "GET /api/v1/funding/applications",
    "POST /api/v1/funding/applications",
    "GET /api/v1/funding/applications/{id}",
    "PATCH /api/v1/funding/applications/{id}",
    "POST /api/v1/funding/applications/{id}/status",
    "POST /api/v1/funding/applications/{id}/checklist",
    "PATCH /api/v1/funding/checklist/{id}",
    "GET /api/v1/funding/overview",
    "GET /api/v1/funding/overview.csv",
    "GET /api/v1/funding/overview.xlsx",
    "POST /api/v1/me/calendar-token",
    "GET /api/v1/calendar/{file}",
    "POST /api/v1/usage/import/preview",
    "POST /api/v1/usage/imports",
    "GET /api/v1/usage/imports",
    "GET /api/v1/usage/manual",
    "POST /api/v1/usage/manual",
    "GET /api/v1/usage/services",
    "GET /api/v1/usage/tokens",
    "POST /api/v1/usage/tokens",
    "DELETE /api/v1/usage/tokens/{id}",
    "POST /api/v1/usage/push",
    "GET /api/v1/usage/sharing",
    "PUT /api/v1/usage/sharing",
    "GET /api/v1/usage/towns/{id}/series",
    "GET /api/v1/usage/towns/{id}/series.csv",
    "GET /api/v1/usage/districts/{id}/heatmap",
    "GET /api/v1/usage/districts/{id}/heatmap.csv",
    "GET /api/v1/usage/districts/{id}/totals",
    "GET /api/v1/usage/districts/{id}/totals.csv",
    "GET /api/v1/usage/districts/{id}/potential",
    "GET /api/v1/usage/districts/{id}/potential.csv",
    "GET /api/v1/usage/districts/{id}/anomalies",
    "GET /api/v1/usage/districts/{id}/anomalies.csv",
    "GET /api/v1/usage/maturity/models",
    "POST /api/v1/usage/maturity/assessments",
    "GET /api/v1/usage/maturity/assessments",
    "GET /api/v1/usage/districts/{id}/maturity",
    "GET /api/v1/usage/districts/{id}/maturity.csv",
    "GET /api/v1/usage/public/open-data.csv",
    "GET /api/v1/usage/public/services",
    "GET /api/v1/usage/efa/{id}",
    "GET /api/v1/processes/candidates",
    "GET /api/v1/processes/continuity/offline",
    "GET /api/v1/processes/{id}/profiles",
    "PUT /api/v1/processes/{id}/profiles/{municipality_id}/{year}",
    "POST /api/v1/processes/{id}/project-draft",
    "GET /api/v1/processes/{id}/continuity/{municipality_id}",
    "PUT /api/v1/processes/{id}/continuity/{municipality_id}",
    "POST /api/v1/processes/{id}/continuity/{municipality_id}/confirm",
    "GET /api/v1/processes/{id}/continuity/{municipality_id}/exercises",
    "POST /api/v1/processes/{id}/continuity/{municipality_id}/exercises",
    "GET /api/v1/processes",
    "GET /api/v1/processes/export.csv",
    "GET /api/v1/processes/deviations",
    "POST /api/v1/processes/import",
    "POST /api/v1/processes/similar",
    "POST /api/v1/processes",
    "GET /api/v1/processes/{id}",
    "PUT /api/v1/processes/{id}",
    "PUT /api/v1/processes/{id}/offices/{municipality_id}",
    "PUT /api/v1/processes/{id}/projects",
    "GET /api/v1/processes/{id}/models",
    "POST /api/v1/processes/{id}/models",
    "GET /api/v1/processes/{id}/models/{model_id}/bpmn",
    "GET /api/v1/processes/{id}/models/{model_id}/comparison",
    "PUT /api/v1/processes/{id}/differences/{difference_id}",
    "GET /api/v1/processes/{id}/files",
    "POST /api/v1/processes/{id}/files",
    "GET /api/v1/processes/{id}/files/{file_id}",
    "DELETE /api/v1/processes/{id}/files/{file_id}",
];

fn collect_refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                if k == "$ref" {
                    if let Some(s) = val.as_str() {
                        out.insert(s.to_string());
                    }
                } else {
                    collect_refs(val, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

async fn openapi_document_is_complete(app: TestApp) {
    let resp = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let doc: Value = resp.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());

    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            documented.insert(format!("{} {}", method.to_uppercase(), path));
        }
    }
    let ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| {
            item.as_object()
                .unwrap()
                .values()
                .filter_map(|op| op["operationId"].as_str())
        })
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "operationIds must be unique (the generated client relies on them)"
    );
    // Every operation says what it does and who may call it; every description names
    // an operation that exists.
    let described: BTreeSet<&str> = digitalnetzwerk::openapi_descriptions::DESCRIPTIONS
        .iter()
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(described, unique, "descriptions and operations differ");
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            assert!(
                op["description"].as_str().is_some_and(|d| d.len() > 20),
                "{} has no description",
                op["operationId"]
            );
            // Problems are sent as application/problem+json, and documented so.
            for (status, resp) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    if let Some(content) = resp["content"].as_object() {
                        assert!(
                            !content.contains_key("application/json"),
                            "{} {status} is documented as application/json",
                            op["operationId"]
                        );
                    }
                }
            }
        }
    }
    // Sign-in and the other public endpoints need no token.
    for (path, method) in [
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/password-reset", "post"),
        ("/api/v1/invitations/token/{token}", "get"),
        ("/api/v1/legal/{page}", "get"),
        ("/api/v1/usage/public/open-data.csv", "get"),
        ("/api/v1/usage/public/services", "get"),
    ] {
        assert_eq!(
            doc["paths"][path][method]["security"],
            serde_json::json!([{}]),
            "{method} {path}"
        );
    }
    assert!(doc["servers"].as_array().is_some_and(|s| !s.is_empty()));
    // A known path with a method it lacks answers 405 and names the methods it has; an
    // unknown path stays 404.
    let resp = app
        .client
        .put(app.url("/api/v1/projects"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    let allow = resp
        .headers()
        .get("allow")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        allow.contains("GET") && allow.contains("POST") && !allow.contains("PUT"),
        "{allow}"
    );
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let resp = app
        .client
        .delete(app.url("/api/v1/projects/irgendeins/comments"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    let resp = app
        .client
        .get(app.url("/api/v1/gibt-es-nicht"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    // If-Match: * would overwrite whatever is there: a change must name its version.
    let s = app.login("digital@brakel.example").await;
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&s.token)
        .header("If-Match", "*")
        .json(&serde_json::json!({"name": "Lena Vogt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 428);
    assert!(doc["info"]["contact"]["name"].is_string());
    let expected: BTreeSet<String> = ROUTES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        documented, expected,
        "documented routes differ from the served ones"
    );

    // Every documented route is really served (none answers with the router's 404).
    for route in ROUTES {
        let (method, path) = route.split_once(' ').unwrap();
        let path = path
            .replace("{id}", "x")
            .replace("{token}", "x")
            .replace("{ozg_id}", "10000")
            .replace("{municipality_id}", "x")
            .replace("{attachment_id}", "x")
            .replace("{document_id}", "x")
            .replace("{kind}", "district")
            .replace("{file}", "x.ics");
        let req = app.client.request(method.parse().unwrap(), app.url(&path));
        let resp = req
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        assert!(
            !(status == 404 && body.contains("keine Schnittstelle")) && status != 405,
            "{route} is documented but not served ({status})"
        );
    }

    // Every $ref resolves.
    let mut refs = BTreeSet::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected ref {r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {r}"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// The schema of the 200 answer of `GET path` in the document.
fn answer_schema<'a>(doc: &'a Value, path: &str) -> &'a Value {
    let schema =
        &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "GET {path} documents no JSON answer");
    schema
}

/// #14 point 9a: the document said `FieldChange.from`/`to` were objects while the
/// server sends strings, numbers, lists and null. Real answers, with every kind of
/// value a version holds, are checked against the schemas the server publishes (not
/// the committed snapshot), so a declaration that does not match what the handler
/// sends fails here.
async fn real_answers_match_the_published_schemas(app: TestApp) {
    use crate::common::schema::{component, violations};
    use serde_json::json;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let brakel = app.login("digital@brakel.example").await;
    let r = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({
                "title": "Digitale Bauakte",
                "summary": "Bauakten digital führen.",
                "budget_cents": 1_250_000i64,
                "planned_start": "2027-02-01",
                "tags": ["Bauen"],
            }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Text, a number to null, a date to another, a list to a longer one.
    let r = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{id}"),
            Some(1),
            json!({
                "title": "Digitale Bauakte für alle",
                "budget_cents": null,
                "planned_start": "2027-03-01",
                "tags": ["Bauen", "Akten"],
            }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // And a null back to a number.
    let r = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{id}"),
            Some(2),
            json!({"budget_cents": 990_000i64}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let versions: Value = app
        .get(&brakel, &format!("/api/v1/projects/{id}/versions"))
        .await
        .json()
        .await
        .unwrap();
    // The answer holds every kind of value, so the check below sees each of them.
    let values: Vec<&Value> = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["changes"].as_array().unwrap())
        .flat_map(|c| [&c["from"], &c["to"]])
        .collect();
    for (kind, seen) in [
        ("text", values.iter().any(|v| v.is_string())),
        ("number", values.iter().any(|v| v.is_number())),
        ("list", values.iter().any(|v| v.is_array())),
        ("null", values.iter().any(|v| v.is_null())),
    ] {
        assert!(seen, "no change with a {kind} value: {versions}");
    }
    let schema = answer_schema(&doc, "/api/v1/projects/{id}/versions");
    let wrong = violations(&doc, schema, &versions);
    assert!(
        wrong.is_empty(),
        "GET /projects/{{id}}/versions does not match its schema:\n{}",
        wrong.join("\n")
    );
    // Each change on its own against the component, as a client generator uses it.
    for change in versions["items"][0]["changes"].as_array().unwrap() {
        let wrong = violations(&doc, &component("FieldChange"), change);
        assert!(wrong.is_empty(), "{change}: {wrong:?}");
    }
    // The checker is not blind: an object where the schema wants text is refused.
    let mut broken = versions.clone();
    broken["items"][0]["changes"][0]["field"] = json!({"x": 1});
    assert!(!violations(&doc, schema, &broken).is_empty());

    // The other answers about the project, read the same way.
    for path in [
        "/api/v1/projects/{id}",
        "/api/v1/projects/{id}/timeline",
        "/api/v1/projects",
    ] {
        let body: Value = app
            .get(&brakel, &path.replace("{id}", &id))
            .await
            .json()
            .await
            .unwrap();
        let wrong = violations(&doc, answer_schema(&doc, path), &body);
        assert!(
            wrong.is_empty(),
            "GET {path} does not match its schema:\n{}",
            wrong.join("\n")
        );
    }
}
