DROP TABLE worker_leases;
DROP TABLE unsubscribe_tokens;
DROP TABLE digest_runs;
DROP TABLE outbox;
DROP TABLE notifications;
DROP TABLE digest_settings;
DROP TABLE notification_settings;
DROP INDEX events_unprocessed;
ALTER TABLE events DROP COLUMN processed_at;
