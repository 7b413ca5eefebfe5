//! Notifications, immediate mails, digests and the outbox, against a real SMTP server on loopback.
use std::collections::HashSet;
use std::time::Duration;

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{
    assert_problem, binary_command, deliveries, digest_fixture, header, spawn_app_with,
    start_binary, unsettled, Db, MailSink, TestApp,
};
use digitalnetzwerk::db::schema::outbox;

both_backends!(
    weekly_digest_shows_visible_news_with_unsubscribe_headers,
    mentions_are_mailed_immediately,
    mails_wait_in_the_outbox_while_the_mail_server_is_down,
    a_mail_handed_over_before_a_crash_is_not_sent_again,
    admins_requeue_a_mail_that_was_given_up,
    two_servers_send_each_digest_once,
    network_news_follow_the_chosen_topics,
);

async fn network_news_follow_the_chosen_topics(app: TestApp) {
    // The operator's admin belongs to no district: every district's network projects are news to them.
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let settings: Value = app
        .get(&admin, "/api/v1/me/notification-settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["topics"], json!([]));
    let mut chosen = settings.clone();
    chosen["topics"] = json!(["bildung-schulen", "nicht-da"]);
    let put = |body: Value, version: i64| {
        app.client
            .put(app.url("/api/v1/me/notification-settings"))
            .bearer_auth(&admin.token)
            .header("If-Match", format!("\"{version}\""))
            .json(&body)
            .send()
    };
    let r = put(chosen.clone(), 0).await.unwrap();
    assert_problem(r, 422).await;
    chosen["topics"] = json!(["bildung-schulen"]);
    let r = put(chosen.clone(), 0).await.unwrap();
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["topics"], json!(["bildung-schulen"]));

    let brakel = app.login("digital@brakel.example").await;
    for (title, topic) in [
        ("Tablets für die Grundschule", "bildung-schulen"),
        ("Bürgerbus per App", "mobilitaet"),
    ] {
        let r = app
            .post(&brakel, "/api/v1/projects", json!({"title": title, "summary": "Im Netzwerk geteilt", "visibility": "network", "topics": [topic]}))
            .await;
        assert_eq!(r.status(), 201);
    }
    settle(&app).await;
    let feed: Value = app
        .get(&admin, "/api/v1/notifications")
        .await
        .json()
        .await
        .unwrap();
    let text = serde_json::to_string(&feed).unwrap();
    assert!(text.contains("Tablets für die Grundschule"), "{text}");
    assert!(!text.contains("Bürgerbus"), "{text}");

    // No topics chosen: everything new in the network.
    chosen["topics"] = json!([]);
    let r = put(chosen, saved["version"].as_i64().unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .post(&brakel, "/api/v1/projects", json!({"title": "Carsharing-Plattform", "summary": "Im Netzwerk geteilt", "visibility": "network", "topics": ["mobilitaet"]}))
        .await;
    assert_eq!(r.status(), 201);
    settle(&app).await;
    let feed: Value = app
        .get(&admin, "/api/v1/notifications")
        .await
        .json()
        .await
        .unwrap();
    assert!(serde_json::to_string(&feed)
        .unwrap()
        .contains("Carsharing-Plattform"));
}

/// Waits until the fan-out has turned all events into notifications.
async fn settle(app: &TestApp) {
    use digitalnetzwerk::db::schema::events;
    for _ in 0..100 {
        let mut conn = app.conn();
        let open: i64 = events::table
            .filter(events::processed_at.is_null())
            .count()
            .get_result(&mut conn)
            .unwrap();
        if open == 0 {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("events were not processed");
}

fn run_digests(app: &TestApp, days_ahead: i64) -> usize {
    let mut conn = app.conn();
    let at = digitalnetzwerk::db::now() + chrono::Duration::days(days_ahead);
    let n = digitalnetzwerk::notify::digest::run_due(&mut conn, at, &app.base).unwrap();
    app.state.wakeup.wake();
    n
}

async fn weekly_digest_shows_visible_news_with_unsubscribe_headers(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    let p: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Digitale Bauakte Brakel", "summary": "Bauakten digital"}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post(
        &brakel,
        "/api/v1/projects",
        json!({"title": "Geheimes Brakel-Projekt", "summary": "intern", "visibility": "private"}),
    )
    .await;
    let id = p["id"].as_str().unwrap();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/projects/{id}/follow")))
        .bearer_auth(&warburg.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    app.post(
        &brakel,
        &format!("/api/v1/projects/{id}/comments"),
        json!({"body": "Wir starten im Januar mit dem Pilotbetrieb."}),
    )
    .await;
    settle(&app).await;
    // In-app feed with unread count.
    let count: Value = app
        .get(&warburg, "/api/v1/notifications/unread-count")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        count["unread"], 2,
        "new district project + comment on a followed project"
    );
    let feed: Value = app
        .get(&warburg, "/api/v1/notifications")
        .await
        .json()
        .await
        .unwrap();
    assert!(!serde_json::to_string(&feed).unwrap().contains("Geheimes"));
    // The preview shows what the digest will hold.
    let preview: Value = app
        .get(&warburg, "/api/v1/me/digest/preview")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["has_content"], true);
    assert!(preview["text"]
        .as_str()
        .unwrap()
        .contains("Wir starten im Januar"));

    // Warburg is interested in a programme whose call closes in 12 days.
    {
        let mut conn = app.conn();
        digitalnetzwerk::funding::seed::import_reference_programmes(&mut conn).unwrap();
    }
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let programmes: Value = app
        .get(&coordinator, "/api/v1/funding/programmes?q=leader")
        .await
        .json()
        .await
        .unwrap();
    let leader = programmes["items"][0]["id"].as_str().unwrap().to_string();
    let deadline = (digitalnetzwerk::db::now() + chrono::Duration::days(12)).date();
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/funding/programmes/{leader}/calls"),
            json!({"title": "Aufruf Dorfentwicklung", "deadline_date": deadline}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post(
            &warburg,
            &format!("/api/v1/funding/programmes/{leader}/interest"),
            json!({"note": ""}),
        )
        .await;
    assert_eq!(r.status(), 204);
    // A second new district project: news in the digest, but Tobias does not follow it.
    let other: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Digitaler Friedhofsplan Brakel", "summary": "Grabstellen online"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let other_id = other["id"].as_str().unwrap();
    settle(&app).await;
    // Next week's digest (Monday 07:00 Berlin by default).
    assert!(run_digests(&app, 8) >= 1);
    let mail = app.mail.wait_for("digital@warburg.example").await;
    let text = mail.decoded();
    assert!(text.contains("Digitaler Friedhofsplan Brakel"), "{text}");
    assert!(
        text.contains(&format!("/projekte/{id}?nicht-mehr-folgen=1")),
        "the followed project offers to unfollow"
    );
    assert!(
        !text.contains(&format!("/projekte/{other_id}?nicht-mehr-folgen=1")),
        "no unfollow link for a project Tobias does not follow: {text}"
    );
    assert!(header(&mail, "Subject")
        .unwrap()
        .contains("Digitalnetzwerk"));
    assert!(text.contains("Digitale Bauakte Brakel"));
    assert!(text.contains("Wir starten im Januar mit dem Pilotbetrieb."));
    assert!(!text.contains("Geheimes Brakel-Projekt"));
    assert!(
        text.contains("Förderfristen der nächsten 14 Tage")
            && text.contains("Aufruf Dorfentwicklung"),
        "{text}"
    );
    assert!(text.contains("Content-Type: text/plain") && text.contains("Content-Type: text/html"));
    assert!(text.contains("multipart/alternative"));
    assert_eq!(
        header(&mail, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let unsubscribe = header(&mail, "List-Unsubscribe").unwrap();
    let url = unsubscribe
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    assert!(url.starts_with(&app.base));
    // Running the job again in the same period sends nothing more.
    assert_eq!(run_digests(&app, 8), 0);
    // The confirmation page (no sign-in) links the legal pages like every other page.
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for link in ["/impressum", "/datenschutz", "/barrierefreiheit"] {
        assert!(
            html.contains(&format!("href=\"{link}\"")),
            "{link} in {html}"
        );
    }
    // One-click unsubscribe without login, once.
    let r = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .post(&url)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_problem(r, 404).await;
    let settings: Value = app
        .get(&warburg, "/api/v1/me/notification-settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["digest"]["enabled"], false);
    // An empty digest is not sent: Lena has nothing waiting. The digest run queues
    // mails in the same call, so the outbox tells at once (no waiting for delivery).
    let queued = |user: &Value| {
        let mut conn = app.conn();
        outbox::table
            .filter(outbox::kind.eq("digest"))
            .filter(outbox::user_id.eq(user["id"].as_str().unwrap()))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    assert!(
        queued(&warburg.me) >= 1,
        "positive control: Tobias's digest went through the outbox"
    );
    let before = queued(&brakel.me);
    run_digests(&app, 15);
    assert_eq!(queued(&brakel.me), before, "no digest was queued for Lena");
}

async fn mentions_are_mailed_immediately(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    let tobias = warburg.me["id"].as_str().unwrap();
    let p: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Smart Parking", "summary": "Sensoren"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = p["id"].as_str().unwrap();
    app.post(
        &brakel,
        &format!("/api/v1/projects/{id}/comments"),
        json!({"body": format!("Was meinen Sie, @[Tobias Schröder]({tobias})?")}),
    )
    .await;
    let mail = app.mail.wait_for("digital@warburg.example").await;
    let text = mail.decoded();
    assert!(
        text.contains("Lena Vogt hat Sie in „Smart Parking“ erwähnt"),
        "{text}"
    );
    assert!(text.contains(&format!("{}/projekte/{id}", app.base)));
    // The settings can turn it into a digest item instead.
    let s: Value = app
        .get(&warburg, "/api/v1/me/notification-settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["kinds"]["mentions"], "immediate");
    assert_eq!(s["kinds"]["followed_projects"], "digest");
    assert_eq!(
        s["digest"],
        json!({"frequency": "weekly", "weekday": 1, "hour": 7, "enabled": true})
    );
    let mut changed = s.clone();
    changed["kinds"]["mentions"] = json!("digest");
    changed["digest"] = json!({"frequency": "daily", "weekday": 1, "hour": 18, "enabled": true});
    let r = app
        .client
        .put(app.url("/api/v1/me/notification-settings"))
        .bearer_auth(&warburg.token)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_problem(r, 428).await;
    let r = app
        .client
        .put(app.url("/api/v1/me/notification-settings"))
        .bearer_auth(&warburg.token)
        .header("If-Match", "\"0\"")
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["digest"]["hour"], 18);
    assert_eq!(saved["kinds"]["mentions"], "digest");
    let mut bad = saved.clone();
    bad["digest"]["hour"] = json!(25);
    let r = app
        .client
        .put(app.url("/api/v1/me/notification-settings"))
        .bearer_auth(&warburg.token)
        .header("If-Match", "\"1\"")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(
        crate::common::fields(&assert_problem(r, 422).await),
        vec!["digest.hour"]
    );
    let instant_before = instant_mails(&app, tobias);
    let r = app
        .post(
            &brakel,
            &format!("/api/v1/projects/{id}/comments"),
            json!({"body": format!("Noch einmal @[Tobias Schröder]({tobias})")}),
        )
        .await;
    assert_eq!(r.status(), 201);
    // Once the event is processed, the mention is there for the digest and no mail is
    // queued: fan-out writes both in one transaction, so nothing needs waiting for.
    settle(&app).await;
    let mut conn = app.conn();
    let modes: Vec<String> = digitalnetzwerk::db::schema::notifications::table
        .filter(digitalnetzwerk::db::schema::notifications::user_id.eq(tobias))
        .filter(digitalnetzwerk::db::schema::notifications::kind.eq("mentions"))
        .order(digitalnetzwerk::db::schema::notifications::created_at.asc())
        .select(digitalnetzwerk::db::schema::notifications::mode)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        modes,
        vec!["immediate", "digest"],
        "the second mention waits for the digest"
    );
    assert_eq!(
        instant_mails(&app, tobias),
        instant_before,
        "a mention set to digest is not mailed at once"
    );
    assert!(
        instant_before >= 1,
        "positive control: the first mention was mailed"
    );
}

fn instant_mails(app: &TestApp, user: &str) -> i64 {
    let mut conn = app.conn();
    outbox::table
        .filter(outbox::kind.eq("instant"))
        .filter(outbox::user_id.eq(user))
        .count()
        .get_result(&mut conn)
        .unwrap()
}

async fn mails_wait_in_the_outbox_while_the_mail_server_is_down(app: TestApp) {
    // A second app on a new database whose SMTP port has no server yet: the port stays
    // ours (no other process can take it) and every connection is closed at once.
    let reserved = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = reserved.local_addr().unwrap().port();
    reserved.set_nonblocking(true).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let refuser = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                match reserved.accept() {
                    Ok((conn, _)) => drop(conn),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
            reserved
        })
    };
    let sink_placeholder = MailSink::start();
    let down = spawn_app_with(app.db, sink_placeholder, port, None).await;
    let admin = down.login("admin@digitalnetzwerk.example").await;
    let brakel_town = down.municipality_id("05762016").await;
    let r = down.post(&admin, "/api/v1/invitations", json!({"email": "wartet@brakel.example", "role": "member", "municipality_id": brakel_town})).await;
    assert_eq!(r.status(), 201);
    // The worker tries, fails and keeps the mail.
    let mut tries = 0;
    loop {
        let mut conn = down.conn();
        let (attempts, sent, err): (i32, Option<chrono::NaiveDateTime>, Option<String>) =
            outbox::table
                .select((outbox::attempts, outbox::sent_at, outbox::last_error))
                .first(&mut conn)
                .unwrap();
        if attempts > 0 {
            assert!(sent.is_none());
            assert!(err.unwrap().contains("SMTP"));
            break;
        }
        tries += 1;
        assert!(tries < 100, "no delivery attempt");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let pending: Value = down
        .get(&admin, "/api/v1/admin/outbox?status=pending")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending["total"], 1);
    // The mail server comes back; once the retry is due, the mail goes out.
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let listener = refuser.join().unwrap();
    listener.set_nonblocking(false).unwrap();
    let sink = MailSink::start_on(listener);
    {
        let mut conn = down.conn();
        diesel::update(outbox::table)
            .set(outbox::next_attempt_at.eq(digitalnetzwerk::db::now()))
            .execute(&mut conn)
            .unwrap();
    }
    down.state.wakeup.wake();
    let mail = sink.wait_for("wartet@brakel.example").await;
    assert!(mail.decoded().contains("/einladung/"));
    // The worker records the delivery right after the server's answer.
    let mut waited = 0;
    let (sent, body, answer) = loop {
        let mut conn = down.conn();
        let row: (
            Option<chrono::NaiveDateTime>,
            Option<String>,
            Option<String>,
        ) = outbox::table
            .select((outbox::sent_at, outbox::body_text, outbox::smtp_response))
            .first(&mut conn)
            .unwrap();
        if row.0.is_some() || waited > 100 {
            break row;
        }
        waited += 1;
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(sent.is_some());
    assert!(
        body.is_none(),
        "the body (with its token) is dropped once delivered"
    );
    assert!(answer.unwrap().starts_with("250"));
}

/// (recipient, sent at, last error, body)
type OutboxState = (
    String,
    Option<chrono::NaiveDateTime>,
    Option<String>,
    Option<String>,
);

/// What a worker that died mid-round leaves behind: one mail it had claimed but not yet
/// handed to the SMTP server (the server kept nothing: it is sent again), one whose
/// content it had handed over (the kernel delivered it: it must not go out twice).
async fn a_mail_handed_over_before_a_crash_is_not_sent_again(app: TestApp) {
    use digitalnetzwerk::notify::outbox::{enqueue, UNCONFIRMED};
    let t = digitalnetzwerk::db::now();
    let mail = |to: &str| digitalnetzwerk::mail::OutgoingMail {
        to: to.into(),
        subject: "Testmail".into(),
        text: "Hallo".into(),
        html: "<p>Hallo</p>".into(),
        ..Default::default()
    };
    {
        // One transaction, so the running worker never sees the rows unclaimed.
        let mut conn = app.conn();
        conn.transaction::<_, digitalnetzwerk::error::AppError, _>(|c| {
            enqueue(
                c,
                "test",
                None,
                Some("claimed"),
                &mail("geclaimt@crash.example"),
            )?;
            enqueue(
                c,
                "test",
                None,
                Some("handed"),
                &mail("uebergeben@crash.example"),
            )?;
            diesel::update(outbox::table)
                .set((
                    outbox::claimed_by.eq(Some("dead-worker:1")),
                    outbox::claimed_until.eq(Some(t - chrono::Duration::seconds(1))),
                ))
                .execute(c)?;
            diesel::update(outbox::table.filter(outbox::idempotency_key.eq("handed")))
                .set(outbox::handed_over_at.eq(Some(t - chrono::Duration::seconds(2))))
                .execute(c)?;
            Ok(())
        })
        .unwrap();
    }
    app.state.wakeup.wake();
    app.mail.wait_for("geclaimt@crash.example").await;
    let mut waited = 0;
    let rows = loop {
        let rows: Vec<OutboxState> = outbox::table
            .filter(outbox::kind.eq("test"))
            .select((
                outbox::to_email,
                outbox::sent_at,
                outbox::last_error,
                outbox::body_text,
            ))
            .order(outbox::to_email.asc())
            .load(&mut app.conn())
            .unwrap();
        if rows.iter().all(|r| r.1.is_some()) || waited > 100 {
            break rows;
        }
        waited += 1;
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    // Another round of the worker must not send the handed-over mail either: once every
    // mail is settled and unclaimed, no worker can pick one up again.
    app.state.wakeup.wake();
    wait_until_settled(&app, "%@crash.example").await;
    let received: Vec<String> = app
        .mail
        .all()
        .iter()
        .flat_map(|m| m.to.clone())
        .filter(|to| to.ends_with("@crash.example"))
        .collect();
    assert_eq!(received, vec!["geclaimt@crash.example".to_string()]);
    let (claimed, handed) = (&rows[0], &rows[1]);
    assert_eq!(claimed.0, "geclaimt@crash.example");
    assert!(claimed.1.is_some() && claimed.2.is_none());
    assert_eq!(handed.0, "uebergeben@crash.example");
    assert_eq!(
        handed.1,
        Some(t - chrono::Duration::seconds(2)),
        "settled as delivered at the hand-over"
    );
    assert_eq!(handed.2.as_deref(), Some(UNCONFIRMED));
    assert!(
        handed.3.is_none(),
        "the body is dropped as for any delivered mail"
    );
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let view: Value = app
        .get(&admin, "/api/v1/admin/outbox?status=unconfirmed")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["total"], 1);
    assert_eq!(view["items"][0]["to_email"], "uebergeben@crash.example");
    let sent: Value = app
        .get(&admin, "/api/v1/admin/outbox?status=sent")
        .await
        .json()
        .await
        .unwrap();
    let sent = serde_json::to_string(&sent["items"]).unwrap();
    assert!(sent.contains("geclaimt@crash.example") && !sent.contains("uebergeben@crash.example"));
}

/// After a long mail server outage an admin queues a given-up mail once more.
async fn admins_requeue_a_mail_that_was_given_up(app: TestApp) {
    let mail = digitalnetzwerk::mail::OutgoingMail {
        to: "spaet@brakel.example".into(),
        subject: "Aufgegeben".into(),
        text: "Hallo".into(),
        html: "<p>Hallo</p>".into(),
        ..Default::default()
    };
    let old = digitalnetzwerk::db::now() - chrono::Duration::days(3);
    let id: String = {
        let mut conn = app.conn();
        conn.transaction::<_, digitalnetzwerk::error::AppError, _>(|c| {
            digitalnetzwerk::notify::outbox::enqueue(c, "test", None, Some("given-up"), &mail)?;
            diesel::update(outbox::table.filter(outbox::idempotency_key.eq("given-up")))
                .set((
                    outbox::created_at.eq(old),
                    outbox::attempts.eq(9),
                    outbox::failed_at.eq(Some(old + chrono::Duration::days(2))),
                    outbox::last_error.eq(Some("SMTP: connection refused")),
                ))
                .execute(c)?;
            Ok(outbox::table
                .filter(outbox::idempotency_key.eq("given-up"))
                .select(outbox::id)
                .first(c)?)
        })
        .unwrap()
    };
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let failed: Value = app
        .get(&admin, "/api/v1/admin/outbox?status=failed")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(failed["total"], 1);
    let path = format!("/api/v1/admin/outbox/{id}/retry");
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    assert_problem(app.post(&coordinator, &path, json!({})).await, 403).await;
    let r = app.post(&admin, &path, json!({})).await;
    assert_eq!(r.status(), 204);
    app.mail.wait_for("spaet@brakel.example").await;
    // Once queued again (or delivered) it is no longer a failed mail to requeue.
    assert_problem(app.post(&admin, &path, json!({})).await, 409).await;
    assert_problem(
        app.post(&admin, "/api/v1/admin/outbox/unbekannt/retry", json!({}))
            .await,
        404,
    )
    .await;
    let failed: Value = app
        .get(&admin, "/api/v1/admin/outbox?status=failed")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(failed["total"], 0);
}

async fn two_servers_send_each_digest_once(app: TestApp) {
    let emails = digest_fixture(&app, 40);
    let second = spawn_app_with(
        app.db,
        app.mail.clone(),
        app.mail.port,
        Some(app.database_url.clone()),
    )
    .await;
    // Both servers run the digest job at the same moment, and both deliver.
    let (a, b) = (app.database_url.clone(), second.database_url.clone());
    let base = app.base.clone();
    let at = digitalnetzwerk::db::now();
    let h1 = std::thread::spawn({
        let base = base.clone();
        move || {
            digitalnetzwerk::notify::digest::run_due(
                &mut digitalnetzwerk::db::establish(&a).unwrap(),
                at,
                &base,
            )
            .unwrap()
        }
    });
    let h2 = std::thread::spawn(move || {
        digitalnetzwerk::notify::digest::run_due(
            &mut digitalnetzwerk::db::establish(&b).unwrap(),
            at,
            &base,
        )
        .unwrap()
    });
    let queued = h1.join().unwrap() + h2.join().unwrap();
    assert_eq!(queued, 40, "each digest queued exactly once");
    app.state.wakeup.wake();
    second.state.wakeup.wake();
    for _ in 0..200 {
        let got: HashSet<String> = app
            .mail
            .all()
            .iter()
            .flat_map(|m| m.to.clone())
            .filter(|t| t.contains("@digest.example"))
            .collect();
        if got.len() == emails.len() {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    // A repeat could only come from a mail not yet settled; wait until none is left.
    wait_until_settled(&app, "%@digest.example").await;
    let by = deliveries(&app.mail.all());
    for e in &emails {
        assert_eq!(
            by.get(e).map(|v| v.len()),
            Some(1),
            "{e} must get exactly one digest"
        );
    }
}

async fn wait_until_settled(app: &TestApp, pattern: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while unsettled(app, pattern) > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "mails to {pattern} were not settled"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

fn digests_received(app: &TestApp) -> usize {
    app.mail
        .all()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains("@digest.example")))
        .count()
}

/// Two real server processes with their own schedulers and outbox workers on one
/// PostgreSQL database: each of 200 digests is queued once and delivered once.
#[test]
fn two_server_processes_on_postgres_deliver_each_digest_once() {
    let sys = actix_web::rt::System::new();
    sys.block_on(async {
        let app = crate::common::spawn_app(Db::Postgres).await;
        let emails = digest_fixture(&app, 200);
        let tmp = tempfile::tempdir().unwrap();
        let mut first = start_binary(&app.database_url, app.mail.port, tmp.path());
        let mut second = start_binary(&app.database_url, app.mail.port, tmp.path());
        let mut waited = 0;
        while digests_received(&app) < emails.len() {
            std::thread::sleep(Duration::from_millis(50));
            waited += 1;
            assert!(
                waited < 2400,
                "not all digests arrived ({} of {})",
                digests_received(&app),
                emails.len()
            );
        }
        // A repeat could only come from a mail that is not settled yet: wait until every
        // digest is settled and unclaimed, so neither server can send one again.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while unsettled(&app, "%@digest.example") > 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "digests were not settled"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        for child in [&mut first, &mut second] {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        let by = deliveries(&app.mail.all());
        for e in &emails {
            assert_eq!(
                by.get(e).map(|v| v.len()),
                Some(1),
                "{e} must get exactly one digest"
            );
        }
        let runs: i64 = digitalnetzwerk::db::schema::digest_runs::table
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(
            runs as usize,
            emails.len(),
            "one digest run per recipient and period"
        );
    });
}

/// Kills the real server process in the middle of sending 500 digests and starts it again.
#[test]
fn sigkill_while_sending_500_digests_sends_each_exactly_once() {
    let sys = actix_web::rt::System::new();
    sys.block_on(async {
        let app = crate::common::spawn_app(Db::Sqlite).await;
        let emails = digest_fixture(&app, 500);
        let tmp = tempfile::tempdir().unwrap();
        let start = || start_binary(&app.database_url, app.mail.port, tmp.path());
        let count = digests_received;
        let mut child = start();
        let mut waited = 0;
        while count(&app) < 100 {
            std::thread::sleep(Duration::from_millis(20));
            waited += 1;
            assert!(waited < 3000, "the server sent nothing");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let at_kill = count(&app);
        assert!(
            at_kill < 500,
            "killed too late to test anything ({at_kill} sent)"
        );
        let mut child = start();
        let mut waited = 0;
        loop {
            let pending: i64 = {
                let mut conn = app.conn();
                outbox::table
                    .filter(outbox::sent_at.is_null())
                    .count()
                    .get_result(&mut conn)
                    .unwrap()
            };
            let runs: i64 = {
                let mut conn = app.conn();
                digitalnetzwerk::db::schema::digest_runs::table
                    .count()
                    .get_result(&mut conn)
                    .unwrap()
            };
            if pending == 0 && runs as usize >= emails.len() && count(&app) >= emails.len() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
            waited += 1;
            assert!(
                waited < 2400,
                "digests were not all delivered after the restart"
            );
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let by = deliveries(&app.mail.all());
        for e in &emails {
            let ids = by.get(e).unwrap_or_else(|| panic!("{e} got no digest"));
            assert_eq!(ids.len(), 1, "{e} got {} digests", ids.len());
        }
        assert_eq!(
            digests_received(&app),
            emails.len(),
            "no digest went out twice"
        );
        // The mail on its way when the process died: handed over, delivered by the kernel,
        // settled as delivered after the restart instead of being sent again.
        let unconfirmed: i64 = outbox::table
            .filter(outbox::last_error.eq(digitalnetzwerk::notify::outbox::UNCONFIRMED))
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        eprintln!("SIGKILL after {at_kill} of 500 digests; {unconfirmed} settled as handed over");
        assert!(
            unconfirmed <= 1,
            "{unconfirmed} mails were in flight at once"
        );
    });
}

/// The recipients of the `.eml` files under `dir`, one entry per file.
fn mail_files_to(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter_map(|text| {
            text.lines().find_map(|l| l.strip_prefix("To: ")).map(|to| {
                // `Name <address>` or a bare address.
                let to = to.trim();
                to.rsplit_once('<')
                    .map_or(to, |(_, a)| a.trim_end_matches('>'))
                    .to_string()
            })
        })
        .collect()
}

/// #14 point 8: without SMTP every mail is written to a file under the data directory.
/// The real server is killed (SIGKILL) while it writes 300 digests and started again:
/// every digest is on disk afterwards (a mail whose hand-over was recorded before its
/// file was written would be settled as delivered and never written), and at most the
/// one in flight twice. `mail::tests::file_mode_writes_the_mail_before_the_hand_over_is_recorded`
/// pins the order itself.
#[test]
fn sigkill_while_writing_mail_files_loses_none() {
    let sys = actix_web::rt::System::new();
    sys.block_on(async {
        let app = crate::common::spawn_app(Db::Sqlite).await;
        let emails = digest_fixture(&app, 300);
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mail");
        let start = || {
            let mut cmd = binary_command(&app.database_url, app.mail.port, tmp.path());
            cmd.env_remove("SMTP_URL");
            cmd.spawn().unwrap()
        };
        let written = |e: &str| {
            mail_files_to(&dir)
                .iter()
                .filter(|t| t.as_str() == e)
                .count()
        };
        let digests = || {
            mail_files_to(&dir)
                .iter()
                .filter(|t| t.ends_with("@digest.example"))
                .count()
        };
        let mut child = start();
        let mut waited = 0;
        while digests() < 60 {
            std::thread::sleep(Duration::from_millis(10));
            waited += 1;
            assert!(waited < 6000, "the server wrote no mail files");
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let at_kill = digests();
        assert!(
            at_kill < emails.len(),
            "killed too late to test anything ({at_kill} written)"
        );
        let mut child = start();
        let mut waited = 0;
        while unsettled(&app, "%@digest.example") > 0 || digests() < emails.len() {
            std::thread::sleep(Duration::from_millis(50));
            waited += 1;
            assert!(
                waited < 2400,
                "not every digest was written after the restart ({} of {})",
                digests(),
                emails.len()
            );
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            app.mail.all().is_empty(),
            "file mode sent something over SMTP"
        );
        let lost: Vec<&String> = emails.iter().filter(|e| written(e) == 0).collect();
        assert!(lost.is_empty(), "lost across the crash: {lost:?}");
        let twice = emails.iter().filter(|e| written(e) > 1).count();
        eprintln!("SIGKILL after {at_kill} of 300 mail files; {twice} written twice");
        assert!(twice <= 1, "{twice} mails written twice");
    });
}
