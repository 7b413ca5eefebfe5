//! A rule that hides something hides it everywhere: the audit log and the admins' outbox
//! list say nothing about a project their reader may not read.
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(
    audit_log_hides_entries_of_projects_the_reader_may_not_read,
    outbox_withholds_subjects_of_mails_about_hidden_projects,
    invitations_do_not_reveal_accounts_the_inviter_may_not_see,
    visibility_filters_agree_with_the_policy,
    notification_counts_leave_out_projects_hidden_since,
);

async fn notification_counts_leave_out_projects_hidden_since(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    let p = create(
        &app,
        &brakel,
        json!({"title": "Noch offenes Konzept", "summary": "x"}),
    )
    .await;
    let id = p["id"].as_str().unwrap();
    let counts = |s: &Session| {
        let s = s.clone();
        let app = &app;
        async move {
            let unread: Value = app
                .get(&s, "/api/v1/notifications/unread-count")
                .await
                .json()
                .await
                .unwrap();
            let feed: Value = app
                .get(&s, "/api/v1/notifications")
                .await
                .json()
                .await
                .unwrap();
            (
                unread["unread"].as_i64().unwrap(),
                feed["total"].as_i64().unwrap(),
                feed["items"].as_array().unwrap().len() as i64,
            )
        }
    };
    // The new district project reaches Warburg's feed (the worker turns the event into it).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (unread, total, listed) = counts(&warburg).await;
        if unread >= 1 {
            assert_eq!((total, listed), (unread, unread), "positive control");
            break;
        }
        assert!(Instant::now() < deadline, "no notification arrived");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let resp = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{id}"),
            Some(p["version"].as_i64().unwrap()),
            json!({"visibility": "private"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        counts(&warburg).await,
        (0, 0, 0),
        "nothing of the now private draft is counted"
    );
}

/// For every role in the own town, another town of the district and another district,
/// and anonymous, against projects of every visibility in three towns: the query filter
/// (`visible_to`), the SQL filter for other tables (`names_no_hidden_project`) and the
/// policy function (`can_read_project`) say the same.
async fn visibility_filters_agree_with_the_policy(app: TestApp) {
    use diesel::prelude::*;
    use digitalnetzwerk::auth::model::{Actor, Role};
    use digitalnetzwerk::auth::policy::{can_read_project, Scope};
    use digitalnetzwerk::db::schema::projects;
    use digitalnetzwerk::projects::model::{ProjectQuery, ProjectSort, ProjectStatus};
    use digitalnetzwerk::projects::queries::find_ids;
    use digitalnetzwerk::projects::visibility::{
        names_no_hidden_project, visible_cases, visible_in_district, visible_to,
    };
    use std::collections::BTreeSet;

    let outsider = app.other_district_officer().await;
    let officers = [
        app.login("digital@brakel.example").await,
        app.login("digital@warburg.example").await,
        outsider,
    ];
    let towns: Vec<String> = officers
        .iter()
        .map(|o| o.me["municipality"]["id"].as_str().unwrap().to_string())
        .collect();
    for officer in &officers {
        for vis in ["private", "district", "network", "public"] {
            let r = app
                .post(
                    officer,
                    "/api/v1/projects",
                    json!({"title": format!("Projekt {vis}"), "summary": "x", "visibility": vis}),
                )
                .await;
            assert_eq!(r.status(), 201);
        }
    }
    // The district cannot make a private draft for a town: it would vanish for its author.
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let before = app.count("projects");
    let p = crate::common::assert_problem(
        app.post(&coordinator, "/api/v1/projects", json!({"title": "Privat für Brakel", "summary": "x", "visibility": "private", "municipality_id": towns[0]}))
            .await,
        422,
    )
    .await;
    assert_eq!(crate::common::fields(&p), vec!["visibility"]);
    assert_eq!(app.count("projects"), before);
    let mut conn = app.conn();
    let all: Vec<(String, String, String, String)> = projects::table
        .select((
            projects::id,
            projects::district_id,
            projects::municipality_id,
            projects::visibility,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(all.len(), 12);
    let districts: Vec<String> = all
        .iter()
        .map(|p| p.1.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(districts.len(), 2);
    let home = all.iter().find(|p| p.2 == towns[0]).unwrap().1.clone();
    let away = districts.iter().find(|d| **d != home).unwrap().clone();
    let mut actors: Vec<Option<Actor>> = vec![None];
    for role in [Role::Admin, Role::Coordinator, Role::Officer, Role::Member] {
        let places: Vec<(Option<String>, Option<String>)> = match role {
            Role::Admin => vec![(None, None)],
            Role::Coordinator => vec![(Some(home.clone()), None), (Some(away.clone()), None)],
            _ => vec![
                (Some(home.clone()), Some(towns[0].clone())),
                (Some(home.clone()), Some(towns[1].clone())),
                (Some(away.clone()), Some(towns[2].clone())),
            ],
        };
        for (d, m) in places {
            actors.push(Some(Actor {
                id: "x".into(),
                role,
                district_id: d,
                municipality_id: m,
            }));
        }
    }
    let mut checked = 0;
    for actor in &actors {
        let expected: BTreeSet<String> = all
            .iter()
            .filter(|(_, d, m, v)| {
                can_read_project(actor.as_ref(), Scope::new(Some(d), Some(m)), v)
            })
            .map(|p| p.0.clone())
            .collect();
        let by_filter: BTreeSet<String> = projects::table
            .filter(visible_to(actor.as_ref()))
            .select(projects::id)
            .load::<String>(&mut conn)
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(by_filter, expected, "visible_to disagrees for {actor:?}");
        // The disjoint cases of the newest-first list select the same, each project once.
        let mut by_cases: Vec<String> = Vec::new();
        for case in visible_cases(actor.as_ref()) {
            by_cases.extend(
                projects::table
                    .filter(case)
                    .select(projects::id)
                    .load::<String>(&mut conn)
                    .unwrap(),
            );
        }
        let n = by_cases.len();
        let by_cases: BTreeSet<String> = by_cases.into_iter().collect();
        assert_eq!(n, by_cases.len(), "visible_cases overlap for {actor:?}");
        assert_eq!(by_cases, expected, "visible_cases disagree for {actor:?}");
        // The dashboards' per-district rule is the same rule within each district.
        if let Some(a) = actor {
            for d in &districts {
                let in_district: BTreeSet<String> = all
                    .iter()
                    .filter(|p| &p.1 == d && expected.contains(&p.0))
                    .map(|p| p.0.clone())
                    .collect();
                let by_district_sql: BTreeSet<String> = projects::table
                    .filter(visible_in_district::<projects::table>(a, d))
                    .select(projects::id)
                    .load::<String>(&mut conn)
                    .unwrap()
                    .into_iter()
                    .collect();
                assert_eq!(
                    by_district_sql, in_district,
                    "visible_in_district disagrees for {a:?} in {d}"
                );
            }
        }
        if let Some(a) = actor {
            let by_sql: BTreeSet<String> = projects::table
                .filter(names_no_hidden_project::<projects::table>("projects.id", a))
                .select(projects::id)
                .load::<String>(&mut conn)
                .unwrap()
                .into_iter()
                .collect();
            assert_eq!(
                by_sql, expected,
                "names_no_hidden_project disagrees for {a:?}"
            );
        }
        // Search applies the rule inside the index (scope tokens): every project here is
        // titled "Projekt …". Ranked in the index (text alone) and as a filter of the
        // project query (with a further filter, by title), count and hits.
        for (sort, status) in [
            (None, None),
            (Some(ProjectSort::Title), None),
            (None, Some(ProjectStatus::Idea)),
        ] {
            let q = ProjectQuery {
                q: Some("Projekt".into()),
                sort,
                status,
                ..Default::default()
            };
            let (total, ids) = find_ids(&mut conn, actor.as_ref(), &q, 0, 100).unwrap();
            let by_search: BTreeSet<String> = ids.iter().cloned().collect();
            let expected: BTreeSet<String> = match status {
                None => expected.clone(),
                // The visible projects of that status, read from the stored rows.
                Some(s) => {
                    let of_status: BTreeSet<String> = projects::table
                        .filter(projects::status.eq(s.as_str()))
                        .select(projects::id)
                        .load::<String>(&mut conn)
                        .unwrap()
                        .into_iter()
                        .collect();
                    expected.intersection(&of_status).cloned().collect()
                }
            };
            assert_eq!(
                by_search, expected,
                "search disagrees for {actor:?} ({q:?})"
            );
            assert_eq!(ids.len(), by_search.len(), "a hit twice for {actor:?}");
            assert_eq!(total as usize, expected.len(), "search total for {actor:?}");
        }
        checked += 1;
    }
    assert_eq!(checked, 1 + 1 + 2 + 3 + 3);
}

async fn invitations_do_not_reveal_accounts_the_inviter_may_not_see(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let town = brakel.me["municipality"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let invite = |email: &'static str| {
        app.post(
            &brakel,
            "/api/v1/invitations",
            json!({"email": email, "role": "member", "municipality_id": town}),
        )
    };
    // An account in another town: the answer is the same as for a new address.
    let other = invite("digital@warburg.example").await;
    let fresh = invite("neu@brakel.example").await;
    assert_eq!(other.status(), 201);
    assert_eq!(fresh.status(), 201);
    let (a, b): (Value, Value) = (other.json().await.unwrap(), fresh.json().await.unwrap());
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&a), keys(&b));
    assert_eq!(a["status"], b["status"]);
    // An account of the own town, which Brakel may see anyway, is named.
    let own = crate::common::assert_problem(invite("team@brakel.example").await, 422).await;
    assert_eq!(crate::common::fields(&own), vec!["email"]);
    // The owner of the address learns on the link that the account exists.
    let mail = app.mail.wait_for("digital@warburg.example").await;
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
        .json(&json!({"name": "Tobias Zweitkonto", "password": "Nethe-und-Weser-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
}

async fn create(app: &TestApp, s: &Session, body: Value) -> Value {
    let resp = app.post(s, "/api/v1/projects", body).await;
    assert_eq!(resp.status(), 201, "create failed");
    resp.json().await.unwrap()
}

async fn audit_text(app: &TestApp, s: &Session, query: &str) -> (String, Value) {
    let resp = app.get(s, &format!("/api/v1/audit?limit=100{query}")).await;
    assert_eq!(resp.status(), 200);
    let page: Value = resp.json().await.unwrap();
    (serde_json::to_string(&page["items"]).unwrap(), page)
}

async fn audit_log_hides_entries_of_projects_the_reader_may_not_read(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let secret = create(&app, &brakel, json!({"title": "Geheimes Rathauskonzept", "summary": "Nur Brakel", "visibility": "private"})).await;
    let open = create(&app, &brakel, json!({"title": "Offenes Rathauskonzept", "summary": "Für den Kreis", "visibility": "district"})).await;
    let sid = secret["id"].as_str().unwrap();
    for p in [sid, open["id"].as_str().unwrap()] {
        let resp = app
            .post(
                &brakel,
                &format!("/api/v1/projects/{p}/updates"),
                json!({"title": format!("Zwischenstand {p}"), "body": "Text"}),
            )
            .await;
        assert_eq!(resp.status(), 201);
    }
    let pdf =
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let resp = app
        .upload(
            &brakel,
            &format!("/api/v1/projects/{sid}/attachments"),
            "Geheime Kalkulation.pdf",
            pdf.to_vec(),
            &[],
        )
        .await;
    assert_eq!(resp.status(), 201);

    for reader in [&coordinator, &admin] {
        let (text, page) = audit_text(&app, reader, "&action=project.create").await;
        assert!(
            text.contains("Offenes Rathauskonzept"),
            "positive control: {text}"
        );
        assert!(!text.contains("Geheimes"), "private title leaked: {text}");
        assert_eq!(page["total"], page["items"].as_array().unwrap().len());
        let (all, page) = audit_text(&app, reader, "").await;
        assert!(
            all.contains(&format!("Zwischenstand {}", open["id"].as_str().unwrap())),
            "positive control: {all}"
        );
        assert!(
            !all.contains(sid),
            "an entry about the private draft leaked: {all}"
        );
        assert!(
            !all.contains("Geheime Kalkulation"),
            "file name leaked: {all}"
        );
        // The count agrees with what is listed: nothing hidden is counted.
        assert_eq!(page["total"], page["items"].as_array().unwrap().len());
    }

    // Once Brakel shares the draft with the district, its history is readable there.
    let resp = app
        .patch(
            &brakel,
            &format!("/api/v1/projects/{sid}"),
            Some(secret["version"].as_i64().unwrap()),
            json!({"visibility": "district"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let (text, _) = audit_text(&app, &coordinator, "").await;
    assert!(text.contains("Geheimes Rathauskonzept") && text.contains("Geheime Kalkulation.pdf"));
}

/// Waits until the admin's list of sent mails has `n` entries (the worker records the
/// server's answer a moment after the mail arrived).
async fn sent_mails(app: &TestApp, admin: &Session, n: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page: Value = app
            .get(admin, "/api/v1/admin/outbox?status=sent&limit=100")
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        if items.len() >= n {
            return serde_json::to_string(items).unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "only {} mails recorded as sent",
            items.len()
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn outbox_withholds_subjects_of_mails_about_hidden_projects(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let martin = app.user_id("team@brakel.example").await;
    let secret = create(&app, &brakel, json!({"title": "Geheime Personalplanung", "summary": "Nur Brakel", "visibility": "private"})).await;
    let open = create(&app, &brakel, json!({"title": "Offene Personalplanung", "summary": "Für den Kreis", "visibility": "district"})).await;
    for p in [&secret, &open] {
        let resp = app
            .post(
                &brakel,
                &format!("/api/v1/projects/{}/comments", p["id"].as_str().unwrap()),
                json!({"body": format!("Bitte ansehen, @[Martin Klein]({martin})")}),
            )
            .await;
        assert_eq!(resp.status(), 201);
    }
    // Both mails reach Martin, who may read both projects.
    let deadline = Instant::now() + Duration::from_secs(10);
    while app
        .mail
        .all()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains("team@brakel")))
        .count()
        < 2
    {
        assert!(
            Instant::now() < deadline,
            "the mention mails did not arrive"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let sent = sent_mails(&app, &admin, 2).await;
    assert!(
        sent.contains("Offene Personalplanung"),
        "positive control: {sent}"
    );
    assert!(
        !sent.contains("Geheime"),
        "private title in the outbox: {sent}"
    );
    assert!(sent.contains("Benachrichtigung zu einem Projekt, das Sie nicht sehen dürfen"));
}
