//! HTTP handlers of the process register: processes, offices, project links, BPMN
//! models with their comparison and differences, "Abweichungen im Kreis", CSV export and
//! import, hints. Extract, ask the policy (in `queries`), answer.
use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::bpmn;
use super::model::*;
use super::queries::{self, ModelUpload};
use crate::api::{if_match, with_etag, Body};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;

/// Processes the caller may read: by name, searched in names, keys and knowledge pages.
#[utoipa::path(tag = "processes", params(ProcessQuery), responses((status = 200, body = crate::api::Page<ProcessSummary>), (status = 422, body = crate::error::Problem)))]
#[get("/processes")]
pub async fn list_processes(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProcessQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let paging = crate::api::paging(q.page, q.limit)?;
    let page = crate::db::run(&state.pool, move |conn| {
        queries::list_processes(conn, actor, q, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The register as CSV (Excel-de: UTF-8 with BOM, `;`), with the list's filters.
#[utoipa::path(tag = "processes", params(ProcessQuery), responses((status = 200, content_type = "text/csv", body = String)))]
#[get("/processes/export.csv")]
pub async fn export_processes_csv(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<ProcessQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let table = crate::db::run(&state.pool, move |conn| {
        queries::export_table(conn, actor, q)
    })
    .await?;
    Ok(crate::export::csv_response(
        table.to_csv()?,
        "prozessregister.csv",
    ))
}

/// "Abweichungen im Kreis": the steps most towns change in their local variants.
#[utoipa::path(tag = "processes", params(DeviationQuery), responses((status = 200, body = crate::api::Page<ProcessDeviation>), (status = 404, body = crate::error::Problem)))]
#[get("/processes/deviations")]
pub async fn process_deviations(
    state: web::Data<AppState>,
    me: CurrentUser,
    q: web::Query<DeviationQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let q = q.into_inner();
    let paging = crate::api::paging(q.page, q.limit)?;
    let district = crate::api::readable_district(&actor, q.district)?;
    let page = crate::db::run(&state.pool, move |conn| {
        queries::deviations(conn, actor, district, paging)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Imports a town's register from CSV (Name, Leistungsschlüssel, Amt, Fallzahl, Minuten je
/// Fall), all or nothing: one bad line and nothing is stored.
#[utoipa::path(tag = "processes", request_body = ProcessImportInput, responses((status = 201, body = ProcessImportResult), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/processes/import")]
pub async fn import_processes(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<ProcessImportInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let input = body.0;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::import_register(conn, actor, input)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// "Wer baut das schon?" for processes: documented processes of other towns that resemble
/// a project draft.
#[utoipa::path(tag = "processes", request_body = crate::projects::model::SimilarRequest, responses((status = 200, body = ProcessHintList)))]
#[post("/processes/similar")]
pub async fn similar_processes(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<crate::projects::model::SimilarRequest>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let draft = body.0;
    if draft.title.chars().count() > crate::projects::model::MAX_TITLE
        || draft.summary.chars().count() > crate::projects::model::MAX_SUMMARY * 2
        || draft.ozg_ids.len() > 50
    {
        return Err(AppError::field(
            "title",
            "Der Entwurf ist zu lang für einen Vergleich.",
        ));
    }
    let out = crate::db::run(&state.pool, move |conn| {
        queries::similar_processes(conn, actor, draft)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Creates a process (admins, the district's coordinators, officers for their town).
#[utoipa::path(tag = "processes", request_body = ProcessInput, responses((status = 201, body = Process), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/processes")]
pub async fn create_process(
    state: web::Data<AppState>,
    me: CurrentUser,
    body: Body<ProcessInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let input = body.0;
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::create_process(conn, actor, input)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, out.version, &out))
}

/// A process with its offices, linked projects and knowledge page.
#[utoipa::path(tag = "processes", responses((status = 200, body = Process), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}")]
pub async fn get_process(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        queries::get_process(conn, actor, id)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Changes a process (only the fields sent); needs `If-Match`.
#[utoipa::path(tag = "processes", request_body = ProcessInput, params(("If-Match" = String, Header)), responses((status = 200, body = Process), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
#[put("/processes/{id}")]
pub async fn update_process(
    state: web::Data<AppState>,
    me: CurrentUser,
    req: HttpRequest,
    id: web::Path<String>,
    body: Body<ProcessInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let version = if_match(&req)?;
    let (id, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_process(conn, actor, id, version, input)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Sets a town's responsible office (empty text: removes it); the town's officers.
#[utoipa::path(tag = "processes", request_body = OfficeInput, responses((status = 200, body = Process), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[put("/processes/{id}/offices/{municipality_id}")]
pub async fn put_process_office(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: Body<OfficeInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let ((id, town), input) = (path.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::set_office(conn, actor, id, town, input)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// Replaces the projects a process links (only projects the caller can read).
#[utoipa::path(tag = "processes", request_body = ProcessProjectsInput, responses((status = 200, body = Process), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[put("/processes/{id}/projects")]
pub async fn put_process_projects(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    body: Body<ProcessProjectsInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, input) = (id.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::set_projects(conn, actor, id, input)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, out.version, &out))
}

/// The model versions of a process (reference versions and the towns' variants).
#[utoipa::path(tag = "processes", responses((status = 200, body = ProcessModelList), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/models")]
pub async fn list_process_models(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        queries::list_models(conn, actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The fields of a model upload form.
struct ModelForm {
    file: Option<(String, Vec<u8>)>,
    too_large: bool,
    kind: Option<String>,
    derived_from: Option<String>,
    municipality_id: Option<String>,
}

/// Beyond this the rest of an oversized upload is not even read through.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Reads the form; a file over the size limit is read through without being kept.
async fn read_model_form(mut form: Multipart) -> AppResult<ModelForm> {
    let mut out = ModelForm {
        file: None,
        too_large: false,
        kind: None,
        derived_from: None,
        municipality_id: None,
    };
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| AppError::BadRequest(format!("Ungültiges Formular: {e}")))?;
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or_default()
            .to_string();
        let limit = if name == "file" {
            bpmn::MAX_BYTES
        } else {
            1024
        };
        let mut buf = Vec::new();
        let mut seen = 0usize;
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|e| AppError::BadRequest(format!("Upload abgebrochen: {e}")))?;
            seen += chunk.len();
            if seen > DRAIN_LIMIT {
                return Err(AppError::field("file", &bpmn::too_large().0));
            }
            if seen <= limit {
                buf.extend_from_slice(&chunk);
            } else {
                buf = Vec::new();
            }
        }
        let text = || String::from_utf8_lossy(&buf).trim().to_string();
        match name.as_str() {
            "file" if seen > limit => out.too_large = true,
            "file" => out.file = Some((file_name, buf)),
            "kind" => out.kind = Some(text()).filter(|s| !s.is_empty()),
            "derived_from" => out.derived_from = Some(text()).filter(|s| !s.is_empty()),
            "municipality_id" => out.municipality_id = Some(text()).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    Ok(out)
}

fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(150)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "modell.bpmn".into()
    } else {
        cleaned.to_string()
    }
}

/// Uploads a BPMN 2.0 model (multipart: `file`, `kind` = reference|local, for a local
/// variant `municipality_id` (default: the caller's town) and `derived_from` (default: the
/// current reference)). A refused file changes nothing.
#[utoipa::path(tag = "processes", request_body(content_type = "multipart/form-data", content = String), responses(
    (status = 201, body = ProcessModel), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 422, body = crate::error::Problem)))]
#[post("/processes/{id}/models")]
pub async fn upload_process_model(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    {
        let (actor, id) = (actor.clone(), id.clone());
        crate::db::run(&state.pool, move |conn| {
            queries::may_upload(conn, actor, id)
        })
        .await?;
    }
    let form = read_model_form(form).await?;
    let mut errors = Vec::new();
    let kind = match form.kind.as_deref() {
        Some(k) => ModelKind::parse(k),
        None => Some(ModelKind::Reference),
    };
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "Bitte „reference“ (Referenzmodell) oder „local“ (lokale Variante) angeben.",
        ));
    }
    let parsed = if form.too_large {
        Err(bpmn::too_large())
    } else {
        match &form.file {
            None => Err(bpmn::Refusal("Bitte eine BPMN-Datei auswählen.".into())),
            Some((_, bytes)) => bpmn::parse(bytes),
        }
    };
    let activities = match parsed {
        Ok(a) => Some(a),
        Err(r) => {
            errors.push(FieldError::new("file", r.0));
            None
        }
    };
    let (Some(kind), Some(activities), Some((raw_name, bytes)), true) =
        (kind, activities, form.file, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let text = String::from_utf8(bytes).map_err(|_| AppError::internal("checked as UTF-8"))?;
    let xml = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let upload = ModelUpload {
        kind,
        municipality_id: form.municipality_id,
        derived_from: form.derived_from,
        file_name: clean_file_name(&raw_name),
        xml,
        activities,
    };
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::add_model(conn, actor, id, upload)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The model as BPMN 2.0 XML (a download).
#[utoipa::path(tag = "processes", responses((status = 200, content_type = "application/xml", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/models/{model_id}/bpmn")]
pub async fn download_process_bpmn(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, model_id) = path.into_inner();
    let (file_name, xml) = crate::db::run(&state.pool, move |conn| {
        queries::model_xml(conn, actor, id, model_id)
    })
    .await?;
    let file_name = if file_name.to_lowercase().ends_with(".bpmn") {
        file_name
    } else {
        format!("{file_name}.bpmn")
    };
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            crate::files::content_disposition(&file_name),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(xml))
}

/// A local variant next to the reference version it derives from, with its differences.
#[utoipa::path(tag = "processes", responses((status = 200, body = ProcessComparison), (status = 400, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/models/{model_id}/comparison")]
pub async fn process_model_comparison(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, model_id) = path.into_inner();
    let out = crate::db::run(&state.pool, move |conn| {
        queries::comparison(conn, actor, id, model_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The town's reason and state for a changed step (officers of the variant's town).
#[utoipa::path(tag = "processes", request_body = DifferenceInput, responses((status = 200, body = ProcessDifference), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[put("/processes/{id}/differences/{difference_id}")]
pub async fn update_process_difference(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: Body<DifferenceInput>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let ((id, difference_id), input) = (path.into_inner(), body.0);
    let out = crate::db::tx(&state.pool, move |conn| {
        queries::update_difference(conn, actor, id, difference_id, input)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
