-- Back to one table per capability (as in migrations 000003 and 000008), rows included.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    update_id TEXT REFERENCES project_updates(id),
    uploaded_by TEXT REFERENCES users(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_project ON attachments (project_id, created_at);
CREATE INDEX attachments_sha256 ON attachments (sha256);

CREATE TABLE application_documents (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES funding_applications(id) ON DELETE CASCADE,
    checklist_item_id TEXT REFERENCES checklist_items(id) ON DELETE SET NULL,
    uploaded_by TEXT REFERENCES users(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX application_documents_application ON application_documents (application_id, created_at);
CREATE INDEX application_documents_sha256 ON application_documents (sha256);

CREATE TABLE support_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES support_requests(id) ON DELETE CASCADE,
    uploaded_by TEXT REFERENCES users(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX support_attachments_request ON support_attachments (request_id, created_at);
CREATE INDEX support_attachments_sha256 ON support_attachments (sha256);

INSERT INTO attachments (id, project_id, update_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at)
SELECT id, project_id, update_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at
FROM files WHERE project_id IS NOT NULL;
INSERT INTO application_documents (id, application_id, checklist_item_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at)
SELECT id, application_id, checklist_item_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at
FROM files WHERE application_id IS NOT NULL;
INSERT INTO support_attachments (id, request_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at)
SELECT id, support_request_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at
FROM files WHERE support_request_id IS NOT NULL;

DROP TABLE files;
