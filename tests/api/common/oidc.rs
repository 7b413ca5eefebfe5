//! A real OpenID provider for the SSO tests: `tests/oidc-provider/provider.mjs` (the
//! certified npm `oidc-provider`) on loopback, and a cookie-jar "browser" that signs in
//! through it.
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

use digitalnetzwerk::config::sso::{OidcProvider, TownFormat};
use serde_json::{json, Value};

use super::{Db, MailSink, TestApp};

pub const PROVIDER: &str = "landesportal";
pub const SCIM_TOKEN: &str = "test-scim-token-0123456789-abcdef";
/// The account the test provider knows from the start: the officer of Brakel.
pub const LOGIN: &str = "b.brakel";
pub const PASSWORD: &str = "Landesportal-2026";
pub const SUB: &str = "a1b2c3d4-brakel-officer";

pub struct TestOp {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    child: Child,
    _stdin: ChildStdin,
}

impl Drop for TestOp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestOp {
    /// Starts the provider for a relying party at `rp` and waits for its `ready` line.
    pub fn start(rp: &str) -> TestOp {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc-provider");
        assert!(
            std::path::Path::new(dir).join("node_modules/oidc-provider").is_dir(),
            "the test OpenID provider is not installed: run `make oidc-deps` (npm ci in tests/oidc-provider)"
        );
        let mut child = Command::new("node")
            .current_dir(dir)
            .args([
                "provider.mjs",
                "--port",
                "0",
                "--rp",
                rp,
                "--provider",
                PROVIDER,
            ])
            .args(["--scim-token", SCIM_TOKEN])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("DN_OP_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("node runs (the test provider needs Node.js)");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(line)) = lines.next() {
                if let Some(json) = line.strip_prefix("ready ") {
                    let _ = tx.send(json.to_string());
                }
            }
        });
        let ready = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the test provider printed no ready line within 30 s");
        let v: Value = serde_json::from_str(&ready).unwrap();
        TestOp {
            issuer: v["issuer"].as_str().unwrap().to_string(),
            client_id: v["client_id"].as_str().unwrap().to_string(),
            client_secret: v["client_secret"].as_str().unwrap().to_string(),
            child,
            _stdin: stdin,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    /// The provider configuration as a deployment would write it.
    pub fn provider_config(&self) -> OidcProvider {
        OidcProvider {
            id: PROVIDER.into(),
            label: "Landesportal".into(),
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            scopes: ["openid", "email", "profile", "groups", "roles"]
                .map(String::from)
                .to_vec(),
            subject_claim: "sub".into(),
            town_claim: "groups".into(),
            town_format: TownFormat::GroupPath,
            town_map: vec![],
            role_claim: "realm_access.roles".into(),
            role_map: vec![
                ("dn-coordinator".into(), "coordinator".into()),
                ("dn-officer".into(), "officer".into()),
                ("dn-member".into(), "member".into()),
            ],
            allow_admin: false,
            login_claim: None,
            login_values: vec![],
            managed_fields: ["name", "email", "role", "town"].map(String::from).to_vec(),
            userinfo: false,
            link_by_email: true,
            scim_token_sha256: Some(digitalnetzwerk::secret::hash_token(SCIM_TOKEN)),
            ca_file: None,
        }
    }

    /// A test-only admin call of the provider.
    pub async fn admin(&self, path: &str, body: Value) -> Value {
        let resp = reqwest::Client::new()
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "test provider {path}");
        resp.json().await.unwrap()
    }

    /// Sets the password and claims of an account (the next sign-in sees them).
    pub async fn set_user(&self, login: &str, sub: &str, claims: Value) {
        self.admin(
            "/test/users",
            json!({"login": login, "password": PASSWORD, "sub": sub, "claims": claims}),
        )
        .await;
    }

    /// Re-signs the next ID token as asked (`claims`, `foreignKey`, `kid`).
    pub async fn tamper(&self, t: Value) {
        self.admin("/test/tamper", t).await;
    }
}

/// The claims of the Brakel officer with `roles`.
pub fn brakel_claims(email: &str, roles: &[&str]) -> Value {
    json!({
        "email": email, "email_verified": true, "name": "Bea Brakel",
        "preferred_username": "b.brakel",
        "groups": ["/kreis-hoexter/brakel"],
        "realm_access": {"roles": roles},
    })
}

/// An app and a test provider that know each other; `tweak` changes the SSO settings.
pub async fn spawn_sso_app(
    db: Db,
    tweak: impl FnOnce(&mut digitalnetzwerk::config::Config),
) -> (TestApp, TestOp) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let rp = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let op = TestOp::start(&rp);
    let provider = op.provider_config();
    let mail = MailSink::start();
    let port = mail.port;
    let app = super::spawn_app_listening(
        db,
        mail,
        port,
        None,
        tempfile::tempdir().unwrap(),
        listener,
        move |c| {
            // Plain http on loopback: the cookie jar sends no Secure cookies there.
            c.cookie_secure = false;
            c.sso.providers = vec![provider];
            tweak(c);
        },
    )
    .await;
    (app, op)
}

/// A browser: a cookie jar that follows the sign-in by hand.
pub struct Browser {
    pub client: reqwest::Client,
}

/// Where a sign-in ended: the platform page it was sent to.
#[derive(Debug)]
pub struct Landing {
    /// `/anmelden/fertig?…`, `/anmelden?sso_fehler=…`, `/anmelden/verknuepfen?…`
    pub location: String,
    /// The callback URL the provider sent the browser to.
    pub callback: Option<String>,
}

impl Landing {
    pub fn param(&self, name: &str) -> Option<String> {
        let url = url::Url::parse(&format!("http://x{}", self.location)).ok()?;
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    pub fn new() -> Browser {
        Self::speaking("de-DE,de;q=0.9")
    }

    /// A browser whose language is English (`Accept-Language: en`).
    pub fn english() -> Browser {
        Self::speaking("en-GB,en;q=0.9")
    }

    fn speaking(languages: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT_LANGUAGE,
            reqwest::header::HeaderValue::from_str(languages).unwrap(),
        );
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .default_headers(headers)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// Follows redirects from `url` (filling in the provider's login form with
    /// `login`/`password`) until the platform sends the browser to one of its pages.
    pub async fn follow(&self, app: &TestApp, url: String, login: &str, password: &str) -> Landing {
        let mut url = url::Url::parse(&url).unwrap();
        let mut callback = None;
        for _ in 0..20 {
            if url.path().ends_with("/callback") && url.as_str().starts_with(&app.base) {
                callback = Some(url.to_string());
            }
            let resp = self.client.get(url.clone()).send().await.unwrap();
            let status = resp.status().as_u16();
            if status == 303 || status == 302 {
                let loc = resp.headers()["location"].to_str().unwrap().to_string();
                if loc.starts_with("/anmelden") {
                    return Landing {
                        location: loc,
                        callback,
                    };
                }
                url = url.join(&loc).unwrap();
                continue;
            }
            assert_eq!(status, 200, "unexpected answer from {url}");
            let html = resp.text().await.unwrap();
            assert!(
                html.contains("Benutzername"),
                "no login form at {url}: {html}"
            );
            let action = html
                .split("action=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap()
                .to_string();
            let resp = self
                .client
                .post(url.join(&action).unwrap())
                .form(&[("login", login), ("password", password)])
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status().as_u16(), 303, "login form refused");
            let loc = resp.headers()["location"].to_str().unwrap().to_string();
            url = url.join(&loc).unwrap();
        }
        panic!("the sign-in did not come back to the platform");
    }

    /// "Anmelden mit Landesportal": start at the platform, sign in at the provider.
    pub async fn sign_in(&self, app: &TestApp, login: &str, password: &str) -> Landing {
        self.follow(
            app,
            app.url(&format!(
                "/api/v1/auth/oidc/{PROVIDER}/start?ziel=/projekte"
            )),
            login,
            password,
        )
        .await
    }

    /// What `/anmelden/fertig` does: exchanges the refresh cookie for an access token.
    pub async fn refresh(&self, app: &TestApp) -> reqwest::Response {
        self.client
            .post(app.url("/api/v1/auth/refresh"))
            .send()
            .await
            .unwrap()
    }

    /// Signs in and returns the session (access token and user).
    pub async fn session(&self, app: &TestApp, login: &str) -> Value {
        let landing = self.sign_in(app, login, PASSWORD).await;
        assert!(
            landing.location.starts_with("/anmelden/fertig"),
            "sign-in refused: {landing:?}"
        );
        assert_eq!(landing.param("ziel").as_deref(), Some("/projekte"));
        let resp = self.refresh(app).await;
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }
}

/// The refusal text of a landing on `/anmelden?sso_fehler=…`.
pub async fn refusal(app: &TestApp, landing: &Landing) -> Value {
    let id = landing
        .param("sso_fehler")
        .unwrap_or_else(|| panic!("not refused: {landing:?}"));
    let resp = app
        .client
        .get(app.url(&format!("/api/v1/auth/oidc/attempts/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// One test per backend from `async fn name(db: Db)` (the test starts its own app and
/// provider, since they must know each other's addresses).
#[macro_export]
macro_rules! sso_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name($crate::common::Db::Sqlite).await;
                }
                #[actix_web::test]
                async fn postgres() {
                    super::$name($crate::common::Db::Postgres).await;
                }
            }
        )*
    };
}
