//! Files outside projects: documents of funding applications (per checklist item) and
//! attachments of support requests — rights, type checks, one stored copy per content —
//! and the one table of all files, whose migration keeps the rows of the tables it replaced.
use diesel::RunQueryDsl;
use diesel_migrations::MigrationHarness;
use digitalnetzwerk::db::{DbConn, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, fields, spawn_app_with, Session, TestApp};

both_backends!(
    application_documents_follow_the_application_rights,
    support_attachments_follow_the_request,
    files_survive_their_migration,
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

/// A joint application of Höxter (lead) and Brakel, created by the district's coordinator.
pub(crate) async fn joint_application(app: &TestApp, coordinator: &Session) -> Value {
    digitalnetzwerk::funding::seed::import_reference_programmes(&mut app.conn()).unwrap();
    let programmes: Value = app
        .get(coordinator, "/api/v1/funding/programmes?q=Smart%20Cities")
        .await
        .json()
        .await
        .unwrap();
    let mpsc = programmes["items"][0]["id"].as_str().unwrap().to_string();
    let hoexter = app.municipality_id("05762020").await;
    let brakel_town = app.municipality_id("05762016").await;
    let r = app
        .post(
            coordinator,
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
    r.json().await.unwrap()
}

async fn application_documents_follow_the_application_rights(app: TestApp) {
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let a = joint_application(&app, &coordinator).await;
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

/// The lists at `reads` (session, path), each of which must answer 200.
async fn lists(app: &TestApp, reads: &[(&Session, &str)]) -> Vec<Value> {
    let mut out = Vec::new();
    for (s, path) in reads {
        let r = app.get(s, path).await;
        assert_eq!(r.status(), 200, "{path}");
        out.push(r.json::<Value>().await.unwrap());
    }
    out
}

/// Reverts the migrations down to and including the one that made `files`, leaving the
/// database as an older release had it.
fn revert_files_migration(app: &TestApp) {
    let mut conn = app.conn();
    loop {
        let version = match &mut conn {
            DbConn::Pg(c) => c
                .revert_last_migration(POSTGRES_MIGRATIONS)
                .map(|v| v.to_string()),
            DbConn::Sqlite(c) => c
                .revert_last_migration(SQLITE_MIGRATIONS)
                .map(|v| v.to_string()),
        }
        .unwrap();
        if version == "20261201000010" {
            break;
        }
    }
}

async fn files_survive_their_migration(app: TestApp) {
    // One file of each kind, with the parts that apply: an update, a checklist item.
    let brakel = app.login("digital@brakel.example").await;
    let r = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Digitale Bauakte", "summary": "Bauanträge online"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let project = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/projects/{project}/updates"),
            json!({"title": "Start", "body": "Die Ausschreibung läuft."}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let update = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let project_files = format!("/api/v1/projects/{project}/attachments");
    let r = app
        .upload(
            &brakel,
            &project_files,
            "Zeitplan.pdf",
            PDF.to_vec(),
            &[("update_id", &update)],
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        r.json::<Value>().await.unwrap()["update_id"],
        update.as_str()
    );
    let r = app
        .upload(&brakel, &project_files, "Konzept.pdf", PDF.to_vec(), &[])
        .await;
    assert_eq!(r.status(), 201);

    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let a = joint_application(&app, &coordinator).await;
    let item = a["checklist"][0]["id"].as_str().unwrap().to_string();
    let documents = format!(
        "/api/v1/funding/applications/{}/documents",
        a["id"].as_str().unwrap()
    );
    let r = app
        .upload(
            &coordinator,
            &documents,
            "Skizze.pdf",
            PDF.to_vec(),
            &[("checklist_item_id", &item)],
        )
        .await;
    assert_eq!(r.status(), 201);

    let r = app
        .post(&brakel, "/api/v1/support/requests", json!({"category": "procurement", "title": "Vergabe", "description": "Bitte die Unterlagen prüfen."}))
        .await;
    assert_eq!(r.status(), 201);
    let request = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let request_files = format!("/api/v1/support/requests/{request}/attachments");
    let r = app
        .upload(&brakel, &request_files, "Angebot.pdf", PDF.to_vec(), &[])
        .await;
    assert_eq!(r.status(), 201);

    let reads = [
        (&brakel, project_files.as_str()),
        (&coordinator, documents.as_str()),
        (&brakel, request_files.as_str()),
    ];
    let before = lists(&app, &reads).await;
    assert_eq!(app.count("files"), 4);

    // Exactly one owner per row.
    let two_owners = format!(
        "INSERT INTO files (id, project_id, support_request_id, file_name, content_type, size_bytes, sha256, created_at) \
         VALUES ('x', '{project}', '{request}', 'x.pdf', 'application/pdf', 1, 'x', CURRENT_TIMESTAMP)"
    );
    assert!(diesel::sql_query(two_owners)
        .execute(&mut app.conn())
        .is_err());
    let no_owner =
        "INSERT INTO files (id, file_name, content_type, size_bytes, sha256, created_at) \
         VALUES ('x', 'x.pdf', 'application/pdf', 1, 'x', CURRENT_TIMESTAMP)";
    assert!(diesel::sql_query(no_owner)
        .execute(&mut app.conn())
        .is_err());

    // Back to the three tables of the older release, rows and parts included …
    revert_files_migration(&app);
    assert_eq!(app.count("attachments"), 2);
    assert_eq!(
        app.count(&format!("attachments WHERE update_id = '{update}'")),
        1
    );
    assert_eq!(
        app.count(&format!(
            "application_documents WHERE checklist_item_id = '{item}'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "support_attachments WHERE request_id = '{request}'"
        )),
        1
    );

    // … and forward again, as a server of this release does at start-up.
    let upgraded = spawn_app_with(
        app.db,
        app.mail.clone(),
        app.mail.port,
        Some(app.database_url.clone()),
    )
    .await;
    assert_eq!(upgraded.count("files"), 4);
    assert_eq!(lists(&upgraded, &reads).await, before);
    // The bytes are in the first server's data directory; it reads the migrated rows too.
    let id = before[2]["items"][0]["id"].as_str().unwrap();
    let r = app.get(&brakel, &format!("{request_files}/{id}")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
}
