DROP INDEX projects_updated;
DROP INDEX support_requests_application;
ALTER TABLE support_requests DROP COLUMN application_id;
