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
    parallel_guesses_are_counted_before_the_password_check,
    behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another,
    behind_a_trusted_proxy_the_forwarded_header_names_the_client,
    current_password_checks_are_throttled_like_sign_ins,
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
    let mut a = assert_problem(a, 401).await;
    let mut b = assert_problem(
        app.login_raw("niemand@brakel.example", "falsches-passwort-123")
            .await,
        401,
    )
    .await;
    // Each answer names its own request; everything else is the same.
    for p in [&mut a, &mut b] {
        let id = p.as_object_mut().unwrap().remove("request_id");
        assert!(id.is_some_and(|v| v.is_string()), "{p}");
    }
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
    // A foreign page cannot use the cookie to refresh or to sign out.
    for path in ["/api/v1/auth/refresh", "/api/v1/auth/logout"] {
        let resp = app
            .client
            .post(app.url(path))
            .header("Origin", "https://evil.example")
            .header("Cookie", format!("dn_refresh={}", s.refresh))
            .send()
            .await
            .unwrap();
        assert_problem(resp, 403).await;
    }
    assert_eq!(
        app.get(&s, "/api/v1/me").await.status(),
        200,
        "the session lives on"
    );
    let own = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Origin", app.base.clone())
        .header("Cookie", format!("dn_refresh={}", s.refresh))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200, "the platform's own page may refresh");
    let s = crate::common::Session {
        refresh: refresh_cookie_of(&own).unwrap(),
        ..s
    };
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
    for _ in 0..5 {
        assert_problem(
            app.login_raw("gibt-es-nicht@nieheim.example", "falsch")
                .await,
            401,
        )
        .await;
    }
    assert_eq!(
        app.login_raw("gibt-es-nicht@nieheim.example", "falsch")
            .await
            .status(),
        429,
        "the unknown account is locked like a real one"
    );
    // Five failures of two accounts from one address do not lock the address: another
    // account signs in from it.
    app.login("digital@brakel.example").await;
    // Once the lock has run out (moved into the past here instead of waiting), the
    // right password works again.
    {
        use diesel::prelude::*;
        use digitalnetzwerk::db::schema::login_throttle;
        let mut conn = app.conn();
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
        let n = diesel::update(login_throttle::table)
            .set(login_throttle::locked_until.eq(Some(past)))
            .execute(&mut conn)
            .unwrap();
        assert!(n >= 2);
    }
    app.login("digital@nieheim.example").await;
}

async fn login_from(
    app: &TestApp,
    client: &str,
    email: &str,
    pw: &str,
    device: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", client)
        .json(&serde_json::json!({"email": email, "password": pw}));
    if let Some(d) = device {
        req = req.header("Cookie", format!("dn_device={d}"));
    }
    req.send().await.unwrap()
}

fn device_cookie_of(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("dn_device="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

async fn parallel_guesses_are_counted_before_the_password_check(app: TestApp) {
    // The owner signed in from this browser before the attack.
    let ok = login_from(
        &app,
        "198.51.100.7",
        "digital@nieheim.example",
        DEMO_PASSWORD,
        None,
    )
    .await;
    assert_eq!(ok.status(), 200);
    let device = device_cookie_of(&ok).expect("a device cookie after signing in");
    // 64 parallel wrong guesses from 64 addresses.
    let handles: Vec<_> = (0..64)
        .map(|i| {
            let client = app.client.clone();
            let url = app.url("/api/v1/auth/login");
            actix_web::rt::spawn(async move {
                client
                    .post(url)
                    .header("X-Forwarded-For", format!("203.0.113.{i}"))
                    .json(&serde_json::json!({"email": "digital@nieheim.example", "password": "falsch-falsch"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut answers = Vec::new();
    for h in handles {
        answers.push(h.await.unwrap());
    }
    let checked = answers.iter().filter(|s| **s == 401).count();
    let refused = answers.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 64, "{answers:?}");
    assert!(checked <= 5, "{checked} passwords were checked");
    assert!(
        checked >= 1,
        "positive control: the first guesses are checked"
    );
    // Without the device cookie the right password waits too; with it, it works.
    let locked = login_from(
        &app,
        "198.51.100.7",
        "digital@nieheim.example",
        DEMO_PASSWORD,
        None,
    )
    .await;
    assert_eq!(locked.status(), 429);
    let known = login_from(
        &app,
        "198.51.100.7",
        "digital@nieheim.example",
        DEMO_PASSWORD,
        Some(&device),
    )
    .await;
    assert_eq!(known.status(), 200, "the known device is not locked out");
    // A device cookie of one account does not open another locked account.
    for _ in 0..5 {
        login_from(
            &app,
            "198.51.100.9",
            "digital@warburg.example",
            "falsch",
            None,
        )
        .await;
    }
    let other = login_from(
        &app,
        "198.51.100.7",
        "digital@warburg.example",
        DEMO_PASSWORD,
        Some(&device),
    )
    .await;
    assert_eq!(other.status(), 429);
}

async fn behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another(app: TestApp) {
    // One client guesses at many accounts until its address is locked.
    let mut answers = Vec::new();
    for i in 0..25 {
        let r = login_from(
            &app,
            "203.0.113.50",
            &format!("niemand{i}@example.org"),
            "falsch",
            None,
        )
        .await;
        answers.push(r.status().as_u16());
    }
    assert!(answers.iter().take(20).all(|s| *s == 401), "{answers:?}");
    assert_eq!(
        answers[24], 429,
        "the guessing address is locked: {answers:?}"
    );
    // Another client behind the same proxy signs in at once.
    let other = login_from(
        &app,
        "203.0.113.51",
        "digital@brakel.example",
        DEMO_PASSWORD,
        None,
    )
    .await;
    assert_eq!(other.status(), 200);
    // A client that is not a trusted proxy cannot pick its address: the forwarded
    // header of the locked client is believed only from the proxy (here: loopback),
    // and the proxy appends the real address last.
    let spoofed = login_from(
        &app,
        "203.0.113.51, 203.0.113.50",
        "digital@brakel.example",
        DEMO_PASSWORD,
        None,
    )
    .await;
    assert_eq!(spoofed.status(), 429, "the last forwarded address counts");
}

/// As above with the standard `Forwarded` header (RFC 7239) instead of `X-Forwarded-For`.
async fn behind_a_trusted_proxy_the_forwarded_header_names_the_client(app: TestApp) {
    let login = |forwarded: &'static str, email: String, pw: &'static str| {
        let req = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("Forwarded", forwarded)
            .json(&serde_json::json!({"email": email, "password": pw}));
        async move { req.send().await.unwrap().status().as_u16() }
    };
    let guesser = "for=\"[2001:db8::50]:4711\";proto=https";
    let mut answers = Vec::new();
    for i in 0..25 {
        answers.push(login(guesser, format!("niemand{i}@example.org"), "falsch").await);
    }
    assert!(answers.iter().take(20).all(|s| *s == 401), "{answers:?}");
    assert_eq!(
        answers[24], 429,
        "the guessing address is locked: {answers:?}"
    );
    // Another client behind the same proxy signs in at once.
    let other = login(
        "for=203.0.113.51;proto=https",
        "digital@brakel.example".into(),
        DEMO_PASSWORD,
    )
    .await;
    assert_eq!(other, 200);
    // The proxy appends the real address last; what the client wrote before it is not believed.
    let spoofed = login(
        "for=203.0.113.51, for=\"[2001:db8::50]\"",
        "digital@brakel.example".into(),
        DEMO_PASSWORD,
    )
    .await;
    assert_eq!(spoofed, 429, "the last forwarded address counts");
}

async fn current_password_checks_are_throttled_like_sign_ins(app: TestApp) {
    let s = app.login("digital@warburg.example").await;
    let change = |pw: &'static str| {
        app.post(&s, "/api/v1/me/password", serde_json::json!({"current_password": pw, "new_password": "Ein-ganz-neues-Passwort-2026"}))
    };
    for _ in 0..5 {
        let p = assert_problem(change("geraten").await, 422).await;
        assert_eq!(crate::common::fields(&p), vec!["current_password"]);
    }
    assert_eq!(change("geraten").await.status(), 429);
    assert_eq!(
        change(DEMO_PASSWORD).await.status(),
        429,
        "even the right one waits"
    );
    let resp = app
        .client
        .delete(app.url("/api/v1/me"))
        .bearer_auth(&s.token)
        .json(&serde_json::json!({"password": "geraten"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        429,
        "deleting the account asks the same counter"
    );
    assert_eq!(
        app.get(&s, "/api/v1/me").await.status(),
        200,
        "the account is still there"
    );
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
    // Personal answers are kept by no cache; the static health check may be.
    let s = app.login("digital@brakel.example").await;
    for path in [
        "/api/v1/me",
        "/api/v1/projects",
        "/api/v1/projects/export.csv",
        "/api/v1/me/data",
    ] {
        let resp = app.get(&s, path).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(
            resp.headers().get("cache-control").unwrap(),
            "no-store",
            "{path}"
        );
    }
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert!(health.headers().get("cache-control").is_none());
    assert!(
        health.headers().get("strict-transport-security").is_none(),
        "HSTS is off by default"
    );
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
