//! Typed configuration, read once from environment variables.
use std::path::{Path, PathBuf};

use crate::error::AppError;

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
    /// After this many hours of failed attempts a mail is given up (visible to admins).
    pub outbox_give_up_hours: i64,
    /// How long a worker's claim on a mail lasts (renewed before each send); after a crash
    /// another worker takes unsent mails over once it has run out.
    pub outbox_claim_secs: i64,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Send `Strict-Transport-Security` (only when this server terminates TLS itself;
    /// behind a TLS proxy the proxy adds it).
    pub hsts: bool,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn parse_var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, AppError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| {
            AppError::internal(format!("environment variable {name} has an invalid value"))
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
                    AppError::internal(format!("TRUSTED_PROXIES: \"{s}\" is no address or network"))
                })
        })
        .collect()
}

impl Config {
    /// Reads the environment. The JWT secret is resolved separately by
    /// [`Config::ensure_jwt_secret`], since it may need the data directory.
    pub fn from_env() -> Result<Config, AppError> {
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "data".into()));
        let bind_address = var("BIND_ADDRESS").unwrap_or_else(|| "127.0.0.1:8080".into());
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{bind_address}"));
        Ok(Config {
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
            outbox_give_up_hours: parse_var("OUTBOX_GIVE_UP_HOURS", 48)?,
            outbox_claim_secs: parse_var("OUTBOX_CLAIM_SECS", 60)?,
            trusted_proxies: parse_networks(var("TRUSTED_PROXIES").as_deref().unwrap_or(""))?,
            hsts: parse_var("HSTS", false)?,
        })
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
    let secret = crate::auth::tokens::random_token(48);
    write_private(path, &secret)
        .map_err(|e| AppError::internal(format!("writing {}: {e}", path.display())))?;
    Ok(secret)
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
