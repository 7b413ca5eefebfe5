DROP INDEX audit_log_process;
ALTER TABLE audit_log DROP COLUMN process_id;
