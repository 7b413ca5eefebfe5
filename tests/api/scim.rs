//! Deprovisioning: SCIM 2.0 from the identity provider (deactivation ends every session
//! at once and blocks the next sign-in; create, replace, filter, Entra-style patches;
//! 401 without the token) and OpenID back-channel logout.
use serde_json::{json, Value};

use crate::common::oidc::{spawn_sso_app, Browser, TestOp, LOGIN, PROVIDER, SCIM_TOKEN, SUB};
use crate::common::{Db, TestApp};
use crate::sso_both_backends;

sso_both_backends!(
    scim_deactivation_ends_the_sessions_at_once_and_blocks_the_next_sign_in,
    scim_needs_the_providers_token,
    scim_creates_replaces_filters_patches_and_deletes,
    back_channel_logout_ends_the_session_and_refuses_replays_and_nonces,
);

const EXT: &str = "urn:digitalnetzwerk:params:scim:schemas:extension:2.0:User";

async fn scim(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app
        .client
        .request(method, app.url(&format!("/scim/v2/{PROVIDER}{path}")))
        .bearer_auth(SCIM_TOKEN);
    if let Some(b) = body {
        req = req
            .header("content-type", "application/scim+json")
            .body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    if status != 204 {
        assert_eq!(resp.headers()["content-type"], "application/scim+json");
    }
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn me_status(app: &TestApp, token: &str) -> u16 {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn scim_deactivation_ends_the_sessions_at_once_and_blocks_the_next_sign_in(db: Db) {
    let (app, op) = spawn_sso_app(db, |_| {}).await;
    let browser = Browser::new();
    let s = browser.session(&app, LOGIN).await;
    let token = s["access_token"].as_str().unwrap().to_string();
    assert_eq!(me_status(&app, &token).await, 200);
    // The provider, as SCIM client, finds the user by externalId and PATCHes active=False.
    let out = op.admin("/test/scim/deactivate", json!({"sub": SUB})).await;
    assert_eq!(out["status"], 200, "{out}");
    assert_eq!(out["body"]["active"], false);
    // The unexpired access token is refused at once, and the refresh too.
    assert_eq!(me_status(&app, &token).await, 401);
    assert_eq!(browser.refresh(&app).await.status(), 401);
    // Signing in again is refused with a German reason.
    let landing = Browser::new()
        .sign_in(&app, LOGIN, crate::common::oidc::PASSWORD)
        .await;
    let r = crate::common::oidc::refusal(&app, &landing).await;
    assert_eq!(r["missing"], json!(["account_inactive"]));
    assert!(
        r["message"].as_str().unwrap().contains("deaktiviert"),
        "{r}"
    );
    let audit = app.count("audit_log");
    assert!(audit > 0);
}

async fn scim_needs_the_providers_token(db: Db) {
    let (app, _op) = spawn_sso_app(db, |_| {}).await;
    for auth in [None, Some("falsches-token"), Some("")] {
        let mut req = app
            .client
            .get(app.url(&format!("/scim/v2/{PROVIDER}/Users")));
        if let Some(t) = auth {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401, "{auth:?}");
        assert_eq!(resp.headers()["www-authenticate"], "Bearer");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:Error"
        );
        assert_eq!(body["status"], "401");
    }
    // Another provider's path or an unknown one: 401 as well, nothing is told.
    let resp = app
        .client
        .get(app.url("/scim/v2/nirgendwo/Users"))
        .bearer_auth(SCIM_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let (status, cfg) = scim(&app, reqwest::Method::GET, "/ServiceProviderConfig", None).await;
    assert_eq!(
        (status, cfg["patch"]["supported"].clone()),
        (200, json!(true))
    );
}

async fn scim_creates_replaces_filters_patches_and_deletes(db: Db) {
    let (app, _op) = spawn_sso_app(db, |_| {}).await;
    let users = app.count("users");
    let new_user = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
        "externalId": "entra-oid-1", "userName": "Nina.Neu@Warburg.example",
        "name": {"givenName": "Nina", "familyName": "Neu"},
        "emails": [{"value": "nina.neu@warburg.example", "type": "work", "primary": true}],
        "active": true,
        EXT: {"ags": "05762036", "role": "dn-member"}
    });
    let (status, created) = scim(
        &app,
        reqwest::Method::POST,
        "/Users",
        Some(new_user.clone()),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["userName"], "nina.neu@warburg.example");
    assert_eq!(created["active"], true);
    assert_eq!(created[EXT]["ags"], "05762036");
    assert_eq!(created[EXT]["role"], "member");
    assert_eq!(created["meta"]["resourceType"], "User");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(app.count("users"), users + 1);
    // A duplicate is a uniqueness conflict.
    let (status, dup) = scim(&app, reqwest::Method::POST, "/Users", Some(new_user)).await;
    assert_eq!(
        (status, dup["scimType"].clone()),
        (409, json!("uniqueness"))
    );
    // Without town and role: refused, nothing created.
    let (status, bad) = scim(
        &app,
        reqwest::Method::POST,
        "/Users",
        Some(json!({"userName": "x@y.example"})),
    )
    .await;
    assert_eq!(status, 400, "{bad}");
    assert_eq!(app.count("users"), users + 1);
    // Filters as Entra probes before creating.
    for filter in [
        r#"userName eq "nina.neu@warburg.example""#,
        r#"externalId eq "entra-oid-1""#,
    ] {
        let q = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>();
        let (status, list) = scim(
            &app,
            reqwest::Method::GET,
            &format!("/Users?filter={q}"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            list["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:ListResponse"
        );
        assert_eq!(list["totalResults"], 1, "{filter}");
        assert_eq!(list["Resources"][0]["id"], id.as_str());
    }
    let q = url::form_urlencoded::byte_serialize(br#"userName eq "niemand@x.example""#)
        .collect::<String>();
    let (_, none) = scim(
        &app,
        reqwest::Method::GET,
        &format!("/Users?filter={q}"),
        None,
    )
    .await;
    assert_eq!(none["totalResults"], 0);
    // Replace: new name, now an officer.
    let (status, replaced) = scim(
        &app,
        reqwest::Method::PUT,
        &format!("/Users/{id}"),
        Some(json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "externalId": "entra-oid-1",
            "userName": "nina.neu@warburg.example", "displayName": "Nina Neu-Berg", "active": true,
            EXT: {"ags": "05762036", "role": "officer"}})),
    )
    .await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["displayName"], "Nina Neu-Berg");
    assert_eq!(replaced[EXT]["role"], "officer");
    // Path-less patch and Entra's capitalised op with a string value.
    let (status, patched) = scim(
        &app,
        reqwest::Method::PATCH,
        &format!("/Users/{id}"),
        Some(
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"displayName": "Nina Berg"}}]}),
        ),
    )
    .await;
    assert_eq!(
        (status, patched["displayName"].clone()),
        (200, json!("Nina Berg"))
    );
    let (status, off) = scim(
        &app,
        reqwest::Method::PATCH,
        &format!("/Users/{id}"),
        Some(
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}),
        ),
    )
    .await;
    assert_eq!((status, off["active"].clone()), (200, json!(false)));
    assert_eq!(app.count_where_action("scim.deactivated"), 1);
    // Reactivated, then deleted: 204, then 404.
    let (status, on) = scim(
        &app,
        reqwest::Method::PATCH,
        &format!("/Users/{id}"),
        Some(json!({"Operations": [{"op": "replace", "path": "active", "value": true}]})),
    )
    .await;
    assert_eq!((status, on["active"].clone()), (200, json!(true)));
    let (status, _) = scim(&app, reqwest::Method::DELETE, &format!("/Users/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, gone) = scim(&app, reqwest::Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!((status, gone["status"].clone()), (404, json!("404")));
    assert_eq!(app.count_where_action("scim.deactivated"), 2);
}

async fn back_channel_logout_ends_the_session_and_refuses_replays_and_nonces(db: Db) {
    let (app, op) = spawn_sso_app(db, |_| {}).await;
    let browser = Browser::new();
    let s = browser.session(&app, LOGIN).await;
    let token = s["access_token"].as_str().unwrap().to_string();
    // A second platform session of the same person in another browser stays.
    let other = Browser::new().session(&app, LOGIN).await;
    let other_token = other["access_token"].as_str().unwrap().to_string();
    // Log out at the provider: its confirm page, then the form post.
    let page = browser
        .client
        .get(op.url(&format!("/session/end?client_id={}", op.client_id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let xsrf = page
        .split("name=\"xsrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no logout form: {page}"))
        .to_string();
    let resp = browser
        .client
        .post(op.url("/session/end/confirm"))
        .form(&[("xsrf", xsrf.as_str()), ("logout", "yes")])
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    // The provider posted the logout token before it answered.
    let sent = op_logout_tokens(&op).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(me_status(&app, &token).await, 401, "session ended");
    assert_eq!(
        me_status(&app, &other_token).await,
        200,
        "only that provider session"
    );
    // The same token again (same jti): refused.
    let replay = post_logout(&app, &sent[0]).await;
    assert_eq!(replay.0, 400);
    assert_eq!(replay.1, json!({"error": "invalid_request"}));
    // A token with a nonce (an ID token is no logout token), signed by the provider: refused;
    // the same without the nonce ends the other session by subject.
    let now = chrono::Utc::now().timestamp();
    let claims = |jti: &str, nonce: bool| {
        let mut c = json!({"iss": op.issuer, "aud": op.client_id, "iat": now, "exp": now + 120, "jti": jti,
            "sub": SUB, "events": {"http://schemas.openid.net/event/backchannel-logout": {}}});
        if nonce {
            c["nonce"] = json!("n-1");
        }
        c
    };
    let signed = op
        .admin(
            "/test/sign",
            json!({"claims": claims("jti-nonce", true), "header": {"typ": "logout+jwt"}}),
        )
        .await;
    assert_eq!(
        post_logout(&app, signed["token"].as_str().unwrap()).await.0,
        400
    );
    let foreign = op
        .admin(
            "/test/sign",
            json!({"claims": claims("jti-foreign", false), "foreignKey": true}),
        )
        .await;
    assert_eq!(
        post_logout(&app, foreign["token"].as_str().unwrap())
            .await
            .0,
        400
    );
    assert_eq!(me_status(&app, &other_token).await, 200);
    let good = op
        .admin(
            "/test/sign",
            json!({"claims": claims("jti-ok", false), "header": {"typ": "logout+jwt"}}),
        )
        .await;
    assert_eq!(
        post_logout(&app, good["token"].as_str().unwrap()).await.0,
        200
    );
    assert_eq!(me_status(&app, &other_token).await, 401, "ended by subject");
    assert_eq!(post_logout(&app, "kein-token").await.0, 400);
}

async fn op_logout_tokens(op: &TestOp) -> Vec<String> {
    let v: Value = reqwest::Client::new()
        .post(op.url("/test/logout-tokens"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

async fn post_logout(app: &TestApp, token: &str) -> (u16, Value) {
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/auth/oidc/{PROVIDER}/backchannel-logout")))
        .form(&[("logout_token", token)])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    assert_eq!(resp.headers()["cache-control"], "no-store");
    (status, resp.json().await.unwrap_or(Value::Null))
}

trait AuditCount {
    fn count_where_action(&self, action: &str) -> i64;
}

impl AuditCount for TestApp {
    fn count_where_action(&self, action: &str) -> i64 {
        use diesel::prelude::*;
        use digitalnetzwerk::db::schema::audit_log;
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(&mut self.conn())
            .unwrap()
    }
}
