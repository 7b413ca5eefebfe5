//! The SQL filters that decide what lists show (users, invitations, support requests, EfA
//! proposals) and the `auth::policy` functions that decide single objects say the same,
//! for every role in every place against objects in every place (the projects' filters
//! are checked the same way in `hidden.rs`); and the permissions the SPA reads from
//! `GET /me` and the objects are the policy's answers.
use std::collections::BTreeSet;

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::both_backends;
use crate::common::{Session, TestApp};
use digitalnetzwerk::auth::model::{Actor, Role};
use digitalnetzwerk::auth::policy::{self, Scope};

both_backends!(
    list_filters_agree_with_the_policy,
    me_carries_the_policys_permissions,
    objects_carry_what_the_viewer_may_do,
);

/// Every account in the database, and for each role the places no account has: a
/// coordinator of the other district, a member of the other district's town.
fn actors(app: &TestApp) -> Vec<Actor> {
    use digitalnetzwerk::db::schema::users;
    use digitalnetzwerk::users::model::UserRow;
    let mut conn = app.conn();
    let rows: Vec<UserRow> = users::table
        .select(UserRow::as_select())
        .load(&mut conn)
        .unwrap();
    let mut out: Vec<Actor> = rows.iter().map(UserRow::actor).collect();
    let districts: BTreeSet<String> = out.iter().filter_map(|a| a.district_id.clone()).collect();
    for d in &districts {
        if !out
            .iter()
            .any(|a| a.role == Role::Coordinator && a.district_id.as_ref() == Some(d))
        {
            out.push(Actor {
                id: format!("coordinator-{d}"),
                role: Role::Coordinator,
                district_id: Some(d.clone()),
                municipality_id: None,
            });
        }
    }
    let towns: BTreeSet<(String, String)> = out
        .iter()
        .filter_map(|a| Some((a.district_id.clone()?, a.municipality_id.clone()?)))
        .collect();
    for (d, t) in towns {
        for role in [Role::Officer, Role::Member] {
            if !out
                .iter()
                .any(|a| a.role == role && a.municipality_id.as_ref() == Some(&t))
            {
                out.push(Actor {
                    id: format!("{}-{t}", role.as_str()),
                    role,
                    district_id: Some(d.clone()),
                    municipality_id: Some(t.clone()),
                });
            }
        }
    }
    out
}

fn ids(v: Vec<String>) -> BTreeSet<String> {
    v.into_iter().collect()
}

async fn accept_invitation(app: &TestApp, email: &str) {
    let mail = app.mail.wait_for(email).await;
    let token = mail
        .link_containing("/einladung/")
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/invitations/token/{token}/accept")))
        .json(&json!({"name": "Neue Person", "password": "Nethe-und-Weser-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
}

async fn list_filters_agree_with_the_policy(app: TestApp) {
    use digitalnetzwerk::api::Paging;
    use digitalnetzwerk::db::schema::{efa_solutions, invitations, support_requests, users};
    use digitalnetzwerk::efa::queries::visible_solutions;
    use digitalnetzwerk::support::model::SupportQuery;
    use digitalnetzwerk::users::model::UserRow;
    use digitalnetzwerk::users::queries::{invitations_visible_to, list_users, UserFilter};

    let outsider = app.other_district_officer().await;
    let admin = app.login("admin@digitalnetzwerk.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel = app.login("digital@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    let town = |s: &Session| s.me["municipality"]["id"].as_str().unwrap().to_string();
    let (t_brakel, t_warburg, t_away) = (town(&brakel), town(&warburg), town(&outsider));
    let away_district = outsider.me["district"]["id"].as_str().unwrap().to_string();

    // Invitations at every level: an admin, a coordinator of the other district, officers
    // and members of three towns; one of them accepted (a member in the other district).
    let invite = |s: &Session,
                  email: &str,
                  role: &str,
                  district: Option<&str>,
                  town: Option<&str>| {
        let body =
            json!({"email": email, "role": role, "district_id": district, "municipality_id": town});
        let (app, s, role) = (&app, s.clone(), role.to_string());
        async move {
            let r = app.post(&s, "/api/v1/invitations", body).await;
            assert_eq!(r.status(), 201, "invite {role}");
        }
    };
    invite(&admin, "betrieb@example.org", "admin", None, None).await;
    invite(
        &admin,
        "koordination@kreis-paderborn.example",
        "coordinator",
        Some(&away_district),
        None,
    )
    .await;
    invite(
        &coordinator,
        "neu@warburg.example",
        "officer",
        None,
        Some(&t_warburg),
    )
    .await;
    invite(
        &brakel,
        "neu@brakel.example",
        "member",
        None,
        Some(&t_brakel),
    )
    .await;
    invite(
        &outsider,
        "team@delbrueck.example",
        "member",
        None,
        Some(&t_away),
    )
    .await;
    accept_invitation(&app, "team@delbrueck.example").await;

    // Support requests of three towns, one opened by the district for a town.
    let open = |s: &Session, town: Option<&str>| {
        let body = json!({"category": "other", "title": "Bitte um Hilfe", "description": "Wir brauchen Unterstützung.", "municipality_id": town});
        let (app, s) = (&app, s.clone());
        async move {
            let r = app.post(&s, "/api/v1/support/requests", body).await;
            assert_eq!(r.status(), 201, "open support request");
        }
    };
    open(&brakel, None).await;
    open(&warburg, None).await;
    open(&outsider, None).await;
    open(&coordinator, Some(&t_brakel)).await;

    // EfA solutions: published by the district, proposals (drafts) of officers in both districts.
    for (s, name) in [
        (&coordinator, "Veröffentlichte Lösung"),
        (&brakel, "Vorschlag aus Brakel"),
        (&warburg, "Vorschlag aus Warburg"),
        (&outsider, "Vorschlag aus Delbrück"),
    ] {
        let r = app
            .post(
                s,
                "/api/v1/efa/solutions",
                json!({"name": name, "status": "pilot"}),
            )
            .await;
        assert_eq!(r.status(), 201, "{name}");
    }

    let mut conn = app.conn();
    let all_users: Vec<UserRow> = users::table
        .select(UserRow::as_select())
        .load(&mut conn)
        .unwrap();
    let all_invitations: Vec<(String, Option<String>, Option<String>)> = invitations::table
        .select((
            invitations::id,
            invitations::district_id,
            invitations::municipality_id,
        ))
        .load(&mut conn)
        .unwrap();
    let all_requests: Vec<(String, String, String)> = support_requests::table
        .select((
            support_requests::id,
            support_requests::district_id,
            support_requests::municipality_id,
        ))
        .load(&mut conn)
        .unwrap();
    let all_solutions: Vec<(String, bool, Option<String>, Option<String>)> = efa_solutions::table
        .select((
            efa_solutions::id,
            efa_solutions::published,
            efa_solutions::proposed_by,
            efa_solutions::proposed_district_id,
        ))
        .load(&mut conn)
        .unwrap();
    // The fixture spans every place, so the comparisons below can fail.
    assert!(all_invitations.len() >= 6 && all_requests.len() == 4);
    assert!(all_solutions.iter().filter(|s| !s.1).count() >= 3);
    assert!(all_solutions.iter().any(|s| s.1));
    assert!(all_users.len() >= 8);

    let actors = actors(&app);
    for role in Role::ALL {
        assert!(actors.iter().any(|a| a.role == role));
    }
    let everything = Paging {
        page: 1,
        limit: 1000,
    };
    let no_filter = SupportQuery {
        status: None,
        category: None,
        municipality_id: None,
        assignee_id: None,
        overdue: None,
        open: None,
        page: None,
        limit: None,
    };
    let mut nonempty = [0usize; 4];
    for a in &actors {
        // Users
        let want: BTreeSet<String> = all_users
            .iter()
            .filter(|u| policy::can_view_user(a, u.scope()))
            .map(|u| u.id.clone())
            .collect();
        let (rows, total) = list_users(&mut conn, a, &UserFilter::default(), everything).unwrap();
        assert_eq!(total as usize, rows.len());
        assert_eq!(
            ids(rows.into_iter().map(|u| u.id).collect()),
            want,
            "users for {a:?}"
        );
        nonempty[0] += usize::from(!want.is_empty());
        // Invitations
        let want: BTreeSet<String> = all_invitations
            .iter()
            .filter(|(_, d, m)| {
                policy::can_view_invitation(a, Scope::new(d.as_deref(), m.as_deref()))
            })
            .map(|i| i.0.clone())
            .collect();
        let got = invitations::table
            .filter(invitations_visible_to(a))
            .select(invitations::id)
            .load::<String>(&mut conn)
            .unwrap();
        assert_eq!(ids(got), want, "invitations for {a:?}");
        nonempty[1] += usize::from(!want.is_empty());
        // Support requests
        let want: BTreeSet<String> = all_requests
            .iter()
            .filter(|(_, d, m)| policy::can_read_support(a, Scope::new(Some(d), Some(m))))
            .map(|r| r.0.clone())
            .collect();
        let got = digitalnetzwerk::support::queries::filtered(a, &no_filter)
            .select(support_requests::id)
            .load::<String>(&mut conn)
            .unwrap();
        assert_eq!(ids(got), want, "support requests for {a:?}");
        nonempty[2] += usize::from(!want.is_empty());
        // EfA solutions, drafts included
        let want: BTreeSet<String> = all_solutions
            .iter()
            .filter(|(_, published, by, d)| {
                policy::can_read_efa_solution(a, *published, by.as_deref(), d.as_deref())
            })
            .map(|s| s.0.clone())
            .collect();
        let got = efa_solutions::table
            .filter(visible_solutions(a))
            .select(efa_solutions::id)
            .load::<String>(&mut conn)
            .unwrap();
        assert_eq!(ids(got), want, "EfA solutions for {a:?}");
        nonempty[3] += usize::from(want.len() > 1);
    }
    // Positive controls: most actors see something of each kind (and more than the
    // published solution), so an always-empty filter would not pass.
    assert!(nonempty.iter().all(|n| *n > 3), "{nonempty:?}");
}

async fn me_carries_the_policys_permissions(app: TestApp) {
    use digitalnetzwerk::db::schema::users;
    use digitalnetzwerk::users::model::UserRow;
    for (email, role) in [
        ("admin@digitalnetzwerk.example", "admin"),
        ("koordination@kreis-hoexter.example", "coordinator"),
        ("digital@brakel.example", "officer"),
        ("team@brakel.example", "member"),
    ] {
        let s = app.login(email).await;
        let me: Value = app.get(&s, "/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["role"], role);
        let row: UserRow = users::table
            .filter(users::email.eq(email))
            .select(UserRow::as_select())
            .first(&mut app.conn())
            .unwrap();
        let want = serde_json::to_value(policy::permissions(&row.actor())).unwrap();
        assert_eq!(me["permissions"], want, "permissions of {role}");
        // The drift the SPA had: the server lets admins and coordinators declare interest.
        assert_eq!(
            me["permissions"]["declare_funding_interest"],
            role != "member",
            "{role}"
        );
    }
    // The flag is what the server does: the coordinator declares a town's interest.
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let brakel = app.login("digital@brakel.example").await;
    let member = app.login("team@brakel.example").await;
    digitalnetzwerk::funding::seed::import_reference_programmes(&mut app.conn()).unwrap();
    let programmes: Value = app
        .get(&coordinator, "/api/v1/funding/programmes?limit=1")
        .await
        .json()
        .await
        .unwrap();
    let pid = programmes["items"][0]["id"]
        .as_str()
        .expect("a seeded programme");
    let town = brakel.me["municipality"]["id"].as_str().unwrap();
    let r = app
        .post(
            &coordinator,
            &format!("/api/v1/funding/programmes/{pid}/interest"),
            json!({"note": "Für Brakel", "municipality_id": town}),
        )
        .await;
    assert_eq!(r.status(), 204);
    let r = app
        .post(
            &member,
            &format!("/api/v1/funding/programmes/{pid}/interest"),
            json!({"note": "Auch Brakel"}),
        )
        .await;
    assert_eq!(r.status(), 403);
}

async fn objects_carry_what_the_viewer_may_do(app: TestApp) {
    let brakel = app.login("digital@brakel.example").await;
    let member = app.login("team@brakel.example").await;
    let warburg = app.login("digital@warburg.example").await;
    let coordinator = app.login("koordination@kreis-hoexter.example").await;
    let p: Value = app
        .post(
            &brakel,
            "/api/v1/projects",
            json!({"title": "Digitaler Bauantrag", "summary": "x"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = p["id"].as_str().unwrap();
    let flags = |s: &Session| {
        let (app, s) = (&app, s.clone());
        async move {
            let v: Value = app
                .get(&s, &format!("/api/v1/projects/{id}"))
                .await
                .json()
                .await
                .unwrap();
            (
                v["can_edit"].as_bool().unwrap(),
                v["can_manage_partners"].as_bool().unwrap(),
                v["can_ask_partnership"].as_bool().unwrap(),
            )
        }
    };
    assert_eq!(flags(&brakel).await, (true, true, false));
    assert_eq!(flags(&coordinator).await, (true, true, false));
    assert_eq!(flags(&member).await, (false, false, false));
    assert_eq!(flags(&warburg).await, (false, false, true));
    // The flag is what the server does: Warburg asks, and then need not ask again.
    let warburg_town = warburg.me["municipality"]["id"].as_str().unwrap();
    let r = app
        .post(
            &warburg,
            &format!("/api/v1/projects/{id}/partners"),
            json!({"municipality_id": warburg_town, "role": "interested"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(flags(&warburg).await, (false, false, false));

    // A support request: the town's officers and the district reply, members read.
    let r: Value = app
        .post(
            &brakel,
            "/api/v1/support/requests",
            json!({"category": "other", "title": "Hilfe", "description": "Bitte."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let rid = r["id"].as_str().unwrap();
    for (s, reply, triage) in [
        (&brakel, true, false),
        (&member, false, false),
        (&coordinator, true, true),
    ] {
        let v: Value = app
            .get(s, &format!("/api/v1/support/requests/{rid}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["can_reply"], reply, "{}", s.me["email"]);
        assert_eq!(v["can_triage"], triage, "{}", s.me["email"]);
    }
}
