//! Documents of a funding application, optionally belonging to one checklist item
//! (Ratsbeschluss, Finanzierungsplan, …). Storage and checks live in [`crate::files`].
//! Everyone who may read the application may read its documents; who manages the
//! application uploads and removes any, the assignee of a checklist item uploads for it
//! and removes what they uploaded.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};
use diesel::prelude::*;
use serde_json::json;

use super::routes::{lead_scope, load_application};
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::{policy, CurrentUser};
use crate::db::schema::{application_documents, checklist_items, users};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::files::{self, files_out, Attachment, AttachmentList, FileTuple};

/// Documents of an application, newest first.
#[utoipa::path(tag = "funding", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/funding/applications/{id}/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let id = id.into_inner();
    let list = crate::db::run(&state.pool, move |conn| {
        let r = load_application(conn, &actor, &id)?;
        let manage = policy::can_manage_application(&actor, lead_scope(&r));
        let rows: Vec<FileTuple> = application_documents::table
            .left_join(users::table.on(users::id.nullable().eq(application_documents::uploaded_by)))
            .filter(application_documents::application_id.eq(&id))
            .select((
                application_documents::id,
                application_documents::checklist_item_id,
                application_documents::file_name,
                application_documents::content_type,
                application_documents::size_bytes,
                application_documents::uploaded_by,
                users::name.nullable(),
                application_documents::created_at,
            ))
            .order((
                application_documents::created_at.desc(),
                application_documents::id.asc(),
            ))
            .load(conn)?;
        Ok(files_out(rows, false, |by| {
            manage || by == Some(actor.id.as_str())
        }))
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Uploads a document (multipart field `file`, optional field `checklist_item_id`).
/// Managers of the application may upload; the assignee of a checklist item may upload for that item.
#[utoipa::path(tag = "funding", request_body(content_type = "multipart/form-data", content = String), responses(
    (status = 201, body = Attachment), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
    (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
#[post("/funding/applications/{id}/documents")]
pub async fn upload_document(
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
            let r = load_application(conn, &actor, &id)?;
            let assigned: i64 = checklist_items::table
                .filter(checklist_items::application_id.eq(&id))
                .filter(checklist_items::assignee_id.eq(&actor.id))
                .count()
                .get_result(conn)?;
            if !policy::can_manage_application(&actor, lead_scope(&r)) && assigned == 0 {
                return Err(AppError::Forbidden);
            }
            Ok(())
        })
        .await?;
    }
    let upload = files::read_upload(form).await?;
    files::store(&state.config.data_dir, &upload).await?;
    let stored = upload.stored();
    let item_id = upload.field("checklist_item_id");
    let uploader = me.user.name.clone();
    let out = crate::db::tx(&state.pool, move |conn| {
        let r = load_application(conn, &actor, &id)?;
        let manage = policy::can_manage_application(&actor, lead_scope(&r));
        if let Some(item) = &item_id {
            let assignee: Option<Option<String>> = checklist_items::table
                .filter(checklist_items::id.eq(item))
                .filter(checklist_items::application_id.eq(&id))
                .select(checklist_items::assignee_id)
                .first(conn)
                .optional()?;
            let Some(assignee) = assignee else {
                return Err(AppError::field(
                    "checklist_item_id",
                    "Diesen Punkt gibt es in der Checkliste dieses Antrags nicht.",
                ));
            };
            if !manage && assignee.as_deref() != Some(actor.id.as_str()) {
                return Err(AppError::Forbidden);
            }
        } else if !manage {
            return Err(AppError::field(
                "checklist_item_id",
                "Bitte den Punkt der Checkliste wählen, zu dem das Dokument gehört.",
            ));
        }
        let did = new_id();
        let t = now();
        diesel::insert_into(application_documents::table)
            .values((
                application_documents::id.eq(&did),
                application_documents::application_id.eq(&id),
                application_documents::checklist_item_id.eq(&item_id),
                application_documents::uploaded_by.eq(Some(&actor.id)),
                application_documents::file_name.eq(&upload.file_name),
                application_documents::content_type.eq(upload.mime),
                application_documents::size_bytes.eq(upload.size()),
                application_documents::sha256.eq(&upload.sha256),
                application_documents::created_at.eq(t),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "funding.document_create",
                object_type: "application_document",
                object_id: &did,
                district_id: Some(&r.district_id),
                municipality_id: Some(&r.lead_municipality_id),
                summary: json!({"application_id": id, "checklist_item_id": item_id,
                    "file_name": upload.file_name, "size_bytes": upload.size()}),
            },
        )?;
        Ok(upload.into_attachment(did, None, item_id, uploader, t))
    })
    .await?;
    stored.ensure(&state.config.data_dir).await?;
    Ok(HttpResponse::Created().json(out))
}

/// Downloads a document; 404 for anyone who may not read the application.
#[utoipa::path(tag = "funding", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/funding/applications/{id}/documents/{document_id}")]
pub async fn download_document(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, did) = path.into_inner();
    let (file_name, mime, hash) = crate::db::run(&state.pool, move |conn| {
        load_application(conn, &actor, &id)?;
        let found: Option<(String, String, String)> = application_documents::table
            .filter(application_documents::id.eq(&did))
            .filter(application_documents::application_id.eq(&id))
            .select((
                application_documents::file_name,
                application_documents::content_type,
                application_documents::sha256,
            ))
            .first(conn)
            .optional()?;
        found.ok_or(AppError::NotFound)
    })
    .await?;
    files::download(&state.config.data_dir, &file_name, &mime, &hash).await
}

/// Removes a document (managers of the application, or who uploaded it).
#[utoipa::path(tag = "funding", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/funding/applications/{id}/documents/{document_id}")]
pub async fn delete_document(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let (id, did) = path.into_inner();
    let orphan = crate::db::tx(&state.pool, move |conn| {
        let r = load_application(conn, &actor, &id)?;
        let (hash, uploader): (String, Option<String>) = application_documents::table
            .filter(application_documents::id.eq(&did))
            .filter(application_documents::application_id.eq(&id))
            .select((
                application_documents::sha256,
                application_documents::uploaded_by,
            ))
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        let own = uploader.as_deref() == Some(actor.id.as_str());
        if !own && !policy::can_manage_application(&actor, lead_scope(&r)) {
            return Err(AppError::Forbidden);
        }
        diesel::delete(application_documents::table.find(&did)).execute(conn)?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "funding.document_delete",
                object_type: "application_document",
                object_id: &did,
                district_id: Some(&r.district_id),
                municipality_id: Some(&r.lead_municipality_id),
                summary: json!({"application_id": id}),
            },
        )?;
        files::orphaned(conn, hash)
    })
    .await?;
    files::remove_orphan(&state.config.data_dir, orphan);
    Ok(HttpResponse::NoContent().finish())
}
