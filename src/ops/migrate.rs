//! `digitalnetzwerk migrate-data --from sqlite://… --to postgres://…`: moves an
//! installation from SQLite to PostgreSQL.
//!
//! The target gets the schema from the migrations and must hold no data yet. Every
//! table is then copied in the order of its foreign keys (parents first), in batches
//! of rows that SQLite renders as JSON (`json_object`) and PostgreSQL reads back with
//! `json_populate_recordset`, so each value goes through the column type's own input
//! function. All of it happens in one transaction on the target; before it commits, the
//! row count and a checksum over the normalised rows of every table are compared on
//! both sides. The source is only read (one read transaction, a consistent view).
use std::collections::{BTreeMap, BTreeSet};

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{ident, literal, OpsResult};
use crate::db::{Backend, DbConn};

const BATCH: i64 = 1_000;

/// One copied table, for the command's output.
#[derive(Debug, Clone)]
pub struct TableReport {
    pub table: String,
    pub rows: i64,
    pub checksum: String,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

#[derive(QueryableByName)]
struct Edge {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = BigInt)]
    rid: i64,
    #[diesel(sql_type = Text)]
    row: String,
}

#[derive(QueryableByName)]
struct PgJson {
    #[diesel(sql_type = Text)]
    row: String,
}

fn columns(pg: &mut PgConnection, table: &str) -> OpsResult<Vec<(String, String)>> {
    let rows: Vec<Column> = diesel::sql_query(format!(
        "SELECT column_name::text AS name, data_type::text AS kind FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name = {} ORDER BY ordinal_position",
        literal(table)
    ))
    .load(pg)
    .map_err(|e| format!("{table}: {e}"))?;
    Ok(rows.into_iter().map(|c| (c.name, c.kind)).collect())
}

fn sqlite_columns(conn: &mut SqliteConnection, table: &str) -> OpsResult<BTreeSet<String>> {
    #[derive(QueryableByName)]
    struct Info {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let rows: Vec<Info> = diesel::sql_query(format!(
        "SELECT name FROM pragma_table_info({})",
        literal(table)
    ))
    .load(conn)
    .map_err(|e| format!("{table}: {e}"))?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

/// The tables in an order in which every table comes after the tables it refers to.
fn dependency_order(pg: &mut PgConnection, tables: &[String]) -> OpsResult<Vec<String>> {
    let edges: Vec<Edge> = diesel::sql_query(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent \
         FROM pg_constraint WHERE contype = 'f'",
    )
    .load(pg)
    .map_err(|e| format!("Fremdschlüssel: {e}"))?;
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = tables
        .iter()
        .map(|t| (t.as_str(), BTreeSet::new()))
        .collect();
    for e in &edges {
        // A table that refers to itself is ordered by its rows (see `copy_table`).
        if e.child != e.parent && parents.contains_key(e.parent.as_str()) {
            if let Some(set) = parents.get_mut(e.child.as_str()) {
                set.insert(e.parent.as_str());
            }
        }
    }
    let mut order: Vec<String> = Vec::with_capacity(tables.len());
    let mut done: BTreeSet<&str> = BTreeSet::new();
    while order.len() < tables.len() {
        let ready: Vec<&str> = parents
            .iter()
            .filter(|(t, ps)| !done.contains(*t) && ps.iter().all(|p| done.contains(p)))
            .map(|(t, _)| *t)
            .collect();
        if ready.is_empty() {
            let rest: Vec<&str> = parents
                .keys()
                .filter(|t| !done.contains(*t))
                .copied()
                .collect();
            return Err(format!(
                "die Fremdschlüssel der Tabellen {} bilden einen Kreis",
                rest.join(", ")
            ));
        }
        for t in ready {
            done.insert(t);
            order.push(t.to_string());
        }
    }
    Ok(order)
}

/// A value as both backends agree on it: booleans as booleans (SQLite keeps 0/1),
/// timestamps in one format at microsecond precision.
fn normalise(kind: &str, v: &Value) -> Value {
    match (kind, v) {
        ("boolean", Value::Number(n)) => Value::Bool(n.as_i64().unwrap_or(0) != 0),
        ("timestamp without time zone", Value::String(s)) => {
            let s = s.replace('T', " ");
            match chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S%.f") {
                Ok(t) => Value::String(t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()),
                Err(_) => Value::String(s),
            }
        }
        _ => v.clone(),
    }
}

/// Canonical text of one row (values in column order).
fn canonical(columns: &[(String, String)], row: &str) -> OpsResult<String> {
    let obj: serde_json::Map<String, Value> =
        serde_json::from_str(row).map_err(|e| format!("Zeile nicht lesbar: {e}"))?;
    let values: Vec<Value> = columns
        .iter()
        .map(|(name, kind)| normalise(kind, obj.get(name).unwrap_or(&Value::Null)))
        .collect();
    Ok(Value::Array(values).to_string())
}

fn digest(mut rows: Vec<String>) -> String {
    rows.sort_unstable();
    let mut h = Sha256::new();
    for r in &rows {
        h.update(r.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

fn sqlite_select(table: &str, columns: &[(String, String)]) -> String {
    let pairs: Vec<String> = columns
        .iter()
        .map(|(c, _)| format!("{}, {}", literal(c), ident(c)))
        .collect();
    format!(
        "SELECT rowid AS rid, json_object({}) AS row FROM {} WHERE rowid > ? ORDER BY rowid LIMIT {BATCH}",
        pairs.join(", "),
        ident(table)
    )
}

/// Copies one table in batches and returns the source's canonical rows.
fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &str,
    columns: &[(String, String)],
) -> OpsResult<Vec<String>> {
    let select = sqlite_select(table, columns);
    let insert = format!(
        "INSERT INTO {t} SELECT * FROM json_populate_recordset(NULL::{t}, $1::json)",
        t = ident(table)
    );
    let mut last = i64::MIN;
    let mut canon = Vec::new();
    loop {
        let batch: Vec<JsonRow> = diesel::sql_query(&select)
            .bind::<BigInt, _>(last)
            .load(source)
            .map_err(|e| format!("{table} lesen: {e}"))?;
        let Some(end) = batch.last().map(|r| r.rid) else {
            break;
        };
        last = end;
        let mut array = String::from("[");
        for (i, r) in batch.iter().enumerate() {
            if i > 0 {
                array.push(',');
            }
            array.push_str(&r.row);
            canon.push(canonical(columns, &r.row)?);
        }
        array.push(']');
        diesel::sql_query(&insert)
            .bind::<Text, _>(&array)
            .execute(target)
            .map_err(|e| format!("{table} schreiben: {e}"))?;
    }
    Ok(canon)
}

fn target_canonical(
    target: &mut PgConnection,
    table: &str,
    columns: &[(String, String)],
) -> OpsResult<Vec<String>> {
    let rows: Vec<PgJson> = diesel::sql_query(format!(
        "SELECT row_to_json(t)::text AS row FROM {} t",
        ident(table)
    ))
    .load(target)
    .map_err(|e| format!("{table} prüfen: {e}"))?;
    rows.iter().map(|r| canonical(columns, &r.row)).collect()
}

/// Moves everything from the SQLite database `from` into the PostgreSQL database `to`.
pub fn migrate(from: &str, to: &str) -> OpsResult<Vec<TableReport>> {
    if Backend::from_url(from) != Backend::Sqlite {
        return Err("--from muss eine SQLite-Datenbank sein (sqlite://…)".into());
    }
    if Backend::from_url(to) != Backend::Postgres {
        return Err("--to muss eine PostgreSQL-Datenbank sein (postgres://…)".into());
    }
    let path = crate::db::sqlite_path(from);
    if !std::path::Path::new(path).is_file() {
        return Err(format!("die Quelldatenbank {path} gibt es nicht"));
    }
    let mut source = DbConn::Sqlite(super::open_sqlite(from)?);
    let version = super::schema_version(&mut source)?;
    let known = super::newest_known_migration();
    if version != known {
        return Err(format!(
            "die Quelle hat den Schemastand {version}, dieses Programm {known}: zuerst `digitalnetzwerk migrate` mit DATABASE_URL={from} ausführen"
        ));
    }
    let source_tables: BTreeSet<String> = super::tables(&mut source)?.into_iter().collect();
    crate::db::run_migrations(to).map_err(|e| e.to_string())?;
    let mut target = DbConn::Pg(super::open_pg(to)?);
    if super::has_data(&mut target)? {
        return Err(
            "die Zieldatenbank enthält schon Daten; nichts wurde geändert (ein zweiter Lauf wird immer abgelehnt)"
                .into(),
        );
    }
    let (DbConn::Sqlite(src), DbConn::Pg(dst)) = (&mut source, &mut target) else {
        unreachable!()
    };
    let tables = super::pg_tables(dst)?;
    let target_set: BTreeSet<String> = tables.iter().cloned().collect();
    if target_set != source_tables {
        let diff: Vec<&String> = target_set.symmetric_difference(&source_tables).collect();
        return Err(format!(
            "Quelle und Ziel haben verschiedene Tabellen: {diff:?}"
        ));
    }
    let order = dependency_order(dst, &tables)?;
    let mut layout = Vec::with_capacity(order.len());
    for t in &order {
        let cols = columns(dst, t)?;
        let have = sqlite_columns(src, t)?;
        let want: BTreeSet<String> = cols.iter().map(|(c, _)| c.clone()).collect();
        if have != want {
            return Err(format!(
                "die Spalten von {t} unterscheiden sich in Quelle und Ziel"
            ));
        }
        layout.push((t.clone(), cols));
    }
    // One read transaction on the source: every table from the same moment.
    src.batch_execute("BEGIN").map_err(|e| e.to_string())?;
    let result = target.transaction(|target| -> Result<Vec<TableReport>, CopyError> {
        let DbConn::Pg(dst) = target else {
            unreachable!()
        };
        for t in SEEDED_REVERSE {
            dst.batch_execute(&format!("DELETE FROM {}", ident(t)))?;
        }
        let mut reports = Vec::with_capacity(layout.len());
        for (table, cols) in &layout {
            let copied = copy_table(src, dst, table, cols)?;
            let written = target_canonical(dst, table, cols)?;
            if copied.len() != written.len() {
                return Err(CopyError::Msg(format!(
                    "{table}: {} Zeilen gelesen, {} geschrieben",
                    copied.len(),
                    written.len()
                )));
            }
            let rows = written.len() as i64;
            let (a, b) = (digest(copied), digest(written));
            if a != b {
                return Err(CopyError::Msg(format!(
                    "{table}: die Prüfsummen von Quelle und Ziel weichen ab"
                )));
            }
            reports.push(TableReport {
                table: table.clone(),
                rows,
                checksum: a,
            });
        }
        crate::projects::search::reindex_missing(target)
            .map_err(|e| CopyError::Msg(format!("Suchindex: {e}")))?;
        crate::processes::search::reindex_missing(target)
            .map_err(|e| CopyError::Msg(format!("Suchindex der Prozesse: {e}")))?;
        Ok(reports)
    });
    let _ = src.batch_execute("COMMIT");
    result.map_err(|e| match e {
        CopyError::Msg(m) => format!("{m}; nichts wurde geändert"),
        CopyError::Db(e) => format!("{e}; nichts wurde geändert"),
    })
}

/// Reference tables the migrations fill, emptied before the copy (children first).
const SEEDED_REVERSE: [&str; 5] = [
    "worker_leases",
    "topics",
    "maturity_criteria",
    "maturity_levels",
    "maturity_models",
];

#[derive(Debug)]
enum CopyError {
    Msg(String),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for CopyError {
    fn from(e: diesel::result::Error) -> Self {
        CopyError::Db(e)
    }
}

impl From<String> for CopyError {
    fn from(m: String) -> Self {
        CopyError::Msg(m)
    }
}
