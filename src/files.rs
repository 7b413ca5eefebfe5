//! Uploaded files for every capability (project attachments, application documents,
//! support request attachments): PDF, ODT/DOCX, XLSX, PNG/JPEG up to 20 MB, the type
//! checked by content (not by name), stored once by content hash under
//! `<DATA_DIR>/attachments/<sha256>` and served as downloads that never render inline.
//! The rows live in one table, `files`, each owned by exactly one [`Owner`]; the
//! capabilities check their own rights and then list, insert, find and delete here.
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use futures_util::StreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::db::schema::{files, users};
use crate::db::utc;
use crate::db::{DbConn, MultiBackend};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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

pub fn storage_dir(data_dir: &Path) -> PathBuf {
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

/// A stored file as the API shows it; `update_id` / `checklist_item_id` say what inside
/// its owner it belongs to, where that applies.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attachment {
    pub id: String,
    pub update_id: Option<String>,
    pub checklist_item_id: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Whether the caller may remove it.
    pub can_delete: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentList {
    pub items: Vec<Attachment>,
}

/// What a file belongs to: exactly one project, funding application or support request
/// (the `files_one_owner` check of the table).
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    Project(&'a str),
    Application(&'a str),
    SupportRequest(&'a str),
    /// A process of the register (attachments of its knowledge page).
    Process(&'a str),
}

/// A condition on rows of `files` (alone or joined) that can be built at run time.
type Condition<'a, QS> =
    Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Nullable<Bool>> + 'a>;

impl<'a> Owner<'a> {
    /// "The file belongs to this owner", usable on `files` and on joins that contain it.
    fn owns<QS>(self) -> Condition<'a, QS>
    where
        files::project_id: SelectableExpression<QS>,
        files::application_id: SelectableExpression<QS>,
        files::support_request_id: SelectableExpression<QS>,
        files::process_id: SelectableExpression<QS>,
    {
        match self {
            Owner::Project(id) => Box::new(files::project_id.eq(id)),
            Owner::Application(id) => Box::new(files::application_id.eq(id)),
            Owner::SupportRequest(id) => Box::new(files::support_request_id.eq(id)),
            Owner::Process(id) => Box::new(files::process_id.eq(id)),
        }
    }
}

#[derive(Queryable)]
struct Listed {
    id: String,
    update_id: Option<String>,
    checklist_item_id: Option<String>,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    uploaded_by: Option<String>,
    uploaded_by_name: Option<String>,
    created_at: chrono::NaiveDateTime,
}

/// The files of `owner` with their uploaders' names, newest first (ties by id, so pages
/// and tests see one order); `may_delete` decides from the uploader's id.
pub fn list(
    conn: &mut DbConn,
    owner: Owner<'_>,
    may_delete: impl Fn(Option<&str>) -> bool,
) -> AppResult<AttachmentList> {
    let rows: Vec<Listed> = files::table
        .left_join(users::table.on(users::id.nullable().eq(files::uploaded_by)))
        .filter(owner.owns())
        .select((
            files::id,
            files::update_id,
            files::checklist_item_id,
            files::file_name,
            files::content_type,
            files::size_bytes,
            files::uploaded_by,
            users::name.nullable(),
            files::created_at,
        ))
        .order((files::created_at.desc(), files::id.asc()))
        .load(conn)?;
    Ok(AttachmentList {
        items: rows
            .into_iter()
            .map(|r| Attachment {
                can_delete: may_delete(r.uploaded_by.as_deref()),
                id: r.id,
                update_id: r.update_id,
                checklist_item_id: r.checklist_item_id,
                file_name: r.file_name,
                content_type: r.content_type,
                size_bytes: r.size_bytes,
                uploaded_by_name: r.uploaded_by_name,
                created_at: utc(r.created_at),
            })
            .collect(),
    })
}

/// Records an upload (its bytes already written by [`receive`]) as a file of `owner`,
/// uploaded by the user `uploader` (id, name). `part` is what inside the owner it belongs
/// to: an update of a project or a checklist item of an application, checked by the
/// caller; support requests have no parts. Returns the API form of the new file.
pub fn insert(
    conn: &mut DbConn,
    owner: Owner<'_>,
    part: Option<&str>,
    upload: &Upload,
    uploader: (&str, &str),
) -> AppResult<Attachment> {
    let (project, update, application, item, request, process) = match owner {
        Owner::Project(id) => (Some(id), part, None, None, None, None),
        Owner::Application(id) => (None, None, Some(id), part, None, None),
        Owner::SupportRequest(id) => {
            debug_assert!(part.is_none(), "support request files have no parts");
            (None, None, None, None, Some(id), None)
        }
        Owner::Process(id) => {
            debug_assert!(part.is_none(), "process files have no parts");
            (None, None, None, None, None, Some(id))
        }
    };
    let id = crate::db::new_id();
    let created_at = crate::db::now();
    diesel::insert_into(files::table)
        .values((
            files::id.eq(&id),
            files::project_id.eq(project),
            files::update_id.eq(update),
            files::application_id.eq(application),
            files::checklist_item_id.eq(item),
            files::support_request_id.eq(request),
            files::process_id.eq(process),
            files::uploaded_by.eq(Some(uploader.0)),
            files::file_name.eq(&upload.file_name),
            files::content_type.eq(upload.mime),
            files::size_bytes.eq(upload.size()),
            files::sha256.eq(&upload.sha256),
            files::created_at.eq(created_at),
        ))
        .execute(conn)?;
    Ok(Attachment {
        id,
        update_id: update.map(str::to_string),
        checklist_item_id: item.map(str::to_string),
        file_name: upload.file_name.clone(),
        content_type: upload.mime.to_string(),
        size_bytes: upload.size(),
        uploaded_by_name: Some(uploader.1.to_string()),
        created_at: utc(created_at),
        can_delete: true,
    })
}

/// What a download needs of a stored file.
pub struct Download {
    file_name: String,
    content_type: String,
    sha256: String,
}

/// The file `id` of `owner`; not found for a file of any other owner.
pub fn find(conn: &mut DbConn, owner: Owner<'_>, id: &str) -> AppResult<Download> {
    let (file_name, content_type, sha256) = files::table
        .filter(files::id.eq(id))
        .filter(owner.owns())
        .select((files::file_name, files::content_type, files::sha256))
        .first::<(String, String, String)>(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    Ok(Download {
        file_name,
        content_type,
        sha256,
    })
}

/// The bytes a deleted file leaves behind if no other file refers to them; [`remove`]
/// deletes them once the transaction is committed.
pub struct Orphan(Option<String>);

/// Deletes the file `id` of `owner` if `may_delete` allows it for its uploader's id
/// (forbidden otherwise; not found for a file of any other owner).
pub fn delete(
    conn: &mut DbConn,
    owner: Owner<'_>,
    id: &str,
    may_delete: impl FnOnce(Option<&str>) -> bool,
) -> AppResult<Orphan> {
    let (hash, uploader) = files::table
        .filter(files::id.eq(id))
        .filter(owner.owns())
        .select((files::sha256, files::uploaded_by))
        .first::<(String, Option<String>)>(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !may_delete(uploader.as_deref()) {
        return Err(AppError::Forbidden);
    }
    diesel::delete(files::table.find(id)).execute(conn)?;
    let used: i64 = files::table
        .filter(files::sha256.eq(&hash))
        .count()
        .get_result(conn)?;
    Ok(Orphan((used == 0).then_some(hash)))
}

/// A checked upload: the file and the other (text) fields of the form.
pub struct Upload {
    pub file_name: String,
    mime: &'static str,
    bytes: std::sync::Arc<Vec<u8>>,
    sha256: String,
    fields: HashMap<String, String>,
}

impl Upload {
    pub fn size(&self) -> i64 {
        self.bytes.len() as i64
    }

    /// A non-empty text field of the form.
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned().filter(|s| !s.is_empty())
    }
}

/// Reads a multipart form with one file in the field `file`, checks size and type.
async fn read_upload(mut form: Multipart) -> AppResult<Upload> {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut fields = HashMap::new();
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
        if name == "file" {
            file = Some((file_name, buf));
        } else if buf.len() <= 1024 {
            fields.insert(name, String::from_utf8_lossy(&buf).trim().to_string());
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
    Ok(Upload {
        file_name: clean_file_name(&raw_name, mime),
        mime,
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes: std::sync::Arc::new(bytes),
        fields,
    })
}

/// Writes the bytes under their hash (once; a temporary name and a rename, so a crash
/// never leaves a half file under the hash).
async fn write_once(
    data_dir: &Path,
    sha256: String,
    bytes: std::sync::Arc<Vec<u8>>,
) -> AppResult<()> {
    let dir = storage_dir(data_dir);
    let target = dir.join(&sha256);
    web::block(move || -> std::io::Result<()> {
        if target.exists() {
            return Ok(());
        }
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{}.tmp", crate::db::new_id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes.as_slice())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })
    .await
    .map_err(|e| AppError::internal(format!("storage task: {e}")))?
    .map_err(|e| AppError::StorageUnavailable(format!("storing file: {e}")))
}

/// Whether files can be stored: writes and removes a probe file (for `/readyz`).
pub fn check_storage(data_dir: &Path) -> Result<(), String> {
    let dir = storage_dir(data_dir);
    let probe = dir.join(".readyz-probe");
    std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(&probe, b"ok"))
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| format!("attachment storage {}: {e}", dir.display()))
}

/// RFC 6266 / 5987 header value with an ASCII fallback and the UTF-8 name.
pub fn content_disposition(name: &str) -> String {
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

/// The stored bytes as a download (never rendered inline, never cached).
pub async fn download(data_dir: &Path, file: Download) -> AppResult<HttpResponse> {
    let path = storage_dir(data_dir).join(&file.sha256);
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::internal(format!("storage task: {e}")))?
        .map_err(|e| AppError::internal(format!("reading file: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&file.file_name),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ))
        .body(bytes))
}

/// Receives the file of an upload form: checks it, writes the bytes, runs `record` (which
/// checks what it must, calls [`insert`] and writes the audit entry) in one transaction,
/// and answers 201 with what `record` returned. The bytes are written before the row and
/// again after commit if a concurrent delete of their last other file removed them.
pub async fn receive<F>(state: &AppState, form: Multipart, record: F) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut DbConn, &Upload) -> AppResult<Attachment> + Send + 'static,
{
    let upload = read_upload(form).await?;
    let data_dir = &state.config.data_dir;
    write_once(data_dir, upload.sha256.clone(), upload.bytes.clone()).await?;
    let (sha256, bytes) = (upload.sha256.clone(), upload.bytes.clone());
    let out = crate::db::tx(&state.pool, move |conn| record(conn, &upload)).await?;
    write_once(data_dir, sha256, bytes).await?;
    Ok(HttpResponse::Created().json(out))
}

/// Runs `delete` (rights, [`delete`], audit entry) in one transaction, then removes the
/// bytes nobody refers to any more, and answers 204.
pub async fn remove<F>(state: &AppState, delete: F) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut DbConn) -> AppResult<Orphan> + Send + 'static,
{
    let Orphan(orphan) = crate::db::tx(&state.pool, delete).await?;
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

    #[actix_web::test]
    async fn bytes_removed_meanwhile_are_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = std::sync::Arc::new(b"%PDF-1.4 test".to_vec());
        write_once(dir.path(), "abc".into(), bytes.clone())
            .await
            .unwrap();
        let path = storage_dir(dir.path()).join("abc");
        // A concurrent delete of the last other reference removed the file; `receive`
        // writes it again after its commit.
        std::fs::remove_file(&path).unwrap();
        write_once(dir.path(), "abc".into(), bytes).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4 test");
    }
}
