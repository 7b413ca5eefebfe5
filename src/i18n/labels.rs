//! Server-side texts for people from the translation files `templates/i18n/{de,en}.json`:
//! labels of audit actions, object types, fields and status values, and the formatting
//! of values (euro amounts, dates, yes/no) for notifications, the audit log and diffs.
use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde_json::Value;

use super::Locale;

const DE: &str = include_str!("../../templates/i18n/de.json");
const EN: &str = include_str!("../../templates/i18n/en.json");

fn table(locale: Locale) -> &'static HashMap<String, String> {
    static TABLES: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let t = TABLES.get_or_init(|| {
        // The files are part of the build and checked by a unit test; an unreadable
        // one leaves the fallbacks in place rather than stopping a request.
        [
            serde_json::from_str(DE).unwrap_or_default(),
            serde_json::from_str(EN).unwrap_or_default(),
        ]
    });
    match locale {
        Locale::De => &t[0],
        Locale::En => &t[1],
    }
}

/// The text of `key`, if the translation file has it.
pub fn get(locale: Locale, key: &str) -> Option<&'static str> {
    table(locale).get(key).map(String::as_str)
}

/// The English label of a German label of a value or field ("In Betrieb" → "Live"), for
/// the German labels that domain code puts into its messages.
pub fn english_of_label(german: &str) -> Option<&'static str> {
    static REVERSE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    REVERSE
        .get_or_init(|| {
            let en = table(Locale::En);
            let mut m = HashMap::new();
            let de = table(Locale::De);
            let mut keys: Vec<&String> = de.keys().collect();
            keys.sort();
            // Status values first: they are what refused steps name ("Erledigt" is a
            // resolved request there, not the checklist field of the same name). Within
            // each group a German label has one English label (unit test).
            for prefix in ["value.", "field."] {
                for k in keys.iter().filter(|k| k.starts_with(prefix)) {
                    if let Some(e) = en.get(*k) {
                        m.entry(de[*k].as_str()).or_insert(e.as_str());
                    }
                }
            }
            m
        })
        .get(german)
        .copied()
}

/// The `message.` keys of the English file, for the messages with `{name}` placeholders.
pub fn english_messages() -> impl Iterator<Item = (&'static str, &'static str)> {
    table(Locale::En)
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("message.")?, v.as_str())))
}

/// The text of `key` with `{name}` placeholders filled in; `fallback` when missing.
pub fn fill(locale: Locale, key: &str, fallback: &str, args: &[(&str, &str)]) -> String {
    let mut s = get(locale, key).unwrap_or(fallback).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// The label of an audit action such as `support.status`.
pub fn audit_action(locale: Locale, action: &str) -> String {
    get(locale, &format!("audit.action.{action}"))
        .map(str::to_string)
        .unwrap_or_else(|| fallback(locale))
}

/// The label of an object type such as `support_request`.
pub fn object_type(locale: Locale, object_type: &str) -> String {
    get(locale, &format!("audit.object.{object_type}"))
        .map(str::to_string)
        .unwrap_or_else(|| fallback(locale))
}

/// The label of a field (of a summary, a diff); `None` for a field people need not see.
pub fn field(locale: Locale, field: &str) -> Option<&'static str> {
    get(locale, &format!("field.{field}"))
}

/// The label of `value` in the value list `domain` (`project`, `support`, `adoption`, …).
pub fn value(locale: Locale, domain: &str, value: &str) -> Option<&'static str> {
    get(locale, &format!("value.{domain}.{value}"))
}

fn fallback(locale: Locale) -> String {
    match locale {
        Locale::De => "Sonstige Änderung".into(),
        Locale::En => "Other change".into(),
    }
}

/// `2800000` cents as "28.000,00 €" (de) or "€28,000.00" (en).
pub fn euro(cents: i64, locale: Locale) -> String {
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let (euros, rest) = (c / 100, c % 100);
    let digits = euros.to_string();
    let sep = if locale == Locale::De { '.' } else { ',' };
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(ch);
    }
    let sign = if neg { "-" } else { "" };
    match locale {
        Locale::De => format!("{sign}{grouped},{rest:02} €"),
        Locale::En => format!("{sign}€{grouped}.{rest:02}"),
    }
}

/// A calendar date as "02.12.2026" (de) or "2 December 2026" (en).
pub fn date(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::De => d.format("%d.%m.%Y").to_string(),
        Locale::En => d.format("%-d %B %Y").to_string(),
    }
}

/// Which value list the values of `field` come from, given the object they belong to.
fn domain_of(field: &str, object_type: &str) -> Option<&'static str> {
    match field {
        "visibility" => Some("visibility"),
        "locale" => Some("locale"),
        "via" => Some("via"),
        "kind" => Some("kind"),
        "frequency" => Some("frequency"),
        "category" => Some("category"),
        "role" if object_type == "project" => Some("partner_role"),
        "role" => Some("role"),
        "state" => Some("partner_state"),
        "status" | "from" | "to" => Some(match object_type {
            "adoption" => "adoption",
            "support_request" => "support",
            "funding_application" => "application",
            _ => "project",
        }),
        _ => None,
    }
}

/// A value as people read it: labels for coded values, euro for `_cents`, German dates,
/// names for ids found in `names`, lists joined.
pub fn value_text(
    locale: Locale,
    field: &str,
    object_type: &str,
    v: &Value,
    names: &HashMap<String, String>,
) -> String {
    let empty = || get(locale, "value.empty").unwrap_or("–").to_string();
    match v {
        Value::Null => empty(),
        Value::Bool(b) => get(locale, if *b { "value.yes" } else { "value.no" })
            .unwrap_or(if *b { "ja" } else { "nein" })
            .to_string(),
        Value::Number(n) => {
            if field.ends_with("_cents") {
                n.as_i64().map(|c| euro(c, locale)).unwrap_or_default()
            } else if field == "rate_bp" {
                n.as_i64()
                    .map(|bp| match locale {
                        Locale::De => format!("{},{:02} %", bp / 100, bp % 100),
                        Locale::En => format!("{}.{:02} %", bp / 100, bp % 100),
                    })
                    .unwrap_or_default()
            } else if field == "size_bytes" {
                n.as_i64()
                    .map(|b| match locale {
                        Locale::De => format!("{} KB", (b + 1023) / 1024),
                        Locale::En => format!("{} KB", (b + 1023) / 1024),
                    })
                    .unwrap_or_default()
            } else {
                n.to_string()
            }
        }
        Value::String(s) if s.is_empty() => empty(),
        Value::String(s) => {
            if let Some(name) = names.get(s) {
                return name.clone();
            }
            if let Some(l) = domain_of(field, object_type).and_then(|d| value(locale, d, s)) {
                return l.to_string();
            }
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                return date(d, locale);
            }
            if looks_like_id(s) {
                // An id whose name the caller did not have: people cannot read it.
                return get(locale, "value.unknown_ref")
                    .unwrap_or(match locale {
                        Locale::De => "(Eintrag)",
                        Locale::En => "(entry)",
                    })
                    .to_string();
            }
            s.clone()
        }
        Value::Array(items) => {
            if items.is_empty() {
                return empty();
            }
            items
                .iter()
                .map(|i| value_text(locale, field, object_type, i, names))
                .collect::<Vec<_>>()
                .join(", ")
        }
        Value::Object(o) => {
            if let (Some(from), Some(to)) = (o.get("from"), o.get("to")) {
                return format!(
                    "{} → {}",
                    value_text(locale, field, object_type, from, names),
                    value_text(locale, field, object_type, to, names)
                );
            }
            o.get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(empty)
        }
    }
}

/// A UUID (the ids of this platform).
pub fn looks_like_id(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// The strings in `v` that are ids (to load their names in one query per table).
pub fn ids_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if looks_like_id(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| ids_in(x, out)),
        Value::Object(o) => o.values().for_each(|x| ids_in(x, out)),
        _ => {}
    }
}

/// An audit summary as one line: "Vorher: Zugewiesen, Nachher: In Bearbeitung".
/// Fields without a label and ids without a name (links for machines) are left out.
pub fn summary_text(
    locale: Locale,
    object_type: &str,
    summary: &Value,
    names: &HashMap<String, String>,
) -> String {
    let Value::Object(map) = summary else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (k, v) in map {
        let Some(label) = field(locale, k) else {
            continue;
        };
        if k.ends_with("_id") && v.as_str().is_some_and(|s| !names.contains_key(s)) {
            continue;
        }
        let text = if k == "fields" {
            // The names of changed fields: their labels.
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .filter_map(|f| field(locale, f))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        } else {
            value_text(locale, k, object_type, v, names)
        };
        parts.push(format!("{label}: {text}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_parse_and_have_the_same_keys() {
        let de: HashMap<String, String> = serde_json::from_str(DE).unwrap();
        let en: HashMap<String, String> = serde_json::from_str(EN).unwrap();
        let mut a: Vec<_> = de.keys().collect();
        let mut b: Vec<_> = en.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn a_german_label_has_one_english_label() {
        for prefix in ["value.", "field."] {
            let mut seen: HashMap<&str, (&str, &str)> = HashMap::new();
            for (k, de) in table(Locale::De)
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
            {
                let en = get(Locale::En, k).unwrap();
                if let Some((other_key, other_en)) = seen.insert(de, (k, en)) {
                    assert_eq!(
                        other_en, en,
                        "„{de}“ is {other_key} = {other_en} and {k} = {en}"
                    );
                }
            }
        }
        assert_eq!(english_of_label("Erledigt"), Some("Resolved"));
        assert_eq!(english_of_label("Umgesetzt"), Some("Done"));
    }

    #[test]
    fn euro_amounts() {
        assert_eq!(euro(2_800_000, Locale::De), "28.000,00 €");
        assert_eq!(euro(2_800_000, Locale::En), "€28,000.00");
        assert_eq!(euro(5, Locale::De), "0,05 €");
        assert_eq!(euro(123_456_789, Locale::De), "1.234.567,89 €");
    }

    #[test]
    fn support_status_summary_reads_german() {
        let s = serde_json::json!({"from": "assigned", "to": "in_progress"});
        assert_eq!(
            summary_text(Locale::De, "support_request", &s, &HashMap::new()),
            "Vorher: Zugewiesen; Nachher: In Bearbeitung"
        );
    }

    /// One status has one label: the server's value lists and the interface's status
    /// labels (frontend/src/locales) agree word for word, in both languages, and every
    /// code of a life cycle has one.
    #[test]
    fn status_labels_agree_with_the_interface() {
        const UI_DE: &str = include_str!("../../frontend/src/locales/de.json");
        const UI_EN: &str = include_str!("../../frontend/src/locales/en.json");
        let lists: [(&str, &str, Vec<&str>); 5] = [
            (
                "project",
                "projects.status",
                crate::projects::model::ProjectStatus::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect(),
            ),
            (
                "support",
                "support.status",
                crate::support::model::SupportStatus::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect(),
            ),
            (
                "application",
                "funding.status",
                crate::funding::ApplicationStatus::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect(),
            ),
            (
                "measure",
                "strategy.measureStatus",
                crate::strategy::model::MeasureStatus::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect(),
            ),
            (
                "adoption",
                "efa.adoption",
                crate::efa::model::AdoptionStatus::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect(),
            ),
        ];
        let mut wrong = Vec::new();
        for (locale, ui) in [(Locale::De, UI_DE), (Locale::En, UI_EN)] {
            let ui: HashMap<String, String> = serde_json::from_str(ui).unwrap();
            for (domain, prefix, codes) in &lists {
                assert!(!codes.is_empty());
                for code in codes {
                    let server = value(locale, domain, code);
                    let shown = ui.get(&format!("{prefix}.{code}")).map(String::as_str);
                    if server.is_none() || server != shown {
                        wrong.push(format!(
                            "{locale:?} {domain}.{code}: server {server:?}, interface {shown:?}"
                        ));
                    }
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "status labels differ:\n{}",
            wrong.join("\n")
        );
        assert_eq!(
            crate::projects::model::ProjectStatus::Cancelled.label_de(),
            "Eingestellt"
        );
        for s in crate::projects::model::ProjectStatus::ALL {
            assert_eq!(Some(s.label_de()), value(Locale::De, "project", s.as_str()));
        }
        for s in crate::efa::model::AdoptionStatus::ALL {
            assert_eq!(
                Some(s.label_de()),
                value(Locale::De, "adoption", s.as_str())
            );
        }
    }
}
