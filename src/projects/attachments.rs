//! Attachments on projects and progress updates (storage, checks and queries in
//! [`crate::files`], the routes' work in [`crate::attachments`]), served as downloads to
//! whoever may read the project; who may edit the project uploads and removes them.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};

use super::model::ProjectRow;
use super::queries;
use crate::attachments::{self, AuditNames, Parent};
use crate::auth::model::Actor;
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::files::{Attachment, AttachmentList, Owner, Upload};
use crate::state::AppState;

/// Files of a project (and of its progress updates).
pub struct ProjectFiles;

impl Parent for ProjectFiles {
    type Row = ProjectRow;
    const AUDIT: AuditNames = AuditNames {
        create: "attachment.create",
        delete: "attachment.delete",
        object_type: "attachment",
        parent_key: "project_id",
        part_key: None,
    };
    const UPLOADER_REMOVES: bool = false;

    fn owner(id: &str) -> Owner<'_> {
        Owner::Project(id)
    }
    fn readable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ProjectRow> {
        queries::visible_project(conn, Some(actor), id)?.ok_or(AppError::NotFound)
    }
    fn may_upload(conn: &mut DbConn, actor: &Actor, row: &ProjectRow) -> AppResult<bool> {
        queries::can_edit(conn, actor, row)
    }
    fn place(row: &ProjectRow) -> (&str, Option<&str>) {
        (&row.district_id, Some(&row.municipality_id))
    }
    /// The progress update a file belongs to (optional form field `update_id`).
    fn part(
        conn: &mut DbConn,
        _actor: &Actor,
        row: &ProjectRow,
        upload: &Upload,
    ) -> AppResult<Option<String>> {
        let update_id = upload.field("update_id");
        if let Some(u) = &update_id {
            if !queries::has_update(conn, &row.id, u)? {
                return Err(AppError::field(
                    "update_id",
                    "Diesen Fortschrittsbericht gibt es in diesem Projekt nicht.",
                ));
            }
        }
        Ok(update_id)
    }
}

/// Attachments of a project and its updates.
#[utoipa::path(tag = "projects", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    attachments::list::<ProjectFiles>(state, me, id.into_inner()).await
}

/// Uploads a file (multipart field `file`, optional field `update_id`). Who may edit the project may upload.
#[utoipa::path(tag = "projects", request_body(content_type = "multipart/form-data", content = String), responses(
    (status = 201, body = Attachment), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/projects/{id}/attachments")]
pub async fn upload_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    attachments::upload::<ProjectFiles>(state, me, id.into_inner(), form).await
}

/// Downloads an attachment; 404 for anyone who may not read the project.
#[utoipa::path(tag = "projects", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::download::<ProjectFiles>(state, me, id, file).await
}

/// Removes an attachment (who may edit the project).
#[utoipa::path(tag = "projects", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/projects/{id}/attachments/{attachment_id}")]
pub async fn delete_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::remove::<ProjectFiles>(state, me, id, file).await
}
