//! Every export opens right in a spreadsheet: the XLSX keeps keys as text, amounts as
//! numbers and dates as dates; every CSV guards formula cells; people read German labels.
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(
    every_export_is_typed_guarded_and_german,
    every_export_route_neutralises_formula_cells,
);

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

/// Formula-like texts a user (or a catalogue) can bring into an export, one per leading
/// character of OWASP's list that titles and names accept (tab and CR are refused as
/// control characters before anything is stored; `export::guard` is unit-tested on them).
const FORMULA_TOWN: &str = "=HYPERLINK(\"http://x\";\"Formelhausen\")";
const FORMULA_SERVICE: &str = "+Formel-Leistung";
const FORMULA_PROJECT: &str = "@Formelprojekt";
const FORMULA_PROCESS: &str = "-Formelprozess";
const FORMULAS: [&str; 4] = [
    FORMULA_TOWN,
    FORMULA_SERVICE,
    FORMULA_PROJECT,
    FORMULA_PROCESS,
];

/// Exports that hold no free text at all (months, keys and numbers), so no seeded value
/// can reach them; their cells are still checked.
const WITHOUT_TEXT: &[(&str, &str)] = &[(
    "/api/v1/usage/districts/{id}/totals.csv",
    "sums per month: the month key and numbers only",
)];

/// Does a spreadsheet take `cell` for a formula? A number (`-12,5`) is no formula.
fn formula_like(cell: &str) -> bool {
    let number = cell.strip_prefix('-').is_some_and(|n| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    });
    cell.starts_with(['=', '+', '-', '@', '\t', '\r', '|']) && !number
}

/// Acceptance 5 of #14: every CSV and XLSX export route of the OpenAPI document (found
/// by its content type, so a new export is covered the day it is documented) gets a
/// formula-like text seeded into what it exports: a town name starting with `=`, a
/// LeiKa service name with `+`, a project title with `@`, a process name with `-`. In
/// every CSV no cell starts with a formula character and the seeded text appears
/// guarded (`'=…`); every XLSX holds no formula and the text as a plain string cell.
async fn every_export_route_neutralises_formula_cells(app: TestApp) {
    use diesel::prelude::*;
    use digitalnetzwerk::db::schema::leika_services;
    use digitalnetzwerk::ozg::import::{self, bundled, ImportKind};
    let leika_key: String = {
        let mut conn = app.conn();
        import::run(&mut conn, ImportKind::Themenfelder, bundled::THEMENFELDER).unwrap();
        import::run(&mut conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN).unwrap();
        import::run(&mut conn, ImportKind::OzgServices, bundled::OZG_SERVICES).unwrap();
        import::run(&mut conn, ImportKind::Leika, bundled::LEIKA).unwrap();
        digitalnetzwerk::efa::seed::import_reference_solutions(&mut conn).unwrap();
        digitalnetzwerk::funding::seed::import_reference_programmes(&mut conn).unwrap();
        let key: String = leika_services::table
            .filter(leika_services::leika_key.is_not_null())
            .order(leika_services::id.asc())
            .select(leika_services::leika_key.assume_not_null())
            .first(&mut conn)
            .unwrap();
        // A catalogue entry that reads like a formula (catalogues are imported files).
        diesel::update(leika_services::table.filter(leika_services::leika_key.eq(&key)))
            .set(leika_services::name.eq(FORMULA_SERVICE))
            .execute(&mut conn)
            .unwrap();
        key
    };
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let district = coordinator.me["district"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &admin,
            "/api/v1/municipalities",
            json!({"district_id": district, "ags": "05762099", "name": FORMULA_TOWN, "kind": "town"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let town = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &coordinator,
            "/api/v1/projects",
            json!({"title": FORMULA_PROJECT, "summary": "Formeltest", "visibility": "network", "municipality_id": town}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = app
        .post(
            &coordinator,
            "/api/v1/processes",
            json!({"name": FORMULA_PROCESS, "leika_key": leika_key, "owner_municipality_id": town}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let programmes: Value = app
        .get(&coordinator, "/api/v1/funding/programmes?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post(&coordinator, "/api/v1/funding/applications", json!({
            "programme_id": programmes["items"][0]["id"], "title": "Formeltest-Antrag",
            "lead_municipality_id": town, "total_costs_cents": 1_000_000i64, "requested_cents": 500_000i64,
            "shares": [{"municipality_id": town, "share_cents": 1_000_000i64}],
        }))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // Four months of usage up to last month, the online share falling each month (so
    // the town is "auffällig"), shared publicly (so it is in the open data).
    let last = {
        use chrono::Datelike;
        let today = chrono::Utc::now().date_naive();
        let first = today.with_day(1).unwrap();
        first.pred_opt().unwrap()
    };
    let months: Vec<chrono::NaiveDate> = (0..4)
        .rev()
        .map(|back| {
            let mut d = last;
            for _ in 0..back {
                d = {
                    use chrono::Datelike;
                    d.with_day(1).unwrap().pred_opt().unwrap()
                };
            }
            d
        })
        .collect();
    let mut csv_in = String::from("Schlüssel;Monat;Online;Papier\n");
    for (i, m) in months.iter().enumerate() {
        csv_in.push_str(&format!(
            "{leika_key};{};{};{}\n",
            m.format("%m/%Y"),
            90 - 10 * i,
            10 + 10 * i
        ));
    }
    let preview: Value = app
        .post(
            &coordinator,
            "/api/v1/usage/import/preview",
            json!({ "csv": csv_in }),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post(
            &coordinator,
            "/api/v1/usage/imports",
            json!({"municipality_id": town, "file_name": "formel.csv", "csv": csv_in, "mapping": preview["suggested_mapping"]}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = app
        .client
        .put(app.url("/api/v1/usage/sharing"))
        .bearer_auth(&coordinator.token)
        .json(&json!({"municipality_id": town, "leika_key": leika_key, "visibility": "public"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let models: Value = app
        .get(&coordinator, "/api/v1/usage/maturity/models")
        .await
        .json()
        .await
        .unwrap();
    let model = models
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "ozg_1_1")
        .unwrap();
    let criteria: Vec<Value> = model["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"key": c["key"], "level": 3}))
        .collect();
    let r = app
        .post(
            &coordinator,
            "/api/v1/usage/maturity/assessments",
            json!({"municipality_id": town, "leika_key": leika_key, "model": "ozg_1_1",
                   "assessed_on": last.to_string(), "assessor": "Formeltest", "criteria": criteria}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (from, to) = (
        months[0].format("%Y-%m").to_string(),
        last.format("%Y-%m").to_string(),
    );
    let mut problems = Vec::new();
    let (mut csvs, mut xlsxs) = (0, 0);
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let content = &op["responses"]["200"]["content"];
        let is_csv = content.get("text/csv").is_some();
        let is_xlsx = content
            .as_object()
            .is_some_and(|c| c.keys().any(|k| k.contains("spreadsheetml")));
        if !is_csv && !is_xlsx {
            continue;
        }
        let mut url = if path.starts_with("/api/v1/usage/towns/") {
            path.replace("{id}", &town)
        } else {
            path.replace("{id}", &district)
        };
        assert!(
            !url.contains('{'),
            "{path}: a path parameter this test does not fill"
        );
        let query: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .collect();
        if query.contains(&"from") && query.contains(&"to") {
            url.push_str(&format!("?from={from}&to={to}"));
        }
        let r = app.get(&coordinator, &url).await;
        let status = r.status();
        let bytes = r.bytes().await.unwrap().to_vec();
        if status != 200 {
            problems.push(format!(
                "GET {url}: {status} {}",
                String::from_utf8_lossy(&bytes)
            ));
            continue;
        }
        let cells: Vec<String> = if is_csv {
            csvs += 1;
            let text = bytes
                .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
                .unwrap_or(&bytes[..]);
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .flexible(true)
                .from_reader(text);
            reader
                .records()
                .map(|r| r.unwrap_or_else(|e| panic!("{url}: not CSV: {e}")))
                .flat_map(|r| r.iter().map(str::to_string).collect::<Vec<_>>())
                .collect()
        } else {
            xlsxs += 1;
            let mut book: Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let mut cells = Vec::new();
            for name in book.sheet_names() {
                let formulas = book.worksheet_formula(&name).unwrap();
                if let Some((r, c, f)) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
                    problems.push(format!("GET {url}: formula {f:?} in row {r}, column {c}"));
                }
                let range = book.worksheet_range(&name).unwrap();
                for cell in range.used_cells() {
                    if let Data::String(s) = cell.2 {
                        cells.push(s.clone());
                    }
                }
            }
            cells
        };
        if cells.len() < 2 {
            problems.push(format!("GET {url}: no rows"));
        }
        if is_csv {
            if let Some(c) = cells.iter().find(|c| formula_like(c)) {
                problems.push(format!("GET {url}: unguarded formula cell {c:?}"));
            }
        }
        // The seeded text reached the export, in its safe form.
        let reached = FORMULAS.iter().any(|f| {
            let safe = if is_csv {
                format!("'{f}")
            } else {
                f.to_string()
            };
            cells.contains(&safe)
        });
        let exempt = WITHOUT_TEXT.iter().any(|(p, _)| p == path);
        if !reached && !exempt {
            problems.push(format!(
                "GET {url}: none of the seeded formula texts reached it, so the guard is untested: {:?}",
                cells.iter().take(40).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        csvs >= 11 && xlsxs >= 3,
        "only {csvs} CSV and {xlsxs} XLSX exports"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
