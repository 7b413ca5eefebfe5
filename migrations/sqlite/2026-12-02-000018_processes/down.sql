-- Knowledge-page attachments go with the register; files is rebuilt without process_id.
DELETE FROM files WHERE process_id IS NOT NULL;
CREATE TABLE files_old (
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
INSERT INTO files_old (id, project_id, update_id, application_id, checklist_item_id, support_request_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at)
SELECT id, project_id, update_id, application_id, checklist_item_id, support_request_id, uploaded_by, file_name, content_type, size_bytes, sha256, created_at
FROM files;
DROP TABLE files;
ALTER TABLE files_old RENAME TO files;
CREATE INDEX files_project ON files (project_id, created_at);
CREATE INDEX files_application ON files (application_id, created_at);
CREATE INDEX files_support_request ON files (support_request_id, created_at);
CREATE INDEX files_sha256 ON files (sha256);
CREATE INDEX files_update ON files (update_id);
CREATE INDEX files_checklist_item ON files (checklist_item_id);

DROP TABLE process_search;
DROP TABLE continuity_exercises;
DROP TABLE continuity_sheets;
DROP TABLE process_profiles;
DROP TABLE process_differences;
DROP TABLE process_models;
DROP TABLE process_projects;
DROP TABLE process_offices;
DROP TABLE processes;
