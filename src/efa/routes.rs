//! HTTP handlers for the EfA catalogue, adoptions, experience reports, the matrix and coverage.
use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::model::*;
use crate::api::{if_match, with_etag, Body, Page, PageQuery};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::model::{Actor, Role};
use crate::auth::policy::{self, Scope};
use crate::auth::CurrentUser;
use crate::db::schema::{
    adoption_history, adoptions, efa_solution_ozg, efa_solutions, experience_reports,
    municipalities, ozg_services, themenfelder, users,
};
use crate::db::{contains_pattern, lower, new_id, now, DbConn};
use crate::error::{AppError, AppResult, Errors};
use crate::events::{self, Event};
use crate::export::{self, Cell, Table};
use crate::users::model::utc;

/// Published solutions, plus the unpublished proposals the viewer may see (own, or the coordinator's district).
fn visible_solutions(
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

fn solutions_out(conn: &mut DbConn, rows: Vec<SolutionRow>) -> AppResult<Vec<EfaSolution>> {
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SolutionQuery {
    pub themenfeld_id: Option<i32>,
    #[param(inline)]
    pub status: Option<SolutionStatus>,
    /// Lead or developing state, e.g. `Hamburg`.
    pub lead_state: Option<String>,
    /// Part of the name.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub limit: Option<i64>,
}

/// The EfA solutions catalogue.
#[utoipa::path(tag = "efa", params(SolutionQuery), responses((status = 200, body = Page<EfaSolution>)))]
#[get("/efa/solutions")]
pub async fn list_solutions(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<SolutionQuery>,
) -> AppResult<HttpResponse> {
    let paging = PageQuery {
        page: q.page,
        limit: q.limit,
    }
    .paging()?;
    let (actor, q) = (me.actor(), q.into_inner());
    let page = crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

fn load_solution(conn: &mut DbConn, viewer: &Actor, id: &str) -> AppResult<SolutionRow> {
    efa_solutions::table
        .filter(efa_solutions::id.eq(id))
        .filter(visible_solutions(viewer))
        .select(SolutionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SolutionDetail {
    #[serde(flatten)]
    pub solution: EfaSolution,
    /// Every town's adoption, by town name.
    pub adoptions: Vec<Adoption>,
    pub reports: Vec<ExperienceReport>,
    pub can_edit: bool,
}

/// One solution with who adopted it at which stage and the experience reports.
#[utoipa::path(tag = "efa", responses((status = 200, body = SolutionDetail), (status = 404, body = crate::error::Problem)))]
#[get("/efa/solutions/{id}")]
pub async fn get_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let detail = crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(with_etag(StatusCode::OK, detail.1, &detail.0))
}

fn clean_opt(v: &Option<String>, field: &str, max: usize, e: &mut Errors) -> Option<String> {
    let t = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    if t.chars().count() > max {
        e.push(field, format!("Höchstens {max} Zeichen."));
    }
    Some(t.to_string())
}

struct SolutionValues {
    name: String,
    description: String,
    themenfeld_id: Option<i32>,
    lead_state: Option<String>,
    lead_body: Option<String>,
    it_provider: Option<String>,
    status: SolutionStatus,
    reuse_model: ReuseModel,
    reuse_conditions: String,
    requirements: String,
    website: Option<String>,
    contact: Option<String>,
    ozg_ids: Option<Vec<i32>>,
}

fn solution_values(i: &SolutionInput, base: Option<&SolutionRow>) -> AppResult<SolutionValues> {
    let mut e = Errors::new();
    let name = i
        .name
        .clone()
        .or(base.map(|b| b.name.clone()))
        .unwrap_or_default()
        .trim()
        .to_string();
    if name.chars().count() < 3 || name.chars().count() > 300 {
        e.push("name", "Bitte einen Namen mit 3 bis 300 Zeichen angeben.");
    }
    let description = i
        .description
        .clone()
        .or(base.map(|b| b.description.clone()))
        .unwrap_or_default();
    if description.chars().count() > 20_000 {
        e.push("description", "Höchstens 20 000 Zeichen.");
    }
    let pick =
        |new: &Option<String>, old: Option<&Option<String>>| new.clone().or(old.cloned().flatten());
    let lead_state = clean_opt(
        &pick(&i.lead_state, base.map(|b| &b.lead_state)),
        "lead_state",
        100,
        &mut e,
    );
    let lead_body = clean_opt(
        &pick(&i.lead_body, base.map(|b| &b.lead_body)),
        "lead_body",
        300,
        &mut e,
    );
    let it_provider = clean_opt(
        &pick(&i.it_provider, base.map(|b| &b.it_provider)),
        "it_provider",
        300,
        &mut e,
    );
    let website = clean_opt(
        &pick(&i.website, base.map(|b| &b.website)),
        "website",
        300,
        &mut e,
    );
    if website
        .as_ref()
        .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")))
    {
        e.push("website", "Die Webadresse beginnt mit https://.");
    }
    let contact = clean_opt(
        &pick(&i.contact, base.map(|b| &b.contact)),
        "contact",
        300,
        &mut e,
    );
    let reuse_conditions = i
        .reuse_conditions
        .clone()
        .or(base.map(|b| b.reuse_conditions.clone()))
        .unwrap_or_default();
    if reuse_conditions.chars().count() > 5_000 {
        e.push("reuse_conditions", "Höchstens 5 000 Zeichen.");
    }
    let requirements = match &i.requirements {
        Some(list) => {
            if list.len() > 20
                || list
                    .iter()
                    .any(|r| r.chars().count() > 100 || r.contains(';'))
            {
                e.push(
                    "requirements",
                    "Höchstens 20 Voraussetzungen mit je 100 Zeichen, ohne Semikolon.",
                );
            }
            list.iter()
                .map(|r| r.trim())
                .filter(|r| !r.is_empty())
                .collect::<Vec<_>>()
                .join(";")
        }
        None => base.map(|b| b.requirements.clone()).unwrap_or_default(),
    };
    e.finish()?;
    Ok(SolutionValues {
        name,
        description,
        themenfeld_id: i.themenfeld_id.or(base.and_then(|b| b.themenfeld_id)),
        lead_state,
        lead_body,
        it_provider,
        status: i.status.unwrap_or(
            base.map(|b| SolutionStatus::parse(&b.status))
                .unwrap_or(SolutionStatus::Available),
        ),
        reuse_model: i.reuse_model.unwrap_or(
            base.map(|b| ReuseModel::parse(&b.reuse_model))
                .unwrap_or(ReuseModel::Other),
        ),
        reuse_conditions,
        requirements,
        website,
        contact,
        ozg_ids: i.ozg_ids.clone(),
    })
}

fn write_ozg(conn: &mut DbConn, id: &str, ids: &[i32]) -> AppResult<()> {
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

/// Adds a solution. Admins and coordinators publish it at once; officers propose it
/// (unpublished until a coordinator publishes it).
#[utoipa::path(tag = "efa", request_body = SolutionInput, responses(
    (status = 201, body = EfaSolution), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/efa/solutions")]
pub async fn create_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<SolutionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_propose_efa(&actor) {
        return Err(AppError::Forbidden);
    }
    let v = solution_values(&body.0, None)?;
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, out.version, &out))
}

/// Edits a solution (admins, coordinators). Requires `If-Match`.
#[utoipa::path(tag = "efa", request_body = SolutionInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = EfaSolution), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/efa/solutions/{id}")]
pub async fn update_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<SolutionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_edit_efa_catalogue(&actor) {
        return Err(AppError::Forbidden);
    }
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Publishes a proposed solution (admins, coordinators).
#[utoipa::path(tag = "efa", responses((status = 200, body = EfaSolution), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[post("/efa/solutions/{id}/publish")]
pub async fn publish_solution(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    if !policy::can_edit_efa_catalogue(&actor) {
        return Err(AppError::Forbidden);
    }
    let id = id.into_inner();
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

fn adoptions_out(
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
                project_id: r.project_id,
                version: r.version,
            }
        })
        .collect())
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AdoptionInput {
    /// Defaults to the caller's town.
    pub municipality_id: Option<String>,
    pub contact_name: Option<String>,
    pub notes: Option<String>,
    /// The project that carries out the adoption (must be visible and of the same district).
    pub project_id: Option<String>,
}

fn check_adoption_fields(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    i: &AdoptionInput,
) -> AppResult<()> {
    let mut e = Errors::new();
    if i.contact_name
        .as_ref()
        .is_some_and(|c| c.chars().count() > 200)
    {
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

/// Records a town's interest in a solution ("Wir sind interessiert"): a new adoption in state `interested`.
#[utoipa::path(tag = "efa", request_body = AdoptionInput, responses(
    (status = 201, body = Adoption), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
#[post("/efa/solutions/{id}/adoptions")]
pub async fn create_adoption(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<AdoptionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (sid, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
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
                payload: json!({"solution": solution.name, "status": "interested"}),
            },
        )?;
        let row: AdoptionRow = adoptions::table
            .find(&id)
            .select(AdoptionRow::as_select())
            .first(conn)?;
        adoptions_out(conn, &actor, vec![row])?
            .pop()
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, out.version, &out))
}

fn load_adoption(conn: &mut DbConn, id: &str) -> AppResult<AdoptionRow> {
    adoptions::table
        .find(id)
        .select(AdoptionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// One adoption.
#[utoipa::path(tag = "efa", responses((status = 200, body = Adoption), (status = 404, body = crate::error::Problem)))]
#[get("/adoptions/{id}")]
pub async fn get_adoption(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        let row = load_adoption(conn, &id)?;
        adoptions_out(conn, &actor, vec![row])?
            .pop()
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Edits contact, notes and the linked project of an adoption. Requires `If-Match`.
#[utoipa::path(tag = "efa", request_body = AdoptionInput, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Adoption), (status = 403, body = crate::error::Problem), (status = 412, body = crate::error::Problem)))]
#[patch("/adoptions/{id}")]
pub async fn update_adoption(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<AdoptionInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    if input.municipality_id.is_some() {
        return Err(AppError::field(
            "municipality_id",
            "Die Kommune einer Nachnutzung lässt sich nicht ändern.",
        ));
    }
    let out = crate::db::tx(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptionStatusChange {
    pub status: AdoptionStatus,
    /// Required when declining.
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// Moves an adoption along its life cycle; no jumps, and declining needs a reason.
#[utoipa::path(tag = "efa", request_body = AdoptionStatusChange, params(("If-Match" = String, Header)), responses(
    (status = 200, body = Adoption), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/adoptions/{id}/status")]
pub async fn change_adoption_status(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<AdoptionStatusChange>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, change) = (id.into_inner(), body.0);
    let reason = change
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(String::from);
    if change.status == AdoptionStatus::Declined && reason.is_none() {
        return Err(AppError::field(
            "reason",
            "Bitte einen Grund für die Ablehnung angeben.",
        ));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::field("reason", "Höchstens 1000 Zeichen."));
    }
    let out = crate::db::tx(&state.pool, move |conn| {
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
                payload: json!({"from": from.as_str(), "to": change.status.as_str()}),
            },
        )?;
        let row = load_adoption(conn, &id)?;
        adoptions_out(conn, &actor, vec![row])?
            .pop()
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionHistoryEntry {
    pub from_status: Option<AdoptionStatus>,
    pub to_status: AdoptionStatus,
    pub note: String,
    pub changed_by_name: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionHistory {
    pub items: Vec<AdoptionHistoryEntry>,
}

type HistoryTuple = (
    Option<String>,
    String,
    String,
    Option<String>,
    chrono::NaiveDateTime,
);

/// The dated history of an adoption.
#[utoipa::path(tag = "efa", responses((status = 200, body = AdoptionHistory), (status = 404, body = crate::error::Problem)))]
#[get("/adoptions/{id}/history")]
pub async fn adoption_history_route(
    state: web::Data<AppState>,
    _signed_in: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let rows: Vec<HistoryTuple> = crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|(from, to, note, name, at)| AdoptionHistoryEntry {
            from_status: from.as_deref().and_then(AdoptionStatus::parse),
            to_status: AdoptionStatus::parse(&to).unwrap_or(AdoptionStatus::Interested),
            note,
            changed_by_name: name,
            changed_at: utc(at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(AdoptionHistory { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExperienceReport {
    pub id: String,
    pub municipality_name: String,
    pub author_name: Option<String>,
    pub body: String,
    pub body_html: String,
    pub rating: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn reports_of(conn: &mut DbConn, solution_id: &str) -> AppResult<Vec<ExperienceReport>> {
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub body: String,
    /// 1 (poor) to 5 (very good)
    pub rating: i32,
    /// Defaults to the caller's town.
    pub municipality_id: Option<String>,
}

/// An experience report by a town whose adoption is rolling out or live.
#[utoipa::path(tag = "efa", request_body = NewReport, responses(
    (status = 201, body = ExperienceReport), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/efa/solutions/{id}/reports")]
pub async fn create_report(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<NewReport>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (sid, input) = (id.into_inner(), body.0);
    let mut e = Errors::new();
    let text = input.body.trim().to_string();
    if text.chars().count() < 10 || text.chars().count() > 10_000 {
        e.push("body", "Bitte 10 bis 10 000 Zeichen schreiben.");
    }
    if !(1..=5).contains(&input.rating) {
        e.push("rating", "Die Bewertung liegt zwischen 1 und 5.");
    }
    e.finish()?;
    let out = crate::db::tx(&state.pool, move |conn| {
        load_solution(conn, &actor, &sid)?;
        let town = input.municipality_id.clone().or(actor.municipality_id.clone()).ok_or_else(|| AppError::field("municipality_id", "Bitte die Kommune wählen."))?;
        let adoption: Option<AdoptionRow> = adoptions::table
            .filter(adoptions::solution_id.eq(&sid))
            .filter(adoptions::municipality_id.eq(&town))
            .select(AdoptionRow::as_select())
            .first(conn)
            .optional()?;
        let Some(adoption) = adoption else {
            return Err(AppError::field("municipality_id", "Diese Kommune nutzt die Lösung nicht nach."));
        };
        if !policy::can_record_adoption(&actor, Scope::new(Some(&adoption.district_id), Some(&adoption.municipality_id))) {
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
        audit::record(conn, Some(&actor), Entry {
            action: "efa.report",
            object_type: "experience_report",
            object_id: &id,
            district_id: Some(&adoption.district_id),
            municipality_id: Some(&town),
            summary: json!({"solution_id": sid, "rating": input.rating}),
        })?;
        reports_of(conn, &sid)?.into_iter().find(|r| r.id == id).ok_or(AppError::NotFound)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// Defaults to the caller's district.
    pub district_id: Option<String>,
    pub themenfeld_id: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixTown {
    pub id: String,
    pub name: String,
    /// Adoptions that are not declined.
    pub active: i64,
    pub live: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixSolution {
    pub id: String,
    pub name: String,
    pub active: i64,
    pub live: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixCell {
    pub municipality_id: String,
    pub solution_id: String,
    pub adoption_id: String,
    pub status: AdoptionStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptionMatrix {
    pub district_id: String,
    pub towns: Vec<MatrixTown>,
    pub solutions: Vec<MatrixSolution>,
    pub cells: Vec<MatrixCell>,
}

fn matrix(
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

/// The district's adoption matrix: towns × solutions with the status in each cell and totals.
#[utoipa::path(tag = "efa", params(MatrixQuery), responses((status = 200, body = AdoptionMatrix), (status = 404, body = crate::error::Problem)))]
#[get("/efa/matrix")]
pub async fn get_matrix(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let district = crate::api::readable_district(&actor, q.district_id)?;
    let out = crate::db::run(&state.pool, move |conn| {
        matrix(conn, &actor, &district, q.themenfeld_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The adoption matrix as a table for the exports: a row per town, a column per solution.
fn matrix_table(m: &AdoptionMatrix) -> Table {
    let status: HashMap<(&str, &str), &str> = m
        .cells
        .iter()
        .map(|c| {
            (
                (c.municipality_id.as_str(), c.solution_id.as_str()),
                c.status.label_de(),
            )
        })
        .collect();
    let mut header = vec!["Kommune".to_string()];
    header.extend(m.solutions.iter().map(|s| s.name.clone()));
    header.push("Nachnutzungen (aktiv)".into());
    header.push("davon in Betrieb".into());
    let mut t = Table::new(header);
    for town in &m.towns {
        let mut row = vec![Cell::text(&town.name)];
        row.extend(m.solutions.iter().map(|s| {
            Cell::text(
                status
                    .get(&(town.id.as_str(), s.id.as_str()))
                    .copied()
                    .unwrap_or(""),
            )
        }));
        row.push(Cell::Int(town.active));
        row.push(Cell::Int(town.live));
        t.push(row);
    }
    let mut totals = vec![Cell::text("Summe (aktiv / in Betrieb)")];
    totals.extend(
        m.solutions
            .iter()
            .map(|s| Cell::text(format!("{} / {}", s.active, s.live))),
    );
    totals.push(Cell::Int(m.towns.iter().map(|t| t.active).sum::<i64>()));
    totals.push(Cell::Int(m.towns.iter().map(|t| t.live).sum::<i64>()));
    t.push(totals);
    t
}

/// The adoption matrix as CSV for systems and German Excel.
#[utoipa::path(tag = "efa", params(MatrixQuery), responses((status = 200, content_type = "text/csv", body = String)))]
#[get("/efa/matrix.csv")]
pub async fn matrix_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let m = matrix_for(&state, &me, q.into_inner()).await?;
    Ok(export::csv_response(
        matrix_table(&m).to_csv()?,
        "nachnutzungsmatrix.csv",
    ))
}

/// The adoption matrix as an Excel workbook for people.
#[utoipa::path(tag = "efa", params(MatrixQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
#[get("/efa/matrix.xlsx")]
pub async fn matrix_xlsx(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<MatrixQuery>,
) -> AppResult<HttpResponse> {
    let m = matrix_for(&state, &me, q.into_inner()).await?;
    Ok(export::xlsx_response(
        matrix_table(&m).to_xlsx("Nachnutzung")?,
        "nachnutzungsmatrix.xlsx",
    ))
}

async fn matrix_for(
    state: &AppState,
    me: &CurrentUser,
    q: MatrixQuery,
) -> AppResult<AdoptionMatrix> {
    let actor = me.actor();
    let district = crate::api::readable_district(&actor, q.district_id)?;
    crate::db::run(&state.pool, move |conn| {
        matrix(conn, &actor, &district, q.themenfeld_id)
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// Defaults to the caller's district.
    pub district_id: Option<String>,
    /// One town of the district; without it the whole district.
    pub municipality_id: Option<String>,
}

/// OZG coverage of a town or district, per Themenfeld, and gaps other districts already cover.
#[utoipa::path(tag = "efa", params(CoverageQuery), responses((status = 200, body = super::coverage::Coverage), (status = 404, body = crate::error::Problem)))]
#[get("/efa/coverage")]
pub async fn get_coverage(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let district = crate::api::readable_district(&actor, q.district_id)?;
    let out = crate::db::run(&state.pool, move |conn| {
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
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
