//! Files on a support request (screenshots, drafts, offers). Storage and checks live in
//! [`crate::files`]. Attachments are part of the conversation with the town: whoever
//! may read the request may read them; who may write a public reply (the town's
//! officers and the district's coordinators) may upload; the uploader or a
//! coordinator may remove one.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};
use diesel::prelude::*;
use serde_json::json;

use super::routes::{load_readable, scope};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::{policy, CurrentUser};
use crate::db::schema::{support_attachments, users};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::files::{self, files_out, Attachment, AttachmentList, FileTuple};

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
        let rows: Vec<FileTuple> = support_attachments::table
            .left_join(users::table.on(users::id.nullable().eq(support_attachments::uploaded_by)))
            .filter(support_attachments::request_id.eq(&id))
            .select((
                support_attachments::id,
                None::<String>.into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(),
                support_attachments::file_name,
                support_attachments::content_type,
                support_attachments::size_bytes,
                support_attachments::uploaded_by,
                users::name.nullable(),
                support_attachments::created_at,
            ))
            .order((
                support_attachments::created_at.desc(),
                support_attachments::id.asc(),
            ))
            .load(conn)?;
        Ok(files_out(rows, false, |by| {
            triage || by == Some(actor.id.as_str())
        }))
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
    {
        let (actor, id) = (actor.clone(), id.clone());
        crate::db::run(&state.pool, move |conn| {
            let r = load_readable(conn, &actor, &id)?;
            if !policy::can_reply_support(&actor, scope(&r)) {
                return Err(AppError::Forbidden);
            }
            Ok(())
        })
        .await?;
    }
    let upload = files::read_upload(form).await?;
    files::store(&state.config.data_dir, &upload).await?;
    let stored = upload.stored();
    let uploader = me.user.name.clone();
    let out = crate::db::tx(&state.pool, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        if !policy::can_reply_support(&actor, scope(&r)) {
            return Err(AppError::Forbidden);
        }
        let aid = new_id();
        let t = now();
        diesel::insert_into(support_attachments::table)
            .values((
                support_attachments::id.eq(&aid),
                support_attachments::request_id.eq(&id),
                support_attachments::uploaded_by.eq(Some(&actor.id)),
                support_attachments::file_name.eq(&upload.file_name),
                support_attachments::content_type.eq(upload.mime),
                support_attachments::size_bytes.eq(upload.size()),
                support_attachments::sha256.eq(&upload.sha256),
                support_attachments::created_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "support.attachment_create",
                object_type: "support_attachment",
                object_id: &aid,
                district_id: Some(&r.district_id),
                municipality_id: Some(&r.municipality_id),
                summary: json!({"request_id": id, "file_name": upload.file_name, "size_bytes": upload.size()}),
            },
        )?;
        Ok(upload.into_attachment(aid, None, None, uploader, t))
    })
    .await?;
    stored.ensure(&state.config.data_dir).await?;
    Ok(HttpResponse::Created().json(out))
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
    let (file_name, mime, hash) = crate::db::run(&state.pool, move |conn| {
        load_readable(conn, &actor, &id)?;
        let found: Option<(String, String, String)> = support_attachments::table
            .filter(support_attachments::id.eq(&aid))
            .filter(support_attachments::request_id.eq(&id))
            .select((
                support_attachments::file_name,
                support_attachments::content_type,
                support_attachments::sha256,
            ))
            .first(conn)
            .optional()?;
        found.ok_or(AppError::NotFound)
    })
    .await?;
    files::download(&state.config.data_dir, &file_name, &mime, &hash).await
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
    let orphan = crate::db::tx(&state.pool, move |conn| {
        let r = load_readable(conn, &actor, &id)?;
        let (hash, uploader): (String, Option<String>) = support_attachments::table
            .filter(support_attachments::id.eq(&aid))
            .filter(support_attachments::request_id.eq(&id))
            .select((
                support_attachments::sha256,
                support_attachments::uploaded_by,
            ))
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        let own = uploader.as_deref() == Some(actor.id.as_str());
        if !own && !policy::can_triage_support(&actor, scope(&r)) {
            return Err(AppError::Forbidden);
        }
        diesel::delete(support_attachments::table.find(&aid)).execute(conn)?;
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
        files::orphaned(conn, hash)
    })
    .await?;
    files::remove_orphan(&state.config.data_dir, orphan);
    Ok(HttpResponse::NoContent().finish())
}
