DROP INDEX project_search_scope;
ALTER TABLE project_search DROP COLUMN scope;
DELETE FROM project_search;
