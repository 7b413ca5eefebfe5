//! Database access: the connection enum over SQLite and PostgreSQL, the pool,
//! embedded migrations and the helper that runs Diesel work off the async executor.
pub mod schema;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

/// A stored timestamp (naive UTC in both backends) as the API shows it.
pub fn utc(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_naive_utc_and_offset(t, chrono::Utc)
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection type for both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// `sqlite://data/x.db` and `sqlite:data/x.db` name the file `data/x.db`.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

pub fn establish(url: &str) -> Result<DbConn, diesel::ConnectionError> {
    match Backend::from_url(url) {
        Backend::Postgres => PgConnection::establish(url).map(DbConn::Pg),
        Backend::Sqlite => {
            let path = sqlite_path(url);
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    let _ = std::fs::create_dir_all(parent);
                }
            }
            let mut conn = SqliteConnection::establish(path)?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

/// A connection of its own (the command line, tests) keeps SQLite's default of 2 MB of
/// pages; the server's pool shares [`SQLITE_CACHE_BUDGET_KIB`] among its connections.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000;";

/// The pages all connections of the server's SQLite pool keep together, in KiB: 16 MiB
/// (2 MiB each of eight; 4 MiB each before 2026-12-07, 16 MiB each before the project
/// lists and the dashboard were kept in src/kept.rs). Pages beyond that come from the
/// kernel's file cache, which is shared and not part of the server's memory
/// (BENCHMARKS.md, PSS).
pub const SQLITE_CACHE_BUDGET_KIB: u32 = 16 * 1024;

pub struct Manager {
    url: String,
    /// Each SQLite connection's share of [`SQLITE_CACHE_BUDGET_KIB`].
    sqlite_cache_kib: u32,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        let mut conn = establish(&self.url).map_err(diesel::r2d2::Error::ConnectionError)?;
        if let DbConn::Sqlite(c) = &mut conn {
            c.batch_execute(&format!("PRAGMA cache_size = -{};", self.sqlite_cache_kib))
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

#[derive(Debug)]
struct SqliteOnAcquire;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqliteOnAcquire {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute("PRAGMA foreign_keys = ON;")
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Keeps SQLite's query planner statistics current (`PRAGMA optimize`, which analyses only
/// the tables that changed enough). Without them the planner assumes every index is
/// selective and, e.g., sorts thousands of visible projects instead of walking the
/// `updated_at` index. PostgreSQL's autovacuum does this by itself.
pub fn optimize(conn: &mut DbConn) -> Result<(), diesel::result::Error> {
    if let DbConn::Sqlite(c) = conn {
        c.batch_execute("PRAGMA optimize = 0x10002;")?;
    }
    Ok(())
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

/// Runs the embedded migrations of the URL's backend.
pub fn run_migrations(url: &str) -> Result<(), AppError> {
    let mut conn = establish(url).map_err(|e| AppError::internal(format!("database: {e}")))?;
    let result = match &mut conn {
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| AppError::internal(format!("migrations: {e}")))
}

pub fn build_pool(url: &str, max_size: u32) -> Result<DbPool, AppError> {
    let backend = Backend::from_url(url);
    let size = match backend {
        // SQLite has one writer; a few connections are enough and avoid lock storms.
        Backend::Sqlite => max_size.min(8),
        Backend::Postgres => max_size,
    };
    Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(SqliteOnAcquire))
        .build(Manager {
            url: url.to_string(),
            sqlite_cache_kib: SQLITE_CACHE_BUDGET_KIB / size.max(1),
        })
        .map_err(|e| AppError::internal(format!("database pool: {e}")))
}

/// Runs blocking Diesel work on actix's blocking thread pool.
pub async fn run<F, T>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| AppError::unavailable(format!("database: {e}")))?;
        f(&mut conn)
    })
    .await
    .map_err(|e| AppError::internal(format!("blocking task: {e}")))?
}

/// Runs `f` inside one transaction.
pub async fn tx<F, T>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| write_transaction(conn, f)).await
}

/// A transaction that will write. On SQLite it takes the write lock at its start
/// (a no-op UPDATE), so it waits for other writers through the busy timeout instead
/// of failing when a read snapshot would have to be upgraded to a write. The writers of
/// this process first queue on [`SQLITE_WRITER`], so they wait their turn there rather
/// than in SQLite's busy handler, which sleeps in growing steps and lets a writer that
/// came later win (tails of over two seconds under 32 writing connections).
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let _turn = match conn {
        DbConn::Sqlite(_) => WriterTurn::take(),
        DbConn::Pg(_) => None,
    };
    conn.transaction(|conn| {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute("UPDATE worker_leases SET name = name WHERE 1 = 0")?;
        }
        f(conn)
    })
}

/// One SQLite write transaction of this process at a time (other processes on the same
/// file still wait through the busy timeout).
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// Whether this thread holds [`SQLITE_WRITER`]: a write transaction inside another
    /// (a savepoint) does not queue again.
    static HOLDS_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// This thread's turn to write; released when dropped.
struct WriterTurn {
    _held: std::sync::MutexGuard<'static, ()>,
}

impl WriterTurn {
    /// Waits for the turn, or `None` if this thread has it already.
    fn take() -> Option<WriterTurn> {
        if HOLDS_WRITER.with(std::cell::Cell::get) {
            return None;
        }
        let guard = SQLITE_WRITER.lock().unwrap_or_else(|e| e.into_inner());
        HOLDS_WRITER.with(|h| h.set(true));
        Some(WriterTurn { _held: guard })
    }
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        HOLDS_WRITER.with(|h| h.set(false));
    }
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current UTC time at microsecond precision (what PostgreSQL stores), so a
/// value reads back equal on both backends.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let t = chrono::Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// Today's date in Germany: deadlines, due dates and working days are German calendar
/// dates, so just after midnight in Berlin it is already the next day (UTC is not).
pub fn today() -> chrono::NaiveDate {
    berlin_date(now())
}

/// The German calendar date at the UTC time `at`.
pub fn berlin_date(at: chrono::NaiveDateTime) -> chrono::NaiveDate {
    use chrono::TimeZone;
    chrono_tz::Europe::Berlin
        .from_utc_datetime(&at)
        .date_naive()
}

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends (ASCII-only on SQLite).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A `LIKE` pattern matching `q` anywhere, lower-cased, with `%` and `_` escaped by `\`.
pub fn contains_pattern(q: &str) -> String {
    let mut out = String::from("%");
    for c in q.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod date_tests {
    use super::berlin_date;
    use chrono::NaiveDate;

    #[test]
    fn the_german_date_turns_at_midnight_in_berlin() {
        let utc = |d: u32, h: u32, m: u32| {
            NaiveDate::from_ymd_opt(2026, 12, d)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        // 23:30 UTC on 1 December is 00:30 on 2 December in Berlin (winter time).
        assert_eq!(
            berlin_date(utc(1, 23, 30)),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
        assert_eq!(
            berlin_date(utc(1, 22, 59)),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        // Summer time: 22:30 UTC on 1 July 2027 is 00:30 on 2 July.
        let summer = NaiveDate::from_ymd_opt(2027, 7, 1)
            .unwrap()
            .and_hms_opt(22, 30, 0)
            .unwrap();
        assert_eq!(
            berlin_date(summer),
            NaiveDate::from_ymd_opt(2027, 7, 2).unwrap()
        );
    }
}

#[cfg(test)]
mod pool_tests {
    use super::*;
    use diesel::sql_types::BigInt;
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct CacheSize {
        #[diesel(sql_type = BigInt)]
        cache_size: i64,
    }

    #[test]
    fn the_pool_shares_one_page_cache_budget_among_its_sqlite_connections() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        for (asked, each) in [(8, 2048), (4, 4096), (32, 2048)] {
            let pool = build_pool(&url, asked).unwrap();
            let mut conn = pool.get().unwrap();
            let DbConn::Sqlite(c) = &mut *conn else {
                panic!("SQLite")
            };
            let size: CacheSize = diesel::sql_query("PRAGMA cache_size")
                .get_result(c)
                .unwrap();
            // Negative: KiB rather than pages.
            assert_eq!(size.cache_size, -each, "pool of {asked}");
        }
    }
}
