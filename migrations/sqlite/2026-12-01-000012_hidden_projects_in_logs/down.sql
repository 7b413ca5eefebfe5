DROP INDEX audit_log_project;
ALTER TABLE audit_log DROP COLUMN project_id;
ALTER TABLE outbox DROP COLUMN project_id;
