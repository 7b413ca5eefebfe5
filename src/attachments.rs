//! The four file routes every capability with files has (list, upload, download,
//! remove), written once. A capability says what its files hang on by implementing
//! [`Parent`]: how the object is loaded for a reader, who may upload and who may remove,
//! and what the audit entries are called; its handler functions (with their routes and
//! OpenAPI descriptions) call [`list`], [`upload`], [`download`] and [`remove`].
use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use crate::audit::{self, Entry};
use crate::auth::model::Actor;
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::files::{self, Owner, Upload};
use crate::state::AppState;

/// The names of a family's audit entries.
pub struct AuditNames {
    pub create: &'static str,
    pub delete: &'static str,
    pub object_type: &'static str,
    /// The summary key that names the object the file hangs on (`project_id`, …).
    pub parent_key: &'static str,
    /// The summary key of the part an upload belongs to, if the family records it.
    pub part_key: Option<&'static str>,
}

/// The object a family of files hangs on (a project, an application, …).
pub trait Parent: 'static {
    type Row: Send + 'static;
    const AUDIT: AuditNames;
    /// Whether who uploaded a file may remove it even without the right to remove any.
    const UPLOADER_REMOVES: bool;

    fn owner(id: &str) -> Owner<'_>;
    /// The object if `actor` may read it; not found otherwise.
    fn readable(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<Self::Row>;
    /// Whether `actor` may upload anything at all to `row`.
    fn may_upload(conn: &mut DbConn, actor: &Actor, row: &Self::Row) -> AppResult<bool>;
    /// Whether `actor` may remove any file of `row`: by default, who may upload.
    fn may_remove_any(conn: &mut DbConn, actor: &Actor, row: &Self::Row) -> AppResult<bool> {
        Self::may_upload(conn, actor, row)
    }
    /// The district and town the audit entries are filed under.
    fn place(row: &Self::Row) -> (&str, Option<&str>);
    /// The checked part of the object an upload belongs to (a progress update, a
    /// checklist item), from the upload's form fields; none by default.
    fn part(
        _conn: &mut DbConn,
        _actor: &Actor,
        _row: &Self::Row,
        _upload: &Upload,
    ) -> AppResult<Option<String>> {
        Ok(None)
    }
}

/// The object if `actor` may upload to it: not found if they may not read it, forbidden
/// if they may only read it.
fn writable<P: Parent>(conn: &mut DbConn, actor: &Actor, id: &str) -> AppResult<P::Row> {
    let row = P::readable(conn, actor, id)?;
    if !P::may_upload(conn, actor, &row)? {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

fn may_remove<P: Parent>(actor: &Actor, any: bool, uploaded_by: Option<&str>) -> bool {
    any || (P::UPLOADER_REMOVES && uploaded_by == Some(actor.id.as_str()))
}

fn record<P: Parent>(
    conn: &mut DbConn,
    actor: &Actor,
    row: &P::Row,
    action: &str,
    file_id: &str,
    summary: Value,
) -> AppResult<()> {
    let (district, town) = P::place(row);
    audit::record(
        conn,
        Some(actor),
        Entry {
            action,
            object_type: P::AUDIT.object_type,
            object_id: file_id,
            district_id: Some(district),
            municipality_id: town,
            summary,
        },
    )
}

/// The files of the object, newest first, each saying whether the reader may remove it.
pub async fn list<P: Parent>(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: String,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let items = crate::db::run(&state.pool, move |conn| {
        let row = P::readable(conn, &actor, &id)?;
        let any = P::may_remove_any(conn, &actor, &row)?;
        files::list(conn, P::owner(&id), |by| may_remove::<P>(&actor, any, by))
    })
    .await?;
    Ok(HttpResponse::Ok().json(items))
}

/// Receives an upload. Rights are checked before the bytes are read and again in the
/// writing transaction (the object may have changed hands meanwhile).
pub async fn upload<P: Parent>(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: String,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    {
        let (actor, id) = (actor.clone(), id.clone());
        crate::db::run(&state.pool, move |conn| {
            writable::<P>(conn, &actor, &id).map(|_| ())
        })
        .await?;
    }
    let uploader = me.user.name.clone();
    files::receive(&state, form, move |conn, upload| {
        let row = writable::<P>(conn, &actor, &id)?;
        let part = P::part(conn, &actor, &row, upload)?;
        let out = files::insert(
            conn,
            P::owner(&id),
            part.as_deref(),
            upload,
            (&actor.id, &uploader),
        )?;
        let key = P::AUDIT.parent_key;
        let mut summary = json!({
            key: id,
            "file_name": upload.file_name,
            "size_bytes": upload.size(),
        });
        if let Some(key) = P::AUDIT.part_key {
            summary[key] = json!(part);
        }
        record::<P>(conn, &actor, &row, P::AUDIT.create, &out.id, summary)?;
        Ok(out)
    })
    .await
}

/// Serves a file; not found for anyone who may not read the object.
pub async fn download<P: Parent>(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: String,
    file_id: String,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let file = crate::db::run(&state.pool, move |conn| {
        P::readable(conn, &actor, &id)?;
        files::find(conn, P::owner(&id), &file_id)
    })
    .await?;
    files::download(&state.config.data_dir, file).await
}

/// Removes a file: who may remove any, or (where the family allows it) its uploader.
pub async fn remove<P: Parent>(
    state: web::Data<AppState>,
    me: CurrentUser,
    id: String,
    file_id: String,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    files::remove(&state, move |conn| {
        let row = P::readable(conn, &actor, &id)?;
        let any = P::may_remove_any(conn, &actor, &row)?;
        if !any && !P::UPLOADER_REMOVES {
            return Err(AppError::Forbidden);
        }
        let orphan = files::delete(conn, P::owner(&id), &file_id, |by| {
            may_remove::<P>(&actor, any, by)
        })?;
        let key = P::AUDIT.parent_key;
        let summary = json!({ key: id });
        record::<P>(conn, &actor, &row, P::AUDIT.delete, &file_id, summary)?;
        Ok(orphan)
    })
    .await
}
