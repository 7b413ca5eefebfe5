//! The authorisation matrix, first dimension (#14): every operation of the OpenAPI
//! document, called without a sign-in, answers 401 unless it is in the short list of
//! public operations below, and every public one answers without a server error. A new
//! route is covered the moment it is documented; making a route public means adding it
//! here, on purpose.
use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(
    every_route_refuses_anonymous_callers_unless_it_is_public,
    another_districts_officer_gets_nothing_of_a_town_private_project,
    every_route_hides_hidden_objects_from_every_outside_actor,
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

/// Path parameters that name objects this matrix hides, by the route's prefix: the
/// parameter `{id}` right after the prefix takes the hidden object's id.
const HIDDEN_FAMILIES: &[(&str, Family)] = &[
    ("/api/v1/projects/{id}", Family::Project),
    ("/api/v1/public/projects/{id}", Family::Project),
    ("/api/v1/funding/applications/{id}", Family::Application),
    ("/api/v1/support/requests/{id}", Family::Support),
];

/// Routes with path parameters that do not name one of the hidden objects above, with
/// why: they are called with a made-up id (so 404 or a refusal, never a server error)
/// and their answers are searched for the markers like every other answer.
const OTHER_OBJECTS: &[(&str, &str)] = &[
    (
        "/api/v1/admin/outbox/{id}",
        "outbox entries are admin-only, listed via GET /admin/outbox",
    ),
    (
        "/api/v1/adoptions/{id}",
        "EfA adoptions are district-wide objects, not hidden",
    ),
    ("/api/v1/auth/oidc/", "sign-in flows, public by design"),
    (
        "/api/v1/calendar/{file}",
        "secret calendar URL, public by design",
    ),
    ("/api/v1/districts/{id}", "districts are known network-wide"),
    (
        "/api/v1/efa/solutions/{id}",
        "the EfA catalogue is network-wide",
    ),
    (
        "/api/v1/funding/calls/{id}",
        "funding calls are a network-wide catalogue",
    ),
    (
        "/api/v1/funding/checklist/{id}",
        "checklist item of an application; application routes are covered",
    ),
    (
        "/api/v1/funding/programmes/{id}",
        "funding programmes are a network-wide catalogue",
    ),
    (
        "/api/v1/goal-fields/{id}",
        "strategy objects; strategies are district-readable",
    ),
    (
        "/api/v1/measures/{id}",
        "strategy objects; strategies are district-readable",
    ),
    (
        "/api/v1/strategies/{kind}/{id}",
        "strategies are district-readable",
    ),
    (
        "/api/v1/invitations/",
        "invitations are the inviter's own objects or token-bound",
    ),
    ("/api/v1/legal/{page}", "public pages"),
    (
        "/api/v1/municipalities/{id}",
        "towns are known network-wide",
    ),
    ("/api/v1/notifications/{id}", "a user's own notifications"),
    (
        "/api/v1/ozg/services/{ozg_id}",
        "the OZG catalogue is public knowledge",
    ),
    (
        "/api/v1/processes/{id}",
        "the process register is district-readable (no hidden process set up here)",
    ),
    (
        "/api/v1/unsubscribe/{token}",
        "token-bound, public by design",
    ),
    (
        "/api/v1/usage/",
        "usage figures have their own sharing rules (tests/api/usage.rs)",
    ),
    (
        "/api/v1/users/{id}",
        "user directory, covered by tests/api/accounts.rs",
    ),
    ("/scim/v2/{id}", "SCIM takes its own token"),
];

/// Writes without a path parameter act on the caller's own scope (create, own
/// settings, sign-out); they name no hidden object and are not sent, except these
/// read-like POSTs, which answer with hints from other projects and are searched.
const READ_LIKE_POSTS: &[(&str, &str)] = &[
    (
        "/api/v1/projects/similar",
        r#"{"title": "MARK", "summary": "MARK"}"#,
    ),
    (
        "/api/v1/processes/similar",
        r#"{"title": "MARK", "description": "MARK"}"#,
    ),
];

/// Writes on a hidden id that may succeed, with why: they answer exactly as for an id
/// that does not exist (checked below), so they tell nothing about the hidden object.
const SAME_FOR_ANY_ID: &[(&str, &str)] = &[(
    "DELETE /api/v1/projects/{id}/follow",
    "unfollowing is idempotent (204 for any id), so a user can drop a follow of a project hidden since",
)];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Project,
    Application,
    Support,
}

const MARK_PROJECT: &str = "Zwergflamingo Geheimentwurf";
const MARK_NOTES: &str = "Zwergflamingo Antragsnotiz";
const MARK_SUPPORT: &str = "Zwergflamingo Hilfeersuchen";

struct Actor {
    name: &'static str,
    session: Session,
    /// Objects this actor may not read at all (404 on every route about them).
    hidden: Vec<Family>,
    /// Markers no answer to this actor may contain.
    marks: Vec<&'static str>,
}

fn family_of(path: &str) -> Option<Result<Family, &'static str>> {
    if !path.contains('{') {
        return None;
    }
    for (prefix, f) in HIDDEN_FAMILIES {
        if path == *prefix || path.starts_with(&format!("{prefix}/")) {
            return Some(Ok(*f));
        }
    }
    for (prefix, reason) in OTHER_OBJECTS {
        if path.starts_with(prefix) {
            return Some(Err(reason));
        }
    }
    panic!("{path}: path parameters not classified; add it to HIDDEN_FAMILIES or OTHER_OBJECTS");
}

/// The hidden objects as their owners see them, to prove that no write changed them.
async fn snapshot(
    app: &TestApp,
    owner: &Session,
    coord: &Session,
    ids: &[String; 3],
) -> Vec<String> {
    let [p, a, s] = ids;
    let mut out = Vec::new();
    for (who, path) in [
        (owner, format!("/api/v1/projects/{p}")),
        (owner, format!("/api/v1/projects/{p}/updates")),
        (owner, format!("/api/v1/projects/{p}/comments")),
        (owner, format!("/api/v1/projects/{p}/attachments")),
        (coord, format!("/api/v1/funding/applications/{a}")),
        (owner, format!("/api/v1/support/requests/{s}")),
        (owner, format!("/api/v1/support/requests/{s}/attachments")),
    ] {
        let r = app.get(who, &path).await;
        assert_eq!(r.status(), 200, "{path}");
        let mut v: Value = r.json().await.unwrap();
        // Who follows or has read what is not part of the object.
        if let Some(o) = v.as_object_mut() {
            o.remove("following");
        }
        out.push(format!("{path}: {v}"));
    }
    out
}

/// Acceptance 1 of #14: hidden objects with unique markers (a private Brakel project
/// with a progress update and a comment, private notes of a Brakel funding application,
/// a Brakel support request); every operation of the OpenAPI document, with the hidden
/// ids in its path, called by another town's officer and member of the same district,
/// by another district's officer, and by the district's coordinator and the admin for
/// the private project. Reads about a hidden object answer 404 (never 403, never 200);
/// no answer of any read (lists, search, exports, audit, outbox, notifications, feeds)
/// contains a marker the actor may not see; writes on hidden ids answer 403/404/422 and
/// leave the objects as they were.
async fn every_route_hides_hidden_objects_from_every_outside_actor(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel_town = app.municipality_id("05762016").await;
    // A colleague of the own town, mentioned in a comment: the mail names the project.
    let martin = app.login("team@brakel.example").await.me["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": MARK_PROJECT, "summary": format!("{MARK_PROJECT}, nur für Brakel."), "visibility": "private"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let project: Value = r.json().await.unwrap();
    let pid = project["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/projects/{pid}/updates"),
            json!({"title": format!("{MARK_PROJECT} Fortschritt"), "body": format!("{MARK_PROJECT} läuft.")}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/projects/{pid}/comments"),
            json!({"body": format!("@[Martin Klein]({martin}) {MARK_PROJECT} prüfen")}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    digitalnetzwerk::funding::seed::import_reference_programmes(&mut app.conn()).unwrap();
    let programmes: Value = app
        .get(&coordinator, "/api/v1/funding/programmes?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let programme = programmes["items"][0]["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &coordinator,
            "/api/v1/funding/applications",
            json!({
                "programme_id": programme,
                "title": "Antrag Brakel Breitband",
                "lead_municipality_id": brakel_town,
                "total_costs_cents": 1_000_000i64,
                "requested_cents": 0i64,
                "shares": [{"municipality_id": brakel_town, "share_cents": 1_000_000i64}],
                "notes": MARK_NOTES,
            }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let aid = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &brakel,
            "/api/v1/support/requests",
            json!({"category": "it_security", "title": MARK_SUPPORT, "description": format!("{MARK_SUPPORT}: bitte helfen.")}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sid = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ids = [pid.clone(), aid.clone(), sid.clone()];
    let before = snapshot(&app, &brakel, &coordinator, &ids).await;

    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let all_marks = vec![MARK_PROJECT, MARK_NOTES, MARK_SUPPORT];
    let actors = vec![
        Actor {
            name: "Warburg officer",
            session: app.login("digital@warburg.example").await,
            hidden: vec![Family::Project, Family::Support],
            marks: all_marks.clone(),
        },
        Actor {
            name: "Warburg member",
            session: app.login("team@warburg.example").await,
            hidden: vec![Family::Project, Family::Support],
            marks: all_marks.clone(),
        },
        Actor {
            name: "other district's officer",
            session: app.other_district_officer().await,
            hidden: vec![Family::Project, Family::Application, Family::Support],
            marks: all_marks.clone(),
        },
        Actor {
            name: "coordinator",
            session: coordinator.clone(),
            hidden: vec![Family::Project],
            marks: vec![MARK_PROJECT],
        },
        Actor {
            name: "admin",
            session: app.login("admin@digitalnetzwerk.example").await,
            hidden: vec![Family::Project],
            marks: vec![MARK_PROJECT],
        },
    ];
    let mut problems = Vec::new();
    let mut calls = 0;
    for actor in &actors {
        for (path, item) in doc["paths"].as_object().unwrap() {
            let family = family_of(path);
            for (method, op) in item.as_object().unwrap() {
                let Ok(m) = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()) else {
                    continue;
                };
                if is_public(op, &doc) && m != reqwest::Method::GET {
                    continue;
                }
                let read = m == reqwest::Method::GET;
                let hidden_id = match family {
                    Some(Ok(f)) => Some((
                        f,
                        match f {
                            Family::Project => &pid,
                            Family::Application => &aid,
                            Family::Support => &sid,
                        },
                    )),
                    _ => None,
                };
                let read_like = READ_LIKE_POSTS.iter().find(|(p, _)| p == path);
                if !read && hidden_id.is_some_and(|(f, _)| !actor.hidden.contains(&f)) {
                    // The actor may work on this object (the coordinator on applications):
                    // its writes are allowed and covered by the capability's own tests.
                    continue;
                }
                if !read && hidden_id.is_none() && read_like.is_none() {
                    // A write without a hidden object in its path: see READ_LIKE_POSTS.
                    continue;
                }
                let mut url = concrete(path);
                if let Some((_, id)) = hidden_id {
                    url = url.replacen(sample("id"), id, 1);
                }
                let mut req = app
                    .client
                    .request(m.clone(), app.url(&url))
                    .bearer_auth(&actor.session.token);
                if !read {
                    let body = match read_like {
                        Some((_, b)) => b.replace("MARK", "Zwergflamingo"),
                        None if path.ends_with("/comments") || path.ends_with("/messages") => {
                            json!({"body": "Eindringling"}).to_string()
                        }
                        None if path.ends_with("/updates") => {
                            json!({"title": "Eindringling", "body": "Eindringling"}).to_string()
                        }
                        None => json!({}).to_string(),
                    };
                    req = req
                        .header("content-type", "application/json")
                        .header("if-match", "\"1\"")
                        .body(body);
                }
                let resp = req.send().await.unwrap();
                calls += 1;
                let status = resp.status().as_u16();
                let body = resp.text().await.unwrap_or_default();
                let route = format!("{} {path} as {}", m.as_str(), actor.name);
                if status >= 500 {
                    problems.push(format!("{route}: {status}"));
                }
                if let Some(mark) = actor.marks.iter().find(|k| body.contains(**k)) {
                    problems.push(format!("{route}: {status}, answer contains „{mark}“"));
                }
                let hidden = hidden_id.is_some_and(|(f, _)| actor.hidden.contains(&f));
                if hidden && read && status != 404 {
                    problems.push(format!("{route}: {status} instead of 404"));
                }
                let op_name = format!("{} {path}", m.as_str());
                if hidden && !read && !matches!(status, 403 | 404 | 422) {
                    if SAME_FOR_ANY_ID.iter().any(|(o, _)| *o == op_name) {
                        // Proof that the answer does not depend on the object: a made-up id.
                        let made_up = app
                            .client
                            .request(m.clone(), app.url(&concrete(path)))
                            .bearer_auth(&actor.session.token)
                            .send()
                            .await
                            .unwrap()
                            .status()
                            .as_u16();
                        if made_up != status {
                            problems.push(format!(
                                "{route}: {status} on the hidden id but {made_up} on a made-up one"
                            ));
                        }
                    } else {
                        problems.push(format!("{route}: write answered {status}"));
                    }
                }
            }
        }
        // Searches, the audit log and the outbox, asked for the markers on purpose.
        for path in [
            "/api/v1/projects?q=Zwergflamingo&limit=100",
            "/api/v1/projects/export.csv?q=Zwergflamingo",
            "/api/v1/projects/export.xlsx",
            "/api/v1/public/projects?q=Zwergflamingo",
            "/api/v1/support/requests?q=Zwergflamingo",
            "/api/v1/funding/applications?limit=100",
            "/api/v1/funding/overview.csv",
            "/api/v1/audit?limit=200",
            "/api/v1/audit?action=project.create",
            "/api/v1/audit?action=project.update_post",
            "/api/v1/audit?action=support.create",
            "/api/v1/admin/outbox",
            "/api/v1/notifications",
            "/api/v1/me/today",
            "/api/v1/me/digest/preview",
        ] {
            let r = app.get(&actor.session, path).await;
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            if let Some(mark) = actor.marks.iter().find(|k| body.contains(**k)) {
                problems.push(format!(
                    "GET {path} as {}: {status}, contains „{mark}“",
                    actor.name
                ));
            }
        }
    }
    assert!(calls > 400, "only {calls} calls");
    assert!(
        problems.is_empty(),
        "{} problems in the authorisation matrix:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let after = snapshot(&app, &brakel, &coordinator, &ids).await;
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "a refused write changed a hidden object");
    }
}
