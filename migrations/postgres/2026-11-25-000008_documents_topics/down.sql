DROP TABLE notification_topics;
DROP TABLE support_attachments;
DROP TABLE application_documents;
DROP TABLE funding_programme_topics;
ALTER TABLE funding_programmes ADD COLUMN topics TEXT NOT NULL DEFAULT '';
