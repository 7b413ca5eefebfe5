//! Every export opens right in a spreadsheet: the XLSX keeps keys as text, amounts as
//! numbers and dates as dates; every CSV guards formula cells; people read German labels.
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(every_export_is_typed_guarded_and_german);

/// The first sheet of an XLSX download, as rows of cells.
async fn sheet(app: &TestApp, s: &Session, path: &str) -> Vec<Vec<Data>> {
    let resp = app.get(s, path).await;
    assert_eq!(resp.status(), 200, "{path}");
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let formulas = book.worksheet_formula(&name).unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{path}: a formula was written"
    );
    let range = book.worksheet_range(&name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

async fn csv(app: &TestApp, s: &Session, path: &str) -> String {
    let resp = app.get(s, path).await;
    assert_eq!(resp.status(), 200, "{path}");
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "{path}: CRLF"
    );
    text
}

fn column(rows: &[Vec<Data>], head: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| *c == Data::String(head.into()))
        .unwrap_or_else(|| panic!("no column {head}: {:?}", rows[0]))
}

async fn every_export_is_typed_guarded_and_german(app: TestApp) {
    {
        let mut conn = app.conn();
        use digitalnetzwerk::ozg::import::{self, bundled, ImportKind};
        import::run(&mut conn, ImportKind::Themenfelder, bundled::THEMENFELDER).unwrap();
        import::run(&mut conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN).unwrap();
        import::run(&mut conn, ImportKind::OzgServices, bundled::OZG_SERVICES).unwrap();
        digitalnetzwerk::efa::seed::import_reference_solutions(&mut conn).unwrap();
        digitalnetzwerk::funding::seed::import_reference_programmes(&mut conn).unwrap();
    }
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let district = coordinator.me["district"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A town whose name a spreadsheet would take for a formula.
    let town: Value = app
        .post(&admin, "/api/v1/municipalities", json!({"district_id": district, "ags": "05762099", "name": "=HYPERLINK(\"http://x\";\"Formelhausen\")", "kind": "town"}))
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post(&coordinator, "/api/v1/projects", json!({
            "title": "@Verzeichnis der Ämter", "summary": "Formeltest", "visibility": "network",
            "municipality_id": town["id"], "budget_cents": 1_234_550, "planned_start": "2027-03-01",
        }))
        .await;
    assert_eq!(r.status(), 201);
    let programmes: Value = app
        .get(&coordinator, "/api/v1/funding/programmes?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let mpsc = programmes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "mpsc")
        .unwrap()["id"]
        .clone();
    let r = app
        .post(&coordinator, "/api/v1/funding/applications", json!({
            "programme_id": mpsc, "title": "Formeltest-Antrag", "lead_municipality_id": town["id"],
            "total_costs_cents": 1_000_000i64, "requested_cents": 650_000i64,
            "shares": [{"municipality_id": town["id"], "share_cents": 1_000_000i64}],
        }))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    // Projects.
    let rows = sheet(&app, &coordinator, "/api/v1/projects/export.xlsx").await;
    let row = rows
        .iter()
        .find(|r| r[0] == Data::String("@Verzeichnis der Ämter".into()))
        .expect("the project, as text without a guard");
    assert_eq!(
        row[column(&rows, "AGS")],
        Data::String("05762099".into()),
        "AGS keeps its zero"
    );
    assert_eq!(row[column(&rows, "Budget (EUR)")], Data::Float(12_345.5));
    assert!(
        matches!(row[column(&rows, "Geplanter Beginn")], Data::DateTime(_)),
        "{row:?}"
    );
    assert!(matches!(
        row[column(&rows, "Zuletzt geändert")],
        Data::DateTime(_)
    ));
    assert_eq!(
        row[column(&rows, "Sichtbarkeit")],
        Data::String("Netzwerk".into())
    );
    assert_eq!(
        row[1],
        Data::String("=HYPERLINK(\"http://x\";\"Formelhausen\")".into())
    );
    let text = csv(&app, &coordinator, "/api/v1/projects/export.csv").await;
    assert!(
        text.contains("'@Verzeichnis der Ämter;\"'=HYPERLINK("),
        "{text}"
    );
    assert!(text.contains(";Netzwerk;"), "German label: {text}");
    for code in [";network;", ";district;", ";private;", ";public;"] {
        assert!(!text.contains(code), "code {code} in {text}");
    }

    // EfA matrix.
    let rows = sheet(&app, &coordinator, "/api/v1/efa/matrix.xlsx").await;
    let row = rows
        .iter()
        .find(|r| r[0] == Data::String("=HYPERLINK(\"http://x\";\"Formelhausen\")".into()))
        .expect("the town as text");
    assert_eq!(*row.last().unwrap(), Data::Float(0.0), "counts are numbers");
    let text = csv(&app, &coordinator, "/api/v1/efa/matrix.csv").await;
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    assert!(!text.contains("\n=") && !text.contains("\n\"="), "{text}");

    // Funding overview.
    let rows = sheet(&app, &coordinator, "/api/v1/funding/overview.xlsx").await;
    let row = rows
        .iter()
        .find(|r| r[0] == Data::String("=HYPERLINK(\"http://x\";\"Formelhausen\")".into()))
        .expect("the town as text");
    assert_eq!(row[column(&rows, "Kosten (EUR)")], Data::Float(10_000.0));
    assert_eq!(row[column(&rows, "Beantragt (EUR)")], Data::Float(6_500.0));
    let text = csv(&app, &coordinator, "/api/v1/funding/overview.csv").await;
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    assert!(text.contains(";10.000,00;6.500,00;"), "{text}");
}
