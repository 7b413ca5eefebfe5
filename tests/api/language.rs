//! Every text a person reads is in their language: notifications, the audit log, the
//! project version diff and API errors show no internal key (`status_changed`,
//! `support.status`, ids, `_cents`) and no English in German output, and no German in
//! English output. The kinds are enumerated from the code (`events::VERBS`,
//! `audit::ACTIONS` and the string literals in `src/`), so a new one without a
//! translation fails here.
use std::time::Duration;

use diesel::prelude::*;
use digitalnetzwerk::i18n::{labels, Locale};
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(
    german_output_has_no_codes_or_english,
    english_output_has_no_german
);

const ENGLISH: &[&str] = &[
    "invalid",
    "expected",
    "unknown",
    "field",
    "type",
    "error",
    "replied",
    "assigned",
    "input",
    "range",
    "variant",
    "deserialize",
    "string",
    "integer",
    "missing",
    "request",
    "changed",
    "created",
    "support",
    "the",
    "must",
    "not",
];
const GERMAN: &[&str] = &[
    "ungültig",
    "ungültige",
    "feld",
    "zeile",
    "spalte",
    "muss",
    "bitte",
    "nicht",
    "wurde",
    "fehlt",
    "unbekannt",
    "zugewiesen",
    "bearbeitung",
    "angelegt",
    "geändert",
    "vorher",
    "nachher",
    "eingabe",
    "anfrage",
    "unterstützungsanfrage",
    "uhr",
    "ja",
    "nein",
    "und",
    "der",
    "die",
    "das",
    "ist",
    "kein",
    "ganze",
    "zahl",
    "erledigt",
    "projekt",
];

/// Words a text may contain in either language (proper names the test chose).
const NAMES: &[&str] = &["Website", "Relaunch", "Open", "Data", "Portal"];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Why `text` (read by a person in `locale`) is not acceptable, if it is not.
fn complaint(text: &str, locale: Locale) -> Option<String> {
    for w in words(text) {
        if NAMES.contains(&w.as_str()) {
            continue;
        }
        let lower = w.to_lowercase();
        if uuid::Uuid::parse_str(&w).is_ok() {
            return Some(format!("an id `{w}`"));
        }
        if w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase()) {
            return Some(format!("an internal key `{w}`"));
        }
        let dotted: Vec<&str> = w.split('.').collect();
        if dotted.len() > 1
            && dotted
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        {
            return Some(format!("a dotted key `{w}`"));
        }
        let list = if locale == Locale::De {
            ENGLISH
        } else {
            GERMAN
        };
        if list.contains(&lower.as_str()) {
            return Some(format!("the word `{w}`"));
        }
    }
    if locale == Locale::En && text.chars().any(|c| "äöüÄÖÜß„“".contains(c)) {
        return Some("German letters or quotes".into());
    }
    if locale == Locale::De && text.contains('`') {
        return Some("serde's backticks".into());
    }
    None
}

/// Untranslated texts found, and data (names people gave) to ignore in texts.
#[derive(Default)]
struct Findings(Vec<String>, Vec<String>);

impl Findings {
    fn check(&mut self, what: &str, text: &str, locale: Locale) {
        let mut cleaned = text.to_string();
        for d in &self.1 {
            cleaned = cleaned.replace(d.as_str(), " ");
        }
        if let Some(c) = complaint(&cleaned, locale) {
            self.0.push(format!("{what}: {text:?} contains {c}"));
        }
    }
    fn check_problem(&mut self, what: &str, p: &Value, locale: Locale) {
        for key in ["title", "detail"] {
            if let Some(t) = p[key].as_str() {
                self.check(&format!("{what} {key}"), t, locale);
            }
        }
        for e in p["errors"].as_array().into_iter().flatten() {
            self.check(
                &format!("{what} errors[{}]", e["field"]),
                e["message"].as_str().unwrap_or_default(),
                locale,
            );
        }
    }
    fn assert_none(&self) {
        assert!(
            self.0.is_empty(),
            "untranslated output:\n{}",
            self.0.join("\n")
        );
    }
}

async fn german_output_has_no_codes_or_english(app: TestApp) {
    walk(app, Locale::De).await;
}

async fn english_output_has_no_german(app: TestApp) {
    walk(app, Locale::En).await;
}

fn set_all_locales(app: &TestApp, locale: Locale) {
    use digitalnetzwerk::db::schema::users;
    diesel::update(users::table)
        .set(users::locale.eq(locale.as_str()))
        .execute(&mut app.conn())
        .unwrap();
}

async fn settle(app: &TestApp) {
    use digitalnetzwerk::db::schema::events;
    for _ in 0..200 {
        app.state.wakeup.wake();
        let open: i64 = events::table
            .filter(events::processed_at.is_null())
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        if open == 0 {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("events were not processed");
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

async fn post_with_version(
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

async fn walk(app: TestApp, locale: Locale) {
    set_all_locales(&app, locale);
    let mut f = Findings::default();
    // People's and towns' names are data, not texts of the platform.
    f.1.extend(
        [
            "Lena Vogt",
            "Sabine Kramer",
            "Tobias Schröder",
            "Paul Betreiber",
            "Brakel",
            "Warburg",
            "Kreis Höxter",
            "Höxter",
        ]
        .map(String::from),
    );
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel = app.login("digital@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    let coordinator_id = app.user_id("koordination@kreis-hoexter.example").await;

    // 1. Every event verb the code records renders in both languages without codes.
    every_verb_reads_well(&mut f, locale);
    // And every audit action of the code has a label.
    every_action_has_a_label(&mut f, locale);

    // 2. Drive the real API: a support request through its life, a project edited
    //    and moved, followed by another town, an adoption.
    let r = app
        .post(
            &brakel,
            "/api/v1/support/requests",
            json!({"category": "other", "title": "Website Relaunch", "description": "Hilfe / help"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let req = json_of(r).await;
    let rid = req["id"].as_str().unwrap().to_string();
    let r = post_with_version(
        &app,
        &coordinator,
        &format!("/api/v1/support/requests/{rid}/assign"),
        req["version"].as_i64().unwrap_or(1),
        json!({"assignee_id": coordinator_id}),
    )
    .await;
    assert!(r.status().is_success(), "assign: {}", r.status());
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/support/requests/{rid}/messages"),
            json!({"body": "Ok"}),
        )
        .await;
    assert!(r.status().is_success(), "reply: {}", r.status());
    let current = json_of(
        app.get(&coordinator, &format!("/api/v1/support/requests/{rid}"))
            .await,
    )
    .await;
    let r = post_with_version(
        &app,
        &coordinator,
        &format!("/api/v1/support/requests/{rid}/status"),
        current["version"].as_i64().unwrap(),
        json!({"status": "waiting"}),
    )
    .await;
    assert!(r.status().is_success(), "status: {}", r.status());

    let topics = json_of(app.get(&brakel, "/api/v1/topics").await).await;
    let topic_ids: Vec<Value> = topics
        .as_array()
        .or_else(|| topics["items"].as_array())
        .unwrap()
        .iter()
        .take(2)
        .map(|t| t["id"].clone())
        .collect();
    assert_eq!(topic_ids.len(), 2);
    let r = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Open Data Portal", "summary": "Open Data Portal", "visibility": "district"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let p = json_of(r).await;
    let pid = p["id"].as_str().unwrap().to_string();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/projects/{pid}/follow")))
        .bearer_auth(&warburg.token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "follow: {}", r.status());
    let r = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{pid}"),
            Some(p["version"].as_i64().unwrap()),
            json!({
                "topics": topic_ids,
                "budget_cents": 2_800_000,
                "planned_start": "2027-03-01",
                "visibility": "network",
                "contact_name": "Portal",
            }),
        )
        .await;
    assert_eq!(r.status(), 200, "edit project");
    let p = json_of(r).await;
    let r = post_with_version(
        &app,
        &brakel,
        &format!("/api/v1/projects/{pid}/status"),
        p["version"].as_i64().unwrap(),
        json!({"status": "draft"}),
    )
    .await;
    assert_eq!(r.status(), 200, "status");
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/projects/{pid}/comments"),
            json!({"body": "Portal"}),
        )
        .await;
    assert!(r.status().is_success(), "comment: {}", r.status());

    let solutions = json_of(app.get(&brakel, "/api/v1/efa/solutions?limit=100").await).await;
    let free = solutions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["adoptions"].as_array().is_none_or(|a| a.is_empty()));
    if let Some(s) = free.or_else(|| solutions["items"].as_array().unwrap().last()) {
        let sid = s["id"].as_str().unwrap();
        // The solution's name is data in whatever language its authors wrote it.
        f.1.push(s["name"].as_str().unwrap_or_default().to_string());
        let _ = app
            .post(
                &warburg,
                &format!("/api/v1/efa/solutions/{sid}/adoptions"),
                json!({}),
            )
            .await;
    }
    settle(&app).await;

    // 3. Notifications of everyone involved.
    for (who, s) in [
        ("brakel", &brakel),
        ("warburg", &warburg),
        ("coordinator", &coordinator),
    ] {
        let list = json_of(app.get(s, "/api/v1/notifications?limit=100").await).await;
        let items = list["items"].as_array().unwrap();
        for n in items {
            f.check(
                &format!("notification of {who} title"),
                n["title"].as_str().unwrap_or_default(),
                locale,
            );
            f.check(
                &format!("notification of {who} body"),
                n["body"].as_str().unwrap_or_default(),
                locale,
            );
        }
        if who != "coordinator" {
            assert!(!items.is_empty(), "{who} got no notification");
        }
    }

    // 4. The audit log as the admin reads it.
    let audit = json_of(app.get(&admin, "/api/v1/audit?limit=100").await).await;
    let entries = audit["items"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["action"] == "support.status"));
    assert!(entries.iter().any(|e| e["action"] == "support.assign"));
    for e in entries {
        let what = format!("audit {}", e["action"]);
        for key in ["action_label", "object_label", "summary_text"] {
            f.check(
                &format!("{what} {key}"),
                e[key].as_str().unwrap_or_default(),
                locale,
            );
        }
        // Raw values stay for machines.
        assert!(e["action"].is_string() && e["summary"].is_object(), "{e}");
    }
    let status = entries
        .iter()
        .find(|e| e["action"] == "support.status" && e["summary"]["from"] == "assigned")
        .unwrap();
    let expected = if locale == Locale::De {
        "Vorher: Zugewiesen; Nachher: In Bearbeitung"
    } else {
        "Before: Assigned; After: In progress"
    };
    assert_eq!(status["summary_text"], expected);

    // 5. The version diff of the project.
    let versions = json_of(
        app.get(&brakel, &format!("/api/v1/projects/{pid}/versions"))
            .await,
    )
    .await;
    let edit = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "budget_cents")
        })
        .expect("the edit is a version");
    let changes = edit["changes"].as_array().unwrap();
    for c in changes {
        let what = format!("version diff {}", c["field"]);
        for key in ["label", "from_text", "to_text"] {
            f.check(
                &format!("{what} {key}"),
                c[key].as_str().unwrap_or_default(),
                locale,
            );
        }
    }
    let budget = changes
        .iter()
        .find(|c| c["field"] == "budget_cents")
        .unwrap();
    assert_eq!(budget["to"], 2_800_000, "the raw value stays");
    assert_eq!(
        budget["to_text"],
        if locale == Locale::De {
            "28.000,00 €"
        } else {
            "€28,000.00"
        }
    );
    let start = changes
        .iter()
        .find(|c| c["field"] == "planned_start")
        .unwrap();
    assert_eq!(
        start["to_text"],
        if locale == Locale::De {
            "01.03.2027"
        } else {
            "1 March 2027"
        }
    );
    // Fields in the order of the form, not of their English keys.
    let order: Vec<&str> = changes
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    let pos = |f: &str| order.iter().position(|x| *x == f).unwrap();
    assert!(pos("visibility") < pos("topics") && pos("topics") < pos("planned_start"));
    assert!(
        pos("planned_start") < pos("budget_cents") && pos("budget_cents") < pos("contact_name")
    );
    let topics_change = changes.iter().find(|c| c["field"] == "topics").unwrap();
    for t in &topic_ids {
        assert!(
            !topics_change["to_text"]
                .as_str()
                .unwrap()
                .contains(t.as_str().unwrap()),
            "topic ids instead of names: {topics_change}"
        );
    }

    // 6. API errors of every kind the framework and the shared code produce.
    errors(&app, &brakel, &pid, &mut f, locale).await;

    f.assert_none();
}

async fn errors(app: &TestApp, brakel: &Session, pid: &str, f: &mut Findings, locale: Locale) {
    let accept = if locale == Locale::De {
        "de-DE,de;q=0.9"
    } else {
        "en-GB,en;q=0.9"
    };
    let body_cases = [
        (
            "unknown field",
            json!({"title": "Portal", "summary": "Portal", "farbe": "blau"}),
            "farbe",
        ),
        (
            "wrong type",
            json!({"title": 5, "summary": "Portal"}),
            "title",
        ),
        (
            "unknown variant",
            json!({"title": "Portal", "summary": "Portal", "visibility": "geheim"}),
            "visibility",
        ),
        (
            "bad date",
            json!({"title": "Portal", "summary": "Portal", "planned_start": "2027-02-30"}),
            "planned_start",
        ),
        ("missing field", json!({"summary": "Portal"}), "title"),
    ];
    for (what, body, field) in body_cases {
        let r = app.post(brakel, "/api/v1/projects", body).await;
        let status = r.status().as_u16();
        let p = json_of(r).await;
        assert_eq!(status, 422, "{what}: {p}");
        if what != "missing field" {
            assert_eq!(p["errors"][0]["field"], field, "{what}: {p}");
        }
        f.check_problem(what, &p, locale);
    }
    let r = app
        .client
        .post(app.url("/api/v1/projects"))
        .bearer_auth(&brakel.token)
        .header("Content-Type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    f.check_problem("broken JSON", &json_of(r).await, locale);
    let r = app
        .client
        .post(app.url("/api/v1/projects"))
        .bearer_auth(&brakel.token)
        .header("Content-Type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    f.check_problem("wrong content type", &json_of(r).await, locale);
    for (what, query, field) in [
        ("query unknown variant", "status=blau", "status"),
        ("query not a number", "limit=abc", "limit"),
        ("query out of range", "limit=500", "limit"),
        ("query huge number", "limit=99999999999999999999", "limit"),
    ] {
        let r = app.get(brakel, &format!("/api/v1/projects?{query}")).await;
        let status = r.status().as_u16();
        let p = json_of(r).await;
        assert!(status == 400 || status == 422, "{what}: {status} {p}");
        assert_eq!(p["errors"][0]["field"], field, "{what}: {p}");
        f.check_problem(what, &p, locale);
    }
    let limit = json_of(app.get(brakel, "/api/v1/projects?limit=abc").await).await;
    assert_eq!(
        limit["errors"][0]["message"],
        if locale == Locale::De {
            "„limit“ muss eine ganze Zahl zwischen 1 und 100 sein."
        } else {
            "\"limit\" must be a whole number between 1 and 100."
        }
    );
    // Messages built with `format!` (numbers, names and labels put in): English from
    // the patterns of the translation files for `en` users.
    formatted_messages(app, brakel, pid, f, locale).await;
    // 404, 405, 412, 428, 401 (no user: the Accept-Language header decides).
    let r = app
        .get(
            brakel,
            "/api/v1/projects/00000000-0000-0000-0000-000000000000",
        )
        .await;
    assert_eq!(r.status(), 404);
    f.check_problem("not found", &json_of(r).await, locale);
    let r = app.get(brakel, "/api/v1/no-such-thing").await;
    f.check_problem("no such route", &json_of(r).await, locale);
    let r = app
        .patch(
            brakel,
            &format!("/api/v1/projects/{pid}"),
            None,
            json!({"summary": "x"}),
        )
        .await;
    assert_eq!(r.status(), 428);
    f.check_problem("precondition required", &json_of(r).await, locale);
    let r = app
        .patch(
            brakel,
            &format!("/api/v1/projects/{pid}"),
            Some(1),
            json!({"summary": "x"}),
        )
        .await;
    assert_eq!(r.status(), 412);
    f.check_problem("precondition failed", &json_of(r).await, locale);
    let r = app
        .client
        .get(app.url("/api/v1/projects"))
        .header("Accept-Language", accept)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    f.check_problem("unauthorized", &json_of(r).await, locale);
    let r = app
        .client
        .delete(app.url("/api/v1/topics"))
        .bearer_auth(&brakel.token)
        .send()
        .await
        .unwrap();
    if r.status() == 405 {
        f.check_problem("method not allowed", &json_of(r).await, locale);
    }
}

async fn formatted_messages(
    app: &TestApp,
    brakel: &Session,
    pid: &str,
    f: &mut Findings,
    locale: Locale,
) {
    let en = locale == Locale::En;
    let mut messages = Vec::new();
    let mut check = |what: &str, p: &Value, f: &mut Findings| {
        f.check_problem(what, p, locale);
        for e in p["errors"].as_array().into_iter().flatten() {
            messages.push((
                e["field"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            ));
        }
    };
    // Too long a title: "Höchstens {max} Zeichen (jetzt {n})."
    let r = app
        .post(
            brakel,
            "/api/v1/projects",
            json!({"title": "x".repeat(250), "summary": "Portal"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    check("title too long", &json_of(r).await, f);
    // An unknown topic: the value the user sent put into the text.
    let r = app
        .post(
            brakel,
            "/api/v1/projects",
            json!({"title": "Portal", "summary": "Portal", "topics": ["farbe"]}),
        )
        .await;
    assert_eq!(r.status(), 422);
    check("unknown topic", &json_of(r).await, f);
    // A status move the life cycle does not allow: status labels put into the text.
    let current = json_of(app.get(brakel, &format!("/api/v1/projects/{pid}")).await).await;
    let r = post_with_version(
        app,
        brakel,
        &format!("/api/v1/projects/{pid}/status"),
        current["version"].as_i64().unwrap(),
        json!({"status": "live"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    check("status not allowed", &json_of(r).await, f);
    // Amounts out of range of a funding application: euro amounts put into the text.
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    digitalnetzwerk::funding::seed::import_reference_programmes(&mut app.conn()).unwrap();
    let programmes = json_of(
        app.get(&coordinator, "/api/v1/funding/programmes?q=Smart%20Cities")
            .await,
    )
    .await;
    let programme = programmes["items"][0]["id"].as_str().unwrap().to_string();
    let hoexter = app.municipality_id("05762020").await;
    let brakel_town = app.municipality_id("05762016").await;
    let r = app
        .post(
            &coordinator,
            "/api/v1/funding/applications",
            json!({
                "programme_id": programme,
                "title": "Portal",
                "lead_municipality_id": hoexter,
                "total_costs_cents": 1_000_000,
                "requested_cents": 1_000_000,
                "shares": [
                    {"municipality_id": hoexter, "share_cents": 600_000},
                    {"municipality_id": brakel_town, "share_cents": 300_000},
                ],
            }),
        )
        .await;
    assert_eq!(r.status(), 422);
    check("amounts out of range", &json_of(r).await, f);
    // A support request resolved before anyone took it: the statuses by their labels.
    let r = app
        .post(
            brakel,
            "/api/v1/support/requests",
            json!({"category": "other", "title": "Portal", "description": "Portal"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let req = json_of(r).await;
    let r = post_with_version(
        app,
        &coordinator,
        &format!(
            "/api/v1/support/requests/{}/status",
            req["id"].as_str().unwrap()
        ),
        req["version"].as_i64().unwrap(),
        json!({"status": "resolved"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    let p = json_of(r).await;
    f.check_problem("support step not allowed", &p, locale);
    assert_eq!(
        p["errors"][0]["message"],
        if en {
            "From \"Open\" to \"Resolved\" is not an allowed step. Assign it first."
        } else {
            "Von „Offen“ nach „Erledigt“ ist kein erlaubter Schritt. Erst zuweisen."
        }
    );

    let message = |field: &str| {
        messages
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("no message for {field}: {messages:?}"))
    };
    if en {
        assert_eq!(message("title"), "At most 200 characters (now 250).");
        assert_eq!(message("topics"), "Unknown topic \"farbe\".");
        assert_eq!(
            message("status"),
            "From \"Draft\" the only next steps are: Idea, Planned, Paused, Cancelled."
        );
        assert_eq!(
            message("shares"),
            "The shares add up to €9,000.00, the total cost is €10,000.00. Please divide them so that the sum is right."
        );
    } else {
        assert_eq!(message("title"), "Höchstens 200 Zeichen (jetzt 250).");
        assert_eq!(message("topics"), "Unbekanntes Thema \"farbe\".");
        assert_eq!(
            message("shares"),
            "Die Anteile ergeben 9.000,00 €, die Gesamtkosten sind 10.000,00 €. Bitte so verteilen, dass die Summe stimmt."
        );
    }
    // In English no German word of the texts is left.
    for (field, m) in &messages {
        if en {
            assert!(
                !m.chars().any(|c| "äöüÄÖÜß„".contains(c)),
                "{field}: {m:?} is not English"
            );
        }
    }
}

/// Renders every verb of `events::VERBS` with a typical payload and checks the text.
fn every_verb_reads_well(f: &mut Findings, locale: Locale) {
    use digitalnetzwerk::notify::fanout::{describe, EventRow};
    for verb in digitalnetzwerk::events::VERBS {
        let payload = json!({
            "from": "assigned", "to": "in_progress", "title": "Portal", "excerpt": "Portal",
            "solution": "Portal", "programme": "Portal", "days": 7, "deadline": "2027-01-15",
        });
        let payload = if verb.starts_with("project.") || verb.starts_with("adoption.") {
            json!({"from": "idea", "to": "live", "solution": "Portal", "fields": ["budget_cents"]})
        } else {
            payload
        };
        let e = EventRow {
            id: "e".into(),
            actor_id: None,
            verb: verb.to_string(),
            object_type: if verb.starts_with("support.") {
                "support_request".into()
            } else {
                "project".into()
            },
            object_id: "x".into(),
            project_id: None,
            district_id: None,
            municipality_id: None,
            visibility: None,
            target_user_id: None,
            payload: payload.to_string(),
            created_at: digitalnetzwerk::db::now(),
            processed_at: None,
        };
        let (title, body, _) = describe(&e, "Portal", "Portal", Some("Portal"), locale);
        f.check(&format!("event {verb} title"), &title, locale);
        f.check(&format!("event {verb} body"), &body, locale);
    }
    // A verb no text exists for still reads as words, not as its code.
    let mut e_title = String::new();
    if let Some(t) = labels::get(locale, "event.other") {
        e_title.push_str(t);
    }
    f.check("event fallback", &e_title, locale);
}

/// Every audit action and event verb written in `src/` is listed, and every action has
/// a label in both files.
fn every_action_has_a_label(f: &mut Findings, locale: Locale) {
    let verbs = digitalnetzwerk::events::VERBS;
    let actions = digitalnetzwerk::audit::ACTIONS;
    let mut missing = Vec::new();
    let prefixes = [
        "adoption",
        "attachment",
        "comment",
        "district",
        "efa",
        "funding",
        "invitation",
        "municipality",
        "outbox",
        "project",
        "support",
        "user",
        "update",
        "partner",
    ];
    for path in rust_files(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))) {
        if path.to_string_lossy().contains("/i18n") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for lit in text.split('"').skip(1).step_by(2) {
            let Some((prefix, rest)) = lit.split_once('.') else {
                continue;
            };
            if !prefixes.contains(&prefix)
                || rest.is_empty()
                || !rest.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                continue;
            }
            if !verbs.contains(&lit) && !actions.contains(&lit) {
                missing.push(format!("{lit} ({})", path.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in events::VERBS or audit::ACTIONS: {missing:?}"
    );
    for a in actions {
        match labels::get(locale, &format!("audit.action.{a}")) {
            Some(l) => f.check(&format!("audit action {a}"), l, locale),
            None => f.0.push(format!("audit action {a} has no label")),
        }
    }
}

fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}
