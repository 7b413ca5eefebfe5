//! Single sign-on settings: the OpenID providers (`OIDC_PROVIDERS`, `OIDC_<ID>_*`),
//! `LOCAL_LOGIN` and `BREAK_GLASS_ACCOUNTS`. Parsed and checked here; the login itself
//! is `crate::sso`.
use std::path::PathBuf;

use super::var;
use crate::error::AppError;

/// The fields an `OIDC_<ID>_` prefix may carry (the configuration file accepts exactly these).
pub const PROVIDER_FIELDS: &[&str] = &[
    "LABEL",
    "ISSUER",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CLIENT_SECRET_FILE",
    "SCOPES",
    "SUBJECT_CLAIM",
    "TOWN_CLAIM",
    "TOWN_FORMAT",
    "TOWN_MAP",
    "ROLE_CLAIM",
    "ROLE_MAP",
    "ALLOW_ADMIN",
    "LOGIN_CLAIM",
    "LOGIN_VALUES",
    "MANAGED_FIELDS",
    "USERINFO",
    "LINK_BY_EMAIL",
    "SCIM_TOKEN_SHA256",
    "CA_FILE",
];

/// The fields of an account that an identity provider may own.
pub const MANAGEABLE_FIELDS: &[&str] = &["name", "email", "role", "town"];

const ROLES: &[&str] = &["admin", "coordinator", "officer", "member"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TownFormat {
    /// `/kreis-hoexter/brakel`: district slug and town slug.
    GroupPath,
    /// The official municipality key (8 digits) or the district key (5 digits).
    Ags,
}

impl TownFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TownFormat::GroupPath => "group-path",
            TownFormat::Ags => "ags",
        }
    }
}

/// One configured OpenID provider.
#[derive(Debug, Clone)]
pub struct OidcProvider {
    pub id: String,
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub scopes: Vec<String>,
    pub subject_claim: String,
    pub town_claim: String,
    pub town_format: TownFormat,
    /// (group path or value, AGS): explicit overrides.
    pub town_map: Vec<(String, String)>,
    pub role_claim: String,
    /// (provider role, our role name) in the order given.
    pub role_map: Vec<(String, String)>,
    pub allow_admin: bool,
    pub login_claim: Option<String>,
    /// Allowed values; a trailing `*` matches any continuation.
    pub login_values: Vec<String>,
    pub managed_fields: Vec<String>,
    pub userinfo: bool,
    pub link_by_email: bool,
    /// Lower-case hex SHA-256 of the provider's SCIM bearer token.
    pub scim_token_sha256: Option<String>,
    pub ca_file: Option<PathBuf>,
}

impl OidcProvider {
    pub fn manages(&self, field: &str) -> bool {
        self.managed_fields.iter().any(|f| f == field)
    }
}

#[derive(Debug, Clone)]
pub struct SsoConfig {
    pub providers: Vec<OidcProvider>,
    /// `false`: password sign-in only for [`SsoConfig::break_glass`].
    pub local_login: bool,
    /// Lower-case emails of the admin accounts that keep password sign-in.
    pub break_glass: Vec<String>,
}

impl Default for SsoConfig {
    fn default() -> Self {
        SsoConfig {
            providers: Vec::new(),
            local_login: true,
            break_glass: Vec::new(),
        }
    }
}

impl SsoConfig {
    pub fn provider(&self, id: &str) -> Option<&OidcProvider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// Whether `email` may sign in with a password (and set one by reset or invitation).
    pub fn password_allowed(&self, email: &str) -> bool {
        self.local_login
            || self
                .break_glass
                .iter()
                .any(|b| b == &email.trim().to_lowercase())
    }

    pub fn from_settings() -> Result<SsoConfig, AppError> {
        let ids = provider_ids(var("OIDC_PROVIDERS").as_deref().unwrap_or(""))?;
        let providers = ids
            .iter()
            .map(|id| read_provider(id))
            .collect::<Result<Vec<_>, _>>()?;
        let local_login = match var("LOCAL_LOGIN").as_deref() {
            None => true,
            Some(v) => v.parse().map_err(|_| {
                AppError::internal(format!(
                    "LOCAL_LOGIN hat einen ungültigen Wert: „{v}“ (erlaubt: true, false)"
                ))
            })?,
        };
        let break_glass: Vec<String> = split_list(var("BREAK_GLASS_ACCOUNTS").as_deref())
            .into_iter()
            .map(|e| e.to_lowercase())
            .collect();
        if let Some(bad) = break_glass.iter().find(|e| !e.contains('@')) {
            return Err(AppError::internal(format!(
                "BREAK_GLASS_ACCOUNTS: „{bad}“ ist keine E-Mail-Adresse"
            )));
        }
        if !local_login && providers.is_empty() {
            return Err(AppError::internal(
                "LOCAL_LOGIN=false braucht mindestens einen Anbieter in OIDC_PROVIDERS, sonst kann sich niemand anmelden",
            ));
        }
        if !local_login && break_glass.is_empty() {
            return Err(AppError::internal(
                "LOCAL_LOGIN=false braucht BREAK_GLASS_ACCOUNTS (mindestens ein Notzugang für den Betrieb)",
            ));
        }
        Ok(SsoConfig {
            providers,
            local_login,
            break_glass,
        })
    }

    /// The per-provider settings for `config check` (secrets as `***`).
    pub fn provider_settings(&self) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        for p in &self.providers {
            let name = |f: &str| format!("OIDC_{}_{f}", env_id(&p.id));
            let join = |v: &[String], sep: &str| Some(v.join(sep)).filter(|s| !s.is_empty());
            let pairs = |v: &[(String, String)]| {
                Some(
                    v.iter()
                        .map(|(a, b)| format!("{a}={b}"))
                        .collect::<Vec<_>>()
                        .join(","),
                )
                .filter(|s| !s.is_empty())
            };
            out.push((name("LABEL"), Some(p.label.clone())));
            out.push((name("ISSUER"), Some(p.issuer.clone())));
            out.push((name("CLIENT_ID"), Some(p.client_id.clone())));
            out.push((name("CLIENT_SECRET"), Some("***".into())));
            out.push((name("SCOPES"), join(&p.scopes, " ")));
            out.push((name("SUBJECT_CLAIM"), Some(p.subject_claim.clone())));
            out.push((name("TOWN_CLAIM"), Some(p.town_claim.clone())));
            out.push((name("TOWN_FORMAT"), Some(p.town_format.as_str().into())));
            out.push((name("TOWN_MAP"), pairs(&p.town_map)));
            out.push((name("ROLE_CLAIM"), Some(p.role_claim.clone())));
            out.push((name("ROLE_MAP"), pairs(&p.role_map)));
            out.push((name("ALLOW_ADMIN"), Some(p.allow_admin.to_string())));
            out.push((name("LOGIN_CLAIM"), p.login_claim.clone()));
            out.push((name("LOGIN_VALUES"), join(&p.login_values, ",")));
            out.push((name("MANAGED_FIELDS"), join(&p.managed_fields, ",")));
            out.push((name("USERINFO"), Some(p.userinfo.to_string())));
            out.push((name("LINK_BY_EMAIL"), Some(p.link_by_email.to_string())));
            out.push((
                name("SCIM_TOKEN_SHA256"),
                p.scim_token_sha256.as_ref().map(|_| "***".into()),
            ));
            out.push((
                name("CA_FILE"),
                p.ca_file.as_ref().map(|f| f.display().to_string()),
            ));
        }
        out
    }
}

/// `landesportal` → `LANDESPORTAL`, `kreis-hx` → `KREIS_HX`.
pub fn env_id(id: &str) -> String {
    id.to_uppercase().replace('-', "_")
}

fn split_list(v: Option<&str>) -> Vec<String> {
    v.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The ids of `OIDC_PROVIDERS` (`[a-z0-9-]+`, no duplicates), in button order.
pub fn provider_ids(list: &str) -> Result<Vec<String>, AppError> {
    let mut ids: Vec<String> = Vec::new();
    for id in split_list(Some(list)) {
        let ok = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok || id.len() > 40 {
            return Err(AppError::internal(format!(
                "OIDC_PROVIDERS: „{id}“ ist keine gültige Kennung (erlaubt: a–z, 0–9, -)"
            )));
        }
        if ids.contains(&id) {
            return Err(AppError::internal(format!(
                "OIDC_PROVIDERS: „{id}“ steht doppelt in der Liste"
            )));
        }
        ids.push(id);
    }
    Ok(ids)
}

/// Whether a configuration file key is a provider setting of one of `ids`.
pub fn is_provider_key(key: &str, ids: &[String]) -> bool {
    ids.iter().any(|id| {
        key.strip_prefix(&format!("OIDC_{}_", env_id(id)))
            .is_some_and(|field| PROVIDER_FIELDS.contains(&field))
    })
}

fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn read_provider(id: &str) -> Result<OidcProvider, AppError> {
    let prefix = format!("OIDC_{}_", env_id(id));
    let get = |f: &str| var(&format!("{prefix}{f}"));
    let fail = |f: &str, why: &str| AppError::internal(format!("{prefix}{f}: {why}"));
    let required = |f: &str| get(f).ok_or_else(|| fail(f, "fehlt"));
    let flag = |f: &str, default: bool| -> Result<bool, AppError> {
        match get(f) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| fail(f, &format!("ungültiger Wert „{v}“ (erlaubt: true, false)"))),
        }
    };
    let pairs = |f: &str| -> Result<Vec<(String, String)>, AppError> {
        split_list(get(f).as_deref())
            .into_iter()
            .map(|item| match item.split_once('=') {
                Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                    Ok((a.trim().to_string(), b.trim().to_string()))
                }
                _ => Err(fail(f, &format!("„{item}“ hat nicht die Form Wert=Ziel"))),
            })
            .collect()
    };

    let issuer = required("ISSUER")?.trim_end_matches('/').to_string();
    let parsed = url::Url::parse(&issuer)
        .map_err(|_| fail("ISSUER", &format!("„{issuer}“ ist keine URL")))?;
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && is_loopback_host(&parsed)) {
        return Err(fail(
            "ISSUER",
            "muss mit https:// beginnen (http nur für 127.0.0.1 und localhost)",
        ));
    }
    let client_secret = match (get("CLIENT_SECRET"), get("CLIENT_SECRET_FILE")) {
        (Some(s), _) => s,
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map(|s| s.trim().to_string())
            .map_err(|e| {
                fail(
                    "CLIENT_SECRET_FILE",
                    &format!("„{path}“ ist nicht lesbar: {e}"),
                )
            })?,
        (None, None) => {
            return Err(fail(
                "CLIENT_SECRET",
                "fehlt (oder OIDC_…_CLIENT_SECRET_FILE angeben)",
            ))
        }
    };
    let mut scopes: Vec<String> = get("SCOPES")
        .unwrap_or_else(|| "openid email profile".into())
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        scopes.insert(0, "openid".into());
    }
    let town_format = match get("TOWN_FORMAT").as_deref() {
        None | Some("group-path") => TownFormat::GroupPath,
        Some("ags") => TownFormat::Ags,
        Some(other) => {
            return Err(fail(
                "TOWN_FORMAT",
                &format!("ungültiger Wert „{other}“ (erlaubt: group-path, ags)"),
            ))
        }
    };
    let allow_admin = flag("ALLOW_ADMIN", false)?;
    let role_map = pairs("ROLE_MAP")?;
    if role_map.is_empty() {
        return Err(fail(
            "ROLE_MAP",
            "fehlt (z. B. dn-officer=officer,dn-member=member)",
        ));
    }
    for (_, role) in &role_map {
        if !ROLES.contains(&role.as_str()) {
            return Err(fail(
                "ROLE_MAP",
                &format!("„{role}“ ist keine Rolle (erlaubt: coordinator, officer, member)"),
            ));
        }
        if role == "admin" && !allow_admin {
            return Err(fail(
                "ROLE_MAP",
                "admin ist nur mit OIDC_…_ALLOW_ADMIN=true erlaubt",
            ));
        }
    }
    let town_map = pairs("TOWN_MAP")?;
    if let Some((_, ags)) = town_map.iter().find(|(_, ags)| {
        !(ags.len() == 8 || ags.len() == 5) || !ags.chars().all(|c| c.is_ascii_digit())
    }) {
        return Err(fail(
            "TOWN_MAP",
            &format!("„{ags}“ ist kein Gemeinde- (8 Ziffern) oder Kreisschlüssel (5 Ziffern)"),
        ));
    }
    let managed_fields = match get("MANAGED_FIELDS") {
        None => MANAGEABLE_FIELDS.iter().map(|s| s.to_string()).collect(),
        Some(v) => split_list(Some(&v)),
    };
    if let Some(bad) = managed_fields
        .iter()
        .find(|f| !MANAGEABLE_FIELDS.contains(&f.as_str()))
    {
        return Err(fail(
            "MANAGED_FIELDS",
            &format!("„{bad}“ ist kein Feld (erlaubt: name, email, role, town)"),
        ));
    }
    let scim_token_sha256 = get("SCIM_TOKEN_SHA256").map(|s| s.to_lowercase());
    if let Some(h) = &scim_token_sha256 {
        if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(fail(
                "SCIM_TOKEN_SHA256",
                "muss ein SHA-256-Wert in Hex sein (64 Zeichen)",
            ));
        }
    }
    let ca_file = get("CA_FILE").map(PathBuf::from);
    if let Some(f) = &ca_file {
        if std::fs::metadata(f).is_err() {
            return Err(fail(
                "CA_FILE",
                &format!("„{}“ ist nicht lesbar", f.display()),
            ));
        }
    }
    let login_claim = get("LOGIN_CLAIM");
    let login_values = split_list(get("LOGIN_VALUES").as_deref());
    if login_claim.is_some() && login_values.is_empty() {
        return Err(fail(
            "LOGIN_VALUES",
            "fehlt: mit OIDC_…_LOGIN_CLAIM muss angegeben werden, welche Werte sich anmelden dürfen",
        ));
    }
    Ok(OidcProvider {
        id: id.to_string(),
        label: get("LABEL").unwrap_or_else(|| id.to_string()),
        issuer,
        client_id: required("CLIENT_ID")?,
        client_secret,
        scopes,
        subject_claim: get("SUBJECT_CLAIM").unwrap_or_else(|| "sub".into()),
        town_claim: get("TOWN_CLAIM").unwrap_or_else(|| "groups".into()),
        town_format,
        town_map,
        role_claim: get("ROLE_CLAIM").unwrap_or_else(|| "realm_access.roles".into()),
        role_map,
        allow_admin,
        login_claim,
        login_values,
        managed_fields,
        userinfo: flag("USERINFO", false)?,
        link_by_email: flag("LINK_BY_EMAIL", true)?,
        scim_token_sha256,
        ca_file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_ids_are_checked() {
        assert_eq!(
            provider_ids("landesportal, kreis-hx").unwrap(),
            vec!["landesportal", "kreis-hx"]
        );
        assert!(provider_ids("Landes Portal").is_err());
        assert!(provider_ids("a,a").is_err());
        assert!(provider_ids("").unwrap().is_empty());
    }

    #[test]
    fn file_keys_of_listed_providers_only() {
        let ids = vec!["kreis-hx".to_string()];
        assert!(is_provider_key("OIDC_KREIS_HX_ISSUER", &ids));
        assert!(!is_provider_key("OIDC_KREIS_HX_ISUER", &ids));
        assert!(!is_provider_key("OIDC_OTHER_ISSUER", &ids));
    }

    #[test]
    fn break_glass_keeps_password_login() {
        let c = SsoConfig {
            providers: vec![],
            local_login: false,
            break_glass: vec!["notfall@kreis.example".into()],
        };
        assert!(c.password_allowed(" Notfall@Kreis.example"));
        assert!(!c.password_allowed("digital@brakel.example"));
        assert!(SsoConfig::default().password_allowed("digital@brakel.example"));
    }
}
