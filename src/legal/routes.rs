//! HTTP handler for the legal pages: public, no sign-in.
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{load, LegalPage, LegalPageKind};
use crate::auth::model::Locale;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LegalQuery {
    /// `de` (default) or `en`: an English file of the operator's is preferred, if there is one.
    pub lang: Option<String>,
}

/// One legal page (Impressum, Datenschutz, Barrierefreiheit) as the operator wrote it.
#[utoipa::path(
    tag = "public",
    security(()),
    params(
        ("page" = LegalPageKind, Path, description = "impressum, datenschutz or barrierefreiheit"),
        LegalQuery
    ),
    responses((status = 200, body = LegalPage), (status = 404, body = crate::error::Problem))
)]
#[get("/legal/{page}")]
pub async fn get_legal_page(
    state: web::Data<AppState>,
    page: web::Path<String>,
    q: web::Query<LegalQuery>,
) -> AppResult<HttpResponse> {
    let kind = LegalPageKind::parse(&page).ok_or(AppError::NotFound)?;
    let locale = Locale::parse(q.lang.as_deref().unwrap_or("de"));
    let data_dir = state.config.data_dir.clone();
    let body = web::block(move || load(&data_dir, kind, locale))
        .await
        .map_err(|e| AppError::internal(format!("legal page: {e}")))??;
    // The operator may change the file at any time: always ask again.
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-cache"))
        .json(body))
}
