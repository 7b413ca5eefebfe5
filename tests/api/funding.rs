//! Funding: joint applications with shares, checklist, permissions, exact money, the ICS calendar.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, Session, TestApp};

both_backends!(
    joint_application_with_shares_checklist_and_status,
    money_is_exact_up_to_fifty_million_euros,
    ics_feed_has_berlin_times_and_stable_uids,
    programmes_are_edited_by_coordinators_with_if_match,
    programmes_are_filtered_by_topic,
    linked_projects_respect_visibility,
    a_partners_share_is_not_offered_for_editing_when_every_change_breaks_the_sum,
    application_edit_null_clears_an_optional_field_and_absent_keeps_it,
);

async fn programmes_are_filtered_by_topic(app: TestApp) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let slugs = |list: Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["slug"].as_str().unwrap().to_string())
            .collect()
    };
    let schools: Value = app
        .get(
            &coordinator,
            "/api/v1/funding/programmes?topic=bildung-schulen",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(slugs(schools), vec!["digitalpakt_schule_nrw"]);
    let id = programme_id(&app, &coordinator, "mpsc").await;
    let p: Value = app
        .get(&coordinator, &format!("/api/v1/funding/programmes/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["topics"], json!(["smart-city", "daten-open-data"]));
    let v = p["version"].as_i64().unwrap();
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/programmes/{id}"),
            Some(v),
            json!({"topics": ["bildung-schulen", "erfunden"]}),
        )
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["topics"]);
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/programmes/{id}"),
            Some(v),
            json!({"topics": ["bildung-schulen", "smart-city"]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let schools: Value = app
        .get(
            &coordinator,
            "/api/v1/funding/programmes?topic=bildung-schulen",
        )
        .await
        .json()
        .await
        .unwrap();
    let mut found = slugs(schools);
    found.sort();
    assert_eq!(found, vec!["digitalpakt_schule_nrw", "mpsc"]);
    let data: Value = app
        .get(
            &coordinator,
            "/api/v1/funding/programmes?topic=daten-open-data",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(data["total"], 0);
}

async fn linked_projects_respect_visibility(app: TestApp) {
    programmes(&app);
    let brakel = app.login("digital@brakel.example").await;
    let create = |title: &str, visibility: &str| json!({"title": title, "summary": "Für den Förderantrag", "visibility": visibility});
    let private: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            create("Interne Kostenplanung", "private"),
        )
        .await
        .json()
        .await
        .unwrap();
    let shared: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            create("Digitale Bürgerbeteiligung", "district"),
        )
        .await
        .json()
        .await
        .unwrap();
    let mpsc = programme_id(&app, &brakel, "mpsc").await;
    let town = app.municipality_id("05762016").await;
    let r = app
        .post(
            &brakel,
            "/api/v1/funding/applications",
            json!({
                "programme_id": mpsc,
                "title": "Beteiligung digital",
                "lead_municipality_id": town,
                "total_costs_cents": 100_000,
                "requested_cents": 50_000,
                "shares": [{"municipality_id": town, "share_cents": 100_000}],
                "project_ids": [private["id"], shared["id"], shared["id"]],
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    let id = a["id"].as_str().unwrap();
    let titles = |a: &Value| -> Vec<String> {
        a["projects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&a),
        vec!["Digitale Bürgerbeteiligung", "Interne Kostenplanung"]
    );
    // The coordinator does not learn of Brakel's private draft, and replacing the
    // links they see keeps the hidden one.
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let path = format!("/api/v1/funding/applications/{id}");
    let seen: Value = app.get(&coordinator, &path).await.json().await.unwrap();
    assert_eq!(titles(&seen), vec!["Digitale Bürgerbeteiligung"]);
    let r = app
        .patch(
            &coordinator,
            &path,
            seen["version"].as_i64(),
            json!({"project_ids": []}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(titles(&r.json().await.unwrap()), Vec::<String>::new());
    let own: Value = app.get(&brakel, &path).await.json().await.unwrap();
    assert_eq!(titles(&own), vec!["Interne Kostenplanung"]);
}

async fn programmes_are_edited_by_coordinators_with_if_match(app: TestApp) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let id = programme_id(&app, &coordinator, "mpsc").await;
    let p: Value = app
        .get(&coordinator, &format!("/api/v1/funding/programmes/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let v = p["version"].as_i64().unwrap();
    let officer = app.login("digital@brakel.example").await;
    assert_problem(
        app.patch(
            &officer,
            &format!("/api/v1/funding/programmes/{id}"),
            Some(v),
            json!({"rate_bp": 7000}),
        )
        .await,
        403,
    )
    .await;
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/programmes/{id}"),
            Some(v),
            json!({"rate_bp": 12000, "status": "bald"}),
        )
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["rate_bp", "status"]
    );
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/programmes/{id}"),
            Some(v),
            json!({"rate_bp": 7000, "status": "upcoming"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let after: Value = r.json().await.unwrap();
    assert_eq!(
        (after["rate_bp"].as_i64(), after["status"].as_str()),
        (Some(7000), Some("upcoming"))
    );
    assert_eq!(after["name"], p["name"], "unchanged fields stay");
    assert_problem(
        app.patch(
            &coordinator,
            &format!("/api/v1/funding/programmes/{id}"),
            Some(v),
            json!({"rate_bp": 6500}),
        )
        .await,
        412,
    )
    .await;
}

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

async fn joint_application_with_shares_checklist_and_status(app: TestApp) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let mpsc = programme_id(&app, &coordinator, "mpsc").await;
    let hoexter = app.municipality_id("05762020").await;
    let brakel = app.municipality_id("05762016").await;
    let warburg = app.municipality_id("05762036").await;
    let body = |brakel_share: i64| {
        json!({
            "programme_id": mpsc,
            "title": "Smarte Nahversorgung im Kreis Höxter",
            "lead_municipality_id": hoexter,
            "total_costs_cents": 300_000_000i64,
            "requested_cents": 195_000_000i64,
            "shares": [
                {"municipality_id": hoexter, "share_cents": 150_000_000i64},
                {"municipality_id": brakel, "share_cents": brakel_share},
                {"municipality_id": warburg, "share_cents": 75_000_000i64},
            ],
            "notes": "Intern: Eigenanteil Höxter über Nachtragshaushalt",
        })
    };
    // Shares that do not add up are refused in German.
    let r = app
        .post(
            &coordinator,
            "/api/v1/funding/applications",
            body(70_000_000),
        )
        .await;
    let p = assert_problem(r, 422).await;
    assert_eq!(fields(&p), vec!["shares"]);
    assert!(p["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Gesamtkosten"));
    assert_eq!(app.count("funding_applications"), 0);
    let r = app
        .post(
            &coordinator,
            "/api/v1/funding/applications",
            body(75_000_000),
        )
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(a["own_contribution_cents"], 105_000_000i64);
    assert_eq!(a["lead_municipality_name"], "Höxter");
    let titles: Vec<&str> = a["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Ratsbeschluss") && titles.contains(&"Kooperationsvereinbarung"));

    // Assign "Ratsbeschluss" to the Brakel officer, who ticks it.
    let lena = app.login("digital@brakel.example").await;
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
            Some(1),
            json!({"assignee_id": lena.me["id"], "due_date": "2027-01-15"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    // Her calendar has the item on its due date, stamped when the feed was made (RFC
    // 5545 §3.8.7.2), never on the (future) due date; read with a real iCalendar parser.
    {
        use icalendar::{Calendar, CalendarComponent, Component};
        let link: Value = app
            .post(&lena, "/api/v1/me/calendar-token", json!({}))
            .await
            .json()
            .await
            .unwrap();
        let ics = app
            .client
            .get(link["url"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let cal: Calendar = ics.parse().expect("a valid iCalendar");
        let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut checked = 0;
        for c in &cal.components {
            if let CalendarComponent::Event(e) = c {
                let stamp = e.properties().get("DTSTAMP").unwrap().value().to_string();
                assert!(
                    stamp.len() == 16 && stamp <= now,
                    "DTSTAMP {stamp} is after {now}"
                );
                if e.get_summary().unwrap().contains("Ratsbeschluss") {
                    let start = e.properties().get("DTSTART").unwrap().value().to_string();
                    assert_eq!(start, "20270115");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 1, "the assigned item is in the calendar: {ics}");
    }
    let r = app
        .patch(
            &lena,
            &format!("/api/v1/funding/checklist/{iid}"),
            Some(2),
            json!({"done": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let after: Value = r.json().await.unwrap();
    assert_eq!(
        after["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == iid)
            .unwrap()["done"],
        true
    );
    // … but may not rename it or tick others.
    assert_problem(
        app.patch(
            &lena,
            &format!("/api/v1/funding/checklist/{iid}"),
            Some(3),
            json!({"title": "x"}),
        )
        .await,
        403,
    )
    .await;

    // Warburg: no private notes, cannot edit Brakel's share, own share must keep the sum.
    let tobias = app.login("digital@warburg.example").await;
    let seen: Value = app
        .get(&tobias, &format!("/api/v1/funding/applications/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(seen["notes"].is_null());
    assert!(!serde_json::to_string(&seen)
        .unwrap()
        .contains("Nachtragshaushalt"));
    let r = app
        .patch(
            &tobias,
            &format!("/api/v1/funding/applications/{id}"),
            Some(1),
            json!({"shares": [{"municipality_id": brakel, "share_cents": 1}]}),
        )
        .await;
    assert_problem(r, 403).await;
    let r = app
        .patch(
            &tobias,
            &format!("/api/v1/funding/applications/{id}"),
            Some(1),
            json!({"shares": [{"municipality_id": warburg, "share_cents": 80_000_000i64}]}),
        )
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["shares"]);
    let r = app
        .patch(
            &tobias,
            &format!("/api/v1/funding/applications/{id}"),
            Some(1),
            json!({"notes": "überschrieben"}),
        )
        .await;
    assert_problem(r, 403).await;
    let lead_view: Value = app
        .get(&coordinator, &format!("/api/v1/funding/applications/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        lead_view["notes"],
        "Intern: Eigenanteil Höxter über Nachtragshaushalt"
    );

    // Status: no jump, then idea → preparing → submitted.
    let r = post_if(
        &app,
        &coordinator,
        &format!("/api/v1/funding/applications/{id}/status"),
        1,
        json!({"status": "approved"}),
    )
    .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["status"]);
    assert_eq!(
        post_if(
            &app,
            &coordinator,
            &format!("/api/v1/funding/applications/{id}/status"),
            1,
            json!({"status": "preparing"})
        )
        .await
        .status(),
        200
    );
    let r = post_if(
        &app,
        &coordinator,
        &format!("/api/v1/funding/applications/{id}/status"),
        2,
        json!({"status": "submitted"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "submitted");
    assert!(done["submitted_on"].is_string());
    assert_eq!(done["history"].as_array().unwrap().len(), 3);
    // The requested amount is checked against the programme: 65 % base, 90 % with a condition.
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/applications/{id}"),
            Some(3),
            json!({"requested_cents": 240_000_000i64}),
        )
        .await;
    let warned: Value = r.json().await.unwrap();
    assert!(warned["warnings"][0]
        .as_str()
        .unwrap()
        .contains("erhöhten Quote"));
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/applications/{id}"),
            Some(4),
            json!({"requested_cents": 290_000_000i64}),
        )
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["requested_cents"]
    );
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/applications/{id}"),
            Some(4),
            json!({"approved_cents": 250_000_000i64}),
        )
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["approved_cents"]
    );
}

async fn money_is_exact_up_to_fifty_million_euros(app: TestApp) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let mpsc = programme_id(&app, &coordinator, "mpsc").await;
    let towns = [
        app.municipality_id("05762020").await,
        app.municipality_id("05762016").await,
        app.municipality_id("05762036").await,
    ];
    let total: i64 = 5_000_000_000; // 50 M€
    let shares = [1_666_666_667i64, 1_666_666_667, 1_666_666_666];
    let requested: i64 = 1_499_999_999; // just under the 15 M€ maximum
    let mut body = json!({
        "programme_id": mpsc,
        "title": "Großprojekt",
        "lead_municipality_id": towns[0],
        "total_costs_cents": total,
        "requested_cents": requested,
        "shares": towns.iter().zip(shares).map(|(t, s)| json!({"municipality_id": t, "share_cents": s})).collect::<Vec<_>>(),
    });
    let r = app
        .post(&coordinator, "/api/v1/funding/applications", body.clone())
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["total_costs_cents"].as_i64(), Some(total));
    assert_eq!(
        a["own_contribution_cents"].as_i64(),
        Some(total - requested)
    );
    // Over the programme maximum of 15 M€: refused.
    body["requested_cents"] = json!(1_500_000_001i64);
    let r = app
        .post(&coordinator, "/api/v1/funding/applications", body.clone())
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["requested_cents"]
    );
    // A second, smaller application.
    body["requested_cents"] = json!(33_333_333i64);
    body["total_costs_cents"] = json!(99_999_999i64);
    body["shares"] = json!([{"municipality_id": towns[0], "share_cents": 33_333_333i64}, {"municipality_id": towns[1], "share_cents": 66_666_666i64}]);
    assert_eq!(
        app.post(&coordinator, "/api/v1/funding/applications", body)
            .await
            .status(),
        201
    );
    let o: Value = app
        .get(&coordinator, "/api/v1/funding/overview")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(o["total_costs_cents"].as_i64(), Some(total + 99_999_999));
    assert_eq!(
        o["total_requested_cents"].as_i64(),
        Some(requested + 33_333_333)
    );
    let rows = o["rows"].as_array().unwrap();
    let sum = |k: &str| rows.iter().map(|r| r[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(sum("costs_cents"), total + 99_999_999);
    assert_eq!(
        sum("requested_cents"),
        requested + 33_333_333,
        "attributed parts add up exactly"
    );
    assert_eq!(
        sum("own_contribution_cents"),
        o["total_own_contribution_cents"].as_i64().unwrap()
    );
    let csv = app
        .get(&coordinator, "/api/v1/funding/overview.csv")
        .await
        .bytes()
        .await
        .unwrap();
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(
        text.contains("Summe Kreis;;50.999.999,99;15.333.333,32;0,00;35.666.666,67"),
        "{text}"
    );
}

async fn ics_feed_has_berlin_times_and_stable_uids(app: TestApp) {
    use icalendar::{Calendar, CalendarComponent, Component};
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let leader = programme_id(&app, &coordinator, "leader_kulturland_kreis_hoexter").await;
    // Before and after the change to summer time on 28 March 2027; one date-only deadline.
    for (title, date, time) in [
        ("Winterfrist", "2027-03-26", Some("12:00:00")),
        ("Sommerfrist", "2027-03-29", Some("12:00:00")),
        ("Ganztägig", "2027-04-30", None),
    ] {
        let r = app
            .post(
                &coordinator,
                &format!("/api/v1/funding/programmes/{leader}/calls"),
                json!({"title": title, "deadline_date": date, "deadline_time": time}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let lena = app.login("digital@brakel.example").await;
    let r = app
        .post(
            &lena,
            &format!("/api/v1/funding/programmes/{leader}/interest"),
            json!({"note": "Dorfladen-App"}),
        )
        .await;
    assert_eq!(r.status(), 204);
    let link: Value = app
        .post(&lena, "/api/v1/me/calendar-token", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let url = link["url"].as_str().unwrap().to_string();
    let fetch = || async { app.client.get(&url).send().await.unwrap() };
    let first = fetch().await;
    assert!(first
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = first.text().await.unwrap();
    assert!(ics.contains("\r\n"), "CRLF line endings");
    let cal: Calendar = ics.parse().expect("a valid iCalendar");
    let mut found = std::collections::BTreeMap::new();
    for c in &cal.components {
        if let CalendarComponent::Event(e) = c {
            let summary = e.get_summary().unwrap().to_string();
            let start = e.properties().get("DTSTART").unwrap().value().to_string();
            found.insert(
                summary.split(" – ").last().unwrap().to_string(),
                (start, e.get_uid().unwrap().to_string()),
            );
        }
    }
    assert_eq!(found["Winterfrist"].0, "20270326T110000Z", "12:00 CET");
    assert_eq!(found["Sommerfrist"].0, "20270329T100000Z", "12:00 CEST");
    assert_eq!(found["Ganztägig"].0, "20270430");
    let again: Calendar = fetch().await.text().await.unwrap().parse().unwrap();
    let uids: Vec<String> = again
        .components
        .iter()
        .filter_map(|c| {
            if let CalendarComponent::Event(e) = c {
                e.get_uid().map(str::to_string)
            } else {
                None
            }
        })
        .collect();
    for (_, uid) in found.values() {
        assert!(uids.contains(uid), "UID {uid} changed between fetches");
    }
    // Renewing the address makes the old one stop working.
    app.post(&lena, "/api/v1/me/calendar-token", json!({}))
        .await;
    assert_problem(fetch().await, 404).await;
    // Warburg's calendar does not include Brakel's interest.
    let tobias = app.login("digital@warburg.example").await;
    let link: Value = app
        .post(&tobias, "/api/v1/me/calendar-token", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let fetch_other = || async {
        let resp = app
            .client
            .get(link["url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let text = resp.text().await.unwrap();
        assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
        text
    };
    assert!(!fetch_other().await.contains("Winterfrist"));
    // Positive control: once Warburg declares its own interest, the call is there.
    let r = app
        .post(
            &tobias,
            &format!("/api/v1/funding/programmes/{leader}/interest"),
            json!({"note": "Warburger Dorfladen"}),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert!(fetch_other().await.contains("Winterfrist"));
}

/// #14 walk-through: the shares must add up to the total costs and a partner may change
/// only its own, so every partner change breaks the sum. The share must not be offered
/// as editable to the partner (`can_edit: false`); the lead side still edits all shares.
async fn a_partners_share_is_not_offered_for_editing_when_every_change_breaks_the_sum(
    app: TestApp,
) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let mpsc = programme_id(&app, &coordinator, "mpsc").await;
    let hoexter = app.municipality_id("05762020").await;
    let warburg = app.municipality_id("05762036").await;
    let r = app
        .post(
            &coordinator,
            "/api/v1/funding/applications",
            json!({
                "programme_id": mpsc,
                "title": "Gemeinsamer Antrag Höxter und Warburg",
                "lead_municipality_id": hoexter,
                "total_costs_cents": 100_000_000i64,
                "requested_cents": 65_000_000i64,
                "shares": [
                    {"municipality_id": hoexter, "share_cents": 60_000_000i64},
                    {"municipality_id": warburg, "share_cents": 40_000_000i64},
                ],
            }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let share_of = |a: &Value, town: &str| -> Value {
        a["shares"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["municipality_id"] == town)
            .cloned()
            .unwrap()
    };
    let tobias = app.login("digital@warburg.example").await;
    let seen: Value = app
        .get(&tobias, &format!("/api/v1/funding/applications/{id}"))
        .await
        .json()
        .await
        .unwrap();
    // Any change of Warburg's own share breaks the sum …
    for cents in [39_000_000i64, 41_000_000, 0] {
        let r = app
            .patch(
                &tobias,
                &format!("/api/v1/funding/applications/{id}"),
                seen["version"].as_i64(),
                json!({"shares": [{"municipality_id": warburg, "share_cents": cents}]}),
            )
            .await;
        assert!(
            matches!(r.status().as_u16(), 403 | 422),
            "partner changed its share to {cents}: {}",
            r.status()
        );
    }
    // … so the share is not offered for editing.
    assert_eq!(share_of(&seen, &warburg)["can_edit"], false, "{seen}");
    assert_eq!(share_of(&seen, &hoexter)["can_edit"], false);
    // The lead side edits every share.
    let lead: Value = app
        .get(&coordinator, &format!("/api/v1/funding/applications/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(share_of(&lead, &warburg)["can_edit"], true);
    assert_eq!(share_of(&lead, &hoexter)["can_edit"], true);
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/applications/{id}"),
            lead["version"].as_i64(),
            json!({"shares": [
                {"municipality_id": hoexter, "share_cents": 59_000_000i64},
                {"municipality_id": warburg, "share_cents": 41_000_000i64},
            ]}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

/// PATCH of an application: `null` clears an optional field, an absent field keeps its
/// value (as for projects); a call of another programme is refused.
async fn application_edit_null_clears_an_optional_field_and_absent_keeps_it(app: TestApp) {
    programmes(&app);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let mpsc = programme_id(&app, &coordinator, "mpsc").await;
    let leader = programme_id(&app, &coordinator, "leader_kulturland_kreis_hoexter").await;
    let mut calls = Vec::new();
    for pid in [&mpsc, &leader] {
        let r = app
            .post(
                &coordinator,
                &format!("/api/v1/funding/programmes/{pid}/calls"),
                json!({"title": "Aufruf 2027", "deadline_date": "2027-09-30"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let programme: Value = r.json().await.unwrap();
        let call = programme["calls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["title"] == "Aufruf 2027")
            .unwrap();
        calls.push(call["id"].as_str().unwrap().to_string());
    }
    let hoexter = app.municipality_id("05762020").await;
    let r = app
        .post(
            &coordinator,
            "/api/v1/funding/applications",
            json!({
                "programme_id": mpsc,
                "call_id": calls[0],
                "title": "Antrag mit allem",
                "lead_municipality_id": hoexter,
                "total_costs_cents": 100_000_000i64,
                "requested_cents": 65_000_000i64,
                "approved_cents": 60_000_000i64,
                "notes": "Intern: Ratsbeschluss im Mai",
            }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let a: Value = r.json().await.unwrap();
    let id = a["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/funding/applications/{id}");
    let r = app
        .patch(
            &coordinator,
            &path,
            a["version"].as_i64(),
            json!({"submitted_on": "2027-06-01", "decision_on": "2027-08-15"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["call_id"], calls[0].as_str());
    assert_eq!(a["approved_cents"], 60_000_000i64);
    assert_eq!(a["submitted_on"], "2027-06-01");

    // A call of another programme is refused and changes nothing.
    let r = app
        .patch(
            &coordinator,
            &path,
            a["version"].as_i64(),
            json!({"call_id": calls[1]}),
        )
        .await;
    let p = assert_problem(r, 422).await;
    assert_eq!(fields(&p), vec!["call_id"]);

    let r = app
        .patch(
            &coordinator,
            &path,
            a["version"].as_i64(),
            json!({"approved_cents": null, "call_id": null, "submitted_on": null, "notes": null}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let after: Value = r.json().await.unwrap();
    assert!(after["approved_cents"].is_null(), "{after}");
    assert!(after["call_id"].is_null(), "{after}");
    assert!(after["submitted_on"].is_null(), "{after}");
    assert_eq!(after["notes"], "", "{after}");
    // Absent fields keep their value.
    assert_eq!(after["decision_on"], "2027-08-15");
    assert_eq!(after["title"], "Antrag mit allem");
    assert_eq!(after["total_costs_cents"], 100_000_000i64);
    assert_eq!(after["requested_cents"], 65_000_000i64);
    // And the clearing is stored, not only answered.
    let stored: Value = app.get(&coordinator, &path).await.json().await.unwrap();
    assert!(stored["approved_cents"].is_null() && stored["call_id"].is_null());
    assert_eq!(stored["decision_on"], "2027-08-15");
}
