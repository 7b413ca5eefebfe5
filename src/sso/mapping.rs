//! The claim mapping: from an identity provider's claims to a town (or district), a
//! role and the permission to sign in at all. Pure functions over the claims and an
//! index of the districts and towns; used by the login and by the dry run alike.
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::model::Role;
use crate::config::sso::{OidcProvider, TownFormat};
use crate::i18n::Locale;

#[derive(Debug, Clone)]
pub struct OrgDistrict {
    pub id: String,
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct OrgTown {
    pub id: String,
    pub district_id: String,
    pub ags: String,
    pub name: String,
}

/// The districts and towns a claim can point at (a few hundred rows at most).
#[derive(Debug, Clone, Default)]
pub struct OrgIndex {
    pub districts: Vec<OrgDistrict>,
    pub towns: Vec<OrgTown>,
}

/// `Kreis Höxter` → `kreis-hoexter`, `Bad Driburg` → `bad-driburg`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            ' ' | '_' => out.push('-'),
            c => out.push(c),
        }
    }
    out
}

/// The value at a dotted claim path; a segment in double quotes may contain dots
/// (`resource_access."dn.client".roles`).
pub fn claim_at<'a>(claims: &'a Value, path: &str) -> Option<&'a Value> {
    let mut segments = Vec::new();
    let mut rest = path.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"')?;
            segments.push(&quoted[..end]);
            rest = quoted[end + 1..].trim_start_matches('.');
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            segments.push(&rest[..end]);
            rest = rest[end..].trim_start_matches('.');
        }
    }
    segments
        .into_iter()
        .try_fold(claims, |v, seg| v.as_object()?.get(seg))
}

/// The values of a claim as a list of texts: a text, a list of texts (or numbers), or
/// an object's keys (Keycloak 26 `organization` with attributes).
pub fn claim_values(claims: &Value, path: &str) -> Option<Vec<String>> {
    let v = claim_at(claims, path)?;
    Some(match v {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    })
}

/// The payload of a JWT without any check (the dry run shows it as „ungeprüft“).
pub fn unverified_payload(token: &str) -> Option<Value> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()
        .filter(Value::is_object)
}

/// One check of the mapping, for the dry-run table and the audit entry.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct MappingStep {
    /// `login`, `town`, `role`, `subject`, `email`
    pub check: String,
    /// The claim path that was read.
    pub claim: String,
    /// The values found (empty when the claim is missing).
    pub found: Vec<String>,
    /// What came out, in German.
    pub result: String,
    pub ok: bool,
}

/// Where a mapped identity belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub role: Role,
    pub district_id: Option<String>,
    pub municipality_id: Option<String>,
    /// `Brakel (Kreis Höxter)` or `Kreis Höxter`.
    pub place_label: Option<String>,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What is missing: `subject`, `login_group`, `town`, `role`, `email`.
    pub missing: Vec<String>,
    /// The reason, in the language of the request that was refused.
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub result: Result<Mapped, Refusal>,
    pub steps: Vec<MappingStep>,
}

fn matches_pattern(value: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => value.starts_with(prefix),
        None => value == pattern,
    }
}

enum Place<'a> {
    Town(&'a OrgTown, &'a OrgDistrict),
    District(&'a OrgDistrict),
}

fn resolve_key<'a>(key: &str, orgs: &'a OrgIndex) -> Option<Place<'a>> {
    let district = |id: &str| orgs.districts.iter().find(|d| d.id == id);
    if key.len() == 8 {
        let t = orgs.towns.iter().find(|t| t.ags == key)?;
        return Some(Place::Town(t, district(&t.district_id)?));
    }
    orgs.districts
        .iter()
        .find(|d| d.key == key)
        .map(Place::District)
}

fn resolve_path<'a>(value: &str, orgs: &'a OrgIndex) -> Option<Place<'a>> {
    let segments: Vec<&str> = value.split('/').filter(|s| !s.is_empty()).collect();
    let (d, t) = match segments.as_slice() {
        [d] => (*d, None),
        [d, t] => (*d, Some(*t)),
        _ => return None,
    };
    let district = orgs
        .districts
        .iter()
        .find(|x| slug(&x.name) == d || x.key == d)?;
    match t {
        None => Some(Place::District(district)),
        Some(t) => orgs
            .towns
            .iter()
            .find(|x| x.district_id == district.id && (slug(&x.name) == t || x.ags == t))
            .map(|town| Place::Town(town, district)),
    }
}

fn resolve<'a>(value: &str, p: &OidcProvider, orgs: &'a OrgIndex) -> Option<Place<'a>> {
    if let Some((_, ags)) = p.town_map.iter().find(|(from, _)| from == value) {
        return resolve_key(ags, orgs);
    }
    match p.town_format {
        TownFormat::GroupPath => resolve_path(value, orgs),
        TownFormat::Ags => resolve_key(value.trim(), orgs),
    }
}

fn rank(r: Role) -> u8 {
    match r {
        Role::Admin => 4,
        Role::Coordinator => 3,
        Role::Officer => 2,
        Role::Member => 1,
    }
}

fn first_text(claims: &Value, path: &str) -> Option<String> {
    claim_values(claims, path)?
        .into_iter()
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

/// Maps a claim set. Refused when the subject is missing, the login allow-list does not
/// match, or no town/district or no allowed role comes out; the message names what.
pub fn map_claims(claims: &Value, p: &OidcProvider, orgs: &OrgIndex) -> Outcome {
    map_claims_in(claims, p, orgs, crate::i18n::current())
}

/// `de` or `en`, as the reader's language asks.
pub fn say(locale: Locale, de: String, en: String) -> String {
    if locale == Locale::En {
        en
    } else {
        de
    }
}

/// [`map_claims`] with the steps and the refusal worded in `locale`.
pub fn map_claims_in(claims: &Value, p: &OidcProvider, orgs: &OrgIndex, locale: Locale) -> Outcome {
    let en = locale == Locale::En;
    let tr = |de: String, english: String| say(locale, de, english);
    let missing_claim = || tr("Anspruch fehlt".into(), "claim missing".into());
    let mut steps = Vec::new();
    let mut missing = Vec::new();
    let mut reasons: Vec<String> = Vec::new();

    let subject = first_text(claims, &p.subject_claim);
    steps.push(MappingStep {
        check: "subject".into(),
        claim: p.subject_claim.clone(),
        found: subject.iter().cloned().collect(),
        result: match &subject {
            Some(_) => tr("Kennung vorhanden".into(), "subject present".into()),
            None => missing_claim(),
        },
        ok: subject.is_some(),
    });
    if subject.is_none() {
        missing.push("subject".to_string());
        reasons.push(tr(
            format!("keine Kennung – der Anspruch `{}` fehlt", p.subject_claim),
            format!("no subject – the claim `{}` is missing", p.subject_claim),
        ));
    }

    if let Some(login_claim) = &p.login_claim {
        let found = claim_values(claims, login_claim).unwrap_or_default();
        let ok = found
            .iter()
            .any(|v| p.login_values.iter().any(|pat| matches_pattern(v, pat)));
        let allowed = p.login_values.join(", ");
        steps.push(MappingStep {
            check: "login".into(),
            claim: login_claim.clone(),
            found,
            result: if ok {
                tr("zugelassen".into(), "allowed".into())
            } else {
                tr(
                    format!("nicht zugelassen (erlaubt: {allowed})"),
                    format!("not allowed (allowed: {allowed})"),
                )
            },
            ok,
        });
        if !ok {
            missing.push("login_group".to_string());
            reasons.push(tr(
                format!("nicht in einer zugelassenen Gruppe ({allowed})"),
                format!("not in an allowed group ({allowed})"),
            ));
        }
    }

    // Role: the highest mapped role wins.
    let role_values = claim_values(claims, &p.role_claim);
    let role = role_values.as_ref().and_then(|values| {
        p.role_map
            .iter()
            .filter(|(from, _)| values.iter().any(|v| v == from))
            .filter_map(|(_, to)| Role::parse(to))
            .filter(|r| *r != Role::Admin || p.allow_admin)
            .max_by_key(|r| rank(*r))
    });
    let known: Vec<&str> = p.role_map.iter().map(|(from, _)| from.as_str()).collect();
    steps.push(MappingStep {
        check: "role".into(),
        claim: p.role_claim.clone(),
        found: role_values.clone().unwrap_or_default(),
        result: match (role, &role_values) {
            (Some(r), _) => tr(
                format!("Rolle {}", r.label_de()),
                format!("role {}", r.label_en()),
            ),
            (None, None) => missing_claim(),
            (None, Some(_)) => tr(
                format!("keine von {}", known.join(", ")),
                format!("none of {}", known.join(", ")),
            ),
        },
        ok: role.is_some(),
    });
    if role.is_none() {
        missing.push("role".to_string());
        let (claim, known) = (&p.role_claim, known.join(", "));
        reasons.push(match role_values {
            None => tr(
                format!("keine zugelassene Rolle – der Anspruch `{claim}` fehlt"),
                format!("no allowed role – the claim `{claim}` is missing"),
            ),
            Some(_) => tr(
                format!("keine zugelassene Rolle – `{claim}` enthält keine von {known}"),
                format!("no allowed role – `{claim}` contains none of {known}"),
            ),
        });
    }

    // Town: the first value that names a known town; else the first known district.
    let town_values = claim_values(claims, &p.town_claim);
    let places: Vec<Place> = town_values
        .iter()
        .flatten()
        .filter_map(|v| resolve(v, p, orgs))
        .collect();
    let town = places.iter().find_map(|pl| match pl {
        Place::Town(t, d) => Some((*t, *d)),
        Place::District(_) => None,
    });
    let district = town.map(|(_, d)| d).or_else(|| {
        places.iter().find_map(|pl| match pl {
            Place::District(d) => Some(*d),
            Place::Town(..) => None,
        })
    });
    let needs_town = role.is_none_or(|r| r.needs_municipality());
    let needs_district = role != Some(Role::Admin);
    let place_ok = match (needs_town, needs_district) {
        (true, _) => town.is_some(),
        (false, true) => district.is_some(),
        (false, false) => true,
    };
    let place_label = match (town, district) {
        (Some((t, d)), _) => Some(format!("{} ({})", t.name, d.name)),
        (None, Some(d)) => Some(d.name.clone()),
        _ => None,
    };
    let hint = match (p.town_format, en) {
        (TownFormat::GroupPath, false) => {
            "keinen Pfad einer bekannten Gemeinde (z. B. /kreis-hoexter/brakel)"
        }
        (TownFormat::GroupPath, true) => "no path of a known town (e.g. /kreis-hoexter/brakel)",
        (TownFormat::Ags, false) => "keinen bekannten Gemeindeschlüssel",
        (TownFormat::Ags, true) => "no known municipality key (AGS)",
    };
    steps.push(MappingStep {
        check: "town".into(),
        claim: p.town_claim.clone(),
        found: town_values.clone().unwrap_or_default(),
        result: match (&place_label, &town_values) {
            (Some(l), _) if place_ok => l.clone(),
            (Some(l), _) => tr(
                format!("nur Kreis {l}, die Rolle braucht eine Gemeinde"),
                format!("only the district {l}; the role needs a town"),
            ),
            (None, None) => missing_claim(),
            (None, Some(_)) => tr(format!("enthält {hint}"), format!("contains {hint}")),
        },
        ok: place_ok,
    });
    if !place_ok {
        missing.push("town".to_string());
        let claim = &p.town_claim;
        reasons.push(match town_values {
            None => tr(
                format!("keine Gemeinde – der Anspruch `{claim}` fehlt"),
                format!("no town – the claim `{claim}` is missing"),
            ),
            Some(_) => tr(
                format!("keine Gemeinde – der Anspruch `{claim}` enthält {hint}"),
                format!("no town – the claim `{claim}` contains {hint}"),
            ),
        });
    }

    let email = first_text(claims, "email").map(|e| e.to_lowercase());
    let email_verified = matches!(claim_at(claims, "email_verified"), Some(Value::Bool(true)))
        || matches!(claim_at(claims, "email_verified"), Some(Value::String(s)) if s == "true");
    steps.push(MappingStep {
        check: "email".into(),
        claim: "email".into(),
        found: email.iter().cloned().collect(),
        result: match (&email, email_verified) {
            (Some(_), true) => tr("bestätigt".into(), "verified".into()),
            (Some(_), false) => tr("nicht bestätigt".into(), "not verified".into()),
            (None, _) => missing_claim(),
        },
        ok: email.is_some(),
    });
    if email.is_none() {
        missing.push("email".to_string());
        reasons.push(tr(
            "keine E-Mail-Adresse – der Anspruch `email` fehlt".into(),
            "no email address – the claim `email` is missing".into(),
        ));
    }

    let name = first_text(claims, "name").or_else(|| {
        let given = first_text(claims, "given_name");
        let family = first_text(claims, "family_name");
        match (given, family) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (g, f) => g.or(f).or_else(|| first_text(claims, "preferred_username")),
        }
    });

    let result = match (subject, role) {
        (Some(subject), Some(role)) if missing.is_empty() => Ok(Mapped {
            role,
            district_id: if role == Role::Admin {
                None
            } else {
                district.map(|d| d.id.clone())
            },
            municipality_id: if role.needs_municipality() {
                town.map(|(t, _)| t.id.clone())
            } else {
                None
            },
            place_label: if role == Role::Admin {
                None
            } else if role.needs_municipality() {
                place_label
            } else {
                district.map(|d| d.name.clone())
            },
            subject,
            email,
            email_verified,
            name,
        }),
        _ => Err(Refusal {
            missing,
            message: tr(
                format!(
                    "Anmeldung über {} abgelehnt: {}",
                    p.label,
                    reasons.join("; ")
                ),
                format!(
                    "Sign-in through {} refused: {}",
                    p.label,
                    reasons.join("; ")
                ),
            ),
        }),
    };
    Outcome { result, steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn provider() -> OidcProvider {
        OidcProvider {
            id: "landesportal".into(),
            label: "Landesportal".into(),
            issuer: "https://sso.example/realms/k".into(),
            client_id: "dn".into(),
            client_secret: "x".into(),
            scopes: vec!["openid".into()],
            subject_claim: "sub".into(),
            town_claim: "groups".into(),
            town_format: TownFormat::GroupPath,
            town_map: vec![("/sonder/rathaus".into(), "05762020".into())],
            role_claim: "realm_access.roles".into(),
            role_map: vec![
                ("dn-coordinator".into(), "coordinator".into()),
                ("dn-officer".into(), "officer".into()),
                ("dn-member".into(), "member".into()),
            ],
            allow_admin: false,
            login_claim: None,
            login_values: vec![],
            managed_fields: vec!["name".into(), "email".into(), "role".into(), "town".into()],
            userinfo: false,
            link_by_email: true,
            scim_token_sha256: None,
            ca_file: None,
        }
    }

    fn orgs() -> OrgIndex {
        OrgIndex {
            districts: vec![OrgDistrict {
                id: "d1".into(),
                key: "05762".into(),
                name: "Kreis Höxter".into(),
            }],
            towns: vec![
                OrgTown {
                    id: "t-brakel".into(),
                    district_id: "d1".into(),
                    ags: "05762016".into(),
                    name: "Brakel".into(),
                },
                OrgTown {
                    id: "t-hx".into(),
                    district_id: "d1".into(),
                    ags: "05762020".into(),
                    name: "Höxter".into(),
                },
                OrgTown {
                    id: "t-bd".into(),
                    district_id: "d1".into(),
                    ags: "05762004".into(),
                    name: "Bad Driburg".into(),
                },
            ],
        }
    }

    fn claims(groups: Value, roles: Value) -> Value {
        json!({"sub": "s1", "email": "B@brakel.example", "email_verified": true,
               "name": "Bea Brakel", "groups": groups, "realm_access": {"roles": roles}})
    }

    #[test]
    fn slugs_follow_german_transliteration() {
        assert_eq!(slug("Kreis Höxter"), "kreis-hoexter");
        assert_eq!(slug("Bad Driburg"), "bad-driburg");
        assert_eq!(slug("Großenmüß"), "grossenmuess");
    }

    #[test]
    fn claim_paths_with_quotes_and_objects() {
        let c = json!({"resource_access": {"dn.client": {"roles": ["a", "b"]}},
                       "organization": {"kreis-hoexter": {"id": "1"}}});
        assert_eq!(
            claim_values(&c, r#"resource_access."dn.client".roles"#).unwrap(),
            vec!["a", "b"]
        );
        assert_eq!(
            claim_values(&c, "organization").unwrap(),
            vec!["kreis-hoexter"]
        );
        assert!(claim_values(&c, "realm_access.roles").is_none());
    }

    #[test]
    fn officer_of_brakel_from_a_group_path() {
        let out = map_claims(
            &claims(
                json!(["/kreis-hoexter/brakel"]),
                json!(["dn-officer", "offline_access"]),
            ),
            &provider(),
            &orgs(),
        );
        let m = out.result.unwrap();
        assert_eq!(m.role, Role::Officer);
        assert_eq!(m.municipality_id.as_deref(), Some("t-brakel"));
        assert_eq!(m.district_id.as_deref(), Some("d1"));
        assert_eq!(m.email.as_deref(), Some("b@brakel.example"));
        assert!(m.email_verified);
        assert_eq!(m.place_label.as_deref(), Some("Brakel (Kreis Höxter)"));
    }

    #[test]
    fn the_highest_role_wins_and_umlauts_and_overrides_resolve() {
        let out = map_claims(
            &claims(
                json!(["/kreis-hoexter/bad-driburg"]),
                json!(["dn-member", "dn-officer"]),
            ),
            &provider(),
            &orgs(),
        );
        let m = out.result.unwrap();
        assert_eq!(
            (m.role, m.municipality_id.as_deref()),
            (Role::Officer, Some("t-bd"))
        );
        let m = map_claims(
            &claims(json!(["/sonder/rathaus"]), json!(["dn-member"])),
            &provider(),
            &orgs(),
        )
        .result
        .unwrap();
        assert_eq!(m.municipality_id.as_deref(), Some("t-hx"));
        // A coordinator needs only the district.
        let m = map_claims(
            &claims(json!(["/kreis-hoexter"]), json!(["dn-coordinator"])),
            &provider(),
            &orgs(),
        )
        .result
        .unwrap();
        assert_eq!(
            (m.role, m.district_id.as_deref(), m.municipality_id),
            (Role::Coordinator, Some("d1"), None)
        );
    }

    #[test]
    fn ags_format() {
        let mut p = provider();
        p.town_format = TownFormat::Ags;
        p.town_claim = "ags".into();
        let c = json!({"sub": "s", "email": "x@y.example", "ags": "05762016", "realm_access": {"roles": ["dn-member"]}});
        assert_eq!(
            map_claims(&c, &p, &orgs())
                .result
                .unwrap()
                .municipality_id
                .as_deref(),
            Some("t-brakel")
        );
    }

    #[test]
    fn refusals_name_what_is_missing() {
        let r = map_claims(
            &claims(json!(["/anderswo/irgendwo"]), json!(["dn-officer"])),
            &provider(),
            &orgs(),
        )
        .result
        .unwrap_err();
        assert_eq!(r.missing, vec!["town"]);
        assert!(
            r.message
                .starts_with("Anmeldung über Landesportal abgelehnt: keine Gemeinde"),
            "{}",
            r.message
        );
        assert!(r.message.contains("`groups`"));

        let r = map_claims(
            &claims(json!(["/kreis-hoexter/brakel"]), json!(["viewer"])),
            &provider(),
            &orgs(),
        )
        .result
        .unwrap_err();
        assert_eq!(r.missing, vec!["role"]);
        assert!(r.message.contains("keine zugelassene Rolle – `realm_access.roles` enthält keine von dn-coordinator, dn-officer, dn-member"), "{}", r.message);

        // An officer needs a town; the district alone is not enough.
        let r = map_claims(
            &claims(json!(["/kreis-hoexter"]), json!(["dn-officer"])),
            &provider(),
            &orgs(),
        )
        .result
        .unwrap_err();
        assert_eq!(r.missing, vec!["town"]);

        let mut p = provider();
        p.login_claim = Some("groups".into());
        p.login_values = vec!["/kreis-paderborn/*".into()];
        let out = map_claims(
            &claims(json!(["/kreis-hoexter/brakel"]), json!(["dn-officer"])),
            &p,
            &orgs(),
        );
        let r = out.result.unwrap_err();
        assert_eq!(r.missing, vec!["login_group"]);
        assert!(r
            .message
            .contains("nicht in einer zugelassenen Gruppe (/kreis-paderborn/*)"));
        assert!(out.steps.iter().any(|s| s.check == "login" && !s.ok));
        p.login_values = vec!["/kreis-hoexter/*".into()];
        assert!(map_claims(
            &claims(json!(["/kreis-hoexter/brakel"]), json!(["dn-officer"])),
            &p,
            &orgs()
        )
        .result
        .is_ok());

        let r = map_claims(&json!({"sub": "s"}), &provider(), &orgs())
            .result
            .unwrap_err();
        assert_eq!(r.missing, vec!["role", "town", "email"]);
        assert!(r.message.contains("der Anspruch `groups` fehlt"));
    }

    #[test]
    fn admin_only_when_allowed() {
        let mut p = provider();
        p.role_map.push(("dn-admin".into(), "admin".into()));
        let c = claims(
            json!(["/kreis-hoexter/brakel"]),
            json!(["dn-admin", "dn-member"]),
        );
        assert_eq!(
            map_claims(&c, &p, &orgs()).result.unwrap().role,
            Role::Member
        );
        p.allow_admin = true;
        let m = map_claims(&c, &p, &orgs()).result.unwrap();
        assert_eq!((m.role, m.district_id), (Role::Admin, None));
    }
}
