//! Demo data for `seed --demo`: Kreis Höxter, its ten towns and the district
//! administration (from the reference data), the OZG catalogue, and demo accounts.
use diesel::prelude::*;

use crate::auth::password;
use crate::db::schema::{districts, municipalities, users};
use crate::db::{new_id, now, DbConn};
use crate::error::AppError;
use crate::ozg::import::{self, ImportError};
use crate::users::model::NewUser;

pub const DEMO_PASSWORD: &str = "Demo-Passwort-2026!";
pub const HOEXTER_KEY: &str = "05762";

/// (AGS, email prefix slug, officer name)
pub const TOWN_OFFICERS: [(&str, &str, &str); 10] = [
    ("05762004", "bad-driburg", "Miriam Hesse"),
    ("05762008", "beverungen", "Jonas Albers"),
    ("05762012", "borgentreich", "Claudia Franke"),
    ("05762016", "brakel", "Lena Vogt"),
    ("05762020", "hoexter", "Daniel Wiegand"),
    ("05762024", "marienmuenster", "Petra Lohmann"),
    ("05762028", "nieheim", "Stefan Kuhlmann"),
    ("05762032", "steinheim", "Anke Brinkmann"),
    ("05762036", "warburg", "Tobias Schröder"),
    ("05762040", "willebadessen", "Katrin Meyer"),
];

pub const MEMBERS: [(&str, &str, &str); 3] = [
    ("05762016", "team@brakel.example", "Martin Klein"),
    ("05762036", "team@warburg.example", "Eva Hoffmann"),
    ("05762028", "team@nieheim.example", "Sven Rüther"),
];

#[derive(Debug, Clone)]
pub struct DemoUser {
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub ags: Option<&'static str>,
}

pub fn demo_users() -> Vec<DemoUser> {
    let mut out = vec![
        DemoUser {
            email: "admin@digitalnetzwerk.example".into(),
            name: "Paul Betreiber".into(),
            role: "admin",
            ags: None,
        },
        DemoUser {
            email: "koordination@kreis-hoexter.example".into(),
            name: "Sabine Kramer".into(),
            role: "coordinator",
            ags: None,
        },
    ];
    for (ags, slug, name) in TOWN_OFFICERS {
        out.push(DemoUser {
            email: format!("digital@{slug}.example"),
            name: name.into(),
            role: "officer",
            ags: Some(ags),
        });
    }
    for (ags, email, name) in MEMBERS {
        out.push(DemoUser {
            email: email.into(),
            name: name.into(),
            role: "member",
            ags: Some(ags),
        });
    }
    out
}

/// True when no user exists yet (then `make run` seeds the demo).
pub fn is_empty(conn: &mut DbConn) -> Result<bool, AppError> {
    let n: i64 = users::table.count().get_result(conn)?;
    Ok(n == 0)
}

/// Imports the reference data and creates the demo accounts that do not exist yet.
pub fn seed_demo(conn: &mut DbConn, argon2_memory_kib: u32) -> Result<usize, ImportError> {
    import::import_bundled(conn)?;
    seed_accounts(conn, argon2_memory_kib)
}

/// The towns of Kreis Höxter and the demo accounts, without the OZG catalogue (used by tests).
pub fn seed_accounts(conn: &mut DbConn, argon2_memory_kib: u32) -> Result<usize, ImportError> {
    import::run(
        conn,
        import::ImportKind::Municipalities,
        import::bundled::MUNICIPALITIES,
    )?;
    // One hash for all demo accounts: they share the documented demo password.
    let hash = password::hash(DEMO_PASSWORD, argon2_memory_kib)?;
    conn.transaction(|conn| {
        let district_id: String = districts::table
            .filter(districts::key.eq(HOEXTER_KEY))
            .select(districts::id)
            .first(conn)?;
        let mut created = 0;
        for u in demo_users() {
            let exists: i64 = users::table
                .filter(users::email.eq(&u.email))
                .count()
                .get_result(conn)?;
            if exists > 0 {
                continue;
            }
            let municipality_id: Option<String> = match u.ags {
                Some(ags) => Some(
                    municipalities::table
                        .filter(municipalities::ags.eq(ags))
                        .select(municipalities::id)
                        .first(conn)?,
                ),
                None => None,
            };
            let t = now();
            diesel::insert_into(users::table)
                .values(NewUser {
                    id: new_id(),
                    email: u.email.clone(),
                    name: u.name.clone(),
                    password_hash: Some(hash.clone()),
                    role: u.role.into(),
                    locale: "de".into(),
                    district_id: if u.role == "admin" {
                        None
                    } else {
                        Some(district_id.clone())
                    },
                    municipality_id,
                    active: true,
                    version: 1,
                    created_at: t,
                    updated_at: t,
                })
                .execute(conn)?;
            created += 1;
        }
        Ok(created)
    })
}
