//! Documents of a funding application, optionally belonging to one checklist item
//! (Ratsbeschluss, Finanzierungsplan, …). Storage, checks and queries live in
//! [`crate::files`]. Everyone who may read the application may read its documents; who
//! manages the application uploads and removes any, the assignee of a checklist item
//! uploads for it and removes what they uploaded.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};
use diesel::prelude::*;
use serde_json::json;

use super::model::{lead_scope, ApplicationRow};
use super::queries::load_application;
use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::{policy, CurrentUser};
use crate::db::schema::checklist_items;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::files::{self, Attachment, AttachmentList, Owner};
use crate::state::AppState;

/// Whether `actor` may upload anything at all: as a manager of the application or as the
/// assignee of one of its checklist items.
fn may_upload(conn: &mut DbConn, actor: &Actor, r: &ApplicationRow) -> AppResult<bool> {
    if policy::can_manage_application(actor, lead_scope(r)) {
        return Ok(true);
    }
    let assigned: i64 = checklist_items::table
        .filter(checklist_items::application_id.eq(&r.id))
        .filter(checklist_items::assignee_id.eq(&actor.id))
        .count()
        .get_result(conn)?;
    Ok(assigned > 0)
}

/// Checks that `actor` may upload a document for `item` (a checklist item of the
/// application, or none for a general document, which only managers may add).
fn check_item(
    conn: &mut DbConn,
    actor: &Actor,
    r: &ApplicationRow,
    item: Option<&str>,
) -> AppResult<()> {
    let manage = policy::can_manage_application(actor, lead_scope(r));
    let Some(item) = item else {
        if manage {
            return Ok(());
        }
        return Err(AppError::field(
            "checklist_item_id",
            "Bitte den Punkt der Checkliste wählen, zu dem das Dokument gehört.",
        ));
    };
    let assignee: Option<Option<String>> = checklist_items::table
        .filter(checklist_items::id.eq(item))
        .filter(checklist_items::application_id.eq(&r.id))
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
    Ok(())
}

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
        files::list(conn, Owner::Application(&id), |by| {
            manage || by == Some(actor.id.as_str())
        })
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
            if !may_upload(conn, &actor, &r)? {
                return Err(AppError::Forbidden);
            }
            Ok(())
        })
        .await?;
    }
    let uploader = me.user.name.clone();
    files::receive(&state, form, move |conn, upload| {
        let item_id = upload.field("checklist_item_id");
        let r = load_application(conn, &actor, &id)?;
        check_item(conn, &actor, &r, item_id.as_deref())?;
        let out = files::insert(
            conn,
            Owner::Application(&id),
            item_id.as_deref(),
            upload,
            (&actor.id, &uploader),
        )?;
        audit::record(
            conn,
            Some(&actor),
            Entry {
                action: "funding.document_create",
                object_type: "application_document",
                object_id: &out.id,
                district_id: Some(&r.district_id),
                municipality_id: Some(&r.lead_municipality_id),
                summary: json!({"application_id": id, "checklist_item_id": item_id,
                    "file_name": upload.file_name, "size_bytes": upload.size()}),
            },
        )?;
        Ok(out)
    })
    .await
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
    let file = crate::db::run(&state.pool, move |conn| {
        load_application(conn, &actor, &id)?;
        files::find(conn, Owner::Application(&id), &did)
    })
    .await?;
    files::download(&state.config.data_dir, file).await
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
    files::remove(&state, move |conn| {
        let r = load_application(conn, &actor, &id)?;
        let orphan = files::delete(conn, Owner::Application(&id), &did, |by| {
            by == Some(actor.id.as_str()) || policy::can_manage_application(&actor, lead_scope(&r))
        })?;
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
        Ok(orphan)
    })
    .await
}
