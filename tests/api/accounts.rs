//! Invitations, users, profile, deactivation, audit log and personal data.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, TestApp};

both_backends!(
    admin_invites_officer_who_sets_password_and_signs_in,
    warburg_officer_cannot_touch_brakel_accounts,
    coordinator_deactivates_user_and_audit_shows_it,
    profile_updates_need_the_current_version,
    officer_may_invite_members_of_own_town_only,
    personal_data_export_and_deletion,
    own_texts_are_exported_and_deletion_clears_project_contacts,
);

async fn own_texts_are_exported_and_deletion_clears_project_contacts(app: TestApp) {
    let tobias = app.login("digital@warburg.example").await;
    let brakel = app.login("digital@brakel.example").await;
    let own: Value = app
        .post(&tobias, "/api/v1/projects", json!({"title": "Warburger Ratsportal", "summary": "x", "contact_name": "Tobias Schröder", "contact_email": "Digital@Warburg.example"}))
        .await
        .json()
        .await
        .unwrap();
    let theirs: Value = app
        .post(&brakel, "/api/v1/projects", json!({"title": "Brakeler Ratsportal", "summary": "x", "contact_name": "Tobias Schröder", "contact_email": "digital@warburg.example"}))
        .await
        .json()
        .await
        .unwrap();
    let control: Value = app
        .post(&brakel, "/api/v1/projects", json!({"title": "Brakeler Bauportal", "summary": "x", "contact_name": "Lena Vogt", "contact_email": "digital@brakel.example"}))
        .await
        .json()
        .await
        .unwrap();
    let pid = own["id"].as_str().unwrap();
    let r = app
        .post(
            &tobias,
            &format!("/api/v1/projects/{pid}/updates"),
            json!({"title": "Stand Mai", "body": "Angebote liegen vor"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post(
            &tobias,
            &format!(
                "/api/v1/projects/{}/comments",
                theirs["id"].as_str().unwrap()
            ),
            json!({"body": "Wir machen mit"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let data: Value = app
        .get(&tobias, "/api/v1/me/data")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(data["comments"][0]["body"], "Wir machen mit");
    assert_eq!(data["progress_updates"][0]["title"], "Stand Mai");
    assert_eq!(data["progress_updates"][0]["project_id"], own["id"]);
    let resp = app
        .client
        .delete(app.url("/api/v1/me"))
        .bearer_auth(&tobias.token)
        .json(&json!({"password": crate::common::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    for p in [&own, &theirs] {
        let detail: Value = app
            .get(
                &coordinator,
                &format!("/api/v1/projects/{}", p["id"].as_str().unwrap()),
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(
            detail["contact_name"].is_null() && detail["contact_email"].is_null(),
            "{detail}"
        );
    }
    let kept: Value = app
        .get(
            &coordinator,
            &format!("/api/v1/projects/{}", control["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        kept["contact_name"], "Lena Vogt",
        "other people's contacts stay"
    );
}

async fn admin_invites_officer_who_sets_password_and_signs_in(app: TestApp) {
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let beverungen = app.municipality_id("05762008").await;
    let resp = app
        .post(&admin, "/api/v1/invitations", json!({"email": "Neu.Beauftragte@Beverungen.example", "role": "officer", "municipality_id": beverungen}))
        .await;
    assert_eq!(resp.status(), 201);
    let inv: Value = resp.json().await.unwrap();
    assert_eq!(inv["email"], "neu.beauftragte@beverungen.example");
    assert_eq!(inv["status"], "pending");
    assert_eq!(inv["mail_sent"], true);

    let mail = app
        .mail
        .wait_for("neu.beauftragte@beverungen.example")
        .await;
    let text = mail.decoded();
    assert!(text.contains("Einladung zum Digitalnetzwerk"));
    assert!(text.contains("Paul Betreiber"));
    assert!(text.contains("Beverungen"));
    assert!(text.contains("Content-Type: text/plain") && text.contains("Content-Type: text/html"));
    let link = mail
        .link_containing("/einladung/")
        .expect("invitation link");
    assert!(link.starts_with(&app.base));
    let token = link.rsplit('/').next().unwrap().to_string();

    let preview = app
        .client
        .get(app.url(&format!("/api/v1/invitations/token/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    let preview: Value = preview.json().await.unwrap();
    assert_eq!(preview["municipality_name"], "Beverungen");
    assert_eq!(preview["role"], "officer");

    let accept = |pw: &'static str| {
        app.client
            .post(app.url(&format!("/api/v1/invitations/token/{token}/accept")))
            .json(&json!({"name": "Nora Neumann", "password": pw}))
            .send()
    };
    assert_eq!(accept("Nethe-und-Weser-2026").await.unwrap().status(), 204);
    let s = app
        .login_with("neu.beauftragte@beverungen.example", "Nethe-und-Weser-2026")
        .await;
    assert_eq!(s.me["name"], "Nora Neumann");
    assert_eq!(s.me["municipality"]["name"], "Beverungen");
    assert_eq!(s.me["role"], "officer");

    // The link works once.
    assert_problem(accept("Nethe-und-Weser-2027").await.unwrap(), 404).await;
    let again = app
        .client
        .get(app.url(&format!("/api/v1/invitations/token/{token}")))
        .send()
        .await
        .unwrap();
    assert_problem(again, 404).await;
    let list: Value = app
        .get(&admin, "/api/v1/invitations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["status"], "accepted");
    let audit: Value = app
        .get(&admin, "/api/v1/audit?action=user.create")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["total"], 1);
}

async fn warburg_officer_cannot_touch_brakel_accounts(app: TestApp) {
    let brakel_officer = app.user_id("digital@brakel.example").await;
    let brakel_member = app.user_id("team@brakel.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel_town = app.municipality_id("05762016").await;
    let inv: Value = app
        .post(&coordinator, "/api/v1/invitations", json!({"email": "neu@brakel.example", "role": "member", "municipality_id": brakel_town}))
        .await
        .json()
        .await
        .unwrap();
    let inv_id = inv["id"].as_str().unwrap().to_string();

    let warburg = app.login("digital@warburg.example").await;
    // Read: hidden users are 404, lists contain only the own town.
    assert_problem(
        app.get(&warburg, &format!("/api/v1/users/{brakel_officer}"))
            .await,
        404,
    )
    .await;
    let list: Value = app
        .get(&warburg, "/api/v1/users?limit=100")
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Tobias Schröder") && names.contains(&"Eva Hoffmann"));
    assert!(!names.contains(&"Lena Vogt") && !names.contains(&"Martin Klein"));
    let filtered: Value = app
        .get(
            &warburg,
            &format!("/api/v1/users?municipality_id={brakel_town}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["total"], 0);
    // Change: 404 as well (never confirm existence), and nothing changed.
    let resp = app
        .patch(
            &warburg,
            &format!("/api/v1/users/{brakel_member}"),
            Some(1),
            json!({"active": false}),
        )
        .await;
    assert_problem(resp, 404).await;
    // Invitations of Brakel are invisible and cannot be revoked.
    let invs: Value = app
        .get(&warburg, "/api/v1/invitations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(invs["total"], 0);
    assert_problem(
        app.delete(&warburg, &format!("/api/v1/invitations/{inv_id}"))
            .await,
        404,
    )
    .await;
    // Audit log: forbidden for officers.
    assert_problem(app.get(&warburg, "/api/v1/audit").await, 403).await;
    // An own-town user is readable but not editable by an officer.
    let eva = app.user_id("team@warburg.example").await;
    assert_eq!(
        app.get(&warburg, &format!("/api/v1/users/{eva}"))
            .await
            .status(),
        200
    );
    assert_problem(
        app.patch(
            &warburg,
            &format!("/api/v1/users/{eva}"),
            Some(1),
            json!({"active": false}),
        )
        .await,
        403,
    )
    .await;
    // Brakel is untouched.
    let brakel = app.login("team@brakel.example").await;
    assert_eq!(brakel.me["name"], "Martin Klein");
    let invs: Value = app
        .get(&coordinator, "/api/v1/invitations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(invs["items"][0]["status"], "pending");
}

async fn coordinator_deactivates_user_and_audit_shows_it(app: TestApp) {
    let member = app.login("team@nieheim.example").await;
    let member_id = member.me["id"].as_str().unwrap().to_string();
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let resp = app
        .get(&coordinator, &format!("/api/v1/users/{member_id}"))
        .await;
    assert_eq!(resp.headers().get("etag").unwrap(), "\"1\"");
    let resp = app
        .patch(
            &coordinator,
            &format!("/api/v1/users/{member_id}"),
            Some(1),
            json!({"active": false}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers().get("etag").unwrap(), "\"2\"");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["active"], false);
    // The deactivated user's token no longer works, and sign-in fails.
    assert_problem(app.get(&member, "/api/v1/me").await, 401).await;
    assert_eq!(
        app.login_raw("team@nieheim.example", crate::common::DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    // A coordinator cannot deactivate the platform admin: the account is hidden from
    // them, the write is refused, and the admin still signs in.
    let admin_id = app.user_id("admin@digitalnetzwerk.example").await;
    assert_problem(
        app.get(&coordinator, &format!("/api/v1/users/{admin_id}"))
            .await,
        404,
    )
    .await;
    assert_problem(
        app.patch(
            &coordinator,
            &format!("/api/v1/users/{admin_id}"),
            Some(1),
            json!({"active": false}),
        )
        .await,
        404,
    )
    .await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let admin_row: Value = app
        .get(&admin, &format!("/api/v1/users/{admin_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin_row["active"], true);
    // The audit log shows the deactivation with who and when.
    let audit: Value = app
        .get(&coordinator, "/api/v1/audit")
        .await
        .json()
        .await
        .unwrap();
    let entry = &audit["items"][0];
    assert_eq!(entry["action"], "user.deactivate");
    assert_eq!(entry["object_id"], member_id.as_str());
    assert_eq!(entry["actor_name"], "Sabine Kramer");
    assert_eq!(entry["summary"]["active"]["to"], false);
    assert!(entry["created_at"].as_str().unwrap().ends_with('Z'));
    // Stale version: 412, nothing changed.
    let resp = app
        .patch(
            &coordinator,
            &format!("/api/v1/users/{member_id}"),
            Some(1),
            json!({"active": true}),
        )
        .await;
    assert_problem(resp, 412).await;
    let resp = app
        .patch(
            &coordinator,
            &format!("/api/v1/users/{member_id}"),
            None,
            json!({"active": true}),
        )
        .await;
    assert_problem(resp, 428).await;
    let resp = app
        .patch(
            &coordinator,
            &format!("/api/v1/users/{member_id}"),
            Some(2),
            json!({"active": true}),
        )
        .await;
    assert_eq!(resp.status(), 200);
}

async fn profile_updates_need_the_current_version(app: TestApp) {
    let s = app.login("digital@borgentreich.example").await;
    let resp = app
        .patch(
            &s,
            "/api/v1/me",
            None,
            json!({"name": "Claudia Franke-Wolf"}),
        )
        .await;
    assert_problem(resp, 428).await;
    let resp = app
        .patch(
            &s,
            "/api/v1/me",
            Some(7),
            json!({"name": "Claudia Franke-Wolf"}),
        )
        .await;
    assert_problem(resp, 412).await;
    let resp = app
        .patch(
            &s,
            "/api/v1/me",
            Some(1),
            json!({"name": "Claudia Franke-Wolf", "locale": "en"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["name"], "Claudia Franke-Wolf");
    assert_eq!(me["locale"], "en");
    assert_eq!(me["version"], 2);
    // Change password: wrong current password is refused; afterwards the new one works.
    let resp = app.post(&s, "/api/v1/me/password", json!({"current_password": "falsch-falsch-falsch", "new_password": "Borgentreicher-Orgel-2026"})).await;
    assert_eq!(
        crate::common::fields(&assert_problem(resp, 422).await),
        vec!["current_password"]
    );
    let resp = app.post(&s, "/api/v1/me/password", json!({"current_password": crate::common::DEMO_PASSWORD, "new_password": "Borgentreicher-Orgel-2026"})).await;
    assert_eq!(resp.status(), 204);
    app.login_with("digital@borgentreich.example", "Borgentreicher-Orgel-2026")
        .await;
}

async fn officer_may_invite_members_of_own_town_only(app: TestApp) {
    let s = app.login("digital@hoexter.example").await;
    let resp = app
        .post(
            &s,
            "/api/v1/invitations",
            json!({"email": "kollegin@hoexter.example", "role": "member"}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let inv: Value = resp.json().await.unwrap();
    assert_eq!(inv["municipality_id"], s.me["municipality"]["id"]);
    let resp = app
        .post(
            &s,
            "/api/v1/invitations",
            json!({"email": "chef@hoexter.example", "role": "officer"}),
        )
        .await;
    assert_problem(resp, 403).await;
    let brakel = app.municipality_id("05762016").await;
    let resp = app
        .post(
            &s,
            "/api/v1/invitations",
            json!({"email": "x@brakel.example", "role": "member", "municipality_id": brakel}),
        )
        .await;
    assert_problem(resp, 403).await;
    // An address with an account the officer may see (the own town's) is named …
    let resp = app
        .post(
            &s,
            "/api/v1/invitations",
            json!({"email": "digital@hoexter.example", "role": "member"}),
        )
        .await;
    let p = assert_problem(resp, 422).await;
    assert_eq!(crate::common::fields(&p), vec!["email"]);
    // … one of another town is not: the invitation goes out as for a new address.
    let resp = app
        .post(
            &s,
            "/api/v1/invitations",
            json!({"email": "team@brakel.example", "role": "member"}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let member = app.login("team@warburg.example").await;
    assert_problem(app.get(&member, "/api/v1/invitations").await, 403).await;
    assert_eq!(
        app.count("invitations"),
        2,
        "kollegin@ and the one that reveals nothing"
    );
}

async fn personal_data_export_and_deletion(app: TestApp) {
    let s = app.login("team@warburg.example").await;
    let resp = app.get(&s, "/api/v1/me/data").await;
    assert_eq!(resp.status(), 200);
    assert!(resp
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("attachment"));
    let data: Value = resp.json().await.unwrap();
    assert_eq!(data["account"]["email"], "team@warburg.example");
    assert!(data["account"].get("password_hash").is_none());
    assert!(!data["sessions"].as_array().unwrap().is_empty());
    let resp = app
        .client
        .delete(app.url("/api/v1/me"))
        .bearer_auth(&s.token)
        .json(&json!({"password": "falsch-falsch-falsch"}))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 422).await;
    let resp = app
        .client
        .delete(app.url("/api/v1/me"))
        .bearer_auth(&s.token)
        .json(&json!({"password": crate::common::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert_problem(app.get(&s, "/api/v1/me").await, 401).await;
    assert_eq!(
        app.login_raw("team@warburg.example", crate::common::DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let list: Value = app
        .get(&admin, "/api/v1/users?q=eva")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0, "name and email are erased");
}
