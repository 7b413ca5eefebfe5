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
                Some(if en {
                    format!("This address can only be called with: {allow}.")
                } else {
                    format!("Diese Adresse kann nur so aufgerufen werden: {allow}.")
                }),
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
/// translation files have it (`message.<German text>`; "Höchstens N Zeichen" by pattern).
fn localised_text(text: &str) -> String {
    use crate::i18n::{labels, Locale};
    if crate::i18n::current() != Locale::En {
        return text.to_string();
    }
    if let Some(t) = labels::get(Locale::En, &format!("message.{text}")) {
        return t.to_string();
    }
    if let Some(n) = text
        .strip_prefix("Höchstens ")
        .and_then(|r| r.strip_suffix(" Zeichen."))
    {
        return format!("At most {} characters.", n.replace(' ', ","));
    }
    text.to_string()
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
