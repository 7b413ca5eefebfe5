-- The process an audit entry is about, so that the audit list hides entries about a
-- process the reader may not read (a town's own register entry), as it does for projects.
ALTER TABLE audit_log ADD COLUMN process_id TEXT;
UPDATE audit_log SET process_id = object_id WHERE object_type = 'process';
UPDATE audit_log SET process_id = json_extract(summary, '$.process_id')
    WHERE object_type = 'attachment' AND json_valid(summary)
      AND json_extract(summary, '$.process_id') IS NOT NULL;
CREATE INDEX audit_log_process ON audit_log (process_id);
