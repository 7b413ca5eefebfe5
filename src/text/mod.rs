//! Rules for text people type: which characters a body may carry at all, and what a
//! one-line field (a title, a tag, a name) must look like.
use serde_json::Value;

pub mod german;

/// A character no text of the platform may hold: C0 controls but tab, line feed and
/// carriage return; DEL and the C1 controls; bidi embeddings, overrides and isolates.
pub fn is_forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room on screen: a title of only these looks empty.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
        )
}

/// The path (`title`, `shares[1].note`) of the first string in `v` with a forbidden
/// character, keys included.
pub fn first_forbidden(v: &Value) -> Option<String> {
    fn walk(v: &Value, path: &str) -> Option<String> {
        match v {
            Value::String(s) => s.chars().any(is_forbidden).then(|| path.to_string()),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().find_map(|(k, x)| {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k.chars().any(is_forbidden) {
                    Some(p)
                } else {
                    walk(x, &p)
                }
            }),
            _ => None,
        }
    }
    walk(v, "")
}

/// Why a one-line text is not acceptable: a line break, or nothing visible in it.
pub fn single_line_problem(s: &str) -> Option<&'static str> {
    if s.contains(['\n', '\r']) {
        Some("Bitte ohne Zeilenumbruch eingeben.")
    } else if !s.is_empty() && s.chars().all(is_invisible) {
        Some("Bitte ausfüllen (nur unsichtbare Zeichen).")
    } else {
        None
    }
}

/// Records under `field` why `value` is no acceptable one-line text; `true` when it is
/// one, so the caller goes on with its own checks (length) only then.
pub fn check_line(e: &mut crate::error::Errors, field: &str, value: &str) -> bool {
    match single_line_problem(value) {
        Some(problem) => {
            e.push(field, problem);
            false
        }
        None => true,
    }
}

/// [`check_line`] for checks that answer at the first problem.
pub fn line(field: &str, value: &str) -> crate::error::AppResult<()> {
    match single_line_problem(value) {
        Some(problem) => Err(crate::error::AppError::field(field, problem)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn forbidden_characters_are_found_with_their_path() {
        assert_eq!(
            first_forbidden(&json!({"title": "a\u{0}b"})),
            Some("title".into())
        );
        assert_eq!(
            first_forbidden(&json!({"shares": [{"note": "ok"}, {"note": "\u{1b}[31m"}]})),
            Some("shares[1].note".into())
        );
        assert_eq!(
            first_forbidden(&json!({"t": "abc\u{202e}cba"})),
            Some("t".into())
        );
        assert_eq!(
            first_forbidden(&json!({"a\u{7}": 1})),
            Some("a\u{7}".into())
        );
        // Positive control: ordinary multi-line German text passes.
        assert_eq!(
            first_forbidden(&json!({"body": "Grüße aus Höxter\r\n\tZeile 2 – „Zitat“ €"})),
            None
        );
    }

    #[test]
    fn one_line_fields_need_visible_text_without_breaks() {
        assert!(single_line_problem("Zeile\nZwei").is_some());
        assert!(single_line_problem("Zeile\rZwei").is_some());
        assert!(single_line_problem("\u{200b}\u{200b}").is_some());
        assert!(single_line_problem("\u{feff} \u{2060}").is_some());
        assert_eq!(single_line_problem("Digitaler Bauantrag"), None);
        assert_eq!(
            single_line_problem(""),
            None,
            "emptiness is the required check's job"
        );
    }
}
