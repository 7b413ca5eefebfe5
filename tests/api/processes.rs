//! Prozessregister: a reference model and Brakel's variant with exactly the changed steps
//! and "Abweichungen im Kreis"; hostile BPMN files refused in German with nothing
//! stored; a town's process hidden from other towns on every surface; another
//! district's 404; editing rules; the register CSV import all or nothing.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, Session, TestApp};

both_backends!(
    a_reference_and_brakels_variant_show_exactly_the_changed_steps,
    hostile_bpmn_files_are_refused_in_german_and_nothing_is_stored,
    a_town_process_is_invisible_to_other_towns_on_every_surface,
    another_district_gets_404_everywhere,
    editing_needs_the_right_the_version_and_valid_fields,
    the_register_import_is_all_or_nothing,
    the_list_filter_agrees_with_the_policy_for_every_role,
);

const BRAKEL: &str = "05762016";
const WARBURG: &str = "05762036";
const OFFICER_BRAKEL: &str = "digital@brakel.example";
const OFFICER_WARBURG: &str = "digital@warburg.example";
const MEMBER_BRAKEL: &str = "team@brakel.example";
const COORDINATOR: &str = "koordination@kreis-hoexter.example";

const REFERENCE: &str = include_str!("../fixtures/bpmn/hundesteuer-referenz.bpmn");
const BRAKEL_VARIANT: &str = include_str!("../fixtures/bpmn/hundesteuer-brakel.bpmn");
const BILLION_LAUGHS: &str = include_str!("../fixtures/bpmn/billion-laughs.bpmn");
const WRONG_NAMESPACE: &str = include_str!("../fixtures/bpmn/falscher-namensraum.bpmn");

async fn json_of(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
}

async fn put(
    app: &TestApp,
    s: &Session,
    path: &str,
    version: Option<i64>,
    body: Value,
) -> reqwest::Response {
    let mut req = app
        .client
        .put(app.url(path))
        .bearer_auth(&s.token)
        .json(&body);
    if let Some(v) = version {
        req = req.header("If-Match", format!("\"{v}\""));
    }
    req.send().await.unwrap()
}

async fn create(app: &TestApp, s: &Session, body: Value) -> Value {
    let resp = app.post(s, "/api/v1/processes", body).await;
    assert_eq!(resp.status(), 201, "create");
    json_of(resp).await
}

async fn upload_model(
    app: &TestApp,
    s: &Session,
    id: &str,
    xml: &str,
    text: &[(&str, &str)],
) -> reqwest::Response {
    app.upload(
        s,
        &format!("/api/v1/processes/{id}/models"),
        "modell.bpmn",
        xml.as_bytes().to_vec(),
        text,
    )
    .await
}

fn ids_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

async fn a_reference_and_brakels_variant_show_exactly_the_changed_steps(app: TestApp) {
    let coordinator = app.login(COORDINATOR).await;
    let brakel = app.login(OFFICER_BRAKEL).await;
    let warburg = app.login(OFFICER_WARBURG).await;
    let p = create(
        &app,
        &coordinator,
        json!({"name": "Hundesteuer anmelden", "leika_key": "99036011000000",
               "legal_basis": "Hundesteuersatzung", "it_systems": "Steuerverfahren, DMS",
               "knowledge": "## Ablauf\n\nAnmeldung binnen **zwei Wochen**."}),
    )
    .await;
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["visibility"], "district");
    assert!(p["owner"].is_null(), "the district keeps the reference");
    assert!(p["knowledge_html"]
        .as_str()
        .unwrap()
        .contains("<strong>zwei Wochen</strong>"));
    assert_eq!(p["can_edit"], true);

    let resp = upload_model(&app, &coordinator, &id, REFERENCE, &[("kind", "reference")]).await;
    assert_eq!(resp.status(), 201);
    let reference = json_of(resp).await;
    let acts: Vec<&str> = reference["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        acts,
        [
            "t_antrag",
            "t_pruefen",
            "t_bescheid",
            "t_versand",
            "t_marke"
        ]
    );
    assert_eq!(reference["version_no"], 1);

    // Brakel derives its variant; an officer of Brakel may not replace the reference.
    let resp = upload_model(&app, &brakel, &id, REFERENCE, &[("kind", "reference")]).await;
    assert_problem(resp, 403).await;
    let resp = upload_model(&app, &brakel, &id, BRAKEL_VARIANT, &[("kind", "local")]).await;
    assert_eq!(resp.status(), 201);
    let local = json_of(resp).await;
    let local_id = local["id"].as_str().unwrap().to_string();
    assert_eq!(local["derived_from"], reference["id"]);
    assert_eq!(local["municipality"]["ags"], BRAKEL);
    assert_eq!(local["difference_count"], 2);

    let cmp = json_of(
        app.get(
            &brakel,
            &format!("/api/v1/processes/{id}/models/{local_id}/comparison"),
        )
        .await,
    )
    .await;
    assert_eq!(cmp["reference"]["id"], reference["id"]);
    let diffs = cmp["differences"].as_array().unwrap();
    let short: Vec<(&str, &str)> = diffs
        .iter()
        .map(|d| {
            (
                d["activity_id"].as_str().unwrap(),
                d["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(short, [("t_pruefen", "renamed"), ("t_register", "added")]);
    assert_eq!(diffs[0]["reference_name"], "Angaben prüfen");
    assert_eq!(
        diffs[0]["local_name"],
        "Angaben und Sachkundenachweis prüfen"
    );
    assert!(diffs
        .iter()
        .all(|d| d["can_edit"] == true && d["state"] == "adapted"));

    // Brakel gives its reasons; Warburg may read but not change them.
    let reasons = [
        ("Sachkundenachweis nach Landeshundegesetz", "adapted"),
        ("Eigenes Hunderegister seit 2019", "own_process"),
    ];
    for (d, (reason, state)) in diffs.iter().zip(reasons) {
        let path = format!(
            "/api/v1/processes/{id}/differences/{}",
            d["id"].as_str().unwrap()
        );
        let resp = put(
            &app,
            &warburg,
            &path,
            None,
            json!({"reason": "x", "state": "adopted"}),
        )
        .await;
        assert_problem(resp, 403).await;
        let resp = put(
            &app,
            &brakel,
            &path,
            None,
            json!({"reason": reason, "state": state}),
        )
        .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(json_of(resp).await["reason"], reason);
    }
    let bad = put(
        &app,
        &brakel,
        &format!(
            "/api/v1/processes/{id}/differences/{}",
            diffs[0]["id"].as_str().unwrap()
        ),
        None,
        json!({"reason": "x", "state": "egal"}),
    )
    .await;
    assert_eq!(bad.status(), 422);
    let cmp = json_of(
        app.get(
            &warburg,
            &format!("/api/v1/processes/{id}/models/{local_id}/comparison"),
        )
        .await,
    )
    .await;
    let got: Vec<(&str, &str, bool)> = cmp["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["reason"].as_str().unwrap(),
                d["state"].as_str().unwrap(),
                d["can_edit"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (reasons[0].0, reasons[0].1, false),
            (reasons[1].0, reasons[1].1, false)
        ]
    );

    // Warburg changes only the check step: it is the step most towns change.
    let warburg_variant =
        REFERENCE.replace("name=\"Angaben prüfen\"", "name=\"Angaben prüfen (Chip)\"");
    let resp = upload_model(&app, &warburg, &id, &warburg_variant, &[("kind", "local")]).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(json_of(resp).await["difference_count"], 1);
    let dev = json_of(app.get(&coordinator, "/api/v1/processes/deviations").await).await;
    assert_eq!(dev["total"], 2);
    let rows: Vec<(&str, i64)> = dev["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["activity_id"].as_str().unwrap(),
                d["towns"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, [("t_pruefen", 2), ("t_register", 1)]);
    assert_eq!(dev["items"][0]["activity_name"], "Angaben prüfen");
    assert_eq!(dev["items"][0]["renamed"], 2);
    assert_eq!(dev["items"][1]["added"], 1);

    // A second version of Brakel's variant replaces the first in the count, and keeps
    // the reasons of the steps it still changes.
    let resp = upload_model(&app, &brakel, &id, BRAKEL_VARIANT, &[("kind", "local")]).await;
    let second = json_of(resp).await;
    assert_eq!(second["version_no"], 2);
    let dev = json_of(app.get(&coordinator, "/api/v1/processes/deviations").await).await;
    assert_eq!(dev["items"][0]["towns"], 2);
    assert_eq!(dev["items"][1]["towns"], 1);
    let cmp = json_of(
        app.get(
            &brakel,
            &format!(
                "/api/v1/processes/{id}/models/{}/comparison",
                second["id"].as_str().unwrap()
            ),
        )
        .await,
    )
    .await;
    assert_eq!(cmp["differences"][1]["reason"], reasons[1].0);
    assert_eq!(cmp["differences"][1]["state"], "own_process");

    let models = json_of(
        app.get(&brakel, &format!("/api/v1/processes/{id}/models"))
            .await,
    )
    .await;
    assert_eq!(models["items"].as_array().unwrap().len(), 4);
    let list = json_of(app.get(&warburg, "/api/v1/processes?q=Hundesteuer").await).await;
    assert_eq!(list["items"][0]["reference_versions"], 1);
    assert_eq!(list["items"][0]["local_variants"], 2);

    // The model comes back as BPMN 2.0 XML, byte for byte.
    let resp = app
        .get(
            &warburg,
            &format!("/api/v1/processes/{id}/models/{local_id}/bpmn"),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/xml"), "{ct}");
    let cd = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.starts_with("attachment") && cd.contains(".bpmn"), "{cd}");
    assert_eq!(resp.text().await.unwrap(), BRAKEL_VARIANT);
    // A reference has nothing to compare with.
    let resp = app
        .get(
            &brakel,
            &format!(
                "/api/v1/processes/{id}/models/{}/comparison",
                reference["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_problem(resp, 400).await;
}

async fn hostile_bpmn_files_are_refused_in_german_and_nothing_is_stored(app: TestApp) {
    let coordinator = app.login(COORDINATOR).await;
    let p = create(&app, &coordinator, json!({"name": "Hundesteuer anmelden"})).await;
    let id = p["id"].as_str().unwrap().to_string();
    let mut huge = String::from(
        "<?xml version=\"1.0\"?><definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><!-- ",
    );
    huge.push_str(&"x".repeat(30 * 1024 * 1024));
    huge.push_str(" --></definitions>");
    let cases: [(&str, &str, &str); 5] = [
        (
            "kein XML",
            "Das ist eine Word-Datei, kein Modell.",
            "wohlgeformt",
        ),
        (
            "PDF",
            "%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj\n<<>>\nendobj\n",
            "wohlgeformt",
        ),
        ("falscher Namensraum", WRONG_NAMESPACE, "Namensraum"),
        ("Entitäten", BILLION_LAUGHS, "DOCTYPE"),
        ("30 MB", &huge, "5 MB"),
    ];
    for (what, body, expected) in cases {
        let resp = upload_model(&app, &coordinator, &id, body, &[("kind", "reference")]).await;
        let problem = assert_problem(resp, 422).await;
        assert_eq!(fields(&problem), ["file"], "{what}");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{what}: {message}");
        assert_eq!(problem["title"], "Ungültige Eingabe", "{what}");
    }
    // A local variant of a refused file is refused the same way.
    let resp = upload_model(
        &app,
        &coordinator,
        &id,
        BILLION_LAUGHS,
        &[("kind", "local")],
    )
    .await;
    assert_problem(resp, 422).await;
    assert_eq!(app.count("process_models"), 0);
    assert_eq!(app.count("process_differences"), 0);
    let models = json_of(
        app.get(&coordinator, &format!("/api/v1/processes/{id}/models"))
            .await,
    )
    .await;
    assert_eq!(models["items"], json!([]));
    // The same valid file is accepted, so the refusals above are the files' fault.
    let resp = upload_model(&app, &coordinator, &id, REFERENCE, &[("kind", "reference")]).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(app.count("process_models"), 1);
    // A variant needs a reference of this process and a known kind.
    let resp = upload_model(&app, &coordinator, &id, REFERENCE, &[("kind", "entwurf")]).await;
    assert_eq!(fields(&assert_problem(resp, 422).await), ["kind"]);
    let resp = upload_model(
        &app,
        &coordinator,
        &id,
        BRAKEL_VARIANT,
        &[
            ("kind", "local"),
            ("municipality_id", &app.municipality_id(BRAKEL).await),
            ("derived_from", "gibt-es-nicht"),
        ],
    )
    .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), ["derived_from"]);
    assert_eq!(app.count("process_models"), 1);
}

async fn a_town_process_is_invisible_to_other_towns_on_every_surface(app: TestApp) {
    let brakel = app.login(OFFICER_BRAKEL).await;
    let member = app.login(MEMBER_BRAKEL).await;
    let warburg = app.login(OFFICER_WARBURG).await;
    let coordinator = app.login(COORDINATOR).await;
    let hidden = create(
        &app,
        &brakel,
        json!({"name": "Wurmkur-Sonderverfahren beantragen", "visibility": "private",
               "knowledge": "Nur in Brakel: die Zaunkönigprüfung vor Ort."}),
    )
    .await;
    let hid = hidden["id"].as_str().unwrap().to_string();
    assert_eq!(hidden["owner"]["ags"], BRAKEL);
    let shared = create(
        &app,
        &brakel,
        json!({"name": "Wurmkur-Zuschuss beantragen", "visibility": "district",
               "knowledge": "Für alle im Kreis: die Zaunkönigprüfung entfällt."}),
    )
    .await;
    let sid = shared["id"].as_str().unwrap().to_string();
    let resp = upload_model(&app, &brakel, &hid, REFERENCE, &[("kind", "reference")]).await;
    assert_eq!(resp.status(), 201);
    let model_id = json_of(resp).await["id"].as_str().unwrap().to_string();

    // The coordinator's audit log has the shared process's entries but none of the
    // town's own one (not even without its name).
    let audit = app
        .get(&coordinator, "/api/v1/audit?limit=100")
        .await
        .text()
        .await
        .unwrap();
    assert!(audit.contains(&sid), "the shared process is in the log");
    assert!(
        !audit.contains(&hid),
        "the audit log names Brakel's own process"
    );
    assert!(!audit.contains(&model_id));

    // Brakel's own users find both, by name and by the knowledge page.
    for s in [&brakel, &member] {
        let page = json_of(app.get(s, "/api/v1/processes?q=Zaunkönigprüfung").await).await;
        let mut ids = ids_of(&page);
        ids.sort();
        let mut want = vec![hid.clone(), sid.clone()];
        want.sort();
        assert_eq!(ids, want);
        assert_eq!(
            app.get(s, &format!("/api/v1/processes/{hid}"))
                .await
                .status(),
            200
        );
    }
    // Another town and the coordinator see only the district-visible one.
    for s in [&warburg, &coordinator] {
        let all = json_of(app.get(s, "/api/v1/processes").await).await;
        assert_eq!(ids_of(&all), [sid.as_str()]);
        assert_eq!(all["total"], 1);
        let found = json_of(app.get(s, "/api/v1/processes?q=Zaunkönigprüfung").await).await;
        assert_eq!(ids_of(&found), [sid.as_str()]);
        let found = json_of(app.get(s, "/api/v1/processes?q=Sonderverfahren").await).await;
        assert_eq!(found["total"], 0);
        let csv = app
            .get(s, "/api/v1/processes/export.csv")
            .await
            .text()
            .await
            .unwrap();
        assert!(csv.contains("Wurmkur-Zuschuss beantragen"), "{csv}");
        assert!(!csv.contains("Sonderverfahren"), "{csv}");
        for path in [
            format!("/api/v1/processes/{hid}"),
            format!("/api/v1/processes/{hid}/models"),
            format!("/api/v1/processes/{hid}/files"),
            format!("/api/v1/processes/{hid}/models/{model_id}/bpmn"),
            format!("/api/v1/processes/{hid}/models/{model_id}/comparison"),
        ] {
            assert_problem(app.get(s, &path).await, 404).await;
        }
        let resp = put(
            &app,
            s,
            &format!("/api/v1/processes/{hid}"),
            Some(1),
            json!({"name": "Übernommen"}),
        )
        .await;
        assert_problem(resp, 404).await;
        let resp = upload_model(&app, s, &hid, REFERENCE, &[("kind", "local")]).await;
        assert_problem(resp, 404).await;
    }
    // "Wer baut das schon?": Warburg's draft gets a hint for the shared process only.
    let hints = json_of(
        app.post(
            &warburg,
            "/api/v1/processes/similar",
            json!({"title": "Wurmkur beantragen", "summary": "Zaunkönigprüfung und Wurmkur-Sonderverfahren digital"}),
        )
        .await,
    )
    .await;
    let hinted: Vec<&str> = hints["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["process"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(hinted, [sid.as_str()]);
    // Brakel's own processes are no hint for Brakel.
    let own = json_of(
        app.post(
            &brakel,
            "/api/v1/processes/similar",
            json!({"title": "Wurmkur beantragen", "summary": "Zaunkönigprüfung"}),
        )
        .await,
    )
    .await;
    assert_eq!(own["items"], json!([]));
    // The hidden process's variant steps are not counted for others either.
    let dev = json_of(app.get(&coordinator, "/api/v1/processes/deviations").await).await;
    assert_eq!(dev["total"], 0);
}

async fn another_district_gets_404_everywhere(app: TestApp) {
    let coordinator = app.login(COORDINATOR).await;
    let p = create(&app, &coordinator, json!({"name": "Gewerbe anmelden"})).await;
    let id = p["id"].as_str().unwrap().to_string();
    let resp = upload_model(&app, &coordinator, &id, REFERENCE, &[("kind", "reference")]).await;
    let model_id = json_of(resp).await["id"].as_str().unwrap().to_string();
    let stranger = app.other_district_officer().await;
    let list = json_of(app.get(&stranger, "/api/v1/processes").await).await;
    assert_eq!(list["total"], 0);
    for path in [
        format!("/api/v1/processes/{id}"),
        format!("/api/v1/processes/{id}/models"),
        format!("/api/v1/processes/{id}/models/{model_id}/bpmn"),
        format!("/api/v1/processes/{id}/files"),
    ] {
        assert_problem(app.get(&stranger, &path).await, 404).await;
    }
    let district = p["district_id"].as_str().unwrap();
    assert_problem(
        app.get(
            &stranger,
            &format!("/api/v1/processes/deviations?district={district}"),
        )
        .await,
        404,
    )
    .await;
    let resp = put(
        &app,
        &stranger,
        &format!("/api/v1/processes/{id}"),
        Some(1),
        json!({"name": "Fremd"}),
    )
    .await;
    assert_problem(resp, 404).await;
    let resp = upload_model(&app, &stranger, &id, REFERENCE, &[("kind", "local")]).await;
    assert_problem(resp, 404).await;
    let brakel_id = app.municipality_id(BRAKEL).await;
    let resp = app
        .post(
            &stranger,
            "/api/v1/processes/import",
            json!({"municipality_id": brakel_id, "csv": "Name\nGewerbe anmelden\n"}),
        )
        .await;
    assert_problem(resp, 404).await;
    // Once shared with the network, the other district reads it, but cannot change it.
    let resp = put(
        &app,
        &coordinator,
        &format!("/api/v1/processes/{id}"),
        Some(1),
        json!({"visibility": "network"}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        app.get(&stranger, &format!("/api/v1/processes/{id}"))
            .await
            .status(),
        200
    );
    let resp = put(
        &app,
        &stranger,
        &format!("/api/v1/processes/{id}"),
        Some(2),
        json!({"name": "Fremd"}),
    )
    .await;
    assert_problem(resp, 403).await;
}

async fn editing_needs_the_right_the_version_and_valid_fields(app: TestApp) {
    let brakel = app.login(OFFICER_BRAKEL).await;
    let warburg = app.login(OFFICER_WARBURG).await;
    let member = app.login(MEMBER_BRAKEL).await;
    let me = json_of(app.get(&brakel, "/api/v1/me").await).await;
    assert_eq!(me["permissions"]["create_process"], true, "{me}");
    let me = json_of(app.get(&member, "/api/v1/me").await).await;
    assert_eq!(me["permissions"]["create_process"], false);
    let resp = app
        .post(
            &member,
            "/api/v1/processes",
            json!({"name": "Hundesteuer anmelden"}),
        )
        .await;
    assert_problem(resp, 403).await;
    let resp = app
        .post(
            &brakel,
            "/api/v1/processes",
            json!({"name": "x", "leika_key": "123", "visibility": "geheim"}),
        )
        .await;
    assert_eq!(resp.status(), 422);
    let resp = app
        .post(
            &brakel,
            "/api/v1/processes",
            json!({"name": "x", "leika_key": "123"}),
        )
        .await;
    let problem = assert_problem(resp, 422).await;
    assert_eq!(fields(&problem), ["name", "leika_key"]);
    assert!(problem["errors"][1]["message"]
        .as_str()
        .unwrap()
        .contains("14 Ziffern"));

    let p = create(&app, &brakel, json!({"name": "Sperrmüll anmelden"})).await;
    let id = p["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/processes/{id}");
    assert_problem(
        put(&app, &brakel, &path, None, json!({"forms": "A"})).await,
        428,
    )
    .await;
    assert_problem(
        put(&app, &brakel, &path, Some(7), json!({"forms": "A"})).await,
        412,
    )
    .await;
    assert_problem(
        put(&app, &warburg, &path, Some(1), json!({"forms": "A"})).await,
        403,
    )
    .await;
    let resp = put(
        &app,
        &brakel,
        &path,
        Some(1),
        json!({"forms": "Antrag Sperrmüll", "knowledge": "Termin *online*"}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["etag"], "\"2\"");
    let p = json_of(resp).await;
    assert_eq!(p["name"], "Sperrmüll anmelden", "unsent fields stay");
    assert_eq!(p["forms"], "Antrag Sperrmüll");
    assert!(p["knowledge_html"]
        .as_str()
        .unwrap()
        .contains("<em>online</em>"));

    // Offices: each town sets its own.
    let brakel_id = app.municipality_id(BRAKEL).await;
    let warburg_id = app.municipality_id(WARBURG).await;
    let resp = put(
        &app,
        &warburg,
        &format!("{path}/offices/{brakel_id}"),
        None,
        json!({"office": "Ordnungsamt"}),
    )
    .await;
    assert_problem(resp, 403).await;
    let resp = put(
        &app,
        &warburg,
        &format!("{path}/offices/{warburg_id}"),
        None,
        json!({"office": "Bauhof"}),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let resp = put(
        &app,
        &brakel,
        &format!("{path}/offices/{brakel_id}"),
        None,
        json!({"office": "Ordnungsamt"}),
    )
    .await;
    let p = json_of(resp).await;
    let offices: Vec<(&str, &str, bool)> = p["offices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["municipality"]["ags"].as_str().unwrap(),
                o["office"].as_str().unwrap(),
                o["can_edit"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        offices,
        [(BRAKEL, "Ordnungsamt", true), (WARBURG, "Bauhof", false)]
    );

    // Project links: only projects the editor can read.
    let project = json_of(
        app.post(&brakel, "/api/v1/projects", json!({"title": "Sperrmüll online buchen", "summary": "Termine online", "visibility": "district"}))
            .await,
    )
    .await;
    let pid = project["id"].as_str().unwrap().to_string();
    let private = json_of(
        app.post(
            &warburg,
            "/api/v1/projects",
            json!({"title": "Warburger Idee", "summary": "geheim", "visibility": "private"}),
        )
        .await,
    )
    .await;
    let resp = put(
        &app,
        &brakel,
        &format!("{path}/projects"),
        None,
        json!({"project_ids": [pid, private["id"]]}),
    )
    .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), ["project_ids[1]"]);
    let resp = put(
        &app,
        &brakel,
        &format!("{path}/projects"),
        None,
        json!({"project_ids": [pid]}),
    )
    .await;
    let p = json_of(resp).await;
    assert_eq!(p["projects"][0]["id"], pid.as_str());
    assert_eq!(p["projects"][0]["title"], "Sperrmüll online buchen");

    // Knowledge attachments through the file module.
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let resp = app
        .upload(
            &warburg,
            &format!("{path}/files"),
            "a.pdf",
            pdf.clone(),
            &[],
        )
        .await;
    assert_problem(resp, 403).await;
    let resp = app
        .upload(
            &brakel,
            &format!("{path}/files"),
            "Merkblatt.pdf",
            pdf.clone(),
            &[],
        )
        .await;
    assert_eq!(resp.status(), 201);
    let file = json_of(resp).await;
    let files = json_of(app.get(&warburg, &format!("{path}/files")).await).await;
    assert_eq!(files["items"][0]["file_name"], "Merkblatt.pdf");
    assert_eq!(files["items"][0]["can_delete"], false);
    let resp = app
        .get(
            &warburg,
            &format!("{path}/files/{}", file["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(resp.bytes().await.unwrap().to_vec(), pdf);
}

async fn the_register_import_is_all_or_nothing(app: TestApp) {
    let brakel = app.login(OFFICER_BRAKEL).await;
    let warburg = app.login(OFFICER_WARBURG).await;
    let brakel_id = app.municipality_id(BRAKEL).await;
    let bad = "\u{feff}Name;Leistungsschlüssel;Amt;Fallzahl;Minuten je Fall\r\n\
               Hundesteuer anmelden;99036011000000;Steueramt;420;15\r\n\
               Sperrmüll anmelden;;Bauhof;1.200;5\r\n\
               Gewerbe anmelden;990500;Ordnungsamt;viele;20\r\n";
    let resp = app
        .post(
            &brakel,
            "/api/v1/processes/import",
            json!({"municipality_id": brakel_id, "year": 2025, "csv": bad}),
        )
        .await;
    let problem = assert_problem(resp, 422).await;
    let messages: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("Zeile 4, Spalte „Leistungsschlüssel“"),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("Zeile 4, Spalte „Fallzahl“"),
        "{messages:?}"
    );
    assert_eq!(app.count("processes"), 0);
    assert_eq!(app.count("process_offices"), 0);
    assert_eq!(app.count("process_profiles"), 0);

    let resp = app
        .post(
            &brakel,
            "/api/v1/processes/import",
            json!({"municipality_id": brakel_id, "csv": "Prozess;Amt\r\n"}),
        )
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), ["csv"]);
    let resp = app
        .post(
            &warburg,
            "/api/v1/processes/import",
            json!({"municipality_id": brakel_id, "csv": bad}),
        )
        .await;
    assert_problem(resp, 403).await;

    let good = bad.replace("990500;Ordnungsamt;viele", "99050012000000;Ordnungsamt;88");
    let resp = app
        .post(
            &brakel,
            "/api/v1/processes/import",
            json!({"municipality_id": brakel_id, "year": 2025, "csv": good}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let out = json_of(resp).await;
    assert_eq!(
        out,
        json!({"rows": 3, "created": 3, "matched": 0, "profiles": 3})
    );
    let list = json_of(app.get(&warburg, "/api/v1/processes").await).await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Gewerbe anmelden",
            "Hundesteuer anmelden",
            "Sperrmüll anmelden"
        ]
    );
    assert_eq!(list["items"][1]["owner"]["ags"], BRAKEL);
    assert_eq!(app.count("process_profiles"), 3);
    let csv = app.get(&warburg, "/api/v1/processes/export.csv").await;
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("\u{feff}Prozess;Leistungsschlüssel (LeiKa);"),
        "{text}"
    );
    assert!(
        text.contains("Hundesteuer anmelden;99036011000000;"),
        "{text}"
    );
    assert!(text.contains("Brakel: Steueramt"), "{text}");

    // Warburg imports the same services: they join the existing entries by key or name.
    let warburg_id = app.municipality_id(WARBURG).await;
    let theirs = "Name,LeiKa,Amt,Fallzahl,Minuten\nHundesteuer,99036011000000,Kämmerei,300,12\nsperrmüll anmelden,,Bauhof,,\n";
    let out = json_of(
        app.post(
            &warburg,
            "/api/v1/processes/import",
            json!({"municipality_id": warburg_id, "year": 2025, "csv": theirs}),
        )
        .await,
    )
    .await;
    assert_eq!(
        out,
        json!({"rows": 2, "created": 0, "matched": 2, "profiles": 1})
    );
    assert_eq!(app.count("processes"), 3);
    assert_eq!(app.count("process_offices"), 5);
    let mine = json_of(
        app.get(&warburg, &format!("/api/v1/processes?town={warburg_id}"))
            .await,
    )
    .await;
    let names: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Hundesteuer anmelden", "Sperrmüll anmelden"]);
    let by_key = json_of(
        app.get(&warburg, "/api/v1/processes?q=99050012000000")
            .await,
    )
    .await;
    assert_eq!(by_key["items"][0]["name"], "Gewerbe anmelden");
    assert_eq!(by_key["total"], 1);
    assert_eq!(app.count("process_profiles"), 4);
}

async fn the_list_filter_agrees_with_the_policy_for_every_role(app: TestApp) {
    let coordinator = app.login(COORDINATOR).await;
    let brakel = app.login(OFFICER_BRAKEL).await;
    let brakel_id = app.municipality_id(BRAKEL).await;
    // A coordinator cannot hide a town's process from themself.
    let resp = app
        .post(
            &coordinator,
            "/api/v1/processes",
            json!({"name": "Versteckt", "visibility": "private", "owner_municipality_id": brakel_id}),
        )
        .await;
    assert_eq!(fields(&assert_problem(resp, 422).await), ["visibility"]);
    let mut all = Vec::new();
    for (s, town) in [(&brakel, "Brakel"), (&coordinator, "Kreis")] {
        for vis in ["private", "district", "network", "public"] {
            let p = create(
                &app,
                s,
                json!({"name": format!("Prozess {vis} {town}"), "visibility": vis}),
            )
            .await;
            assert_eq!(p["owner"]["ags"].as_str().is_some(), town == "Brakel");
            all.push(p["id"].as_str().unwrap().to_string());
        }
    }
    let mut sessions = vec![
        app.login("admin@digitalnetzwerk.example").await,
        coordinator.clone(),
        app.login(OFFICER_BRAKEL).await,
        app.login(MEMBER_BRAKEL).await,
        app.login(OFFICER_WARBURG).await,
    ];
    sessions.push(app.other_district_officer().await);
    let mut seen_counts = Vec::new();
    for s in &sessions {
        let mut listed = ids_of(&json_of(app.get(s, "/api/v1/processes?limit=100").await).await);
        listed.sort();
        let mut readable = Vec::new();
        for id in &all {
            let status = app
                .get(s, &format!("/api/v1/processes/{id}"))
                .await
                .status();
            assert!(status == 200 || status == 404, "{status}");
            if status == 200 {
                readable.push(id.clone());
            }
        }
        readable.sort();
        assert_eq!(listed, readable, "{}", s.me["email"]);
        seen_counts.push(listed.len());
    }
    // admin, coordinator (+ the district's private one), Brakel ×2, Warburg, other district
    assert_eq!(seen_counts, [6, 7, 7, 7, 6, 4]);
}
