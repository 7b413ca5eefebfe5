-- A support request may refer to a funding application (e.g. help with a Finanzierungsplan).
ALTER TABLE support_requests ADD COLUMN application_id TEXT REFERENCES funding_applications(id);
CREATE INDEX support_requests_application ON support_requests (application_id);
-- Lists sorted by last change walk this index and stop after one page.
CREATE INDEX projects_updated ON projects (updated_at, id);
