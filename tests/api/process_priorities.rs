//! Prozessregister, joint priorities and continuity: profiles and the candidate ranking
//! (computed here independently from the figures), "Projektentwurf anlegen", continuity
//! sheets with their visibility and German validation, the offline export, exercises in
//! the ICS feed and the reminder in the digest.
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, Session, TestApp};
use digitalnetzwerk::db::schema::{
    adoptions, districts, efa_solutions, leika_services, ozg_services, process_projects, processes,
};
use digitalnetzwerk::ozg::import::{self, bundled, ImportKind};

both_backends!(
    the_ranking_orders_three_processes_by_their_figures_and_a_draft_gets_partners_and_links,
    the_online_share_comes_from_the_usage_monitor_when_not_entered,
    the_offline_file_holds_every_sheet_of_the_town_and_no_other_and_loads_nothing,
    continuity_sheets_are_for_their_town_and_the_coordinator_only,
    bad_sheets_profiles_and_exercises_are_refused_in_german_with_field_names,
    an_exercise_is_in_the_calendar_feed_of_its_town,
    the_digest_reminds_officers_of_unconfirmed_sheets,
);

const BRAKEL: &str = "05762016";
const WARBURG: &str = "05762036";
const NIEHEIM: &str = "05762028";
const OFFICER_BRAKEL: &str = "digital@brakel.example";
const OFFICER_WARBURG: &str = "digital@warburg.example";
const OFFICER_NIEHEIM: &str = "digital@nieheim.example";
const MEMBER_BRAKEL: &str = "team@brakel.example";
const COORDINATOR: &str = "koordination@kreis-hoexter.example";

/// The OZG and LeiKa catalogues; returns `n` (LeiKa key, OZG-ID) pairs from the catalogue.
fn catalogue(app: &TestApp, n: usize) -> Vec<(String, i32)> {
    let mut conn = app.conn();
    import::run(&mut conn, ImportKind::Themenfelder, bundled::THEMENFELDER).unwrap();
    import::run(&mut conn, ImportKind::Lebenslagen, bundled::LEBENSLAGEN).unwrap();
    import::run(&mut conn, ImportKind::OzgServices, bundled::OZG_SERVICES).unwrap();
    import::run(&mut conn, ImportKind::Leika, bundled::LEIKA).unwrap();
    let mut rows: Vec<(String, i32)> = leika_services::table
        .inner_join(ozg_services::table)
        .filter(leika_services::leika_key.is_not_null())
        .order(leika_services::id.asc())
        .select((
            leika_services::leika_key.assume_not_null(),
            ozg_services::ozg_id,
        ))
        .limit(200)
        .load(&mut conn)
        .unwrap();
    rows.dedup_by(|a, b| a.0 == b.0);
    rows.truncate(n);
    assert_eq!(rows.len(), n);
    rows
}

fn district_id(app: &TestApp) -> String {
    districts::table
        .filter(districts::key.eq("05762"))
        .select(districts::id)
        .first(&mut app.conn())
        .unwrap()
}

/// A register entry written straight into the table (the register's own API is tested
/// in `processes.rs`; here only the priorities and continuity endpoints are).
fn process(
    app: &TestApp,
    owner: Option<&str>,
    name: &str,
    key: Option<(&str, i32)>,
    visibility: &str,
) -> String {
    let id = digitalnetzwerk::db::new_id();
    let t = digitalnetzwerk::db::now();
    diesel::insert_into(processes::table)
        .values((
            processes::id.eq(&id),
            processes::district_id.eq(district_id(app)),
            processes::owner_municipality_id.eq(owner),
            processes::name.eq(name),
            processes::leika_key.eq(key.map(|k| k.0)),
            processes::ozg_id.eq(key.map(|k| k.1)),
            processes::legal_basis.eq(""),
            processes::forms.eq(""),
            processes::it_systems.eq(""),
            processes::knowledge.eq(""),
            processes::visibility.eq(visibility),
            processes::created_at.eq(t),
            processes::updated_at.eq(t),
            processes::version.eq(1),
        ))
        .execute(&mut app.conn())
        .unwrap();
    id
}

async fn json_of(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
}

async fn put(
    app: &TestApp,
    s: &Session,
    path: &str,
    if_match: Option<i64>,
    body: Value,
) -> reqwest::Response {
    let mut req = app
        .client
        .put(app.url(path))
        .bearer_auth(&s.token)
        .json(&body);
    if let Some(v) = if_match {
        req = req.header("If-Match", format!("\"{v}\""));
    }
    req.send().await.unwrap()
}

async fn profile(
    app: &TestApp,
    s: &Session,
    process: &str,
    town: &str,
    year: i32,
    (cases, minutes, share): (i64, i64, Option<i64>),
) -> Value {
    let resp = put(
        app,
        s,
        &format!("/api/v1/processes/{process}/profiles/{town}/{year}"),
        None,
        json!({"annual_cases": cases, "minutes_per_case": minutes, "staff_fte_hundredths": 50,
               "online_share_percent": share}),
    )
    .await;
    assert_eq!(resp.status(), 200, "profile of {town}");
    json_of(resp).await
}

fn sheet(kind: &str, partner: Option<&str>, contacts: &str) -> Value {
    json!({
        "criticality": "A",
        "max_outage_hours": 48,
        "fallback_kind": kind,
        "fallback": "Antrag auf Papier annehmen, später nacherfassen.",
        "partner_municipality_id": partner,
        "contacts": contacts,
        "systems": "Fachverfahren, Drucker",
    })
}

async fn save_sheet(app: &TestApp, s: &Session, process: &str, town: &str, body: Value) -> Value {
    let resp = put(
        app,
        s,
        &format!("/api/v1/processes/{process}/continuity/{town}"),
        Some(0),
        body,
    )
    .await;
    assert_eq!(resp.status(), 200, "sheet of {town}");
    json_of(resp).await
}

/// Acceptance 3.
async fn the_ranking_orders_three_processes_by_their_figures_and_a_draft_gets_partners_and_links(
    app: TestApp,
) {
    let keys = catalogue(&app, 3);
    let (brakel, warburg, nieheim) = (
        app.municipality_id(BRAKEL).await,
        app.municipality_id(WARBURG).await,
        app.municipality_id(NIEHEIM).await,
    );
    let names = [
        "Hundesteuer anmelden",
        "Wohngeld beantragen",
        "Sondernutzung beantragen",
    ];
    let ids: Vec<String> = names
        .iter()
        .zip(&keys)
        .map(|(n, k)| process(&app, Some(&brakel), n, Some((&k.0, k.1)), "district"))
        .collect();
    // Warburg's own private process: not in Brakel's ranking.
    let hidden = process(&app, Some(&warburg), "Warburger Interna", None, "private");

    let coord = app.login(COORDINATOR).await;
    let lena = app.login(OFFICER_BRAKEL).await;
    let tobias = app.login(OFFICER_WARBURG).await;
    // (process index, town, cases, minutes, entered online share)
    let figures: Vec<(usize, &str, i64, i64, Option<i64>)> = vec![
        (0, brakel.as_str(), 1200, 10, Some(25)),
        (0, warburg.as_str(), 800, 12, Some(0)),
        (1, brakel.as_str(), 300, 90, Some(10)),
        (2, warburg.as_str(), 500, 20, Some(50)),
        (2, nieheim.as_str(), 400, 30, Some(0)),
    ];
    for (p, town, cases, minutes, share) in &figures {
        let who = if *town == brakel {
            &lena
        } else if *town == warburg {
            &tobias
        } else {
            &coord
        };
        let out = profile(&app, who, &ids[*p], town, 2025, (*cases, *minutes, *share)).await;
        assert_eq!(out["online_share_source"], "entered");
        assert_eq!(out["online_share_source_label"], "eingegeben");
    }
    profile(
        &app,
        &tobias,
        &hidden,
        &warburg,
        2025,
        (100_000, 100, Some(0)),
    )
    .await;
    // An officer enters figures for the own town only.
    let resp = put(
        &app,
        &lena,
        &format!("/api/v1/processes/{}/profiles/{warburg}/2025", ids[0]),
        None,
        json!({"annual_cases": 1, "minutes_per_case": 1}),
    )
    .await;
    assert_problem(resp, 403).await;

    // The expected order, computed here from the figures (weights as exponents).
    let expected = |wc: f64, wm: f64, wo: f64| -> Vec<String> {
        let mut scores: Vec<(f64, &str)> = (0..3)
            .map(|p| {
                let s: f64 = figures
                    .iter()
                    .filter(|f| f.0 == p)
                    .map(|f| {
                        (f.2 as f64).powf(wc)
                            * (f.3 as f64).powf(wm)
                            * (1.0 - f.4.unwrap() as f64 / 100.0).powf(wo)
                    })
                    .sum();
                (s, names[p])
            })
            .collect();
        scores.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scores.into_iter().map(|s| s.1.to_string()).collect()
    };
    let order = |r: &Value| -> Vec<String> {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    let r = json_of(
        app.get(&lena, "/api/v1/processes/candidates?year=2025")
            .await,
    )
    .await;
    assert_eq!(order(&r), expected(1.0, 1.0, 1.0), "{r}");
    assert_eq!(r["year"], 2025);
    assert_eq!(
        r["total"], 3,
        "the private process of Warburg is not in Brakel's ranking"
    );
    assert_eq!(r["can_weight"], false);
    assert!(r["formula"].as_str().unwrap().contains("Onlinequote"));
    // Wohngeld: 300 × 90 × 0,9 = 24.300 minutes = 405 hours.
    let first = &r["items"][0];
    assert_eq!(first["score"], 24300.0);
    assert_eq!(first["offline_hours"], 405.0);
    assert_eq!(first["rank"], 1);
    assert_eq!(first["towns"][0]["municipality"]["id"], brakel.as_str());
    // Without a year: the latest year with profiles.
    let r0 = json_of(app.get(&lena, "/api/v1/processes/candidates").await).await;
    assert_eq!(r0["year"], 2025);
    // The coordinator weights the factors; the ranking moves as the formula says.
    let weighted = json_of(
        app.get(
            &coord,
            "/api/v1/processes/candidates?year=2025&weight_minutes=0&weight_cases=1.5",
        )
        .await,
    )
    .await;
    assert_eq!(order(&weighted), expected(1.5, 0.0, 1.0), "{weighted}");
    assert_ne!(order(&weighted), order(&r), "the weights change the order");
    assert_eq!(weighted["weights"]["weight_minutes"], 0.0);
    assert_eq!(
        weighted["total"], 3,
        "a town's private process is not the district's"
    );
    // Officers may not weight.
    assert_problem(
        app.get(&lena, "/api/v1/processes/candidates?weight_cases=2")
            .await,
        403,
    )
    .await;
    let bad = assert_problem(
        app.get(&coord, "/api/v1/processes/candidates?weight_cases=7")
            .await,
        400,
    )
    .await;
    assert_eq!(fields(&bad), ["weight_cases"]);
    // Another district sees none of it.
    let delbrueck = app.other_district_officer().await;
    let other = app
        .get(
            &delbrueck,
            &format!(
                "/api/v1/processes/candidates?district_id={}",
                district_id(&app)
            ),
        )
        .await;
    assert_problem(other, 404).await;
    assert_problem(
        app.get(
            &delbrueck,
            &format!("/api/v1/processes/{}/profiles", ids[0]),
        )
        .await,
        404,
    )
    .await;

    let foreign_draft = app
        .post(
            &delbrueck,
            &format!("/api/v1/processes/{}/project-draft", ids[0]),
            json!({"municipality_ids": [brakel]}),
        )
        .await;
    assert_problem(foreign_draft, 404).await;

    // EfA: the first process is linked to a solution Warburg already runs.
    let solution = digitalnetzwerk::db::new_id();
    {
        let mut conn = app.conn();
        let t = digitalnetzwerk::db::now();
        diesel::insert_into(efa_solutions::table)
            .values((
                efa_solutions::id.eq(&solution),
                efa_solutions::name.eq("Hundesteuer online"),
                efa_solutions::description.eq(""),
                efa_solutions::status.eq("available"),
                efa_solutions::reuse_model.eq("other"),
                efa_solutions::reuse_conditions.eq(""),
                efa_solutions::requirements.eq(""),
                efa_solutions::published.eq(true),
                efa_solutions::created_at.eq(t),
                efa_solutions::updated_at.eq(t),
                efa_solutions::version.eq(1),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::insert_into(adoptions::table)
            .values((
                adoptions::id.eq(digitalnetzwerk::db::new_id()),
                adoptions::solution_id.eq(&solution),
                adoptions::municipality_id.eq(&warburg),
                adoptions::district_id.eq(district_id(&app)),
                adoptions::status.eq("live"),
                adoptions::notes.eq(""),
                adoptions::created_at.eq(t),
                adoptions::updated_at.eq(t),
                adoptions::version.eq(1),
            ))
            .execute(&mut conn)
            .unwrap();
        diesel::update(processes::table.find(&ids[0]))
            .set(processes::efa_solution_id.eq(Some(&solution)))
            .execute(&mut conn)
            .unwrap();
    }
    let r = json_of(
        app.get(&lena, "/api/v1/processes/candidates?year=2025")
            .await,
    )
    .await;
    let hund = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["process_id"] == ids[0].as_str())
        .unwrap();
    assert_eq!(hund["efa_solution"]["name"], "Hundesteuer online");
    assert_eq!(hund["running_towns"][0]["id"], warburg.as_str());
    let towns: Vec<&str> = hund["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["municipality"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(towns.len(), 2, "the interested towns: {towns:?}");
    assert!(towns.contains(&brakel.as_str()) && towns.contains(&warburg.as_str()));
    let wohngeld = &r["items"][0];
    assert!(wohngeld["efa_solution"].is_null());

    // "Projektentwurf anlegen" from the first candidate, Brakel leading, Nieheim and Warburg partners.
    let created = app
        .post(
            &coord,
            &format!("/api/v1/processes/{}/project-draft", ids[1]),
            json!({"municipality_ids": [warburg, brakel, nieheim], "lead_municipality_id": brakel}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created = json_of(created).await;
    let project_id = created["project_id"].as_str().unwrap().to_string();
    let p = json_of(
        app.get(&coord, &format!("/api/v1/projects/{project_id}"))
            .await,
    )
    .await;
    assert_eq!(p["status"], "draft");
    assert_eq!(p["title"], "Wohngeld beantragen");
    assert_eq!(p["municipality"]["id"], brakel.as_str());
    let mut partners: Vec<&str> = p["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["municipality"]["id"].as_str().unwrap())
        .collect();
    partners.sort();
    let mut want = vec![warburg.as_str(), nieheim.as_str()];
    want.sort();
    assert_eq!(partners, want);
    assert_eq!(p["ozg_ids"], json!([keys[1].1]));
    assert!(p["description"]
        .as_str()
        .unwrap()
        .contains(&format!("LeiKa-Leistungsschlüssel: {}", keys[1].0)));
    let linked: i64 = process_projects::table
        .filter(process_projects::process_id.eq(&ids[1]))
        .filter(process_projects::project_id.eq(&project_id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(linked, 1);
    // Audited.
    let audit = json_of(app.get(&coord, "/api/v1/audit?limit=100").await).await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "process.project_draft"),
        "{audit}"
    );
    // A town of another district cannot be a partner; nobody outside reads the process.
    let bad = app
        .post(
            &coord,
            &format!("/api/v1/processes/{}/project-draft", ids[1]),
            json!({"municipality_ids": [brakel, "no-such-town"]}),
        )
        .await;
    assert_eq!(
        fields(&assert_problem(bad, 422).await),
        ["municipality_ids"]
    );
    let hidden_draft = app
        .post(
            &lena,
            &format!("/api/v1/processes/{hidden}/project-draft"),
            json!({"municipality_ids": [brakel]}),
        )
        .await;
    assert_problem(hidden_draft, 404).await;
}

async fn the_online_share_comes_from_the_usage_monitor_when_not_entered(app: TestApp) {
    let keys = catalogue(&app, 1);
    let brakel = app.municipality_id(BRAKEL).await;
    let warburg = app.municipality_id(WARBURG).await;
    let id = process(
        &app,
        Some(&brakel),
        "Hundesteuer anmelden",
        Some((&keys[0].0, keys[0].1)),
        "district",
    );
    let lena = app.login(OFFICER_BRAKEL).await;
    // Brakel reports 2025: 30 online of 120 (25 %).
    let csv = format!(
        "Schlüssel;Monat;Online;Papier\n{k};03/2025;10;40\n{k};04/2025;20;50\n",
        k = keys[0].0
    );
    let preview = json_of(
        app.post(&lena, "/api/v1/usage/import/preview", json!({"csv": csv}))
            .await,
    )
    .await;
    let imported = app
        .post(
            &lena,
            "/api/v1/usage/imports",
            json!({"municipality_id": brakel, "file_name": "brakel.csv", "csv": csv,
                   "mapping": preview["suggested_mapping"]}),
        )
        .await;
    assert_eq!(imported.status(), 201);
    let out = profile(&app, &lena, &id, &brakel, 2025, (120, 10, None)).await;
    assert_eq!(out["online_share_source"], "usage_monitor");
    assert_eq!(out["online_share_source_label"], "Nutzungsmonitor");
    assert_eq!(out["effective_online_share"], 0.25);
    // No figures for Warburg: nothing online, said so.
    let tobias = app.login(OFFICER_WARBURG).await;
    let out = profile(&app, &tobias, &id, &warburg, 2025, (100, 10, None)).await;
    assert_eq!(out["online_share_source_label"], "keine Angabe");
    assert_eq!(out["effective_online_share"], 0.0);
    // Another year of Brakel has no figures either.
    let out = profile(&app, &lena, &id, &brakel, 2024, (100, 10, None)).await;
    assert_eq!(out["online_share_source"], "none");
    let list = json_of(
        app.get(&lena, &format!("/api/v1/processes/{id}/profiles?year=2025"))
            .await,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(list["can_enter"], true);
    // Ranking: 120 × 10 × 0,75 + 100 × 10 = 1.900.
    let r = json_of(
        app.get(&lena, "/api/v1/processes/candidates?year=2025")
            .await,
    )
    .await;
    assert_eq!(r["items"][0]["score"], 1900.0, "{r}");
}

/// Acceptance 4.
async fn the_offline_file_holds_every_sheet_of_the_town_and_no_other_and_loads_nothing(
    app: TestApp,
) {
    let brakel = app.municipality_id(BRAKEL).await;
    let warburg = app.municipality_id(WARBURG).await;
    let hund = process(
        &app,
        Some(&brakel),
        "Hundesteuer anmelden",
        None,
        "district",
    );
    let wohn = process(
        &app,
        Some(&brakel),
        "Wohngeld <beantragen>",
        None,
        "district",
    );
    let lena = app.login(OFFICER_BRAKEL).await;
    let tobias = app.login(OFFICER_WARBURG).await;
    save_sheet(
        &app,
        &lena,
        &hund,
        &brakel,
        sheet("paper", None, "Kontakt Brakel Hund, 05272 1"),
    )
    .await;
    save_sheet(
        &app,
        &lena,
        &wohn,
        &brakel,
        sheet(
            "partner",
            Some(&warburg),
            "Kontakt Brakel Wohn <https://intranet.example>",
        ),
    )
    .await;
    save_sheet(
        &app,
        &tobias,
        &hund,
        &warburg,
        sheet("manual", None, "Kontakt Warburg Hund"),
    )
    .await;
    let ex = app
        .post(
            &lena,
            &format!("/api/v1/processes/{hund}/continuity/{brakel}/exercises"),
            json!({"date": "2026-05-04", "note": "Stromausfall geübt"}),
        )
        .await;
    assert_eq!(ex.status(), 201);

    let resp = app
        .get(
            &lena,
            &format!("/api/v1/processes/continuity/offline?town={brakel}"),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    let cd = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.starts_with("attachment;"), "{cd}");
    assert!(cd.contains("Notfallkarten-Brakel.html"), "{cd}");
    let html = resp.text().await.unwrap();
    for bad in ["http://", "https://", "src=", "<script", "<link"] {
        assert!(!html.contains(bad), "the file contains {bad}");
    }
    assert_eq!(html.matches("<section").count(), 2, "every sheet of Brakel");
    assert!(html.contains("Hundesteuer anmelden"));
    assert!(html.contains("Wohngeld &lt;beantragen&gt;"));
    assert!(html.contains("Kontakt Brakel Hund, 05272 1"));
    assert!(html.contains("Kontakt Brakel Wohn"));
    assert!(html.contains("Partnerkommune</dt><dd>Warburg"));
    assert!(html.contains("04.05.2026") && html.contains("Stromausfall geübt"));
    assert!(html.contains("Maximale Ausfallzeit</dt><dd>48 Stunden"));
    assert!(html.contains("<style>"));
    assert!(
        !html.contains("Kontakt Warburg Hund"),
        "no sheet of another town"
    );
    assert!(html.contains("Stand: "));
    // Warburg's file for the coordinator holds Warburg's only; Brakel cannot fetch it.
    let coord = app.login(COORDINATOR).await;
    let w = app
        .get(
            &coord,
            &format!("/api/v1/processes/continuity/offline?town={warburg}"),
        )
        .await;
    assert_eq!(w.status(), 200);
    let w = w.text().await.unwrap();
    assert!(w.contains("Kontakt Warburg Hund") && !w.contains("Kontakt Brakel"));
    assert_eq!(w.matches("<section").count(), 1);
    assert_problem(
        app.get(
            &lena,
            &format!("/api/v1/processes/continuity/offline?town={warburg}"),
        )
        .await,
        404,
    )
    .await;
}

async fn continuity_sheets_are_for_their_town_and_the_coordinator_only(app: TestApp) {
    let brakel = app.municipality_id(BRAKEL).await;
    let id = process(
        &app,
        Some(&brakel),
        "Hundesteuer anmelden",
        None,
        "district",
    );
    let path = format!("/api/v1/processes/{id}/continuity/{brakel}");
    let lena = app.login(OFFICER_BRAKEL).await;
    // Before the first save: an empty sheet with version 0.
    let blank = app.get(&lena, &path).await;
    assert_eq!(blank.status(), 200);
    assert_eq!(blank.headers()["etag"], "\"0\"");
    let blank = json_of(blank).await;
    assert_eq!(blank["exists"], false);
    assert_eq!(blank["can_edit"], true);
    // Without If-Match: 428; with it: saved.
    assert_problem(
        put(&app, &lena, &path, None, sheet("paper", None, "x")).await,
        428,
    )
    .await;
    let saved = save_sheet(&app, &lena, &id, &brakel, sheet("paper", None, "Frau Vogt")).await;
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["criticality"], "A");
    assert_eq!(saved["confirmation_due"], true);
    // A stale version: 412.
    assert_problem(
        put(&app, &lena, &path, Some(0), sheet("paper", None, "y")).await,
        412,
    )
    .await;
    let v2 = json_of(
        put(
            &app,
            &lena,
            &path,
            Some(1),
            sheet("manual", None, "Herr Klein"),
        )
        .await,
    )
    .await;
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["fallback_kind"], "manual");
    let confirmed = app.post(&lena, &format!("{path}/confirm"), json!({})).await;
    assert_eq!(confirmed.status(), 200);
    let confirmed = json_of(confirmed).await;
    assert!(confirmed["confirmed_at"].is_string());
    assert_eq!(confirmed["confirmation_due"], false);

    // A member of the town reads but does not edit.
    let martin = app.login(MEMBER_BRAKEL).await;
    let m = json_of(app.get(&martin, &path).await).await;
    assert_eq!(m["contacts"], "Herr Klein");
    assert_eq!(m["can_edit"], false);
    assert_problem(
        put(&app, &martin, &path, Some(3), sheet("paper", None, "z")).await,
        403,
    )
    .await;
    // The coordinator reads and edits.
    let coord = app.login(COORDINATOR).await;
    assert_eq!(
        json_of(app.get(&coord, &path).await).await["can_edit"],
        true
    );
    // Another town of the district and another district: 404 on every surface.
    let tobias = app.login(OFFICER_WARBURG).await;
    let delbrueck = app.other_district_officer().await;
    for s in [&tobias, &delbrueck] {
        assert_problem(app.get(s, &path).await, 404).await;
        assert_problem(app.get(s, &format!("{path}/exercises")).await, 404).await;
        assert_problem(
            put(&app, s, &path, Some(3), sheet("paper", None, "z")).await,
            404,
        )
        .await;
        assert_problem(
            app.post(s, &format!("{path}/confirm"), json!({})).await,
            404,
        )
        .await;
        assert_problem(
            app.post(
                s,
                &format!("{path}/exercises"),
                json!({"date": "2027-01-01"}),
            )
            .await,
            404,
        )
        .await;
    }
    // A town that is not of the process's district: 404 as well.
    let other_town = app.municipality_id("05774012").await;
    assert_problem(
        app.get(
            &coord,
            &format!("/api/v1/processes/{id}/continuity/{other_town}"),
        )
        .await,
        404,
    )
    .await;
}

async fn bad_sheets_profiles_and_exercises_are_refused_in_german_with_field_names(app: TestApp) {
    let brakel = app.municipality_id(BRAKEL).await;
    let id = process(
        &app,
        Some(&brakel),
        "Hundesteuer anmelden",
        None,
        "district",
    );
    let path = format!("/api/v1/processes/{id}/continuity/{brakel}");
    let lena = app.login(OFFICER_BRAKEL).await;
    // Creates Kreis Paderborn with Delbrück: a town of another district.
    app.other_district_officer().await;
    let other_town = app.municipality_id("05774012").await;

    let mut bad = sheet("partner", Some(&brakel), "x");
    bad["criticality"] = json!("D");
    bad["max_outage_hours"] = json!(0);
    let p = assert_problem(put(&app, &lena, &path, Some(0), bad).await, 422).await;
    assert_eq!(
        fields(&p),
        ["criticality", "max_outage_hours", "partner_municipality_id"]
    );
    let text = p.to_string();
    assert!(text.contains("Kritikalität A"), "{text}");
    assert!(text.contains("1 bis 8760"), "{text}");
    assert!(text.contains("andere Kommune"), "{text}");
    let p = assert_problem(
        put(
            &app,
            &lena,
            &path,
            Some(0),
            sheet("partner", Some(&other_town), "x"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["partner_municipality_id"]);
    assert!(p.to_string().contains("selben Kreis"));
    let p = assert_problem(
        put(&app, &lena, &path, Some(0), sheet("partner", None, "x")).await,
        422,
    )
    .await;
    assert!(p.to_string().contains("Partnerkommune wählen"));
    let mut hours = sheet("paper", None, "x");
    hours["max_outage_hours"] = json!(8761);
    assert_eq!(
        fields(&assert_problem(put(&app, &lena, &path, Some(0), hours).await, 422).await),
        ["max_outage_hours"]
    );
    // Nothing was stored.
    assert_eq!(app.count("continuity_sheets"), 0);

    // Profiles.
    let p = assert_problem(
        put(
            &app,
            &lena,
            &format!("/api/v1/processes/{id}/profiles/{brakel}/2025"),
            None,
            json!({"annual_cases": -5, "minutes_per_case": 10, "online_share_percent": 120}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["annual_cases", "online_share_percent"]);
    assert!(p.to_string().contains("Prozent"));
    let p = assert_problem(
        put(
            &app,
            &lena,
            &format!("/api/v1/processes/{id}/profiles/{brakel}/1890"),
            None,
            json!({"annual_cases": 5, "minutes_per_case": 10}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["year"]);
    assert_eq!(app.count("process_profiles"), 0);

    // Exercises need a date (and a sheet's town).
    save_sheet(&app, &lena, &id, &brakel, sheet("paper", None, "x")).await;
    let p = assert_problem(
        app.post(
            &lena,
            &format!("{path}/exercises"),
            json!({"note": "ohne Datum"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["date"]);
    assert!(p.to_string().contains("Datum der Übung"));
    let p = assert_problem(
        app.post(
            &lena,
            &format!("{path}/exercises"),
            json!({"date": "gestern"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["date"]);
    assert_eq!(app.count("continuity_exercises"), 0);
}

async fn an_exercise_is_in_the_calendar_feed_of_its_town(app: TestApp) {
    let brakel = app.municipality_id(BRAKEL).await;
    let id = process(
        &app,
        Some(&brakel),
        "Hundesteuer anmelden",
        None,
        "district",
    );
    let lena = app.login(OFFICER_BRAKEL).await;
    save_sheet(&app, &lena, &id, &brakel, sheet("paper", None, "x")).await;
    let ex = app
        .post(
            &lena,
            &format!("/api/v1/processes/{id}/continuity/{brakel}/exercises"),
            json!({"date": "2027-03-15", "note": "Ausfall des Fachverfahrens"}),
        )
        .await;
    assert_eq!(ex.status(), 201);
    let listed = json_of(
        app.get(
            &lena,
            &format!("/api/v1/processes/{id}/continuity/{brakel}/exercises"),
        )
        .await,
    )
    .await;
    assert_eq!(listed["items"][0]["date"], "2027-03-15");

    let feed = |s: Session| {
        let app = &app;
        async move {
            let link = json_of(app.post(&s, "/api/v1/me/calendar-token", json!({})).await).await;
            let ics = app
                .client
                .get(link["url"].as_str().unwrap())
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            ics.replace("\r\n ", "")
        }
    };
    let ics = feed(lena.clone()).await;
    assert!(
        ics.contains("SUMMARY:Notfallübung: Hundesteuer anmelden (Brakel)"),
        "{ics}"
    );
    assert!(ics.contains("DTSTART;VALUE=DATE:20270315"), "{ics}");
    assert!(ics.contains("Ausfall des Fachverfahrens"));
    let coord = app.login(COORDINATOR).await;
    assert!(feed(coord)
        .await
        .contains("Notfallübung: Hundesteuer anmelden"));
    let tobias = app.login(OFFICER_WARBURG).await;
    assert!(
        !feed(tobias).await.contains("Notfallübung"),
        "not in another town's feed"
    );
}

/// Gives `email` one notification for the next digest (a digest needs news to go out).
fn digest_item(app: &TestApp, email: &str) {
    use digitalnetzwerk::db::schema::{events, notifications, users};
    let mut conn = app.conn();
    let uid: String = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut conn)
        .unwrap();
    let t = digitalnetzwerk::db::now() - chrono::Duration::hours(1);
    let event_id = digitalnetzwerk::db::new_id();
    diesel::insert_into(events::table)
        .values((
            events::id.eq(&event_id),
            events::verb.eq("adoption.created"),
            events::object_type.eq("adoption"),
            events::object_id.eq("fixture"),
            events::payload.eq("{}"),
            events::created_at.eq(t),
            events::processed_at.eq(Some(t)),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(digitalnetzwerk::db::new_id()),
            notifications::user_id.eq(&uid),
            notifications::event_id.eq(&event_id),
            notifications::kind.eq("efa_adoptions"),
            notifications::mode.eq("digest"),
            notifications::title.eq("EfA-Nachnutzung: eWA"),
            notifications::body.eq("interested"),
            notifications::link.eq("/efa/matrix"),
            notifications::created_at.eq(t),
        ))
        .execute(&mut conn)
        .unwrap();
}

async fn the_digest_reminds_officers_of_unconfirmed_sheets(app: TestApp) {
    use digitalnetzwerk::db::schema::continuity_sheets;
    let brakel = app.municipality_id(BRAKEL).await;
    let id = process(
        &app,
        Some(&brakel),
        "Hundesteuer anmelden",
        None,
        "district",
    );
    let lena = app.login(OFFICER_BRAKEL).await;
    save_sheet(&app, &lena, &id, &brakel, sheet("paper", None, "x")).await;
    for email in [OFFICER_BRAKEL, OFFICER_NIEHEIM, MEMBER_BRAKEL] {
        digest_item(&app, email);
    }
    let preview = |s: Session| {
        let app = &app;
        async move {
            let d = json_of(app.get(&s, "/api/v1/me/digest/preview").await).await;
            (
                d["text"].as_str().unwrap_or_default().to_string(),
                d["html"].as_str().unwrap_or_default().to_string(),
            )
        }
    };
    // Never confirmed: due.
    let (text, html) = preview(lena.clone()).await;
    assert!(text.contains("== Notfallkarten bestätigen =="), "{text}");
    assert!(text.contains("1 Notfallkarte"), "{text}");
    assert!(html.contains("Notfallkarten bestätigen"));
    // Confirmed now: no reminder; confirmed 91 days ago: due again.
    let c = app
        .post(
            &lena,
            &format!("/api/v1/processes/{id}/continuity/{brakel}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(c.status(), 200);
    assert!(!preview(lena.clone()).await.0.contains("Notfallkarten"));
    diesel::update(continuity_sheets::table)
        .set(continuity_sheets::confirmed_at.eq(Some(
            digitalnetzwerk::db::now() - chrono::Duration::days(91),
        )))
        .execute(&mut app.conn())
        .unwrap();
    assert!(preview(lena.clone())
        .await
        .0
        .contains("Notfallkarten bestätigen"));
    // Only officers of that town: not Nieheim's officer, not Brakel's member.
    let stefan = app.login(OFFICER_NIEHEIM).await;
    assert!(!preview(stefan).await.0.contains("Notfallkarten"));
    let martin = app.login(MEMBER_BRAKEL).await;
    let (text, _) = preview(martin).await;
    assert!(!text.is_empty(), "the member has a digest");
    assert!(!text.contains("Notfallkarten"));
}
