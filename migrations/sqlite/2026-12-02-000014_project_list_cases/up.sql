-- The project list reads each visibility case as an index-ordered range
-- (src/projects/visibility.rs `visible_cases`); a town's private drafts are one of them.
CREATE INDEX projects_municipality_visibility ON projects (municipality_id, visibility, updated_at);
