//! Operator commands that work on a whole installation: `backup`, `restore` and
//! `migrate-data`. They speak to the databases directly (not through the API) and
//! report in German; an error says what happened and that nothing was changed where
//! that is so.
pub mod backup;
pub mod generate;
pub mod migrate;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};

use crate::db::DbConn;
use sha2::{Digest, Sha256};

pub type OpsResult<T> = Result<T, String>;

/// Tables that the migrations fill themselves (reference rows); they do not count as
/// "data" when a target is checked for emptiness.
pub const SEEDED_BY_MIGRATIONS: [&str; 5] = [
    "topics",
    "worker_leases",
    "maturity_models",
    "maturity_levels",
    "maturity_criteria",
];

/// Tables that are not copied or counted: the migration bookkeeping and the search
/// indexes, which are derived from the projects and processes and rebuilt.
fn is_internal(table: &str) -> bool {
    table.starts_with("__diesel")
        || table.starts_with("project_search")
        || table.starts_with("process_search")
        || table.starts_with("process_search")
        || table.starts_with("sqlite_")
}

#[derive(QueryableByName)]
pub struct Name {
    #[diesel(sql_type = Text)]
    pub name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A double-quoted SQL identifier (table names come from the catalogue, but quoting
/// keeps them from ever being read as SQL).
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A single-quoted SQL string literal.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

pub fn open_sqlite(url: &str) -> OpsResult<SqliteConnection> {
    let path = crate::db::sqlite_path(url);
    let mut conn =
        SqliteConnection::establish(path).map_err(|e| format!("SQLite-Datenbank {path}: {e}"))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

pub fn open_pg(url: &str) -> OpsResult<PgConnection> {
    PgConnection::establish(url).map_err(|e| format!("PostgreSQL: {e}"))
}

const SQLITE_TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
const PG_TABLES: &str =
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename";

fn table_names(rows: Result<Vec<Name>, diesel::result::Error>) -> OpsResult<Vec<String>> {
    Ok(rows
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| r.name)
        .filter(|t| !is_internal(t))
        .collect())
}

pub fn pg_tables(conn: &mut PgConnection) -> OpsResult<Vec<String>> {
    table_names(diesel::sql_query(PG_TABLES).load(conn))
}

/// Runs the same code on either connection type (the body is checked for each).
macro_rules! on_conn {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            crate::db::DbConn::Sqlite($c) => $body,
            crate::db::DbConn::Pg($c) => $body,
        }
    };
}
pub(crate) use on_conn;

pub fn count(conn: &mut DbConn, table: &str) -> OpsResult<i64> {
    let sql = format!("SELECT COUNT(*) AS n FROM {}", ident(table));
    let row: Count = on_conn!(conn, |c| diesel::sql_query(&sql).get_result(c))
        .map_err(|e| format!("{table}: {e}"))?;
    Ok(row.n)
}

pub fn counts(conn: &mut DbConn, tables: &[String]) -> OpsResult<BTreeMap<String, i64>> {
    tables
        .iter()
        .map(|t| Ok((t.clone(), count(conn, t)?)))
        .collect()
}

/// The tables of the installation (without migration bookkeeping and search index).
pub fn tables(conn: &mut DbConn) -> OpsResult<Vec<String>> {
    match conn {
        DbConn::Sqlite(c) => table_names(diesel::sql_query(SQLITE_TABLES).load(c)),
        DbConn::Pg(c) => pg_tables(c),
    }
}

/// The newest migration recorded in a database (the schema version), empty if none.
pub fn schema_version(conn: &mut DbConn) -> OpsResult<String> {
    let sql =
        "SELECT version AS name FROM __diesel_schema_migrations ORDER BY version DESC LIMIT 1";
    let rows: Vec<Name> = on_conn!(conn, |c| diesel::sql_query(sql).load(c))
        .map_err(|e| format!("Schema-Version: {e}"))?;
    Ok(rows.into_iter().next().map(|r| r.name).unwrap_or_default())
}

/// Whether the installation holds data beyond what the migrations put in.
pub fn has_data(conn: &mut DbConn) -> OpsResult<bool> {
    for t in tables(conn)? {
        if !SEEDED_BY_MIGRATIONS.contains(&t.as_str()) && count(conn, &t)? > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The newest migration this program brings, e.g. `20261201000013`.
pub fn newest_known_migration() -> String {
    use diesel::migration::MigrationSource;
    let migrations: Vec<Box<dyn diesel::migration::Migration<diesel::sqlite::Sqlite>>> =
        crate::db::SQLITE_MIGRATIONS
            .migrations()
            .unwrap_or_default();
    migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .max()
        .unwrap_or_default()
}

/// Hex SHA-256 and size of a file.
pub fn file_digest(path: &Path) -> OpsResult<(String, u64)> {
    let mut f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Whether a directory is missing or has no entries.
pub fn dir_is_empty(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => true,
    }
}

/// Copies `from` to `to` through a temporary name, synced, and checks the copy's hash.
pub fn copy_verified(from: &Path, to: &Path, sha256: &str) -> OpsResult<u64> {
    let dir = to.parent().ok_or("Zielpfad ohne Verzeichnis")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = dir.join(format!(".{}.tmp", crate::db::new_id()));
    std::fs::copy(from, &tmp).map_err(|e| format!("{}: {e}", from.display()))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    let (got, size) = file_digest(&tmp)?;
    if got != sha256 {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "{}: Prüfsumme stimmt nicht (erwartet {sha256}, gelesen {got})",
            from.display()
        ));
    }
    std::fs::rename(&tmp, to).map_err(|e| format!("{}: {e}", to.display()))?;
    Ok(size)
}

/// A PostgreSQL client program (`pg_dump`, `pg_restore`): from `PG_BIN_DIR`, the PATH,
/// or the newest `/usr/lib/postgresql/*/bin`.
pub fn pg_program(name: &str) -> OpsResult<std::path::PathBuf> {
    if let Ok(dir) = std::env::var("PG_BIN_DIR") {
        let p = Path::new(&dir).join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|r| r.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    dirs.sort();
    if let Some(p) = dirs
        .iter()
        .rev()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
    {
        return Ok(p);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            let p = d.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(format!(
        "{name} fehlt: bitte die PostgreSQL-Client-Programme installieren (apt-get install postgresql-client) oder PG_BIN_DIR setzen"
    ))
}
