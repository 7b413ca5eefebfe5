//! Reading and writing EfA solutions, adoptions with their history, experience
//! reports and the district's adoption matrix. Lists load related rows with one
//! query per relation, never one per row.
// Diesel select tuples spell out their column types here; naming each would not help a reader.
#![allow(clippy::type_complexity)]
use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use serde_json::json;

use super::model::*;
use crate::api::{Page, Paging};
use crate::audit::{self, Entry};
use crate::auth::model::{Actor, Role};
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    adoption_history, adoptions, efa_solution_ozg, efa_solutions, experience_reports,
    municipalities, ozg_services, projects, themenfelder, users,
};
use crate::db::utc;
use crate::db::{contains_pattern, lower, new_id, now, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::events::{self, Event};

/// Published solutions, plus the unpublished proposals the viewer may see (own, or the
/// coordinator's district): `auth::policy::can_read_efa_solution` as a query filter
/// (`tests/api/policy_agreement.rs` checks that both agree).
pub fn visible_solutions(
    viewer: &Actor,
) -> Box<
    dyn BoxableExpression<
        efa_solutions::table,
        crate::projects::visibility::Backend,
        SqlType = diesel::sql_types::Bool,
    >,
> {
    match viewer.role {
        Role::Admin => Box::new(efa_solutions::id.is_not_null()),
        Role::Coordinator => Box::new(
            efa_solutions::published
                .eq(true)
                .or(efa_solutions::proposed_district_id
                    .assume_not_null()
                    .eq(viewer.district_id.clone().unwrap_or_default())),
        ),
        _ => Box::new(
            efa_solutions::published
                .eq(true)
                .or(efa_solutions::proposed_by
                    .assume_not_null()
                    .eq(viewer.id.clone())),
        ),
    }
}

pub fn solutions_out(conn: &mut DbConn, rows: Vec<SolutionRow>) -> AppResult<Vec<EfaSolution>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut ozg_of: HashMap<String, Vec<OzgRef>> = HashMap::new();
    for (sid, ozg_id, name) in efa_solution_ozg::table
        .inner_join(ozg_services::table)
        .filter(efa_solution_ozg::solution_id.eq_any(&ids))
        .select((
            efa_solution_ozg::solution_id,
            ozg_services::ozg_id,
            ozg_services::name,
        ))
        .order(ozg_services::ozg_id.asc())
        .load::<(String, i32, String)>(conn)?
    {
        ozg_of.entry(sid).or_default().push(OzgRef { ozg_id, name });
    }
    let mut counts: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
    for (sid, status, n) in adoptions::table
        .filter(adoptions::solution_id.eq_any(&ids))
        .group_by((adoptions::solution_id, adoptions::status))
        .select((
            adoptions::solution_id,
            adoptions::status,
            diesel::dsl::count_star(),
        ))
        .load::<(String, String, i64)>(conn)?
    {
        counts.entry(sid).or_default().insert(status, n);
    }
    let tf_names: HashMap<i32, String> = themenfelder::table
        .select((themenfelder::id, themenfelder::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| EfaSolution {
            ozg_services: ozg_of.remove(&r.id).unwrap_or_default(),
            adoption_counts: counts.remove(&r.id).unwrap_or_default(),
            themenfeld: r.themenfeld_id.and_then(|t| tf_names.get(&t).cloned()),
            status: SolutionStatus::parse(&r.status),
            reuse_model: ReuseModel::parse(&r.reuse_model),
            requirements: r
                .requirements
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            updated_at: utc(r.updated_at),
            id: r.id,
            name: r.name,
            description: r.description,
            themenfeld_id: r.themenfeld_id,
            lead_state: r.lead_state,
            lead_body: r.lead_body,
            it_provider: r.it_provider,
            reuse_conditions: r.reuse_conditions,
            website: r.website,
            contact: r.contact,
            published: r.published,
            version: r.version,
        })
        .collect())
}

/// The names a notification about an adoption shows: the solution's and the town's.
fn adoption_names(
    conn: &mut DbConn,
    solution_id: &str,
    town_id: &str,
) -> AppResult<(String, String)> {
    let solution = efa_solutions::table
        .find(solution_id)
        .select(efa_solutions::name)
        .first::<String>(conn)?;
    let town = municipalities::table
        .find(town_id)
        .select(municipalities::name)
        .first::<String>(conn)?;
    Ok((solution, town))
}

pub fn load_solution(conn: &mut DbConn, viewer: &Actor, id: &str) -> AppResult<SolutionRow> {
    efa_solutions::table
        .filter(efa_solutions::id.eq(id))
        .filter(visible_solutions(viewer))
        .select(SolutionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub fn write_ozg(conn: &mut DbConn, id: &str, ids: &[i32]) -> AppResult<()> {
    let known: Vec<i32> = ozg_services::table
        .filter(ozg_services::ozg_id.eq_any(ids))
        .select(ozg_services::ozg_id)
        .load(conn)?;
    if let Some(bad) = ids.iter().find(|i| !known.contains(i)) {
        return Err(AppError::field(
            "ozg_ids",
            &format!("Die OZG-Leistung {bad} gibt es im Katalog nicht."),
        ));
    }
    diesel::delete(efa_solution_ozg::table.filter(efa_solution_ozg::solution_id.eq(id)))
        .execute(conn)?;
    for o in ids {
        diesel::insert_into(efa_solution_ozg::table)
            .values((
                efa_solution_ozg::solution_id.eq(id),
                efa_solution_ozg::ozg_id.eq(o),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn adoptions_out(
    conn: &mut DbConn,
    viewer: &Actor,
    rows: Vec<AdoptionRow>,
) -> AppResult<Vec<Adoption>> {
    let town_ids: Vec<String> = rows.iter().map(|r| r.municipality_id.clone()).collect();
    let sol_ids: Vec<String> = rows.iter().map(|r| r.solution_id.clone()).collect();
    let towns: HashMap<String, String> = municipalities::table
        .filter(municipalities::id.eq_any(&town_ids))
        .select((municipalities::id, municipalities::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let sols: HashMap<String, String> = efa_solutions::table
        .filter(efa_solutions::id.eq_any(&sol_ids))
        .select((efa_solutions::id, efa_solutions::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    // The linked project only where the viewer may read it: one query for the page.
    let project_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.project_id.as_deref())
        .collect();
    let readable: HashSet<String> = if project_ids.is_empty() {
        HashSet::new()
    } else {
        projects::table
            .filter(projects::id.eq_any(&project_ids))
            .filter(crate::projects::visibility::visible_to(Some(viewer)))
            .select(projects::id)
            .load::<String>(conn)?
            .into_iter()
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let can_edit = policy::can_record_adoption(
                viewer,
                Scope::new(Some(&r.district_id), Some(&r.municipality_id)),
            );
            let status = r.status();
            Adoption {
                municipality_name: towns.get(&r.municipality_id).cloned().unwrap_or_default(),
                solution_name: sols.get(&r.solution_id).cloned().unwrap_or_default(),
                next_statuses: if can_edit {
                    status.next().to_vec()
                } else {
                    vec![]
                },
                can_edit,
                status,
                updated_at: utc(r.updated_at),
                id: r.id,
                solution_id: r.solution_id,
                municipality_id: r.municipality_id,
                contact_name: r.contact_name,
                notes: r.notes,
                decline_reason: r.decline_reason,
                project_id: r.project_id.filter(|p| readable.contains(p)),
                version: r.version,
            }
        })
        .collect())
}

pub fn check_adoption_fields(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    i: &AdoptionInput,
) -> AppResult<()> {
    let mut e = Errors::new();
    if i.contact_name.as_ref().is_some_and(|c| {
        crate::text::check_line(&mut e, "contact_name", c.trim()) && c.chars().count() > 200
    }) {
        e.push("contact_name", "Höchstens 200 Zeichen.");
    }
    if i.notes.as_ref().is_some_and(|c| c.chars().count() > 5_000) {
        e.push("notes", "Höchstens 5 000 Zeichen.");
    }
    if let Some(p) = &i.project_id {
        match crate::projects::queries::visible_project(conn, Some(viewer), p)? {
            Some(row) if row.district_id == district_id => {}
            _ => e.push(
                "project_id",
                "Dieses Projekt gibt es nicht oder es gehört zu einem anderen Kreis.",
            ),
        }
    }
    e.finish()
}

pub fn load_adoption(conn: &mut DbConn, id: &str) -> AppResult<AdoptionRow> {
    adoptions::table
        .find(id)
        .select(AdoptionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

pub type HistoryTuple = (
    Option<String>,
    String,
    String,
    Option<String>,
    chrono::NaiveDateTime,
);

pub fn reports_of(conn: &mut DbConn, solution_id: &str) -> AppResult<Vec<ExperienceReport>> {
    let rows: Vec<(
        String,
        String,
        Option<String>,
        String,
        i32,
        chrono::NaiveDateTime,
    )> = experience_reports::table
        .inner_join(
            municipalities::table.on(municipalities::id.eq(experience_reports::municipality_id)),
        )
        .left_join(users::table.on(users::id.nullable().eq(experience_reports::author_id)))
        .filter(experience_reports::solution_id.eq(solution_id))
        .select((
            experience_reports::id,
            municipalities::name,
            users::name.nullable(),
            experience_reports::body,
            experience_reports::rating,
            experience_reports::created_at,
        ))
        .order((
            experience_reports::created_at.desc(),
            experience_reports::id.asc(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, municipality_name, author_name, body, rating, at)| ExperienceReport {
                id,
                municipality_name,
                author_name,
                body_html: crate::markdown::to_html(&body),
                body,
                rating,
                created_at: utc(at),
            },
        )
        .collect())
}

pub fn matrix(
    conn: &mut DbConn,
    actor: &Actor,
    district_id: &str,
    themenfeld_id: Option<i32>,
) -> AppResult<AdoptionMatrix> {
    let towns: Vec<(String, String)> = municipalities::table
        .filter(municipalities::district_id.eq(district_id))
        .filter(municipalities::kind.ne("district_administration"))
        .select((municipalities::id, municipalities::name))
        .order(municipalities::name.asc())
        .load(conn)?;
    let mut sq = efa_solutions::table
        .filter(visible_solutions(actor))
        .filter(efa_solutions::published.eq(true))
        .into_boxed();
    if let Some(t) = themenfeld_id {
        sq = sq.filter(efa_solutions::themenfeld_id.eq(t));
    }
    let solutions: Vec<(String, String)> = sq
        .select((efa_solutions::id, efa_solutions::name))
        .order(efa_solutions::name.asc())
        .load(conn)?;
    let sol_ids: Vec<&str> = solutions.iter().map(|s| s.0.as_str()).collect();
    let rows: Vec<(String, String, String, String)> = adoptions::table
        .filter(adoptions::district_id.eq(district_id))
        .filter(adoptions::solution_id.eq_any(&sol_ids))
        .select((
            adoptions::municipality_id,
            adoptions::solution_id,
            adoptions::id,
            adoptions::status,
        ))
        // A stable order, the same on both backends (the cells follow the adoptions).
        .order(adoptions::id.asc())
        .load(conn)?;
    let mut cells = Vec::new();
    let mut per_town: HashMap<String, (i64, i64)> = HashMap::new();
    let mut per_sol: HashMap<String, (i64, i64)> = HashMap::new();
    for (m, s, a, st) in rows {
        let status = AdoptionStatus::parse(&st).unwrap_or(AdoptionStatus::Interested);
        if status != AdoptionStatus::Declined {
            per_town.entry(m.clone()).or_default().0 += 1;
            per_sol.entry(s.clone()).or_default().0 += 1;
        }
        if status == AdoptionStatus::Live {
            per_town.entry(m.clone()).or_default().1 += 1;
            per_sol.entry(s.clone()).or_default().1 += 1;
        }
        cells.push(MatrixCell {
            municipality_id: m,
            solution_id: s,
            adoption_id: a,
            status,
        });
    }
    Ok(AdoptionMatrix {
        district_id: district_id.to_string(),
        towns: towns
            .into_iter()
            .map(|(id, name)| {
                let (active, live) = per_town.get(&id).copied().unwrap_or_default();
                MatrixTown {
                    id,
                    name,
                    active,
                    live,
                }
            })
            .collect(),
        solutions: solutions
            .into_iter()
            .map(|(id, name)| {
                let (active, live) = per_sol.get(&id).copied().unwrap_or_default();
                MatrixSolution {
                    id,
                    name,
                    active,
                    live,
                }
            })
            .collect(),
        cells,
    })
}

pub fn list_solutions(
    conn: &mut DbConn,
    actor: Actor,
    q: SolutionQuery,
    paging: Paging,
) -> AppResult<Page<EfaSolution>> {
    let filtered = || {
        let mut query = efa_solutions::table
            .filter(visible_solutions(&actor))
            .into_boxed();
        if let Some(t) = q.themenfeld_id {
            query = query.filter(efa_solutions::themenfeld_id.eq(t));
        }
        if let Some(s) = q.status {
            query = query.filter(efa_solutions::status.eq(s.as_str()));
        }
        if let Some(l) = &q.lead_state {
            query = query.filter(efa_solutions::lead_state.eq(l.clone()));
        }
        if let Some(text) = q.q.as_deref().filter(|t| !t.trim().is_empty()) {
            query = query.filter(
                lower(efa_solutions::name)
                    .like(contains_pattern(text))
                    .escape('\\'),
            );
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<SolutionRow> = filtered()
        .select(SolutionRow::as_select())
        .order((efa_solutions::name.asc(), efa_solutions::id.asc()))
        .limit(paging.limit)
        .offset(paging.offset())
        .load(conn)?;
    Ok(Page::new(solutions_out(conn, rows)?, paging, total))
}

pub fn solution_detail(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
) -> AppResult<(SolutionDetail, i32)> {
    let row = load_solution(conn, &actor, &id)?;
    let version = row.version;
    let solution = solutions_out(conn, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)?;
    let rows: Vec<AdoptionRow> = adoptions::table
        .inner_join(municipalities::table)
        .filter(adoptions::solution_id.eq(&id))
        .select(AdoptionRow::as_select())
        .order(municipalities::name.asc())
        .load(conn)?;
    let adoptions = adoptions_out(conn, &actor, rows)?;
    let reports = reports_of(conn, &id)?;
    Ok((
        SolutionDetail {
            solution,
            adoptions,
            reports,
            can_edit: policy::can_edit_efa_catalogue(&actor),
        },
        version,
    ))
}

pub fn create_solution(
    conn: &mut DbConn,
    actor: Actor,
    v: SolutionValues,
) -> AppResult<EfaSolution> {
    let id = new_id();
    let t = now();
    let published = policy::can_edit_efa_catalogue(&actor);
    diesel::insert_into(efa_solutions::table)
        .values((
            efa_solutions::id.eq(&id),
            efa_solutions::name.eq(&v.name),
            efa_solutions::description.eq(&v.description),
            efa_solutions::themenfeld_id.eq(v.themenfeld_id),
            efa_solutions::lead_state.eq(&v.lead_state),
            efa_solutions::lead_body.eq(&v.lead_body),
            efa_solutions::it_provider.eq(&v.it_provider),
            efa_solutions::status.eq(v.status.as_str()),
            efa_solutions::reuse_model.eq(v.reuse_model.as_str()),
            efa_solutions::reuse_conditions.eq(&v.reuse_conditions),
            efa_solutions::requirements.eq(&v.requirements),
            efa_solutions::website.eq(&v.website),
            efa_solutions::contact.eq(&v.contact),
            efa_solutions::published.eq(published),
            efa_solutions::proposed_by.eq((!published).then(|| actor.id.clone())),
            efa_solutions::proposed_district_id.eq(if published {
                None
            } else {
                actor.district_id.clone()
            }),
            efa_solutions::created_at.eq(t),
            efa_solutions::updated_at.eq(t),
            efa_solutions::version.eq(1),
        ))
        .execute(conn)?;
    if let Some(ids) = &v.ozg_ids {
        write_ozg(conn, &id, ids)?;
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: if published {
                "efa.create"
            } else {
                "efa.propose"
            },
            object_type: "efa_solution",
            object_id: &id,
            district_id: actor.district_id.as_deref(),
            municipality_id: actor.municipality_id.as_deref(),
            summary: json!({"name": v.name}),
        },
    )?;
    let row = load_solution(conn, &actor, &id)?;
    solutions_out(conn, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn update_solution(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    input: SolutionInput,
) -> AppResult<EfaSolution> {
    let row = load_solution(conn, &actor, &id)?;
    let v = solution_values(&input, Some(&row))?;
    let n = diesel::update(
        efa_solutions::table
            .find(&id)
            .filter(efa_solutions::version.eq(version)),
    )
    .set((
        efa_solutions::name.eq(&v.name),
        efa_solutions::description.eq(&v.description),
        efa_solutions::themenfeld_id.eq(v.themenfeld_id),
        efa_solutions::lead_state.eq(&v.lead_state),
        efa_solutions::lead_body.eq(&v.lead_body),
        efa_solutions::it_provider.eq(&v.it_provider),
        efa_solutions::status.eq(v.status.as_str()),
        efa_solutions::reuse_model.eq(v.reuse_model.as_str()),
        efa_solutions::reuse_conditions.eq(&v.reuse_conditions),
        efa_solutions::requirements.eq(&v.requirements),
        efa_solutions::website.eq(&v.website),
        efa_solutions::contact.eq(&v.contact),
        efa_solutions::updated_at.eq(now()),
        efa_solutions::version.eq(efa_solutions::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    if let Some(ids) = &v.ozg_ids {
        write_ozg(conn, &id, ids)?;
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "efa.update",
            object_type: "efa_solution",
            object_id: &id,
            district_id: actor.district_id.as_deref(),
            municipality_id: None,
            summary: json!({"name": v.name}),
        },
    )?;
    let row = load_solution(conn, &actor, &id)?;
    solutions_out(conn, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn publish_solution(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<EfaSolution> {
    load_solution(conn, &actor, &id)?;
    diesel::update(efa_solutions::table.find(&id))
        .set((
            efa_solutions::published.eq(true),
            efa_solutions::updated_at.eq(now()),
            efa_solutions::version.eq(efa_solutions::version + 1),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "efa.publish",
            object_type: "efa_solution",
            object_id: &id,
            district_id: actor.district_id.as_deref(),
            municipality_id: None,
            summary: json!({}),
        },
    )?;
    let row = load_solution(conn, &actor, &id)?;
    solutions_out(conn, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn create_adoption(
    conn: &mut DbConn,
    actor: Actor,
    sid: String,
    input: AdoptionInput,
) -> AppResult<Adoption> {
    let solution = load_solution(conn, &actor, &sid)?;
    let town_id = input
        .municipality_id
        .clone()
        .or(actor.municipality_id.clone())
        .ok_or_else(|| AppError::field("municipality_id", "Bitte die Kommune wählen."))?;
    let town: Option<(String, String)> = municipalities::table
        .find(&town_id)
        .select((municipalities::id, municipalities::district_id))
        .first(conn)
        .optional()?;
    let Some((town_id, district_id)) = town else {
        return Err(AppError::field(
            "municipality_id",
            "Diese Kommune gibt es nicht.",
        ));
    };
    if !policy::can_record_adoption(&actor, Scope::new(Some(&district_id), Some(&town_id))) {
        return Err(AppError::Forbidden);
    }
    check_adoption_fields(conn, &actor, &district_id, &input)?;
    let exists: i64 = adoptions::table
        .filter(adoptions::solution_id.eq(&sid))
        .filter(adoptions::municipality_id.eq(&town_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(AppError::Conflict(
            "Diese Kommune hat für diese Lösung schon einen Eintrag.".into(),
        ));
    }
    let id = new_id();
    let t = now();
    diesel::insert_into(adoptions::table)
        .values((
            adoptions::id.eq(&id),
            adoptions::solution_id.eq(&sid),
            adoptions::municipality_id.eq(&town_id),
            adoptions::district_id.eq(&district_id),
            adoptions::status.eq(AdoptionStatus::Interested.as_str()),
            adoptions::contact_name.eq(&input.contact_name),
            adoptions::notes.eq(input.notes.clone().unwrap_or_default()),
            adoptions::project_id.eq(&input.project_id),
            adoptions::created_at.eq(t),
            adoptions::updated_at.eq(t),
            adoptions::version.eq(1),
        ))
        .execute(conn)?;
    diesel::insert_into(adoption_history::table)
        .values((
            adoption_history::id.eq(new_id()),
            adoption_history::adoption_id.eq(&id),
            adoption_history::from_status.eq(None::<String>),
            adoption_history::to_status.eq(AdoptionStatus::Interested.as_str()),
            adoption_history::note.eq(""),
            adoption_history::changed_by.eq(Some(&actor.id)),
            adoption_history::changed_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "adoption.create",
            object_type: "adoption",
            object_id: &id,
            district_id: Some(&district_id),
            municipality_id: Some(&town_id),
            summary: json!({"solution": solution.name, "status": "interested"}),
        },
    )?;
    let names = adoption_names(conn, &sid, &town_id)?;
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb: "adoption.created",
            object_type: "adoption",
            object_id: &id,
            project_id: None,
            district_id: Some(&district_id),
            municipality_id: Some(&town_id),
            visibility: Some("district"),
            target_user_id: None,
            payload: json!({"solution": solution.name, "solution_id": sid,
                "status": "interested", "town": names.1}),
        },
    )?;
    let row: AdoptionRow = adoptions::table
        .find(&id)
        .select(AdoptionRow::as_select())
        .first(conn)?;
    adoptions_out(conn, &actor, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn adoption(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<Adoption> {
    let row = load_adoption(conn, &id)?;
    adoptions_out(conn, &actor, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn update_adoption(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    input: AdoptionInput,
) -> AppResult<Adoption> {
    let row = load_adoption(conn, &id)?;
    if !policy::can_record_adoption(
        &actor,
        Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
    ) {
        return Err(AppError::Forbidden);
    }
    check_adoption_fields(conn, &actor, &row.district_id, &input)?;
    let n = diesel::update(
        adoptions::table
            .find(&id)
            .filter(adoptions::version.eq(version)),
    )
    .set((
        adoptions::contact_name.eq(input.contact_name.clone().or(row.contact_name.clone())),
        adoptions::notes.eq(input.notes.clone().unwrap_or(row.notes.clone())),
        adoptions::project_id.eq(input.project_id.clone().or(row.project_id.clone())),
        adoptions::updated_at.eq(now()),
        adoptions::version.eq(adoptions::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "adoption.update",
            object_type: "adoption",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({}),
        },
    )?;
    let row = load_adoption(conn, &id)?;
    adoptions_out(conn, &actor, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn change_adoption_status(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    change: AdoptionStatusChange,
    reason: Option<String>,
) -> AppResult<Adoption> {
    let row = load_adoption(conn, &id)?;
    if !policy::can_record_adoption(
        &actor,
        Scope::new(Some(&row.district_id), Some(&row.municipality_id)),
    ) {
        return Err(AppError::Forbidden);
    }
    let from = row.status();
    if !from.can_move_to(change.status) {
        let allowed: Vec<&str> = from.next().iter().map(|s| s.label_de()).collect();
        let msg = if allowed.is_empty() {
            format!("Von „{}“ geht es nicht weiter.", from.label_de())
        } else {
            format!(
                "Von „{}“ geht es nur weiter zu: {}.",
                from.label_de(),
                allowed.join(", ")
            )
        };
        return Err(AppError::field("status", &msg));
    }
    let t = now();
    let n = diesel::update(
        adoptions::table
            .find(&id)
            .filter(adoptions::version.eq(version)),
    )
    .set((
        adoptions::status.eq(change.status.as_str()),
        adoptions::decline_reason.eq(if change.status == AdoptionStatus::Declined {
            reason.clone()
        } else {
            None
        }),
        adoptions::updated_at.eq(t),
        adoptions::version.eq(adoptions::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    let note = reason.clone().or(change.note.clone()).unwrap_or_default();
    diesel::insert_into(adoption_history::table)
        .values((
            adoption_history::id.eq(new_id()),
            adoption_history::adoption_id.eq(&id),
            adoption_history::from_status.eq(Some(from.as_str())),
            adoption_history::to_status.eq(change.status.as_str()),
            adoption_history::note.eq(&note),
            adoption_history::changed_by.eq(Some(&actor.id)),
            adoption_history::changed_at.eq(t),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "adoption.status",
            object_type: "adoption",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            summary: json!({"from": from.as_str(), "to": change.status.as_str()}),
        },
    )?;
    let names = adoption_names(conn, &row.solution_id, &row.municipality_id)?;
    events::record(
        conn,
        Event {
            actor_id: Some(&actor.id),
            verb: "adoption.status_changed",
            object_type: "adoption",
            object_id: &id,
            project_id: None,
            district_id: Some(&row.district_id),
            municipality_id: Some(&row.municipality_id),
            visibility: Some("district"),
            target_user_id: None,
            payload: json!({"from": from.as_str(), "to": change.status.as_str(),
                "solution": names.0, "solution_id": row.solution_id, "town": names.1}),
        },
    )?;
    let row = load_adoption(conn, &id)?;
    adoptions_out(conn, &actor, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn adoption_history(conn: &mut DbConn, id: String) -> AppResult<Vec<HistoryTuple>> {
    load_adoption(conn, &id)?;
    Ok(adoption_history::table
        .left_join(users::table.on(users::id.nullable().eq(adoption_history::changed_by)))
        .filter(adoption_history::adoption_id.eq(&id))
        .select((
            adoption_history::from_status,
            adoption_history::to_status,
            adoption_history::note,
            users::name.nullable(),
            adoption_history::changed_at,
        ))
        .order((
            adoption_history::changed_at.asc(),
            adoption_history::id.asc(),
        ))
        .load(conn)?)
}

pub fn create_report(
    conn: &mut DbConn,
    actor: Actor,
    sid: String,
    input: NewReport,
    text: String,
) -> AppResult<ExperienceReport> {
    load_solution(conn, &actor, &sid)?;
    let town = input
        .municipality_id
        .clone()
        .or(actor.municipality_id.clone())
        .ok_or_else(|| AppError::field("municipality_id", "Bitte die Kommune wählen."))?;
    let adoption: Option<AdoptionRow> = adoptions::table
        .filter(adoptions::solution_id.eq(&sid))
        .filter(adoptions::municipality_id.eq(&town))
        .select(AdoptionRow::as_select())
        .first(conn)
        .optional()?;
    let Some(adoption) = adoption else {
        return Err(AppError::field(
            "municipality_id",
            "Diese Kommune nutzt die Lösung nicht nach.",
        ));
    };
    if !policy::can_record_adoption(
        &actor,
        Scope::new(Some(&adoption.district_id), Some(&adoption.municipality_id)),
    ) {
        return Err(AppError::Forbidden);
    }
    if !adoption.status().may_report() {
        return Err(AppError::field("municipality_id", "Erfahrungsberichte gibt es erst ab der Einführung (Status „Einführung“ oder „In Betrieb“)."));
    }
    let id = new_id();
    diesel::insert_into(experience_reports::table)
        .values((
            experience_reports::id.eq(&id),
            experience_reports::adoption_id.eq(&adoption.id),
            experience_reports::solution_id.eq(&sid),
            experience_reports::municipality_id.eq(&town),
            experience_reports::author_id.eq(Some(&actor.id)),
            experience_reports::body.eq(&text),
            experience_reports::rating.eq(input.rating),
            experience_reports::created_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "efa.report",
            object_type: "experience_report",
            object_id: &id,
            district_id: Some(&adoption.district_id),
            municipality_id: Some(&town),
            summary: json!({"solution_id": sid, "rating": input.rating}),
        },
    )?;
    reports_of(conn, &sid)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)
}

pub fn coverage_of(
    conn: &mut DbConn,
    actor: Actor,
    district: String,
    q: CoverageQuery,
) -> AppResult<super::coverage::Coverage> {
    if let Some(m) = &q.municipality_id {
        let n: i64 = municipalities::table
            .filter(municipalities::id.eq(m))
            .filter(municipalities::district_id.eq(&district))
            .count()
            .get_result(conn)?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
    }
    super::coverage::coverage(conn, &actor, &district, q.municipality_id.as_deref())
}
