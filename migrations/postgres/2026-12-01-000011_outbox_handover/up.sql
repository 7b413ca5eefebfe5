-- When a mail was handed to the SMTP server (its content about to be written). A mail
-- handed over by a worker that then died counts as delivered: the kernel delivers what
-- was written even after the process is gone, so sending it again would duplicate it.
ALTER TABLE outbox ADD COLUMN handed_over_at TIMESTAMP;
-- A worker loads the rows it has just claimed by its claim id.
CREATE INDEX outbox_claimed_by ON outbox (claimed_by);
