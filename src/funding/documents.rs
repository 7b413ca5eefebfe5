//! Documents of a funding application, optionally belonging to one checklist item
//! (Ratsbeschluss, Finanzierungsplan, …). Storage, checks and queries live in
//! [`crate::files`], the routes' work in [`crate::attachments`]. Everyone who may read the
//! application may read its documents; who manages the application uploads and removes
//! any, the assignee of a checklist item uploads for it and removes what they uploaded.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};

use super::model::{lead_scope, ApplicationRow};
use super::queries::{has_assigned_item, item_assignee, load_application};
use crate::attachments::{self, AuditNames, Parent};
use crate::auth::model::Actor;
use crate::auth::{policy, CurrentUser};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::files::{Attachment, AttachmentList, Owner, Upload};
use crate::state::AppState;

/// Documents of a funding application.
pub struct ApplicationFiles;

impl Parent for ApplicationFiles {
    type Row = ApplicationRow;
    const AUDIT: AuditNames = AuditNames {
        create: "funding.document_create",
        delete: "funding.document_delete",
        object_type: "application_document",
        parent_key: "application_id",
        part_key: Some("checklist_item_id"),
    };
    const UPLOADER_REMOVES: bool = true;

    fn owner(id: &str) -> Owner<'_> {
        Owner::Application(id)
    }
    fn readable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<ApplicationRow> {
        load_application(conn, actor, id)
    }
    /// As a manager of the application or as the assignee of one of its checklist items.
    fn may_upload(conn: &mut DbConn, actor: &Actor, row: &ApplicationRow) -> AppResult<bool> {
        if policy::can_manage_application(actor, lead_scope(row)) {
            return Ok(true);
        }
        has_assigned_item(conn, &row.id, &actor.id)
    }
    fn may_remove_any(_: &mut DbConn, actor: &Actor, row: &ApplicationRow) -> AppResult<bool> {
        Ok(policy::can_manage_application(actor, lead_scope(row)))
    }
    fn place(row: &ApplicationRow) -> (&str, Option<&str>) {
        (&row.district_id, Some(&row.lead_municipality_id))
    }
    /// The checklist item of the form field `checklist_item_id`: a general document
    /// (none) only managers may add; for an item, its assignee may too.
    fn part(
        conn: &mut DbConn,
        actor: &Actor,
        row: &ApplicationRow,
        upload: &Upload,
    ) -> AppResult<Option<String>> {
        let manage = policy::can_manage_application(actor, lead_scope(row));
        let Some(item) = upload.field("checklist_item_id") else {
            if manage {
                return Ok(None);
            }
            return Err(AppError::field(
                "checklist_item_id",
                "Bitte den Punkt der Checkliste wählen, zu dem das Dokument gehört.",
            ));
        };
        let Some(assignee) = item_assignee(conn, &row.id, &item)? else {
            return Err(AppError::field(
                "checklist_item_id",
                "Diesen Punkt gibt es in der Checkliste dieses Antrags nicht.",
            ));
        };
        if !manage && assignee.as_deref() != Some(actor.id.as_str()) {
            return Err(AppError::Forbidden);
        }
        Ok(Some(item))
    }
}

/// Documents of an application, newest first.
#[utoipa::path(tag = "funding", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/funding/applications/{id}/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    attachments::list::<ApplicationFiles>(state, me, id.into_inner()).await
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
    attachments::upload::<ApplicationFiles>(state, me, id.into_inner(), form).await
}

/// Downloads a document; 404 for anyone who may not read the application.
#[utoipa::path(tag = "funding", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/funding/applications/{id}/documents/{document_id}")]
pub async fn download_document(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::download::<ApplicationFiles>(state, me, id, file).await
}

/// Removes a document (managers of the application, or who uploaded it).
#[utoipa::path(tag = "funding", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/funding/applications/{id}/documents/{document_id}")]
pub async fn delete_document(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::remove::<ApplicationFiles>(state, me, id, file).await
}
