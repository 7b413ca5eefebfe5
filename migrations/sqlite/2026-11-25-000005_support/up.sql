-- Support requests: a town asks the district for help; coordinators triage, reply and resolve.
CREATE TABLE support_requests (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    opened_by TEXT REFERENCES users(id),
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    urgency TEXT NOT NULL,
    wished_date DATE,
    project_id TEXT REFERENCES projects(id),
    status TEXT NOT NULL,
    assignee_id TEXT REFERENCES users(id),
    decline_reason TEXT,
    first_response_at TIMESTAMP,
    resolved_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX support_requests_district ON support_requests (district_id, status, created_at);
CREATE INDEX support_requests_municipality ON support_requests (municipality_id, created_at);
CREATE INDEX support_requests_assignee ON support_requests (assignee_id, status);

CREATE TABLE support_messages (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES support_requests(id),
    author_id TEXT REFERENCES users(id),
    internal BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX support_messages_request ON support_messages (request_id, created_at);
