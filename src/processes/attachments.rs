//! Attachments of a process's knowledge page (storage, checks and queries in
//! [`crate::files`], the routes' work in [`crate::attachments`]): downloads for whoever
//! may read the process; who may edit the process uploads and removes them.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};

use super::model::ProcessRow;
use super::queries;
use crate::attachments::{self, AuditNames, Parent};
use crate::auth::model::Actor;
use crate::auth::{policy, CurrentUser};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::files::{Attachment, AttachmentList, Owner};
use crate::state::AppState;

/// Files of a process's knowledge page.
pub struct ProcessFiles;

impl Parent for ProcessFiles {
    type Row = ProcessRow;
    const AUDIT: AuditNames = AuditNames {
        create: "attachment.create",
        delete: "attachment.delete",
        object_type: "attachment",
        parent_key: "process_id",
        part_key: None,
    };
    const UPLOADER_REMOVES: bool = false;

    fn owner(id: &str) -> Owner<'_> {
        Owner::Process(id)
    }
    fn readable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ProcessRow> {
        queries::visible_process(conn, actor, id)
    }
    fn may_upload(_: &mut DbConn, actor: &Actor, row: &ProcessRow) -> AppResult<bool> {
        Ok(policy::can_edit_process(actor, row.scope()))
    }
    fn place(row: &ProcessRow) -> (&str, Option<&str>) {
        (&row.district_id, row.owner_municipality_id.as_deref())
    }
}

/// Attachments of the knowledge page.
#[utoipa::path(tag = "processes", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/files")]
pub async fn list_process_files(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    attachments::list::<ProcessFiles>(state, me, id.into_inner()).await
}

/// Uploads an attachment (multipart field `file`; PDF, ODT, DOCX, XLSX, PNG, JPEG).
#[utoipa::path(tag = "processes", request_body(content_type = "multipart/form-data", content = String), responses(
    (status = 201, body = Attachment), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/processes/{id}/files")]
pub async fn upload_process_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    attachments::upload::<ProcessFiles>(state, me, id.into_inner(), form).await
}

/// Downloads an attachment; 404 for anyone who may not read the process.
#[utoipa::path(tag = "processes", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/files/{file_id}")]
pub async fn download_process_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::download::<ProcessFiles>(state, me, id, file).await
}

/// Removes an attachment (who may edit the process).
#[utoipa::path(tag = "processes", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/processes/{id}/files/{file_id}")]
pub async fn delete_process_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::remove::<ProcessFiles>(state, me, id, file).await
}
