DROP TABLE project_search;
CREATE VIRTUAL TABLE project_search USING fts5(
    project_id UNINDEXED, title, summary, description, updates,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);
