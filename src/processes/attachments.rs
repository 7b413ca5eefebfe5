//! Attachments of a process's knowledge page (storage, checks and queries in
//! [`crate::files`]): downloads for whoever may read the process; who may edit the
//! process uploads and removes them.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};
use serde_json::json;

use super::queries;
use crate::audit::{self, Entry};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::files::{self, Attachment, AttachmentList, Owner};
use crate::state::AppState;

/// Attachments of the knowledge page.
#[utoipa::path(tag = "processes", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/files")]
pub async fn list_process_files(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let items = crate::db::run(&state.pool, move |conn| {
        let row = queries::visible_process(conn, &actor, &id)?;
        let editor = crate::auth::policy::can_edit_process(&actor, row.scope());
        files::list(conn, Owner::Process(&id), |_| editor)
    })
    .await?;
    Ok(HttpResponse::Ok().json(items))
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
    let actor = me.actor();
    let id = id.into_inner();
    {
        let (actor, id) = (actor.clone(), id.clone());
        crate::db::run(&state.pool, move |conn| {
            queries::editable_process(conn, &actor, &id).map(|_| ())
        })
        .await?;
    }
    let uploader = me.user.name.clone();
    files::receive(&state, form, move |conn, upload| {
        let row = queries::editable_process(conn, &actor, &id)?;
        let out = files::insert(conn, Owner::Process(&id), None, upload, (&actor.id, &uploader))?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "attachment.create",
                object_type: "attachment",
                object_id: &out.id,
                district_id: Some(&row.district_id),
                municipality_id: row.owner_municipality_id.as_deref(),
                summary: json!({"process_id": id, "file_name": upload.file_name, "size_bytes": upload.size()}),
            },
        )?;
        Ok(out)
    })
    .await
}

/// Downloads an attachment; 404 for anyone who may not read the process.
#[utoipa::path(tag = "processes", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/processes/{id}/files/{file_id}")]
pub async fn download_process_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, fid) = path.into_inner();
    let file = crate::db::run(&state.pool, move |conn| {
        queries::visible_process(conn, &actor, &id)?;
        files::find(conn, Owner::Process(&id), &fid)
    })
    .await?;
    files::download(&state.config.data_dir, file).await
}

/// Removes an attachment (who may edit the process).
#[utoipa::path(tag = "processes", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/processes/{id}/files/{file_id}")]
pub async fn delete_process_file(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, fid) = path.into_inner();
    files::remove(&state, move |conn| {
        let row = queries::editable_process(conn, &actor, &id)?;
        let orphan = files::delete(conn, Owner::Process(&id), &fid, |_| true)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "attachment.delete",
                object_type: "attachment",
                object_id: &fid,
                district_id: Some(&row.district_id),
                municipality_id: row.owner_municipality_id.as_deref(),
                summary: json!({"process_id": id}),
            },
        )?;
        Ok(orphan)
    })
    .await
}
