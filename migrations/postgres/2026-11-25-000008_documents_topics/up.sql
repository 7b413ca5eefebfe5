-- Programme topics from the shared topic list (replacing the unused free-text column),
-- documents on funding applications and their checklist items, attachments on support
-- requests, and the topics a user wants to hear about from the whole network.
ALTER TABLE funding_programmes DROP COLUMN topics;

CREATE TABLE funding_programme_topics (
    programme_id TEXT NOT NULL REFERENCES funding_programmes(id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL REFERENCES topics(id),
    PRIMARY KEY (programme_id, topic_id)
);
CREATE INDEX funding_programme_topics_topic ON funding_programme_topics (topic_id);

-- The bytes of every file live once under <DATA_DIR>/attachments/<sha256>.
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

CREATE TABLE notification_topics (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL REFERENCES topics(id),
    PRIMARY KEY (user_id, topic_id)
);
CREATE INDEX notification_topics_topic ON notification_topics (topic_id);
