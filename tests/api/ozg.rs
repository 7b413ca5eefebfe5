//! The OZG catalogue: import (all or nothing) and browsing.
use serde_json::Value;

use crate::both_backends;
use crate::common::TestApp;
use digitalnetzwerk::ozg::import::{self, bundled, ImportError, ImportKind};

both_backends!(
    catalogue_import_and_browse,
    malformed_import_changes_nothing_and_names_the_line
);

async fn catalogue_import_and_browse(app: TestApp) {
    let mut conn = app.conn();
    import::import_bundled(&mut conn).unwrap();
    // Importing again updates in place.
    import::import_bundled(&mut conn).unwrap();
    assert_eq!(app.count("themenfelder"), 14);
    assert_eq!(app.count("lebenslagen"), 58);
    assert_eq!(app.count("ozg_services"), 557);
    assert_eq!(app.count("leika_services"), 5249);

    let s = app.login("team@brakel.example").await;
    let tf: Value = app
        .get(&s, "/api/v1/ozg/themenfelder")
        .await
        .json()
        .await
        .unwrap();
    let items = tf["items"].as_array().unwrap();
    assert_eq!(items.len(), 14);
    let total: i64 = items
        .iter()
        .map(|t| t["service_count"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 557);
    let familie = items
        .iter()
        .find(|t| t["name"] == "Familie & Kind")
        .unwrap();
    let fid = familie["id"].as_i64().unwrap();

    let page: Value = app
        .get(
            &s,
            &format!("/api/v1/ozg/services?themenfeld_id={fid}&limit=100"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], familie["service_count"]);
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["themenfeld"] == "Familie & Kind"));

    let by_text: Value = app
        .get(&s, "/api/v1/ozg/services?q=elterngeld")
        .await
        .json()
        .await
        .unwrap();
    assert!(by_text["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["ozg_id"] == 10000));
    let by_id: Value = app
        .get(&s, "/api/v1/ozg/services?q=10124")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_id["total"], 1);
    assert_eq!(by_id["items"][0]["name"], "Wohnsitzmeldungen");

    let detail: Value = app
        .get(&s, "/api/v1/ozg/services/10000")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["name"], "Elterngeld");
    assert_eq!(detail["lebenslage"], "Geburt");
    assert!(!detail["leika"].as_array().unwrap().is_empty());
    assert_eq!(
        app.get(&s, "/api/v1/ozg/services/99999").await.status(),
        404
    );
    let ll: Value = app
        .get(&s, &format!("/api/v1/ozg/lebenslagen?themenfeld_id={fid}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(ll["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["name"] == "Geburt"));
}

async fn malformed_import_changes_nothing_and_names_the_line(app: TestApp) {
    let mut conn = app.conn();
    import::run(&mut conn, ImportKind::Themenfelder, bundled::THEMENFELDER).unwrap();
    import::run(&mut conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN).unwrap();
    let before = app.count("ozg_services");
    assert_eq!(before, 0);
    // Line 4 has an OZG-ID that is not a number; lines 2 and 3 are fine but must not be kept.
    let mut lines: Vec<String> = bundled::OZG_SERVICES
        .lines()
        .take(5)
        .map(String::from)
        .collect();
    lines[3] = lines[3].replacen("10002", "zehntausend", 1);
    let bad = lines.join("\n");
    match import::run(&mut conn, ImportKind::OzgServices, &bad) {
        Err(ImportError::Line { line, .. }) => assert_eq!(line, 4),
        other => panic!("expected a line error, got {other:?}"),
    }
    assert_eq!(app.count("ozg_services"), 0);

    // A town whose AGS does not belong to its district: the whole file is refused.
    let before = app.count("municipalities");
    let mut towns: Vec<String> = bundled::MUNICIPALITIES.lines().map(String::from).collect();
    let last = towns.len() - 1;
    towns[last] = towns[last].replacen("05762040", "05774040", 1);
    let err = import::run(&mut conn, ImportKind::Municipalities, &towns.join("\n")).unwrap_err();
    assert!(
        err.to_string().starts_with(&format!("Zeile {}", last + 1)),
        "{err}"
    );
    assert_eq!(app.count("municipalities"), before);
}
