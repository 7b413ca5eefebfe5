//! The one application error and its mapping to RFC 9457 problem+json responses.
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_BASE: &str = "https://digitalnetzwerk.de/probleme/";

/// One invalid input: the JSON name of the field and why it was refused.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The id of the request (as in `X-Request-Id`), to quote when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A query string that does not fit the endpoint (400, with the parameters named).
    #[error("invalid query")]
    InvalidQuery(Vec<FieldError>),
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// Refused with a reason the caller can act on (403): the fields it may not change
    /// and why, e.g. what only a project's lead town may change.
    #[error("forbidden: {0:?}")]
    ForbiddenFields(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("no such route")]
    NoSuchRoute,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("precondition required")]
    PreconditionRequired,
    /// The path exists, the method does not; `allow` lists the methods that do.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The file storage cannot be written (full disk, wrong permissions): the upload
    /// can be tried again later, nothing was saved.
    #[error("file storage unavailable: {0}")]
    StorageUnavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(msg: impl Into<String>) -> Self {
        AppError::Internal(msg.into())
    }
    pub fn unavailable(msg: impl Into<String>) -> Self {
        AppError::Unavailable(msg.into())
    }
    pub fn field(field: &str, message: &str) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    fn parts(&self) -> (&'static str, &'static str, Option<String>) {
        let en = crate::i18n::current() == crate::i18n::Locale::En;
        let pick = |de: &'static str, e: &'static str| if en { e } else { de };
        match self {
            AppError::Validation(_) => (
                "validation",
                pick("Ungültige Eingabe", "Invalid input"),
                Some(pick("Bitte prüfen Sie die markierten Felder.", "Please check the marked fields.").into()),
            ),
            AppError::InvalidQuery(_) => (
                "bad-request",
                pick("Fehlerhafte Anfrage", "Bad request"),
                Some(pick("Bitte prüfen Sie die Abfrageparameter.", "Please check the query parameters.").into()),
            ),
            AppError::BadRequest(d) => (
                "bad-request",
                pick("Fehlerhafte Anfrage", "Bad request"),
                Some(d.clone()),
            ),
            AppError::Unauthorized => ("unauthorized", pick("Anmeldung erforderlich", "Sign-in required"), None),
            AppError::Forbidden => ("forbidden", pick("Keine Berechtigung", "Not permitted"), None),
            AppError::ForbiddenFields(e) => (
                "forbidden",
                pick("Keine Berechtigung", "Not permitted"),
                e.first().map(|f| f.message.clone()),
            ),
            AppError::NotFound => ("not-found", pick("Nicht gefunden", "Not found"), None),
            AppError::MethodNotAllowed { allow } => (
                "method-not-allowed",
                pick("Methode nicht erlaubt", "Method not allowed"),
                // English from `message.Diese Adresse … {allow}.` (see `localised_text`).
                Some(format!("Diese Adresse kann nur so aufgerufen werden: {allow}.")),
            ),
            AppError::NoSuchRoute => (
                "not-found",
                pick("Nicht gefunden", "Not found"),
                Some(pick("Unter dieser Adresse gibt es keine Schnittstelle.", "There is no interface at this address.").into()),
            ),
            AppError::Conflict(d) => ("conflict", pick("Konflikt", "Conflict"), Some(d.clone())),
            AppError::PreconditionFailed => (
                "precondition-failed",
                pick("Veraltete Version", "Outdated version"),
                Some(pick("Der Datensatz wurde inzwischen geändert. Bitte neu laden.", "The record has been changed in the meantime. Please reload.").into()),
            ),
            AppError::PreconditionRequired => (
                "precondition-required",
                pick("If-Match fehlt", "If-Match missing"),
                Some(
                    pick("Änderungen brauchen den Header If-Match mit der ETag der gelesenen Version.", "Changes need the If-Match header with the ETag of the version you read.")
                        .into(),
                ),
            ),
            AppError::TooManyRequests { .. } => ("too-many-requests", pick("Zu viele Versuche", "Too many attempts"), None),
            AppError::PayloadTooLarge => ("payload-too-large", pick("Anfrage zu groß", "Request too large"), None),
            AppError::Unavailable(_) => ("unavailable", pick("Dienst nicht verfügbar", "Service unavailable"), None),
            AppError::StorageUnavailable(_) => (
                "storage-unavailable",
                pick("Dateiablage nicht verfügbar", "File storage unavailable"),
                Some(pick("Dateien können gerade nicht gespeichert werden. Es wurde nichts gespeichert; bitte versuchen Sie es später erneut.", "Files cannot be stored right now. Nothing was saved; please try again later.").into()),
            ),
            AppError::Internal(_) => ("internal", pick("Interner Fehler", "Internal error"), None),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (slug, title, detail) = self.parts();
        Problem {
            type_: format!("{PROBLEM_BASE}{slug}"),
            title: title.into(),
            status: self.status_code().as_u16(),
            detail: detail.map(|d| localised_text(&d)),
            errors: match self {
                AppError::Validation(e)
                | AppError::InvalidQuery(e)
                | AppError::ForbiddenFields(e) => e.iter().map(localised).collect(),
                _ => Vec::new(),
            },
            request_id: crate::request_id::current(),
        }
    }
}

/// A message written in German by the domain code, in the request's language where the
/// translation files have it: `message.<German text>`, or a `message.` key with `{name}`
/// placeholders that the text fits ("Höchstens {n} Zeichen."), whose captured parts are
/// put into the English text (themselves translated where they are a known message or
/// label, numbers in English notation).
pub(crate) fn localised_text(text: &str) -> String {
    if crate::i18n::current() != crate::i18n::Locale::En {
        return text.to_string();
    }
    english(text, 0).unwrap_or_else(|| text.to_string())
}

/// The English text of a German message whatever the request's language, `None` when
/// the translation files lack it (what [`localised_text`] gives `en` users).
#[cfg(test)]
pub(crate) fn english_message(text: &str) -> Option<String> {
    english(text, 0)
}

fn english(text: &str, depth: u8) -> Option<String> {
    use crate::i18n::{labels, Locale};
    if let Some(t) = labels::get(Locale::En, &format!("message.{text}")) {
        return Some(t.to_string());
    }
    for p in patterns() {
        if let Some(caps) = p.fit(text) {
            let mut out = String::with_capacity(p.english.len() + text.len());
            for piece in &p.english_parts {
                match piece {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Slot(i) => out.push_str(&english_part(caps[*i], depth)),
                }
            }
            return Some(out);
        }
    }
    None
}

/// A value captured from a German message, in English where it is something known:
/// a message, a label ("In Betrieb"), a list of them, a German number ("5 000", "1.234,50").
fn english_part(part: &str, depth: u8) -> String {
    use crate::i18n::labels;
    let trimmed = part.trim();
    if trimmed.len() != part.len() && !trimmed.is_empty() {
        // " Erst zuweisen." after a sentence: translated without the spaces around it.
        let start = part.len() - part.trim_start().len();
        let end = start + trimmed.len();
        return format!(
            "{}{}{}",
            &part[..start],
            english_part(trimmed, depth),
            &part[end..]
        );
    }
    if let Some(l) = labels::english_of_label(part) {
        return l.to_string();
    }
    if depth < 2 {
        if let Some(t) = english(part, depth + 1) {
            return t;
        }
    }
    if let Some(n) = english_number(part) {
        return n;
    }
    if depth < 2 && part.contains(", ") {
        let known = |i: &str| {
            labels::english_of_label(i)
                .map(str::to_string)
                .or_else(|| english(i, depth + 1))
        };
        let items: Vec<&str> = part.split(", ").collect();
        if items.iter().any(|i| known(i).is_some()) {
            return items
                .iter()
                .map(|i| known(i).unwrap_or_else(|| i.to_string()))
                .collect::<Vec<_>>()
                .join(", ");
        }
    }
    part.to_string()
}

/// "5 000" → "5,000", "1.234,50" → "1,234.50"; `None` for anything else (plain "200").
fn english_number(s: &str) -> Option<String> {
    let (int, frac) = match s.split_once(',') {
        Some((i, f)) if !f.is_empty() && f.len() <= 2 && f.bytes().all(|b| b.is_ascii_digit()) => {
            (i, Some(f))
        }
        Some(_) => return None,
        None => (s, None),
    };
    let groups: Vec<&str> = int.split(['.', ' ', '\u{a0}', '\u{202f}']).collect();
    let well_formed = groups.iter().enumerate().all(|(i, g)| {
        g.bytes().all(|b| b.is_ascii_digit())
            && if i == 0 {
                (1..=3).contains(&g.len())
            } else {
                g.len() == 3
            }
    });
    if !well_formed || (groups.len() == 1 && frac.is_none()) {
        return None;
    }
    let mut out = groups.join(",");
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// A `message.` key with placeholders: its literal parts (one more than placeholders)
/// and the English text cut at the same placeholders.
struct Pattern {
    literals: Vec<&'static str>,
    english: &'static str,
    english_parts: Vec<Piece>,
}

enum Piece {
    Text(&'static str),
    /// The captured value of the placeholder with this index in the German key.
    Slot(usize),
}

/// The message keys with `{name}` placeholders, most specific (longest literal text)
/// first; compiled once.
fn patterns() -> &'static [Pattern] {
    static PATTERNS: std::sync::OnceLock<Vec<Pattern>> = std::sync::OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut v: Vec<Pattern> = crate::i18n::labels::english_messages()
            .filter_map(|(key, english)| Pattern::compile(key, english))
            .collect();
        v.sort_by_key(|p| {
            (
                std::cmp::Reverse(p.literals.iter().map(|l| l.len()).sum::<usize>()),
                p.literals.concat(),
            )
        });
        v
    })
}

/// `key` cut at `{name}` placeholders: the literal parts and the names.
fn split_placeholders(key: &str) -> Option<(Vec<&str>, Vec<&str>)> {
    let (mut literals, mut names) = (Vec::new(), Vec::new());
    let mut rest = key;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}')?;
        let name = &rest[open + 1..close];
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        literals.push(&rest[..open]);
        names.push(name);
        rest = &rest[close + 1..];
    }
    literals.push(rest);
    Some((literals, names))
}

impl Pattern {
    fn compile(key: &'static str, english: &'static str) -> Option<Pattern> {
        let (literals, names) = split_placeholders(key)?;
        if names.is_empty() {
            return None;
        }
        let (en_literals, en_names) = split_placeholders(english)?;
        let mut english_parts = Vec::new();
        for (i, lit) in en_literals.iter().enumerate() {
            if !lit.is_empty() {
                english_parts.push(Piece::Text(lit));
            }
            if let Some(name) = en_names.get(i) {
                // A placeholder the German key does not have would stay unfilled: the
                // file is wrong, the pattern is left out (a unit test checks the files).
                english_parts.push(Piece::Slot(names.iter().position(|n| n == name)?));
            }
        }
        Some(Pattern {
            literals,
            english,
            english_parts,
        })
    }

    /// The captured values if `text` fits: the literal parts in order, each placeholder
    /// a non-empty run between them.
    fn fit<'t>(&self, text: &'t str) -> Option<Vec<&'t str>> {
        let rest = text.strip_prefix(self.literals[0])?;
        let mut caps = Vec::with_capacity(self.literals.len() - 1);
        fit_from(rest, &self.literals[1..], &mut caps).then_some(caps)
    }
}

/// Matches `rest` against placeholder, `literals[0]`, placeholder, `literals[1]`, … with
/// backtracking over where each literal is found.
fn fit_from<'t>(rest: &'t str, literals: &[&str], caps: &mut Vec<&'t str>) -> bool {
    let Some((lit, more)) = literals.split_first() else {
        return rest.is_empty();
    };
    if more.is_empty() {
        return match rest.strip_suffix(lit) {
            Some(c) if !c.is_empty() => {
                caps.push(c);
                true
            }
            _ => false,
        };
    }
    let first = rest.chars().next().map_or(1, char::len_utf8);
    let mut from = first;
    while from <= rest.len() {
        let Some(at) = rest[from..].find(lit).map(|i| i + from) else {
            return false;
        };
        caps.push(&rest[..at]);
        if fit_from(&rest[at + lit.len()..], more, caps) {
            return true;
        }
        caps.truncate(caps.len() - 1);
        from = at + rest[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

fn localised(e: &FieldError) -> FieldError {
    FieldError::new(e.field.clone(), localised_text(&e.message))
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) | AppError::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ForbiddenFields(_) => StatusCode::FORBIDDEN,
            AppError::NotFound | AppError::NoSuchRoute => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) | AppError::StorageUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(msg)
            | AppError::Unavailable(msg)
            | AppError::StorageUnavailable(msg) => {
                tracing::error!(error = %msg, "request failed");
            }
            _ => {}
        }
        let mut resp = HttpResponse::build(self.status_code());
        resp.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let AppError::MethodNotAllowed { allow } = self {
            resp.insert_header((header::ALLOW, allow.clone()));
        }
        if let AppError::TooManyRequests { retry_after_secs } = self {
            resp.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let AppError::Unauthorized = self {
            resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        resp.body(serde_json::to_string(&self.to_problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict("Ein Eintrag mit diesem Wert existiert bereits.".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::Conflict("Ein verknüpfter Eintrag fehlt oder wird noch verwendet.".into())
            }
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Collects field errors while a request body is turned into domain types.
#[derive(Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Errors(Vec::new())
    }
    /// Keeps the value of `r`, or records its error under `field`.
    pub fn check<T>(&mut self, field: &str, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(m) => {
                self.0.push(FieldError::new(field, m));
                None
            }
        }
    }
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> String {
        english_message(text).unwrap_or_else(|| format!("(missing) {text}"))
    }

    #[test]
    fn fixed_messages_and_patterns() {
        assert_eq!(en("Bitte ausfüllen."), "Please fill in.");
        assert_eq!(en("Höchstens 200 Zeichen."), "At most 200 characters.");
        assert_eq!(en("Höchstens 5 000 Zeichen."), "At most 5,000 characters.");
        assert_eq!(
            en("Höchstens 200 Zeichen (jetzt 250)."),
            "At most 200 characters (now 250)."
        );
        assert_eq!(
            en("Das Programm fördert höchstens 1.234.567,89 €."),
            "The programme funds at most €1,234,567.89."
        );
        assert_eq!(english_message("Höchstens Zeichen."), None);
        assert_eq!(english_message("Höchstens 5 Zeichen. Oder?"), None);
        assert_eq!(english_message("Ein ganz neuer Satz."), None);
    }

    #[test]
    fn captured_labels_lists_and_messages_are_translated() {
        assert_eq!(
            en("Von „Idee“ geht es nur weiter zu: Entwurf, Beschlossen."),
            "From \"Idea\" the only next steps are: Draft, Planned."
        );
        assert_eq!(
            en("Der Name wird vom Anmeldedienst „Keycloak“ verwaltet und kann hier nicht geändert werden."),
            "The name is managed by the sign-in service \"Keycloak\" and cannot be changed here."
        );
        assert_eq!(
            en("Bitte eine ganze Zahl von 0 bis 1.000.000 Fällen im Jahr angeben."),
            "Please enter a whole number from 0 to 1,000,000 cases a year."
        );
        assert_eq!(
            en("Von „assigned“ nach „resolved“ ist kein erlaubter Schritt. Erst zuweisen."),
            "From \"assigned\" to \"resolved\" is not an allowed step. Assign it first."
        );
        assert_eq!(
            en("Von „assigned“ nach „resolved“ ist kein erlaubter Schritt."),
            "From \"assigned\" to \"resolved\" is not an allowed step."
        );
        assert_eq!(
            en("Zeile 3, Spalte „Monat“: „13/2025“ ist kein gültiger Monat: Monat 13 gibt es nicht (1 bis 12)."),
            "Line 3, column \"Monat\": \"13/2025\" is not a valid month: there is no month 13 (1 to 12)."
        );
        // Captured text nobody knows stays as it is.
        assert_eq!(
            en("Das Thema „xyz“ gibt es nicht."),
            "There is no topic \"xyz\"."
        );
    }

    #[test]
    fn german_numbers_in_english_notation() {
        assert_eq!(english_number("5 000").as_deref(), Some("5,000"));
        assert_eq!(english_number("1.000").as_deref(), Some("1,000"));
        assert_eq!(english_number("28.000,00").as_deref(), Some("28,000.00"));
        assert_eq!(english_number("0,5").as_deref(), Some("0.5"));
        assert_eq!(english_number("200"), None);
        assert_eq!(english_number("1.5"), None);
        assert_eq!(english_number("2025-03"), None);
        assert_eq!(english_number("abc"), None);
    }

    #[test]
    fn every_message_pattern_of_the_files_compiles() {
        for (key, english) in crate::i18n::labels::english_messages() {
            if key.contains('{') || english.contains('{') {
                assert!(
                    Pattern::compile(key, english).is_some(),
                    "message.{key}: the placeholders of the German key and the English text must match"
                );
            }
        }
    }
}
