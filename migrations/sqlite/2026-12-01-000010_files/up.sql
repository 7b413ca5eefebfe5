-- One table for every uploaded file instead of one per capability (project attachments,
-- application documents, support request attachments): each row belongs to exactly one
-- owner, and inside a project to an update or inside an application to a checklist item.
-- The bytes stay where they are, under <DATA_DIR>/attachments/<sha256>.
CREATE TABLE files (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT REFERENCES projects(id),
    update_id TEXT REFERENCES project_updates(id),
    application_id TEXT REFERENCES funding_applications(id) ON DELETE CASCADE,
    checklist_item_id TEXT REFERENCES checklist_items(id) ON DELETE SET NULL,
    support_request_id TEXT REFERENCES support_requests(id) ON DELETE CASCADE,
    uploaded_by TEXT REFERENCES users(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT files_one_owner CHECK ((project_id IS NOT NULL) + (application_id IS NOT NULL) + (support_request_id IS NOT NULL) = 1),
    CONSTRAINT files_update_in_project CHECK (update_id IS NULL OR project_id IS NOT NULL),
    CONSTRAINT files_item_in_application CHECK (checklist_item_id IS NULL OR application_id IS NOT NULL)
);
CREATE INDEX files_project ON files (project_id, created_at);
CREATE INDEX files_application ON files (application_id, created_at);
CREATE INDEX files_support_request ON files (support_request_id, created_at);
CREATE INDEX files_sha256 ON files (sha256);
-- Deleting an update or a checklist item looks up its files.
CREATE INDEX files_update ON files (update_id);
CREATE INDEX files_checklist_item ON files (checklist_item_id);

INSERT INTO files (id, project_id, update_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at)
SELECT id, project_id, update_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at
FROM attachments;
INSERT INTO files (id, application_id, checklist_item_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at)
SELECT id, application_id, checklist_item_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at
FROM application_documents;
INSERT INTO files (id, support_request_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at)
SELECT id, request_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at
FROM support_attachments;

DROP TABLE support_attachments;
DROP TABLE application_documents;
DROP TABLE attachments;
