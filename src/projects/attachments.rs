//! Attachments on projects and progress updates (storage, checks and queries in
//! [`crate::files`]), served as downloads to whoever may read the project; who may edit
//! the project uploads and removes them.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};
use serde_json::json;

use super::model::ProjectRow;
use super::queries;
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::files::{self, Attachment, AttachmentList, Owner};
use crate::state::AppState;

/// The project if `actor` may edit it: not found if they may not read it, forbidden if
/// they may only read it.
fn editable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ProjectRow> {
    let project = queries::visible_project(conn, Some(actor), id)?.ok_or(AppError::NotFound)?;
    if !queries::can_edit(conn, actor, &project)? {
        return Err(AppError::Forbidden);
    }
    Ok(project)
}

/// Attachments of a project and its updates.
#[utoipa::path(tag = "projects", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let items = crate::db::run(&state.pool, move |conn| {
        let project =
            queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        let editor = queries::can_edit(conn, &actor, &project)?;
        files::list(conn, Owner::Project(&id), |_| editor)
    })
    .await?;
    Ok(HttpResponse::Ok().json(items))
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
    let actor = me.actor();
    let id = id.into_inner();
    // Rights are checked before the bytes are read and again in the writing transaction
    // (the project may have become private or lost this partner meanwhile).
    {
        let (actor, id) = (actor.clone(), id.clone());
        crate::db::run(&state.pool, move |conn| editable(conn, &actor, &id)).await?;
    }
    let uploader = me.user.name.clone();
    files::receive(&state, form, move |conn, upload| {
        let project = editable(conn, &actor, &id)?;
        let update_id = upload.field("update_id");
        if let Some(u) = &update_id {
            if !queries::has_update(conn, &id, u)? {
                return Err(AppError::field(
                    "update_id",
                    "Diesen Fortschrittsbericht gibt es in diesem Projekt nicht.",
                ));
            }
        }
        let out = files::insert(
            conn,
            Owner::Project(&id),
            update_id.as_deref(),
            upload,
            (&actor.id, &uploader),
        )?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "attachment.create",
                object_type: "attachment",
                object_id: &out.id,
                district_id: Some(&project.district_id),
                municipality_id: Some(&project.municipality_id),
                summary: json!({"project_id": id, "file_name": upload.file_name, "size_bytes": upload.size()}),
            },
        )?;
        Ok(out)
    })
    .await
}

/// Downloads an attachment; 404 for anyone who may not read the project.
#[utoipa::path(tag = "projects", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/projects/{id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, aid) = path.into_inner();
    let file = crate::db::run(&state.pool, move |conn| {
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        files::find(conn, Owner::Project(&id), &aid)
    })
    .await?;
    files::download(&state.config.data_dir, file).await
}

/// Removes an attachment (who may edit the project).
#[utoipa::path(tag = "projects", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/projects/{id}/attachments/{attachment_id}")]
pub async fn delete_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, aid) = path.into_inner();
    files::remove(&state, move |conn| {
        let project = editable(conn, &actor, &id)?;
        let orphan = files::delete(conn, Owner::Project(&id), &aid, |_| true)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "attachment.delete",
                object_type: "attachment",
                object_id: &aid,
                district_id: Some(&project.district_id),
                municipality_id: Some(&project.municipality_id),
                summary: json!({"project_id": id}),
            },
        )?;
        Ok(orphan)
    })
    .await
}
