//! The district dashboard is kept per server instance (src/dashboard/cache.rs): every
//! change shows on the next request, whoever made it and through whichever instance, and
//! each viewer keeps seeing only what they may read.
use diesel::RunQueryDsl;
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(dashboard_shows_every_change_at_once);

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
