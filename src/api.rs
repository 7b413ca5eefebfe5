//! Shared HTTP plumbing: the JSON body extractor with field-precise errors,
//! pagination, and ETag / If-Match handling.
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppError, AppResult, FieldError};

/// Largest accepted JSON body. Generous enough that an over-long field is
/// reported as a field error rather than as a rejected request.
pub const MAX_JSON_BYTES: usize = 4 * 1024 * 1024;

/// A JSON request body. Malformed JSON answers 400, a value of the wrong
/// shape 422 naming the field (via serde_path_to_error).
pub struct Body<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let v = v.to_ascii_lowercase();
                v.starts_with("application/json") || v.contains("+json")
            })
            .unwrap_or(false);
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(AppError::BadRequest(
                    "Content-Type muss application/json sein.".into(),
                ));
            }
            let mut buf = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| {
                    AppError::BadRequest("Anfrage konnte nicht gelesen werden.".into())
                })?;
                if buf.len() + chunk.len() > MAX_JSON_BYTES {
                    return Err(AppError::PayloadTooLarge);
                }
                buf.extend_from_slice(&chunk);
            }
            parse_json(&buf).map(Body)
        })
    }
}

/// For edit inputs: a present field is `Some`, `null` included (`Some(None)` clears the
/// value), an absent one stays `None` through `#[serde(default)]`.
pub fn nullable<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(de).map(Some)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> AppResult<T> {
    // Control characters and bidi overrides are refused in every text of every body
    // before any field is read: a NUL breaks PostgreSQL, the others hide or reorder text.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
        if let Some(field) = crate::text::first_forbidden(&value) {
            return Err(AppError::Validation(vec![FieldError::new(
                field,
                "Enthält unzulässige Steuerzeichen.",
            )]));
        }
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let field = if path == "." { String::new() } else { path };
                    let message = data_error_message(&inner.to_string(), &field);
                    // A missing field is reported by serde with the parent path.
                    if let Some(missing) = missing_field(&inner.to_string()) {
                        let full = if field.is_empty() {
                            missing
                        } else {
                            format!("{field}.{missing}")
                        };
                        return Err(AppError::Validation(vec![FieldError::new(
                            full,
                            "Pflichtfeld fehlt.",
                        )]));
                    }
                    Err(AppError::Validation(vec![FieldError::new(field, message)]))
                }
                _ => Err(AppError::BadRequest(format!("Ungültiges JSON: {inner}"))),
            }
        }
    }
}

fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
}

fn data_error_message(raw: &str, _field: &str) -> String {
    // serde's text ends with " at line X column Y"; the position is noise for a form.
    let text = raw.split(" at line ").next().unwrap_or(raw);
    if let Some(rest) = text.strip_prefix("unknown variant ") {
        return format!("Unbekannter Wert {rest}");
    }
    if text.starts_with("invalid type") {
        return format!("Falscher Typ ({text})");
    }
    if text.starts_with("unknown field") {
        return format!("Unbekanntes Feld ({text})");
    }
    text.to_string()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, starting at 1.
    pub page: Option<i64>,
    /// Items per page (default 25, at most 100).
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub limit: i64,
}

impl Paging {
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.limit
    }
}

/// The answer to a status change its life cycle does not allow (`can_move_to` said no);
/// `hint` (empty or a sentence with a leading space) says what to do first.
pub fn not_a_step(from: &str, to: &str, hint: &str) -> AppError {
    AppError::field(
        "status",
        &format!("Von „{from}“ nach „{to}“ ist kein erlaubter Schritt.{hint}"),
    )
}

/// The paging of a list query whose `page` and `limit` sit beside its filters.
pub fn paging(page: Option<i64>, limit: Option<i64>) -> AppResult<Paging> {
    PageQuery { page, limit }.paging()
}

impl PageQuery {
    pub fn paging(&self) -> AppResult<Paging> {
        let page = self.page.unwrap_or(1);
        let limit = self.limit.unwrap_or(25);
        let mut errors = Vec::new();
        if !(1..=1_000_000).contains(&page) {
            errors.push(FieldError::new(
                "page",
                "Die Seite muss zwischen 1 und 1000000 liegen.",
            ));
        }
        if !(1..=100).contains(&limit) {
            errors.push(FieldError::new(
                "limit",
                "limit muss zwischen 1 und 100 liegen.",
            ));
        }
        if errors.is_empty() {
            Ok(Paging { page, limit })
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// `items` as references to the item schema (utoipa 5 would copy `T` into every page type).
fn page_items<T: utoipa::ToSchema>() -> utoipa::openapi::Array {
    utoipa::openapi::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name(T::name()))
        .build()
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    #[schema(schema_with = page_items::<T>)]
    pub items: Vec<T>,
    pub page: i64,
    pub limit: i64,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, paging: Paging, total: i64) -> Self {
        Page {
            items,
            page: paging.page,
            limit: paging.limit,
            total,
        }
    }
}

pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// JSON response with the resource's version as strong ETag.
pub fn with_etag<T: Serialize>(
    status: actix_web::http::StatusCode,
    version: i32,
    body: &T,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

/// The version an update was based on, from `If-Match`. 428 if absent.
pub fn if_match(req: &HttpRequest) -> AppResult<i32> {
    let raw = req
        .headers()
        .get(header::IF_MATCH)
        .ok_or(AppError::PreconditionRequired)?
        .to_str()
        .map_err(|_| AppError::PreconditionFailed)?;
    // "*" would overwrite whatever is there now: a change must name the version it saw.
    if raw.trim() == "*" {
        return Err(AppError::PreconditionRequired);
    }
    let v = raw.trim().trim_start_matches("W/").trim_matches('"');
    v.parse::<i32>().map_err(|_| AppError::PreconditionFailed)
}

/// The district a district-wide view is about: the requested one, else the caller's;
/// 404 for a district the caller may not read.
pub fn readable_district(
    actor: &crate::auth::model::Actor,
    requested: Option<String>,
) -> AppResult<String> {
    let d = requested
        .or(actor.district_id.clone())
        .ok_or_else(|| AppError::field("district_id", "Bitte einen Kreis wählen."))?;
    if !crate::auth::policy::can_read_district(actor, &d) {
        return Err(AppError::NotFound);
    }
    Ok(d)
}
