//! Files outside projects: documents of funding applications (per checklist item) and
//! attachments of support requests — rights, type checks, one stored copy per content.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, TestApp};

both_backends!(
    application_documents_follow_the_application_rights,
    support_attachments_follow_the_request,
);

const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const ELF: &[u8] = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00";

fn stored_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.config.data_dir.join("attachments"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
        .unwrap_or(0)
}

async fn application_documents_follow_the_application_rights(app: TestApp) {
    digitalnetzwerk::funding::seed::import_reference_programmes(&mut app.conn()).unwrap();
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let programmes: Value = app
        .get(&coordinator, "/api/v1/funding/programmes?q=Smart%20Cities")
        .await
        .json()
        .await
        .unwrap();
    let mpsc = programmes["items"][0]["id"].as_str().unwrap().to_string();
    let hoexter = app.municipality_id("05762020").await;
    let brakel_town = app.municipality_id("05762016").await;
    let r = app
        .post(
            &coordinator,
            "/api/v1/funding/applications",
            json!({
                "programme_id": mpsc,
                "title": "Digitale Dorfplätze",
                "lead_municipality_id": hoexter,
                "total_costs_cents": 1_000_000,
                "requested_cents": 500_000,
                "shares": [
                    {"municipality_id": hoexter, "share_cents": 600_000},
                    {"municipality_id": brakel_town, "share_cents": 400_000},
                ],
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    let id = a["id"].as_str().unwrap().to_string();
    let item = |title: &str| {
        a["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["title"] == title)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (council, sketch) = (item("Ratsbeschluss"), item("Projektskizze"));
    let brakel = app.login("digital@brakel.example").await;
    let r = app
        .patch(
            &coordinator,
            &format!("/api/v1/funding/checklist/{council}"),
            Some(1),
            json!({"assignee_id": brakel.me["id"]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let docs = format!("/api/v1/funding/applications/{id}/documents");

    // The partner's officer uploads only for the item assigned to them.
    let r = app
        .upload(&brakel, &docs, "beschluss.pdf", PDF.to_vec(), &[])
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["checklist_item_id"]
    );
    let r = app
        .upload(
            &brakel,
            &docs,
            "skizze.pdf",
            PDF.to_vec(),
            &[("checklist_item_id", &sketch)],
        )
        .await;
    assert_problem(r, 403).await;
    let r = app
        .upload(
            &brakel,
            &docs,
            "Ratsbeschluss Brakel.pdf",
            PDF.to_vec(),
            &[("checklist_item_id", &council)],
        )
        .await;
    assert_eq!(r.status(), 201);
    let own: Value = r.json().await.unwrap();
    assert_eq!(own["checklist_item_id"], council.as_str());
    assert_eq!(own["uploaded_by_name"], "Lena Vogt");

    // A town of the district that takes no part reads but does not upload.
    let warburg = app.login("digital@warburg.example").await;
    let r = app
        .upload(&warburg, &docs, "x.pdf", PDF.to_vec(), &[])
        .await;
    assert_problem(r, 403).await;
    // The coordinator manages: any document, checked by content.
    let r = app
        .upload(&coordinator, &docs, "rechnung.pdf", ELF.to_vec(), &[])
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["file"]);
    let r = app
        .upload(
            &coordinator,
            &docs,
            "Finanzierungsplan.pdf",
            PDF.to_vec(),
            &[("checklist_item_id", "gibt-es-nicht")],
        )
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["checklist_item_id"]
    );
    let r = app
        .upload(
            &coordinator,
            &docs,
            "Finanzierungsplan.pdf",
            PDF.to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status(), 201);
    let general: Value = r.json().await.unwrap();
    assert_eq!(general["checklist_item_id"], Value::Null);
    assert_eq!(app.count("files"), 2);
    assert_eq!(stored_files(&app), 1, "the same content is stored once");

    let list: Value = app.get(&warburg, &docs).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["can_delete"] == false));
    let list: Value = app.get(&brakel, &docs).await.json().await.unwrap();
    let deletable: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["can_delete"] == true)
        .collect();
    assert_eq!(deletable.len(), 1);
    assert_eq!(
        deletable[0]["id"], own["id"],
        "the partner may remove only their own upload"
    );

    // The town can ask the district for help with exactly this application.
    let r = app
        .post(&brakel, "/api/v1/support/requests", json!({"category": "funding_application", "title": "Ratsbeschluss formulieren", "description": "Wie formulieren wir den Beschluss?", "application_id": id}))
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        r.json::<Value>().await.unwrap()["application_title"],
        "Digitale Dorfplätze"
    );
    let r = app
        .post(&brakel, "/api/v1/support/requests", json!({"category": "funding_application", "title": "Ratsbeschluss formulieren", "description": "x", "application_id": "gibt-es-nicht"}))
        .await;
    assert_eq!(
        fields(&assert_problem(r, 422).await),
        vec!["application_id"]
    );
    let did = general["id"].as_str().unwrap();
    let r = app.get(&warburg, &format!("{docs}/{did}")).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);

    // Only managers and the uploader remove; the bytes go with the last reference.
    assert_problem(app.delete(&brakel, &format!("{docs}/{did}")).await, 403).await;
    assert_problem(
        app.delete(&warburg, &format!("{docs}/{}", own["id"].as_str().unwrap()))
            .await,
        403,
    )
    .await;
    assert_eq!(
        app.delete(&brakel, &format!("{docs}/{}", own["id"].as_str().unwrap()))
            .await
            .status(),
        204
    );
    assert_eq!(stored_files(&app), 1);
    assert_eq!(
        app.delete(&coordinator, &format!("{docs}/{did}"))
            .await
            .status(),
        204
    );
    assert_eq!(stored_files(&app), 0);
    assert_eq!(app.count("files"), 0);
}

async fn support_attachments_follow_the_request(app: TestApp) {
    let nieheim = app.login("digital@nieheim.example").await;
    let r = app
        .post(&nieheim, "/api/v1/support/requests", json!({"category": "procurement", "title": "Angebot prüfen", "description": "Bitte das Angebot für die Ratsinfo-Software ansehen."}))
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/support/requests/{id}/attachments");
    let r = app
        .upload(&nieheim, &path, "Angebot.pdf", PDF.to_vec(), &[])
        .await;
    assert_eq!(r.status(), 201);
    let theirs: Value = r.json().await.unwrap();
    let r = app
        .upload(
            &nieheim,
            &path,
            "tool.exe",
            b"MZ\x90\x00\x03\x00\x00\x00".to_vec(),
            &[],
        )
        .await;
    assert_eq!(fields(&assert_problem(r, 422).await), vec!["file"]);

    // Another town sees nothing; a member of the town reads but does not upload.
    let warburg = app.login("digital@warburg.example").await;
    assert_problem(app.get(&warburg, &path).await, 404).await;
    assert_problem(
        app.get(
            &warburg,
            &format!("{path}/{}", theirs["id"].as_str().unwrap()),
        )
        .await,
        404,
    )
    .await;
    assert_problem(
        app.upload(&warburg, &path, "x.pdf", PDF.to_vec(), &[])
            .await,
        404,
    )
    .await;
    let member = app.login("team@nieheim.example").await;
    let list: Value = app.get(&member, &path).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_problem(
        app.upload(&member, &path, "x.pdf", PDF.to_vec(), &[]).await,
        403,
    )
    .await;

    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let r = app
        .upload(
            &coordinator,
            &path,
            "Checkliste Vergabe.pdf",
            PDF.to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status(), 201);
    let mine: Value = r.json().await.unwrap();
    let list: Value = app.get(&nieheim, &path).await.json().await.unwrap();
    assert_eq!(
        list["items"][0]["file_name"], "Checkliste Vergabe.pdf",
        "newest first"
    );
    assert_problem(
        app.delete(
            &nieheim,
            &format!("{path}/{}", mine["id"].as_str().unwrap()),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(
        app.delete(
            &coordinator,
            &format!("{path}/{}", theirs["id"].as_str().unwrap())
        )
        .await
        .status(),
        204
    );
    assert_eq!(app.count("files"), 1);
    assert_eq!(
        stored_files(&app),
        1,
        "still used by the coordinator's copy"
    );
}
