-- Notifications: in-app feed, per-user preferences, digests, the mail outbox and worker leases.
ALTER TABLE events ADD COLUMN processed_at TIMESTAMP;
CREATE INDEX events_unprocessed ON events (processed_at, created_at);

CREATE TABLE notification_settings (
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE digest_settings (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    frequency TEXT NOT NULL,
    weekday INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    enabled BOOLEAN NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    event_id TEXT NOT NULL REFERENCES events(id),
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    project_id TEXT REFERENCES projects(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    digested_at TIMESTAMP,
    UNIQUE (user_id, event_id)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_digest ON notifications (user_id, mode, digested_at);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    user_id TEXT REFERENCES users(id),
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT,
    body_html TEXT,
    headers TEXT NOT NULL,
    message_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    failed_at TIMESTAMP,
    last_error TEXT,
    smtp_response TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at);

CREATE TABLE digest_runs (
    user_id TEXT NOT NULL REFERENCES users(id),
    period_key TEXT NOT NULL,
    outbox_id TEXT REFERENCES outbox(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, period_key)
);

CREATE TABLE unsubscribe_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE worker_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT,
    lease_until TIMESTAMP
);
INSERT INTO worker_leases (name, holder, lease_until) VALUES ('events', NULL, NULL), ('digests', NULL, NULL);
