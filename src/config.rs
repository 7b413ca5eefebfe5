//! Typed configuration, read once from environment variables and an optional TOML
//! file with the same names (the environment wins).
use std::path::{Path, PathBuf};

use crate::error::AppError;

pub mod sso;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub database_max_connections: u32,
    pub bind_address: String,
    pub public_url: String,
    pub jwt_secret: String,
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    pub static_dir: PathBuf,
    pub cors_origins: Vec<String>,
    pub data_dir: PathBuf,
    pub cookie_secure: bool,
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    pub argon2_memory_kib: u32,
    /// A support request without a first response after this many working days is overdue.
    pub support_overdue_working_days: u32,
    /// Pause between rounds of background work (events, digests, outbox).
    pub worker_interval_ms: u64,
    /// How many projects' similar-hint features the process keeps (its largest cache).
    pub similar_cache_entries: usize,
    /// After this many hours of failed attempts a mail is given up (visible to admins).
    pub outbox_give_up_hours: i64,
    /// How long a worker's claim on a mail lasts (renewed before each send); after a crash
    /// another worker takes unsent mails over once it has run out.
    pub outbox_claim_secs: i64,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` (or, without it,
    /// `Forwarded: for=`) is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Send `Strict-Transport-Security` (only when this server terminates TLS itself;
    /// behind a TLS proxy the proxy adds it).
    pub hsts: bool,
    /// On SIGTERM/SIGINT: how long running requests and the mail being sent may take
    /// before the process stops anyway.
    pub shutdown_timeout_secs: u64,
    /// With it `/metrics` answers to `Authorization: Bearer <token>`; without it only on
    /// [`Config::metrics_bind_address`], if that is set.
    pub metrics_token: Option<String>,
    /// A separate address (say `127.0.0.1:9100`) that serves only `/metrics`.
    pub metrics_bind_address: Option<String>,
    /// Single sign-on: OpenID providers, `LOCAL_LOGIN`, `BREAK_GLASS_ACCOUNTS`.
    pub sso: sso::SsoConfig,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Env,
    File,
    Default,
}

impl Source {
    pub fn german(self) -> &'static str {
        match self {
            Source::Env => "Umgebung",
            Source::File => "Datei",
            Source::Default => "Standard",
        }
    }
}

/// Every setting an operator can give, in the environment or the configuration file
/// (`ADMIN_PASSWORD` is read by `admin create` from the environment only). A new
/// setting is added here and to [`Config::settings`]; `tests/api/config.rs` checks
/// that every name the code reads is listed.
pub const SETTINGS: &[&str] = &[
    "DATABASE_URL",
    "DATABASE_MAX_CONNECTIONS",
    "BIND_ADDRESS",
    "PUBLIC_URL",
    "JWT_SECRET",
    "SMTP_URL",
    "SMTP_FROM",
    "STATIC_DIR",
    "CORS_ORIGINS",
    "DATA_DIR",
    "COOKIE_SECURE",
    "ACCESS_TOKEN_MINUTES",
    "REFRESH_TOKEN_DAYS",
    "ARGON2_MEMORY_KIB",
    "SUPPORT_OVERDUE_WORKING_DAYS",
    "WORKER_INTERVAL_MS",
    "SIMILAR_CACHE_ENTRIES",
    "OUTBOX_GIVE_UP_HOURS",
    "OUTBOX_CLAIM_SECS",
    "TRUSTED_PROXIES",
    "HSTS",
    "SHUTDOWN_TIMEOUT_SECS",
    "METRICS_TOKEN",
    "METRICS_BIND_ADDRESS",
    "LOG_FORMAT",
    "RUST_LOG",
    "WORKERS",
    "OIDC_PROVIDERS",
    "LOCAL_LOGIN",
    "BREAK_GLASS_ACCOUNTS",
];

/// The values of the configuration file, once it is read (`CONFIG_FILE` / `--config`).
static FILE: std::sync::OnceLock<std::collections::BTreeMap<String, String>> =
    std::sync::OnceLock::new();

static FILE_PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Reads the TOML configuration file; its keys are the names of the environment
/// variables. An unknown key or a value that is no string, number, boolean or list
/// of those is an error. Only the first call counts.
pub fn load_file(path: &Path) -> Result<(), AppError> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::internal(format!("Konfigurationsdatei {shown}: {e}")))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        AppError::internal(format!(
            "Konfigurationsdatei {shown} ist kein gültiges TOML: {}",
            e.message()
        ))
    })?;
    let mut values = std::collections::BTreeMap::new();
    // `OIDC_<ID>_<FIELD>` keys count for the providers listed (in the environment or the file).
    let listed = var("OIDC_PROVIDERS")
        .or_else(|| table.get("OIDC_PROVIDERS").and_then(plain_value))
        .unwrap_or_default();
    let provider_ids = sso::provider_ids(&listed).unwrap_or_default();
    for (key, value) in table {
        if !SETTINGS.contains(&key.as_str()) && !sso::is_provider_key(&key, &provider_ids) {
            return Err(AppError::internal(format!(
                "Konfigurationsdatei {shown}: unbekannte Einstellung „{key}“"
            )));
        }
        let text = plain_value(&value).ok_or_else(|| {
            AppError::internal(format!(
                "Konfigurationsdatei {shown}: {key} braucht einen Text, eine Zahl, einen Wahrheitswert oder eine Liste davon"
            ))
        })?;
        values.insert(key, text);
    }
    let _ = FILE.set(values);
    let _ = FILE_PATH.set(path.to_path_buf());
    Ok(())
}

fn plain_value(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        // Lists (CORS_ORIGINS, TRUSTED_PROXIES) mean what the comma-separated variable means.
        toml::Value::Array(items) => items
            .iter()
            .map(|i| match i {
                toml::Value::Array(_) | toml::Value::Table(_) => None,
                other => plain_value(other),
            })
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join(",")),
        toml::Value::Datetime(_) | toml::Value::Table(_) => None,
    }
}

/// A setting's value and where it came from: the environment wins over the file; an
/// empty value counts as not given.
pub fn lookup(name: &str) -> Option<(String, Source)> {
    let clean = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(v) = std::env::var(name).ok().as_deref().and_then(clean) {
        return Some((v, Source::Env));
    }
    FILE.get()
        .and_then(|f| f.get(name))
        .and_then(|v| clean(v))
        .map(|v| (v, Source::File))
}

pub fn source(name: &str) -> Source {
    lookup(name).map_or(Source::Default, |(_, s)| s)
}

/// A setting's value from the environment or the configuration file.
pub fn var(name: &str) -> Option<String> {
    lookup(name).map(|(v, _)| v)
}

/// The default of `SIMILAR_CACHE_ENTRIES`: the candidates of about twenty similar-hint
/// requests (400 each) at about 2 KB each. The rarity samples keep only their keys, apart
/// from this cache (BENCHMARKS.md).
pub const DEFAULT_SIMILAR_CACHE_ENTRIES: usize = 8_000;

fn parse_var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, AppError> {
    match lookup(name) {
        None => Ok(default),
        Some((v, source)) => v.parse().map_err(|_| {
            AppError::internal(format!(
                "{name} hat einen ungültigen Wert: „{v}“ ({})",
                source.german()
            ))
        }),
    }
}

/// `10.0.0.1, 192.168.0.0/16, ::1`: single addresses and networks.
pub fn parse_networks(list: &str) -> Result<Vec<ipnet::IpNet>, AppError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    AppError::internal(format!(
                        "TRUSTED_PROXIES: „{s}“ ist weder eine Adresse noch ein Netz"
                    ))
                })
        })
        .collect()
}

/// The effective configuration as TOML (usable as a configuration file), each line
/// with its source; secrets are shown as `***`.
pub fn describe(config: &Config) -> String {
    let mut out =
        String::from("# Wirksame Konfiguration; Quelle: Umgebung, Datei oder Standard.\n");
    if let Some(path) = FILE_PATH.get() {
        out.push_str(&format!("# Konfigurationsdatei: {}\n", path.display()));
    }
    let providers = config.sso.provider_settings();
    let all = config
        .settings()
        .into_iter()
        .map(|(n, v)| (n.to_string(), v))
        .chain(providers);
    for (name, value) in all {
        let name = name.as_str();
        let source = source(name).german();
        match value {
            Some(v) => {
                let plain = v == "true" || v == "false" || v.parse::<i64>().is_ok();
                let shown = if plain {
                    v
                } else {
                    serde_json::to_string(&v).unwrap_or_default()
                };
                out.push_str(&format!("{name} = {shown}  # {source}\n"));
            }
            None if name == "JWT_SECRET" => out.push_str(
                "# JWT_SECRET: nicht gesetzt – wird aus DATA_DIR/jwt-secret gelesen oder dort erzeugt\n",
            ),
            None => out.push_str(&format!("# {name}: nicht gesetzt\n")),
        }
    }
    out
}

/// The log filter when `RUST_LOG` is not given.
pub const DEFAULT_LOG_FILTER: &str = "info,actix_server=warn";

/// How log lines are written: readable text, or one JSON object per line (`LOG_FORMAT=json`)
/// for a log collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn from_settings() -> Result<LogFormat, AppError> {
        match var("LOG_FORMAT").as_deref() {
            None | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(AppError::internal(format!(
                "LOG_FORMAT hat einen ungültigen Wert: „{other}“ (erlaubt: text, json)"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

/// HTTP worker threads: `WORKERS`, else one per core (at least two).
pub fn workers() -> usize {
    var("WORKERS")
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2)
        })
}

/// `postgres://app:geheim@db/x` → `postgres://app:***@db/x`; also a `password=` parameter.
pub fn mask_url_password(raw: &str) -> String {
    let Ok(mut url) = url::Url::parse(raw) else {
        return raw.to_string();
    };
    let in_query = url
        .query_pairs()
        .any(|(k, _)| k.eq_ignore_ascii_case("password"));
    if url.password().is_none() && !in_query {
        return raw.to_string();
    }
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    if in_query {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k.eq_ignore_ascii_case("password") {
                    "***".into()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string().replace("%2A%2A%2A", "***")
}

impl Config {
    /// Reads the environment. The JWT secret is resolved separately by
    /// [`Config::ensure_jwt_secret`], since it may need the data directory.
    pub fn from_env() -> Result<Config, AppError> {
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "data".into()));
        let bind_address = var("BIND_ADDRESS").unwrap_or_else(|| "127.0.0.1:8080".into());
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{bind_address}"));
        let config = Config {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/digitalnetzwerk.db".into()),
            database_max_connections: parse_var("DATABASE_MAX_CONNECTIONS", 10)?,
            bind_address,
            public_url: public_url.trim_end_matches('/').to_string(),
            jwt_secret: var("JWT_SECRET").unwrap_or_default(),
            smtp_url: var("SMTP_URL"),
            smtp_from: var("SMTP_FROM")
                .unwrap_or_else(|| "Digitalnetzwerk <noreply@digitalnetzwerk.localhost>".into()),
            static_dir: PathBuf::from(var("STATIC_DIR").unwrap_or_else(|| "frontend/dist".into())),
            cors_origins: var("CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            data_dir,
            cookie_secure: parse_var("COOKIE_SECURE", true)?,
            access_token_minutes: parse_var("ACCESS_TOKEN_MINUTES", 15)?,
            refresh_token_days: parse_var("REFRESH_TOKEN_DAYS", 14)?,
            argon2_memory_kib: parse_var("ARGON2_MEMORY_KIB", 19_456)?,
            support_overdue_working_days: parse_var("SUPPORT_OVERDUE_WORKING_DAYS", 3)?,
            worker_interval_ms: parse_var("WORKER_INTERVAL_MS", 5_000)?,
            similar_cache_entries: parse_var(
                "SIMILAR_CACHE_ENTRIES",
                DEFAULT_SIMILAR_CACHE_ENTRIES,
            )?,
            outbox_give_up_hours: parse_var("OUTBOX_GIVE_UP_HOURS", 48)?,
            outbox_claim_secs: parse_var("OUTBOX_CLAIM_SECS", 60)?,
            trusted_proxies: parse_networks(var("TRUSTED_PROXIES").as_deref().unwrap_or(""))?,
            hsts: parse_var("HSTS", false)?,
            shutdown_timeout_secs: parse_var("SHUTDOWN_TIMEOUT_SECS", 30)?,
            metrics_token: var("METRICS_TOKEN"),
            metrics_bind_address: var("METRICS_BIND_ADDRESS"),
            sso: sso::SsoConfig::from_settings()?,
        };
        config.check()?;
        Ok(config)
    }

    /// What the types alone do not say.
    fn check(&self) -> Result<(), AppError> {
        if !self.jwt_secret.is_empty() && self.jwt_secret.len() < 32 {
            return Err(AppError::internal(
                "JWT_SECRET muss mindestens 32 Zeichen lang sein",
            ));
        }
        if let Some(t) = &self.metrics_token {
            if t.len() < 16 {
                return Err(AppError::internal(
                    "METRICS_TOKEN muss mindestens 16 Zeichen lang sein",
                ));
            }
        }
        if let Some(a) = &self.metrics_bind_address {
            let port_ok = a
                .rsplit_once(':')
                .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok());
            if !port_ok {
                return Err(AppError::internal(format!(
                    "METRICS_BIND_ADDRESS hat einen ungültigen Wert: „{a}“ (erwartet: Adresse:Port)"
                )));
            }
        }
        LogFormat::from_settings()?;
        let scheme_ok = ["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| self.database_url.starts_with(p));
        if !scheme_ok {
            return Err(AppError::internal(
                "DATABASE_URL muss mit sqlite:, postgres:// oder postgresql:// beginnen",
            ));
        }
        Ok(())
    }

    /// Every setting with its effective value (secrets as `***`, `None` when unset),
    /// for `digitalnetzwerk config check`.
    pub fn settings(&self) -> Vec<(&'static str, Option<String>)> {
        let secret = |s: &str| Some(s).filter(|s| !s.is_empty()).map(|_| "***".to_string());
        let list = |v: Vec<String>| Some(v.join(",")).filter(|s| !s.is_empty());
        let log_format = LogFormat::from_settings().unwrap_or(LogFormat::Text);
        vec![
            ("DATABASE_URL", Some(mask_url_password(&self.database_url))),
            (
                "DATABASE_MAX_CONNECTIONS",
                Some(self.database_max_connections.to_string()),
            ),
            ("BIND_ADDRESS", Some(self.bind_address.clone())),
            ("PUBLIC_URL", Some(self.public_url.clone())),
            ("JWT_SECRET", secret(&self.jwt_secret)),
            ("SMTP_URL", self.smtp_url.as_deref().map(mask_url_password)),
            ("SMTP_FROM", Some(self.smtp_from.clone())),
            ("STATIC_DIR", Some(self.static_dir.display().to_string())),
            ("CORS_ORIGINS", list(self.cors_origins.clone())),
            ("DATA_DIR", Some(self.data_dir.display().to_string())),
            ("COOKIE_SECURE", Some(self.cookie_secure.to_string())),
            (
                "ACCESS_TOKEN_MINUTES",
                Some(self.access_token_minutes.to_string()),
            ),
            (
                "REFRESH_TOKEN_DAYS",
                Some(self.refresh_token_days.to_string()),
            ),
            (
                "ARGON2_MEMORY_KIB",
                Some(self.argon2_memory_kib.to_string()),
            ),
            (
                "SUPPORT_OVERDUE_WORKING_DAYS",
                Some(self.support_overdue_working_days.to_string()),
            ),
            (
                "WORKER_INTERVAL_MS",
                Some(self.worker_interval_ms.to_string()),
            ),
            (
                "SIMILAR_CACHE_ENTRIES",
                Some(self.similar_cache_entries.to_string()),
            ),
            (
                "OUTBOX_GIVE_UP_HOURS",
                Some(self.outbox_give_up_hours.to_string()),
            ),
            (
                "OUTBOX_CLAIM_SECS",
                Some(self.outbox_claim_secs.to_string()),
            ),
            (
                "TRUSTED_PROXIES",
                list(self.trusted_proxies.iter().map(|n| n.to_string()).collect()),
            ),
            ("HSTS", Some(self.hsts.to_string())),
            (
                "SHUTDOWN_TIMEOUT_SECS",
                Some(self.shutdown_timeout_secs.to_string()),
            ),
            (
                "METRICS_TOKEN",
                self.metrics_token.as_deref().and_then(secret),
            ),
            ("METRICS_BIND_ADDRESS", self.metrics_bind_address.clone()),
            ("LOG_FORMAT", Some(log_format.name().to_string())),
            (
                "RUST_LOG",
                Some(var("RUST_LOG").unwrap_or_else(|| DEFAULT_LOG_FILTER.into())),
            ),
            ("WORKERS", Some(workers().to_string())),
            (
                "OIDC_PROVIDERS",
                list(self.sso.providers.iter().map(|p| p.id.clone()).collect()),
            ),
            ("LOCAL_LOGIN", Some(self.sso.local_login.to_string())),
            ("BREAK_GLASS_ACCOUNTS", list(self.sso.break_glass.clone())),
        ]
    }

    /// Uses `JWT_SECRET` if set; otherwise reads or creates `<data_dir>/jwt-secret` (mode 0600).
    pub fn ensure_jwt_secret(&mut self) -> Result<(), AppError> {
        if !self.jwt_secret.is_empty() {
            if self.jwt_secret.len() < 32 {
                return Err(AppError::internal(
                    "JWT_SECRET must be at least 32 characters long",
                ));
            }
            return Ok(());
        }
        self.jwt_secret = load_or_create_secret(&self.data_dir.join("jwt-secret"))?;
        Ok(())
    }
}

fn load_or_create_secret(path: &Path) -> Result<String, AppError> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let s = existing.trim().to_string();
        if s.len() >= 32 {
            return Ok(s);
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| AppError::internal(format!("data directory: {e}")))?;
    }
    let secret = crate::secret::random_token(48);
    let err = |e: std::io::Error| AppError::internal(format!("writing {}: {e}", path.display()));
    // Several instances may start at once on one shared data directory: the secret is
    // written to a file of its own and then linked into place, which fails if another
    // instance was first; then its (complete) secret is used, so all sign the same way.
    let tmp = path.with_extension(format!("{}.tmp", crate::db::new_id()));
    write_private(&tmp, &secret).map_err(err)?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(secret),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let existing = std::fs::read_to_string(path).map_err(err)?;
            let s = existing.trim().to_string();
            if s.len() >= 32 {
                Ok(s)
            } else {
                // Unusable (say, truncated by hand): replaced, as on a first start.
                write_private(path, &secret).map_err(err)?;
                Ok(secret)
            }
        }
        // A file system without hard links: the exclusive create is the next best.
        Err(_) => {
            write_new_private(path, &secret).map_err(err)?;
            Ok(secret)
        }
    }
}

#[cfg(unix)]
fn write_new_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_new_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

#[cfg(test)]
mod secret_tests {
    /// Instances that start at the same moment on one data directory share one secret.
    #[test]
    fn racing_first_starts_agree_on_one_jwt_secret() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("jwt-secret");
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
            let secrets: Vec<String> = (0..8)
                .map(|_| {
                    let (path, barrier) = (path.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        super::load_or_create_secret(&path).unwrap()
                    })
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect();
            assert!(secrets.iter().all(|s| s == &secrets[0]), "{secrets:?}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), secrets[0]);
            let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
            assert_eq!(leftovers, 1, "no temporary files are left");
        }
    }
}
