-- Search applies visibility inside the index (src/projects/search.rs): each row carries
-- scope tokens (the project's id, its visibility, its town, and its district when it is
-- district-visible), and a search matches the viewer's tokens together with the words,
-- so that only readable projects are counted and ranked, and a row is found by its
-- project's id without scanning the table. The application fills the index at start-up
-- for every project that has no row.
DROP TABLE project_search;
CREATE VIRTUAL TABLE project_search USING fts5(
    project_id UNINDEXED, title, summary, description, updates, scope,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);
