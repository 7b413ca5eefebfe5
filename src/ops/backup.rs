//! `digitalnetzwerk backup <dir>` and `restore <dir>`.
//!
//! A backup directory holds `manifest.json`, the database (`database.sqlite`, made
//! with `VACUUM INTO`, or `database.pgdump`, made with `pg_dump --format=custom`), the
//! attachment files the database refers to (`attachments/<sha256>`) and the signing
//! secret and the operator's legal pages (`legal/*.md`) if the data directory has them.
//! Both database snapshots are consistent while
//! the server writes: `VACUUM INTO` reads one transaction; for PostgreSQL the counts and
//! the file list are read in a repeatable-read transaction whose snapshot `pg_dump`
//! shares (`--snapshot`). Attachments are stored under their hash and never change, so
//! copying the ones the snapshot names after it was taken is consistent too; a file
//! deleted in between makes the attempt start over with a new snapshot.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;
use serde::{Deserialize, Serialize};

use super::{copy_verified, dir_is_empty, file_digest, literal, on_conn, Name, OpsResult};
use crate::config::Config;
use crate::db::{Backend, DbConn};

pub const MANIFEST: &str = "manifest.json";
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct FileEntry {
    /// Path inside the backup directory.
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Manifest {
    pub format: u32,
    pub app_version: String,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The newest migration of the backed-up database.
    pub schema_migration: String,
    pub database: FileEntry,
    /// Rows per table at the moment of the snapshot.
    pub counts: BTreeMap<String, i64>,
    pub attachments: Vec<FileEntry>,
    /// The JWT signing secret of the data directory, if it had one (keeps sessions valid).
    pub secret: Option<FileEntry>,
    /// The operator's legal pages (`DATA_DIR/legal/*.md`: Impressum, Datenschutz, …).
    #[serde(default)]
    pub legal: Vec<FileEntry>,
}

/// What a backup run did, for the command's output.
pub struct Summary {
    pub manifest: Manifest,
    pub attempts: u32,
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// The distinct attachment hashes a database refers to.
fn attachment_hashes(conn: &mut DbConn) -> OpsResult<Vec<String>> {
    let sql = "SELECT DISTINCT sha256 AS name FROM files ORDER BY sha256";
    let rows: Vec<Name> =
        on_conn!(conn, |c| diesel::sql_query(sql).load(c)).map_err(|e| format!("files: {e}"))?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

/// Takes a backup of the configured installation into `dir` (missing or empty).
pub fn backup(config: &Config, dir: &Path) -> OpsResult<Summary> {
    if !dir_is_empty(dir) {
        return Err(format!(
            "{} ist nicht leer: eine Sicherung braucht ein neues oder leeres Verzeichnis",
            dir.display()
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut last_err = String::new();
    for attempt in 1..=3 {
        match backup_once(config, dir) {
            Ok(Attempt::Done(manifest)) => {
                return Ok(Summary {
                    manifest: *manifest,
                    attempts: attempt,
                })
            }
            Ok(Attempt::FileVanished(hash)) => {
                last_err = format!("die Datei {hash} wurde während der Sicherung gelöscht");
                clear_dir(dir)?;
            }
            Err(e) => {
                let _ = clear_dir(dir);
                return Err(e);
            }
        }
    }
    Err(format!(
        "Sicherung nach drei Versuchen abgebrochen: {last_err}"
    ))
}

fn clear_dir(dir: &Path) -> OpsResult<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let p = entry.path();
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}

enum Attempt {
    Done(Box<Manifest>),
    FileVanished(String),
}

struct Snapshot {
    database: FileEntry,
    counts: BTreeMap<String, i64>,
    hashes: Vec<String>,
    schema_migration: String,
}

fn backup_once(config: &Config, dir: &Path) -> OpsResult<Attempt> {
    let backend = Backend::from_url(&config.database_url);
    let snap = match backend {
        Backend::Sqlite => snapshot_sqlite(config, dir)?,
        Backend::Postgres => snapshot_pg(config, dir)?,
    };
    let source = crate::files::storage_dir(&config.data_dir);
    let mut attachments = Vec::with_capacity(snap.hashes.len());
    for hash in &snap.hashes {
        let from = source.join(hash);
        if !from.exists() {
            return Ok(Attempt::FileVanished(hash.clone()));
        }
        let rel = format!("attachments/{hash}");
        let size = copy_verified(&from, &dir.join(&rel), hash)?;
        attachments.push(FileEntry {
            path: rel,
            size,
            sha256: hash.clone(),
        });
    }
    let secret_file = config.data_dir.join("jwt-secret");
    let secret = if secret_file.is_file() {
        let (sha256, _) = file_digest(&secret_file)?;
        let size = copy_verified(&secret_file, &dir.join("jwt-secret"), &sha256)?;
        restrict(&dir.join("jwt-secret"));
        Some(FileEntry {
            path: "jwt-secret".into(),
            size,
            sha256,
        })
    } else {
        None
    };
    let legal = backup_legal(&config.data_dir, dir)?;
    let manifest = Manifest {
        format: FORMAT,
        app_version: env!("CARGO_PKG_VERSION").into(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        backend: backend_name(backend).into(),
        schema_migration: snap.schema_migration,
        database: snap.database,
        counts: snap.counts,
        attachments,
        secret,
        legal,
    };
    // The manifest comes last: a directory without one is no finished backup.
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    let tmp = dir.join(".manifest.tmp");
    std::fs::write(&tmp, json).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(MANIFEST)).map_err(|e| e.to_string())?;
    Ok(Attempt::Done(Box::new(manifest)))
}

/// Copies the operator's Markdown pages of `DATA_DIR/legal` into `dir/legal`.
fn backup_legal(data_dir: &Path, dir: &Path) -> OpsResult<Vec<FileEntry>> {
    let source = crate::legal::dir(data_dir);
    let mut names: Vec<String> = match std::fs::read_dir(&source) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".md"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("{}: {e}", source.display())),
    };
    names.sort();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let from = source.join(&name);
        let (sha256, _) = file_digest(&from)?;
        let rel = format!("legal/{name}");
        let size = copy_verified(&from, &dir.join(&rel), &sha256)?;
        out.push(FileEntry {
            path: rel,
            size,
            sha256,
        });
    }
    Ok(out)
}

#[cfg(unix)]
fn restrict(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict(_path: &Path) {}

fn snapshot_sqlite(config: &Config, dir: &Path) -> OpsResult<Snapshot> {
    let path = crate::db::sqlite_path(&config.database_url);
    if !Path::new(path).is_file() {
        return Err(format!("die Datenbank {path} gibt es nicht"));
    }
    let mut live = super::open_sqlite(&config.database_url)?;
    let target = dir.join("database.sqlite");
    // One read transaction: a consistent copy while the server goes on writing.
    live.batch_execute(&format!(
        "VACUUM INTO {}",
        literal(&target.display().to_string())
    ))
    .map_err(|e| format!("VACUUM INTO: {e}"))?;
    drop(live);
    let url = format!("sqlite://{}", target.display());
    let mut copy = DbConn::Sqlite(super::open_sqlite(&url)?);
    let tables = super::tables(&mut copy)?;
    let counts = super::counts(&mut copy, &tables)?;
    let hashes = attachment_hashes(&mut copy)?;
    let schema_migration = super::schema_version(&mut copy)?;
    drop(copy);
    let (sha256, size) = file_digest(&target)?;
    Ok(Snapshot {
        database: FileEntry {
            path: "database.sqlite".into(),
            size,
            sha256,
        },
        counts,
        hashes,
        schema_migration,
    })
}

fn snapshot_pg(config: &Config, dir: &Path) -> OpsResult<Snapshot> {
    let mut conn = DbConn::Pg(super::open_pg(&config.database_url)?);
    let DbConn::Pg(pg) = &mut conn else {
        unreachable!()
    };
    pg.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .map_err(|e| e.to_string())?;
    let id: Name = diesel::sql_query("SELECT pg_export_snapshot() AS name")
        .get_result(pg)
        .map_err(|e| format!("pg_export_snapshot: {e}"))?;
    let tables = super::tables(&mut conn)?;
    let counts = super::counts(&mut conn, &tables)?;
    let hashes = attachment_hashes(&mut conn)?;
    let schema_migration = super::schema_version(&mut conn)?;
    let target = dir.join("database.pgdump");
    let out = std::process::Command::new(super::pg_program("pg_dump")?)
        .arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg(format!("--snapshot={}", id.name))
        .arg("--file")
        .arg(&target)
        .arg("--dbname")
        .arg(&config.database_url)
        .output()
        .map_err(|e| format!("pg_dump: {e}"))?;
    if let DbConn::Pg(pg) = &mut conn {
        let _ = pg.batch_execute("COMMIT");
    }
    if !out.status.success() {
        return Err(format!(
            "pg_dump ist fehlgeschlagen: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let (sha256, size) = file_digest(&target)?;
    Ok(Snapshot {
        database: FileEntry {
            path: "database.pgdump".into(),
            size,
            sha256,
        },
        counts,
        hashes,
        schema_migration,
    })
}

/// Reads and checks a backup: every file the manifest lists is there with its hash.
pub fn verify(dir: &Path) -> OpsResult<Manifest> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).map_err(|e| {
        format!(
            "{}: keine vollständige Sicherung (manifest.json fehlt: {e})",
            dir.display()
        )
    })?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("manifest.json ist unlesbar: {e}"))?;
    if manifest.format != FORMAT {
        return Err(format!(
            "Sicherungsformat {} wird nicht unterstützt (erwartet {FORMAT})",
            manifest.format
        ));
    }
    let entries = std::iter::once(&manifest.database)
        .chain(manifest.attachments.iter())
        .chain(manifest.secret.iter())
        .chain(manifest.legal.iter());
    for entry in entries {
        if entry.path.contains("..") || entry.path.starts_with('/') {
            return Err(format!("unzulässiger Pfad im Manifest: {}", entry.path));
        }
        let (sha256, size) = file_digest(&dir.join(&entry.path))?;
        if sha256 != entry.sha256 || size != entry.size {
            return Err(format!(
                "{} ist beschädigt (Prüfsumme oder Größe weicht vom Manifest ab)",
                entry.path
            ));
        }
    }
    Ok(manifest)
}

/// Restores the backup in `dir` into the configured database and data directory.
/// Both must be empty unless `force` is set. Returns the manifest.
pub fn restore(config: &Config, dir: &Path, force: bool) -> OpsResult<Manifest> {
    let manifest = verify(dir)?;
    let backend = Backend::from_url(&config.database_url);
    if manifest.backend != backend_name(backend) {
        return Err(format!(
            "die Sicherung ist eine {}-Sicherung, DATABASE_URL zeigt auf {}; zum Wechsel dient `migrate-data`",
            manifest.backend,
            backend_name(backend)
        ));
    }
    if manifest.schema_migration > super::newest_known_migration() {
        return Err(format!(
            "die Sicherung stammt von einer neueren Version (Schema {}); bitte mit dieser oder einer neueren Version wiederherstellen",
            manifest.schema_migration
        ));
    }
    let storage = crate::files::storage_dir(&config.data_dir);
    if !force && !dir_is_empty(&storage) {
        return Err(format!(
            "{} enthält schon Dateien; nichts wurde geändert (--force überschreibt)",
            storage.display()
        ));
    }
    match backend {
        Backend::Sqlite => restore_sqlite(config, dir, &manifest, force)?,
        Backend::Postgres => restore_pg(config, dir, &manifest, force)?,
    }
    for entry in &manifest.attachments {
        copy_verified(
            &dir.join(&entry.path),
            &storage.join(&entry.sha256),
            &entry.sha256,
        )?;
    }
    if let Some(secret) = &manifest.secret {
        let target = config.data_dir.join("jwt-secret");
        if force || !target.exists() {
            copy_verified(&dir.join(&secret.path), &target, &secret.sha256)?;
            restrict(&target);
        }
    }
    let legal = crate::legal::dir(&config.data_dir);
    for entry in &manifest.legal {
        let name = entry.path.trim_start_matches("legal/");
        let target = legal.join(name);
        if force || !target.exists() {
            copy_verified(&dir.join(&entry.path), &target, &entry.sha256)?;
        }
    }
    // A backup of an older version is brought to this version's schema.
    crate::db::run_migrations(&config.database_url).map_err(|e| e.to_string())?;
    let mut conn =
        crate::db::establish(&config.database_url).map_err(|e| format!("Datenbank: {e}"))?;
    for (table, expected) in &manifest.counts {
        let got = super::count(&mut conn, table)?;
        if got != *expected {
            return Err(format!(
                "nach der Wiederherstellung hat {table} {got} Zeilen, das Manifest nennt {expected}"
            ));
        }
    }
    crate::projects::search::reindex_missing(&mut conn).map_err(|e| e.to_string())?;
    crate::processes::search::reindex_missing(&mut conn).map_err(|e| e.to_string())?;
    Ok(manifest)
}

fn restore_sqlite(config: &Config, dir: &Path, manifest: &Manifest, force: bool) -> OpsResult<()> {
    let target = PathBuf::from(crate::db::sqlite_path(&config.database_url));
    if target.exists() && !force {
        let mut conn = DbConn::Sqlite(super::open_sqlite(&config.database_url)?);
        if super::has_data(&mut conn)? {
            return Err(format!(
                "{} enthält schon Daten; nichts wurde geändert (--force überschreibt)",
                target.display()
            ));
        }
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let tmp = target.with_extension("restore-tmp");
    copy_verified(
        &dir.join(&manifest.database.path),
        &tmp,
        &manifest.database.sha256,
    )?;
    // The old write-ahead log belongs to the old file and must not be replayed onto it.
    for suffix in ["-wal", "-shm"] {
        let mut p = target.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    std::fs::rename(&tmp, &target).map_err(|e| format!("{}: {e}", target.display()))
}

fn restore_pg(config: &Config, dir: &Path, manifest: &Manifest, force: bool) -> OpsResult<()> {
    let mut conn = DbConn::Pg(super::open_pg(&config.database_url)?);
    if !force && super::has_data(&mut conn)? {
        return Err(
            "die Zieldatenbank enthält schon Daten; nichts wurde geändert (--force überschreibt)"
                .into(),
        );
    }
    drop(conn);
    // Tables the migrations may already have made are dropped first (--clean); one
    // transaction, so a failure leaves the target as it was.
    let out = std::process::Command::new(super::pg_program("pg_restore")?)
        .args([
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
        ])
        .arg("--dbname")
        .arg(&config.database_url)
        .arg(dir.join(&manifest.database.path))
        .output()
        .map_err(|e| format!("pg_restore: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pg_restore ist fehlgeschlagen, nichts wurde geändert: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(())
}
