-- Funding coordination: programmes and calls, towns' interest, joint applications with
-- shares, checklists, history, calendar tokens and the deadline reminders already recorded.
CREATE TABLE funding_programmes (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    funder TEXT NOT NULL DEFAULT '',
    administering_body TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    eligible_applicants TEXT NOT NULL DEFAULT '',
    funding_type TEXT NOT NULL DEFAULT '',
    rate_bp INTEGER,
    increased_rate_bp INTEGER,
    increased_rate_condition TEXT NOT NULL DEFAULT '',
    min_amount_cents BIGINT,
    max_amount_cents BIGINT,
    max_amount_note TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX funding_programmes_name ON funding_programmes (name);

CREATE TABLE funding_calls (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES funding_programmes(id),
    title TEXT NOT NULL,
    opens_on DATE,
    deadline_date DATE NOT NULL,
    deadline_time TIME,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX funding_calls_programme ON funding_calls (programme_id, deadline_date);
CREATE INDEX funding_calls_deadline ON funding_calls (deadline_date);

CREATE TABLE funding_interests (
    programme_id TEXT NOT NULL REFERENCES funding_programmes(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (programme_id, municipality_id)
);
CREATE INDEX funding_interests_municipality ON funding_interests (municipality_id);

CREATE TABLE funding_applications (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES funding_programmes(id),
    call_id TEXT REFERENCES funding_calls(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    lead_municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    title TEXT NOT NULL,
    total_costs_cents BIGINT NOT NULL,
    requested_cents BIGINT NOT NULL,
    approved_cents BIGINT,
    status TEXT NOT NULL,
    submitted_on DATE,
    decision_on DATE,
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX funding_applications_district ON funding_applications (district_id, status);
CREATE INDEX funding_applications_lead ON funding_applications (lead_municipality_id);

CREATE TABLE application_shares (
    application_id TEXT NOT NULL REFERENCES funding_applications(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    role TEXT NOT NULL,
    share_cents BIGINT NOT NULL,
    PRIMARY KEY (application_id, municipality_id)
);
CREATE INDEX application_shares_municipality ON application_shares (municipality_id);

CREATE TABLE application_projects (
    application_id TEXT NOT NULL REFERENCES funding_applications(id),
    project_id TEXT NOT NULL REFERENCES projects(id),
    PRIMARY KEY (application_id, project_id)
);

CREATE TABLE checklist_items (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES funding_applications(id),
    title TEXT NOT NULL,
    assignee_id TEXT REFERENCES users(id),
    due_date DATE,
    done_at TIMESTAMP,
    done_by TEXT REFERENCES users(id),
    position INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX checklist_items_application ON checklist_items (application_id, position);
CREATE INDEX checklist_items_assignee ON checklist_items (assignee_id);

CREATE TABLE application_history (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES funding_applications(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    changed_by TEXT REFERENCES users(id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX application_history_application ON application_history (application_id, changed_at);

CREATE TABLE calendar_tokens (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE deadline_reminders (
    key TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL
);
