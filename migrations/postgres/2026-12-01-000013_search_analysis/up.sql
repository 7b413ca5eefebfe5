-- The search index holds the analysed text (folded, stemmed, compounds split; see
-- src/text/german.rs) with the `simple` configuration, the same tokens as on SQLite.
-- The application fills it at start-up for every project that has no row.
DELETE FROM project_search;
