DROP INDEX outbox_claimed_by;
ALTER TABLE outbox DROP COLUMN handed_over_at;
