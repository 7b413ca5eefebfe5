//! The authorisation matrix, first dimension (#14): every operation of the OpenAPI
//! document, called without a sign-in, answers 401 unless it is in the short list of
//! public operations below, and every public one answers without a server error. A new
//! route is covered the moment it is documented; making a route public means adding it
//! here, on purpose.
use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::both_backends;
use crate::common::TestApp;

both_backends!(
    every_route_refuses_anonymous_callers_unless_it_is_public,
    another_districts_officer_gets_nothing_of_a_town_private_project,
);

/// Operations anyone may call (security `[{}]` in the document), as "METHOD path".
/// SCIM and the usage push API are not here: they take their own bearer token and
/// answer 401 without it.
const PUBLIC: &[&str] = &[
    "GET /healthz",
    "GET /readyz",
    "GET /api/v1/openapi.json",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/logout",
    "POST /api/v1/auth/password-reset",
    "POST /api/v1/auth/password-reset/confirm",
    "GET /api/v1/auth/methods",
    "GET /api/v1/auth/oidc/{id}/start",
    "GET /api/v1/auth/oidc/{id}/callback",
    "GET /api/v1/auth/oidc/attempts/{id}",
    "POST /api/v1/auth/oidc/link",
    "POST /api/v1/auth/oidc/{id}/backchannel-logout",
    "GET /api/v1/invitations/token/{token}",
    "POST /api/v1/invitations/token/{token}/accept",
    "GET /api/v1/unsubscribe/{token}",
    "POST /api/v1/unsubscribe/{token}",
    "GET /api/v1/calendar/{file}",
    "GET /api/v1/legal/{page}",
    "GET /api/v1/public/feed.atom",
    "GET /api/v1/public/projects",
    "GET /api/v1/public/projects/{id}",
    "GET /api/v1/usage/public/open-data.csv",
    "GET /api/v1/usage/public/services",
];

/// A value the route's parser accepts for a path parameter, so that the answer is about
/// the sign-in and not about a malformed path.
fn sample(param: &str) -> &'static str {
    match param {
        "year" => "2025",
        "kind" => "district",
        "page" => "impressum",
        "file" => "token.ics",
        "token" => "dGhpcy1pcy1ub3QtYS1yZWFsLXRva2VuLWF0LWFsbC0xMjM0",
        "leika_key" => "99001001001000",
        "ozg_id" => "1",
        _ => "01a237a4-13a0-74fb-a5c4-1173434df513",
    }
}

fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .unwrap_or(rest.len());
        out.push_str(sample(&rest[start + 1..end]));
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

fn is_public(op: &Value, doc: &Value) -> bool {
    let security = op.get("security").unwrap_or(&doc["security"]);
    security.as_array().is_some_and(|reqs| {
        reqs.iter()
            .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
    })
}

async fn every_route_refuses_anonymous_callers_unless_it_is_public(app: TestApp) {
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let listed: BTreeSet<&str> = PUBLIC.iter().copied().collect();
    let mut documented_public = BTreeSet::new();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(m) = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            let route = format!("{} {path}", m.as_str());
            if is_public(op, &doc) {
                documented_public.insert(route);
                continue;
            }
            let mut req = anon.request(m.clone(), app.url(&concrete(path)));
            if m != reqwest::Method::GET && m != reqwest::Method::DELETE {
                req = req
                    .header("content-type", "application/json")
                    .body(json!({}).to_string());
            }
            let resp = req.send().await.unwrap();
            checked += 1;
            let status = resp.status().as_u16();
            if status != 401 {
                let body = resp.text().await.unwrap_or_default();
                wrong.push(format!(
                    "{route}: {status} {}",
                    body.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    assert!(checked > 150, "only {checked} secured operations found");
    assert!(
        wrong.is_empty(),
        "without a sign-in these answered something other than 401:\n{}",
        wrong.join("\n")
    );
    let unlisted: Vec<&String> = documented_public
        .iter()
        .filter(|r| !listed.contains(r.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "public in the document but not in the PUBLIC list of this test: {unlisted:?}"
    );
    // Every public operation answers an anonymous caller without a server error.
    for route in &documented_public {
        let (method, path) = route.split_once(' ').unwrap();
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = anon.request(m.clone(), app.url(&concrete(path)));
        if m != reqwest::Method::GET {
            req = req
                .header("content-type", "application/json")
                .body(json!({}).to_string());
        }
        let status = req.send().await.unwrap().status();
        assert!(!status.is_server_error(), "{route}: {status}");
    }
}

/// Every GET operation about a project, called by another district's officer with the
/// id of a Brakel project only Brakel may read: 404, and nothing of the project in any
/// answer.
async fn another_districts_officer_gets_nothing_of_a_town_private_project(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let secret = "Geheimer Entwurf Kanalkataster Brakel";
    let resp = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({
                "title": secret,
                "summary": "Nur für Brakel.",
                "visibility": "private",
            }),
        )
        .await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let project: Value = resp.json().await.unwrap();
    let id = project["id"].as_str().unwrap().to_string();
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let other = app.other_district_officer().await;
    let mut checked = 0;
    let mut leaks = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/projects/{id}") || item.get("get").is_none() {
            continue;
        }
        let url = concrete(path).replace(sample("id"), &id);
        let resp = app.get(&other, &url).await;
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        checked += 1;
        if status != 404 || body.contains(secret) {
            leaks.push(format!("GET {path}: {status}"));
        }
    }
    assert!(checked >= 8, "only {checked} project routes");
    assert!(
        leaks.is_empty(),
        "another district saw the project: {leaks:?}"
    );
    // The lists and the search do not name it either.
    for path in [
        "/api/v1/projects?limit=100",
        "/api/v1/projects?q=Kanalkataster",
        "/api/v1/public/projects?q=Kanalkataster",
        "/api/v1/projects/export.csv",
    ] {
        let body = app.get(&other, path).await.text().await.unwrap();
        assert!(!body.contains(secret), "{path} names the project");
    }
}
