//! List and search totals are exact for every role: compared with a brute-force count
//! over generated data (the policy function applied to every project in Rust).
use diesel::prelude::*;
use serde_json::Value;

use crate::both_backends;
use crate::common::{Session, TestApp};

both_backends!(list_and_search_totals_equal_a_brute_force_count_for_every_role);

/// Sessions of every kind of viewer, with the actor the policy sees.
async fn viewers(app: &TestApp) -> Vec<(Session, digitalnetzwerk::auth::model::Actor)> {
    use digitalnetzwerk::auth::model::{Actor, Role};
    use digitalnetzwerk::db::schema::users;
    let mut sessions = Vec::new();
    for email in [
        "admin@digitalnetzwerk.example",
        "koordination@kreis-hoexter.example",
        "digital@brakel.example",
        "team@warburg.example",
    ] {
        sessions.push(app.login(email).await);
    }
    sessions.push(app.other_district_officer().await);
    let mut conn = app.conn();
    sessions
        .into_iter()
        .map(|s| {
            let id = s.me["id"].as_str().unwrap().to_string();
            let (role, district_id, municipality_id): (String, Option<String>, Option<String>) =
                users::table
                    .find(&id)
                    .select((users::role, users::district_id, users::municipality_id))
                    .first(&mut conn)
                    .unwrap();
            let actor = Actor {
                id,
                role: Role::parse(&role).unwrap(),
                district_id,
                municipality_id,
            };
            (s, actor)
        })
        .collect()
}

async fn list_and_search_totals_equal_a_brute_force_count_for_every_role(app: TestApp) {
    use digitalnetzwerk::auth::policy::{can_read_project, Scope};
    use digitalnetzwerk::db::schema::{projects, users};
    use digitalnetzwerk::users::model::UserRow;
    let viewers = viewers(&app).await;
    // 2,200 projects in Kreis Höxter and 600 in a synthetic district: more hits for one
    // word than any cut-off a search might apply before visibility.
    {
        let url = app.database_url.clone();
        actix_web::web::block(move || {
            let mut conn = digitalnetzwerk::db::establish(&url).unwrap();
            let officers: Vec<UserRow> = users::table
                .filter(users::role.eq("officer"))
                .filter(users::municipality_id.is_not_null())
                .select(UserRow::as_select())
                .load(&mut conn)
                .unwrap();
            digitalnetzwerk::db::write_transaction(&mut conn, |conn| {
                let home: Vec<(&UserRow, &str, &str)> = officers
                    .iter()
                    .map(|u| {
                        (
                            u,
                            u.municipality_id.as_deref().unwrap(),
                            u.district_id.as_deref().unwrap(),
                        )
                    })
                    .collect();
                digitalnetzwerk::ops::generate::add_projects(conn, &home, 0, 2_200)?;
                let towns = digitalnetzwerk::ops::generate::add_district(conn, 1)?;
                let away: Vec<(&UserRow, &str, &str)> = towns
                    .iter()
                    .zip(officers.iter().cycle())
                    .map(|((t, d), u)| (u, t.as_str(), d.as_str()))
                    .collect();
                digitalnetzwerk::ops::generate::add_projects(conn, &away, 2_200, 600)
            })
            .unwrap();
        })
        .await
        .unwrap();
    }
    let all: Vec<(String, String, String, String, String, String)> = projects::table
        .select((
            projects::id,
            projects::district_id,
            projects::municipality_id,
            projects::visibility,
            projects::title,
            projects::summary,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert!(all.len() >= 2_800);
    // Words of the generated text: in every project, in 5 % of them, in none.
    let queries: [(&str, Option<&str>); 4] = [
        ("", None),
        ("Partner", Some("partner")),
        ("Glasfaser", Some("glasfaser")),
        ("Quantencomputer", Some("quantencomputer")),
    ];
    let mut checked = 0;
    for (session, actor) in &viewers {
        for (q, needle) in queries {
            let expected = all
                .iter()
                .filter(|(_, d, m, v, _, _)| {
                    can_read_project(Some(actor), Scope::new(Some(d), Some(m)), v)
                })
                .filter(|(_, _, _, _, t, s)| {
                    needle.is_none_or(|n| format!("{t} {s}").to_lowercase().contains(n))
                })
                .count();
            let page: Value = app
                .get(session, &format!("/api/v1/projects?q={q}&limit=5"))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(
                page["total"].as_u64().unwrap() as usize,
                expected,
                "total of {q:?} for {:?}",
                actor.role
            );
            assert_eq!(page["items"].as_array().unwrap().len(), expected.min(5));
            checked += 1;
        }
    }
    assert_eq!(checked, 20);
}
