//! Uploaded files for every capability (project attachments, application documents,
//! support request attachments): PDF, ODT/DOCX, XLSX, PNG/JPEG up to 20 MB, the type
//! checked by content (not by name), stored once by content hash under
//! `<DATA_DIR>/attachments/<sha256>` and served as downloads that never render inline.
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use futures_util::StreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::db::schema::{application_documents, attachments, support_attachments};
use crate::db::DbConn;
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

/// (id, part-of id, file name, content type, size, uploader id, uploader name, created at)
pub type FileTuple = (
    String,
    Option<String>,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    chrono::NaiveDateTime,
);

/// Rows of a file table in API form; `part_is_update` tells which of the two part ids the
/// tuple carries, `may_delete` decides from the uploader's id.
pub fn files_out(
    rows: Vec<FileTuple>,
    part_is_update: bool,
    may_delete: impl Fn(Option<&str>) -> bool,
) -> AttachmentList {
    AttachmentList {
        items: rows
            .into_iter()
            .map(|t| Attachment {
                can_delete: may_delete(t.5.as_deref()),
                id: t.0,
                update_id: if part_is_update { t.1.clone() } else { None },
                checklist_item_id: if part_is_update { None } else { t.1 },
                file_name: t.2,
                content_type: t.3,
                size_bytes: t.4,
                uploaded_by_name: t.6,
                created_at: utc(t.7),
            })
            .collect(),
    }
}

/// A checked upload: the file and the other (text) fields of the form.
pub struct Upload {
    pub file_name: String,
    pub mime: &'static str,
    pub bytes: std::sync::Arc<Vec<u8>>,
    pub sha256: String,
    pub fields: HashMap<String, String>,
}

/// The content of an upload, kept to check after the row is committed that the bytes are
/// still there (a concurrent delete of the last other reference may have removed them).
pub struct Stored {
    sha256: String,
    bytes: std::sync::Arc<Vec<u8>>,
}

impl Stored {
    pub async fn ensure(self, data_dir: &Path) -> AppResult<()> {
        write_once(data_dir, self.sha256, self.bytes).await
    }
}

impl Upload {
    pub fn size(&self) -> i64 {
        self.bytes.len() as i64
    }

    /// The API form of the row just inserted for this upload (its uploader may delete it).
    pub fn into_attachment(
        self,
        id: String,
        update_id: Option<String>,
        checklist_item_id: Option<String>,
        uploader: String,
        created_at: chrono::NaiveDateTime,
    ) -> Attachment {
        Attachment {
            id,
            update_id,
            checklist_item_id,
            size_bytes: self.size(),
            file_name: self.file_name,
            content_type: self.mime.to_string(),
            uploaded_by_name: Some(uploader),
            created_at: utc(created_at),
            can_delete: true,
        }
    }

    pub fn stored(&self) -> Stored {
        Stored {
            sha256: self.sha256.clone(),
            bytes: self.bytes.clone(),
        }
    }

    /// A non-empty text field of the form.
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned().filter(|s| !s.is_empty())
    }
}

/// Reads a multipart form with one file in the field `file`, checks size and type.
pub async fn read_upload(mut form: Multipart) -> AppResult<Upload> {
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
/// never leaves a half file under the hash). Call before the row is inserted.
pub async fn store(data_dir: &Path, upload: &Upload) -> AppResult<()> {
    write_once(data_dir, upload.sha256.clone(), upload.bytes.clone()).await
}

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
    .map_err(|e| AppError::internal(format!("storing file: {e}")))
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

/// The stored bytes as a download (never rendered inline, never cached).
pub async fn download(
    data_dir: &Path,
    file_name: &str,
    mime: &str,
    sha256: &str,
) -> AppResult<HttpResponse> {
    let path = storage_dir(data_dir).join(sha256);
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(|e| AppError::internal(format!("storage task: {e}")))?
        .map_err(|e| AppError::internal(format!("reading file: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type(mime.to_string())
        .insert_header((header::CONTENT_DISPOSITION, content_disposition(file_name)))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ))
        .body(bytes))
}

/// `Some(hash)` when no row of any file table refers to `hash` any more.
pub fn orphaned(conn: &mut DbConn, hash: String) -> AppResult<Option<String>> {
    let used = attachments::table
        .filter(attachments::sha256.eq(&hash))
        .count()
        .get_result::<i64>(conn)?
        + application_documents::table
            .filter(application_documents::sha256.eq(&hash))
            .count()
            .get_result::<i64>(conn)?
        + support_attachments::table
            .filter(support_attachments::sha256.eq(&hash))
            .count()
            .get_result::<i64>(conn)?;
    Ok((used == 0).then_some(hash))
}

/// Removes the bytes of a file nobody refers to any more (after the deleting transaction).
pub fn remove_orphan(data_dir: &Path, orphan: Option<String>) {
    if let Some(hash) = orphan {
        let _ = std::fs::remove_file(storage_dir(data_dir).join(hash));
    }
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
        let stored = Stored {
            sha256: "abc".into(),
            bytes: bytes.clone(),
        };
        write_once(dir.path(), "abc".into(), bytes).await.unwrap();
        let path = storage_dir(dir.path()).join("abc");
        // A concurrent delete of the last other reference removed the file.
        std::fs::remove_file(&path).unwrap();
        stored.ensure(dir.path()).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4 test");
    }
}
