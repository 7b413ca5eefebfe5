//! The configuration file beside the environment, and `digitalnetzwerk config check`.
use std::path::Path;
use std::process::{Command, Output};

/// Runs `digitalnetzwerk <args>` with only `env` as its environment.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_digitalnetzwerk"));
    cmd.args(args).env_clear();
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn write(dir: &Path, content: &str) -> String {
    let path = dir.join("digitalnetzwerk.toml");
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// The printed line of a setting.
fn line<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{name} = ")) || l.starts_with(&format!("# {name}:")))
        .unwrap_or_else(|| panic!("no line for {name} in\n{out}"))
}

const FILE: &str = r#"
DATABASE_URL = "postgres://app:Db-Geheim-77@db.example:5432/dn?sslmode=require"
SMTP_URL = "smtp://mailer:Smtp-Geheim-88@mail.example:587"
JWT_SECRET = "jwt-secret-from-the-file-0123456789abcdef"
METRICS_TOKEN = "metrics-token-from-the-file-42"
WORKER_INTERVAL_MS = 100
OUTBOX_GIVE_UP_HOURS = 12
COOKIE_SECURE = false
CORS_ORIGINS = ["https://a.example", "https://b.example"]
"#;

#[test]
fn file_values_apply_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), FILE);
    for via_env in [false, true] {
        let out = if via_env {
            run(
                &["config", "check"],
                &[("CONFIG_FILE", &path), ("WORKER_INTERVAL_MS", "250")],
            )
        } else {
            run(
                &["--config", &path, "config", "check"],
                &[("WORKER_INTERVAL_MS", "250")],
            )
        };
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stderr}");
        assert_eq!(
            line(&stdout, "WORKER_INTERVAL_MS"),
            "WORKER_INTERVAL_MS = 250  # Umgebung"
        );
        assert_eq!(
            line(&stdout, "OUTBOX_GIVE_UP_HOURS"),
            "OUTBOX_GIVE_UP_HOURS = 12  # Datei"
        );
        assert_eq!(
            line(&stdout, "COOKIE_SECURE"),
            "COOKIE_SECURE = false  # Datei"
        );
        assert_eq!(
            line(&stdout, "OUTBOX_CLAIM_SECS"),
            "OUTBOX_CLAIM_SECS = 60  # Standard"
        );
        assert_eq!(
            line(&stdout, "CORS_ORIGINS"),
            r#"CORS_ORIGINS = "https://a.example,https://b.example"  # Datei"#
        );
        // Secrets are masked, the rest of a URL stays readable.
        assert_eq!(
            line(&stdout, "DATABASE_URL"),
            r#"DATABASE_URL = "postgres://app:***@db.example:5432/dn?sslmode=require"  # Datei"#
        );
        assert_eq!(
            line(&stdout, "SMTP_URL"),
            r#"SMTP_URL = "smtp://mailer:***@mail.example:587"  # Datei"#
        );
        assert_eq!(
            line(&stdout, "JWT_SECRET"),
            r#"JWT_SECRET = "***"  # Datei"#
        );
        assert_eq!(
            line(&stdout, "METRICS_TOKEN"),
            r#"METRICS_TOKEN = "***"  # Datei"#
        );
        for secret in [
            "Db-Geheim-77",
            "Smtp-Geheim-88",
            "jwt-secret-from-the-file",
            "metrics-token-from-the-file",
        ] {
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "{secret}"
            );
        }
        assert!(stdout.contains(&format!("# Konfigurationsdatei: {path}")));
    }
}

#[test]
fn without_a_file_the_environment_and_defaults_are_shown() {
    let out = run(
        &["config", "check"],
        &[
            (
                "DATABASE_URL",
                "postgres://app@db/dn?password=Query-Geheim-99",
            ),
            ("METRICS_BIND_ADDRESS", "127.0.0.1:9100"),
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        line(&stdout, "DATABASE_URL"),
        r#"DATABASE_URL = "postgres://app@db/dn?password=***"  # Umgebung"#
    );
    assert!(!stdout.contains("Query-Geheim-99"));
    assert_eq!(
        line(&stdout, "METRICS_BIND_ADDRESS"),
        r#"METRICS_BIND_ADDRESS = "127.0.0.1:9100"  # Umgebung"#
    );
    assert!(line(&stdout, "JWT_SECRET").starts_with("# JWT_SECRET: nicht gesetzt"));
    assert_eq!(
        line(&stdout, "METRICS_TOKEN"),
        "# METRICS_TOKEN: nicht gesetzt"
    );
    assert_eq!(
        line(&stdout, "LOG_FORMAT"),
        r#"LOG_FORMAT = "text"  # Standard"#
    );
}

#[test]
fn an_unknown_key_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "DATABSE_URL = \"sqlite://x.db\"\n");
    for args in [
        vec!["--config", &path, "config", "check"],
        vec!["--config", &path, "migrate"],
    ] {
        let out = run(&args, &[]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}");
        assert!(
            stderr.contains("unbekannte Einstellung „DATABSE_URL“"),
            "{stderr}"
        );
    }
}

#[test]
fn invalid_values_fail_with_a_german_message() {
    let dir = tempfile::tempdir().unwrap();
    /// File content, environment, expected message.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 6] = [
        (
            "WORKER_INTERVAL_MS = \"schnell\"\n",
            &[],
            "WORKER_INTERVAL_MS hat einen ungültigen Wert: „schnell“ (Datei)",
        ),
        (
            "",
            &[("HSTS", "vielleicht")],
            "HSTS hat einen ungültigen Wert: „vielleicht“ (Umgebung)",
        ),
        (
            "LOG_FORMAT = \"xml\"\n",
            &[],
            "LOG_FORMAT hat einen ungültigen Wert",
        ),
        (
            "METRICS_TOKEN = \"kurz\"\n",
            &[],
            "METRICS_TOKEN muss mindestens 16 Zeichen lang sein",
        ),
        (
            "TRUSTED_PROXIES = [\"10.0.0.0/8\", \"kein-netz\"]\n",
            &[],
            "TRUSTED_PROXIES: „kein-netz“",
        ),
        (
            "DATABASE_URL = [[1]]\n",
            &[],
            "DATABASE_URL braucht einen Text",
        ),
    ];
    for (file, env, message) in cases {
        let path = write(dir.path(), file);
        let out = run(&["--config", &path, "config", "check"], env);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {stdout}");
        assert!(stderr.starts_with("Fehler: "), "{stderr}");
        assert!(stderr.contains(message), "{file}: {stderr}");
    }
    let path = write(dir.path(), "das ist = kein = toml");
    let out = run(&["--config", &path, "config", "check"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).1.contains("ist kein gültiges TOML"),
        "{}",
        text(&out).1
    );
    let out = run(&["--config", "/gibt/es/nicht.toml", "config", "check"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out)
        .1
        .contains("Konfigurationsdatei /gibt/es/nicht.toml"));
}

/// Every name the code reads as a setting can be given in the file and is printed by
/// `config check`; a new setting that is forgotten in `config::SETTINGS` fails here.
#[test]
fn every_setting_the_code_reads_is_listed() {
    let mut names = std::collections::BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            for marker in ["var(\"", "lookup(\"", "source(\""] {
                for (i, _) in src.match_indices(marker) {
                    let rest = &src[i + marker.len()..];
                    let name = &rest[..rest.find('"').unwrap()];
                    let before = &src[..i];
                    // Read straight from the process environment on purpose: a password for
                    // one command, a switch of a unit test, where the PostgreSQL tools are.
                    let direct = before.ends_with("env::");
                    if direct && ["ADMIN_PASSWORD", "SIMILAR_SPLIT", "PG_BIN_DIR"].contains(&name) {
                        continue;
                    }
                    assert!(!direct, "{}: {name} bypasses config::var", path.display());
                    names.insert(name.to_string());
                }
            }
        }
    }
    assert!(names.len() > 20, "{names:?}");
    let out = run(&["config", "check"], &[]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    for name in &names {
        line(&stdout, name);
    }
}
