//! Districts and municipalities: who may create and edit them, and the AGS rule.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, TestApp};

both_backends!(municipalities_are_managed_within_the_district);

async fn municipalities_are_managed_within_the_district(app: TestApp) {
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let list: Value = app
        .get(&admin, "/api/v1/municipalities?limit=100")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["total"], 11,
        "ten towns and the district administration"
    );
    let hoexter = list["items"][0]["district_id"]
        .as_str()
        .unwrap()
        .to_string();

    // Only admins create districts.
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let resp = app
        .post(
            &coordinator,
            "/api/v1/districts",
            json!({"key": "05774", "name": "Kreis Paderborn"}),
        )
        .await;
    assert_problem(resp, 403).await;
    let resp = app
        .post(
            &admin,
            "/api/v1/districts",
            json!({"key": "5774", "name": "Kreis Paderborn"}),
        )
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["key"]);
    let resp = app
        .post(
            &admin,
            "/api/v1/districts",
            json!({"key": "05774", "name": "Kreis Paderborn"}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let paderborn: Value = resp.json().await.unwrap();
    let paderborn_id = paderborn["id"].as_str().unwrap();
    let resp = app
        .post(
            &admin,
            "/api/v1/districts",
            json!({"key": "05774", "name": "Doppelt"}),
        )
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["key"]);

    // The coordinator of Höxter manages Höxter's towns, not Paderborn's.
    let resp = app
        .post(&coordinator, "/api/v1/municipalities", json!({"district_id": paderborn_id, "ags": "05774032", "name": "Delbrück", "kind": "town"}))
        .await;
    assert_problem(resp, 403).await;
    let resp = app
        .post(
            &coordinator,
            "/api/v1/municipalities",
            json!({"district_id": hoexter, "ags": "05762016", "name": "Brakel 2", "kind": "town"}),
        )
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), vec!["ags"]);
    let resp = app
        .post(&admin, "/api/v1/municipalities", json!({"district_id": paderborn_id, "ags": "05774032", "name": "Delbrück", "kind": "town"}))
        .await;
    assert_eq!(resp.status(), 201);

    // Editing with If-Match.
    let brakel = app.municipality_id("05762016").await;
    let resp = app
        .get(&coordinator, &format!("/api/v1/municipalities/{brakel}"))
        .await;
    let etag = resp
        .headers()
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(etag, "\"1\"");
    let resp = app
        .patch(
            &coordinator,
            &format!("/api/v1/municipalities/{brakel}"),
            Some(1),
            json!({"name": "Stadt Brakel"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let m: Value = resp.json().await.unwrap();
    assert_eq!(m["name"], "Stadt Brakel");
    assert_eq!(m["version"], 2);
    let resp = app
        .patch(
            &coordinator,
            &format!("/api/v1/municipalities/{brakel}"),
            Some(1),
            json!({"name": "Brakel"}),
        )
        .await;
    assert_problem(resp, 412).await;
    let officer = app.login("digital@brakel.example").await;
    let resp = app
        .patch(
            &officer,
            &format!("/api/v1/municipalities/{brakel}"),
            Some(2),
            json!({"name": "Brakel"}),
        )
        .await;
    assert_problem(resp, 403).await;

    // Search by name and AGS; audit entries for the coordinator's district only.
    let found: Value = app
        .get(&officer, "/api/v1/municipalities?q=warb")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"][0]["ags"], "05762036");
    let audit: Value = app
        .get(&coordinator, "/api/v1/audit")
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["municipality.update"]);
    let resp = app
        .get(
            &coordinator,
            &format!("/api/v1/audit?district_id={paderborn_id}"),
        )
        .await;
    assert_problem(resp, 403).await;
    let all: Value = app.get(&admin, "/api/v1/audit").await.json().await.unwrap();
    assert_eq!(all["total"], 3);
}
