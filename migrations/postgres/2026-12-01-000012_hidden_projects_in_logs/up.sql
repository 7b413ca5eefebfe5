-- The project an audit entry or an outgoing mail is about, so that both lists hide what
-- the reader may not see of that project (a private draft's title, a file name).
ALTER TABLE audit_log ADD COLUMN project_id TEXT;
UPDATE audit_log SET project_id = object_id WHERE object_type = 'project';
UPDATE audit_log SET project_id = summary::jsonb ->> 'project_id'
    WHERE object_type IN ('project_update', 'comment', 'attachment');
CREATE INDEX audit_log_project ON audit_log (project_id);

ALTER TABLE outbox ADD COLUMN project_id TEXT;
UPDATE outbox SET project_id = (
    SELECT e.project_id FROM events e
    WHERE outbox.idempotency_key = 'instant:' || outbox.user_id || ':' || e.id)
    WHERE kind = 'instant';
