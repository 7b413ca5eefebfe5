-- EfA reuse (solutions, adoptions by towns, experience reports) and strategies
-- (goal fields with measures linked to projects).
CREATE TABLE efa_solutions (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    themenfeld_id INTEGER REFERENCES themenfelder(id),
    lead_state TEXT,
    lead_body TEXT,
    it_provider TEXT,
    status TEXT NOT NULL,
    reuse_model TEXT NOT NULL,
    reuse_conditions TEXT NOT NULL DEFAULT '',
    requirements TEXT NOT NULL DEFAULT '',
    website TEXT,
    contact TEXT,
    published BOOLEAN NOT NULL DEFAULT TRUE,
    proposed_by TEXT REFERENCES users(id),
    proposed_district_id TEXT REFERENCES districts(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX efa_solutions_name ON efa_solutions (name);
CREATE INDEX efa_solutions_themenfeld ON efa_solutions (themenfeld_id);

CREATE TABLE efa_solution_ozg (
    solution_id TEXT NOT NULL REFERENCES efa_solutions(id),
    ozg_id INTEGER NOT NULL REFERENCES ozg_services(ozg_id),
    PRIMARY KEY (solution_id, ozg_id)
);
CREATE INDEX efa_solution_ozg_ozg ON efa_solution_ozg (ozg_id);

CREATE TABLE adoptions (
    id TEXT PRIMARY KEY NOT NULL,
    solution_id TEXT NOT NULL REFERENCES efa_solutions(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    status TEXT NOT NULL,
    contact_name TEXT,
    notes TEXT NOT NULL DEFAULT '',
    decline_reason TEXT,
    project_id TEXT REFERENCES projects(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (solution_id, municipality_id)
);
CREATE INDEX adoptions_district ON adoptions (district_id, solution_id);
CREATE INDEX adoptions_municipality ON adoptions (municipality_id);

CREATE TABLE adoption_history (
    id TEXT PRIMARY KEY NOT NULL,
    adoption_id TEXT NOT NULL REFERENCES adoptions(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    changed_by TEXT REFERENCES users(id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX adoption_history_adoption ON adoption_history (adoption_id, changed_at);

CREATE TABLE experience_reports (
    id TEXT PRIMARY KEY NOT NULL,
    adoption_id TEXT NOT NULL REFERENCES adoptions(id),
    solution_id TEXT NOT NULL REFERENCES efa_solutions(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    author_id TEXT REFERENCES users(id),
    body TEXT NOT NULL,
    rating INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX experience_reports_solution ON experience_reports (solution_id, created_at);

CREATE TABLE strategies (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    municipality_id TEXT REFERENCES municipalities(id),
    title TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX strategies_district ON strategies (district_id, municipality_id);

CREATE TABLE goal_fields (
    id TEXT PRIMARY KEY NOT NULL,
    strategy_id TEXT NOT NULL REFERENCES strategies(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX goal_fields_strategy ON goal_fields (strategy_id, position);

CREATE TABLE measures (
    id TEXT PRIMARY KEY NOT NULL,
    goal_field_id TEXT NOT NULL REFERENCES goal_fields(id),
    title TEXT NOT NULL,
    owner_user_id TEXT REFERENCES users(id),
    target_date DATE,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX measures_goal_field ON measures (goal_field_id);
CREATE INDEX measures_owner ON measures (owner_user_id);

CREATE TABLE measure_projects (
    measure_id TEXT NOT NULL REFERENCES measures(id),
    project_id TEXT NOT NULL REFERENCES projects(id),
    PRIMARY KEY (measure_id, project_id)
);
CREATE INDEX measure_projects_project ON measure_projects (project_id);
