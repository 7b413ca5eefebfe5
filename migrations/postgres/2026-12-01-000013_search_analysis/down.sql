DELETE FROM project_search;
