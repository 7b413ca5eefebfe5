//! Attachments on projects and progress updates: PDF, ODT/DOCX, XLSX, PNG/JPEG up to
//! 20 MB, the type checked by content (not by name), stored by content hash under
//! the data directory, served as downloads to whoever may read the project.
use std::io::Write;
use std::path::{Path, PathBuf};

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};
use diesel::prelude::*;
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::queries;
use crate::app::AppState;
use crate::audit::{self, Entry};
use crate::auth::CurrentUser;
use crate::db::schema::{attachments, project_updates, users};
use crate::db::{new_id, now};
use crate::error::{AppError, AppResult};
use crate::users::model::utc;

pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// The accepted file types, as detected from the first bytes of the content.
const ALLOWED: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("application/vnd.oasis.opendocument.text", "odt"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
];

/// The MIME type of `bytes` if it is one of the accepted kinds.
pub fn detect(bytes: &[u8]) -> Option<&'static str> {
    let kind = infer::get(bytes)?;
    ALLOWED
        .iter()
        .find(|(mime, _)| *mime == kind.mime_type())
        .map(|(mime, _)| *mime)
}

fn storage_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("attachments")
}

/// A file name safe to show and to put in a header: no path, no control characters.
fn clean_file_name(raw: &str, mime: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(150)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        let ext = ALLOWED
            .iter()
            .find(|(m, _)| *m == mime)
            .map(|(_, e)| *e)
            .unwrap_or("bin");
        format!("anhang.{ext}")
    } else {
        cleaned
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attachment {
    pub id: String,
    pub update_id: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentList {
    pub items: Vec<Attachment>,
}

type AttachmentTuple = (
    String,
    Option<String>,
    String,
    String,
    i64,
    Option<String>,
    chrono::NaiveDateTime,
);

fn to_attachment(t: AttachmentTuple) -> Attachment {
    Attachment {
        id: t.0,
        update_id: t.1,
        file_name: t.2,
        content_type: t.3,
        size_bytes: t.4,
        uploaded_by_name: t.5,
        created_at: utc(t.6),
    }
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
        queries::visible_project(conn, Some(&actor), &id)?.ok_or(AppError::NotFound)?;
        let rows: Vec<AttachmentTuple> = attachments::table
            .left_join(users::table.on(users::id.nullable().eq(attachments::uploaded_by)))
            .filter(attachments::project_id.eq(&id))
            .select((
                attachments::id,
                attachments::update_id,
                attachments::file_name,
                attachments::content_type,
                attachments::size_bytes,
                users::name.nullable(),
                attachments::created_at,
            ))
            .order((attachments::created_at.desc(), attachments::id.asc()))
            .load(conn)?;
        Ok(rows.into_iter().map(to_attachment).collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Ok().json(AttachmentList { items }))
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
    mut form: Multipart,
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
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut update_id: Option<String> = None;
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| AppError::BadRequest(format!("Ungültiges Formular: {e}")))?;
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or_default()
            .to_string();
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|e| AppError::BadRequest(format!("Upload abgebrochen: {e}")))?;
            if buf.len() + chunk.len() > MAX_BYTES {
                return Err(AppError::PayloadTooLarge);
            }
            buf.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => file = Some((file_name, buf)),
            "update_id" => {
                update_id =
                    Some(String::from_utf8_lossy(&buf).trim().to_string()).filter(|s| !s.is_empty())
            }
            _ => {}
        }
    }
    let Some((raw_name, bytes)) = file else {
        return Err(AppError::field("file", "Bitte eine Datei auswählen."));
    };
    if bytes.is_empty() {
        return Err(AppError::field("file", "Die Datei ist leer."));
    }
    let Some(mime) = detect(&bytes) else {
        return Err(AppError::field("file", "Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, ODT, DOCX, XLSX, PNG und JPEG (geprüft wird der Inhalt, nicht der Name)."));
    };
    let file_name = clean_file_name(&raw_name, mime);
    let hash = hex::encode(Sha256::digest(&bytes));
    let size = bytes.len() as i64;
    let dir = storage_dir(&state.config.data_dir);
    let target = dir.join(&hash);
    web::block(move || -> std::io::Result<()> {
        if target.exists() {
            return Ok(());
        }
        std::fs::create_dir_all(&dir)?;
        // Written to a temporary name and renamed, so a crash never leaves a half file under the hash.
        let tmp = dir.join(format!(".{}.tmp", crate::db::new_id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })
    .await
    .map_err(|e| AppError::internal(format!("storage task: {e}")))?
    .map_err(|e| AppError::internal(format!("storing attachment: {e}")))?;
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
                attachments::file_name.eq(&file_name),
                attachments::content_type.eq(mime),
                attachments::size_bytes.eq(size),
                attachments::sha256.eq(&hash),
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
                summary: json!({"project_id": id, "file_name": file_name, "size_bytes": size}),
            },
        )?;
        Ok(Attachment {
            id: aid,
            update_id,
            file_name,
            content_type: mime.to_string(),
            size_bytes: size,
            uploaded_by_name: Some(uploader),
            created_at: utc(t),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// RFC 6266 / 5987 header value with an ASCII fallback and the UTF-8 name.
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
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
    let path = storage_dir(&state.config.data_dir).join(&hash);
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::internal(format!("storage task: {e}")))?
        .map_err(|e| AppError::internal(format!("reading attachment: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((header::CONTENT_DISPOSITION, content_disposition(&file_name)))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ))
        .body(bytes))
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
        let still_used: i64 = attachments::table
            .filter(attachments::sha256.eq(&hash))
            .count()
            .get_result(conn)?;
        Ok((still_used == 0).then_some(hash))
    })
    .await?;
    if let Some(hash) = orphan {
        let _ = std::fs::remove_file(storage_dir(&state.config.data_dir).join(hash));
    }
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(
            detect(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
            Some("application/pdf")
        );
        assert_eq!(
            detect(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]),
            Some("image/png")
        );
        assert_eq!(
            detect(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
            None
        );
        assert_eq!(detect(b"MZ\x90\x00\x03\x00\x00\x00"), None);
        assert_eq!(detect(b"#!/bin/sh\nrm -rf /\n"), None);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(
            clean_file_name("../../etc/passwd", "application/pdf"),
            "passwd"
        );
        assert_eq!(
            clean_file_name("C:\\temp\\Plan \"A\".pdf", "application/pdf"),
            "Plan A.pdf"
        );
        assert_eq!(clean_file_name("", "image/png"), "anhang.png");
        assert_eq!(content_disposition("Übersicht 2026.pdf"), "attachment; filename=\"_bersicht 2026.pdf\"; filename*=UTF-8''%C3%9Cbersicht%202026.pdf");
    }
}
