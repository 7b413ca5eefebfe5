//! Database access of the process register: lists and pages with visibility in SQL
//! (`processes::visibility`), the write transactions (with audit entries), models and
//! their differences, "Abweichungen im Kreis", CSV export and import, hints.
use std::collections::{HashMap, HashSet};

use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use serde_json::json;

use super::bpmn::{self, Activity};
use super::model::*;
use super::visibility::visible_to;
use crate::api::{Page, Paging};
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    efa_solutions, municipalities, ozg_services, process_differences, process_models,
    process_offices, process_profiles, process_projects, processes, projects, themenfelder, users,
};
use crate::db::{new_id, now, utc, DbConn};
use crate::error::{AppError, AppResult, Errors, FieldError};
use crate::export::{Cell, Table};

// ---- Reading one process ----

/// The process `id` if `actor` may read it, else 404.
pub fn visible_process(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ProcessRow> {
    let row: ProcessRow = processes::table
        .find(id)
        .select(ProcessRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !policy::can_read_process(Some(actor), row.scope(), &row.visibility) {
        return Err(AppError::NotFound);
    }
    Ok(row)
}

/// The process if `actor` may edit it: 404 if they may not read it, 403 if only read.
pub fn editable_process(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ProcessRow> {
    let row = visible_process(conn, actor, id)?;
    if !policy::can_edit_process(actor, row.scope()) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

fn towns_by_id(conn: &mut DbConn, ids: &[String]) -> AppResult<HashMap<String, TownRef>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(municipalities::table
        .filter(municipalities::id.eq_any(ids))
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
        ))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, ags)| (id.clone(), TownRef { id, name, ags }))
        .collect())
}

/// A town of `district_id` (404 otherwise).
fn district_town(conn: &mut DbConn, district_id: &str, town_id: &str) -> AppResult<TownRef> {
    municipalities::table
        .find(town_id)
        .filter(municipalities::district_id.eq(district_id))
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
        ))
        .first::<(String, String, String)>(conn)
        .optional()?
        .map(|(id, name, ags)| TownRef { id, name, ags })
        .ok_or(AppError::NotFound)
}

/// Summaries of `rows` in their order, with owner towns, Themenfeld names and model
/// counts loaded in one query each.
fn summaries(conn: &mut DbConn, rows: Vec<ProcessRow>) -> AppResult<Vec<ProcessSummary>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let owners: Vec<String> = rows
        .iter()
        .filter_map(|r| r.owner_municipality_id.clone())
        .collect();
    let towns = towns_by_id(conn, &owners)?;
    let fields: Vec<i32> = rows.iter().filter_map(|r| r.themenfeld_id).collect();
    let field_names: HashMap<i32, String> = if fields.is_empty() {
        HashMap::new()
    } else {
        themenfelder::table
            .filter(themenfelder::id.eq_any(&fields))
            .select((themenfelder::id, themenfelder::name))
            .load::<(i32, String)>(conn)?
            .into_iter()
            .collect()
    };
    let mut refs: HashMap<String, i64> = HashMap::new();
    let mut locals: HashMap<String, HashSet<String>> = HashMap::new();
    if !ids.is_empty() {
        for (pid, kind, town) in process_models::table
            .filter(process_models::process_id.eq_any(&ids))
            .select((
                process_models::process_id,
                process_models::kind,
                process_models::municipality_id,
            ))
            .load::<(String, String, Option<String>)>(conn)?
        {
            if kind == "reference" {
                *refs.entry(pid).or_default() += 1;
            } else if let Some(t) = town {
                locals.entry(pid).or_default().insert(t);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| ProcessSummary {
            reference_versions: refs.get(&r.id).copied().unwrap_or(0),
            local_variants: locals.get(&r.id).map(|s| s.len() as i64).unwrap_or(0),
            owner: r
                .owner_municipality_id
                .as_ref()
                .and_then(|t| towns.get(t).cloned()),
            themenfeld_name: r.themenfeld_id.and_then(|f| field_names.get(&f).cloned()),
            visibility: Visibility::parse(&r.visibility).unwrap_or_default(),
            updated_at: utc(r.updated_at),
            id: r.id,
            district_id: r.district_id,
            name: r.name,
            leika_key: r.leika_key,
            ozg_id: r.ozg_id,
            themenfeld_id: r.themenfeld_id,
        })
        .collect())
}

/// The towns of the process's district `actor` may keep a local variant for.
fn variant_towns(conn: &mut DbConn, actor: &Actor, row: &ProcessRow) -> AppResult<Vec<TownRef>> {
    let towns: Vec<(String, String, String)> = municipalities::table
        .filter(municipalities::district_id.eq(&row.district_id))
        .order(municipalities::name.asc())
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
        ))
        .load(conn)?;
    Ok(towns
        .into_iter()
        .filter(|(id, _, _)| {
            policy::can_edit_process_variant(actor, Scope::new(Some(&row.district_id), Some(id)))
        })
        .map(|(id, name, ags)| TownRef { id, name, ags })
        .collect())
}

/// The full page of a readable process.
pub fn process_detail(conn: &mut DbConn, actor: &Actor, row: ProcessRow) -> AppResult<Process> {
    let offices: Vec<(String, String, String, String)> = process_offices::table
        .inner_join(municipalities::table)
        .filter(process_offices::process_id.eq(&row.id))
        .order(municipalities::name.asc())
        .select((
            municipalities::id,
            municipalities::name,
            municipalities::ags,
            process_offices::office,
        ))
        .load(conn)?;
    let link_ids = readable_links(conn, actor, &row.id)?;
    let links: Vec<(String, String, String)> = projects::table
        .inner_join(municipalities::table)
        .filter(projects::id.eq_any(&link_ids))
        .order(projects::title.asc())
        .select((projects::id, projects::title, municipalities::name))
        .load(conn)?;
    let efa_solution_name = match &row.efa_solution_id {
        Some(sid) => efa_solutions::table
            .find(sid)
            .select((
                efa_solutions::name,
                efa_solutions::published,
                efa_solutions::proposed_by,
                efa_solutions::proposed_district_id,
            ))
            .first::<(String, bool, Option<String>, Option<String>)>(conn)
            .optional()?
            .filter(|(_, p, by, d)| {
                policy::can_read_efa_solution(actor, *p, by.as_deref(), d.as_deref())
            })
            .map(|(n, ..)| n),
        None => None,
    };
    let can_edit = policy::can_edit_process(actor, row.scope());
    let variant_towns = variant_towns(conn, actor, &row)?;
    let district = row.district_id.clone();
    let (legal_basis, forms, it_systems, efa_solution_id, knowledge, created_at, version) = (
        row.legal_basis.clone(),
        row.forms.clone(),
        row.it_systems.clone(),
        row.efa_solution_id.clone(),
        row.knowledge.clone(),
        row.created_at,
        row.version,
    );
    let summary = summaries(conn, vec![row])?
        .pop()
        .ok_or_else(|| AppError::internal("process summary"))?;
    Ok(Process {
        summary,
        legal_basis,
        forms,
        it_systems,
        efa_solution_id,
        efa_solution_name,
        knowledge_html: crate::markdown::to_html(&knowledge),
        knowledge,
        offices: offices
            .into_iter()
            .map(|(id, name, ags, office)| ProcessOffice {
                can_edit: policy::can_edit_process_variant(
                    actor,
                    Scope::new(Some(&district), Some(&id)),
                ),
                municipality: TownRef { id, name, ags },
                office,
            })
            .collect(),
        projects: links
            .into_iter()
            .map(|(id, title, municipality_name)| ProcessProjectLink {
                id,
                title,
                municipality_name,
            })
            .collect(),
        created_at: utc(created_at),
        version,
        can_edit,
        variant_towns,
    })
}

pub fn get_process(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<Process> {
    let row = visible_process(conn, &actor, &id)?;
    process_detail(conn, &actor, row)
}

// ---- Lists ----

type ProcessFilter = super::visibility::Filter<processes::table>;

/// The filters of a list query (visibility included), for the list and the export.
fn list_filters(conn: &DbConn, actor: &Actor, q: &ProcessQuery) -> Vec<ProcessFilter> {
    let mut f: Vec<ProcessFilter> = vec![visible_to(Some(actor))];
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let key = text.replace(' ', "");
        if is_leika_key(&key) {
            f.push(Box::new(processes::leika_key.eq(key).assume_not_null()));
        } else {
            match super::search::matching(conn, text) {
                Some(m) => f.push(m),
                None => f.push(Box::new(sql::<diesel::sql_types::Bool>("1 = 0"))),
            }
        }
    }
    if let Some(t) = q.themenfeld {
        f.push(Box::new(processes::themenfeld_id.eq(t).assume_not_null()));
    }
    if let Some(town) = q.town.clone() {
        f.push(Box::new(
            sql::<diesel::sql_types::Bool>("(processes.owner_municipality_id = ")
                .bind::<Text, _>(town.clone())
                .sql(" OR processes.id IN (SELECT process_id FROM process_offices WHERE municipality_id = ")
                .bind::<Text, _>(town.clone())
                .sql(") OR processes.id IN (SELECT process_id FROM process_models WHERE municipality_id = ")
                .bind::<Text, _>(town)
                .sql("))"),
        ));
    }
    f
}

fn filtered(
    conn: &DbConn,
    actor: &Actor,
    q: &ProcessQuery,
) -> processes::BoxedQuery<'static, super::visibility::Backend> {
    let mut query = processes::table.into_boxed();
    for f in list_filters(conn, actor, q) {
        query = query.filter(f);
    }
    query
}

/// The processes `actor` may read, filtered, by name.
pub fn list_processes(
    conn: &mut DbConn,
    actor: Actor,
    q: ProcessQuery,
    paging: Paging,
) -> AppResult<Page<ProcessSummary>> {
    let total: i64 = filtered(conn, &actor, &q).count().get_result(conn)?;
    let rows: Vec<ProcessRow> = filtered(conn, &actor, &q)
        .order((processes::name.asc(), processes::id.asc()))
        .offset(paging.offset())
        .limit(paging.limit)
        .select(ProcessRow::as_select())
        .load(conn)?;
    Ok(Page::new(summaries(conn, rows)?, paging, total))
}

/// The register as a table (Excel-de CSV): every process the list would show.
pub fn export_table(conn: &mut DbConn, actor: Actor, q: ProcessQuery) -> AppResult<Table> {
    let rows: Vec<ProcessRow> = filtered(conn, &actor, &q)
        .order((processes::name.asc(), processes::id.asc()))
        .limit(10_000)
        .select(ProcessRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut offices: HashMap<String, Vec<String>> = HashMap::new();
    for (pid, town, office) in process_offices::table
        .inner_join(municipalities::table)
        .filter(process_offices::process_id.eq_any(&ids))
        .order(municipalities::name.asc())
        .select((
            process_offices::process_id,
            municipalities::name,
            process_offices::office,
        ))
        .load::<(String, String, String)>(conn)?
    {
        offices
            .entry(pid)
            .or_default()
            .push(format!("{town}: {office}"));
    }
    let efa_ids: Vec<String> = rows
        .iter()
        .filter_map(|r| r.efa_solution_id.clone())
        .collect();
    let efa_names: HashMap<String, String> = efa_solutions::table
        .filter(efa_solutions::id.eq_any(&efa_ids))
        .filter(efa_solutions::published.eq(true))
        .select((efa_solutions::id, efa_solutions::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let extra: Vec<(String, String, String, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                r.legal_basis.clone(),
                r.forms.clone(),
                r.it_systems.clone(),
                r.efa_solution_id.clone(),
            )
        })
        .collect();
    let mut table = Table::new([
        "Prozess",
        "Leistungsschlüssel (LeiKa)",
        "OZG-ID",
        "Themenfeld",
        "Federführung",
        "Sichtbarkeit",
        "Rechtsgrundlage",
        "Formulare",
        "Fachverfahren",
        "EfA-Lösung",
        "Zuständige Stellen",
        "Referenzmodell-Versionen",
        "Kommunen mit lokaler Variante",
        "Zuletzt geändert",
    ]);
    for (s, (legal, forms, systems, efa)) in summaries(conn, rows)?.into_iter().zip(extra) {
        table.push(vec![
            Cell::text(&s.name),
            s.leika_key.clone().map(Cell::Key).unwrap_or(Cell::Empty),
            s.ozg_id.map(|i| Cell::Int(i.into())).unwrap_or(Cell::Empty),
            Cell::text(s.themenfeld_name.clone().unwrap_or_default()),
            Cell::text(
                s.owner
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_else(|| "Kreis".into()),
            ),
            Cell::text(s.visibility.label_de()),
            Cell::text(legal),
            Cell::text(forms),
            Cell::text(systems),
            Cell::text(
                efa.and_then(|e| efa_names.get(&e).cloned())
                    .unwrap_or_default(),
            ),
            Cell::text(offices.get(&s.id).map(|o| o.join("; ")).unwrap_or_default()),
            Cell::Int(s.reference_versions),
            Cell::Int(s.local_variants),
            Cell::DateTime(
                s.updated_at
                    .with_timezone(&chrono_tz::Europe::Berlin)
                    .naive_local(),
            ),
        ]);
    }
    Ok(table)
}

// ---- Writing a process ----

/// Checks the references of `f` (OZG service, Themenfeld, EfA solution) for `actor`.
fn check_references(conn: &mut DbConn, actor: &Actor, f: &ProcessFields) -> AppResult<()> {
    let mut e = Errors::new();
    if let Some(o) = f.ozg_id {
        let n: i64 = ozg_services::table.find(o).count().get_result(conn)?;
        if n == 0 {
            e.push("ozg_id", "Diese OZG-Leistung gibt es im Katalog nicht.");
        }
    }
    if let Some(t) = f.themenfeld_id {
        let n: i64 = themenfelder::table.find(t).count().get_result(conn)?;
        if n == 0 {
            e.push("themenfeld_id", "Dieses Themenfeld gibt es nicht.");
        }
    }
    if let Some(s) = &f.efa_solution_id {
        let found = efa_solutions::table
            .find(s)
            .select((
                efa_solutions::published,
                efa_solutions::proposed_by,
                efa_solutions::proposed_district_id,
            ))
            .first::<(bool, Option<String>, Option<String>)>(conn)
            .optional()?
            .filter(|(p, by, d)| {
                policy::can_read_efa_solution(actor, *p, by.as_deref(), d.as_deref())
            });
        if found.is_none() {
            e.push("efa_solution_id", "Diese EfA-Lösung gibt es nicht.");
        }
    }
    e.finish()
}

/// Refuses a visibility under which the editor could no longer read the process (a
/// coordinator making a town's process visible to that town only).
fn stays_readable(
    actor: &Actor,
    district: &str,
    owner: Option<&str>,
    visibility: Visibility,
) -> AppResult<()> {
    if policy::can_read_process(
        Some(actor),
        Scope::new(Some(district), owner),
        visibility.as_str(),
    ) {
        Ok(())
    } else {
        Err(AppError::field(
            "visibility",
            "Mit dieser Sichtbarkeit könnten Sie den Prozess selbst nicht mehr lesen. Nur die Kommune selbst kann ihn auf „Nur meine Kommune“ stellen.",
        ))
    }
}

pub fn create_process(conn: &mut DbConn, actor: Actor, input: ProcessInput) -> AppResult<Process> {
    let district = match (&input.district_id, &actor.district_id) {
        (Some(d), _) if policy::can_manage_districts(&actor) => d.clone(),
        (_, Some(d)) => d.clone(),
        _ => {
            return Err(AppError::field(
                "district_id",
                "Bitte den Kreis angeben, zu dem der Prozess gehört.",
            ))
        }
    };
    let owner = match &input.owner_municipality_id {
        Some(o) => o.clone().filter(|s| !s.is_empty()),
        // Officers keep the reference for their own town by default.
        None => match actor.role {
            crate::auth::model::Role::Officer => actor.municipality_id.clone(),
            _ => None,
        },
    };
    if let Some(o) = &owner {
        district_town(conn, &district, o).map_err(|_| {
            AppError::field(
                "owner_municipality_id",
                "Diese Kommune gehört nicht zum Kreis des Prozesses.",
            )
        })?;
    }
    if !policy::can_create_process(&actor, Scope::new(Some(&district), owner.as_deref())) {
        return Err(AppError::Forbidden);
    }
    let f = ProcessFields::from_input(&input, None)?;
    check_references(conn, &actor, &f)?;
    stays_readable(&actor, &district, owner.as_deref(), f.visibility)?;
    let id = new_id();
    let at = now();
    diesel::insert_into(processes::table)
        .values((
            processes::id.eq(&id),
            processes::district_id.eq(&district),
            processes::owner_municipality_id.eq(&owner),
            processes::name.eq(&f.name),
            processes::leika_key.eq(&f.leika_key),
            processes::ozg_id.eq(f.ozg_id),
            processes::themenfeld_id.eq(f.themenfeld_id),
            processes::legal_basis.eq(&f.legal_basis),
            processes::forms.eq(&f.forms),
            processes::it_systems.eq(&f.it_systems),
            processes::efa_solution_id.eq(&f.efa_solution_id),
            processes::knowledge.eq(&f.knowledge),
            processes::visibility.eq(f.visibility.as_str()),
            processes::created_by.eq(Some(&actor.id)),
            processes::created_at.eq(at),
            processes::updated_at.eq(at),
            processes::version.eq(1),
        ))
        .execute(conn)?;
    super::search::reindex(conn, &id)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.create",
            object_type: "process",
            object_id: &id,
            district_id: Some(&district),
            municipality_id: owner.as_deref(),
            summary: json!({"visibility": f.visibility.as_str()}),
        },
    )?;
    get_process(conn, actor, id)
}

pub fn update_process(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    version: i32,
    input: ProcessInput,
) -> AppResult<Process> {
    let row = editable_process(conn, &actor, &id)?;
    if row.version != version {
        return Err(AppError::PreconditionFailed);
    }
    if input.district_id.is_some() {
        return Err(AppError::field(
            "district_id",
            "Der Kreis eines Prozesses kann nicht geändert werden.",
        ));
    }
    let owner = match &input.owner_municipality_id {
        Some(o) => {
            let o = o.clone().filter(|s| !s.is_empty());
            if let Some(t) = &o {
                district_town(conn, &row.district_id, t).map_err(|_| {
                    AppError::field(
                        "owner_municipality_id",
                        "Diese Kommune gehört nicht zum Kreis des Prozesses.",
                    )
                })?;
            }
            // Handing the reference to another town is for who may edit it there too.
            if !policy::can_edit_process(&actor, Scope::new(Some(&row.district_id), o.as_deref())) {
                return Err(AppError::Forbidden);
            }
            o
        }
        None => row.owner_municipality_id.clone(),
    };
    let f = ProcessFields::from_input(&input, Some(&row))?;
    check_references(conn, &actor, &f)?;
    stays_readable(&actor, &row.district_id, owner.as_deref(), f.visibility)?;
    let n = diesel::update(
        processes::table
            .find(&id)
            .filter(processes::version.eq(version)),
    )
    .set((
        processes::owner_municipality_id.eq(&owner),
        processes::name.eq(&f.name),
        processes::leika_key.eq(&f.leika_key),
        processes::ozg_id.eq(f.ozg_id),
        processes::themenfeld_id.eq(f.themenfeld_id),
        processes::legal_basis.eq(&f.legal_basis),
        processes::forms.eq(&f.forms),
        processes::it_systems.eq(&f.it_systems),
        processes::efa_solution_id.eq(&f.efa_solution_id),
        processes::knowledge.eq(&f.knowledge),
        processes::visibility.eq(f.visibility.as_str()),
        processes::updated_at.eq(now()),
        processes::version.eq(processes::version + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::PreconditionFailed);
    }
    super::search::reindex(conn, &id)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.update",
            object_type: "process",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: owner.as_deref(),
            summary: json!({"visibility": f.visibility.as_str()}),
        },
    )?;
    get_process(conn, actor, id)
}

/// Sets (or with an empty text removes) the responsible office of a town.
pub fn set_office(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    town_id: String,
    input: OfficeInput,
) -> AppResult<Process> {
    let row = visible_process(conn, &actor, &id)?;
    let town = district_town(conn, &row.district_id, &town_id)?;
    if !policy::can_edit_process_variant(&actor, Scope::new(Some(&row.district_id), Some(&town.id)))
    {
        return Err(AppError::Forbidden);
    }
    let office = input.office.trim().to_string();
    if office.chars().count() > MAX_OFFICE {
        return Err(AppError::field(
            "office",
            &format!("Höchstens {MAX_OFFICE} Zeichen."),
        ));
    }
    diesel::delete(
        process_offices::table
            .filter(process_offices::process_id.eq(&id))
            .filter(process_offices::municipality_id.eq(&town.id)),
    )
    .execute(conn)?;
    if !office.is_empty() {
        diesel::insert_into(process_offices::table)
            .values((
                process_offices::process_id.eq(&id),
                process_offices::municipality_id.eq(&town.id),
                process_offices::office.eq(&office),
            ))
            .execute(conn)?;
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.office",
            object_type: "process",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: Some(&town.id),
            summary: json!({"office": office}),
        },
    )?;
    process_detail(conn, &actor, row)
}

/// Replaces the linked projects; links to projects the caller cannot read stay as they
/// are (they are not shown to the caller either).
pub fn set_projects(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    input: ProcessProjectsInput,
) -> AppResult<Process> {
    let row = editable_process(conn, &actor, &id)?;
    let wanted: Vec<String> = {
        let mut seen = HashSet::new();
        input
            .project_ids
            .into_iter()
            .filter(|p| seen.insert(p.clone()))
            .collect()
    };
    if wanted.len() > MAX_LINKS {
        return Err(AppError::field(
            "project_ids",
            &format!("Höchstens {MAX_LINKS} Projekte."),
        ));
    }
    let readable: HashSet<String> = projects::table
        .filter(projects::id.eq_any(&wanted))
        .filter(crate::projects::visibility::visible_to(Some(&actor)))
        .select(projects::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let unknown: Vec<FieldError> = wanted
        .iter()
        .enumerate()
        .filter(|(_, p)| !readable.contains(*p))
        .map(|(i, _)| FieldError::new(format!("project_ids[{i}]"), "Dieses Projekt gibt es nicht."))
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::Validation(unknown));
    }
    let linked: Vec<String> = readable_links(conn, &actor, &id)?;
    let drop: Vec<&String> = linked.iter().filter(|p| !wanted.contains(p)).collect();
    if !drop.is_empty() {
        diesel::delete(
            process_projects::table
                .filter(process_projects::process_id.eq(&id))
                .filter(process_projects::project_id.eq_any(drop)),
        )
        .execute(conn)?;
    }
    for p in wanted.iter().filter(|p| !linked.contains(p)) {
        diesel::insert_into(process_projects::table)
            .values((
                process_projects::process_id.eq(&id),
                process_projects::project_id.eq(p),
            ))
            .execute(conn)?;
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.projects",
            object_type: "process",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: row.owner_municipality_id.as_deref(),
            summary: json!({"project_count": wanted.len()}),
        },
    )?;
    process_detail(conn, &actor, row)
}

/// The linked projects of a process that `actor` may read.
fn readable_links(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<Vec<String>> {
    let all: Vec<String> = process_projects::table
        .filter(process_projects::process_id.eq(id))
        .select(process_projects::project_id)
        .load(conn)?;
    if all.is_empty() {
        return Ok(all);
    }
    Ok(projects::table
        .filter(projects::id.eq_any(&all))
        .filter(crate::projects::visibility::visible_to(Some(actor)))
        .select(projects::id)
        .load(conn)?)
}

// ---- Models ----

/// A checked model upload.
pub struct ModelUpload {
    pub kind: ModelKind,
    pub municipality_id: Option<String>,
    pub derived_from: Option<String>,
    pub file_name: String,
    pub xml: String,
    pub activities: Vec<Activity>,
}

#[derive(Queryable)]
struct ModelRow {
    id: String,
    process_id: String,
    kind: String,
    municipality_id: Option<String>,
    version_no: i32,
    derived_from: Option<String>,
    file_name: String,
    sha256: String,
    size_bytes: i64,
    activities: String,
    is_current: bool,
    uploaded_by_name: Option<String>,
    created_at: chrono::NaiveDateTime,
}

#[allow(clippy::type_complexity)]
fn model_columns() -> (
    process_models::id,
    process_models::process_id,
    process_models::kind,
    process_models::municipality_id,
    process_models::version_no,
    process_models::derived_from,
    process_models::file_name,
    process_models::sha256,
    process_models::size_bytes,
    process_models::activities,
    process_models::is_current,
    diesel::dsl::Nullable<users::name>,
    process_models::created_at,
) {
    (
        process_models::id,
        process_models::process_id,
        process_models::kind,
        process_models::municipality_id,
        process_models::version_no,
        process_models::derived_from,
        process_models::file_name,
        process_models::sha256,
        process_models::size_bytes,
        process_models::activities,
        process_models::is_current,
        users::name.nullable(),
        process_models::created_at,
    )
}

fn load_models(
    conn: &mut DbConn,
    process_id: &str,
    only: Option<&[String]>,
) -> AppResult<Vec<ProcessModel>> {
    let mut q = process_models::table
        .left_join(users::table.on(users::id.nullable().eq(process_models::uploaded_by)))
        .filter(process_models::process_id.eq(process_id))
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(process_models::id.eq_any(ids.to_vec()));
    }
    let rows: Vec<ModelRow> = q
        .order((
            process_models::kind.desc(),
            process_models::municipality_id.asc(),
            process_models::version_no.desc(),
        ))
        .select(model_columns())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let counts: HashMap<String, i64> = process_differences::table
        .filter(process_differences::model_id.eq_any(&ids))
        .group_by(process_differences::model_id)
        .select((process_differences::model_id, count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let town_ids: Vec<String> = rows
        .iter()
        .filter_map(|r| r.municipality_id.clone())
        .collect();
    let towns = towns_by_id(conn, &town_ids)?;
    rows.into_iter()
        .map(|r| {
            Ok(ProcessModel {
                activities: serde_json::from_str(&r.activities)
                    .map_err(|e| AppError::internal(format!("activities: {e}")))?,
                kind: ModelKind::parse(&r.kind).unwrap_or(ModelKind::Local),
                municipality: r
                    .municipality_id
                    .as_ref()
                    .and_then(|t| towns.get(t).cloned()),
                difference_count: counts.get(&r.id).copied().unwrap_or(0),
                created_at: utc(r.created_at),
                id: r.id,
                process_id: r.process_id,
                version_no: r.version_no,
                derived_from: r.derived_from,
                file_name: r.file_name,
                sha256: r.sha256,
                size_bytes: r.size_bytes,
                is_current: r.is_current,
                uploaded_by_name: r.uploaded_by_name,
            })
        })
        .collect()
}

fn one_model(conn: &mut DbConn, process_id: &str, model_id: &str) -> AppResult<ProcessModel> {
    load_models(conn, process_id, Some(&[model_id.to_string()]))?
        .pop()
        .ok_or(AppError::NotFound)
}

pub fn list_models(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<ProcessModelList> {
    visible_process(conn, &actor, &id)?;
    Ok(ProcessModelList {
        items: load_models(conn, &id, None)?,
    })
}

/// Checks who may upload what before the bytes are read (404 / 403).
pub fn may_upload(conn: &mut DbConn, actor: Actor, id: String) -> AppResult<()> {
    let row = visible_process(conn, &actor, &id)?;
    let any_town = !variant_towns(conn, &actor, &row)?.is_empty();
    if !policy::can_edit_process(&actor, row.scope()) && !any_town {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Stores a new model version; a local variant gets its differences against the
/// reference version it derives from (reasons and states of the town's previous version
/// carried over for the same change).
pub fn add_model(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    up: ModelUpload,
) -> AppResult<ProcessModel> {
    use sha2::{Digest, Sha256};
    let row = visible_process(conn, &actor, &id)?;
    let (town, derived) = match up.kind {
        ModelKind::Reference => {
            if !policy::can_edit_process(&actor, row.scope()) {
                return Err(AppError::Forbidden);
            }
            (None, None)
        }
        ModelKind::Local => {
            let town_id = up
                .municipality_id
                .clone()
                .or_else(|| actor.municipality_id.clone())
                .ok_or_else(|| {
                    AppError::field("municipality_id", "Bitte die Kommune der Variante angeben.")
                })?;
            let town = district_town(conn, &row.district_id, &town_id).map_err(|_| {
                AppError::field(
                    "municipality_id",
                    "Diese Kommune gehört nicht zum Kreis des Prozesses.",
                )
            })?;
            if !policy::can_edit_process_variant(
                &actor,
                Scope::new(Some(&row.district_id), Some(&town.id)),
            ) {
                return Err(AppError::Forbidden);
            }
            let reference: Option<(String, String)> = match &up.derived_from {
                Some(r) => process_models::table
                    .find(r)
                    .filter(process_models::process_id.eq(&id))
                    .filter(process_models::kind.eq("reference"))
                    .select((process_models::id, process_models::activities))
                    .first(conn)
                    .optional()?,
                None => process_models::table
                    .filter(process_models::process_id.eq(&id))
                    .filter(process_models::kind.eq("reference"))
                    .filter(process_models::is_current.eq(true))
                    .select((process_models::id, process_models::activities))
                    .first(conn)
                    .optional()?,
            };
            let Some(reference) = reference else {
                return Err(AppError::field(
                    "derived_from",
                    if up.derived_from.is_some() {
                        "Dieses Referenzmodell gibt es in diesem Prozess nicht."
                    } else {
                        "Es gibt noch kein Referenzmodell, von dem die Variante abgeleitet werden kann. Bitte zuerst ein Referenzmodell hochladen."
                    },
                ));
            };
            (Some(town), Some(reference))
        }
    };
    let town_id = town.as_ref().map(|t| t.id.clone());
    let kind = up.kind.as_str();
    let mut same = process_models::table
        .filter(process_models::process_id.eq(&id))
        .filter(process_models::kind.eq(kind))
        .into_boxed();
    same = match &town_id {
        Some(t) => same.filter(process_models::municipality_id.eq(t.clone())),
        None => same.filter(process_models::municipality_id.is_null()),
    };
    let previous: Vec<(String, i32, bool)> = same
        .select((
            process_models::id,
            process_models::version_no,
            process_models::is_current,
        ))
        .load(conn)?;
    let version_no = previous.iter().map(|p| p.1).max().unwrap_or(0) + 1;
    let previous_current: Vec<String> = previous
        .iter()
        .filter(|p| p.2)
        .map(|p| p.0.clone())
        .collect();
    if !previous_current.is_empty() {
        diesel::update(process_models::table.filter(process_models::id.eq_any(&previous_current)))
            .set(process_models::is_current.eq(false))
            .execute(conn)?;
    }
    let model_id = new_id();
    let at = now();
    let activities_json = serde_json::to_string(&up.activities)
        .map_err(|e| AppError::internal(format!("activities: {e}")))?;
    diesel::insert_into(process_models::table)
        .values((
            process_models::id.eq(&model_id),
            process_models::process_id.eq(&id),
            process_models::kind.eq(kind),
            process_models::municipality_id.eq(&town_id),
            process_models::version_no.eq(version_no),
            process_models::derived_from.eq(derived.as_ref().map(|d| d.0.clone())),
            process_models::file_name.eq(&up.file_name),
            process_models::sha256.eq(hex::encode(Sha256::digest(up.xml.as_bytes()))),
            process_models::size_bytes.eq(up.xml.len() as i64),
            process_models::xml.eq(&up.xml),
            process_models::activities.eq(&activities_json),
            process_models::is_current.eq(true),
            process_models::uploaded_by.eq(Some(&actor.id)),
            process_models::created_at.eq(at),
        ))
        .execute(conn)?;
    if let Some((_, reference_json)) = &derived {
        let reference: Vec<Activity> = serde_json::from_str(reference_json)
            .map_err(|e| AppError::internal(format!("activities: {e}")))?;
        let kept: HashMap<(String, String), (String, String)> = process_differences::table
            .filter(process_differences::model_id.eq_any(&previous_current))
            .select((
                process_differences::activity_id,
                process_differences::change,
                process_differences::reason,
                process_differences::state,
            ))
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .map(|(a, c, r, s)| ((a, c), (r, s)))
            .collect();
        for c in bpmn::compare(&reference, &up.activities) {
            let (reason, state) = kept
                .get(&(c.activity_id.clone(), c.change.to_string()))
                .cloned()
                .unwrap_or_else(|| (String::new(), "adapted".to_string()));
            diesel::insert_into(process_differences::table)
                .values((
                    process_differences::id.eq(new_id()),
                    process_differences::model_id.eq(&model_id),
                    process_differences::activity_id.eq(c.activity_id),
                    process_differences::change.eq(c.change),
                    process_differences::reference_name.eq(c.reference_name),
                    process_differences::local_name.eq(c.local_name),
                    process_differences::reason.eq(reason),
                    process_differences::state.eq(state),
                    process_differences::updated_by.eq(Some(&actor.id)),
                    process_differences::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    diesel::update(processes::table.find(&id))
        .set(processes::updated_at.eq(at))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.model",
            object_type: "process",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: town_id.as_deref(),
            summary: json!({"model_id": model_id, "kind": kind, "version_no": version_no, "file_name": up.file_name}),
        },
    )?;
    one_model(conn, &id, &model_id)
}

/// The XML of a model (file name, text).
pub fn model_xml(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    model_id: String,
) -> AppResult<(String, String)> {
    visible_process(conn, &actor, &id)?;
    process_models::table
        .find(&model_id)
        .filter(process_models::process_id.eq(&id))
        .select((process_models::file_name, process_models::xml))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

fn differences_of(
    conn: &mut DbConn,
    actor: &Actor,
    district_id: &str,
    model: &ProcessModel,
) -> AppResult<Vec<ProcessDifference>> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        chrono::NaiveDateTime,
    );
    let can_edit = model.municipality.as_ref().is_some_and(|t| {
        policy::can_edit_process_variant(actor, Scope::new(Some(district_id), Some(&t.id)))
    });
    let rows: Vec<Row> = process_differences::table
        .filter(process_differences::model_id.eq(&model.id))
        .select((
            process_differences::id,
            process_differences::model_id,
            process_differences::activity_id,
            process_differences::change,
            process_differences::reference_name,
            process_differences::local_name,
            process_differences::reason,
            process_differences::state,
            process_differences::updated_at,
        ))
        .load(conn)?;
    // In the order of the comparison: the reference's steps, then the added ones.
    let order: HashMap<&str, usize> = model
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut out: Vec<ProcessDifference> = rows
        .into_iter()
        .map(
            |(id, model_id, activity_id, change, rn, ln, reason, state, at)| ProcessDifference {
                id,
                model_id,
                change: ChangeKind::parse(&change).unwrap_or(ChangeKind::Renamed),
                activity_id,
                reference_name: rn,
                local_name: ln,
                reason,
                state: DifferenceState::parse(&state).unwrap_or(DifferenceState::Adapted),
                updated_at: utc(at),
                can_edit,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        (
            a.change == ChangeKind::Added,
            order.get(a.activity_id.as_str()),
            &a.activity_id,
        )
            .cmp(&(
                b.change == ChangeKind::Added,
                order.get(b.activity_id.as_str()),
                &b.activity_id,
            ))
    });
    Ok(out)
}

/// A local variant next to its reference version, with the differences.
pub fn comparison(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    model_id: String,
) -> AppResult<ProcessComparison> {
    let row = visible_process(conn, &actor, &id)?;
    let local = one_model(conn, &id, &model_id)?;
    let Some(reference_id) = local.derived_from.clone() else {
        return Err(AppError::BadRequest(
            "Nur lokale Varianten werden mit ihrem Referenzmodell verglichen.".into(),
        ));
    };
    let reference = one_model(conn, &id, &reference_id)?;
    let differences = differences_of(conn, &actor, &row.district_id, &local)?;
    Ok(ProcessComparison {
        reference,
        local,
        differences,
    })
}

/// Sets the town's reason and state of a changed step.
pub fn update_difference(
    conn: &mut DbConn,
    actor: Actor,
    id: String,
    difference_id: String,
    input: DifferenceInput,
) -> AppResult<ProcessDifference> {
    let row = visible_process(conn, &actor, &id)?;
    input.check()?;
    let (model_id, town): (String, Option<String>) = process_differences::table
        .inner_join(process_models::table)
        .filter(process_differences::id.eq(&difference_id))
        .filter(process_models::process_id.eq(&id))
        .select((process_models::id, process_models::municipality_id))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !policy::can_edit_process_variant(
        &actor,
        Scope::new(Some(&row.district_id), town.as_deref()),
    ) || town.is_none()
    {
        return Err(AppError::Forbidden);
    }
    let reason = input.reason.trim().to_string();
    diesel::update(process_differences::table.find(&difference_id))
        .set((
            process_differences::reason.eq(&reason),
            process_differences::state.eq(input.state.as_str()),
            process_differences::updated_by.eq(Some(&actor.id)),
            process_differences::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.difference",
            object_type: "process",
            object_id: &id,
            district_id: Some(&row.district_id),
            municipality_id: town.as_deref(),
            summary: json!({"difference_id": difference_id, "state": input.state.as_str()}),
        },
    )?;
    let model = one_model(conn, &id, &model_id)?;
    differences_of(conn, &actor, &row.district_id, &model)?
        .into_iter()
        .find(|d| d.id == difference_id)
        .ok_or(AppError::NotFound)
}

/// "Abweichungen im Kreis": per process and step, how many towns' current variants
/// changed it, most first; over the processes the caller may read in the district.
pub fn deviations(
    conn: &mut DbConn,
    actor: Actor,
    district: String,
    paging: Paging,
) -> AppResult<Page<ProcessDeviation>> {
    type Row = (String, String, String, Option<String>, i64, i64, i64, i64);
    let rows: Vec<Row> = process_differences::table
        .inner_join(process_models::table.inner_join(processes::table))
        .filter(processes::district_id.eq(&district))
        .filter(visible_to(Some(&actor)))
        .filter(process_models::kind.eq("local"))
        .filter(process_models::is_current.eq(true))
        .group_by((
            processes::id,
            processes::name,
            process_differences::activity_id,
        ))
        .select((
            processes::id,
            processes::name,
            process_differences::activity_id,
            sql::<Nullable<Text>>(
                "MAX(COALESCE(process_differences.reference_name, process_differences.local_name))",
            ),
            sql::<BigInt>("COUNT(DISTINCT process_models.municipality_id)"),
            sql::<BigInt>("SUM(CASE WHEN process_differences.change = 'added' THEN 1 ELSE 0 END)"),
            sql::<BigInt>(
                "SUM(CASE WHEN process_differences.change = 'removed' THEN 1 ELSE 0 END)",
            ),
            sql::<BigInt>(
                "SUM(CASE WHEN process_differences.change = 'renamed' THEN 1 ELSE 0 END)",
            ),
        ))
        .order((
            sql::<BigInt>("COUNT(DISTINCT process_models.municipality_id)").desc(),
            processes::name.asc(),
            process_differences::activity_id.asc(),
        ))
        .load(conn)?;
    let all = rows
        .into_iter()
        .map(
            |(pid, pname, aid, aname, towns, added, removed, renamed)| ProcessDeviation {
                process_id: pid,
                process_name: pname,
                activity_id: aid,
                activity_name: aname.unwrap_or_default(),
                towns,
                added,
                removed,
                renamed,
            },
        )
        .collect();
    Ok(Page::cut(all, paging))
}

// ---- Import ----

/// The columns of a register CSV, by their (folded) header names.
fn column_of(headers: &[String], names: &[&str]) -> Option<usize> {
    let fold = |s: &str| {
        s.trim()
            .to_lowercase()
            .replace(['-', '_', '.', '(', ')'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    headers
        .iter()
        .position(|h| names.iter().any(|n| fold(h) == fold(n)))
}

struct ImportRow {
    line: u64,
    name: String,
    leika_key: Option<String>,
    office: String,
    cases: Option<i32>,
    minutes: Option<i32>,
}

/// Imports a town's register: every line is checked first; any error and nothing is
/// stored. A line joins the district's process with its LeiKa key (or else its name), or
/// creates one maintained by the town; it sets the town's office and, with figures, the
/// town's profile for the year.
pub fn import_register(
    conn: &mut DbConn,
    actor: Actor,
    input: ProcessImportInput,
) -> AppResult<ProcessImportResult> {
    let town: (String, String) = municipalities::table
        .find(&input.municipality_id)
        .select((municipalities::id, municipalities::district_id))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let (town_id, district) = town;
    let scope = Scope::new(Some(&district), Some(&town_id));
    if !policy::can_read_district(&actor, &district) {
        return Err(AppError::NotFound);
    }
    if !policy::can_edit_process_variant(&actor, scope) {
        return Err(AppError::Forbidden);
    }
    let year = input.year.unwrap_or_else(|| {
        use chrono::Datelike;
        crate::db::today().year()
    });
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field(
            "year",
            "Bitte ein Jahr zwischen 2000 und 2100 angeben.",
        ));
    }
    let file = crate::usage::import::read(&input.csv).map_err(AppError::Validation)?;
    let col = |names: &[&str]| column_of(&file.headers, names);
    let Some(c_name) = col(&["Name", "Prozess", "Prozessname", "Bezeichnung", "Leistung"]) else {
        return Err(AppError::field(
            "csv",
            "Die Spalte „Name“ fehlt. Erwartet werden die Spalten Name, Leistungsschlüssel, Amt, Fallzahl und Minuten je Fall.",
        ));
    };
    let c_key = col(&[
        "Leistungsschlüssel",
        "LeiKa",
        "LeiKa-Schlüssel",
        "LeiKa Schlüssel",
        "Leika key",
    ]);
    let c_office = col(&[
        "Amt",
        "Zuständige Stelle",
        "Organisationseinheit",
        "Stelle",
        "Office",
    ]);
    let c_cases = col(&[
        "Fallzahl",
        "Fallzahlen",
        "Fälle",
        "Fälle pro Jahr",
        "Fallzahl pro Jahr",
        "Annual cases",
    ]);
    let c_minutes = col(&[
        "Minuten je Fall",
        "Minuten pro Fall",
        "Minuten",
        "Bearbeitungszeit",
        "Bearbeitungszeit Minuten",
        "Minutes per case",
    ]);
    let header = |i: Option<usize>| {
        i.and_then(|i| file.headers.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let mut errors: Vec<FieldError> = Vec::new();
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (line, cells) in &file.records {
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let mut err = |col: Option<usize>, msg: String| {
            if errors.len() < crate::usage::import::MAX_ERRORS {
                let h = header(col);
                errors.push(FieldError::new(
                    "csv",
                    if h.is_empty() {
                        format!("Zeile {line}: {msg}")
                    } else {
                        format!("Zeile {line}, Spalte „{h}“: {msg}")
                    },
                ));
            }
        };
        let name = cell(Some(c_name));
        if name.chars().count() < 3 {
            err(
                Some(c_name),
                "Bitte einen Namen mit mindestens 3 Zeichen angeben.".into(),
            );
        } else if name.chars().count() > MAX_NAME {
            err(Some(c_name), format!("Höchstens {MAX_NAME} Zeichen."));
        }
        let key = cell(c_key).replace(' ', "");
        let leika_key = if key.is_empty() {
            None
        } else if is_leika_key(&key) {
            Some(key)
        } else {
            err(
                c_key,
                format!("„{key}“ ist kein Leistungsschlüssel (14 Ziffern)."),
            );
            None
        };
        let office = cell(c_office);
        if office.chars().count() > MAX_OFFICE {
            err(c_office, format!("Höchstens {MAX_OFFICE} Zeichen."));
        }
        let mut number = |col: Option<usize>| -> Option<i32> {
            let raw = cell(col).replace('.', "");
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<i32>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    err(col, format!("„{}“ ist keine ganze Zahl ab 0.", cell(col)));
                    None
                }
            }
        };
        let cases = number(c_cases);
        let minutes = number(c_minutes);
        if cases.is_some() != minutes.is_some()
            && !(cell(c_cases).is_empty() && cell(c_minutes).is_empty())
        {
            let missing = if cases.is_none() { c_cases } else { c_minutes };
            if cell(missing).is_empty() {
                err(
                    missing,
                    "Fallzahl und Minuten je Fall gehören zusammen: bitte beide angeben.".into(),
                );
            }
        }
        let identity = leika_key.clone().unwrap_or_else(|| name.to_lowercase());
        if !seen.insert(identity) {
            err(
                Some(c_name),
                "Dieser Prozess steht schon in einer früheren Zeile.".into(),
            );
        }
        rows.push(ImportRow {
            line: *line,
            name,
            leika_key,
            office,
            cases,
            minutes,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // Existing processes of the district, by key and by name (one query).
    let existing: Vec<(String, Option<String>, String)> = processes::table
        .filter(processes::district_id.eq(&district))
        .filter(visible_to(Some(&actor)))
        .select((processes::id, processes::leika_key, processes::name))
        .load(conn)?;
    let by_key: HashMap<String, String> = existing
        .iter()
        .filter_map(|(id, k, _)| k.clone().map(|k| (k, id.clone())))
        .collect();
    let by_name: HashMap<String, String> = existing
        .iter()
        .map(|(id, _, n)| (n.to_lowercase(), id.clone()))
        .collect();
    let at = now();
    let (mut created, mut matched, mut profiles) = (0i64, 0i64, 0i64);
    for r in &rows {
        let found = r
            .leika_key
            .as_ref()
            .and_then(|k| by_key.get(k))
            .or_else(|| by_name.get(&r.name.to_lowercase()))
            .cloned();
        let pid = match found {
            Some(p) => {
                matched += 1;
                p
            }
            None => {
                let id = new_id();
                diesel::insert_into(processes::table)
                    .values((
                        processes::id.eq(&id),
                        processes::district_id.eq(&district),
                        processes::owner_municipality_id.eq(Some(&town_id)),
                        processes::name.eq(&r.name),
                        processes::leika_key.eq(&r.leika_key),
                        processes::visibility.eq("district"),
                        processes::created_by.eq(Some(&actor.id)),
                        processes::created_at.eq(at),
                        processes::updated_at.eq(at),
                        processes::version.eq(1),
                    ))
                    .execute(conn)?;
                super::search::reindex(conn, &id)?;
                created += 1;
                id
            }
        };
        if !r.office.is_empty() {
            diesel::delete(
                process_offices::table
                    .filter(process_offices::process_id.eq(&pid))
                    .filter(process_offices::municipality_id.eq(&town_id)),
            )
            .execute(conn)?;
            diesel::insert_into(process_offices::table)
                .values((
                    process_offices::process_id.eq(&pid),
                    process_offices::municipality_id.eq(&town_id),
                    process_offices::office.eq(&r.office),
                ))
                .execute(conn)?;
        }
        if let (Some(cases), Some(minutes)) = (r.cases, r.minutes) {
            let key = process_profiles::table
                .filter(process_profiles::process_id.eq(&pid))
                .filter(process_profiles::municipality_id.eq(&town_id))
                .filter(process_profiles::year.eq(year));
            let n = diesel::update(key)
                .set((
                    process_profiles::annual_cases.eq(cases),
                    process_profiles::minutes_per_case.eq(minutes),
                    process_profiles::updated_by.eq(Some(&actor.id)),
                    process_profiles::updated_at.eq(at),
                ))
                .execute(conn)?;
            if n == 0 {
                diesel::insert_into(process_profiles::table)
                    .values((
                        process_profiles::process_id.eq(&pid),
                        process_profiles::municipality_id.eq(&town_id),
                        process_profiles::year.eq(year),
                        process_profiles::annual_cases.eq(cases),
                        process_profiles::minutes_per_case.eq(minutes),
                        process_profiles::staff_fte_hundredths.eq(0),
                        process_profiles::updated_by.eq(Some(&actor.id)),
                        process_profiles::updated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            profiles += 1;
        }
        let _ = r.line;
    }
    audit::record(
        conn,
        Some(&actor),
        Entry {
            action: "process.import",
            object_type: "municipality",
            object_id: &town_id,
            district_id: Some(&district),
            municipality_id: Some(&town_id),
            summary: json!({"rows": rows.len(), "created": created, "matched": matched, "year": year}),
        },
    )?;
    Ok(ProcessImportResult {
        rows: rows.len() as i64,
        created,
        matched,
        profiles,
    })
}

// ---- Hints ----

/// Processes of other towns (or the district) that resemble a project draft: "a process
/// that another town already documented is worth a hint". Same visibility as the list.
pub fn similar_processes(
    conn: &mut DbConn,
    actor: Actor,
    draft: crate::projects::model::SimilarRequest,
) -> AppResult<ProcessHintList> {
    use crate::projects::similar::{draft as draft_of, features, top_k, Doc};
    let draft_features = draft_of(&Doc {
        title: &draft.title,
        summary: &draft.summary,
        ozg_ids: &draft.ozg_ids,
        topics: &[],
    });
    let mut q = processes::table
        .filter(visible_to::<processes::table>(Some(&actor)))
        .into_boxed();
    if let Some(t) = actor.municipality_id.clone() {
        q = q.filter(
            processes::owner_municipality_id
                .ne(t)
                .or(processes::owner_municipality_id.is_null()),
        );
    }
    let rows: Vec<ProcessRow> = q
        .order((processes::updated_at.desc(), processes::id.asc()))
        .limit(crate::projects::model::SIMILAR_PROCESSES)
        .select(ProcessRow::as_select())
        .load(conn)?;
    let feats: Vec<(String, crate::projects::similar::Features)> = rows
        .iter()
        .map(|r| {
            let plain = crate::markdown::to_plain(&r.knowledge);
            let summary: String = plain.chars().take(1000).collect();
            let ozg: Vec<i32> = r.ozg_id.into_iter().collect();
            let f = features(&Doc {
                title: &r.name,
                summary: &summary,
                ozg_ids: &ozg,
                topics: &[],
            });
            (r.id.clone(), f)
        })
        .collect();
    let best = top_k(
        &draft_features,
        feats.iter().map(|(id, f)| (id.as_str(), f)),
        crate::projects::model::SIMILAR_RESULTS,
    );
    let mut by_id: std::collections::HashMap<String, ProcessRow> =
        rows.into_iter().map(|r| (r.id.clone(), r)).collect();
    let (meta, rows): (Vec<_>, Vec<_>) = best
        .into_iter()
        .filter_map(|(id, s)| by_id.remove(id).map(|row| ((s.score, s.reasons), row)))
        .unzip();
    let summaries = summaries(conn, rows)?;
    Ok(ProcessHintList {
        items: meta
            .into_iter()
            .zip(summaries)
            .map(|((score, reasons), process)| ProcessHint {
                process,
                score,
                reasons,
            })
            .collect(),
    })
}
