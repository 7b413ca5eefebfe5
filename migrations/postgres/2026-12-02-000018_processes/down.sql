DELETE FROM files WHERE process_id IS NOT NULL;
DROP INDEX files_process;
ALTER TABLE files DROP CONSTRAINT files_one_owner;
ALTER TABLE files DROP COLUMN process_id;
ALTER TABLE files ADD CONSTRAINT files_one_owner CHECK (num_nonnulls(project_id, application_id, support_request_id) = 1);

DROP TABLE process_search;
DROP TABLE continuity_exercises;
DROP TABLE continuity_sheets;
DROP TABLE process_profiles;
DROP TABLE process_differences;
DROP TABLE process_models;
DROP TABLE process_projects;
DROP TABLE process_offices;
DROP TABLE processes;
