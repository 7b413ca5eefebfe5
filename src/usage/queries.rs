//! Every database query of the Nutzungsmonitor: storing figures (with history),
//! tokens, sharing, the aggregate views and the Reifegrad.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use diesel::dsl::{count_star, max, sql, sum};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::cells::{Cells, Readable, Sums};
use super::model::*;
use crate::auth::model::{Actor, Role};
use crate::auth::policy::{self, Scope};
use crate::db::schema::{
    adoptions, districts, efa_solution_ozg, efa_solutions, leika_services,
    maturity_assessment_criteria, maturity_assessments, maturity_criteria, maturity_levels,
    maturity_models, municipalities, usage_figure_history, usage_figures, usage_imports,
    usage_sharing, usage_tokens, users,
};
use crate::db::{new_id, now, DbConn};
use crate::error::{AppError, AppResult};

pub type Backend = <DbConn as diesel::Connection>::Backend;
type FigureFilter = Box<dyn BoxableExpression<usage_figures::table, Backend, SqlType = Bool>>;

fn utc(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_naive_utc_and_offset(t, chrono::Utc)
}

/// A town as the usage views need it.
#[derive(Debug, Clone)]
pub struct Town {
    pub id: String,
    pub district_id: String,
    pub name: String,
    pub ags: String,
}

impl Town {
    pub fn scope(&self) -> Scope<'_> {
        Scope::new(Some(&self.district_id), Some(&self.id))
    }
}

pub fn town(conn: &mut DbConn, id: &str) -> AppResult<Option<Town>> {
    Ok(municipalities::table
        .filter(municipalities::id.eq(id))
        .select((
            municipalities::id,
            municipalities::district_id,
            municipalities::name,
            municipalities::ags,
        ))
        .first::<(String, String, String, String)>(conn)
        .optional()?
        .map(|(id, district_id, name, ags)| Town {
            id,
            district_id,
            name,
            ags,
        }))
}

/// The towns of a district (not the district administration), by name.
pub fn district_towns(conn: &mut DbConn, district_id: &str) -> AppResult<Vec<TownRef>> {
    Ok(municipalities::table
        .filter(municipalities::district_id.eq(district_id))
        .filter(municipalities::kind.ne("district_administration"))
        .order(municipalities::name.asc())
        .select((municipalities::id, municipalities::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(id, name)| TownRef { id, name })
        .collect())
}

pub fn district_name(conn: &mut DbConn, district_id: &str) -> AppResult<Option<String>> {
    Ok(districts::table
        .filter(districts::id.eq(district_id))
        .select(districts::name)
        .first(conn)
        .optional()?)
}

/// Which of `keys` the LeiKa catalogue knows.
pub fn known_leika_keys(conn: &mut DbConn, keys: &[String]) -> AppResult<HashSet<String>> {
    let mut out = HashSet::new();
    for chunk in keys.chunks(500) {
        let found: Vec<Option<String>> = leika_services::table
            .filter(leika_services::leika_key.eq_any(chunk))
            .select(leika_services::leika_key)
            .load(conn)?;
        out.extend(found.into_iter().flatten());
    }
    Ok(out)
}

/// Name and OZG-ID of each of `keys` (the first catalogue entry of a key).
pub fn leika_info(
    conn: &mut DbConn,
    keys: &[String],
) -> AppResult<HashMap<String, (String, Option<i32>)>> {
    let mut out = HashMap::new();
    for chunk in keys.chunks(500) {
        let rows: Vec<(Option<String>, String, Option<i32>)> = leika_services::table
            .filter(leika_services::leika_key.eq_any(chunk))
            .order(leika_services::id.asc())
            .select((
                leika_services::leika_key,
                leika_services::name,
                leika_services::ozg_id,
            ))
            .load(conn)?;
        for (k, name, ozg) in rows {
            if let Some(k) = k {
                out.entry(k).or_insert((name, ozg));
            }
        }
    }
    Ok(out)
}

fn name_of(info: &HashMap<String, (String, Option<i32>)>, key: &str) -> String {
    info.get(key)
        .map(|(n, _)| n.clone())
        .unwrap_or_else(|| key.to_string())
}

/// LeiKa services matching `q` (key prefix or name), by name.
pub fn search_leika(
    conn: &mut DbConn,
    q: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<LeikaOut>, i64)> {
    let filter = |q: Option<&str>| -> Box<dyn BoxableExpression<leika_services::table, Backend, SqlType = Bool>> {
        match q.map(str::trim).filter(|s| !s.is_empty()) {
            None => Box::new(leika_services::leika_key.is_not_null()),
            Some(q) => {
                let digits = q.chars().all(|c| c.is_ascii_digit());
                if digits {
                    Box::new(
                        leika_services::leika_key
                            .is_not_null()
                            .and(leika_services::leika_key.assume_not_null().like(format!("{q}%"))),
                    )
                } else {
                    Box::new(
                        leika_services::leika_key.is_not_null().and(
                            crate::db::lower(leika_services::name)
                                .like(crate::db::contains_pattern(q))
                                .escape('\\'),
                        ),
                    )
                }
            }
        }
    };
    let total: i64 = leika_services::table
        .filter(filter(q))
        .count()
        .get_result(conn)?;
    let rows: Vec<(Option<String>, String, Option<i32>)> = leika_services::table
        .filter(filter(q))
        .order((leika_services::name.asc(), leika_services::id.asc()))
        .limit(limit)
        .offset(offset)
        .select((
            leika_services::leika_key,
            leika_services::name,
            leika_services::ozg_id,
        ))
        .load(conn)?;
    Ok((
        rows.into_iter()
            .filter_map(|(k, name, ozg_id)| {
                k.map(|leika_key| LeikaOut {
                    leika_key,
                    name,
                    ozg_id,
                })
            })
            .collect(),
        total,
    ))
}

// ---- Storing figures ----

/// Who and what an import is.
pub struct ImportMeta {
    pub source: Source,
    pub file_name: Option<String>,
    pub token_id: Option<String>,
    pub created_by: Option<String>,
    pub row_count: i32,
    pub is_demo: bool,
}

#[derive(Insertable)]
#[diesel(table_name = usage_figures)]
struct NewFigure {
    municipality_id: String,
    leika_key: String,
    month: i32,
    channel: String,
    source: String,
    district_id: String,
    ozg_id: Option<i32>,
    efa_solution_id: Option<String>,
    count: i32,
    median_days: Option<f64>,
    backlog: Option<i32>,
    import_id: String,
    updated_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = usage_figure_history)]
struct NewHistory {
    id: String,
    municipality_id: String,
    leika_key: String,
    month: i32,
    channel: String,
    source: String,
    count: i32,
    median_days: Option<f64>,
    backlog: Option<i32>,
    import_id: String,
    replaced_by_import_id: String,
    replaced_at: chrono::NaiveDateTime,
}

/// The EfA solution a town adopted for each OZG-ID (to label its figures).
fn adopted_solutions(conn: &mut DbConn, town_id: &str) -> AppResult<HashMap<i32, String>> {
    let rows: Vec<(i32, String)> = adoptions::table
        .inner_join(
            efa_solution_ozg::table.on(efa_solution_ozg::solution_id.eq(adoptions::solution_id)),
        )
        .filter(adoptions::municipality_id.eq(town_id))
        .filter(adoptions::status.ne("declined"))
        .order(adoptions::created_at.asc())
        .select((efa_solution_ozg::ozg_id, adoptions::solution_id))
        .load(conn)?;
    let mut out = HashMap::new();
    for (ozg, sol) in rows {
        out.entry(ozg).or_insert(sol);
    }
    Ok(out)
}

/// Stores `figures` for `town` as one import, in one transaction: figures of the same
/// (service, month, channel, source) are replaced and their old values kept in the history.
pub fn store_figures(
    conn: &mut DbConn,
    town: &Town,
    meta: ImportMeta,
    figures: Vec<FigureInput>,
) -> AppResult<(String, i64, i64)> {
    crate::db::write_transaction(conn, |conn| {
        let import_id = new_id();
        let t = now();
        let source = meta.source.as_str();
        let mut keys: Vec<String> = figures.iter().map(|f| f.leika_key.clone()).collect();
        keys.sort();
        keys.dedup();
        let info = leika_info(conn, &keys)?;
        let solutions = adopted_solutions(conn, &town.id)?;
        diesel::insert_into(usage_imports::table)
            .values((
                usage_imports::id.eq(&import_id),
                usage_imports::municipality_id.eq(&town.id),
                usage_imports::district_id.eq(&town.district_id),
                usage_imports::source.eq(source),
                usage_imports::file_name.eq(&meta.file_name),
                usage_imports::token_id.eq(&meta.token_id),
                usage_imports::created_by.eq(&meta.created_by),
                usage_imports::row_count.eq(meta.row_count),
                usage_imports::figure_count.eq(figures.len() as i32),
                usage_imports::replaced_count.eq(0),
                usage_imports::is_demo.eq(meta.is_demo),
                usage_imports::created_at.eq(t),
            ))
            .execute(conn)?;
        // The figures this import replaces, read in one query per chunk of services.
        let wanted: HashSet<(String, i32, &'static str)> = figures
            .iter()
            .map(|f| (f.leika_key.clone(), f.month.db(), f.channel.as_str()))
            .collect();
        let (lo, hi) = figures.iter().fold((i32::MAX, i32::MIN), |(lo, hi), f| {
            (lo.min(f.month.db()), hi.max(f.month.db()))
        });
        type Old = (String, i32, String, i32, Option<f64>, Option<i32>, String);
        let mut old: Vec<Old> = Vec::new();
        for chunk in keys.chunks(200) {
            old.extend(
                usage_figures::table
                    .filter(usage_figures::municipality_id.eq(&town.id))
                    .filter(usage_figures::source.eq(source))
                    .filter(usage_figures::leika_key.eq_any(chunk))
                    .filter(usage_figures::month.between(lo, hi))
                    .select((
                        usage_figures::leika_key,
                        usage_figures::month,
                        usage_figures::channel,
                        usage_figures::count,
                        usage_figures::median_days,
                        usage_figures::backlog,
                        usage_figures::import_id,
                    ))
                    .load::<Old>(conn)?,
            );
        }
        let replaced: Vec<Old> = old
            .into_iter()
            .filter(|(k, m, c, ..)| {
                Channel::parse(c).is_some_and(|ch| wanted.contains(&(k.clone(), *m, ch.as_str())))
            })
            .collect();
        let history: Vec<NewHistory> = replaced
            .iter()
            .map(|(k, m, c, n, d, b, imp)| NewHistory {
                id: new_id(),
                municipality_id: town.id.clone(),
                leika_key: k.clone(),
                month: *m,
                channel: c.clone(),
                source: source.to_string(),
                count: *n,
                median_days: *d,
                backlog: *b,
                import_id: imp.clone(),
                replaced_by_import_id: import_id.clone(),
                replaced_at: t,
            })
            .collect();
        // Multi-row inserts are not available through the connection enum: per backend.
        for chunk in history.chunks(500) {
            match conn {
                DbConn::Pg(c) => diesel::insert_into(usage_figure_history::table)
                    .values(chunk)
                    .execute(c)?,
                DbConn::Sqlite(c) => diesel::insert_into(usage_figure_history::table)
                    .values(chunk)
                    .execute(c)?,
            };
        }
        // One delete per replaced (service, month): the channels go together.
        let mut by_key_month: BTreeMap<(String, i32), Vec<String>> = BTreeMap::new();
        for (k, m, c, ..) in &replaced {
            by_key_month
                .entry((k.clone(), *m))
                .or_default()
                .push(c.clone());
        }
        for ((k, m), channels) in by_key_month {
            diesel::delete(
                usage_figures::table
                    .filter(usage_figures::municipality_id.eq(&town.id))
                    .filter(usage_figures::source.eq(source))
                    .filter(usage_figures::leika_key.eq(k))
                    .filter(usage_figures::month.eq(m))
                    .filter(usage_figures::channel.eq_any(channels)),
            )
            .execute(conn)?;
        }
        let rows: Vec<NewFigure> = figures
            .iter()
            .map(|f| {
                let ozg_id = f
                    .ozg_id
                    .or_else(|| info.get(&f.leika_key).and_then(|(_, o)| *o));
                NewFigure {
                    municipality_id: town.id.clone(),
                    leika_key: f.leika_key.clone(),
                    month: f.month.db(),
                    channel: f.channel.as_str().to_string(),
                    source: source.to_string(),
                    district_id: town.district_id.clone(),
                    ozg_id,
                    efa_solution_id: ozg_id.and_then(|o| solutions.get(&o).cloned()),
                    count: f.count,
                    median_days: f.median_days,
                    backlog: f.backlog,
                    import_id: import_id.clone(),
                    updated_at: t,
                }
            })
            .collect();
        for chunk in rows.chunks(500) {
            match conn {
                DbConn::Pg(c) => diesel::insert_into(usage_figures::table)
                    .values(chunk)
                    .execute(c)?,
                DbConn::Sqlite(c) => diesel::insert_into(usage_figures::table)
                    .values(chunk)
                    .execute(c)?,
            };
        }
        let n_replaced = replaced.len() as i64;
        diesel::update(usage_imports::table.filter(usage_imports::id.eq(&import_id)))
            .set(usage_imports::replaced_count.eq(n_replaced as i32))
            .execute(conn)?;
        Ok((import_id, figures.len() as i64, n_replaced))
    })
}

type ImportRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    i32,
    i32,
    i32,
    Option<String>,
    chrono::NaiveDateTime,
    bool,
);

fn import_out(r: ImportRow) -> ImportOut {
    ImportOut {
        id: r.0,
        municipality_id: r.1,
        municipality_name: r.2,
        source: r.3,
        file_name: r.4,
        row_count: r.5,
        figure_count: r.6,
        replaced_count: r.7,
        created_by_name: r.8,
        created_at: utc(r.9),
        is_demo: r.10,
    }
}

/// Imports of one town, or of every town the caller enters figures for; newest first.
pub fn list_imports(
    conn: &mut DbConn,
    actor: &Actor,
    town_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<ImportOut>, i64)> {
    let filter = || -> Box<dyn BoxableExpression<usage_imports::table, Backend, SqlType = Bool>> {
        match (town_id, actor.role) {
            (Some(t), _) => Box::new(usage_imports::municipality_id.eq(t.to_string())),
            (None, Role::Admin) => Box::new(usage_imports::id.is_not_null()),
            (None, Role::Coordinator) => Box::new(
                usage_imports::district_id.eq(actor.district_id.clone().unwrap_or_default()),
            ),
            (None, _) => Box::new(
                usage_imports::municipality_id
                    .eq(actor.municipality_id.clone().unwrap_or_default()),
            ),
        }
    };
    let total: i64 = usage_imports::table
        .filter(filter())
        .count()
        .get_result(conn)?;
    let ids: Vec<String> = usage_imports::table
        .filter(filter())
        .order((usage_imports::created_at.desc(), usage_imports::id.desc()))
        .limit(limit)
        .offset(offset)
        .select(usage_imports::id)
        .load(conn)?;
    let mut rows: Vec<ImportRow> = usage_imports::table
        .inner_join(municipalities::table)
        .left_join(users::table.on(users::id.nullable().eq(usage_imports::created_by)))
        .filter(usage_imports::id.eq_any(&ids))
        .select((
            usage_imports::id,
            usage_imports::municipality_id,
            municipalities::name,
            usage_imports::source,
            usage_imports::file_name,
            usage_imports::row_count,
            usage_imports::figure_count,
            usage_imports::replaced_count,
            users::name.nullable(),
            usage_imports::created_at,
            usage_imports::is_demo,
        ))
        .load(conn)?;
    rows.sort_by(|a, b| b.9.cmp(&a.9).then(b.0.cmp(&a.0)));
    Ok((rows.into_iter().map(import_out).collect(), total))
}

pub fn get_import(conn: &mut DbConn, id: &str) -> AppResult<ImportOut> {
    let row: ImportRow = usage_imports::table
        .inner_join(municipalities::table)
        .left_join(users::table.on(users::id.nullable().eq(usage_imports::created_by)))
        .filter(usage_imports::id.eq(id))
        .select((
            usage_imports::id,
            usage_imports::municipality_id,
            municipalities::name,
            usage_imports::source,
            usage_imports::file_name,
            usage_imports::row_count,
            usage_imports::figure_count,
            usage_imports::replaced_count,
            users::name.nullable(),
            usage_imports::created_at,
            usage_imports::is_demo,
        ))
        .first(conn)?;
    Ok(import_out(row))
}

/// The manual grid of one town and month: every service with figures in the 12 months up to it.
pub fn manual_grid(conn: &mut DbConn, town: &Town, month: Month) -> AppResult<ManualGrid> {
    let keys: Vec<String> = usage_figures::table
        .filter(usage_figures::municipality_id.eq(&town.id))
        .filter(usage_figures::month.between(month.plus(-11).db(), month.db()))
        .select(usage_figures::leika_key)
        .distinct()
        .load(conn)?;
    let rows: Vec<(String, String, String, i32)> = usage_figures::table
        .filter(usage_figures::municipality_id.eq(&town.id))
        .filter(usage_figures::month.eq(month.db()))
        .select((
            usage_figures::leika_key,
            usage_figures::channel,
            usage_figures::source,
            usage_figures::count,
        ))
        .load(conn)?;
    let info = leika_info(conn, &keys)?;
    let mut grid: BTreeMap<String, ManualRow> = keys
        .iter()
        .map(|k| {
            (
                k.clone(),
                ManualRow {
                    leika_key: k.clone(),
                    service_name: name_of(&info, k),
                    paper: None,
                    counter: None,
                    email: None,
                    phone: None,
                    online: None,
                },
            )
        })
        .collect();
    for (k, channel, source, n) in rows {
        let Some(row) = grid.get_mut(&k) else {
            continue;
        };
        let n = n as i64;
        match (Channel::parse(&channel), source.as_str()) {
            (Some(Channel::Online), _) => row.online = Some(row.online.unwrap_or(0) + n),
            (Some(Channel::Paper), "manual") => row.paper = Some(n),
            (Some(Channel::Counter), "manual") => row.counter = Some(n),
            (Some(Channel::Email), "manual") => row.email = Some(n),
            (Some(Channel::Phone), "manual") => row.phone = Some(n),
            _ => {}
        }
    }
    let mut rows: Vec<ManualRow> = grid.into_values().collect();
    rows.sort_by(|a, b| a.service_name.cmp(&b.service_name));
    Ok(ManualGrid {
        municipality_id: town.id.clone(),
        month: month.to_string(),
        rows,
    })
}

// ---- API tokens ----

type TokenRow = (
    String,
    String,
    String,
    String,
    chrono::NaiveDateTime,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    Option<chrono::NaiveDateTime>,
);

fn token_out(r: TokenRow) -> TokenOut {
    TokenOut {
        id: r.0,
        municipality_id: r.1,
        name: r.2,
        prefix: r.3,
        created_at: utc(r.4),
        created_by_name: r.5,
        last_used_at: r.6.map(utc),
        revoked_at: r.7.map(utc),
    }
}

fn token_rows(
    conn: &mut DbConn,
    filter: Box<dyn BoxableExpression<usage_tokens::table, Backend, SqlType = Bool>>,
) -> AppResult<Vec<TokenOut>> {
    let rows: Vec<TokenRow> = usage_tokens::table
        .filter(filter)
        .order((usage_tokens::created_at.desc(), usage_tokens::id.desc()))
        .select((
            usage_tokens::id,
            usage_tokens::municipality_id,
            usage_tokens::name,
            usage_tokens::prefix,
            usage_tokens::created_at,
            usage_tokens::created_by,
            usage_tokens::last_used_at,
            usage_tokens::revoked_at,
        ))
        .load(conn)?;
    let creators: Vec<String> = rows.iter().filter_map(|r| r.5.clone()).collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&creators))
        .select((users::id, users::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<TokenRow> = rows
        .into_iter()
        .map(|r| {
            (
                r.0,
                r.1,
                r.2,
                r.3,
                r.4,
                r.5.and_then(|u| names.get(&u).cloned()),
                r.6,
                r.7,
            )
        })
        .collect();
    Ok(rows.into_iter().map(token_out).collect())
}

pub fn list_tokens(conn: &mut DbConn, town_id: &str) -> AppResult<Vec<TokenOut>> {
    token_rows(
        conn,
        Box::new(usage_tokens::municipality_id.eq(town_id.to_string())),
    )
}

/// Creates a token for `town`; returns it and its secret (shown once, stored hashed).
pub fn create_token(
    conn: &mut DbConn,
    town: &Town,
    name: &str,
    created_by: &str,
) -> AppResult<TokenCreated> {
    let secret = format!("dnu_{}", crate::auth::tokens::random_token(32));
    let id = new_id();
    diesel::insert_into(usage_tokens::table)
        .values((
            usage_tokens::id.eq(&id),
            usage_tokens::municipality_id.eq(&town.id),
            usage_tokens::district_id.eq(&town.district_id),
            usage_tokens::name.eq(name),
            usage_tokens::token_hash.eq(crate::auth::tokens::hash_token(&secret)),
            usage_tokens::prefix.eq(secret.chars().take(8).collect::<String>()),
            usage_tokens::created_by.eq(created_by),
            usage_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    let token = token_rows(conn, Box::new(usage_tokens::id.eq(id)))?
        .pop()
        .ok_or_else(|| AppError::internal("token vanished"))?;
    Ok(TokenCreated { token, secret })
}

/// The town of token `id` (for the permission check before revoking).
pub fn token_town(conn: &mut DbConn, id: &str) -> AppResult<Option<String>> {
    Ok(usage_tokens::table
        .filter(usage_tokens::id.eq(id))
        .select(usage_tokens::municipality_id)
        .first(conn)
        .optional()?)
}

pub fn revoke_token(conn: &mut DbConn, id: &str) -> AppResult<()> {
    diesel::update(
        usage_tokens::table
            .filter(usage_tokens::id.eq(id))
            .filter(usage_tokens::revoked_at.is_null()),
    )
    .set(usage_tokens::revoked_at.eq(now()))
    .execute(conn)?;
    Ok(())
}

/// The live token with this secret: (token id, its town); marks it used.
pub fn authenticate_token(conn: &mut DbConn, secret: &str) -> AppResult<Option<(String, String)>> {
    let hash = crate::auth::tokens::hash_token(secret);
    let found: Option<(String, String)> = usage_tokens::table
        .filter(usage_tokens::token_hash.eq(&hash))
        .filter(usage_tokens::revoked_at.is_null())
        .select((usage_tokens::id, usage_tokens::municipality_id))
        .first(conn)
        .optional()?;
    if let Some((id, _)) = &found {
        diesel::update(usage_tokens::table.filter(usage_tokens::id.eq(id)))
            .set(usage_tokens::last_used_at.eq(now()))
            .execute(conn)?;
    }
    Ok(found)
}

// ---- Sharing ----

/// Every service with figures of `town` and how it is shared.
pub fn sharing_of(conn: &mut DbConn, town_id: &str) -> AppResult<Vec<SharingOut>> {
    let keys: Vec<String> = usage_figures::table
        .filter(usage_figures::municipality_id.eq(town_id))
        .select(usage_figures::leika_key)
        .distinct()
        .load(conn)?;
    let shared: HashMap<String, String> = usage_sharing::table
        .filter(usage_sharing::municipality_id.eq(town_id))
        .select((usage_sharing::leika_key, usage_sharing::visibility))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut all: Vec<String> = keys;
    all.extend(shared.keys().cloned());
    all.sort();
    all.dedup();
    let info = leika_info(conn, &all)?;
    let mut out: Vec<SharingOut> = all
        .into_iter()
        .map(|k| SharingOut {
            service_name: name_of(&info, &k),
            visibility: shared
                .get(&k)
                .map(|v| Sharing::parse(v))
                .unwrap_or_default(),
            leika_key: k,
        })
        .collect();
    out.sort_by(|a, b| a.service_name.cmp(&b.service_name));
    Ok(out)
}

pub fn set_sharing(
    conn: &mut DbConn,
    town_id: &str,
    leika_key: &str,
    visibility: Sharing,
    by: &str,
) -> AppResult<()> {
    crate::db::write_transaction(conn, |conn| {
        // The district's usage scope gets its new value from the triggers (migration 000024).
        diesel::delete(
            usage_sharing::table
                .filter(usage_sharing::municipality_id.eq(town_id))
                .filter(usage_sharing::leika_key.eq(leika_key)),
        )
        .execute(conn)?;
        if visibility != Sharing::District {
            diesel::insert_into(usage_sharing::table)
                .values((
                    usage_sharing::municipality_id.eq(town_id),
                    usage_sharing::leika_key.eq(leika_key),
                    usage_sharing::visibility.eq(visibility.as_str()),
                    usage_sharing::updated_by.eq(by),
                    usage_sharing::updated_at.eq(now()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

fn sharing_map(
    conn: &mut DbConn,
    town_ids: &[String],
) -> AppResult<HashMap<(String, String), Sharing>> {
    Ok(usage_sharing::table
        .filter(usage_sharing::municipality_id.eq_any(town_ids))
        .select((
            usage_sharing::municipality_id,
            usage_sharing::leika_key,
            usage_sharing::visibility,
        ))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(t, k, v)| ((t, k), Sharing::parse(&v)))
        .collect())
}

// ---- Visibility as a query filter ----

/// The figures of a town in `district_id` that `viewer` may read. The same rule as
/// `auth::policy::can_read_usage`: the whole district for its users and admins, else
/// only services the town shared network-wide (signed in) or publicly (anyone).
pub fn readable_figures(viewer: Option<&Actor>, district_id: &str) -> FigureFilter {
    figures_readable_as(readable_class(viewer, district_id))
}

/// What `viewer` may read of the district's figures (the key of the sums cache).
pub fn readable_class(viewer: Option<&Actor>, district_id: &str) -> Readable {
    if viewer.is_some_and(|a| {
        policy::can_read_usage(Some(a), Scope::new(Some(district_id), None), "district")
    }) {
        Readable::Whole
    } else if viewer.is_some() {
        Readable::Network
    } else {
        Readable::Public
    }
}

fn figures_readable_as(class: Readable) -> FigureFilter {
    let levels = match class {
        Readable::Whole => return Box::new(sql::<Bool>(CURRENT_ONLY)),
        Readable::Network => "'network', 'public'",
        Readable::Public => "'public'",
    };
    Box::new(sql::<Bool>(&format!(
        "EXISTS (SELECT 1 FROM usage_sharing s WHERE s.municipality_id = usage_figures.municipality_id \
         AND s.leika_key = usage_figures.leika_key AND s.visibility IN ({levels})) AND {CURRENT_ONLY}"
    )))
}

/// Figures of services their towns shared publicly (usable in joined queries).
fn public_only() -> diesel::expression::SqlLiteral<Bool> {
    sql::<Bool>(PUBLIC_ONLY)
}

/// One figure per (town, service, month, channel) counts: the same cases reported from two
/// sources (a CSV import and the manual grid, say) are not added up. As a re-import
/// replaces the figures of its own source, the figure written last replaces those of the
/// other sources (which stay stored: should it be removed, theirs count again); at the same
/// moment the source last in the alphabet. Every view of sums filters with this (through
/// [`readable_figures`] or [`public_only`]); it reads the primary key's index.
macro_rules! current_only {
    () => {
        "NOT EXISTS (SELECT 1 FROM usage_figures n \
     WHERE n.municipality_id = usage_figures.municipality_id AND n.leika_key = usage_figures.leika_key \
     AND n.month = usage_figures.month AND n.channel = usage_figures.channel AND n.source <> usage_figures.source \
     AND (n.updated_at > usage_figures.updated_at \
          OR (n.updated_at = usage_figures.updated_at AND n.source > usage_figures.source)))"
    };
}
const CURRENT_ONLY: &str = current_only!();

const PUBLIC_ONLY: &str = concat!(
    "EXISTS (SELECT 1 FROM usage_sharing s WHERE s.municipality_id = usage_figures.municipality_id \
     AND s.leika_key = usage_figures.leika_key AND s.visibility = 'public') AND ",
    current_only!()
);

/// The latest month with figures of the district (or town), if any.
pub fn latest_month(
    conn: &mut DbConn,
    district_id: &str,
    town_id: Option<&str>,
) -> AppResult<Option<Month>> {
    let m: Option<i32> = match town_id {
        Some(t) => usage_figures::table
            .filter(usage_figures::municipality_id.eq(t))
            .select(max(usage_figures::month))
            .first(conn)?,
        None => usage_figures::table
            .filter(usage_figures::district_id.eq(district_id))
            .select(max(usage_figures::month))
            .first(conn)?,
    };
    Ok(m.map(Month::from_db))
}

// ---- Views ----

/// The monthly figures of one town per service and channel, for `viewer`.
#[allow(clippy::too_many_arguments)]
pub fn town_series(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    town: &Town,
    from: Month,
    to: Month,
    leika_key: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<TownSeries> {
    type Row = (String, i32, String, Option<i64>, Option<f64>, Option<i64>);
    let key_filter: Box<dyn BoxableExpression<usage_figures::table, Backend, SqlType = Bool>> =
        match leika_key {
            Some(k) => Box::new(usage_figures::leika_key.eq(k.to_string())),
            None => Box::new(usage_figures::leika_key.is_not_null()),
        };
    let rows: Vec<Row> = usage_figures::table
        .filter(usage_figures::municipality_id.eq(&town.id))
        .filter(usage_figures::month.between(from.db(), to.db()))
        .filter(readable_figures(viewer, &town.district_id))
        .filter(key_filter)
        .group_by((
            usage_figures::leika_key,
            usage_figures::month,
            usage_figures::channel,
        ))
        .select((
            usage_figures::leika_key,
            usage_figures::month,
            usage_figures::channel,
            sum(usage_figures::count),
            max(usage_figures::median_days),
            sum(usage_figures::backlog),
        ))
        .load(conn)?;
    let exact = policy::can_see_exact_usage(viewer, town.scope());
    // Per service and month: the counts, the longest median days, the summed backlog.
    type MonthCell = (ChannelCounts, Option<f64>, Option<i64>);
    let mut per: BTreeMap<String, BTreeMap<i32, MonthCell>> = BTreeMap::new();
    for (k, m, c, n, d, b) in rows {
        let Some(ch) = Channel::parse(&c) else {
            continue;
        };
        let e = per.entry(k).or_default().entry(m).or_default();
        e.0.add(ch, n.unwrap_or(0));
        e.1 = match (e.1, d) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if let Some(b) = b {
            e.2 = Some(e.2.unwrap_or(0) + b);
        }
    }
    let months = from.through(to);
    let mut ranked: Vec<(String, i64)> = per
        .iter()
        .map(|(k, ms)| (k.clone(), ms.values().filter_map(|v| v.0.total()).sum()))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = ranked.len() as i64;
    let page: Vec<String> = ranked
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|(k, _)| k)
        .collect();
    let info = leika_info(conn, &page)?;
    let shares = sharing_map(conn, std::slice::from_ref(&town.id))?;
    let items = page
        .into_iter()
        .map(|k| {
            let ms = per.remove(&k).unwrap_or_default();
            let points = months
                .iter()
                .map(|m| match ms.get(&m.db()) {
                    Some((c, d, b)) => SeriesPoint::build(*m, c, exact, *d, *b),
                    None => SeriesPoint::build(*m, &ChannelCounts::default(), exact, None, None),
                })
                .collect();
            ServiceSeries {
                service_name: name_of(&info, &k),
                ozg_id: info.get(&k).and_then(|(_, o)| *o),
                visibility: shares
                    .get(&(town.id.clone(), k.clone()))
                    .copied()
                    .unwrap_or_default(),
                leika_key: k,
                points,
            }
        })
        .collect();
    Ok(TownSeries {
        municipality_id: town.id.clone(),
        municipality_name: town.name.clone(),
        from: from.to_string(),
        to: to.to_string(),
        months: months.iter().map(Month::to_string).collect(),
        items,
        page: offset / limit.max(1) + 1,
        limit,
        total,
    })
}

/// Sums per town, service and channel over a district's period: the one query behind
/// the heat map and the "Potenzial" ranking. It reads the index
/// `usage_figures_district_month` from (district, from) to (district, to) and nothing else,
/// and only when the district's figures changed since this instance last summed them
/// (`usage::cells`).
pub fn district_cells(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    district_id: &str,
    from: Month,
    to: Month,
) -> AppResult<Arc<Sums>> {
    let class = readable_class(viewer, district_id);
    super::cells::cached(conn, district_id, class, (from.db(), to.db()), |conn| {
        let rows: Vec<(String, String, String, Option<i64>)> = usage_figures::table
            .filter(usage_figures::district_id.eq(district_id))
            .filter(usage_figures::month.between(from.db(), to.db()))
            .filter(figures_readable_as(class))
            .group_by((
                usage_figures::municipality_id,
                usage_figures::leika_key,
                usage_figures::channel,
            ))
            .select((
                usage_figures::municipality_id,
                usage_figures::leika_key,
                usage_figures::channel,
                sum(usage_figures::count),
            ))
            .load(conn)?;
        let mut out = Cells::new();
        for (t, k, c, n) in rows {
            if let Some(ch) = Channel::parse(&c) {
                out.entry((t, k)).or_default().add(ch, n.unwrap_or(0));
            }
        }
        Ok(out)
    })
}

#[allow(clippy::too_many_arguments)]
pub fn heat_map(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    district_id: &str,
    district_name: String,
    from: Month,
    to: Month,
    limit: i64,
    offset: i64,
) -> AppResult<HeatMap> {
    let sums = district_cells(conn, viewer, district_id, from, to)?;
    let towns = district_towns(conn, district_id)?;
    let total = sums.ranked.len() as i64;
    let page: Vec<String> = sums
        .ranked
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|(k, _)| k.clone())
        .collect();
    let info = leika_info(conn, &page)?;
    let mut out_cells: Vec<HeatCell> = page
        .iter()
        .flat_map(|k| {
            sums.by_service
                .get(k)
                .into_iter()
                .flatten()
                .map(move |(t, c)| HeatCell::build(t, k, c))
        })
        .collect();
    out_cells.sort_by(|a, b| {
        a.leika_key
            .cmp(&b.leika_key)
            .then(a.municipality_id.cmp(&b.municipality_id))
    });
    Ok(HeatMap {
        district_id: district_id.to_string(),
        district_name,
        from: from.to_string(),
        to: to.to_string(),
        towns,
        services: page
            .iter()
            .map(|k| ServiceRef {
                leika_key: k.clone(),
                name: name_of(&info, k),
            })
            .collect(),
        cells: out_cells,
        page: offset / limit.max(1) + 1,
        limit,
        total,
    })
}

/// The district's sums per month over the figures `viewer` may read.
pub fn district_totals(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    district_id: &str,
    from: Month,
    to: Month,
) -> AppResult<DistrictTotals> {
    let rows: Vec<(i32, String, String, Option<i64>)> = usage_figures::table
        .filter(usage_figures::district_id.eq(district_id))
        .filter(usage_figures::month.between(from.db(), to.db()))
        .filter(readable_figures(viewer, district_id))
        .group_by((
            usage_figures::month,
            usage_figures::municipality_id,
            usage_figures::channel,
        ))
        .select((
            usage_figures::month,
            usage_figures::municipality_id,
            usage_figures::channel,
            sum(usage_figures::count),
        ))
        .load(conn)?;
    let mut per_month: BTreeMap<i32, (ChannelCounts, HashSet<String>)> = BTreeMap::new();
    let mut all = ChannelCounts::default();
    for (m, t, c, n) in rows {
        let Some(ch) = Channel::parse(&c) else {
            continue;
        };
        let e = per_month.entry(m).or_default();
        e.0.add(ch, n.unwrap_or(0));
        e.1.insert(t);
        all.add(ch, n.unwrap_or(0));
    }
    Ok(DistrictTotals {
        district_id: district_id.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        months: from
            .through(to)
            .into_iter()
            .map(|m| {
                let (c, towns) = per_month.remove(&m.db()).unwrap_or_default();
                MonthTotals {
                    month: m.to_string(),
                    sums: ChannelSums::of(&c),
                    towns_reporting: towns.len() as i64,
                }
            })
            .collect(),
        sum: ChannelSums::of(&all),
    })
}

/// Services ranked by the share still on paper (only those with at least 5 cases).
pub fn potential(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    district_id: &str,
    from: Month,
    to: Month,
) -> AppResult<Vec<PotentialItem>> {
    let sums = district_cells(conn, viewer, district_id, from, to)?;
    let town_name: HashMap<String, String> = district_towns(conn, district_id)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut per: HashMap<String, (ChannelCounts, Vec<String>)> = HashMap::new();
    for (k, towns) in &sums.by_service {
        let e = per.entry(k.clone()).or_default();
        for (t, c) in towns {
            for ch in Channel::ALL {
                if let Some(n) = c.get(ch) {
                    e.0.add(ch, n);
                }
            }
            e.1.push(town_name.get(t).cloned().unwrap_or_default());
        }
    }
    let keys: Vec<String> = per.keys().cloned().collect();
    let info = leika_info(conn, &keys)?;
    let mut items: Vec<PotentialItem> = per
        .into_iter()
        .filter_map(|(k, (c, mut names))| {
            names.sort();
            let total = c.total().unwrap_or(0);
            (total >= MASK_BELOW).then(|| {
                let paper = c.paper.unwrap_or(0);
                PotentialItem {
                    service_name: name_of(&info, &k),
                    leika_key: k,
                    paper,
                    total,
                    paper_share: round_to(paper as f64 / total as f64, 3),
                    online_share: c.online_share().map(|s| round_to(s, 3)),
                    towns: names.len() as i64,
                    town_names: names,
                }
            })
        })
        .collect();
    items.sort_by(|a, b| {
        b.paper_share
            .total_cmp(&a.paper_share)
            .then(b.paper.cmp(&a.paper))
            .then(a.leika_key.cmp(&b.leika_key))
    });
    Ok(items)
}

/// Towns and services whose online share fell three months in a row up to `to`, and
/// towns whose EfA solution for a service is live but that report no online case.
pub fn anomalies(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    district_id: &str,
    to: Month,
) -> AppResult<Vec<Anomaly>> {
    let from = to.plus(-3);
    let rows: Vec<(String, String, i32, String, Option<i64>)> = usage_figures::table
        .filter(usage_figures::district_id.eq(district_id))
        .filter(usage_figures::month.between(from.db(), to.db()))
        .filter(readable_figures(viewer, district_id))
        .group_by((
            usage_figures::municipality_id,
            usage_figures::leika_key,
            usage_figures::month,
            usage_figures::channel,
        ))
        .select((
            usage_figures::municipality_id,
            usage_figures::leika_key,
            usage_figures::month,
            usage_figures::channel,
            sum(usage_figures::count),
        ))
        .load(conn)?;
    let mut per: BTreeMap<(String, String), BTreeMap<i32, ChannelCounts>> = BTreeMap::new();
    for (t, k, m, c, n) in rows {
        if let Some(ch) = Channel::parse(&c) {
            per.entry((t, k))
                .or_default()
                .entry(m)
                .or_default()
                .add(ch, n.unwrap_or(0));
        }
    }
    let months = from.through(to);
    let towns: HashMap<String, String> = district_towns(conn, district_id)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    // Live adoptions of the district with the LeiKa keys of their solutions' OZG-IDs.
    let live: Vec<(String, String, String, String)> = adoptions::table
        .inner_join(efa_solutions::table.on(efa_solutions::id.eq(adoptions::solution_id)))
        .inner_join(
            efa_solution_ozg::table.on(efa_solution_ozg::solution_id.eq(adoptions::solution_id)),
        )
        .inner_join(
            leika_services::table
                .on(leika_services::ozg_id.eq(efa_solution_ozg::ozg_id.nullable())),
        )
        .filter(adoptions::district_id.eq(district_id))
        .filter(adoptions::status.eq("live"))
        .filter(leika_services::leika_key.is_not_null())
        .select((
            adoptions::municipality_id,
            leika_services::leika_key.assume_not_null(),
            efa_solutions::id,
            efa_solutions::name,
        ))
        .load(conn)?;
    let mut keys: Vec<String> = per.keys().map(|(_, k)| k.clone()).collect();
    keys.extend(live.iter().map(|l| l.1.clone()));
    keys.sort();
    keys.dedup();
    let info = leika_info(conn, &keys)?;
    let mut out = Vec::new();
    for ((t, k), ms) in &per {
        let shares: Vec<Option<f64>> = months
            .iter()
            .map(|m| {
                ms.get(&m.db())
                    .and_then(|c| c.online_share())
                    .map(|s| round_to(s, 3))
            })
            .collect();
        if falling_three_months(&shares) {
            out.push(Anomaly {
                kind: AnomalyKind::FallingShare,
                municipality_id: t.clone(),
                municipality_name: towns.get(t).cloned().unwrap_or_default(),
                leika_key: k.clone(),
                service_name: name_of(&info, k),
                efa_solution_id: None,
                efa_solution_name: None,
                months: months.iter().map(Month::to_string).collect(),
                shares,
            });
        }
    }
    let last3: Vec<Month> = to.plus(-2).through(to);
    let mut seen = HashSet::new();
    for (t, k, sol_id, sol_name) in live {
        if !seen.insert((t.clone(), k.clone())) {
            continue;
        }
        let Some(ms) = per.get(&(t.clone(), k.clone())) else {
            continue;
        };
        let reported: Vec<&ChannelCounts> = last3.iter().filter_map(|m| ms.get(&m.db())).collect();
        let online: i64 = reported.iter().map(|c| c.online.unwrap_or(0)).sum();
        let total: i64 = reported.iter().map(|c| c.total().unwrap_or(0)).sum();
        if !reported.is_empty() && total > 0 && online == 0 {
            out.push(Anomaly {
                kind: AnomalyKind::LiveWithoutOnline,
                municipality_name: towns.get(&t).cloned().unwrap_or_default(),
                municipality_id: t,
                service_name: name_of(&info, &k),
                leika_key: k,
                efa_solution_id: Some(sol_id),
                efa_solution_name: Some(sol_name),
                months: last3.iter().map(Month::to_string).collect(),
                shares: last3
                    .iter()
                    .map(|m| ms.get(&m.db()).and_then(|c| c.online_share()))
                    .collect(),
            });
        }
    }
    Ok(out)
}

// ---- Public ----

/// District, town, AGS, LeiKa key, month, channel, count.
pub type OpenDataRow = (String, String, String, String, i32, String, i64);

/// Every publicly shared figure, summed over sources: (district, town, AGS, key, month, channel, count).
pub fn public_figures(conn: &mut DbConn) -> AppResult<Vec<OpenDataRow>> {
    let rows: Vec<(String, String, i32, String, Option<i64>)> = usage_figures::table
        .filter(public_only())
        .group_by((
            usage_figures::municipality_id,
            usage_figures::leika_key,
            usage_figures::month,
            usage_figures::channel,
        ))
        .select((
            usage_figures::municipality_id,
            usage_figures::leika_key,
            usage_figures::month,
            usage_figures::channel,
            sum(usage_figures::count),
        ))
        .load(conn)?;
    let mut town_ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    town_ids.sort();
    town_ids.dedup();
    let towns: HashMap<String, (String, String, String)> = municipalities::table
        .inner_join(districts::table)
        .filter(municipalities::id.eq_any(&town_ids))
        .select((
            municipalities::id,
            districts::name,
            municipalities::name,
            municipalities::ags,
        ))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, d, n, a)| (id, (d, n, a)))
        .collect();
    let mut out: Vec<OpenDataRow> = rows
        .into_iter()
        .filter_map(|(t, k, m, c, n)| {
            towns.get(&t).map(|(d, name, ags)| {
                (
                    d.clone(),
                    name.clone(),
                    ags.clone(),
                    k,
                    m,
                    c,
                    n.unwrap_or(0),
                )
            })
        })
        .collect();
    out.sort();
    Ok(out)
}

/// The public series (town × service) with how many months they cover.
pub fn public_series(
    conn: &mut DbConn,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<PublicSeriesItem>, i64)> {
    let rows: Vec<(String, String, i64)> = usage_figures::table
        .filter(public_only())
        .group_by((usage_figures::municipality_id, usage_figures::leika_key))
        .select((
            usage_figures::municipality_id,
            usage_figures::leika_key,
            count_star(),
        ))
        .load(conn)?;
    let town_ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let names: HashMap<String, String> = municipalities::table
        .filter(municipalities::id.eq_any(&town_ids))
        .select((municipalities::id, municipalities::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut all: Vec<(String, String, String)> = rows
        .into_iter()
        .map(|(t, k, _)| (names.get(&t).cloned().unwrap_or_default(), t, k))
        .collect();
    all.sort();
    // Months per series: the distinct months, counted from the figures of the page.
    let total = all.len() as i64;
    let page: Vec<(String, String, String)> = all
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    let ids: Vec<String> = page.iter().map(|r| r.1.clone()).collect();
    let months: Vec<(String, String, i32)> = usage_figures::table
        .filter(usage_figures::municipality_id.eq_any(&ids))
        .filter(public_only())
        .select((
            usage_figures::municipality_id,
            usage_figures::leika_key,
            usage_figures::month,
        ))
        .distinct()
        .load(conn)?;
    let mut per: HashMap<(String, String), i64> = HashMap::new();
    for (t, k, _) in months {
        *per.entry((t, k)).or_default() += 1;
    }
    let keys: Vec<String> = page.iter().map(|r| r.2.clone()).collect();
    let info = leika_info(conn, &keys)?;
    Ok((
        page.into_iter()
            .map(|(n, t, k)| PublicSeriesItem {
                months: per.get(&(t.clone(), k.clone())).copied().unwrap_or(0),
                municipality_id: t,
                municipality_name: n,
                service_name: name_of(&info, &k),
                leika_key: k,
            })
            .collect(),
        total,
    ))
}

/// Usage of an EfA solution per adopting town, over the services of its OZG-IDs.
pub fn efa_usage(
    conn: &mut DbConn,
    viewer: &Actor,
    solution_id: &str,
    from: Month,
    to: Month,
) -> AppResult<EfaUsage> {
    let exists: i64 = efa_solutions::table
        .filter(efa_solutions::id.eq(solution_id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Err(AppError::NotFound);
    }
    let adopters: Vec<(String, String, String, String)> = adoptions::table
        .inner_join(municipalities::table)
        .filter(adoptions::solution_id.eq(solution_id))
        .order(municipalities::name.asc())
        .select((
            adoptions::municipality_id,
            municipalities::name,
            municipalities::district_id,
            adoptions::status,
        ))
        .load(conn)?;
    let ozg_ids: Vec<i32> = efa_solution_ozg::table
        .filter(efa_solution_ozg::solution_id.eq(solution_id))
        .select(efa_solution_ozg::ozg_id)
        .load(conn)?;
    let mut items = Vec::new();
    // Per district of the adopters one aggregate query (a handful of districts at most).
    let mut by_district: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for (t, n, d, s) in adopters {
        by_district.entry(d).or_default().push((t, n, s));
    }
    for (district, towns) in by_district {
        let ids: Vec<String> = towns.iter().map(|t| t.0.clone()).collect();
        let rows: Vec<(String, String, Option<i64>)> = usage_figures::table
            .filter(usage_figures::district_id.eq(&district))
            .filter(usage_figures::municipality_id.eq_any(&ids))
            .filter(usage_figures::month.between(from.db(), to.db()))
            .filter(usage_figures::ozg_id.eq_any(&ozg_ids))
            .filter(readable_figures(Some(viewer), &district))
            .group_by((usage_figures::municipality_id, usage_figures::channel))
            .select((
                usage_figures::municipality_id,
                usage_figures::channel,
                sum(usage_figures::count),
            ))
            .load(conn)?;
        let mut per: HashMap<String, ChannelCounts> = HashMap::new();
        for (t, c, n) in rows {
            if let Some(ch) = Channel::parse(&c) {
                per.entry(t).or_default().add(ch, n.unwrap_or(0));
            }
        }
        for (t, name, status) in towns {
            let c = per.remove(&t).unwrap_or_default();
            let exact =
                policy::can_see_exact_usage(Some(viewer), Scope::new(Some(&district), Some(&t)));
            let (online, online_masked) = mask(c.online.or(c.total().map(|_| 0)), exact);
            let (total, total_masked) = mask(c.total(), exact);
            items.push(EfaTownUsage {
                municipality_id: t,
                municipality_name: name,
                adoption_status: status,
                online,
                online_masked,
                total,
                total_masked,
                online_share: if online_masked || total_masked {
                    None
                } else {
                    c.online_share().map(|s| round_to(s, 3))
                },
            });
        }
    }
    items.sort_by(|a, b| a.municipality_name.cmp(&b.municipality_name));
    Ok(EfaUsage {
        solution_id: solution_id.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        items,
    })
}

/// For the weekly digest: the district's online share last month, over what `viewer` may read.
pub fn last_month_summary(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
) -> AppResult<Option<(Month, ChannelSums, i64)>> {
    let Some(latest) = latest_month(conn, district_id, None)? else {
        return Ok(None);
    };
    let t = district_totals(conn, Some(viewer), district_id, latest, latest)?;
    let towns = t.months.first().map(|m| m.towns_reporting).unwrap_or(0);
    Ok((t.sum.total > 0).then_some((latest, t.sum, towns)))
}

/// The digest block for a coordinator (None for other roles or without figures);
/// only figures the coordinator may read count.
pub fn digest_block(
    conn: &mut DbConn,
    viewer: &Actor,
    public_url: &str,
    locale: crate::i18n::Locale,
) -> AppResult<Option<DigestUsage>> {
    let (Role::Coordinator, Some(district)) = (viewer.role, viewer.district_id.as_deref()) else {
        return Ok(None);
    };
    Ok(
        last_month_summary(conn, viewer, district)?.map(|(m, sums, towns)| DigestUsage {
            month: m.label(locale),
            total: sums.total,
            online: sums.online,
            online_share: sums
                .online_share
                .map(|s| match locale {
                    crate::i18n::Locale::De => format!("{:.1} %", s * 100.0).replace('.', ","),
                    crate::i18n::Locale::En => format!("{:.1}%", s * 100.0),
                })
                .unwrap_or_default(),
            towns_reporting: towns,
            link: format!("{public_url}/nutzung"),
        }),
    )
}

// ---- Reifegrad ----

pub fn maturity_models(conn: &mut DbConn) -> AppResult<Vec<MaturityModel>> {
    let models: Vec<(String, String, String, i32)> = maturity_models::table
        .order(maturity_models::position.asc())
        .select((
            maturity_models::id,
            maturity_models::name,
            maturity_models::source,
            maturity_models::max_level,
        ))
        .load(conn)?;
    let levels: Vec<(String, i32, String, String)> = maturity_levels::table
        .order((
            maturity_levels::model_id.asc(),
            maturity_levels::level.asc(),
        ))
        .select((
            maturity_levels::model_id,
            maturity_levels::level,
            maturity_levels::name,
            maturity_levels::description,
        ))
        .load(conn)?;
    let criteria: Vec<(String, String, String, String, i32)> = maturity_criteria::table
        .order((
            maturity_criteria::model_id.asc(),
            maturity_criteria::position.asc(),
        ))
        .select((
            maturity_criteria::model_id,
            maturity_criteria::key,
            maturity_criteria::name,
            maturity_criteria::description,
            maturity_criteria::position,
        ))
        .load(conn)?;
    Ok(models
        .into_iter()
        .map(|(id, name, source, max_level)| MaturityModel {
            levels: levels
                .iter()
                .filter(|l| l.0 == id)
                .map(|l| MaturityLevel {
                    level: l.1,
                    name: l.2.clone(),
                    description: l.3.clone(),
                })
                .collect(),
            criteria: criteria
                .iter()
                .filter(|c| c.0 == id)
                .map(|c| MaturityCriterion {
                    key: c.1.clone(),
                    name: c.2.clone(),
                    description: c.3.clone(),
                    position: c.4,
                })
                .collect(),
            id,
            name,
            source,
            max_level,
        })
        .collect())
}

/// A checked assessment to store.
pub struct NewAssessment {
    pub leika_key: String,
    pub model: String,
    pub assessed_on: chrono::NaiveDate,
    pub assessor: String,
    pub evidence_url: Option<String>,
    pub levels: Vec<(String, i32)>,
}

pub fn create_assessment(
    conn: &mut DbConn,
    town: &Town,
    a: NewAssessment,
    by: &str,
) -> AppResult<String> {
    let overall = overall_level(&a.levels).unwrap_or(0);
    crate::db::write_transaction(conn, |conn| {
        let id = new_id();
        diesel::insert_into(maturity_assessments::table)
            .values((
                maturity_assessments::id.eq(&id),
                maturity_assessments::municipality_id.eq(&town.id),
                maturity_assessments::district_id.eq(&town.district_id),
                maturity_assessments::leika_key.eq(&a.leika_key),
                maturity_assessments::model_id.eq(&a.model),
                maturity_assessments::assessed_on.eq(a.assessed_on),
                maturity_assessments::assessor.eq(&a.assessor),
                maturity_assessments::evidence_url.eq(&a.evidence_url),
                maturity_assessments::overall_level.eq(overall),
                maturity_assessments::created_by.eq(by),
                maturity_assessments::created_at.eq(now()),
            ))
            .execute(conn)?;
        for (k, l) in &a.levels {
            diesel::insert_into(maturity_assessment_criteria::table)
                .values((
                    maturity_assessment_criteria::assessment_id.eq(&id),
                    maturity_assessment_criteria::criterion_key.eq(k),
                    maturity_assessment_criteria::level.eq(l),
                ))
                .execute(conn)?;
        }
        Ok(id)
    })
}

type AssessmentRow = (
    String,
    String,
    String,
    String,
    String,
    chrono::NaiveDate,
    String,
    Option<String>,
    i32,
    Option<String>,
    chrono::NaiveDateTime,
);

/// Assessments matching the filter, newest first, with their criteria (one query each).
pub fn assessments(
    conn: &mut DbConn,
    filter: Box<dyn BoxableExpression<maturity_assessments::table, Backend, SqlType = Bool>>,
    count_filter: Box<dyn BoxableExpression<maturity_assessments::table, Backend, SqlType = Bool>>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<Assessment>, i64)> {
    let total: i64 = maturity_assessments::table
        .filter(count_filter)
        .count()
        .get_result(conn)?;
    let page_ids: Vec<String> = maturity_assessments::table
        .filter(filter)
        .order((
            maturity_assessments::created_at.desc(),
            maturity_assessments::id.desc(),
        ))
        .limit(limit)
        .offset(offset)
        .select(maturity_assessments::id)
        .load(conn)?;
    let mut rows: Vec<AssessmentRow> = maturity_assessments::table
        .inner_join(municipalities::table)
        .left_join(users::table.on(users::id.nullable().eq(maturity_assessments::created_by)))
        .filter(maturity_assessments::id.eq_any(&page_ids))
        .select((
            maturity_assessments::id,
            maturity_assessments::municipality_id,
            municipalities::name,
            maturity_assessments::leika_key,
            maturity_assessments::model_id,
            maturity_assessments::assessed_on,
            maturity_assessments::assessor,
            maturity_assessments::evidence_url,
            maturity_assessments::overall_level,
            users::name.nullable(),
            maturity_assessments::created_at,
        ))
        .load(conn)?;
    rows.sort_by(|a, b| b.10.cmp(&a.10).then(b.0.cmp(&a.0)));
    let ids = page_ids;
    let crit: Vec<(String, String, i32, String, i32)> = maturity_assessment_criteria::table
        .inner_join(maturity_assessments::table)
        .inner_join(
            maturity_criteria::table.on(maturity_criteria::model_id
                .eq(maturity_assessments::model_id)
                .and(maturity_criteria::key.eq(maturity_assessment_criteria::criterion_key))),
        )
        .filter(maturity_assessment_criteria::assessment_id.eq_any(&ids))
        .order(maturity_criteria::position.asc())
        .select((
            maturity_assessment_criteria::assessment_id,
            maturity_assessment_criteria::criterion_key,
            maturity_assessment_criteria::level,
            maturity_criteria::name,
            maturity_criteria::position,
        ))
        .load(conn)?;
    let keys: Vec<String> = rows.iter().map(|r| r.3.clone()).collect();
    let info = leika_info(conn, &keys)?;
    let out = rows
        .into_iter()
        .map(|r| {
            let criteria: Vec<CriterionLevel> = crit
                .iter()
                .filter(|c| c.0 == r.0)
                .map(|c| CriterionLevel {
                    key: c.1.clone(),
                    name: c.3.clone(),
                    level: c.2,
                })
                .collect();
            let levels: Vec<(String, i32)> =
                criteria.iter().map(|c| (c.key.clone(), c.level)).collect();
            Assessment {
                service_name: name_of(&info, &r.3),
                id: r.0,
                municipality_id: r.1,
                municipality_name: r.2,
                leika_key: r.3,
                model: r.4,
                assessed_on: r.5,
                assessor: r.6,
                evidence_url: r.7,
                overall_level: r.8,
                weakest_criteria: weakest_criteria(&levels),
                criteria,
                created_by_name: r.9,
                created_at: utc(r.10),
            }
        })
        .collect();
    Ok((out, total))
}

/// One assessment (just stored).
pub fn assessment_by_id(conn: &mut DbConn, id: &str) -> AppResult<Vec<Assessment>> {
    let f =
        || -> Box<dyn BoxableExpression<maturity_assessments::table, Backend, SqlType = Bool>> {
            Box::new(maturity_assessments::id.eq(id.to_string()))
        };
    Ok(assessments(conn, f(), f(), 1, 0)?.0)
}

/// A town's assessments `viewer` may read, optionally of one service and model.
#[allow(clippy::too_many_arguments)]
pub fn town_assessments(
    conn: &mut DbConn,
    viewer: &Actor,
    town_id: &str,
    leika_key: Option<&str>,
    model: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<Assessment>, i64)> {
    let f =
        || -> Box<dyn BoxableExpression<maturity_assessments::table, Backend, SqlType = Bool>> {
            let mut f: Box<
                dyn BoxableExpression<maturity_assessments::table, Backend, SqlType = Bool>,
            > = Box::new(
                maturity_assessments::municipality_id
                    .eq(town_id.to_string())
                    .and(readable_assessments(viewer)),
            );
            if let Some(k) = leika_key {
                f = Box::new(f.and(maturity_assessments::leika_key.eq(k.to_string())));
            }
            if let Some(m) = model {
                f = Box::new(f.and(maturity_assessments::model_id.eq(m.to_string())));
            }
            f
        };
    assessments(conn, f(), f(), limit, offset)
}

/// Filter on assessments `viewer` may read: the same sharing rule as for figures.
pub fn readable_assessments(
    viewer: &Actor,
) -> Box<dyn BoxableExpression<maturity_assessments::table, Backend, SqlType = Bool>> {
    if viewer.role == Role::Admin {
        return Box::new(sql::<Bool>("1 = 1"));
    }
    Box::new(
        sql::<Bool>("(maturity_assessments.district_id = ")
            .bind::<Text, _>(viewer.district_id.clone().unwrap_or_default())
            .sql(
                " OR EXISTS (SELECT 1 FROM usage_sharing s WHERE s.municipality_id = maturity_assessments.municipality_id \
                 AND s.leika_key = maturity_assessments.leika_key AND s.visibility IN ('network', 'public')))",
            ),
    )
}

/// The district matrix: the current (newest) assessment per town and service.
pub fn maturity_matrix(
    conn: &mut DbConn,
    viewer: &Actor,
    district_id: &str,
    model: &str,
) -> AppResult<MaturityMatrix> {
    let rows: Vec<(
        String,
        String,
        i32,
        chrono::NaiveDate,
        chrono::NaiveDateTime,
    )> = maturity_assessments::table
        .filter(maturity_assessments::district_id.eq(district_id))
        .filter(maturity_assessments::model_id.eq(model))
        .filter(readable_assessments(viewer))
        .order(maturity_assessments::created_at.asc())
        .select((
            maturity_assessments::municipality_id,
            maturity_assessments::leika_key,
            maturity_assessments::overall_level,
            maturity_assessments::assessed_on,
            maturity_assessments::created_at,
        ))
        .load(conn)?;
    let mut current: BTreeMap<(String, String), (i32, chrono::NaiveDate)> = BTreeMap::new();
    for (t, k, l, on, _) in rows {
        current.insert((k, t), (l, on));
    }
    let towns = district_towns(conn, district_id)?;
    let mut keys: Vec<String> = current.keys().map(|(k, _)| k.clone()).collect();
    keys.dedup();
    let info = leika_info(conn, &keys)?;
    let services = keys
        .iter()
        .map(|k| {
            let of: Vec<i32> = current
                .iter()
                .filter(|((kk, _), _)| kk == k)
                .map(|(_, (l, _))| *l)
                .collect();
            MaturityService {
                leika_key: k.clone(),
                name: name_of(&info, k),
                at_least_3: of.iter().filter(|l| **l >= 3).count() as i64,
                towns_assessed: of.len() as i64,
                towns_total: towns.len() as i64,
            }
        })
        .collect();
    Ok(MaturityMatrix {
        district_id: district_id.to_string(),
        model: model.to_string(),
        towns,
        services,
        cells: current
            .into_iter()
            .map(|((k, t), (level, assessed_on))| MaturityCell {
                municipality_id: t,
                leika_key: k,
                level,
                assessed_on,
            })
            .collect(),
    })
}

/// The criteria keys and the top level of a model (None: unknown model).
pub fn model_criteria(conn: &mut DbConn, model: &str) -> AppResult<Option<(i32, Vec<String>)>> {
    let max_level: Option<i32> = maturity_models::table
        .filter(maturity_models::id.eq(model))
        .select(maturity_models::max_level)
        .first(conn)
        .optional()?;
    let Some(max_level) = max_level else {
        return Ok(None);
    };
    let keys: Vec<String> = maturity_criteria::table
        .filter(maturity_criteria::model_id.eq(model))
        .order(maturity_criteria::position.asc())
        .select(maturity_criteria::key)
        .load(conn)?;
    Ok(Some((max_level, keys)))
}

/// How many figures a town has (for tests and the demo seed).
pub fn figure_count(conn: &mut DbConn, town_id: &str) -> AppResult<i64> {
    Ok(usage_figures::table
        .filter(usage_figures::municipality_id.eq(town_id))
        .select(count_star())
        .first(conn)?)
}
