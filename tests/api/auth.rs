//! Sign-in, tokens, refresh rotation, throttling, logout and password reset.
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{assert_problem, refresh_cookie_of, TestApp, DEMO_PASSWORD};

both_backends!(
    officer_signs_in_and_sees_name_and_town,
    wrong_password_and_unknown_account_get_the_same_answer,
    replayed_refresh_token_ends_the_session,
    logout_revokes_the_session,
    repeated_failures_are_throttled,
    password_reset_by_mail_works_once,
    security_headers_on_every_response,
);

async fn officer_signs_in_and_sees_name_and_town(app: TestApp) {
    let s = app.login("digital@brakel.example").await;
    assert_eq!(s.me["name"], "Lena Vogt");
    assert_eq!(s.me["municipality"]["name"], "Brakel");
    assert_eq!(s.me["municipality"]["ags"], "05762016");
    assert_eq!(s.me["district"]["key"], "05762");
    let resp = app.get(&s, "/api/v1/me").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("etag").is_some());
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["role"], "officer");
    // without a token: 401 problem
    let resp = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_problem(resp, 401).await;
    let resp = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("not-a-jwt")
        .send()
        .await
        .unwrap();
    assert_problem(resp, 401).await;
}

async fn wrong_password_and_unknown_account_get_the_same_answer(app: TestApp) {
    let a = app
        .login_raw("digital@brakel.example", "falsches-passwort-123")
        .await;
    assert!(refresh_cookie_of(&a).is_none());
    let a = assert_problem(a, 401).await;
    let b = assert_problem(
        app.login_raw("niemand@brakel.example", "falsches-passwort-123")
            .await,
        401,
    )
    .await;
    assert_eq!(a, b);
}

async fn replayed_refresh_token_ends_the_session(app: TestApp) {
    let s = app.login("digital@warburg.example").await;
    let refresh = |cookie: String| {
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .header("Cookie", format!("dn_refresh={cookie}"))
            .send()
    };
    let first = refresh(s.refresh.clone()).await.unwrap();
    assert_eq!(first.status(), 200);
    let rotated = refresh_cookie_of(&first).unwrap();
    assert_ne!(rotated, s.refresh);
    let body: Value = first.json().await.unwrap();
    let new_token = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(body["user"]["name"], "Tobias Schröder");

    // The stolen old token is replayed: refused, and the whole session ends.
    let replay = refresh(s.refresh.clone()).await.unwrap();
    assert_problem(replay, 401).await;
    let legit = refresh(rotated).await.unwrap();
    assert_problem(legit, 401).await;
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&new_token)
        .send()
        .await
        .unwrap();
    assert_problem(me, 401).await;
    // A fresh sign-in still works.
    app.login("digital@warburg.example").await;
}

async fn logout_revokes_the_session(app: TestApp) {
    let s = app.login("digital@brakel.example").await;
    let resp = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&s.token)
        .header("Cookie", format!("dn_refresh={}", s.refresh))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert_problem(app.get(&s, "/api/v1/me").await, 401).await;
    let r = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Cookie", format!("dn_refresh={}", s.refresh))
        .send()
        .await
        .unwrap();
    assert_problem(r, 401).await;
}

async fn repeated_failures_are_throttled(app: TestApp) {
    for _ in 0..5 {
        assert_problem(
            app.login_raw("digital@nieheim.example", "falsch-falsch-falsch")
                .await,
            401,
        )
        .await;
    }
    let locked = app
        .login_raw("digital@nieheim.example", DEMO_PASSWORD)
        .await;
    assert_eq!(locked.status(), 429);
    let retry: u64 = locked
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    // An unknown account is throttled the same way, so throttling reveals nothing.
    let unknown = app
        .login_raw("gibt-es-nicht@nieheim.example", DEMO_PASSWORD)
        .await;
    assert_eq!(unknown.status(), 429, "the address is throttled as well");
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100 * retry)).await;
    app.login("digital@nieheim.example").await;
}

async fn password_reset_by_mail_works_once(app: TestApp) {
    let resp = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"email": "digital@steinheim.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    // Unknown addresses get the same answer and no mail.
    let resp = app
        .client
        .post(app.url("/api/v1/auth/password-reset"))
        .json(&json!({"email": "unbekannt@steinheim.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let mail = app.mail.wait_for("digital@steinheim.example").await;
    assert!(mail.decoded().contains("Anke Brinkmann"));
    let link = mail
        .link_containing("/passwort-zuruecksetzen/")
        .expect("reset link");
    let token = link.rsplit('/').next().unwrap().to_string();
    let confirm = |pw: &str| {
        app.client
            .post(app.url("/api/v1/auth/password-reset/confirm"))
            .json(&json!({"token": token, "password": pw}))
            .send()
    };
    let short = confirm("kurz").await.unwrap();
    let p = assert_problem(short, 422).await;
    assert_eq!(p["errors"][0]["field"], "password");
    assert_eq!(
        confirm("Weserbergland-im-Herbst-26")
            .await
            .unwrap()
            .status(),
        204
    );
    app.login_with("digital@steinheim.example", "Weserbergland-im-Herbst-26")
        .await;
    assert_eq!(
        app.login_raw("digital@steinheim.example", DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    let again = confirm("Noch-ein-anderes-Passwort-26").await.unwrap();
    let p = assert_problem(again, 422).await;
    assert_eq!(p["errors"][0]["field"], "token");
    assert!(app
        .mail
        .all()
        .iter()
        .all(|m| !m.to.iter().any(|t| t.contains("unbekannt@"))));
}

async fn security_headers_on_every_response(app: TestApp) {
    for path in [
        "/healthz",
        "/readyz",
        "/api/v1/me",
        "/irgendeine/seite",
        "/api/v1/gibt-es-nicht",
    ] {
        let resp = app.client.get(app.url(path)).send().await.unwrap();
        let h = resp.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert!(h.get("referrer-policy").is_some());
    }
    let resp = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = app
        .client
        .get(app.url("/api/v1/gibt-es-nicht"))
        .send()
        .await
        .unwrap();
    assert_problem(resp, 404).await;
    // No CORS for foreign origins unless configured.
    let resp = app
        .client
        .get(app.url("/api/v1/me"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
}
