//! OZG coverage: which OZG services a town or district offers through a live EfA
//! adoption or a live project — counted only from what the viewer may see.
use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::model::Actor;
use crate::db::schema::{
    adoptions, efa_solution_ozg, municipalities, ozg_services, project_ozg_services, projects,
    themenfelder,
};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::projects::visibility::visible_to;

/// OZG ids covered by `towns`: live adoptions plus live projects `viewer` may see.
pub fn covered_ids(conn: &mut DbConn, viewer: &Actor, towns: &[String]) -> AppResult<HashSet<i32>> {
    let mut out: HashSet<i32> = adoptions::table
        .inner_join(
            efa_solution_ozg::table.on(efa_solution_ozg::solution_id.eq(adoptions::solution_id)),
        )
        .filter(adoptions::municipality_id.eq_any(towns))
        .filter(adoptions::status.eq("live"))
        .select(efa_solution_ozg::ozg_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    // Live projects the viewer may see; their OZG services are filtered against that set
    // (binding every visible id would cost more than the join).
    let live: HashSet<String> = projects::table
        .filter(visible_to(Some(viewer)))
        .filter(projects::municipality_id.eq_any(towns))
        .filter(projects::status.eq("live"))
        .select(projects::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    out.extend(
        project_ozg_services::table
            .inner_join(projects::table)
            .filter(projects::municipality_id.eq_any(towns))
            .filter(projects::status.eq("live"))
            .select((
                project_ozg_services::project_id,
                project_ozg_services::ozg_id,
            ))
            .load::<(String, i32)>(conn)?
            .into_iter()
            .filter(|(p, _)| live.contains(p))
            .map(|(_, o)| o),
    );
    Ok(out)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemenfeldCoverage {
    pub id: i32,
    pub name: String,
    pub total: i64,
    pub covered: i64,
    pub percent: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Gap {
    pub ozg_id: i32,
    pub name: String,
    pub themenfeld: String,
    /// How many other districts cover it.
    pub other_districts: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Coverage {
    pub district_id: String,
    pub municipality_id: Option<String>,
    pub total: i64,
    pub covered: i64,
    pub percent: f64,
    pub themenfelder: Vec<ThemenfeldCoverage>,
    /// The covered OZG ids, ascending.
    pub covered_ozg_ids: Vec<i32>,
    /// Services nobody in the district covers yet, but another district does (district view only).
    pub covered_elsewhere: Vec<Gap>,
}

fn percent(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Coverage of one town (`municipality_id`) or of the whole district.
pub fn coverage(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    municipality_id: Option<&str>,
) -> AppResult<Coverage> {
    let towns: Vec<String> = match municipality_id {
        Some(m) => vec![m.to_string()],
        None => municipalities::table
            .filter(municipalities::district_id.eq(district_id))
            .select(municipalities::id)
            .load(conn)?,
    };
    let covered = covered_ids(conn, viewer, &towns)?;
    let services: Vec<(i32, String, i32, String)> = ozg_services::table
        .inner_join(themenfelder::table)
        .select((
            ozg_services::ozg_id,
            ozg_services::name,
            themenfelder::id,
            themenfelder::name,
        ))
        .load(conn)?;
    let mut per_tf: BTreeMap<(String, i32), (i64, i64)> = BTreeMap::new();
    for (ozg, _, tf, tf_name) in &services {
        let e = per_tf.entry((tf_name.clone(), *tf)).or_default();
        e.0 += 1;
        if covered.contains(ozg) {
            e.1 += 1;
        }
    }
    let total = services.len() as i64;
    let covered_count = services.iter().filter(|s| covered.contains(&s.0)).count() as i64;
    let covered_elsewhere = if municipality_id.is_none() {
        // Which other districts cover what, in two queries however many districts there are.
        let mut districts_of: HashMap<i32, HashSet<String>> = HashMap::new();
        for (district, ozg) in adoptions::table
            .inner_join(
                efa_solution_ozg::table
                    .on(efa_solution_ozg::solution_id.eq(adoptions::solution_id)),
            )
            .filter(adoptions::district_id.ne(district_id))
            .filter(adoptions::status.eq("live"))
            .select((adoptions::district_id, efa_solution_ozg::ozg_id))
            .load::<(String, i32)>(conn)?
        {
            districts_of.entry(ozg).or_default().insert(district);
        }
        let live_elsewhere: Vec<(String, String)> = projects::table
            .filter(visible_to(Some(viewer)))
            .filter(projects::district_id.ne(district_id))
            .filter(projects::status.eq("live"))
            .select((projects::id, projects::district_id))
            .load(conn)?;
        let district_of_project: HashMap<&str, &str> = live_elsewhere
            .iter()
            .map(|(p, d)| (p.as_str(), d.as_str()))
            .collect();
        let ids: Vec<&str> = district_of_project.keys().copied().collect();
        for (project, ozg) in project_ozg_services::table
            .filter(project_ozg_services::project_id.eq_any(&ids))
            .select((
                project_ozg_services::project_id,
                project_ozg_services::ozg_id,
            ))
            .load::<(String, i32)>(conn)?
        {
            if let Some(d) = district_of_project.get(project.as_str()) {
                districts_of.entry(ozg).or_default().insert(d.to_string());
            }
        }
        let counts: HashMap<i32, i64> = districts_of
            .into_iter()
            .map(|(k, v)| (k, v.len() as i64))
            .collect();
        let mut gaps: Vec<Gap> = services
            .iter()
            .filter(|s| !covered.contains(&s.0))
            .filter_map(|(ozg, name, _, tf)| {
                counts.get(ozg).map(|n| Gap {
                    ozg_id: *ozg,
                    name: name.clone(),
                    themenfeld: tf.clone(),
                    other_districts: *n,
                })
            })
            .collect();
        gaps.sort_by(|a, b| {
            b.other_districts
                .cmp(&a.other_districts)
                .then(a.ozg_id.cmp(&b.ozg_id))
        });
        gaps
    } else {
        Vec::new()
    };
    let mut ids: Vec<i32> = covered
        .into_iter()
        .filter(|id| services.iter().any(|s| s.0 == *id))
        .collect();
    ids.sort();
    Ok(Coverage {
        district_id: district_id.to_string(),
        municipality_id: municipality_id.map(str::to_string),
        total,
        covered: covered_count,
        percent: percent(covered_count, total),
        themenfelder: per_tf
            .into_iter()
            .map(|((name, id), (t, c))| ThemenfeldCoverage {
                id,
                name,
                total: t,
                covered: c,
                percent: percent(c, t),
            })
            .collect(),
        covered_ozg_ids: ids,
        covered_elsewhere,
    })
}

/// (covered, total) OZG services of a whole district, for the dashboard.
pub fn coverage_counts(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
) -> AppResult<(i64, i64)> {
    let towns: Vec<String> = municipalities::table
        .filter(municipalities::district_id.eq(district_id))
        .select(municipalities::id)
        .load(conn)?;
    let covered = covered_ids(conn, viewer, &towns)?;
    let total: i64 = ozg_services::table.count().get_result(conn)?;
    let known: i64 = ozg_services::table
        .filter(ozg_services::ozg_id.eq_any(covered.iter().copied().collect::<Vec<_>>()))
        .count()
        .get_result(conn)?;
    Ok((known, total))
}
