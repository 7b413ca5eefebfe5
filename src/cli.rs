//! The command line: serve, migrate, seed, admin, import, openapi.
use std::io::Read;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use diesel::prelude::*;

use crate::auth::model::{Email, PersonName};
use crate::config::Config;
use crate::db::schema::users;
use crate::error::AppError;
use crate::ozg::import::ImportKind;

#[derive(Parser)]
#[command(
    name = "digitalnetzwerk",
    version,
    about = "Digitalnetzwerk: towns and districts digitalising together"
)]
pub struct Cli {
    /// A TOML configuration file with the names of the environment variables
    /// (`DATABASE_URL = "…"`); the environment wins over it.
    #[arg(
        long = "config",
        global = true,
        env = "CONFIG_FILE",
        value_name = "DATEI"
    )]
    pub config_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Runs migrations and starts the HTTP server.
    Serve {
        /// Seed the demo data first if the database has no users yet.
        #[arg(long)]
        seed_demo_if_empty: bool,
    },
    /// Runs pending database migrations.
    Migrate,
    /// Fills the database with reference data and demo accounts.
    Seed {
        /// Kreis Höxter, its towns, the OZG catalogue and demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Administration tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Imports a reference CSV file in one transaction (nothing changes if a line is bad).
    Import {
        #[arg(value_enum)]
        kind: ImportKind,
        file: PathBuf,
    },
    /// Prints the OpenAPI document.
    Openapi,
    /// The configuration: `config check` prints the effective settings (secrets masked).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Takes a consistent backup (database, attachments, manifest) into an empty directory,
    /// also while the server runs.
    Backup { dir: PathBuf },
    /// Restores a backup into the configured (empty) database and data directory.
    Restore {
        dir: PathBuf,
        /// Overwrite a database or data directory that already holds data.
        #[arg(long)]
        force: bool,
    },
    /// Copies every table of a SQLite installation into an empty PostgreSQL database.
    MigrateData {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Digests: run what is due now (for cron-style operation), or preview one.
    Digest {
        #[command(subcommand)]
        command: DigestCommand,
    },
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Checks every setting and prints the effective configuration with its sources.
    Check,
}

#[derive(Subcommand)]
pub enum DigestCommand {
    /// Turns pending events into notifications, queues due digests and delivers the outbox once.
    Run,
    /// Prints the next digest of a user as it would look now.
    Preview {
        #[arg(long)]
        user: String,
    },
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Creates a platform admin. The password is read from ADMIN_PASSWORD or standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

/// A status line of the server: on standard output, or as a log line when the logs
/// are JSON (so that every line of its output is one).
fn announce(msg: &str) {
    match crate::config::LogFormat::from_settings() {
        Ok(crate::config::LogFormat::Json) => tracing::info!("{msg}"),
        _ => println!("{msg}"),
    }
}

/// A configuration error as the operator should read it (without the error's kind).
fn plain(e: AppError) -> String {
    match e {
        AppError::Internal(m) => m,
        other => other.to_string(),
    }
}

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("Fehler: {msg}");
    std::process::exit(1);
}

fn connect(config: &Config) -> crate::db::DbConn {
    if let Err(e) = crate::db::run_migrations(&config.database_url) {
        fail(e);
    }
    crate::db::establish(&config.database_url).unwrap_or_else(|e| fail(format!("database: {e}")))
}

/// Reads the configuration file named by `--config` or `CONFIG_FILE`, if any (before
/// logging starts, since it may set `LOG_FORMAT`); exits with a message if it is bad.
pub fn load_config_file(cli: &Cli) {
    if let Some(path) = &cli.config_file {
        crate::config::load_file(path).unwrap_or_else(|e| fail(plain(e)));
    }
}

pub fn run(cli: Cli) {
    let config = Config::from_env().unwrap_or_else(|e| fail(plain(e)));
    match cli.command {
        Command::Serve { seed_demo_if_empty } => {
            if seed_demo_if_empty {
                let mut conn = connect(&config);
                if crate::seed::is_empty(&mut conn).unwrap_or_else(|e| fail(e)) {
                    let n = crate::seed::seed_demo(&mut conn, config.argon2_memory_kib)
                        .unwrap_or_else(|e| fail(e));
                    announce(&format!("Demo-Daten angelegt ({n} Konten)."));
                }
            }
            let addr = config.bind_address.clone();
            let state = crate::state::build_state(config).unwrap_or_else(|e| fail(e));
            let listener = std::net::TcpListener::bind(&addr)
                .unwrap_or_else(|e| fail(format!("bind {addr}: {e}")));
            announce(&format!(
                "Digitalnetzwerk läuft auf {}",
                state.config.public_url
            ));
            let result = actix_web::rt::System::new().block_on(async move {
                let server = crate::app::run_server(state.clone(), listener, workers())?;
                server.await?;
                if !crate::shutdown::finish(&state).await {
                    // The runtime would wait for the busy mail thread; its claims are given back.
                    std::process::exit(0);
                }
                Ok::<(), std::io::Error>(())
            });
            if let Err(e) = result {
                fail(e);
            }
        }
        Command::Migrate => {
            crate::db::run_migrations(&config.database_url).unwrap_or_else(|e| fail(e));
            println!("Migrationen ausgeführt.");
        }
        Command::Seed { demo } => {
            if !demo {
                fail("nur `seed --demo` ist verfügbar");
            }
            let mut conn = connect(&config);
            let n = crate::seed::seed_demo(&mut conn, config.argon2_memory_kib)
                .unwrap_or_else(|e| fail(e));
            println!(
                "Demo-Daten angelegt ({n} neue Konten). Passwort aller Demo-Konten: {}",
                crate::seed::DEMO_PASSWORD
            );
        }
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => {
            let email = Email::parse(&email).unwrap_or_else(|e| fail(e));
            let name = PersonName::parse(&name).unwrap_or_else(|e| fail(e));
            let password = match std::env::var("ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .unwrap_or_else(|e| fail(e));
                    s.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            crate::auth::password::check_rules(&password, email.as_str())
                .unwrap_or_else(|e| fail(e));
            let hash = crate::auth::password::hash(&password, config.argon2_memory_kib)
                .unwrap_or_else(|e| fail(e));
            let mut conn = connect(&config);
            let t = crate::db::now();
            let id = crate::db::new_id();
            let result: Result<(), AppError> = conn.transaction(|conn| {
                diesel::insert_into(users::table)
                    .values(crate::users::model::NewUser {
                        id: id.clone(),
                        email: email.as_str().to_string(),
                        name: name.into_inner(),
                        password_hash: Some(hash),
                        role: "admin".into(),
                        locale: "de".into(),
                        district_id: None,
                        municipality_id: None,
                        active: true,
                        version: 1,
                        created_at: t,
                        updated_at: t,
                    })
                    .execute(conn)?;
                crate::audit::record(
                    conn,
                    None,
                    crate::audit::Entry {
                        action: "user.create",
                        object_type: "user",
                        object_id: &id,
                        district_id: None,
                        municipality_id: None,
                        summary: serde_json::json!({"via": "cli", "role": "admin"}),
                    },
                )
            });
            result.unwrap_or_else(|e| fail(e));
            println!("Admin {} angelegt.", email.as_str());
        }
        Command::Import { kind, file } => {
            let content = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| fail(format!("{}: {e}", file.display())));
            let mut conn = connect(&config);
            match crate::ozg::import::run(&mut conn, kind, &content) {
                Ok(n) => println!("{n} Zeilen importiert."),
                Err(e) => fail(format!("{}: {e} – nichts wurde geändert.", file.display())),
            }
        }
        Command::Digest { command } => {
            let state = crate::state::build_state(config).unwrap_or_else(|e| fail(e));
            match command {
                DigestCommand::Run => {
                    let holder = format!("cli-{}", std::process::id());
                    let sent = crate::notify::worker::tick(&state, &holder, crate::db::now())
                        .unwrap_or_else(|e| fail(e));
                    println!("{sent} E-Mails zugestellt.");
                }
                DigestCommand::Preview { user } => {
                    let email = Email::parse(&user).unwrap_or_else(|e| fail(e));
                    let mut conn = state.pool.get().unwrap_or_else(|e| fail(e));
                    let row = crate::auth::queries::user_by_email(&mut conn, email.as_str())
                        .unwrap_or_else(|e| fail(e))
                        .unwrap_or_else(|| fail("unbekannte E-Mail-Adresse"));
                    match crate::notify::digest::preview(&mut conn, &row, &state.config.public_url)
                        .unwrap_or_else(|e| fail(e))
                    {
                        Some(d) => println!("Betreff: {}\n\n{}", d.mail.subject, d.mail.text),
                        None => println!(
                            "Die nächste Zusammenfassung ist leer und würde nicht verschickt."
                        ),
                    }
                }
            }
        }
        Command::Backup { dir } => {
            let summary = crate::ops::backup::backup(&config, &dir).unwrap_or_else(|e| fail(e));
            let m = &summary.manifest;
            let rows: i64 = m.counts.values().sum();
            println!(
                "Sicherung in {} abgeschlossen: {} Tabellen mit {rows} Zeilen, {} Anhänge, Schema {}.",
                dir.display(),
                m.counts.len(),
                m.attachments.len(),
                m.schema_migration
            );
        }
        Command::Restore { dir, force } => {
            let m = crate::ops::backup::restore(&config, &dir, force).unwrap_or_else(|e| fail(e));
            let rows: i64 = m.counts.values().sum();
            println!(
                "Sicherung vom {} wiederhergestellt: {} Tabellen mit {rows} Zeilen, {} Anhänge; alles geprüft.",
                m.created_at,
                m.counts.len(),
                m.attachments.len()
            );
        }
        Command::MigrateData { from, to } => {
            let reports = crate::ops::migrate::migrate(&from, &to).unwrap_or_else(|e| fail(e));
            for r in &reports {
                println!(
                    "{:<32} {:>9} Zeilen  sha256 {}",
                    r.table,
                    r.rows,
                    &r.checksum[..16]
                );
            }
            let rows: i64 = reports.iter().map(|r| r.rows).sum();
            println!(
                "{} Tabellen mit {rows} Zeilen nach PostgreSQL kopiert und geprüft; die Quelle ist unverändert.",
                reports.len()
            );
        }
        Command::Config {
            command: ConfigCommand::Check,
        } => {
            print!("{}", crate::config::describe(&config));
            println!("# Die Konfiguration ist gültig.");
        }
        Command::Openapi => {
            let doc = crate::app::openapi_document()
                .to_pretty_json()
                .unwrap_or_else(|e| fail(e));
            println!("{doc}");
        }
    }
}

fn workers() -> usize {
    crate::config::workers()
}
