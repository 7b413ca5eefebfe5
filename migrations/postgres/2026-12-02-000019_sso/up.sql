-- Single sign-on (issue #20): identities at OpenID providers, login attempts, the
-- provider's session on ours (back-channel logout) and seen logout tokens.
CREATE TABLE sso_identities (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    external_id TEXT,
    managed_fields TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    scim_deleted_at TIMESTAMP
);
CREATE UNIQUE INDEX sso_identities_subject ON sso_identities (provider, subject);
CREATE UNIQUE INDEX sso_identities_external ON sso_identities (provider, external_id);
CREATE INDEX sso_identities_user ON sso_identities (user_id);

CREATE TABLE sso_login_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    provider TEXT NOT NULL,
    state_hash TEXT NOT NULL,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    status TEXT NOT NULL,
    refusal TEXT,
    link_user_id TEXT REFERENCES users(id),
    link_claims TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP
);
CREATE UNIQUE INDEX sso_login_attempts_state ON sso_login_attempts (state_hash);
CREATE INDEX sso_login_attempts_created ON sso_login_attempts (created_at);

ALTER TABLE sessions ADD COLUMN sso_provider TEXT;
ALTER TABLE sessions ADD COLUMN sso_sid TEXT;
ALTER TABLE sessions ADD COLUMN sso_subject TEXT;
CREATE INDEX sessions_sso_sid ON sessions (sso_provider, sso_sid);
CREATE INDEX sessions_sso_subject ON sessions (sso_provider, sso_subject);

CREATE TABLE sso_logout_jtis (
    provider TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider, jti)
);
