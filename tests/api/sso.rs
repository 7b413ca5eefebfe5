//! Single sign-on against a real OpenID provider on loopback (npm `oidc-provider`):
//! sign-in just in time, managed fields, refused tokens (signature, audience, expiry,
//! replayed nonce, issuer, replayed callback), key rotation, refusals by mapping, the
//! dry run, linking a local account, and password sign-in switched off.
use serde_json::{json, Value};

use crate::common::oidc::{
    brakel_claims, refusal, spawn_sso_app, Browser, TestOp, LOGIN, PASSWORD, PROVIDER, SUB,
};
use crate::common::{assert_problem, Db, TestApp};
use crate::sso_both_backends;

sso_both_backends!(
    first_sign_in_creates_the_brakel_officer_and_a_role_change_at_the_provider_follows,
    tampered_id_tokens_are_refused_and_create_nothing,
    a_callback_is_good_once_and_only_in_the_browser_that_started,
    a_rotated_key_is_fetched_and_a_forged_key_id_is_refused,
    claims_without_town_role_or_group_are_refused_in_the_browsers_language_and_create_nothing,
    the_dry_run_maps_pasted_claims_and_writes_nothing,
    a_local_account_is_linked_once_with_its_password,
    without_local_login_only_break_glass_admins_use_passwords,
);

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn count_where(app: &TestApp, table: &str, cond: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.conn();
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table} WHERE {cond}"))
        .get_result::<N>(&mut conn)
        .unwrap()
        .n
}

async fn first_sign_in_creates_the_brakel_officer_and_a_role_change_at_the_provider_follows(
    db: Db,
) {
    let (app, op) = spawn_sso_app(db, |_| {}).await;
    let methods: Value = app
        .client
        .get(app.url("/api/v1/auth/methods"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        methods,
        json!({"local": true, "providers": [{"id": "landesportal", "label": "Landesportal"}]})
    );
    let users_before = app.count("users");
    let browser = Browser::new();
    let session = browser.session(&app, LOGIN).await;
    let user = &session["user"];
    assert_eq!(user["email"], "bea.brakel@landesportal.example");
    assert_eq!(user["name"], "Bea Brakel");
    assert_eq!(user["role"], "officer");
    assert_eq!(user["municipality"]["ags"], "05762016");
    assert_eq!(user["district"]["key"], "05762");
    assert_eq!(
        user["managed_by"],
        json!({"provider": "landesportal", "fields": ["name", "email", "role", "town"]})
    );
    assert_eq!(app.count("users"), users_before + 1);
    assert_eq!(app.count("sso_identities"), 1);
    let token = session["access_token"].as_str().unwrap().to_string();
    assert_eq!(me(&app, &token).await.status(), 200);
    // The session carries the provider's session id (for back-channel logout).
    assert_eq!(
        count_where(&app, "sessions", "sso_provider = 'landesportal' AND sso_sid IS NOT NULL AND sso_subject = 'a1b2c3d4-brakel-officer'"),
        1
    );

    // A managed field cannot be changed here.
    let resp = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .header("If-Match", format!("\"{}\"", user["version"]))
        .json(&json!({"name": "Anders"}))
        .send()
        .await
        .unwrap();
    let p = assert_problem(resp, 409).await;
    assert!(p["detail"].as_str().unwrap().contains("verwaltet"), "{p}");
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let uid = user["id"].as_str().unwrap();
    let listed: Value = app
        .get(&admin, "/api/v1/users?q=bea.brakel")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["managed_by"]["provider"], "landesportal");
    let resp = app
        .patch(
            &admin,
            &format!("/api/v1/users/{uid}"),
            Some(user["version"].as_i64().unwrap()),
            json!({"role": "member"}),
        )
        .await;
    assert_problem(resp, 409).await;
    // A local account shows no provider.
    let officer = app.login("digital@brakel.example").await;
    assert!(officer.me["managed_by"].is_null());

    // The role changes at the provider: the next sign-in (provider session, no form) follows.
    op.set_user(
        LOGIN,
        SUB,
        brakel_claims("bea.brakel@landesportal.example", &["dn-member"]),
    )
    .await;
    let again = browser.session(&app, LOGIN).await;
    assert_eq!(again["user"]["id"], user["id"]);
    assert_eq!(again["user"]["role"], "member");
    assert_eq!(app.count("users"), users_before + 1, "no second account");
}

/// Signs in once after `tamper` and asserts the refusal: no session, no user.
async fn assert_refused(app: &TestApp, op: &TestOp, tamper: Value, what: &str) {
    let (users, sessions) = (app.count("users"), app.count("sessions"));
    op.tamper(tamper).await;
    let landing = Browser::new().sign_in(app, LOGIN, PASSWORD).await;
    assert!(
        landing.location.starts_with("/anmelden?sso_fehler="),
        "{what}: not refused: {landing:?}"
    );
    let r = refusal(app, &landing).await;
    assert_eq!(r["status"], "refused", "{what}");
    assert_eq!(r["missing"], json!(["token"]), "{what}");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .starts_with("Die Anmeldung über Landesportal ist fehlgeschlagen"),
        "{what}: {r}"
    );
    assert_eq!(app.count("users"), users, "{what}: no user");
    assert_eq!(app.count("sessions"), sessions, "{what}: no session");
}

async fn tampered_id_tokens_are_refused_and_create_nothing(db: Db) {
    let (app, op) = spawn_sso_app(db, |_| {}).await;
    let now = chrono::Utc::now().timestamp();
    assert_refused(
        &app,
        &op,
        json!({"claims": {"aud": "another-client"}}),
        "audience",
    )
    .await;
    assert_refused(
        &app,
        &op,
        json!({"claims": {"iss": "http://127.0.0.1:9/evil"}}),
        "issuer",
    )
    .await;
    assert_refused(
        &app,
        &op,
        json!({"claims": {"exp": now - 600, "iat": now - 1200}}),
        "expired",
    )
    .await;
    assert_refused(&app, &op, json!({"foreignKey": true}), "foreign signature").await;
    // Nonce of an earlier sign-in: one good sign-in first, then the replay.
    let browser = Browser::new();
    browser.session(&app, LOGIN).await;
    let (users, sessions) = (app.count("users"), app.count("sessions"));
    op.tamper(json!({"claims": {"nonce": "$previous"}})).await;
    let landing = browser.sign_in(&app, LOGIN, PASSWORD).await;
    assert!(
        landing.location.starts_with("/anmelden?sso_fehler="),
        "replayed nonce: {landing:?}"
    );
    assert_eq!(refusal(&app, &landing).await["missing"], json!(["token"]));
    assert_eq!(
        (app.count("users"), app.count("sessions")),
        (users, sessions)
    );
    // Every refusal is in the audit log.
    assert_eq!(
        count_where(&app, "audit_log", "action = 'sso.login_refused'"),
        5
    );
}

async fn a_callback_is_good_once_and_only_in_the_browser_that_started(db: Db) {
    let (app, _op) = spawn_sso_app(db, |_| {}).await;
    // Stop at the callback: a browser whose provider session exists is sent straight back.
    let browser = Browser::new();
    browser.session(&app, LOGIN).await;
    let start = browser
        .client
        .get(app.url(&format!("/api/v1/auth/oidc/{PROVIDER}/start")))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 303);
    let to_op = start.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to_op.contains("code_challenge=") && to_op.contains("nonce=") && to_op.contains("state="),
        "{to_op}"
    );
    let back = browser.client.get(&to_op).send().await.unwrap();
    assert_eq!(back.status(), 303);
    let op_url = url::Url::parse(&to_op).unwrap();
    let mut callback = op_url
        .join(back.headers()["location"].to_str().unwrap())
        .unwrap();
    // oidc-provider sends back through its /auth/<uid> resume step.
    while !callback.path().ends_with("/callback") {
        let r = browser.client.get(callback.clone()).send().await.unwrap();
        assert_eq!(r.status(), 303);
        callback = callback
            .join(r.headers()["location"].to_str().unwrap())
            .unwrap();
    }
    assert!(
        callback.query().unwrap().contains("iss="),
        "RFC 9207 iss parameter"
    );
    // Another browser (no dn_sso cookie of this attempt) gets nowhere, and uses nothing up.
    let other = app.client.get(callback.clone()).send().await.unwrap();
    assert_eq!(other.status(), 303);
    assert_eq!(
        other.headers()["location"],
        "/anmelden?sso_fehler=ungueltig"
    );
    let sessions = app.count("sessions");
    let first = browser.client.get(callback.clone()).send().await.unwrap();
    assert_eq!(first.status(), 303);
    assert!(first.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/anmelden/fertig?ziel=%2F"));
    assert_eq!(app.count("sessions"), sessions + 1);
    let replay = browser.client.get(callback).send().await.unwrap();
    assert_eq!(
        replay.headers()["location"],
        "/anmelden?sso_fehler=ungueltig"
    );
    assert_eq!(
        app.count("sessions"),
        sessions + 1,
        "the replay signs nobody in"
    );
    // The return target is only a path of this site.
    let evil = browser
        .client
        .get(app.url(&format!(
            "/api/v1/auth/oidc/{PROVIDER}/start?ziel=//evil.example/x"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 303);
    let landing = browser
        .follow(
            &app,
            evil.headers()["location"].to_str().unwrap().to_string(),
            LOGIN,
            PASSWORD,
        )
        .await;
    assert_eq!(landing.param("ziel").as_deref(), Some("/"));
    // An unknown provider is 404.
    let resp = app
        .client
        .get(app.url("/api/v1/auth/oidc/nirgendwo/start"))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 404).await;
}

async fn a_rotated_key_is_fetched_and_a_forged_key_id_is_refused(db: Db) {
    let (app, op) = spawn_sso_app(db, |_| {}).await;
    let browser = Browser::new();
    browser.session(&app, LOGIN).await;
    // The provider rotates its key: the unknown kid makes the platform fetch the keys anew.
    let rotated = op.admin("/test/rotate", json!({})).await;
    assert!(rotated["kid"].is_string());
    let session = Browser::new().session(&app, LOGIN).await;
    assert_eq!(session["user"]["role"], "officer");
    // A forged key id right after: no second fetch within 30 s, and refused.
    assert_refused(
        &app,
        &op,
        json!({"foreignKey": true, "kid": "forged-kid"}),
        "forged kid",
    )
    .await;
    // A token signed with a foreign key under the current key id is refused too.
    assert_refused(
        &app,
        &op,
        json!({"foreignKey": true}),
        "foreign key, known kid",
    )
    .await;
}

async fn claims_without_town_role_or_group_are_refused_in_the_browsers_language_and_create_nothing(
    db: Db,
) {
    let (app, op) = spawn_sso_app(db, |c| {
        c.sso.providers[0].login_claim = Some("groups".into());
        c.sso.providers[0].login_values = vec!["/kreis-hoexter/*".into()];
    })
    .await;
    let users = app.count("users");
    let cases = [
        (
            json!({"email": "x1@landesportal.example", "email_verified": true, "groups": ["/kreis-hoexter"], "realm_access": {"roles": ["dn-officer"]}}),
            "town",
            "keine Gemeinde – der Anspruch `groups` enthält keinen Pfad einer bekannten Gemeinde",
        ),
        (
            json!({"email": "x2@landesportal.example", "email_verified": true, "groups": ["/kreis-hoexter/brakel"], "realm_access": {"roles": ["viewer"]}}),
            "role",
            "keine zugelassene Rolle – `realm_access.roles` enthält keine von dn-coordinator, dn-officer, dn-member",
        ),
        (
            json!({"email": "x3@landesportal.example", "email_verified": true, "groups": ["/kreis-paderborn/delbrueck"], "realm_access": {"roles": ["dn-officer"]}}),
            "login_group",
            "nicht in einer zugelassenen Gruppe (/kreis-hoexter/*)",
        ),
    ];
    for (i, (claims, missing, text)) in cases.into_iter().enumerate() {
        let login = format!("fall{i}");
        op.set_user(&login, &format!("sub-{i}"), claims).await;
        let landing = Browser::new().sign_in(&app, &login, PASSWORD).await;
        let r = refusal(&app, &landing).await;
        assert!(
            r["missing"].as_array().unwrap().contains(&json!(missing)),
            "{r}"
        );
        let message = r["message"].as_str().unwrap();
        assert!(
            message.starts_with("Anmeldung über Landesportal abgelehnt:"),
            "{message}"
        );
        assert!(message.contains(text), "{message}");
        assert!(r.get("claims").is_none(), "no claims are returned");
    }
    // A browser that asks for English gets the refusal in English, with no German left.
    op.set_user(
        "fall-en",
        "sub-en",
        json!({"email": "x4@landesportal.example", "email_verified": true, "groups": ["/kreis-hoexter"], "realm_access": {"roles": ["dn-officer"]}}),
    )
    .await;
    let landing = Browser::english().sign_in(&app, "fall-en", PASSWORD).await;
    let r = refusal(&app, &landing).await;
    let message = r["message"].as_str().unwrap();
    assert!(
        message.starts_with("Sign-in through Landesportal refused:"),
        "{message}"
    );
    assert!(
        message.contains("no town – the claim `groups` contains no path of a known town"),
        "{message}"
    );
    for german in ["Anmeldung", "Gemeinde", "Anspruch", "abgelehnt"] {
        assert!(!message.contains(german), "German in {message}");
    }
    assert_eq!(app.count("users"), users, "nothing is created");
    assert_eq!(app.count("sso_identities"), 0);
    assert_eq!(
        count_where(&app, "audit_log", "action = 'sso.login_refused'"),
        4
    );
    // An unknown attempt is 404.
    let resp = app
        .client
        .get(app.url("/api/v1/auth/oidc/attempts/gibt-es-nicht"))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 404).await;
}

async fn the_dry_run_maps_pasted_claims_and_writes_nothing(db: Db) {
    let (app, _op) = spawn_sso_app(db, |_| {}).await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let (users, identities, audit) = (
        app.count("users"),
        app.count("sso_identities"),
        app.count("audit_log"),
    );
    let claims = json!({"sub": "s-9", "email": "neu@brakel.example", "name": "Neu Nutzer",
        "groups": ["/kreis-hoexter/brakel"], "realm_access": {"roles": ["dn-member", "dn-officer"]}});
    let out: Value = app
        .post(
            &admin,
            "/api/v1/admin/sso/dry-run",
            json!({"provider": PROVIDER, "claims": claims}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["allowed"], true, "{out}");
    assert_eq!(out["role"], "officer");
    assert_eq!(out["town"], "Brakel (Kreis Höxter)");
    assert_eq!(out["signature_checked"], false);
    assert!(out["steps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["check"] == "town" && s["ok"] == true));
    // A pasted ID token (payload only, no signature check) with no town.
    use base64::Engine;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let token = format!(
        "{}.{}.c2ln",
        b64(&json!({"alg": "RS256"})),
        b64(
            &json!({"sub": "s-9", "email": "neu@brakel.example", "realm_access": {"roles": ["dn-officer"]}})
        )
    );
    let out: Value = app
        .post(
            &admin,
            "/api/v1/admin/sso/dry-run",
            json!({"provider": PROVIDER, "id_token": token}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["allowed"], false);
    assert_eq!(out["missing"], json!(["town"]));
    assert!(
        out["refusal"]
            .as_str()
            .unwrap()
            .contains("der Anspruch `groups` fehlt"),
        "{out}"
    );
    assert_eq!(
        (
            app.count("users"),
            app.count("sso_identities"),
            app.count("audit_log")
        ),
        (users, identities, audit),
        "the dry run writes nothing"
    );
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let resp = app
        .post(
            &coordinator,
            "/api/v1/admin/sso/dry-run",
            json!({"provider": PROVIDER, "claims": {}}),
        )
        .await;
    assert_problem(resp, 403).await;
    let resp = app
        .post(
            &admin,
            "/api/v1/admin/sso/dry-run",
            json!({"provider": "gibt-es-nicht", "claims": {}}),
        )
        .await;
    assert_problem(resp, 422).await;
}

async fn a_local_account_is_linked_once_with_its_password(db: Db) {
    let (app, op) = spawn_sso_app(db, |_| {}).await;
    // The provider knows the local officer of Brakel under the same, verified email.
    op.set_user(
        "l.vogt",
        "sub-vogt",
        brakel_claims("digital@brakel.example", &["dn-officer"]),
    )
    .await;
    let users = app.count("users");
    let browser = Browser::new();
    let landing = browser.sign_in(&app, "l.vogt", PASSWORD).await;
    assert!(
        landing
            .location
            .starts_with("/anmelden/verknuepfen?versuch="),
        "{landing:?}"
    );
    let attempt = landing.param("versuch").unwrap();
    let info: Value = browser
        .client
        .get(app.url(&format!("/api/v1/auth/oidc/attempts/{attempt}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["status"], "link_pending");
    assert_eq!(info["link_email"], "digital@brakel.example");
    // Another browser learns nothing and cannot link.
    let other: Value = app
        .client
        .get(app.url(&format!("/api/v1/auth/oidc/attempts/{attempt}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(other["link_email"].is_null());
    let link = |c: &reqwest::Client, pw: &str| {
        c.post(app.url("/api/v1/auth/oidc/link"))
            .json(&json!({"attempt": attempt, "password": pw}))
            .send()
    };
    assert_eq!(
        link(&app.client, crate::common::DEMO_PASSWORD)
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(link(&browser.client, "falsch").await.unwrap().status(), 401);
    assert_eq!(
        link(&browser.client, crate::common::DEMO_PASSWORD)
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        link(&browser.client, crate::common::DEMO_PASSWORD)
            .await
            .unwrap()
            .status(),
        404,
        "once"
    );
    let resp = browser.refresh(&app).await;
    assert_eq!(resp.status(), 200);
    let s: Value = resp.json().await.unwrap();
    assert_eq!(s["user"]["email"], "digital@brakel.example");
    assert_eq!(s["user"]["managed_by"]["provider"], "landesportal");
    assert_eq!(app.count("users"), users, "linked, not created");
    // The next sign-in goes straight in.
    let again = Browser::new().session(&app, "l.vogt").await;
    assert_eq!(again["user"]["id"], s["user"]["id"]);
}

async fn without_local_login_only_break_glass_admins_use_passwords(db: Db) {
    let (app, _op) = spawn_sso_app(db, |c| {
        c.sso.local_login = false;
        c.sso.break_glass = vec!["admin@digitalnetzwerk.example".into()];
    })
    .await;
    let methods: Value = app
        .client
        .get(app.url("/api/v1/auth/methods"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(methods["local"], false);
    assert_eq!(methods["providers"][0]["label"], "Landesportal");
    let resp = app
        .login_raw("digital@brakel.example", crate::common::DEMO_PASSWORD)
        .await;
    assert_problem(resp, 403).await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    assert_eq!(admin.me["role"], "admin");
    // No reset mail for the others (same answer as always), one for the break-glass admin.
    for email in ["digital@brakel.example", "admin@digitalnetzwerk.example"] {
        let resp = app
            .client
            .post(app.url("/api/v1/auth/password-reset"))
            .json(&json!({"email": email}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 202);
    }
    app.mail.wait_for("admin@digitalnetzwerk.example").await;
    assert!(
        app.mail
            .all()
            .iter()
            .all(|m| !m.to.iter().any(|t| t.contains("digital@brakel.example"))),
        "no reset mail for an SSO-only account"
    );
    // SSO still works.
    let s = Browser::new().session(&app, LOGIN).await;
    assert_eq!(s["user"]["role"], "officer");
}

/// `config check` with single sign-on settings: listed with the secret masked, German
/// errors for what is missing or wrong, typos in the file refused.
#[test]
fn oidc_settings_are_checked_and_listed() {
    use std::process::Command;
    let run = |env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_digitalnetzwerk"));
        cmd.args(["config", "check"]).env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let base = [
        ("OIDC_PROVIDERS", "landesportal"),
        ("OIDC_LANDESPORTAL_LABEL", "Landesportal"),
        (
            "OIDC_LANDESPORTAL_ISSUER",
            "https://sso.land.example/realms/kommunen",
        ),
        ("OIDC_LANDESPORTAL_CLIENT_ID", "digitalnetzwerk"),
        ("OIDC_LANDESPORTAL_CLIENT_SECRET", "sehr-geheim-123"),
        (
            "OIDC_LANDESPORTAL_ROLE_MAP",
            "dn-officer=officer,dn-member=member",
        ),
    ];
    let (ok, stdout, stderr) = run(&base);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("OIDC_PROVIDERS = \"landesportal\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("OIDC_LANDESPORTAL_CLIENT_SECRET = \"***\""),
        "{stdout}"
    );
    assert!(stdout.contains("LOCAL_LOGIN = true"), "{stdout}");
    assert!(!stdout.contains("sehr-geheim"), "the secret is masked");
    let without = |name: &str| {
        base.iter()
            .copied()
            .filter(|(k, _)| *k != name)
            .collect::<Vec<_>>()
    };
    let (ok, _, stderr) = run(&without("OIDC_LANDESPORTAL_ROLE_MAP"));
    assert!(
        !ok && stderr.contains("OIDC_LANDESPORTAL_ROLE_MAP: fehlt"),
        "{stderr}"
    );
    let mut http = without("OIDC_LANDESPORTAL_ISSUER");
    http.push(("OIDC_LANDESPORTAL_ISSUER", "http://sso.land.example"));
    let (ok, _, stderr) = run(&http);
    assert!(
        !ok && stderr.contains("muss mit https:// beginnen"),
        "{stderr}"
    );
    let mut admin = without("OIDC_LANDESPORTAL_ROLE_MAP");
    admin.push(("OIDC_LANDESPORTAL_ROLE_MAP", "dn-admin=admin"));
    let (ok, _, stderr) = run(&admin);
    assert!(!ok && stderr.contains("ALLOW_ADMIN"), "{stderr}");
    let mut off = base.to_vec();
    off.push(("LOCAL_LOGIN", "false"));
    let (ok, _, stderr) = run(&off);
    assert!(!ok && stderr.contains("BREAK_GLASS_ACCOUNTS"), "{stderr}");
    off.push(("BREAK_GLASS_ACCOUNTS", "notfall@kreis.example"));
    let (ok, stdout, stderr) = run(&off);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("BREAK_GLASS_ACCOUNTS = \"notfall@kreis.example\""),
        "{stdout}"
    );
    // In the file: the provider's keys count, a typo does not.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dn.toml");
    let file = |extra: &str| {
        let mut text = String::new();
        for (k, v) in base {
            text.push_str(&format!("{k} = \"{v}\"\n"));
        }
        text.push_str(extra);
        std::fs::write(&path, text).unwrap();
        run(&[("CONFIG_FILE", path.to_str().unwrap())])
    };
    let (ok, stdout, stderr) = file("OIDC_LANDESPORTAL_SCOPES = \"openid email groups\"\n");
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("OIDC_LANDESPORTAL_SCOPES = \"openid email groups\"  # Datei"),
        "{stdout}"
    );
    let (ok, _, stderr) = file("OIDC_LANDESPORTAL_ISUER = \"x\"\n");
    assert!(
        !ok && stderr.contains("unbekannte Einstellung „OIDC_LANDESPORTAL_ISUER“"),
        "{stderr}"
    );
}
