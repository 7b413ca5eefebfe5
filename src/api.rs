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
                    match crate::i18n::current() {
                        crate::i18n::Locale::De => "Content-Type muss application/json sein.",
                        crate::i18n::Locale::En => "Content-Type must be application/json.",
                    }
                    .into(),
                ));
            }
            let mut buf = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| {
                    AppError::BadRequest(
                        match crate::i18n::current() {
                            crate::i18n::Locale::De => "Anfrage konnte nicht gelesen werden.",
                            crate::i18n::Locale::En => "The request could not be read.",
                        }
                        .into(),
                    )
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

/// The query parameter (or `path`) whose decoded text holds a character no text of the
/// platform may hold. Bodies are checked in [`parse_json`]; this covers the URL.
pub fn forbidden_in_url(path: &str, query: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if decoded.chars().any(crate::text::is_forbidden) {
        return Some("path".into());
    }
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, v)| {
            k.chars().any(crate::text::is_forbidden) || v.chars().any(crate::text::is_forbidden)
        })
        .map(|(k, _)| {
            k.chars()
                .filter(|c| !crate::text::is_forbidden(*c))
                .collect()
        })
}

/// Middleware: a URL with a NUL or another forbidden control character is answered 400
/// naming the parameter, before any handler (or PostgreSQL) sees it.
pub async fn refuse_forbidden_in_url(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<
    actix_web::dev::ServiceResponse<actix_web::body::EitherBody<impl actix_web::body::MessageBody>>,
    actix_web::Error,
> {
    use actix_web::ResponseError;
    if let Some(field) = forbidden_in_url(req.path(), req.query_string()) {
        let err = AppError::InvalidQuery(vec![FieldError::new(
            field,
            "Enthält unzulässige Steuerzeichen.",
        )]);
        let res = err.error_response();
        return Ok(req.into_response(res).map_into_right_body());
    }
    next.call(req)
        .await
        .map(actix_web::dev::ServiceResponse::map_into_left_body)
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
    let locale = crate::i18n::current();
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(err) => {
            use crate::i18n::serde_errors::{classify, message, syntax_message, Problem};
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let parent = if path == "." { String::new() } else { path };
                    let problem = classify(&inner.to_string());
                    // The path ends at an unknown field, but at the parent of a missing one.
                    let field = match &problem {
                        Problem::MissingField(n) if parent.is_empty() => n.clone(),
                        Problem::MissingField(n) => format!("{parent}.{n}"),
                        Problem::UnknownField(n) if parent.is_empty() => n.clone(),
                        _ => parent,
                    };
                    let text = message(&problem, &field, locale);
                    Err(AppError::Validation(vec![FieldError::new(field, text)]))
                }
                _ => Err(AppError::BadRequest(syntax_message(
                    inner.line(),
                    inner.column(),
                    locale,
                ))),
            }
        }
    }
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

/// The answer to a status change its life cycle does not allow (`can_move_to` said no),
/// naming both statuses by their labels in the value list `domain` of the translation
/// files (`support`, `application`, `measure`, …) in the request's language, never by
/// their codes; `hint` (empty or a sentence with a leading space) says what to do first.
pub fn not_a_step(domain: &str, from: &str, to: &str, hint: &str) -> AppError {
    let locale = crate::i18n::current();
    let label = |code: &str| {
        crate::i18n::labels::value(locale, domain, code)
            .map_or_else(|| code.to_string(), str::to_string)
    };
    AppError::field(
        "status",
        &format!(
            "Von „{}“ nach „{}“ ist kein erlaubter Schritt.{hint}",
            label(from),
            label(to)
        ),
    )
}

/// A query string that does not fit the endpoint's parameters, as a validation problem
/// naming the parameter (actix's `QueryConfig` error handler).
pub fn query_error(err: &actix_web::error::QueryPayloadError, req: &HttpRequest) -> AppError {
    use crate::i18n::serde_errors::{classify, integer_between, message, query_field, Problem};
    let locale = crate::i18n::current();
    let query = req.query_string();
    let problem = classify(&err.to_string());
    let field = query_field(&problem, query);
    let text = match (&problem, field.as_str()) {
        (Problem::WrongType("integer") | Problem::OutOfRange, "limit") => {
            integer_between("limit", 1, 100, locale)
        }
        (Problem::WrongType("integer") | Problem::OutOfRange, "page") => {
            integer_between("page", 1, 1_000_000, locale)
        }
        (Problem::UnknownField(n), _) => message(&Problem::UnknownField(n.clone()), "", locale),
        _ => message(&problem, &field, locale),
    };
    AppError::InvalidQuery(vec![FieldError::new(field, text)])
}

/// The language named in the request's access token (checked), if any: what fails
/// before the user is loaded (a query string, an unknown route) is worded in it.
pub fn token_locale(
    headers: &actix_web::http::header::HeaderMap,
    jwt_secret: &str,
) -> Option<crate::i18n::Locale> {
    let token = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim();
    let claims = crate::auth::tokens::verify_access_token(jwt_secret, token)?;
    claims.loc.as_deref().map(crate::i18n::Locale::parse)
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
        let locale = crate::i18n::current();
        use crate::i18n::serde_errors::integer_between;
        if !(1..=1_000_000).contains(&page) {
            errors.push(FieldError::new(
                "page",
                integer_between("page", 1, 1_000_000, locale),
            ));
        }
        if !(1..=100).contains(&limit) {
            errors.push(FieldError::new(
                "limit",
                integer_between("limit", 1, 100, locale),
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

    /// The page `paging` asks for, cut from a list that had to be computed whole (a
    /// ranking over aggregates); `total` is the list's length.
    pub fn cut(all: Vec<T>, paging: Paging) -> Self {
        let total = all.len() as i64;
        let items = all
            .into_iter()
            .skip(paging.offset() as usize)
            .take(paging.limit as usize)
            .collect();
        Page::new(items, paging, total)
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
