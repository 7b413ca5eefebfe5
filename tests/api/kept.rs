//! Answers kept per server instance (src/kept.rs): the district dashboard and project
//! lists without a search text. Every change shows on the next request, whoever made it
//! and through whichever instance, and each viewer keeps seeing only what they may read.
use diesel::RunQueryDsl;
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(
    dashboard_shows_every_change_at_once,
    lists_show_every_change_at_once
);

async fn dashboard(app: &TestApp, s: &Session) -> Value {
    let resp = app.get(s, "/api/v1/dashboard/district").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        "application/json"
    );
    resp.json().await.unwrap()
}

fn projects_total(d: &Value) -> i64 {
    d["projects_by_status"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_i64().unwrap())
        .sum()
}

async fn create(app: &TestApp, s: &Session, title: &str, visibility: &str) -> String {
    let resp = app
        .post(
            s,
            "/api/v1/projects",
            json!({"title": title, "summary": "Für den Kreis", "visibility": visibility}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let v: Value = resp.json().await.unwrap();
    v["id"].as_str().unwrap().to_string()
}

/// A write behind the server's back, as another instance or an operator would make it.
fn sql(app: &TestApp, statement: &str) {
    let mut conn = app.conn();
    diesel::sql_query(statement).execute(&mut conn).unwrap();
}

async fn dashboard_shows_every_change_at_once(app: TestApp) {
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel = app.login("digital@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    // Each viewer's dashboard is computed and kept.
    let c0 = projects_total(&dashboard(&app, &coordinator).await);
    let b0 = projects_total(&dashboard(&app, &brakel).await);
    let w0 = projects_total(&dashboard(&app, &warburg).await);
    assert_eq!((c0, b0, w0), (c0, c0, c0), "no private drafts yet");

    // A private draft: counted for its own town only, though the others' answers are kept.
    let private = create(&app, &brakel, "Interner Entwurf Rathaus-App", "private").await;
    assert_eq!(projects_total(&dashboard(&app, &brakel).await), b0 + 1);
    assert_eq!(projects_total(&dashboard(&app, &coordinator).await), c0);
    assert_eq!(projects_total(&dashboard(&app, &warburg).await), w0);
    let text = dashboard(&app, &warburg).await.to_string();
    assert!(
        !text.contains(&private),
        "Warburg sees Brakel's draft: {text}"
    );

    // A district project: everybody's next answer counts it, its event is in the activity.
    let shared = create(&app, &brakel, "Gemeinsames Bürgerportal", "district").await;
    let d = dashboard(&app, &coordinator).await;
    assert_eq!(projects_total(&d), c0 + 1);
    assert!(d["recent_activity"].to_string().contains(&shared));
    assert_eq!(projects_total(&dashboard(&app, &warburg).await), w0 + 1);

    // Writes no handler of this instance saw.
    sql(
        &app,
        &format!("UPDATE projects SET visibility = 'private' WHERE id = '{shared}'"),
    );
    assert_eq!(projects_total(&dashboard(&app, &coordinator).await), c0);
    assert_eq!(projects_total(&dashboard(&app, &warburg).await), w0);
    assert_eq!(projects_total(&dashboard(&app, &brakel).await), b0 + 2);
    sql(
        &app,
        &format!("UPDATE projects SET visibility = 'district', status = 'in_progress' WHERE id = '{shared}'"),
    );
    let d = dashboard(&app, &coordinator).await;
    assert_eq!(projects_total(&d), c0 + 1);
    assert!(d["projects_by_status"]["in_progress"].as_i64().unwrap_or(0) >= 1);
    // The activity leaves out `support.noted` events.
    sql(
        &app,
        &format!("UPDATE events SET verb = 'support.noted' WHERE project_id = '{shared}'"),
    );
    let d = dashboard(&app, &coordinator).await;
    assert!(!d["recent_activity"].to_string().contains(&shared), "{d}");
}

async fn list(app: &TestApp, s: Option<&Session>, query: &str) -> Value {
    let resp = match s {
        Some(s) => app.get(s, &format!("/api/v1/projects?{query}")).await,
        None => reqwest::get(app.url(&format!("/api/v1/public/projects?{query}")))
            .await
            .unwrap(),
    };
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        "application/json"
    );
    resp.json().await.unwrap()
}

fn item<'a>(page: &'a Value, id: &str) -> Option<&'a Value> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
}

async fn lists_show_every_change_at_once(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let brakel_member = app.login("team@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    let other = app.other_district_officer().await;
    // Every viewer's first page is computed and kept.
    let totals = [
        list(&app, Some(&brakel), "limit=5").await["total"].clone(),
        list(&app, Some(&warburg), "limit=5").await["total"].clone(),
        list(&app, Some(&other), "limit=5").await["total"].clone(),
        list(&app, None, "limit=5").await["total"].clone(),
    ];
    let t = |i: usize| totals[i].as_i64().unwrap();

    // A private draft: listed for its own town (member too), not for the others.
    let draft = create(&app, &brakel, "Interner Entwurf Bürgerkonto", "private").await;
    let b = list(&app, Some(&brakel), "limit=5").await;
    assert_eq!(b["total"], t(0) + 1);
    assert!(item(&b, &draft).is_some(), "newest first: {b}");
    assert!(item(&list(&app, Some(&brakel_member), "limit=5").await, &draft).is_some());
    let w = list(&app, Some(&warburg), "limit=5").await;
    assert_eq!(w["total"], t(1));
    assert!(!w.to_string().contains(&draft));

    // A title changed behind the server's back shows in every kept list at once.
    sql(
        &app,
        &format!("UPDATE projects SET visibility = 'public', title = 'Bürgerkonto für alle' WHERE id = '{draft}'"),
    );
    for (who, i) in [(Some(&warburg), 1), (Some(&other), 2), (None, 3)] {
        let page = list(&app, who, "limit=5").await;
        assert_eq!(page["total"], t(i) + 1, "{page}");
        assert_eq!(
            item(&page, &draft).unwrap()["title"],
            "Bürgerkonto für alle"
        );
    }
    // Followers, partners, topics and the town's name are part of the list too.
    let before = item(&list(&app, Some(&warburg), "limit=5").await, &draft).unwrap()
        ["follower_count"]
        .as_i64()
        .unwrap();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/projects/{draft}/follow")))
        .bearer_auth(&warburg.token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let page = list(&app, Some(&warburg), "limit=5").await;
    assert_eq!(item(&page, &draft).unwrap()["follower_count"], before + 1);
    sql(
        &app,
        "UPDATE municipalities SET name = 'Brakel (Weser)' WHERE ags = '05762016'",
    );
    let page = list(&app, Some(&other), "limit=5").await;
    assert_eq!(
        item(&page, &draft).unwrap()["municipality"]["name"],
        "Brakel (Weser)"
    );
    sql(
        &app,
        &format!("UPDATE projects SET visibility = 'private' WHERE id = '{draft}'"),
    );
    for (who, i) in [(Some(&warburg), 1), (Some(&other), 2), (None, 3)] {
        let page = list(&app, who, "limit=5").await;
        assert_eq!(page["total"], t(i), "{page}");
        assert!(item(&page, &draft).is_none());
    }
    assert!(item(&list(&app, Some(&brakel), "limit=5").await, &draft).is_some());
}
