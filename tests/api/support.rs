//! Support requests and dashboards.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, TestApp};

both_backends!(
    support_request_flow_hides_internal_notes_and_measures_response,
    officers_cannot_read_other_towns_requests_or_internal_notes,
    dashboard_numbers_equal_direct_counts_and_respect_visibility,
    dashboard_query_count_does_not_grow_with_towns,
    recent_activity_skips_hidden_projects_across_pages,
    requests_name_only_projects_and_applications_of_their_town,
    request_lists_page_and_filter_overdue,
    a_reply_of_the_district_starts_the_work,
);

/// The queue is counted and paged by the database; "overdue" keeps only requests without
/// an answer after the working-day limit or past their wished-for date, on every page.
async fn request_lists_page_and_filter_overdue(app: TestApp) {
    use diesel::prelude::*;
    use digitalnetzwerk::db::schema::support_requests;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel = app.login("digital@brakel.example").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let r = app
            .post(
                &brakel,
                "/api/v1/support/requests",
                json!({"category": "other", "title": format!("Anfrage {i}"), "description": "Bitte um Hilfe."}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    // 0 and 1: two weeks old, unanswered (overdue); 2: as old but answered (not overdue);
    // 3: new, its wished-for date passed (overdue); 4: new (not overdue).
    let now = digitalnetzwerk::db::now();
    let old = now - chrono::Duration::days(14);
    let mut conn = app.conn();
    for (i, id) in ids.iter().enumerate() {
        let row = support_requests::table.find(id);
        match i {
            0 | 1 => diesel::update(row)
                .set(support_requests::created_at.eq(old + chrono::Duration::minutes(i as i64)))
                .execute(&mut conn),
            2 => diesel::update(row)
                .set((
                    support_requests::created_at.eq(old),
                    support_requests::first_response_at.eq(Some(old + chrono::Duration::hours(2))),
                ))
                .execute(&mut conn),
            3 => diesel::update(row)
                .set(support_requests::wished_date.eq(Some(now.date() - chrono::Duration::days(1))))
                .execute(&mut conn),
            _ => Ok(0),
        }
        .unwrap();
    }
    let list = |query: &'static str| {
        let (app, coordinator) = (&app, &coordinator);
        async move {
            let v: Value = app
                .get(coordinator, &format!("/api/v1/support/requests?{query}"))
                .await
                .json()
                .await
                .unwrap();
            let titles: Vec<String> = v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["title"].as_str().unwrap().to_string())
                .collect();
            (v["total"].as_i64().unwrap(), titles)
        }
    };
    // Newest first: 4, 3 (created now), then 1, 0, 2 by their old times.
    assert_eq!(
        list("limit=2").await,
        (5, vec!["Anfrage 4".into(), "Anfrage 3".into()])
    );
    assert_eq!(list("limit=2&page=3").await, (5, vec!["Anfrage 2".into()]));
    assert_eq!(
        list("overdue=true").await,
        (
            3,
            vec!["Anfrage 3".into(), "Anfrage 1".into(), "Anfrage 0".into()]
        )
    );
    assert_eq!(
        list("overdue=true&limit=2&page=2").await,
        (3, vec!["Anfrage 0".into()])
    );
    let (total, _) = list("overdue=true&status=open").await;
    assert_eq!(total, 3);
}

/// A request is about the asking town's work: a project it owns or co-develops, an
/// application it leads or shares. Anything else is refused with the field named, and
/// a refused request stores nothing.
async fn requests_name_only_projects_and_applications_of_their_town(app: TestApp) {
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel = app.login("digital@brakel.example").await;
    // Höxter leads, Brakel has a share.
    let application = crate::documents::joint_application(&app, &coordinator).await;
    let application = application["id"].as_str().unwrap();
    let r = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Digitale Bauakte", "summary": "Bauanträge online stellen"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let project: Value = r.json().await.unwrap();
    let project = project["id"].as_str().unwrap();
    let nieheim = app.municipality_id("05762028").await;
    // The form offers the town's applications through the list's town filter.
    for (ags, expected) in [("05762020", 1), ("05762016", 1), ("05762028", 0)] {
        let town = app.municipality_id(ags).await;
        let list: Value = app
            .get(
                &coordinator,
                &format!("/api/v1/funding/applications?municipality_id={town}"),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], expected, "applications of {ags}");
    }
    let request = |extra: Value| {
        let mut body = json!({
            "category": "funding_application",
            "title": "Hilfe beim Antrag",
            "description": "Wir brauchen Unterstützung beim Finanzierungsplan.",
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    for (extra, field) in [
        (
            json!({"municipality_id": nieheim, "project_id": project}),
            "project_id",
        ),
        (
            json!({"municipality_id": nieheim, "application_id": application}),
            "application_id",
        ),
    ] {
        let r = app
            .post(&coordinator, "/api/v1/support/requests", request(extra))
            .await;
        let problem = assert_problem(r, 422).await;
        assert_eq!(fields(&problem), vec![field.to_string()]);
    }
    let list: Value = app
        .get(&coordinator, "/api/v1/support/requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0, "a refused request stores nothing");
    let r = app
        .post(
            &brakel,
            "/api/v1/support/requests",
            request(json!({"project_id": project, "application_id": application})),
        )
        .await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["project_id"], project);
    assert_eq!(created["application_id"], application);
    // The project by its title, for those who may read the project only.
    assert_eq!(created["project_title"], "Digitale Bauakte");
    let rid = created["id"].as_str().unwrap();
    let desk: Value = app
        .get(&coordinator, &format!("/api/v1/support/requests/{rid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(desk["project_title"], "Digitale Bauakte");
    {
        use diesel::prelude::*;
        use digitalnetzwerk::db::schema::projects;
        diesel::update(projects::table.find(project))
            .set(projects::visibility.eq("private"))
            .execute(&mut app.conn())
            .unwrap();
    }
    let desk: Value = app
        .get(&coordinator, &format!("/api/v1/support/requests/{rid}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(desk["project_title"].is_null(), "{}", desk["project_title"]);
    let own: Value = app
        .get(&brakel, &format!("/api/v1/support/requests/{rid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["project_title"], "Digitale Bauakte");
}

/// Hundreds of newer events of a private draft must neither show up nor push the visible
/// news out of the district's recent activity.
async fn recent_activity_skips_hidden_projects_across_pages(app: TestApp) {
    use diesel::prelude::*;
    use digitalnetzwerk::db::schema::events;
    let brakel = app.login("digital@brakel.example").await;
    let shared: Value = app
        .post(&brakel, "/api/v1/projects", json!({"title": "Digitale Sitzungsgeld-Abrechnung", "summary": "Für den Kreis sichtbar", "visibility": "district"}))
        .await
        .json()
        .await
        .unwrap();
    let private: Value = app
        .post(&brakel, "/api/v1/projects", json!({"title": "Geheime Vorplanung", "summary": "Nur Brakel", "visibility": "private"}))
        .await
        .json()
        .await
        .unwrap();
    let mut conn = app.conn();
    let district: String = events::table
        .filter(events::project_id.eq(private["id"].as_str().unwrap()))
        .select(events::district_id.assume_not_null())
        .first(&mut conn)
        .unwrap();
    let base = digitalnetzwerk::db::now() + chrono::Duration::minutes(1);
    for i in 0..450 {
        diesel::insert_into(events::table)
            .values((
                events::id.eq(digitalnetzwerk::db::new_id()),
                events::verb.eq("project.updated"),
                events::object_type.eq("project"),
                events::object_id.eq(private["id"].as_str().unwrap()),
                events::project_id.eq(private["id"].as_str()),
                events::district_id.eq(&district),
                events::visibility.eq("private"),
                events::payload.eq("{}"),
                events::created_at.eq(base + chrono::Duration::seconds(i)),
                events::processed_at.eq(Some(base)),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let d: Value = app
        .get(&coordinator, "/api/v1/dashboard/district")
        .await
        .json()
        .await
        .unwrap();
    let text = serde_json::to_string(&d["recent_activity"]).unwrap();
    assert!(!text.contains(private["id"].as_str().unwrap()), "{text}");
    assert!(text.contains(shared["id"].as_str().unwrap()), "{text}");
    // Brakel's officer sees her own private draft's news first.
    let own: Value = app
        .get(&brakel, "/api/v1/dashboard/district")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["recent_activity"].as_array().unwrap().len(), 20);
    assert_eq!(own["recent_activity"][0]["project_id"], private["id"]);
}

async fn post_if(
    app: &TestApp,
    token: &str,
    path: &str,
    version: i64,
    body: Value,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("If-Match", format!("\"{version}\""))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn support_request_flow_hides_internal_notes_and_measures_response(app: TestApp) {
    let nieheim = app.login("digital@nieheim.example").await;
    let r = app
        .post(&nieheim, "/api/v1/support/requests", json!({"category": "funding_application", "title": "Hilfe beim Förderantrag Smart Cities", "description": "Wir brauchen Unterstützung beim Finanzierungsplan.", "urgency": "high"}))
        .await;
    assert_eq!(r.status(), 201);
    let req: Value = r.json().await.unwrap();
    let id = req["id"].as_str().unwrap().to_string();
    assert_eq!(req["status"], "open");
    assert_eq!(req["can_triage"], false);

    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let me_id = coordinator.me["id"].as_str().unwrap();
    // Resolving before assignment is refused.
    let r = post_if(
        &app,
        &coordinator.token,
        &format!("/api/v1/support/requests/{id}/status"),
        1,
        json!({"status": "resolved"}),
    )
    .await;
    let p = assert_problem(r, 422).await;
    assert_eq!(fields(&p), vec!["status"]);
    // The statuses by their labels, not their codes.
    assert_eq!(
        p["errors"][0]["message"],
        "Von „Offen“ nach „Erledigt“ ist kein erlaubter Schritt. Erst zuweisen."
    );
    // Assign to someone outside the district's coordination: refused.
    let officer_id = nieheim.me["id"].as_str().unwrap();
    let r = post_if(
        &app,
        &coordinator.token,
        &format!("/api/v1/support/requests/{id}/assign"),
        1,
        json!({"assignee_id": officer_id}),
    )
    .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["assignee_id"]);
    let r = post_if(
        &app,
        &coordinator.token,
        &format!("/api/v1/support/requests/{id}/assign"),
        1,
        json!({"assignee_id": me_id}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let assigned: Value = r.json().await.unwrap();
    assert_eq!(assigned["status"], "assigned");
    assert_eq!(assigned["assignee_name"], "Sabine Kramer");
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/support/requests/{id}/messages"),
            json!({"body": "Gern! Ich schicke Ihnen eine Vorlage.", "internal": false}),
        )
        .await;
    assert_eq!(r.status(), 201);
    // The district's answer starts the work: "in progress", a new version.
    let after_reply: Value = app
        .get(&nieheim, &format!("/api/v1/support/requests/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after_reply["status"], "in_progress");
    assert_eq!(after_reply["version"], 3);
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/support/requests/{id}/messages"),
            json!({"body": "Intern: Nieheim braucht wohl mehr Personal.", "internal": true}),
        )
        .await;
    assert_eq!(r.status(), 201);
    // An officer cannot write internal notes.
    let r = app
        .post(
            &nieheim,
            &format!("/api/v1/support/requests/{id}/messages"),
            json!({"body": "x", "internal": true}),
        )
        .await;
    assert_problem(r, 403).await;

    let seen: Value = app
        .get(&nieheim, &format!("/api/v1/support/requests/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let bodies: Vec<&str> = seen["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, vec!["Gern! Ich schicke Ihnen eine Vorlage."]);
    assert!(seen["response_minutes"].as_i64().is_some());
    let desk: Value = app
        .get(&coordinator, &format!("/api/v1/support/requests/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(desk["messages"].as_array().unwrap().len(), 2);
    assert_eq!(desk["messages"][1]["internal"], true);

    // Waiting for the town; the town's answer puts it back to "in progress".
    let r = post_if(
        &app,
        &coordinator.token,
        &format!("/api/v1/support/requests/{id}/status"),
        3,
        json!({"status": "waiting"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = app
        .post(
            &nieheim,
            &format!("/api/v1/support/requests/{id}/messages"),
            json!({"body": "Danke, Vorlage ist angekommen."}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let answered: Value = app
        .get(&coordinator, &format!("/api/v1/support/requests/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answered["status"], "in_progress");
    assert_eq!(answered["version"], 5);
    let r = post_if(
        &app,
        &coordinator.token,
        &format!("/api/v1/support/requests/{id}/status"),
        5,
        json!({"status": "resolved"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "resolved");
    assert!(done["resolution_minutes"].as_i64().is_some());
    assert_eq!(done["overdue"], false);
    // Stale version: 412.
    let r = post_if(
        &app,
        &coordinator.token,
        &format!("/api/v1/support/requests/{id}/status"),
        5,
        json!({"status": "declined", "reason": "x"}),
    )
    .await;
    assert_problem(r, 412).await;
    // Events for notifications: assigned (to the assignee), replied, resolved — but nothing for the internal note.
    use diesel::prelude::*;
    use digitalnetzwerk::db::schema::events;
    let mut conn = app.conn();
    let verbs: Vec<String> = events::table
        .filter(events::object_id.eq(&id))
        .select(events::verb)
        .order(events::created_at.asc())
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        verbs,
        vec![
            "support.opened",
            "support.assigned",
            "support.replied",
            "support.status_changed",
            "support.replied",
            "support.resolved"
        ]
    );
    // Workload.
    let w: Value = app
        .get(&coordinator, "/api/v1/support/workload")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(w["items"][0]["resolved_last_30_days"], 1);
    assert_problem(app.get(&nieheim, "/api/v1/support/workload").await, 403).await;
    // Admins choose the district; without one they are asked for it by a real parameter.
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let district = coordinator.me["district"]["id"].as_str().unwrap();
    let w: Value = app
        .get(
            &admin,
            &format!("/api/v1/support/workload?district_id={district}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(w["items"][0]["resolved_last_30_days"], 1);
    let p = assert_problem(app.get(&admin, "/api/v1/support/workload").await, 422).await;
    assert_eq!(crate::common::fields(&p), vec!["district_id"]);
}

async fn officers_cannot_read_other_towns_requests_or_internal_notes(app: TestApp) {
    let nieheim = app.login("digital@nieheim.example").await;
    let req: Value = app
        .post(&nieheim, "/api/v1/support/requests", json!({"category": "it_security", "title": "Notfallplan IT", "description": "Wie fangen wir an?"}))
        .await
        .json()
        .await
        .unwrap();
    let id = req["id"].as_str().unwrap();
    let warburg = app.login("digital@warburg.example").await;
    assert_problem(
        app.get(&warburg, &format!("/api/v1/support/requests/{id}"))
            .await,
        404,
    )
    .await;
    assert_problem(
        app.post(
            &warburg,
            &format!("/api/v1/support/requests/{id}/messages"),
            json!({"body": "Hallo"}),
        )
        .await,
        404,
    )
    .await;
    let list: Value = app
        .get(&warburg, "/api/v1/support/requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    // The own town's member reads, but cannot reply.
    let member = app.login("team@nieheim.example").await;
    assert_eq!(
        app.get(&member, &format!("/api/v1/support/requests/{id}"))
            .await
            .status(),
        200
    );
    assert_problem(
        app.post(
            &member,
            &format!("/api/v1/support/requests/{id}/messages"),
            json!({"body": "Hallo"}),
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.post(
            &member,
            "/api/v1/support/requests",
            json!({"category": "other", "title": "Frage", "description": "x"}),
        )
        .await,
        403,
    )
    .await;
    // Warburg cannot open a request for Nieheim, nor triage.
    let town = nieheim.me["municipality"]["id"].as_str().unwrap();
    assert_problem(app.post(&warburg, "/api/v1/support/requests", json!({"category": "other", "title": "Frage", "description": "x", "municipality_id": town})).await, 403).await;
    let r = post_if(
        &app,
        &nieheim.token,
        &format!("/api/v1/support/requests/{id}/assign"),
        1,
        json!({"assignee_id": nieheim.me["id"]}),
    )
    .await;
    assert_problem(r, 403).await;
    // Bad input names the field.
    let r = app
        .post(
            &nieheim,
            "/api/v1/support/requests",
            json!({"category": "magic", "title": "x", "description": "y"}),
        )
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["category"]);
    let r = app
        .post(
            &nieheim,
            "/api/v1/support/requests",
            json!({"category": "other", "title": "ab", "description": ""}),
        )
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["title", "description"]
    );
}

async fn dashboard_numbers_equal_direct_counts_and_respect_visibility(app: TestApp) {
    let mut conn = app.conn();
    digitalnetzwerk::seed::seed_demo(&mut conn, 256).unwrap();
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let d: Value = app
        .get(&coordinator, "/api/v1/dashboard/district")
        .await
        .json()
        .await
        .unwrap();
    // Direct counts from the database: every project but Brakel's private one.
    use diesel::prelude::*;
    use digitalnetzwerk::db::schema::{adoptions, projects};
    let visible_total: i64 = projects::table
        .filter(projects::visibility.ne("private"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let sum: i64 = d["projects_by_status"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(sum, visible_total);
    let brakel_direct: i64 = projects::table
        .inner_join(digitalnetzwerk::db::schema::municipalities::table)
        .filter(digitalnetzwerk::db::schema::municipalities::name.eq("Brakel"))
        .filter(projects::visibility.ne("private"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let brakel = d["projects_by_town"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Brakel")
        .unwrap();
    assert_eq!(brakel["total"], brakel_direct);
    let live_adoptions: i64 = adoptions::table
        .filter(adoptions::status.eq("live"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(d["adoptions_by_status"]["live"], live_adoptions);
    assert_eq!(d["ozg_coverage"]["total"], 557);
    // Topics: direct count over the visible projects, per topic.
    use digitalnetzwerk::db::schema::{project_ozg_services, project_topics};
    let topic_direct: Vec<(String, i64)> = project_topics::table
        .inner_join(projects::table)
        .filter(projects::visibility.ne("private"))
        .group_by(project_topics::topic_id)
        .select((project_topics::topic_id, diesel::dsl::count_star()))
        .load(&mut conn)
        .unwrap();
    let mut shown: Vec<(String, i64)> = d["projects_by_topic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["count"].as_i64().unwrap(),
            )
        })
        .collect();
    shown.sort();
    let mut topic_direct = topic_direct;
    topic_direct.sort();
    assert_eq!(shown, topic_direct);
    let with_ozg: i64 = project_ozg_services::table
        .inner_join(projects::table)
        .filter(projects::visibility.ne("private"))
        .select(diesel::dsl::count(project_ozg_services::project_id).aggregate_distinct())
        .first(&mut conn)
        .unwrap();
    let tf_sum: i64 = d["projects_by_themenfeld"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["count"].as_i64().unwrap())
        .sum();
    assert!(with_ozg > 0 && tf_sum >= with_ozg, "{tf_sum} vs {with_ozg}");
    // Brakel's officer sees one more project in Brakel (its private idea); nobody else does.
    let lena = app.login("digital@brakel.example").await;
    let own: Value = app
        .get(&lena, "/api/v1/dashboard/district")
        .await
        .json()
        .await
        .unwrap();
    let own_brakel = own["projects_by_town"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Brakel")
        .unwrap();
    assert_eq!(own_brakel["total"].as_i64().unwrap(), brakel_direct + 1);
    let warburg = app.login("digital@warburg.example").await;
    let other: Value = app
        .get(&warburg, "/api/v1/dashboard/district")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["projects_by_town"], d["projects_by_town"]);
    // The town dashboard: own projects by status and news of followed projects.
    let town: Value = app
        .get(&lena, "/api/v1/dashboard/town")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(town["municipality_name"], "Brakel");
    let own_sum: i64 = town["projects_by_status"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(own_sum, brakel_direct + 1);
    // Recent activity: Brakel's new district project is there for Warburg, its new
    // private draft is not (the demo seed itself records no events).
    for (title, visibility) in [
        ("Geheimer Chatbot-Entwurf", "private"),
        ("Offener Chatbot-Sprechtag", "district"),
    ] {
        let r = app
            .post(
                &lena,
                "/api/v1/projects",
                json!({"title": title, "summary": "Chatbot", "visibility": visibility}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let after: Value = app
        .get(&warburg, "/api/v1/dashboard/district")
        .await
        .json()
        .await
        .unwrap();
    let activity = serde_json::to_string(&after["recent_activity"]).unwrap();
    assert!(
        activity.contains("Offener Chatbot-Sprechtag"),
        "positive control: {activity}"
    );
    assert!(!activity.contains("Geheimer Chatbot"), "{activity}");
    // Another district's coordinator-less view: Warburg cannot read a foreign district.
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let pb: Value = app
        .post(
            &admin,
            "/api/v1/districts",
            json!({"key": "05774", "name": "Kreis Paderborn"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_problem(
        app.get(
            &warburg,
            &format!(
                "/api/v1/dashboard/district?district_id={}",
                pb["id"].as_str().unwrap()
            ),
        )
        .await,
        404,
    )
    .await;
}

fn count_queries(app: &TestApp, district: &str) -> usize {
    use diesel::connection::{Connection, InstrumentationEvent};
    let mut conn = app.conn();
    let n = Arc::new(AtomicUsize::new(0));
    let c = n.clone();
    conn.set_instrumentation(move |e: InstrumentationEvent<'_>| {
        if matches!(e, InstrumentationEvent::StartQuery { .. }) {
            c.fetch_add(1, Ordering::SeqCst);
        }
    });
    let actor = digitalnetzwerk::auth::model::Actor {
        id: "nobody".into(),
        role: digitalnetzwerk::auth::Role::Coordinator,
        district_id: Some(district.to_string()),
        municipality_id: None,
    };
    let d = digitalnetzwerk::dashboard::district_dashboard(&mut conn, &actor, district, 3).unwrap();
    assert!(!d.projects_by_town.is_empty());
    n.load(Ordering::SeqCst)
}

async fn dashboard_query_count_does_not_grow_with_towns(app: TestApp) {
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let district = app.login("koordination@kreis-hoexter.example").await.me["district"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let brakel = app.login("digital@brakel.example").await;
    app.post(
        &brakel,
        "/api/v1/projects",
        json!({"title": "Projekt A", "summary": "x"}),
    )
    .await;
    let with_10 = count_queries(&app, &district);
    // 90 more towns with a project each.
    for i in 0..90 {
        let ags = format!("05762{:03}", 100 + i);
        let t: Value = app
            .post(&admin, "/api/v1/municipalities", json!({"district_id": district, "ags": ags, "name": format!("Testort {i}"), "kind": "municipality"}))
            .await
            .json()
            .await
            .unwrap();
        let r = app.post(&admin, "/api/v1/projects", json!({"title": format!("Projekt {i}"), "summary": "x", "municipality_id": t["id"]})).await;
        assert_eq!(r.status(), 201);
    }
    let with_100 = count_queries(&app, &district);
    assert_eq!(
        with_10, with_100,
        "the dashboard must not issue queries per town"
    );
    assert!(with_100 < 30, "{with_100} queries");
}

/// Replying is working on it (`open → assigned → in_progress`): the first coordinator to
/// answer an unassigned request takes it and it is "in progress", recorded in the audit
/// log as a status change; an internal note changes nothing; an operator's answer does
/// not make them the assignee, so the request stays open.
async fn a_reply_of_the_district_starts_the_work(app: TestApp) {
    use diesel::prelude::*;
    use digitalnetzwerk::db::schema::audit_log;
    let brakel = app.login("digital@brakel.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let open = |title: &'static str| {
        let (app, brakel) = (&app, &brakel);
        async move {
            let r = app
                .post(
                    brakel,
                    "/api/v1/support/requests",
                    json!({"category": "other", "title": title, "description": "Bitte helfen."}),
                )
                .await;
            assert_eq!(r.status(), 201);
            let v: Value = r.json().await.unwrap();
            v["id"].as_str().unwrap().to_string()
        }
    };
    let reply = |who: &'static str, id: String, internal: bool| {
        let app = &app;
        let s = match who {
            "coordinator" => &coordinator,
            _ => &admin,
        };
        async move {
            let r = app
                .post(
                    s,
                    &format!("/api/v1/support/requests/{id}/messages"),
                    json!({"body": "Wir kümmern uns.", "internal": internal}),
                )
                .await;
            assert_eq!(r.status(), 201);
        }
    };
    let get = |id: String| {
        let (app, brakel) = (&app, &brakel);
        async move {
            let v: Value = app
                .get(brakel, &format!("/api/v1/support/requests/{id}"))
                .await
                .json()
                .await
                .unwrap();
            v
        }
    };
    let a = open("Hilfe A").await;
    reply("coordinator", a.clone(), true).await;
    let seen = get(a.clone()).await;
    assert_eq!(seen["status"], "open", "an internal note is no answer");
    assert_eq!(seen["version"], 1);
    reply("coordinator", a.clone(), false).await;
    let seen = get(a.clone()).await;
    assert_eq!(seen["status"], "in_progress");
    assert_eq!(seen["assignee_name"], "Sabine Kramer");
    assert_eq!(seen["version"], 2);
    let mut conn = app.conn();
    let audited: Vec<String> = audit_log::table
        .filter(audit_log::object_id.eq(&a))
        .filter(audit_log::action.eq("support.status"))
        .select(audit_log::summary)
        .load(&mut conn)
        .unwrap();
    assert_eq!(audited.len(), 1);
    let summary: Value = serde_json::from_str(&audited[0]).unwrap();
    assert_eq!(summary, json!({"from": "open", "to": "in_progress"}));
    // A second answer changes nothing more.
    reply("coordinator", a.clone(), false).await;
    assert_eq!(get(a.clone()).await["version"], 2);

    let b = open("Hilfe B").await;
    reply("admin", b.clone(), false).await;
    let seen = get(b.clone()).await;
    assert_eq!(seen["status"], "open");
    assert!(seen["assignee_id"].is_null());
    assert!(seen["response_minutes"].as_i64().is_some());
}
