-- Interkommunales Prozessregister (issue #18): processes with offices, project links and a
-- knowledge page; BPMN models (reference versions, local variants) and their differences;
-- profiles per town and year; continuity sheets and exercises; knowledge attachments in files.

CREATE TABLE processes (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    owner_municipality_id TEXT REFERENCES municipalities(id),
    name TEXT NOT NULL,
    leika_key TEXT,
    ozg_id INTEGER,
    themenfeld_id INTEGER REFERENCES themenfelder(id),
    legal_basis TEXT NOT NULL DEFAULT '',
    forms TEXT NOT NULL DEFAULT '',
    it_systems TEXT NOT NULL DEFAULT '',
    efa_solution_id TEXT REFERENCES efa_solutions(id),
    knowledge TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX processes_district_name ON processes (district_id, name);
CREATE INDEX processes_leika_key ON processes (leika_key);
CREATE INDEX processes_owner ON processes (owner_municipality_id);
CREATE INDEX processes_visibility ON processes (visibility, district_id);

-- The responsible office of a town for a process.
CREATE TABLE process_offices (
    process_id TEXT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    office TEXT NOT NULL,
    PRIMARY KEY (process_id, municipality_id)
);
CREATE INDEX process_offices_town ON process_offices (municipality_id);

CREATE TABLE process_projects (
    process_id TEXT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    project_id TEXT NOT NULL REFERENCES projects(id),
    PRIMARY KEY (process_id, project_id)
);
CREATE INDEX process_projects_project ON process_projects (project_id);

-- BPMN 2.0 models: versions of the shared reference, and each town's local variants
-- derived from a reference version. `activities` is the JSON array [{id, name, type}]
-- extracted at upload; `is_current` marks the newest version per (process, kind, town).
CREATE TABLE process_models (
    id TEXT PRIMARY KEY NOT NULL,
    process_id TEXT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reference', 'local')),
    municipality_id TEXT REFERENCES municipalities(id),
    version_no INTEGER NOT NULL,
    derived_from TEXT REFERENCES process_models(id),
    file_name TEXT NOT NULL,
    xml TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    activities TEXT NOT NULL,
    is_current BOOLEAN NOT NULL DEFAULT TRUE,
    uploaded_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT process_models_local_town CHECK ((kind = 'local') = (municipality_id IS NOT NULL)),
    CONSTRAINT process_models_local_derived CHECK (kind = 'reference' OR derived_from IS NOT NULL)
);
CREATE UNIQUE INDEX process_models_version ON process_models (process_id, kind, COALESCE(municipality_id, ''), version_no);
CREATE INDEX process_models_current ON process_models (process_id, is_current, kind);
CREATE INDEX process_models_derived ON process_models (derived_from);
CREATE INDEX process_models_town ON process_models (municipality_id, process_id);

CREATE TABLE process_differences (
    id TEXT PRIMARY KEY NOT NULL,
    model_id TEXT NOT NULL REFERENCES process_models(id) ON DELETE CASCADE,
    activity_id TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('added', 'removed', 'renamed')),
    reference_name TEXT,
    local_name TEXT,
    reason TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'adapted' CHECK (state IN ('adopted', 'adapted', 'own_process')),
    updated_by TEXT REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX process_differences_model ON process_differences (model_id);

-- Steckbrief per town and year (issue #18, joint priorities).
CREATE TABLE process_profiles (
    process_id TEXT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    year INTEGER NOT NULL,
    annual_cases INTEGER NOT NULL CHECK (annual_cases >= 0),
    minutes_per_case INTEGER NOT NULL CHECK (minutes_per_case >= 0),
    staff_fte_hundredths INTEGER NOT NULL DEFAULT 0 CHECK (staff_fte_hundredths >= 0),
    online_share_percent INTEGER CHECK (online_share_percent IS NULL OR (online_share_percent >= 0 AND online_share_percent <= 100)),
    updated_by TEXT REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (process_id, municipality_id, year)
);
CREATE INDEX process_profiles_year ON process_profiles (year, process_id);
CREATE INDEX process_profiles_town ON process_profiles (municipality_id, year);

-- Notfallkarte per process and town.
CREATE TABLE continuity_sheets (
    process_id TEXT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    criticality TEXT NOT NULL CHECK (criticality IN ('A', 'B', 'C')),
    max_outage_hours INTEGER NOT NULL CHECK (max_outage_hours >= 0),
    fallback_kind TEXT NOT NULL CHECK (fallback_kind IN ('paper', 'manual', 'partner')),
    fallback TEXT NOT NULL DEFAULT '',
    partner_municipality_id TEXT REFERENCES municipalities(id),
    contacts TEXT NOT NULL DEFAULT '',
    systems TEXT NOT NULL DEFAULT '',
    confirmed_at TIMESTAMP,
    updated_by TEXT REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (process_id, municipality_id)
);
CREATE INDEX continuity_sheets_town ON continuity_sheets (municipality_id, confirmed_at);

CREATE TABLE continuity_exercises (
    id TEXT PRIMARY KEY NOT NULL,
    process_id TEXT NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    date DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX continuity_exercises_town_date ON continuity_exercises (municipality_id, date);
CREATE INDEX continuity_exercises_process ON continuity_exercises (process_id, municipality_id, date);

-- Search over processes and their knowledge pages (the analysed text, as project_search).
CREATE TABLE process_search (
    process_id TEXT PRIMARY KEY NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    document TSVECTOR NOT NULL
);
CREATE INDEX process_search_document ON process_search USING GIN (document);

-- files gains process_id (knowledge-page attachments).
ALTER TABLE files ADD COLUMN process_id TEXT REFERENCES processes(id) ON DELETE CASCADE;
ALTER TABLE files DROP CONSTRAINT files_one_owner;
ALTER TABLE files ADD CONSTRAINT files_one_owner CHECK (num_nonnulls(project_id, application_id, support_request_id, process_id) = 1);
CREATE INDEX files_process ON files (process_id, created_at);
