-- Files on projects and updates; the bytes live under <DATA_DIR>/attachments/<sha256>.
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
