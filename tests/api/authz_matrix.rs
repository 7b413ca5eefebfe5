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
    ("/api/v1/funding/checklist/{id}", Family::ChecklistItem),
    ("/api/v1/notifications/{id}", Family::Notification),
    ("/api/v1/processes/{id}", Family::Process),
    ("/api/v1/strategies/{kind}/{id}", Family::Strategy),
    ("/api/v1/goal-fields/{id}", Family::GoalField),
    ("/api/v1/measures/{id}", Family::Measure),
    ("/api/v1/adoptions/{id}", Family::Adoption),
];

/// Routes with path parameters that do not name one of the hidden objects above, with
/// why: they are called with a made-up id (so 404 or a refusal, never a server error)
/// and their answers are searched for the markers like every other answer.
const OTHER_OBJECTS: &[(&str, &str)] = &[
    (
        "/api/v1/admin/outbox/{id}",
        "outbox entries are admin-only, listed via GET /admin/outbox",
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
        "/api/v1/funding/programmes/{id}",
        "funding programmes are a network-wide catalogue",
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
    (
        "/api/v1/ozg/services/{ozg_id}",
        "the OZG catalogue is public knowledge",
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

/// Writes on a hidden id that do not answer 404, with why: they answer exactly as for an
/// id that does not exist (checked below with a made-up id), so they tell nothing about
/// the hidden object. Every other write on a hidden id must answer 404 (never 403, never
/// 422: the body sent is valid, so the authorisation decision is reached).
const SAME_FOR_ANY_ID: &[(&str, &str)] = &[(
    "DELETE /api/v1/projects/{id}/follow",
    "unfollowing is idempotent (204 for any id), so a user can drop a follow of a project hidden since",
)];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Project,
    Application,
    Support,
    /// A checklist item of the application: readable with the application.
    ChecklistItem,
    /// Martin's notification about the private project: his alone.
    Notification,
    /// Brakel's private process and a district-visible one (read like projects).
    Process,
    /// Kreis Höxter's district strategy (`{kind}` = district), its goal field and
    /// measure: read by the district (and admins), edited by its coordinators.
    Strategy,
    GoalField,
    Measure,
    /// Brakel's adoption of an EfA solution: read by every signed-in user, recorded by
    /// the town's officers, the district's coordinators and admins.
    Adoption,
}

/// Who may take a write on an object the actor may read (ARCHITECTURE.md: objects the
/// viewer may not read are 404, actions on readable objects the viewer may not take are
/// 403). From the DOMAIN.md role table; `Open` writes are allowed to readers or depend
/// on the body or a second object in the path, and are covered by the capability tests.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum May {
    /// Admins, the district's coordinators, the owner town's officers (no partner towns
    /// in this fixture).
    TownEditor,
    /// Admins and the district's coordinators (district strategy, support triage).
    DistrictStaff,
    /// Support replies and attachments: district staff and the town's officers.
    SupportReply,
    Open,
}

/// Every write on the objects above, with who may take it when the object is readable.
/// A write not listed fails the test, so a new route gets classified.
const WRITE_RULES: &[(&str, May)] = &[
    ("PATCH /api/v1/projects/{id}", May::TownEditor),
    ("POST /api/v1/projects/{id}/status", May::TownEditor),
    ("POST /api/v1/projects/{id}/updates", May::TownEditor),
    ("POST /api/v1/projects/{id}/attachments", May::TownEditor),
    (
        "DELETE /api/v1/projects/{id}/attachments/{attachment_id}",
        May::TownEditor,
    ),
    (
        "POST /api/v1/projects/{id}/partners/{municipality_id}/accept",
        May::TownEditor,
    ),
    // Another town's officer may withdraw their own town's partnership.
    (
        "DELETE /api/v1/projects/{id}/partners/{municipality_id}",
        May::Open,
    ),
    // Another town's officer may ask to join.
    ("POST /api/v1/projects/{id}/partners", May::Open),
    ("POST /api/v1/projects/{id}/comments", May::Open),
    ("PUT /api/v1/projects/{id}/follow", May::Open),
    ("DELETE /api/v1/projects/{id}/follow", May::Open),
    ("PATCH /api/v1/funding/applications/{id}", May::TownEditor),
    (
        "POST /api/v1/funding/applications/{id}/status",
        May::TownEditor,
    ),
    (
        "POST /api/v1/funding/applications/{id}/checklist",
        May::TownEditor,
    ),
    // Partner towns' officers upload too (none here); the uploader deletes their own.
    (
        "POST /api/v1/funding/applications/{id}/documents",
        May::TownEditor,
    ),
    (
        "DELETE /api/v1/funding/applications/{id}/documents/{document_id}",
        May::TownEditor,
    ),
    // The assignee may tick the item; nobody is assigned here.
    ("PATCH /api/v1/funding/checklist/{id}", May::TownEditor),
    (
        "POST /api/v1/support/requests/{id}/assign",
        May::DistrictStaff,
    ),
    (
        "POST /api/v1/support/requests/{id}/status",
        May::DistrictStaff,
    ),
    (
        "POST /api/v1/support/requests/{id}/messages",
        May::SupportReply,
    ),
    (
        "POST /api/v1/support/requests/{id}/attachments",
        May::SupportReply,
    ),
    (
        "DELETE /api/v1/support/requests/{id}/attachments/{attachment_id}",
        May::SupportReply,
    ),
    ("PUT /api/v1/processes/{id}", May::TownEditor),
    ("PUT /api/v1/processes/{id}/projects", May::TownEditor),
    ("POST /api/v1/processes/{id}/files", May::TownEditor),
    (
        "DELETE /api/v1/processes/{id}/files/{file_id}",
        May::TownEditor,
    ),
    // A town uploads its own local variant of a readable process.
    ("POST /api/v1/processes/{id}/models", May::Open),
    // Per town: the town in the path decides (a made-up one here).
    (
        "PUT /api/v1/processes/{id}/continuity/{municipality_id}",
        May::Open,
    ),
    (
        "POST /api/v1/processes/{id}/continuity/{municipality_id}/confirm",
        May::Open,
    ),
    (
        "POST /api/v1/processes/{id}/continuity/{municipality_id}/exercises",
        May::Open,
    ),
    (
        "PUT /api/v1/processes/{id}/differences/{difference_id}",
        May::Open,
    ),
    (
        "PUT /api/v1/processes/{id}/offices/{municipality_id}",
        May::Open,
    ),
    (
        "PUT /api/v1/processes/{id}/profiles/{municipality_id}/{year}",
        May::Open,
    ),
    // A project draft for the caller's own town from a readable process.
    ("POST /api/v1/processes/{id}/project-draft", May::Open),
    (
        "POST /api/v1/strategies/{kind}/{id}/goal-fields",
        May::DistrictStaff,
    ),
    ("PATCH /api/v1/goal-fields/{id}", May::DistrictStaff),
    ("DELETE /api/v1/goal-fields/{id}", May::DistrictStaff),
    ("POST /api/v1/goal-fields/{id}/measures", May::DistrictStaff),
    ("PATCH /api/v1/measures/{id}", May::DistrictStaff),
    ("DELETE /api/v1/measures/{id}", May::DistrictStaff),
    ("POST /api/v1/measures/{id}/status", May::DistrictStaff),
    ("PATCH /api/v1/adoptions/{id}", May::TownEditor),
    ("POST /api/v1/adoptions/{id}/status", May::TownEditor),
    // Martin's own notification: nobody else reads it.
    ("POST /api/v1/notifications/{id}/read", May::Open),
];

/// May `who` take a write of `rule` on a readable Brakel (Kreis Höxter) object?
fn may_write(who: Who, rule: May) -> bool {
    let staff =
        who.role == Role::Admin || (who.role == Role::Coordinator && who.district == Some(HOME));
    let town_officer = who.role == Role::Officer && who.town == Some(BRAKEL);
    match rule {
        May::TownEditor | May::SupportReply => staff || town_officer,
        May::DistrictStaff => staff,
        May::Open => true,
    }
}

/// Roles of the DOMAIN.md table, plus the visitor without an account.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Anonymous,
    Member,
    Officer,
    Coordinator,
    Admin,
}

/// Where an actor belongs; the hidden objects all belong to Brakel in Kreis Höxter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Who {
    role: Role,
    /// Kreis Höxter (`HOME`) or Kreis Paderborn (`AWAY`); none for admins and visitors.
    district: Option<&'static str>,
    /// The own town; none for coordinators, admins and visitors.
    town: Option<&'static str>,
}

const HOME: &str = "Kreis Höxter";
const AWAY: &str = "Kreis Paderborn";
const BRAKEL: &str = "Brakel";

/// The visibility table of DOMAIN.md for a project of Brakel (Kreis Höxter):
/// `private` the owning town's users, `district` every user of the district
/// (coordinators included; admins may read any), `network` every signed-in user,
/// `public` anyone.
fn may_read(who: Who, visibility: &str) -> bool {
    match visibility {
        "public" => true,
        _ if who.role == Role::Anonymous => false,
        "network" => true,
        "district" => who.role == Role::Admin || who.district == Some(HOME),
        "private" => matches!(who.role, Role::Officer | Role::Member) && who.town == Some(BRAKEL),
        other => panic!("unknown visibility {other}"),
    }
}

const MARK_PROJECT: &str = "Zwergflamingo Geheimentwurf";
const MARK_DISTRICT: &str = "Zwergflamingo Kreisvorhaben";
const MARK_NETWORK: &str = "Zwergflamingo Netzvorhaben";
const MARK_PUBLIC: &str = "Zwergflamingo Schaufenster";
const MARK_NOTES: &str = "Zwergflamingo Antragsnotiz";
const MARK_SUPPORT: &str = "Zwergflamingo Hilfeersuchen";
const MARK_PROCESS: &str = "Zwergflamingo Geheimprozess";
const MARK_PROCESS_DISTRICT: &str = "Zwergflamingo Kreisprozess";
const MARK_STRATEGY: &str = "Zwergflamingo Zielfeld";

/// Who may read an object, from the DOMAIN.md table.
type Reads = fn(Who) -> bool;

/// Markers of the other hidden objects, with who may read them.
const OTHER_HIDDEN: &[(&str, Reads)] = &[
    // A process owned by Brakel is read like a Brakel project of its visibility.
    (MARK_PROCESS, |w| may_read(w, "private")),
    (MARK_PROCESS_DISTRICT, |w| may_read(w, "district")),
    // The district strategy: everyone of the district, and admins.
    (MARK_STRATEGY, |w| may_read(w, "district")),
];
/// What the outbox shows an admin instead of the subject of a mail about a project the
/// admin may not read.
const WITHHELD: &str = "Benachrichtigung zu einem Projekt, das Sie nicht sehen dürfen";

/// A Brakel project of one visibility, every text of it carrying its marker.
struct Project {
    visibility: &'static str,
    mark: &'static str,
    id: String,
    /// An attachment whose file name carries the marker (audit `attachment.create`).
    attachment: Option<String>,
}

struct Actor {
    name: &'static str,
    who: Who,
    session: Option<Session>,
    /// Application and support request: `Some(false)` may not read it at all (404 on
    /// every route about it), `Some(true)` reads it, `None` not asserted here.
    application: Option<bool>,
    support: Option<bool>,
    /// Markers of the application notes and the support request no answer may contain.
    other_marks: Vec<&'static str>,
}

impl Actor {
    fn reads(&self, p: &Project) -> bool {
        may_read(self.who, p.visibility)
    }
    /// Every marker no answer to this actor may contain.
    fn marks(&self, projects: &[Project]) -> Vec<&'static str> {
        projects
            .iter()
            .filter(|p| !self.reads(p))
            .map(|p| p.mark)
            .chain(self.other_marks.iter().copied())
            .chain(
                OTHER_HIDDEN
                    .iter()
                    .filter(|(_, reads)| !reads(self.who))
                    .map(|(m, _)| *m),
            )
            .collect()
    }
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

/// The schema behind `$ref`s (and the non-null branch of a nullable `oneOf`/`anyOf`).
fn resolve<'a>(doc: &'a Value, mut s: &'a Value) -> &'a Value {
    loop {
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            s = &doc["components"]["schemas"][r.rsplit('/').next().unwrap()];
        } else if let Some(first) = ["allOf", "oneOf", "anyOf"].iter().find_map(|k| {
            s.get(*k)?
                .as_array()?
                .iter()
                .find(|b| b.get("type") != Some(&json!("null")))
        }) {
            s = first;
        } else {
            return s;
        }
    }
}

/// Ids a body may need to name to be valid: the actor's own town, a coordinator.
struct BodyIds {
    town: String,
    coordinator: String,
}

/// A sample value of `schema` for the property `name`.
fn sample_value(doc: &Value, name: &str, schema: &Value, ids: &BodyIds) -> Value {
    let s = resolve(doc, schema);
    if let Some(first) = s["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    // OpenAPI 3.1 may give `type` as a list such as ["string", "null"].
    let ty = match &s["type"] {
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        t => t.as_str(),
    };
    match (name, ty, s["format"].as_str()) {
        ("municipality_id", ..) => json!(ids.town),
        ("assignee_id", ..) => json!(ids.coordinator),
        (_, Some("string"), Some("date")) => json!("2027-03-01"),
        (_, Some("string"), Some("date-time")) => json!("2027-03-01T10:00:00Z"),
        (n, Some("string"), _) if n.ends_with("_id") => json!(sample("id")),
        (_, Some("string"), _) => json!("Eindringling"),
        (_, Some("integer" | "number"), _) => json!(1),
        (_, Some("boolean"), _) => json!(false),
        (_, Some("array"), _) => json!([]),
        _ => body_of(doc, s, ids),
    }
}

/// An object with every required property of `schema` (`{}` when none is required).
fn body_of(doc: &Value, schema: &Value, ids: &BodyIds) -> Value {
    let s = resolve(doc, schema);
    let mut out = serde_json::Map::new();
    for name in s["required"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap();
        out.insert(
            name.to_string(),
            sample_value(doc, name, &s["properties"][name], ids),
        );
    }
    Value::Object(out)
}

/// A minimal valid PDF, as the upload routes accept it.
const PDF: &[u8] =
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// `request` with a valid body for `op` (from its `requestBody` schema): JSON with the
/// required properties, or a multipart form with a small PDF in `file`.
fn with_body(
    request: reqwest::RequestBuilder,
    op: &Value,
    doc: &Value,
    ids: &BodyIds,
    read_like: Option<&str>,
) -> reqwest::RequestBuilder {
    let request = request.header("if-match", "\"1\"");
    let content = &op["requestBody"]["content"];
    if content.get("multipart/form-data").is_some() {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("Eindringling.pdf"),
        );
        return request.multipart(form);
    }
    let body = match read_like {
        Some(b) => b.replace("MARK", "Zwergflamingo"),
        None => {
            let body = match content.get("application/json") {
                Some(c) => body_of(doc, &c["schema"], ids),
                None => json!({}),
            };
            body.to_string()
        }
    };
    request
        .header("content-type", "application/json")
        .body(body)
}

/// The text cells of every sheet of an XLSX answer, one per line.
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX");
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                out.push_str(&cell.to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// Waits up to 10 s until `check` holds for what `path` answers `who`.
async fn wait_until(app: &TestApp, who: &Session, path: &str, check: impl Fn(&str) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let body = app.get(who, path).await.text().await.unwrap_or_default();
        if check(&body) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{path} never got there: {body}"
        );
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The objects as their owners see them, to prove that no refused write changed them.
async fn snapshot(app: &TestApp, views: &[(&Session, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (who, path) in views {
        let r = app.get(who, path).await;
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

/// Acceptance 1 of #14. Brakel projects of every visibility (private, district,
/// network, public), each with its own marker in title, summary, a progress update and
/// a comment (the private one also with an attachment whose file name carries the
/// marker, and a comment mentioning a colleague, so a mail and a notification name it);
/// private notes of a Brakel funding application; a Brakel support request. Actors:
/// Brakel's officer and member, Warburg's officer and member (same district), another
/// district's officer, the district's coordinator, the admin, and a visitor without an
/// account. Whether an actor may read a project comes from [`may_read`] (the DOMAIN.md
/// table), not from a hand-written list.
///
/// Every operation of the OpenAPI document is called with each object's id in its path:
/// a read answers 200 when the actor may read the object and 404 when not (never 403);
/// a write on an object the actor may not read answers 404 with a valid body, and
/// changes nothing. No answer of any read contains a marker the actor may not see:
/// lists, search, every CSV and XLSX export (sheets unzipped), the audit log (including
/// `attachment.create`), the admin outbox in every state, notifications, digest
/// preview, today page, dashboards, the own ICS calendar, the public showcase and feed.
/// Positive controls show that each searched answer would show a marker the actor may
/// see.
async fn every_route_hides_hidden_objects_from_every_outside_actor(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let brakel_town = app.municipality_id("05762016").await;
    let home_district = coordinator.me["district"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A colleague of the own town, mentioned in a comment: the mail names the project.
    let martin_session = app.login("team@brakel.example").await;
    let martin = martin_session.me["id"].as_str().unwrap().to_string();
    let mut projects = Vec::new();
    for (visibility, mark) in [
        ("private", MARK_PROJECT),
        ("district", MARK_DISTRICT),
        ("network", MARK_NETWORK),
        ("public", MARK_PUBLIC),
    ] {
        let r = app
            .post(
                &brakel,
                "/api/v1/projects",
                json!({"title": mark, "summary": format!("{mark}, Sichtbarkeit {visibility}."), "visibility": visibility}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let id = r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = app
            .post(
                &brakel,
                &format!("/api/v1/projects/{id}/updates"),
                json!({"title": format!("{mark} Fortschritt"), "body": format!("{mark} läuft.")}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let mention = if visibility == "private" {
            format!("@[Martin Klein]({martin}) ")
        } else {
            String::new()
        };
        let r = app
            .post(
                &brakel,
                &format!("/api/v1/projects/{id}/comments"),
                json!({"body": format!("{mention}{mark} prüfen")}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        // The private and the network project get an attachment named after them: the
        // network one is the positive control of the audit search.
        let attachment = if matches!(visibility, "private" | "network") {
            let r = app
                .upload(
                    &brakel,
                    &format!("/api/v1/projects/{id}/attachments"),
                    &format!("{mark} Anlage.pdf"),
                    PDF.to_vec(),
                    &[],
                )
                .await;
            assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
            Some(
                r.json::<Value>().await.unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        } else {
            None
        };
        projects.push(Project {
            visibility,
            mark,
            id,
            attachment,
        });
    }
    let pid = projects[0].id.clone();
    let did = projects[1].id.clone();
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
    // Processes of the register: Brakel's private one and a district-visible one.
    let mut process_ids = Vec::new();
    for (visibility, mark) in [
        ("private", MARK_PROCESS),
        ("district", MARK_PROCESS_DISTRICT),
    ] {
        let r = app
            .post(
                &brakel,
                "/api/v1/processes",
                json!({"name": mark, "visibility": visibility, "knowledge": format!("{mark}: Wissen."), "owner_municipality_id": brakel_town}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        process_ids.push((
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
            visibility,
        ));
    }
    // The district strategy with a goal field and a measure.
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/strategies/district/{home_district}/goal-fields"),
            json!({"title": MARK_STRATEGY, "description": format!("{MARK_STRATEGY}: Ziel.")}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // The answer is the whole strategy.
    let goal_field = r.json::<Value>().await.unwrap()["goal_fields"][0]["id"]
        .as_str()
        .expect("the goal field")
        .to_string();
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/goal-fields/{goal_field}/measures"),
            json!({"title": format!("{MARK_STRATEGY} Maßnahme")}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let measure = r.json::<Value>().await.unwrap()["goal_fields"][0]["measures"][0]["id"]
        .as_str()
        .expect("the measure")
        .to_string();
    // Brakel's adoption of an EfA solution (read by every signed-in user).
    digitalnetzwerk::efa::seed::import_reference_solutions(&mut app.conn()).unwrap();
    let solutions: Value = app
        .get(&brakel, "/api/v1/efa/solutions?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let solution = solutions["items"][0]["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/efa/solutions/{solution}/adoptions"),
            json!({"notes": "Nachnutzung in Brakel", "project_id": did}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let adoption = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let strategy_path = format!("/api/v1/strategies/district/{home_district}");
    let mut views: Vec<(&Session, String)> = Vec::new();
    for p in &projects {
        for sub in ["", "/updates", "/comments", "/attachments"] {
            views.push((&brakel, format!("/api/v1/projects/{}{sub}", p.id)));
        }
    }
    views.extend([
        (&coordinator, format!("/api/v1/funding/applications/{aid}")),
        (&brakel, format!("/api/v1/support/requests/{sid}")),
        (
            &brakel,
            format!("/api/v1/support/requests/{sid}/attachments"),
        ),
        (&brakel, strategy_path.clone()),
        (&brakel, format!("/api/v1/adoptions/{adoption}")),
        (&brakel, format!("/api/v1/adoptions/{adoption}/history")),
    ]);
    for (id, _) in &process_ids {
        views.push((&brakel, format!("/api/v1/processes/{id}")));
        views.push((&brakel, format!("/api/v1/processes/{id}/files")));
    }
    let before = snapshot(&app, &views).await;

    // The mention reaches Martin (who may read the private project) as a notification
    // and as a mail; the mail is then in the outbox as sent, its subject withheld from
    // the admin, who may not read the project.
    wait_until(&app, &martin_session, "/api/v1/notifications", |b| {
        b.contains(MARK_PROJECT)
    })
    .await;
    wait_until(
        &app,
        &admin,
        "/api/v1/admin/outbox?status=sent&limit=100",
        |b| b.contains(WITHHELD),
    )
    .await;

    // Martin's unread notifications by id: notifications about the fixture's later
    // objects may still arrive during the run, so the ids are compared, not the count.
    let unread_ids = |v: Value| -> std::collections::BTreeSet<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["read"] == false)
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect()
    };
    let feed: Value = app
        .get(&martin_session, "/api/v1/notifications?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let martin_unread = unread_ids(feed.clone());
    let notification = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n.to_string().contains(MARK_PROJECT))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let application: Value = app
        .get(&coordinator, &format!("/api/v1/funding/applications/{aid}"))
        .await
        .json()
        .await
        .unwrap();
    let checklist_item = application["checklist"][0]["id"]
        .as_str()
        .expect("the default checklist")
        .to_string();

    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let other = app.other_district_officer().await;
    let away_district = other.me["district"]["id"].as_str().unwrap().to_string();
    let who = |role, district, town| Who {
        role,
        district,
        town,
    };
    let outside_marks = vec![MARK_NOTES, MARK_SUPPORT];
    let actors = vec![
        Actor {
            name: "Brakel officer",
            who: who(Role::Officer, Some(HOME), Some(BRAKEL)),
            session: Some(brakel.clone()),
            application: Some(true),
            support: Some(true),
            other_marks: vec![],
        },
        Actor {
            name: "Brakel member",
            who: who(Role::Member, Some(HOME), Some(BRAKEL)),
            session: Some(martin_session.clone()),
            // Applications are read by the whole district, support requests by the town.
            application: Some(true),
            support: Some(true),
            other_marks: vec![],
        },
        Actor {
            name: "Warburg officer",
            who: who(Role::Officer, Some(HOME), Some("Warburg")),
            session: Some(app.login("digital@warburg.example").await),
            application: Some(true),
            support: Some(false),
            other_marks: outside_marks.clone(),
        },
        Actor {
            name: "Warburg member",
            who: who(Role::Member, Some(HOME), Some("Warburg")),
            session: Some(app.login("team@warburg.example").await),
            application: Some(true),
            support: Some(false),
            other_marks: outside_marks.clone(),
        },
        Actor {
            name: "other district's officer",
            who: who(Role::Officer, Some(AWAY), Some("Delbrück")),
            session: Some(other.clone()),
            application: Some(false),
            support: Some(false),
            other_marks: outside_marks.clone(),
        },
        Actor {
            name: "other district's member",
            who: who(Role::Member, Some(AWAY), Some("Delbrück")),
            session: Some(
                app.invite_beside(&other, "team@delbrueck.example", "member")
                    .await,
            ),
            application: Some(false),
            support: Some(false),
            other_marks: outside_marks.clone(),
        },
        Actor {
            name: "other district's coordinator",
            who: who(Role::Coordinator, Some(AWAY), None),
            session: Some(
                app.invite_beside(
                    &other,
                    "koordination@kreis-paderborn.example",
                    "coordinator",
                )
                .await,
            ),
            application: Some(false),
            support: Some(false),
            other_marks: outside_marks.clone(),
        },
        Actor {
            name: "coordinator",
            who: who(Role::Coordinator, Some(HOME), None),
            session: Some(coordinator.clone()),
            application: Some(true),
            support: Some(true),
            other_marks: vec![],
        },
        Actor {
            name: "admin",
            who: who(Role::Admin, None, None),
            session: Some(admin.clone()),
            application: Some(true),
            support: Some(true),
            other_marks: vec![],
        },
        Actor {
            name: "visitor without an account",
            who: who(Role::Anonymous, None, None),
            session: None,
            application: Some(false),
            support: Some(false),
            other_marks: outside_marks.clone(),
        },
    ];
    let body_ids = |a: &Actor| BodyIds {
        town: a
            .session
            .as_ref()
            .and_then(|s| s.me["municipality"]["id"].as_str())
            .unwrap_or(brakel_town.as_str())
            .to_string(),
        coordinator: coordinator.me["id"].as_str().unwrap().to_string(),
    };
    let mut problems = Vec::new();
    let mut calls = 0;
    let mut forbidden_checked = 0;
    let mut positive = 0;
    // Per searched answer with a positive control: how many actors got it shown (each
    // such answer must have been checked by at least one actor who may call it).
    let mut controlled: std::collections::BTreeMap<String, usize> = Default::default();
    for actor in &actors {
        let marks = actor.marks(&projects);
        let ids = body_ids(actor);
        let send = |m: reqwest::Method, url: &str| {
            let req = app.client.request(m, app.url(url));
            match &actor.session {
                Some(s) => req.bearer_auth(&s.token),
                None => req,
            }
        };
        for (path, item) in doc["paths"].as_object().unwrap() {
            let family = family_of(path);
            for (method, op) in item.as_object().unwrap() {
                let Ok(m) = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()) else {
                    continue;
                };
                let read = m == reqwest::Method::GET;
                if is_public(op, &doc) && !read {
                    continue;
                }
                if actor.session.is_none() && !is_public(op, &doc) {
                    // Covered by every_route_refuses_anonymous_callers_unless_it_is_public.
                    continue;
                }
                let op_name = format!("{} {path}", m.as_str());
                let read_like = READ_LIKE_POSTS.iter().find(|(p, _)| p == path);
                // The objects to put into the path: (id, attachment id, may read it).
                let targets: Vec<(String, Option<String>, Option<bool>)> = match family {
                    Some(Ok(Family::Project)) => projects
                        .iter()
                        .map(|p| {
                            let readable = if path.starts_with("/api/v1/public/") {
                                p.visibility == "public"
                            } else {
                                actor.reads(p)
                            };
                            (p.id.clone(), p.attachment.clone(), Some(readable))
                        })
                        .collect(),
                    Some(Ok(Family::Application)) => vec![(aid.clone(), None, actor.application)],
                    Some(Ok(Family::Support)) => vec![(sid.clone(), None, actor.support)],
                    Some(Ok(Family::ChecklistItem)) => {
                        vec![(checklist_item.clone(), None, actor.application)]
                    }
                    Some(Ok(Family::Notification)) => vec![(
                        notification.clone(),
                        None,
                        Some(actor.session.as_ref().is_some_and(|s| s.me["id"] == martin)),
                    )],
                    Some(Ok(Family::Process)) => process_ids
                        .iter()
                        .map(|(id, v)| (id.clone(), None, Some(may_read(actor.who, v))))
                        .collect(),
                    Some(Ok(Family::Strategy)) => vec![(
                        home_district.clone(),
                        None,
                        Some(may_read(actor.who, "district")),
                    )],
                    Some(Ok(Family::GoalField)) => vec![(
                        goal_field.clone(),
                        None,
                        Some(may_read(actor.who, "district")),
                    )],
                    Some(Ok(Family::Measure)) => {
                        vec![(measure.clone(), None, Some(may_read(actor.who, "district")))]
                    }
                    Some(Ok(Family::Adoption)) => {
                        vec![(adoption.clone(), None, Some(actor.session.is_some()))]
                    }
                    _ => vec![(sample("id").to_string(), None, None)],
                };
                // A write on a readable object that the policy does not allow the actor.
                let rule = match family {
                    Some(Ok(_)) if !read => Some(
                        WRITE_RULES
                            .iter()
                            .find(|(o, _)| *o == op_name)
                            .unwrap_or_else(|| panic!("{op_name}: not in WRITE_RULES"))
                            .1,
                    ),
                    _ => None,
                };
                for (id, attachment, readable) in targets {
                    let hidden = readable == Some(false);
                    let forbidden =
                        readable == Some(true) && rule.is_some_and(|r| !may_write(actor.who, r));
                    if !read && !hidden && !forbidden && read_like.is_none() {
                        // Allowed writes on objects the actor may read are covered by
                        // the capability's own tests; writes without an object in the
                        // path act on the own scope (see READ_LIKE_POSTS and the bodies
                        // naming hidden objects below).
                        continue;
                    }
                    let mut url = concrete(path).replacen(sample("id"), &id, 1);
                    let real_sub_id = path.contains("{attachment_id}") && attachment.is_some();
                    if let (true, Some(a)) = (real_sub_id, &attachment) {
                        // The parameter after `{id}` is the attachment's.
                        url = url.replacen(sample("attachment_id"), a, 1);
                    }
                    let mut req = send(m.clone(), &url);
                    if !read {
                        req = with_body(req, op, &doc, &ids, read_like.map(|(_, b)| *b));
                    }
                    let resp = req.send().await.unwrap();
                    calls += 1;
                    let status = resp.status().as_u16();
                    let bytes = resp.bytes().await.unwrap_or_default();
                    let body = String::from_utf8_lossy(&bytes);
                    let route = format!("{op_name} as {} ({url})", actor.name);
                    if status >= 500 {
                        problems.push(format!("{route}: {status}"));
                    }
                    if let Some(mark) = marks.iter().find(|k| body.contains(**k)) {
                        problems.push(format!("{route}: {status}, answer contains „{mark}“"));
                    }
                    if hidden && read && status != 404 {
                        problems.push(format!("{route}: {status} instead of 404"));
                    }
                    // Every parameter of the path names a real object the actor may read.
                    // (`{kind}` of a strategy is always the real `district`.)
                    let params = path.matches('{').count() - usize::from(path.contains("{kind}"));
                    let all_real = params == 1 || real_sub_id;
                    if read && readable == Some(true) && all_real && status != 200 {
                        problems.push(format!(
                            "{route}: {status} instead of 200 for a reader the policy allows"
                        ));
                    }
                    // Readable but not the actor's to change: 403 (with a reason), or
                    // 404 when a second object in the path is made up.
                    if forbidden && status != 403 && (status != 404 || all_real) {
                        problems.push(format!(
                            "{route}: {status} instead of 403 for a reader the policy does not let change it: {}",
                            body.chars().take(160).collect::<String>()
                        ));
                    }
                    if forbidden {
                        forbidden_checked += 1;
                    }
                    if hidden && !read && status != 404 {
                        if SAME_FOR_ANY_ID.iter().any(|(o, _)| *o == op_name) {
                            // Proof that the answer does not depend on the object: a made-up id.
                            let made_up = send(m.clone(), &concrete(path))
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
                            problems.push(format!(
                                "{route}: write answered {status} instead of 404: {}",
                                body.chars().take(160).collect::<String>()
                            ));
                        }
                    }
                }
            }
        }

        // An adoption names its linked project (Brakel's district project) only to those
        // who may read that project, on its own and in the solution's list.
        if let Some(session) = &actor.session {
            let linked = projects
                .iter()
                .find(|p| p.id == did)
                .expect("the linked project");
            let expected = if actor.reads(linked) {
                json!(did)
            } else {
                Value::Null
            };
            let one: Value = app
                .get(session, &format!("/api/v1/adoptions/{adoption}"))
                .await
                .json()
                .await
                .unwrap();
            let detail: Value = app
                .get(session, &format!("/api/v1/efa/solutions/{solution}"))
                .await
                .json()
                .await
                .unwrap();
            let listed = detail["adoptions"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["id"] == json!(adoption)))
                .map(|x| x["project_id"].clone());
            for (what, got) in [
                ("adoption", Some(one["project_id"].clone())),
                ("solution", listed),
            ] {
                if got.as_ref() != Some(&expected) {
                    problems.push(format!(
                        "{what} as {}: linked project {got:?} instead of {expected}",
                        actor.name
                    ));
                }
            }
        }

        // Answers that gather many objects, asked for the markers on purpose. The
        // boolean: the answer must show every marker of a project the actor may read
        // (positive control), as far as the actor may call the route at all.
        let mut searched: Vec<(String, bool)> = vec![
            ("/api/v1/public/projects?q=Zwergflamingo".into(), true),
            ("/api/v1/public/feed.atom".into(), true),
        ];
        // Every CSV and XLSX export of the document.
        for (path, item) in doc["paths"].as_object().unwrap() {
            if item.get("get").is_some() && (path.ends_with(".csv") || path.ends_with(".xlsx")) {
                let url = if path.starts_with("/api/v1/usage/towns/") {
                    path.replace("{id}", &brakel_town)
                } else {
                    path.replace("{id}", &home_district)
                };
                let control = path.starts_with("/api/v1/projects/export.");
                searched.push((url.clone(), control));
                if path.contains("{id}") && path.starts_with("/api/v1/usage/districts/") {
                    searched.push((path.replace("{id}", &away_district), false));
                }
            }
        }
        if actor.session.is_some() {
            for (path, positive) in [
                ("/api/v1/projects?q=Zwergflamingo&limit=100", true),
                ("/api/v1/projects?limit=100", true),
                ("/api/v1/support/requests?q=Zwergflamingo", false),
                ("/api/v1/funding/applications?limit=100", false),
                ("/api/v1/funding/overview", false),
                ("/api/v1/audit?limit=100", false),
                ("/api/v1/audit?action=project.create&limit=100", true),
                ("/api/v1/audit?action=project.update_post&limit=100", true),
                ("/api/v1/audit?action=comment.create&limit=100", false),
                ("/api/v1/audit?action=attachment.create&limit=100", false),
                ("/api/v1/audit?action=support.create&limit=100", false),
                ("/api/v1/admin/outbox?status=pending&limit=100", false),
                ("/api/v1/admin/outbox?status=sent&limit=100", false),
                ("/api/v1/admin/outbox?status=failed&limit=100", false),
                ("/api/v1/admin/outbox?status=unconfirmed&limit=100", false),
                ("/api/v1/notifications?limit=100", false),
                ("/api/v1/notifications/unread-count", false),
                ("/api/v1/me/today", false),
                ("/api/v1/me/digest/preview", false),
                ("/api/v1/me/data", false),
                ("/api/v1/dashboard/town", false),
                ("/api/v1/dashboard/district", false),
            ] {
                searched.push((path.to_string(), positive));
            }
        }
        let readable: Vec<&str> = projects
            .iter()
            .filter(|p| actor.reads(p))
            .map(|p| p.mark)
            .collect();
        for (path, want_positive) in &searched {
            let r = send(reqwest::Method::GET, path).send().await.unwrap();
            calls += 1;
            let status = r.status().as_u16();
            let xlsx = r
                .headers()
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").contains("spreadsheetml"));
            let bytes = r.bytes().await.unwrap_or_default();
            let body = if xlsx && status == 200 {
                xlsx_text(&bytes)
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            };
            let route = format!("GET {path} as {}", actor.name);
            if status >= 500 {
                problems.push(format!("{route}: {status}"));
            }
            if let Some(mark) = marks.iter().find(|k| body.contains(**k)) {
                problems.push(format!("{route}: {status}, contains „{mark}“"));
            }
            if *want_positive {
                controlled.entry(path.clone()).or_default();
            }
            if *want_positive && status == 200 {
                *controlled.get_mut(path).unwrap() += 1;
                let expected: Vec<&str> = if path.starts_with("/api/v1/public/") {
                    vec![MARK_PUBLIC]
                } else if path.starts_with("/api/v1/audit")
                    && actor.who.role != Role::Admin
                    && actor.who.district != Some(HOME)
                {
                    // A coordinator's audit log is the own district's; Brakel is elsewhere.
                    vec![]
                } else {
                    readable.clone()
                };
                for mark in expected {
                    positive += 1;
                    if !body.contains(mark) {
                        problems.push(format!(
                            "{route}: does not show „{mark}“, which the actor may read"
                        ));
                    }
                }
            }
        }
        // Counts: the search finds exactly the projects the actor may read.
        if actor.session.is_some() {
            let page: Value = send(
                reqwest::Method::GET,
                "/api/v1/projects?q=Zwergflamingo&limit=100",
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
            if page["total"].as_u64() != Some(readable.len() as u64) {
                problems.push(format!(
                    "GET /api/v1/projects?q=Zwergflamingo as {}: total {} instead of {}",
                    actor.name,
                    page["total"],
                    readable.len()
                ));
            }
            // The own deadline calendar (secret address), lines unfolded.
            let r = send(reqwest::Method::POST, "/api/v1/me/calendar-token")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201, "calendar token for {}", actor.name);
            let url = r.json::<Value>().await.unwrap()["url"]
                .as_str()
                .unwrap()
                .to_string();
            let r = app.client.get(&url).send().await.unwrap();
            assert_eq!(r.status(), 200, "calendar of {}", actor.name);
            let ics = r
                .text()
                .await
                .unwrap()
                .replace("\r\n ", "")
                .replace("\r\n\t", "");
            assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
            if let Some(mark) = marks.iter().find(|k| ics.contains(**k)) {
                problems.push(format!("calendar of {}: contains „{mark}“", actor.name));
            }
        }
    }
    // Positive controls of the answers whose positive side no actor loop above asserts:
    // the admin's audit shows the network project's attachment, the own-town colleague's
    // notifications show the private project, the outbox shows the withheld subject.
    for (who, path, mark) in [
        (
            &admin,
            "/api/v1/audit?action=attachment.create&limit=100",
            MARK_NETWORK,
        ),
        (
            &admin,
            "/api/v1/admin/outbox?status=sent&limit=100",
            WITHHELD,
        ),
        (
            &martin_session,
            "/api/v1/notifications?limit=100",
            MARK_PROJECT,
        ),
        (
            &coordinator,
            "/api/v1/support/requests?q=Zwergflamingo",
            MARK_SUPPORT,
        ),
        (
            &coordinator,
            "/api/v1/funding/applications?limit=100",
            "Antrag Brakel Breitband",
        ),
    ] {
        let body = app.get(who, path).await.text().await.unwrap_or_default();
        positive += 1;
        if !body.contains(mark) {
            problems.push(format!("positive control: {path} lacks „{mark}“: {body}"));
        }
    }
    // Comment entries carry no text, only the project: they are counted instead. The
    // admin and the coordinator see one per project they may read, none of the private one.
    for (name, who, w) in [
        (
            "admin",
            &admin,
            Who {
                role: Role::Admin,
                district: None,
                town: None,
            },
        ),
        (
            "coordinator",
            &coordinator,
            Who {
                role: Role::Coordinator,
                district: Some(HOME),
                town: None,
            },
        ),
    ] {
        let page: Value = app
            .get(who, "/api/v1/audit?action=comment.create&limit=100")
            .await
            .json()
            .await
            .unwrap();
        let expected = projects
            .iter()
            .filter(|p| may_read(w, p.visibility))
            .count();
        if page["total"].as_u64() != Some(expected as u64) {
            problems.push(format!(
                "GET /api/v1/audit?action=comment.create as {name}: total {} instead of {expected}",
                page["total"]
            ));
        }
    }
    for (path, n) in &controlled {
        if *n == 0 {
            problems.push(format!(
                "GET {path}: no actor got a 200, so its positive control never ran"
            ));
        }
    }
    assert!(calls > 1300, "only {calls} calls");
    assert!(
        forbidden_checked > 150,
        "only {forbidden_checked} refused writes on readable objects"
    );
    assert!(positive > 40, "only {positive} positive controls");
    assert!(
        problems.is_empty(),
        "{} problems in the authorisation matrix:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let after = snapshot(&app, &views).await;
    let feed: Value = app
        .get(&martin_session, "/api/v1/notifications?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let still_unread = unread_ids(feed);
    assert!(
        martin_unread.is_subset(&still_unread),
        "another user marked Martin's notification read: {:?}",
        martin_unread.difference(&still_unread).collect::<Vec<_>>()
    );
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "a refused write changed an object");
    }

    // Writes whose body names an object the caller may not read: they answer exactly
    // as for an id that does not exist (so they reveal nothing), never 2xx (so they link
    // nothing), and the hidden objects stay as they were.
    let hidden_views: Vec<(&Session, String)> = views
        .iter()
        .filter(|(_, p)| p.contains(&pid) || p.contains(&process_ids[0].0) || p.contains(&aid))
        .map(|(s, p)| (*s, p.clone()))
        .collect();
    let hidden_before = snapshot(&app, &hidden_views).await;
    let warburg = actors[2].session.clone().unwrap();
    let paderborn_coordinator = actors[6].session.clone().unwrap();
    let private_update = app
        .get(&brakel, &format!("/api/v1/projects/{pid}/updates"))
        .await
        .json::<Value>()
        .await
        .unwrap()["items"][0]["id"]
        .as_str()
        .expect("the private project's update")
        .to_string();
    let item = app
        .get(&coordinator, &format!("/api/v1/funding/applications/{aid}"))
        .await
        .json::<Value>()
        .await
        .unwrap()["checklist"][0]
        .clone();
    let item_version = item["version"].as_i64().unwrap();
    let adoption_version = app
        .get(&brakel, &format!("/api/v1/adoptions/{adoption}"))
        .await
        .json::<Value>()
        .await
        .unwrap()["version"]
        .as_i64()
        .unwrap();
    let made_up = sample("id");
    let application_body = |p: &str| {
        json!({
            "programme_id": programme, "title": "Antrag mit Projekt",
            "lead_municipality_id": brakel_town, "total_costs_cents": 100_000i64,
            "requested_cents": 0i64,
            "shares": [{"municipality_id": brakel_town, "share_cents": 100_000i64}],
            "project_ids": [p],
        })
    };
    let support_body = |field: &str, id: &str| {
        let mut b = json!({"category": "it_security", "title": "Frage zum Projekt", "description": "Bitte um Rat."});
        b[field] = json!(id);
        b
    };
    // (who, what, method, path, If-Match, body naming the hidden object, the same
    // body naming a made-up id, and a body naming an object the caller may read, which
    // must be taken: proof that the field is really read)
    type Case<'a> = (
        &'a Session,
        &'a str,
        reqwest::Method,
        String,
        Option<i64>,
        Value,
        Value,
        Option<Value>,
    );
    let cases: Vec<Case> = vec![
        (
            &coordinator,
            "an application naming Brakel's private project",
            reqwest::Method::POST,
            "/api/v1/funding/applications".into(),
            None,
            application_body(&pid),
            application_body(made_up),
            Some(application_body(&did)),
        ),
        (
            &warburg,
            "Warburg's support request about Brakel's private project",
            reqwest::Method::POST,
            "/api/v1/support/requests".into(),
            None,
            support_body("project_id", &pid),
            support_body("project_id", made_up),
            None,
        ),
        (
            &other,
            "another district's support request about a Höxter application",
            reqwest::Method::POST,
            "/api/v1/support/requests".into(),
            None,
            support_body("application_id", &aid),
            support_body("application_id", made_up),
            None,
        ),
        (
            &warburg,
            "Warburg's adoption linked to Brakel's private project",
            reqwest::Method::POST,
            format!("/api/v1/efa/solutions/{solution}/adoptions"),
            None,
            json!({"project_id": pid}),
            json!({"project_id": made_up}),
            Some(json!({"project_id": did})),
        ),
        (
            &coordinator,
            "Brakel's adoption relinked to Brakel's private project",
            reqwest::Method::PATCH,
            format!("/api/v1/adoptions/{adoption}"),
            Some(adoption_version),
            json!({"project_id": pid}),
            json!({"project_id": made_up}),
            None,
        ),
        (
            &coordinator,
            "a measure linked to Brakel's private project",
            reqwest::Method::POST,
            format!("/api/v1/goal-fields/{goal_field}/measures"),
            None,
            json!({"title": "Maßnahme mit Projekt", "project_ids": [pid]}),
            json!({"title": "Maßnahme mit Projekt", "project_ids": [made_up]}),
            Some(json!({"title": "Maßnahme mit Projekt", "project_ids": [did]})),
        ),
        (
            &coordinator,
            "a district process linked to Brakel's private project",
            reqwest::Method::PUT,
            format!("/api/v1/processes/{}/projects", process_ids[1].0),
            None,
            json!({"project_ids": [pid]}),
            json!({"project_ids": [made_up]}),
            Some(json!({"project_ids": [did]})),
        ),
        (
            &warburg,
            "Warburg's comment answering an update of Brakel's private project",
            reqwest::Method::POST,
            format!("/api/v1/projects/{did}/comments"),
            None,
            json!({"body": "Gute Frage.", "update_id": private_update}),
            json!({"body": "Gute Frage.", "update_id": made_up}),
            None,
        ),
        (
            &coordinator,
            "a checklist item assigned to another district's officer",
            reqwest::Method::PATCH,
            format!("/api/v1/funding/checklist/{}", item["id"].as_str().unwrap()),
            Some(item_version),
            json!({"assignee_id": other.me["id"]}),
            json!({"assignee_id": made_up}),
            None,
        ),
        (
            &coordinator,
            "a checklist item assigned to an officer of a town without a share",
            reqwest::Method::PATCH,
            format!("/api/v1/funding/checklist/{}", item["id"].as_str().unwrap()),
            Some(item_version),
            json!({"assignee_id": warburg.me["id"]}),
            json!({"assignee_id": made_up}),
            None,
        ),
        (
            &coordinator,
            "a support request assigned to another district's coordinator",
            reqwest::Method::POST,
            format!("/api/v1/support/requests/{sid}/assign"),
            None,
            json!({"assignee_id": paderborn_coordinator.me["id"]}),
            json!({"assignee_id": made_up}),
            None,
        ),
    ];
    let mut problems = Vec::new();
    for (who, what, method, path, version, hidden, unknown, visible) in cases {
        let call = |body: &Value| {
            let mut req = app
                .client
                .request(method.clone(), app.url(&path))
                .bearer_auth(&who.token)
                .json(body);
            if let Some(v) = version {
                req = req.header("if-match", format!("\"{v}\""));
            }
            req.send()
        };
        let answer = |r: reqwest::Response| async move {
            let status = r.status().as_u16();
            let text = r.text().await.unwrap_or_default();
            let problem: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            // What the answer says, not only which fields: a different reason for the
            // hidden object than for a made-up id tells that it exists.
            let said = json!([problem["title"], problem["detail"], problem["errors"]]);
            (status, said, text)
        };
        let (hs, hf, ht) = answer(call(&hidden).await.unwrap()).await;
        let (us, uf, _) = answer(call(&unknown).await.unwrap()).await;
        if (hs, &hf) != (us, &uf) {
            problems.push(format!(
                "{what} ({method} {path}): {hs} {hf} for the hidden object but {us} {uf} for a made-up id: {ht}"
            ));
        }
        if (200..300).contains(&hs) {
            problems.push(format!("{what} ({method} {path}): {hs}, taken: {ht}"));
        }
        if let Some(mark) = [MARK_PROJECT, MARK_NOTES, MARK_PROCESS, MARK_SUPPORT]
            .iter()
            .find(|m| ht.contains(**m))
        {
            problems.push(format!(
                "{what} ({method} {path}): the answer names „{mark}“"
            ));
        }
        if let Some(visible) = visible {
            let (vs, _, vt) = answer(call(&visible).await.unwrap()).await;
            if !(200..300).contains(&vs) || !vt.contains(&did) {
                problems.push(format!(
                    "{what} ({method} {path}): naming a readable project answered {vs}, so the check proves nothing: {vt}"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} writes naming hidden objects:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(
        hidden_before,
        snapshot(&app, &hidden_views).await,
        "a write naming a hidden object changed it"
    );
}
