-- Projects: the shared register of project drafts, their history, discussion and events.
CREATE TABLE topics (
    id TEXT PRIMARY KEY NOT NULL,
    name_de TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO topics (id, name_de, name_en, position) VALUES
    ('verwaltung-ozg', 'Verwaltung & OZG', 'Administration & OZG', 1),
    ('bildung-schulen', 'Bildung & Schulen', 'Education & schools', 2),
    ('mobilitaet', 'Mobilität', 'Mobility', 3),
    ('infrastruktur-breitband', 'Infrastruktur & Breitband', 'Infrastructure & broadband', 4),
    ('smart-city', 'Smart City', 'Smart city', 5),
    ('it-sicherheit', 'IT-Sicherheit', 'IT security', 6),
    ('buergerservice', 'Bürgerservice', 'Citizen services', 7),
    ('daten-open-data', 'Daten & Open Data', 'Data & open data', 8);

CREATE TABLE projects (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    planned_start DATE,
    planned_end DATE,
    budget_cents BIGINT,
    contact_name TEXT,
    contact_email TEXT,
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX projects_district_visibility ON projects (district_id, visibility, updated_at);
CREATE INDEX projects_municipality ON projects (municipality_id, updated_at);
CREATE INDEX projects_visibility_updated ON projects (visibility, updated_at);
CREATE INDEX projects_status ON projects (status);
CREATE INDEX projects_title ON projects (title);

CREATE TABLE project_topics (
    project_id TEXT NOT NULL REFERENCES projects(id),
    topic_id TEXT NOT NULL REFERENCES topics(id),
    PRIMARY KEY (project_id, topic_id)
);
CREATE INDEX project_topics_topic ON project_topics (topic_id);

CREATE TABLE project_tags (
    project_id TEXT NOT NULL REFERENCES projects(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (project_id, tag)
);

CREATE TABLE project_ozg_services (
    project_id TEXT NOT NULL REFERENCES projects(id),
    ozg_id INTEGER NOT NULL REFERENCES ozg_services(ozg_id),
    PRIMARY KEY (project_id, ozg_id)
);
CREATE INDEX project_ozg_services_ozg ON project_ozg_services (ozg_id);

CREATE TABLE project_partners (
    project_id TEXT NOT NULL REFERENCES projects(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, municipality_id)
);
CREATE INDEX project_partners_municipality ON project_partners (municipality_id);

CREATE TABLE project_status_history (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    changed_by TEXT REFERENCES users(id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX project_status_history_project ON project_status_history (project_id, changed_at);

CREATE TABLE project_versions (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    version INTEGER NOT NULL,
    changed_by TEXT REFERENCES users(id),
    changed_at TIMESTAMP NOT NULL,
    changes TEXT NOT NULL,
    UNIQUE (project_id, version)
);

CREATE TABLE project_updates (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    author_id TEXT REFERENCES users(id),
    municipality_id TEXT REFERENCES municipalities(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_updates_project ON project_updates (project_id, created_at);

CREATE TABLE comments (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    update_id TEXT REFERENCES project_updates(id),
    author_id TEXT REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX comments_project ON comments (project_id, created_at);

CREATE TABLE follows (
    user_id TEXT NOT NULL REFERENCES users(id),
    project_id TEXT NOT NULL REFERENCES projects(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, project_id)
);
CREATE INDEX follows_project ON follows (project_id);

-- What happened, for notifications: actor, verb, object and the visibility scope at the time.
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    actor_id TEXT REFERENCES users(id),
    verb TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    project_id TEXT REFERENCES projects(id),
    district_id TEXT REFERENCES districts(id),
    municipality_id TEXT REFERENCES municipalities(id),
    visibility TEXT,
    target_user_id TEXT REFERENCES users(id),
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX events_created ON events (created_at, id);
CREATE INDEX events_project ON events (project_id, created_at);

-- Full-text search (PostgreSQL): the `german` configuration stems words ("Schulen" → "schul").
-- Kept up to date by the application.
CREATE TABLE project_search (
    project_id TEXT PRIMARY KEY NOT NULL REFERENCES projects(id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL,
    updates TEXT NOT NULL,
    document TSVECTOR NOT NULL
);
CREATE INDEX project_search_document ON project_search USING GIN (document);
