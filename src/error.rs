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
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
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
        match self {
            AppError::Validation(_) => (
                "validation",
                "Ungültige Eingabe",
                Some("Bitte prüfen Sie die markierten Felder.".into()),
            ),
            AppError::BadRequest(d) => ("bad-request", "Fehlerhafte Anfrage", Some(d.clone())),
            AppError::Unauthorized => ("unauthorized", "Anmeldung erforderlich", None),
            AppError::Forbidden => ("forbidden", "Keine Berechtigung", None),
            AppError::NotFound => ("not-found", "Nicht gefunden", None),
            AppError::MethodNotAllowed { allow } => (
                "method-not-allowed",
                "Methode nicht erlaubt",
                Some(format!("Diese Adresse kann nur so aufgerufen werden: {allow}.")),
            ),
            AppError::NoSuchRoute => (
                "not-found",
                "Nicht gefunden",
                Some("Unter dieser Adresse gibt es keine Schnittstelle.".into()),
            ),
            AppError::Conflict(d) => ("conflict", "Konflikt", Some(d.clone())),
            AppError::PreconditionFailed => (
                "precondition-failed",
                "Veraltete Version",
                Some("Der Datensatz wurde inzwischen geändert. Bitte neu laden.".into()),
            ),
            AppError::PreconditionRequired => (
                "precondition-required",
                "If-Match fehlt",
                Some(
                    "Änderungen brauchen den Header If-Match mit der ETag der gelesenen Version."
                        .into(),
                ),
            ),
            AppError::TooManyRequests { .. } => ("too-many-requests", "Zu viele Versuche", None),
            AppError::PayloadTooLarge => ("payload-too-large", "Anfrage zu groß", None),
            AppError::Unavailable(_) => ("unavailable", "Dienst nicht verfügbar", None),
            AppError::StorageUnavailable(_) => (
                "storage-unavailable",
                "Dateiablage nicht verfügbar",
                Some("Dateien können gerade nicht gespeichert werden. Es wurde nichts gespeichert; bitte versuchen Sie es später erneut.".into()),
            ),
            AppError::Internal(_) => ("internal", "Interner Fehler", None),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (slug, title, detail) = self.parts();
        Problem {
            type_: format!("{PROBLEM_BASE}{slug}"),
            title: title.into(),
            status: self.status_code().as_u16(),
            detail,
            errors: match self {
                AppError::Validation(e) => e.clone(),
                _ => Vec::new(),
            },
            request_id: crate::request_id::current(),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
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
