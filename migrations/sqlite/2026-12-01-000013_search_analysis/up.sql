-- The search index holds the analysed text (folded, stemmed, compounds split; see
-- src/text/german.rs) instead of the raw text with trigrams: whole tokens, so that
-- "KI" and "IT" can be searched, with prefix indexes for typing. The application
-- fills it at start-up for every project that has no row.
DROP TABLE project_search;
CREATE VIRTUAL TABLE project_search USING fts5(
    project_id UNINDEXED, title, summary, description, updates,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);
