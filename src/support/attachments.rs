//! Files on a support request (screenshots, drafts, offers). Storage, checks and queries
//! live in [`crate::files`]. Attachments are part of the conversation with the town:
//! whoever may read the request may read them; who may write a public reply (the town's
//! officers and the district's coordinators) may upload; the uploader or a
//! coordinator may remove one.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};
use serde_json::json;

use super::model::{scope, RequestRow};
use super::queries::load_readable;
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::{policy, CurrentUser};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::files::{self, Attachment, AttachmentList, Owner};
use crate::state::AppState;

/// The request if `actor` may add files to it (who may reply publicly).
fn writable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<RequestRow> {
    let r = load_readable(conn, actor, id)?;
    if !policy::can_reply_support(actor, scope(&r)) {
        return Err(AppError::Forbidden);
    }
    Ok(r)
}

/// Attachments of a support request, newest first.
#[utoipa::path(tag = "support", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/support/requests/{id}/attachments")]
pub async fn list_support_attachments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let list = crate::db::run(&state.pool, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        let triage = policy::can_triage_support(&actor, scope(&r));
        files::list(conn, Owner::SupportRequest(&id), |by| {
            triage || by == Some(actor.id.as_str())
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Uploads a file (multipart field `file`): the town's officers and the district's coordinators.
#[utoipa::path(tag = "support", request_body(content_type = "multipart/form-data", content = String), responses(
    (status = 201, body = Attachment), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/support/requests/{id}/attachments")]
pub async fn upload_support_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    // Rights are checked before the bytes are read and again in the writing transaction.
    {
        let (actor, id) = (actor.clone(), id.clone());
        crate::db::run(&state.pool, move |conn| {
            writable(conn, &actor, &id).map(|_| ())
        })
        .await?;
    }
    let uploader = me.user.name.clone();
    files::receive(&state, form, move |conn, upload| {
        let r = writable(conn, &actor, &id)?;
        let out = files::insert(
            conn,
            Owner::SupportRequest(&id),
            None,
            upload,
            (&actor.id, &uploader),
        )?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "support.attachment_create",
                object_type: "support_attachment",
                object_id: &out.id,
                district_id: Some(&r.district_id),
                municipality_id: Some(&r.municipality_id),
                summary: json!({"request_id": id, "file_name": upload.file_name, "size_bytes": upload.size()}),
            },
        )?;
        Ok(out)
    })
    .await
}

/// Downloads an attachment; 404 for anyone who may not read the request.
#[utoipa::path(tag = "support", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/support/requests/{id}/attachments/{attachment_id}")]
pub async fn download_support_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, aid) = path.into_inner();
    let file = crate::db::run(&state.pool, move |conn| {
        load_readable(conn, &actor, &id)?;
        files::find(conn, Owner::SupportRequest(&id), &aid)
    })
    .await?;
    files::download(&state.config.data_dir, file).await
}

/// Removes an attachment (who uploaded it, or a coordinator of the district).
#[utoipa::path(tag = "support", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/support/requests/{id}/attachments/{attachment_id}")]
pub async fn delete_support_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, aid) = path.into_inner();
    files::remove(&state, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        let orphan = files::delete(conn, Owner::SupportRequest(&id), &aid, |by| {
            by == Some(actor.id.as_str()) || policy::can_triage_support(&actor, scope(&r))
        })?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "support.attachment_delete",
                object_type: "support_attachment",
                object_id: &aid,
                district_id: Some(&r.district_id),
                municipality_id: Some(&r.municipality_id),
                summary: json!({"request_id": id}),
            },
        )?;
        Ok(orphan)
    })
    .await
}
