//! Attachments on projects and progress updates (storage and checks in [`crate::files`]),
//! served as downloads to whoever may read the project.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};
use diesel::prelude::*;
use serde_json::json;

use super::queries;
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::CurrentUser;
use crate::db::schema::{attachments, project_updates, users};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::files::{self, files_out, Attachment, AttachmentList, FileTuple};

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
        let rows: Vec<FileTuple> = attachments::table
            .left_join(users::table.on(users::id.nullable().eq(attachments::uploaded_by)))
            .filter(attachments::project_id.eq(&id))
            .select((
                attachments::id,
                attachments::update_id,
                attachments::file_name,
                attachments::content_type,
                attachments::size_bytes,
                attachments::uploaded_by,
                users::name.nullable(),
                attachments::created_at,
            ))
            .order((attachments::created_at.desc(), attachments::id.asc()))
            .load(conn)?;
        Ok(files_out(rows, true, |_| editor))
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
    let row = {
        let (actor, id) = (actor.clone(), id.clone());
        crate::db::run(&state.pool, move |conn| {
            let row =
                queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
            if !queries::can_edit(conn, &actor, &row)? {
                return Err(AppError::Forbidden);
            }
            Ok(row)
        })
        .await?
    };
    let upload = files::read_upload(form).await?;
    files::store(&state.config.data_dir, &upload).await?;
    let stored = upload.stored();
    let update_id = upload.field("update_id");
    let uploader = me.user.name.clone();
    let out = crate::db::tx(&state.pool, move |conn| {
        if let Some(u) = &update_id {
            let n: i64 = project_updates::table
                .filter(project_updates::id.eq(u))
                .filter(project_updates::project_id.eq(&id))
                .count()
                .get_result(conn)?;
            if n == 0 {
                return Err(AppError::field(
                    "update_id",
                    "Diesen Fortschrittsbericht gibt es in diesem Projekt nicht.",
                ));
            }
        }
        let aid = new_id();
        let t = now();
        diesel::insert_into(attachments::table)
            .values((
                attachments::id.eq(&aid),
                attachments::project_id.eq(&id),
                attachments::update_id.eq(&update_id),
                attachments::uploaded_by.eq(Some(&actor.id)),
                attachments::file_name.eq(&upload.file_name),
                attachments::content_type.eq(upload.mime),
                attachments::size_bytes.eq(upload.size()),
                attachments::sha256.eq(&upload.sha256),
                attachments::created_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "attachment.create",
                object_type: "attachment",
                object_id: &aid,
                district_id: Some(&row.district_id),
                municipality_id: Some(&row.municipality_id),
                summary: json!({"project_id": id, "file_name": upload.file_name, "size_bytes": upload.size()}),
            },
        )?;
        Ok(upload.into_attachment(aid, update_id, None, uploader, t))
    })
    .await?;
    stored.ensure(&state.config.data_dir).await?;
    Ok(HttpResponse::Created().json(out))
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
    let (file_name, mime, hash) = crate::db::run(&state.pool, move |conn| {
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        let found: Option<(String, String, String)> = attachments::table
            .filter(attachments::id.eq(&aid))
            .filter(attachments::project_id.eq(&id))
            .select((
                attachments::file_name,
                attachments::content_type,
                attachments::sha256,
            ))
            .first(conn)
            .optional()?;
        found.ok_or(AppError::NotFound)
    })
    .await?;
    files::download(&state.config.data_dir, &file_name, &mime, &hash).await
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
    let orphan = crate::db::tx(&state.pool, move |conn| {
        let row = queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        if !queries::can_edit(conn, &actor, &row)? {
            return Err(AppError::Forbidden);
        }
        let hash: String = attachments::table
            .filter(attachments::id.eq(&aid))
            .filter(attachments::project_id.eq(&id))
            .select(attachments::sha256)
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        diesel::delete(attachments::table.find(&aid)).execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "attachment.delete",
                object_type: "attachment",
                object_id: &aid,
                district_id: Some(&row.district_id),
                municipality_id: Some(&row.municipality_id),
                summary: json!({"project_id": id}),
            },
        )?;
        files::orphaned(conn, hash)
    })
    .await?;
    files::remove_orphan(&state.config.data_dir, orphan);
    Ok(HttpResponse::NoContent().finish())
}
