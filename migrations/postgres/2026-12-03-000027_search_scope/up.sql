-- Search applies visibility inside the index (src/projects/search.rs): each row carries
-- scope lexemes (the project's id, its visibility, its town, and its district when it is
-- district-visible) in a tsvector of their own, so that only readable projects are
-- counted and ranked; `ts_rank` still reads only `document`. The application fills the
-- index at start-up for every project that has no row.
DELETE FROM project_search;
ALTER TABLE project_search ADD COLUMN scope TSVECTOR NOT NULL;
CREATE INDEX project_search_scope ON project_search USING GIN (scope);
