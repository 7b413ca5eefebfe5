//! serde's and actix's English deserialisation messages ("invalid type: integer `5`,
//! expected a string", "unknown field `farbe`, expected one of …", "input is out of
//! range") turned into sentences for people in the request's language, naming the field.
use super::Locale;

/// What serde said, reduced to what went wrong.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    UnknownField(String),
    MissingField(String),
    UnknownVariant(String),
    /// The kind of value that was expected: `text`, `integer`, `number`, `bool`, `list`,
    /// `object`, `date`, `other`.
    WrongType(&'static str),
    BadDate,
    OutOfRange,
    Other,
}

fn between_backticks(s: &str) -> Option<String> {
    let rest = s.split_once('`')?.1;
    Some(rest.split('`').next()?.to_string())
}

fn expected_kind(expected: &str) -> &'static str {
    let e = expected.trim();
    if e.contains("string") || e.contains("char") {
        "text"
    } else if e.starts_with('i') || e.starts_with('u') || e.contains("integer") {
        "integer"
    } else if e.starts_with('f') || e.contains("float") || e.contains("number") {
        "number"
    } else if e.contains("bool") {
        "bool"
    } else if e.contains("sequence") || e.contains("array") || e.contains("tuple") {
        "list"
    } else if e.contains("map") || e.contains("struct") {
        "object"
    } else if e.contains("date") || e.contains("time") {
        "date"
    } else {
        "other"
    }
}

/// Classifies one serde / serde_urlencoded / chrono message.
pub fn classify(raw: &str) -> Problem {
    let text = raw.split(" at line ").next().unwrap_or(raw).trim();
    let text = text
        .strip_prefix("Query deserialize error: ")
        .unwrap_or(text);
    if text.starts_with("unknown field") {
        return between_backticks(text).map_or(Problem::Other, Problem::UnknownField);
    }
    if text.starts_with("missing field") {
        return between_backticks(text).map_or(Problem::Other, Problem::MissingField);
    }
    if text.starts_with("unknown variant") {
        return between_backticks(text).map_or(Problem::Other, Problem::UnknownVariant);
    }
    if text.starts_with("invalid type") || text.starts_with("invalid value") {
        let expected = text.rsplit("expected ").next().unwrap_or("");
        return Problem::WrongType(expected_kind(expected));
    }
    if text.contains("invalid digit") || text.contains("cannot parse integer") {
        return Problem::WrongType("integer");
    }
    if text.contains("invalid float") {
        return Problem::WrongType("number");
    }
    if text.contains("provided string was not `true` or `false`") {
        return Problem::WrongType("bool");
    }
    if text.contains("number too large") || text.contains("number too small") {
        return Problem::OutOfRange;
    }
    // chrono's parse errors.
    if text == "input is out of range"
        || text.starts_with("input contains invalid characters")
        || text.starts_with("premature end of input")
        || text.starts_with("trailing input")
        || text.starts_with("input is not enough for unique date and time")
        || text.starts_with("no possible date and time matching input")
    {
        return Problem::BadDate;
    }
    if text.starts_with("invalid length") {
        return Problem::WrongType("list");
    }
    Problem::Other
}

/// The message for `field` (its JSON or query name; may be empty).
pub fn message(p: &Problem, field: &str, locale: Locale) -> String {
    let de = locale == Locale::De;
    let f = |name: &str| {
        if de {
            format!("„{name}“")
        } else {
            format!("\"{name}\"")
        }
    };
    match p {
        Problem::UnknownField(name) => {
            if de {
                format!("Feld {} ist unbekannt.", f(name))
            } else {
                format!("Field {} is not known.", f(name))
            }
        }
        Problem::MissingField(_) => {
            if de {
                "Pflichtfeld fehlt.".into()
            } else {
                "This field is required.".into()
            }
        }
        Problem::UnknownVariant(v) => {
            if de {
                format!("{} ist hier kein zulässiger Wert.", f(v))
            } else {
                format!("{} is not an allowed value here.", f(v))
            }
        }
        Problem::WrongType(kind) => {
            let (d, e) = match *kind {
                "text" => ("ein Text", "a text"),
                "integer" => ("eine ganze Zahl", "a whole number"),
                "number" => ("eine Zahl", "a number"),
                "bool" => ("ja oder nein (true/false)", "yes or no (true/false)"),
                "list" => ("eine Liste", "a list"),
                "object" => ("ein Objekt", "an object"),
                "date" => ("ein Datum", "a date"),
                _ => ("ein anderer Wert", "a different value"),
            };
            match (de, field.is_empty()) {
                (true, true) => format!("Hier wird {d} erwartet."),
                (true, false) => format!("{} muss {d} sein.", f(field)),
                (false, true) => format!("{} is expected here.", capitalise(e)),
                (false, false) => format!("{} must be {e}.", f(field)),
            }
        }
        Problem::BadDate => {
            if de {
                "Kein gültiges Datum (erwartet wird JJJJ-MM-TT).".into()
            } else {
                "Not a valid date (expected YYYY-MM-DD).".into()
            }
        }
        Problem::OutOfRange => {
            if de {
                "Die Zahl ist zu groß oder zu klein.".into()
            } else {
                "The number is too large or too small.".into()
            }
        }
        Problem::Other => {
            if de {
                "Dieser Wert kann nicht gelesen werden.".into()
            } else {
                "This value cannot be read.".into()
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A body that is not JSON at all.
pub fn syntax_message(line: usize, column: usize, locale: Locale) -> String {
    match locale {
        Locale::De => format!("Der Inhalt ist kein gültiges JSON (Zeile {line}, Spalte {column})."),
        Locale::En => format!("The content is not valid JSON (line {line}, column {column})."),
    }
}

/// The query parameter a query-string error is about: named in the message, or the
/// one parameter whose value fits the problem.
pub fn query_field(p: &Problem, query: &str) -> String {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match p {
        Problem::UnknownField(n) | Problem::MissingField(n) => n.clone(),
        Problem::UnknownVariant(v) => pairs
            .iter()
            .find(|(_, val)| val == v)
            .map(|(k, _)| k.clone())
            .unwrap_or_default(),
        Problem::WrongType("integer") | Problem::OutOfRange => {
            // Paging first: most integer parameters are `page` and `limit`.
            let bad: Vec<&(String, String)> = pairs
                .iter()
                .filter(|(_, v)| v.parse::<i64>().is_err() || v.len() > 18)
                .collect();
            bad.iter()
                .find(|(k, _)| k == "limit" || k == "page")
                .or(bad.first())
                .map(|(k, _)| k.clone())
                .unwrap_or_default()
        }
        Problem::WrongType("bool") => pairs
            .iter()
            .find(|(_, v)| v != "true" && v != "false" && v.parse::<f64>().is_err())
            .map(|(k, _)| k.clone())
            .unwrap_or_default(),
        Problem::BadDate => pairs
            .iter()
            .find(|(_, v)| {
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() && v.contains('-')
            })
            .map(|(k, _)| k.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A message for an integer query parameter with the allowed range, e.g. `limit`.
pub fn integer_between(field: &str, min: i64, max: i64, locale: Locale) -> String {
    match locale {
        Locale::De => format!("„{field}“ muss eine ganze Zahl zwischen {min} und {max} sein."),
        Locale::En => format!("\"{field}\" must be a whole number between {min} and {max}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_wording_becomes_german() {
        let p = classify("invalid type: integer `5`, expected a string at line 1 column 12");
        assert_eq!(p, Problem::WrongType("text"));
        assert_eq!(
            message(&p, "title", Locale::De),
            "„title“ muss ein Text sein."
        );
        let p = classify("unknown field `farbe`, expected one of `title`, `summary`");
        assert_eq!(message(&p, "", Locale::De), "Feld „farbe“ ist unbekannt.");
        assert_eq!(classify("input is out of range"), Problem::BadDate);
        let p = classify("Query deserialize error: unknown variant `blau`, expected `idea`");
        assert_eq!(query_field(&p, "status=blau&limit=5"), "status");
        let p = classify("Query deserialize error: invalid digit found in string");
        assert_eq!(query_field(&p, "q=x&limit=abc"), "limit");
    }
}
