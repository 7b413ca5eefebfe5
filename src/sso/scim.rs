//! SCIM 2.0 (RFC 7643/7644), as little as provisioning needs and as lenient as real
//! clients require: the core User with `active`, `emails`, `name`, our extension with
//! town (`ags`) and role, PatchOp (also Entra's `Replace` and `"False"`), two filters.
use serde_json::{json, Map, Value};

use crate::config::sso::OidcProvider;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const EXTENSION: &str = "urn:digitalnetzwerk:params:scim:schemas:extension:2.0:User";
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const CONTENT_TYPE: &str = "application/scim+json";

/// What a client says a user should be (absent = unchanged / not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScimUser {
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub display_name: Option<String>,
    pub active: Option<bool>,
    pub ags: Option<String>,
    /// Our role name (`officer`), after the provider's role map.
    pub role: Option<String>,
}

impl ScimUser {
    /// The name to store: displayName, else given + family name.
    pub fn full_name(&self) -> Option<String> {
        if let Some(d) = self
            .display_name
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            return Some(d.to_string());
        }
        let parts: Vec<&str> = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// `true`, `"True"`, `"false"` …
fn boolish(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn text(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A provider role (`dn-officer`) or one of ours (`officer`) as our role name.
fn map_role(p: &OidcProvider, value: &str) -> Option<String> {
    if let Some((_, to)) = p.role_map.iter().find(|(from, _)| from == value) {
        return Some(to.clone());
    }
    p.role_map
        .iter()
        .find(|(_, to)| to == value)
        .map(|(_, to)| to.clone())
}

fn primary_email(v: &Value) -> Option<String> {
    let list = v.as_array()?;
    list.iter()
        .find(|e| e["primary"].as_bool() == Some(true))
        .or_else(|| list.iter().find(|e| e["type"] == "work"))
        .or_else(|| list.first())
        .and_then(|e| text(&e["value"]))
        .map(|e| e.to_lowercase())
}

/// Sets one attribute (`path` as the client names it, lower-cased) on `u`.
fn set(u: &mut ScimUser, p: &OidcProvider, path: &str, value: &Value) -> Result<(), String> {
    let path = path.trim();
    let lower = path.to_ascii_lowercase();
    let ext_prefix = format!("{}:", EXTENSION.to_ascii_lowercase());
    let core_prefix = format!("{}:", USER_SCHEMA.to_ascii_lowercase());
    let attr = lower
        .strip_prefix(&ext_prefix)
        .map(|a| format!("ext.{a}"))
        .or_else(|| lower.strip_prefix(&core_prefix).map(str::to_string))
        .unwrap_or(lower);
    match attr.as_str() {
        "active" => u.active = Some(boolish(value).ok_or("active ist kein Wahrheitswert")?),
        "username" => u.email = text(value).map(|e| e.to_lowercase()),
        "externalid" => u.external_id = text(value),
        "displayname" => u.display_name = text(value),
        "name.givenname" => u.given_name = text(value),
        "name.familyname" => u.family_name = text(value),
        "name.formatted" if u.display_name.is_none() => u.display_name = text(value),
        "name" => {
            u.given_name = text(&value["givenName"]).or(u.given_name.take());
            u.family_name = text(&value["familyName"]).or(u.family_name.take());
            if let Some(f) = text(&value["formatted"]) {
                u.display_name.get_or_insert(f);
            }
        }
        "emails" => {
            if let Some(e) = primary_email(value) {
                u.email = Some(e)
            }
        }
        a if a.starts_with("emails[") && a.ends_with(".value") => {
            u.email = text(value).map(|e| e.to_lowercase())
        }
        "ext.ags" => u.ags = text(value),
        "ext.role" => {
            let v = text(value).ok_or("role ist leer")?;
            u.role = Some(map_role(p, &v).ok_or(format!("unbekannte Rolle „{v}“"))?);
        }
        "roles" => {
            let values: Vec<String> = match value {
                Value::Array(items) => items
                    .iter()
                    .filter_map(|i| text(&i["value"]).or_else(|| text(i)))
                    .collect(),
                other => text(other).into_iter().collect(),
            };
            if let Some(r) = values
                .iter()
                .filter_map(|v| map_role(p, v))
                .max_by_key(|r| rank(r))
            {
                u.role = Some(r);
            }
        }
        "ext" => {
            if let Some(obj) = value.as_object() {
                for (k, v) in obj {
                    set(u, p, &format!("{EXTENSION}:{k}"), v)?;
                }
            }
        }
        // Attributes we do not keep (phone numbers, addresses, …) are ignored.
        _ => {}
    }
    Ok(())
}

fn rank(role: &str) -> u8 {
    match role {
        "admin" => 4,
        "coordinator" => 3,
        "officer" => 2,
        _ => 1,
    }
}

/// A whole User resource as sent to POST or PUT.
pub fn parse_user(body: &Value, p: &OidcProvider) -> Result<ScimUser, String> {
    let obj = body.as_object().ok_or("Der Inhalt ist kein JSON-Objekt")?;
    let mut u = ScimUser::default();
    for (k, v) in obj {
        match k.as_str() {
            "schemas" | "id" | "meta" => {}
            k if k == EXTENSION => set(&mut u, p, "ext", v)?,
            k => set(&mut u, p, k, v)?,
        }
    }
    Ok(u)
}

/// Applies PatchOp operations to `u` (`add`/`replace` with or without path, `remove`
/// of the name parts), case-insensitive as Entra sends them.
pub fn apply_patch(u: &mut ScimUser, body: &Value, p: &OidcProvider) -> Result<(), String> {
    let ops = body["Operations"]
        .as_array()
        .or_else(|| body["operations"].as_array())
        .ok_or("Operations fehlt")?;
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("").to_ascii_lowercase();
        let path = op["path"].as_str();
        let value = &op["value"];
        match (kind.as_str(), path) {
            ("add" | "replace", Some(path)) => set(u, p, path, value)?,
            ("add" | "replace", None) => {
                let obj: &Map<String, Value> = value.as_object().ok_or("value ist kein Objekt")?;
                for (k, v) in obj {
                    if k == EXTENSION {
                        set(u, p, "ext", v)?;
                    } else {
                        set(u, p, k, v)?;
                    }
                }
            }
            ("remove", Some(path)) => match path.to_ascii_lowercase().as_str() {
                "displayname" => u.display_name = None,
                "name.givenname" => u.given_name = None,
                "name.familyname" => u.family_name = None,
                _ => {}
            },
            (other, _) => return Err(format!("unbekannte Operation „{other}“")),
        }
    }
    Ok(())
}

/// `userName eq "x"` or `externalId eq "x"`: (attribute lower-case, value).
pub fn parse_filter(filter: &str) -> Option<(String, String)> {
    let f = filter.trim();
    let (attr, rest) = f.split_once(char::is_whitespace)?;
    let (op, value) = rest.trim().split_once(char::is_whitespace)?;
    if !op.eq_ignore_ascii_case("eq") {
        return None;
    }
    let value = value.trim().strip_prefix('"')?.strip_suffix('"')?;
    let attr = attr.to_ascii_lowercase();
    matches!(attr.as_str(), "username" | "externalid").then(|| (attr, value.replace("\\\"", "\"")))
}

/// The resource as we answer it.
pub struct UserView<'a> {
    pub id: &'a str,
    pub external_id: Option<&'a str>,
    pub email: &'a str,
    pub name: &'a str,
    pub active: bool,
    pub ags: Option<&'a str>,
    pub role: &'a str,
    pub created: chrono::NaiveDateTime,
    pub modified: chrono::NaiveDateTime,
    pub location: String,
}

pub fn user_json(v: &UserView) -> Value {
    let (given, family) = match v.name.rsplit_once(' ') {
        Some((g, f)) => (g, f),
        None => (v.name, ""),
    };
    let ts = |t: chrono::NaiveDateTime| {
        crate::db::utc(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    json!({
        "schemas": [USER_SCHEMA, EXTENSION],
        "id": v.id,
        "externalId": v.external_id,
        "userName": v.email,
        "displayName": v.name,
        "name": {"givenName": given, "familyName": family, "formatted": v.name},
        "emails": [{"value": v.email, "type": "work", "primary": true}],
        "active": v.active,
        EXTENSION: {"ags": v.ags, "role": v.role},
        "meta": {"resourceType": "User", "created": ts(v.created), "lastModified": ts(v.modified), "location": v.location},
    })
}

pub fn error_json(status: u16, detail: &str, scim_type: Option<&str>) -> Value {
    let mut v = json!({"schemas": [ERROR], "status": status.to_string(), "detail": detail});
    if let Some(t) = scim_type {
        v["scimType"] = json!(t);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::sso::TownFormat;

    fn provider() -> OidcProvider {
        OidcProvider {
            id: "landesportal".into(),
            label: "Landesportal".into(),
            issuer: "https://sso.example".into(),
            client_id: "dn".into(),
            client_secret: "x".into(),
            scopes: vec![],
            subject_claim: "sub".into(),
            town_claim: "groups".into(),
            town_format: TownFormat::GroupPath,
            town_map: vec![],
            role_claim: "realm_access.roles".into(),
            role_map: vec![
                ("dn-officer".into(), "officer".into()),
                ("dn-member".into(), "member".into()),
            ],
            allow_admin: false,
            login_claim: None,
            login_values: vec![],
            managed_fields: vec![],
            userinfo: false,
            link_by_email: true,
            scim_token_sha256: None,
            ca_file: None,
        }
    }

    #[test]
    fn a_full_user_parses() {
        let body = json!({
            "schemas": [USER_SCHEMA, EXTENSION], "externalId": "s-1", "userName": "A@B.example",
            "name": {"givenName": "Ada", "familyName": "Brakel"}, "active": true,
            "emails": [{"value": "other@b.example", "type": "home"}, {"value": "a@b.example", "type": "work", "primary": true}],
            EXTENSION: {"ags": "05762016", "role": "dn-officer"}
        });
        let u = parse_user(&body, &provider()).unwrap();
        assert_eq!(u.email.as_deref(), Some("a@b.example"));
        assert_eq!(u.full_name().as_deref(), Some("Ada Brakel"));
        assert_eq!(
            (u.ags.as_deref(), u.role.as_deref()),
            (Some("05762016"), Some("officer"))
        );
        assert_eq!(u.active, Some(true));
        let bad = json!({"userName": "x@y.example", EXTENSION: {"role": "chef"}});
        assert!(parse_user(&bad, &provider()).is_err());
    }

    #[test]
    fn entra_style_patches() {
        let mut u = ScimUser {
            active: Some(true),
            ..Default::default()
        };
        let entra = json!({"schemas": [PATCH_OP], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]});
        apply_patch(&mut u, &entra, &provider()).unwrap();
        assert_eq!(u.active, Some(false));
        let pathless = json!({"Operations": [{"op": "replace", "value": {"active": true, "displayName": "Neu Name",
            "emails[type eq \"work\"].value": "neu@b.example"}}]});
        apply_patch(&mut u, &pathless, &provider()).unwrap();
        assert_eq!(
            (u.active, u.display_name.as_deref(), u.email.as_deref()),
            (Some(true), Some("Neu Name"), Some("neu@b.example"))
        );
        let ext = json!({"Operations": [{"op": "add", "path": format!("{EXTENSION}:role"), "value": "member"},
            {"op": "replace", "path": "roles", "value": [{"value": "dn-officer"}]}]});
        apply_patch(&mut u, &ext, &provider()).unwrap();
        assert_eq!(u.role.as_deref(), Some("officer"));
        assert!(apply_patch(
            &mut u,
            &json!({"Operations": [{"op": "move"}]}),
            &provider()
        )
        .is_err());
    }

    #[test]
    fn filters() {
        assert_eq!(
            parse_filter(r#"userName eq "a@b.example""#),
            Some(("username".into(), "a@b.example".into()))
        );
        assert_eq!(
            parse_filter(r#"externalId eq "s-1""#),
            Some(("externalid".into(), "s-1".into()))
        );
        assert_eq!(parse_filter(r#"displayName co "x""#), None);
        assert_eq!(parse_filter("userName eq a"), None);
    }
}
