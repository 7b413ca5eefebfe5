//! Files on a support request (screenshots, drafts, offers). Storage, checks and queries
//! live in [`crate::files`], the routes' work in [`crate::attachments`]. Attachments are
//! part of the conversation with the town: whoever may read the request may read them;
//! who may write a public reply (the town's officers and the district's coordinators) may
//! upload; the uploader or a coordinator may remove one.
use actix_multipart::Multipart;
use actix_web::{delete, get, post, web, HttpResponse};

use super::model::{scope, RequestRow};
use super::queries::load_readable;
use crate::attachments::{self, AuditNames, Parent};
use crate::auth::model::Actor;
use crate::auth::{policy, CurrentUser};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::files::{Attachment, AttachmentList, Owner};
use crate::state::AppState;

/// Files of a support request.
pub struct RequestFiles;

impl Parent for RequestFiles {
    type Row = RequestRow;
    const AUDIT: AuditNames = AuditNames {
        create: "support.attachment_create",
        delete: "support.attachment_delete",
        object_type: "support_attachment",
        parent_key: "request_id",
        part_key: None,
    };
    const UPLOADER_REMOVES: bool = true;

    fn owner(id: &str) -> Owner<'_> {
        Owner::SupportRequest(id)
    }
    fn readable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<RequestRow> {
        load_readable(conn, actor, id)
    }
    fn may_upload(_: &mut DbConn, actor: &Actor, row: &RequestRow) -> AppResult<bool> {
        Ok(policy::can_reply_support(actor, scope(row)))
    }
    fn may_remove_any(_: &mut DbConn, actor: &Actor, row: &RequestRow) -> AppResult<bool> {
        Ok(policy::can_triage_support(actor, scope(row)))
    }
    fn place(row: &RequestRow) -> (&str, Option<&str>) {
        (&row.district_id, Some(&row.municipality_id))
    }
}

/// Attachments of a support request, newest first.
#[utoipa::path(tag = "support", responses((status = 200, body = AttachmentList), (status = 404, body = crate::error::Problem)))]
#[get("/support/requests/{id}/attachments")]
pub async fn list_support_attachments(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    attachments::list::<RequestFiles>(state, me, id.into_inner()).await
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
    attachments::upload::<RequestFiles>(state, me, id.into_inner(), form).await
}

/// Downloads an attachment; 404 for anyone who may not read the request.
#[utoipa::path(tag = "support", responses((status = 200, content_type = "application/octet-stream", body = String), (status = 404, body = crate::error::Problem)))]
#[get("/support/requests/{id}/attachments/{attachment_id}")]
pub async fn download_support_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::download::<RequestFiles>(state, me, id, file).await
}

/// Removes an attachment (who uploaded it, or a coordinator of the district).
#[utoipa::path(tag = "support", responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
#[delete("/support/requests/{id}/attachments/{attachment_id}")]
pub async fn delete_support_attachment(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    attachments::remove::<RequestFiles>(state, me, id, file).await
}
