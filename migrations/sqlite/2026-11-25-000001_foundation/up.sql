-- Foundation: organisations, accounts, sessions, audit log and the OZG catalogue.
CREATE TABLE districts (
    id TEXT PRIMARY KEY NOT NULL,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE municipalities (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    ags TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    population INTEGER,
    website TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX municipalities_district_name ON municipalities (district_id, name);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'de',
    district_id TEXT REFERENCES districts(id),
    municipality_id TEXT REFERENCES municipalities(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);
CREATE INDEX users_district ON users (district_id, name);
CREATE INDEX users_municipality ON users (municipality_id, name);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'de',
    district_id TEXT REFERENCES districts(id),
    municipality_id TEXT REFERENCES municipalities(id),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX invitations_district ON invitations (district_id, created_at);
CREATE INDEX invitations_municipality ON invitations (municipality_id, created_at);

CREATE TABLE password_resets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    actor_id TEXT REFERENCES users(id),
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    district_id TEXT REFERENCES districts(id),
    municipality_id TEXT REFERENCES municipalities(id),
    summary TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at, id);
CREATE INDEX audit_log_district_created ON audit_log (district_id, created_at, id);

CREATE TABLE themenfelder (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    lead_state TEXT,
    lead_note TEXT
);

CREATE TABLE lebenslagen (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    themenfeld_id INTEGER NOT NULL REFERENCES themenfelder(id)
);
CREATE INDEX lebenslagen_themenfeld ON lebenslagen (themenfeld_id);

CREATE TABLE ozg_services (
    ozg_id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    themenfeld_id INTEGER NOT NULL REFERENCES themenfelder(id),
    lebenslage_id INTEGER REFERENCES lebenslagen(id),
    leika_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ozg_services_themenfeld ON ozg_services (themenfeld_id, ozg_id);

CREATE TABLE leika_services (
    id INTEGER PRIMARY KEY NOT NULL,
    leika_key TEXT,
    name TEXT NOT NULL,
    typisierung TEXT,
    ozg_id INTEGER REFERENCES ozg_services(ozg_id)
);
CREATE INDEX leika_services_ozg ON leika_services (ozg_id);
