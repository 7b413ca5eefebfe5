//! German full-text search over projects and their updates. Both backends index the
//! same analysed text (`text::german`: folded, stemmed, compounds split), so they find
//! the same projects: FTS5 with BM25 on SQLite, the `simple` configuration with
//! `ts_rank` on PostgreSQL. Every query word matches as a prefix of a stem, or through
//! all parts of its compound. The only backend-specific SQL of projects.
//!
//! Visibility is part of the index: every row carries scope tokens ([`scope_tokens`]: the
//! project's id, its visibility, its town, and its district when it is district-visible),
//! and a search matches the words together with the tokens the viewer may read
//! ([`viewer_scope`], the same rule as `visibility::visible_to`). So the backend counts
//! and ranks only readable projects, inside the index, and returns one page: nothing is
//! read per hit outside the index, and no hidden project is ever ranked or counted.
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};

use crate::auth::model::{Actor, Role};
use crate::db::schema::{project_updates, projects};
use crate::db::DbConn;
use crate::error::AppResult;

#[derive(QueryableByName, Debug)]
struct Hit {
    #[diesel(sql_type = Text)]
    project_id: String,
    #[diesel(sql_type = Double)]
    rank: f64,
}

#[derive(QueryableByName, Debug)]
struct CountedHit {
    #[diesel(sql_type = Text)]
    project_id: String,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct RowId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Scope tokens start with this (rare in German, so that the index's two- and
/// three-letter prefixes of words stay small). The words of a query are matched in the
/// text columns only and the scope tokens in the scope column only, so no text can match
/// or name a scope token.
const SCOPE: &str = "qx";

/// One scope token: kind letter and the value in hex (ids may hold any character, the
/// token only letters and digits).
fn token(kind: char, value: &str) -> String {
    let mut t = format!("{SCOPE}{kind}");
    for b in value.bytes() {
        t.push_str(&format!("{b:02x}"));
    }
    t
}

/// The scope tokens of a project's search row: its id (to find the row), its
/// visibility, its town, and its district if it is district-visible.
pub fn scope_tokens(
    project_id: &str,
    visibility: &str,
    district_id: &str,
    municipality_id: &str,
) -> Vec<String> {
    let mut tokens = vec![
        token('p', project_id),
        format!("{SCOPE}v{visibility}"),
        token('t', municipality_id),
    ];
    if visibility == "district" {
        tokens.push(token('d', district_id));
    }
    tokens
}

/// The scope tokens of which a project `viewer` may read has at least one: the rule of
/// `visibility::visible_to` (public and network projects; for admins every project that is
/// not private; district-visible projects of the own district; everything of the own town
/// for its officers and members). `tests/api/hidden.rs` checks it against the policy.
pub fn viewer_scope(viewer: Option<&Actor>) -> Vec<String> {
    let vis = |v: &str| format!("{SCOPE}v{v}");
    let Some(a) = viewer else {
        return vec![vis("public")];
    };
    let mut tokens = vec![vis("public"), vis("network")];
    if a.role == Role::Admin {
        tokens.push(vis("district"));
        return tokens;
    }
    if let Some(d) = &a.district_id {
        tokens.push(token('d', d));
    }
    if let (Role::Officer | Role::Member, Some(town)) = (a.role, &a.municipality_id) {
        tokens.push(token('t', town));
    }
    tokens
}

/// Rewrites the search row of a project (title, summary, description, updates, scope).
pub fn reindex(conn: &mut DbConn, project_id: &str) -> AppResult<()> {
    let (title, summary, description, scope): (String, String, String, Vec<String>) =
        projects::table
            .find(project_id)
            .select((
                projects::title,
                projects::summary,
                projects::description,
                projects::visibility,
                projects::district_id,
                projects::municipality_id,
            ))
            .first::<(String, String, String, String, String, String)>(conn)
            .map(|(t, s, d, v, di, m)| (t, s, d, scope_tokens(project_id, &v, &di, &m)))?;
    let updates: Vec<(String, String)> = project_updates::table
        .filter(project_updates::project_id.eq(project_id))
        .select((project_updates::title, project_updates::body))
        .load(conn)?;
    let updates = updates
        .into_iter()
        .map(|(t, b)| format!("{t} {}", crate::markdown::to_plain(&b)))
        .collect::<Vec<_>>()
        .join(" ");
    let row = Row {
        project_id,
        title: &title,
        summary: &summary,
        description: &description,
        updates: &updates,
        scope: &scope,
    };
    write_row(conn, &row)
}

/// Indexes every project that has no search row yet (after the migration that changed
/// the index, or a restore), in batches with one query per relation.
pub fn reindex_missing(conn: &mut DbConn) -> AppResult<usize> {
    // The missing ids at once: one pass over the index, not one per batch.
    let missing: Vec<String> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT id AS project_id, 0.0 AS rank FROM projects WHERE id NOT IN (SELECT project_id FROM project_search)",
        )
        .load::<Hit>(c)?,
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT id AS project_id, 0.0::float8 AS rank FROM projects WHERE id NOT IN (SELECT project_id FROM project_search)",
        )
        .load::<Hit>(c)?,
    }
    .into_iter()
    .map(|h| h.project_id)
    .collect();
    let mut done = 0;
    for ids in missing.chunks(500) {
        type Source = (String, String, String, String, String, String, String);
        let rows: Vec<Source> = projects::table
            .filter(projects::id.eq_any(ids))
            .select((
                projects::id,
                projects::title,
                projects::summary,
                projects::description,
                projects::visibility,
                projects::district_id,
                projects::municipality_id,
            ))
            .load(conn)?;
        let mut updates: std::collections::HashMap<String, String> = Default::default();
        for (pid, t, b) in project_updates::table
            .filter(project_updates::project_id.eq_any(ids))
            .select((
                project_updates::project_id,
                project_updates::title,
                project_updates::body,
            ))
            .load::<(String, String, String)>(conn)?
        {
            let e = updates.entry(pid).or_default();
            e.push(' ');
            e.push_str(&format!("{t} {}", crate::markdown::to_plain(&b)));
        }
        crate::db::write_transaction(conn, |conn| -> AppResult<()> {
            for (id, title, summary, description, visibility, district, town) in &rows {
                let scope = scope_tokens(id, visibility, district, town);
                let row = Row {
                    project_id: id,
                    title,
                    summary,
                    description,
                    updates: updates.get(id).map(String::as_str).unwrap_or(""),
                    scope: &scope,
                };
                write_row(conn, &row)?;
            }
            Ok(())
        })?;
        done += rows.len();
    }
    Ok(done)
}

/// What one search row is made of.
struct Row<'a> {
    project_id: &'a str,
    title: &'a str,
    summary: &'a str,
    description: &'a str,
    updates: &'a str,
    scope: &'a [String],
}

/// Writes the search row of a project in place of its old row (found by its id token, so
/// without reading the other rows).
fn write_row(conn: &mut DbConn, row: &Row) -> AppResult<()> {
    use crate::text::german::index_text;
    let title = index_text(row.title);
    let summary = index_text(row.summary);
    let description = index_text(&crate::markdown::to_plain(row.description));
    let updates = index_text(row.updates);
    let scope = row.scope.join(" ");
    match conn {
        DbConn::Sqlite(c) => {
            let old: Vec<RowId> = diesel::sql_query(
                "SELECT rowid AS id FROM project_search WHERE project_search MATCH ?",
            )
            .bind::<Text, _>(format!("scope : \"{}\"", token('p', row.project_id)))
            .load(c)?;
            for r in old {
                diesel::sql_query("DELETE FROM project_search WHERE rowid = ?")
                    .bind::<BigInt, _>(r.id)
                    .execute(c)?;
            }
            diesel::sql_query("INSERT INTO project_search (project_id, title, summary, description, updates, scope) VALUES (?, ?, ?, ?, ?, ?)")
                .bind::<Text, _>(row.project_id)
                .bind::<Text, _>(&title)
                .bind::<Text, _>(&summary)
                .bind::<Text, _>(&description)
                .bind::<Text, _>(&updates)
                .bind::<Text, _>(&scope)
                .execute(c)?;
        }
        DbConn::Pg(c) => {
            diesel::sql_query("DELETE FROM project_search WHERE project_id = $1")
                .bind::<Text, _>(row.project_id)
                .execute(c)?;
            diesel::sql_query(
                "INSERT INTO project_search (project_id, title, summary, description, updates, document, scope) VALUES ($1, $2, $3, $4, $5, \
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B') || \
                 setweight(to_tsvector('simple', $4), 'C') || setweight(to_tsvector('simple', $5), 'D'), \
                 array_to_tsvector(string_to_array($6, ' ')))",
            )
            .bind::<Text, _>(row.project_id)
            .bind::<Text, _>(&title)
            .bind::<Text, _>(&summary)
            .bind::<Text, _>(&description)
            .bind::<Text, _>(&updates)
            .bind::<Text, _>(&scope)
            .execute(c)?;
        }
    }
    Ok(())
}

/// The query as groups of alternatives: per word its stem, or all parts of its compound.
/// Tokens are ASCII letters and digits after the analysis, safe in both query syntaxes.
fn groups(q: &str) -> Vec<Vec<Vec<String>>> {
    groups_of(crate::text::german::terms(q).iter().take(12))
}

/// Per word its alternatives: the stem, all parts of its compound, its synonyms.
fn groups_of<'a>(
    terms: impl Iterator<Item = &'a crate::text::german::Term>,
) -> Vec<Vec<Vec<String>>> {
    terms
        .map(|t| {
            let mut alternatives = vec![vec![t.stem.clone()]];
            if !t.parts.is_empty() {
                alternatives.push(t.parts.clone());
            }
            // Words of the same meaning (OpenThesaurus): "Grabstelle" also finds "Grab".
            for syn in crate::text::german::synonyms(&t.stem) {
                alternatives.push(vec![syn.to_string()]);
            }
            alternatives
        })
        .filter(|g| {
            g.iter()
                .flatten()
                .all(|tok| tok.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .collect()
}

/// Up to `limit` projects `viewer` may read whose title or summary has any of `terms`
/// (each as in a search: stem, all parts of its compound or a synonym, as prefixes), best
/// first (BM25 on SQLite, `ts_rank` on PostgreSQL): the candidates of similar hints, found
/// in the whole network inside the index. Nothing outside the viewer's scope is ranked.
pub fn any_of(
    conn: &mut DbConn,
    viewer: Option<&Actor>,
    terms: &[crate::text::german::Term],
    limit: i64,
) -> AppResult<Vec<String>> {
    let groups = groups_of(terms.iter());
    if groups.is_empty() {
        return Ok(vec![]);
    }
    let scope = viewer_scope(viewer);
    let hits: Vec<Hit> = match conn {
        DbConn::Sqlite(c) => {
            let words = render(&groups, "\"{}\"*", " AND ", " OR ", " OR ");
            let scope: Vec<String> = scope.iter().map(|t| format!("\"{t}\"")).collect();
            diesel::sql_query(
                "SELECT project_id, 0.0 AS rank FROM project_search WHERE project_search MATCH ? \
                 ORDER BY bm25(project_search, 0.0, 4.0, 2.0, 1.0, 0.5, 0.0), rowid LIMIT ?",
            )
            .bind::<Text, _>(format!(
                "{{title summary}} : ({words}) AND scope : ({})",
                scope.join(" OR ")
            ))
            .bind::<BigInt, _>(limit)
            .load(c)?
        }
        DbConn::Pg(c) => {
            // `:*AB`: a prefix in the title (weight A) or summary (B).
            let words = render(&groups, "{}:*AB", " & ", " | ", " | ");
            let scope: Vec<String> = scope.iter().map(|t| format!("'{t}'")).collect();
            diesel::sql_query(
                "SELECT project_id, ts_rank(document, q)::float8 AS rank \
                 FROM project_search, to_tsquery('simple', $1) q \
                 WHERE document @@ q AND scope @@ CAST($2 AS tsquery) \
                 ORDER BY rank DESC, project_id LIMIT $3",
            )
            .bind::<Text, _>(words)
            .bind::<Text, _>(scope.join(" | "))
            .bind::<BigInt, _>(limit)
            .load(c)?
        }
    };
    Ok(hits.into_iter().map(|h| h.project_id).collect())
}

/// `(a* OR (b* AND c*)) AND …` in FTS5 or tsquery syntax; `join` links the words.
fn render(groups: &[Vec<Vec<String>>], prefix: &str, and: &str, or: &str, join: &str) -> String {
    groups
        .iter()
        .map(|alternatives| {
            let alts: Vec<String> = alternatives
                .iter()
                .map(|parts| {
                    let p: Vec<String> = parts.iter().map(|t| prefix.replace("{}", t)).collect();
                    format!("({})", p.join(and))
                })
                .collect();
            format!("({})", alts.join(or))
        })
        .collect::<Vec<_>>()
        .join(join)
}

/// A search text compiled for the backend at hand: the match expression with all words
/// (`all`) and with any of them (`any`, the fallback when no visible project has them all).
pub struct Compiled {
    sqlite: bool,
    all: String,
    any: Option<String>,
}

/// Compiles `q`; `None` if it has no searchable word.
pub fn compile(conn: &DbConn, q: &str) -> Option<Compiled> {
    let groups = groups(q);
    if groups.is_empty() {
        return None;
    }
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    let render_with = |join_fts: &str, join_ts: &str| {
        if sqlite {
            render(&groups, "\"{}\"*", " AND ", " OR ", join_fts)
        } else {
            render(&groups, "{}:*", " & ", " | ", join_ts)
        }
    };
    Some(Compiled {
        sqlite,
        all: render_with(" AND ", " & "),
        any: (groups.len() > 1).then(|| render_with(" OR ", " | ")),
    })
}

impl Compiled {
    /// The expression to use: all words, or any of them when `all_found` is false.
    pub fn expression(&self, all_found: bool) -> Option<&str> {
        if all_found {
            Some(&self.all)
        } else {
            self.any.as_deref()
        }
    }

    /// The match of `expression` among the projects `viewer` may read, for SQLite: the
    /// words in the text columns and one of the viewer's scope tokens. For PostgreSQL the
    /// words and the scope as two tsqueries.
    fn scoped(&self, expression: &str, viewer: Option<&Actor>) -> (String, String) {
        let scope = viewer_scope(viewer);
        if self.sqlite {
            let scope: Vec<String> = scope.iter().map(|t| format!("\"{t}\"")).collect();
            (
                format!(
                    "{{title summary description updates}} : ({expression}) AND scope : ({})",
                    scope.join(" OR ")
                ),
                String::new(),
            )
        } else {
            let scope: Vec<String> = scope.iter().map(|t| format!("'{t}'")).collect();
            (expression.to_string(), scope.join(" | "))
        }
    }

    /// `projects.id IN (matching rows viewer may read)`, to put into the project query
    /// itself, so that the other filters apply in the database and counts are exact.
    pub fn filter(
        &self,
        viewer: Option<&Actor>,
        expression: &str,
    ) -> Box<
        dyn BoxableExpression<
            projects::table,
            super::visibility::Backend,
            SqlType = diesel::sql_types::Bool,
        >,
    > {
        use diesel::dsl::sql;
        let (words, scope) = self.scoped(expression, viewer);
        if self.sqlite {
            Box::new(
                sql::<diesel::sql_types::Bool>(
                    "projects.id IN (SELECT project_id FROM project_search WHERE project_search MATCH ",
                )
                .bind::<Text, _>(words)
                .sql(")"),
            )
        } else {
            Box::new(
                sql::<diesel::sql_types::Bool>(
                    "projects.id IN (SELECT project_id FROM project_search WHERE document @@ to_tsquery('simple', ",
                )
                .bind::<Text, _>(words)
                .sql(") AND scope @@ CAST(")
                .bind::<Text, _>(scope)
                .sql(" AS tsquery))"),
            )
        }
    }

    /// How many projects `viewer` may read match `expression`: counted in the index.
    pub fn count(
        &self,
        conn: &mut DbConn,
        viewer: Option<&Actor>,
        expression: &str,
    ) -> AppResult<i64> {
        let (words, scope) = self.scoped(expression, viewer);
        let n: Count = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(
                "SELECT count(*) AS n FROM project_search WHERE project_search MATCH ?",
            )
            .bind::<Text, _>(words)
            .get_result(c)?,
            DbConn::Pg(c) => diesel::sql_query(
                "SELECT count(*) AS n FROM project_search \
                 WHERE document @@ to_tsquery('simple', $1) AND scope @@ CAST($2 AS tsquery)",
            )
            .bind::<Text, _>(words)
            .bind::<Text, _>(scope)
            .get_result(c)?,
        };
        Ok(n.n)
    }

    /// How many projects `viewer` may read match `expression`, and one page of them, best
    /// first: counted and ranked inside the index (BM25 on SQLite, `ts_rank` on
    /// PostgreSQL), and only the page's rows leave it. Equal ranks in the order of the
    /// index rows (SQLite) or of the ids (PostgreSQL).
    pub fn page(
        &self,
        conn: &mut DbConn,
        viewer: Option<&Actor>,
        expression: &str,
        offset: i64,
        limit: i64,
    ) -> AppResult<(i64, Vec<String>)> {
        if let DbConn::Pg(c) = conn {
            // One pass: the count comes with the ranked rows (a window over all of them).
            let (words, scope) = self.scoped(expression, viewer);
            let hits: Vec<CountedHit> = diesel::sql_query(
                "SELECT project_id, count(*) OVER () AS total, ts_rank(document, q)::float8 AS rank \
                 FROM project_search, to_tsquery('simple', $1) q \
                 WHERE document @@ q AND scope @@ CAST($2 AS tsquery) \
                 ORDER BY rank DESC, project_id LIMIT $3 OFFSET $4",
            )
            .bind::<Text, _>(words)
            .bind::<Text, _>(scope)
            .bind::<BigInt, _>(limit)
            .bind::<BigInt, _>(offset)
            .load(c)?;
            if let Some(first) = hits.first() {
                let total = first.total;
                return Ok((total, hits.into_iter().map(|h| h.project_id).collect()));
            }
            // Nothing on this page: none at all, or a page past the end.
            return Ok((self.count(conn, viewer, expression)?, vec![]));
        }
        let total = self.count(conn, viewer, expression)?;
        if total <= offset {
            return Ok((total, vec![]));
        }
        let (words, _) = self.scoped(expression, viewer);
        let DbConn::Sqlite(c) = conn else {
            unreachable!("PostgreSQL answered above")
        };
        let hits: Vec<Hit> = diesel::sql_query(
            "SELECT project_id, 0.0 AS rank FROM project_search WHERE project_search MATCH ? \
             ORDER BY bm25(project_search, 0.0, 4.0, 2.0, 1.0, 0.5, 0.0), rowid LIMIT ? OFFSET ?",
        )
        .bind::<Text, _>(words)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(c)?;
        Ok((total, hits.into_iter().map(|h| h.project_id).collect()))
    }

    /// The rank (higher is better) of every project `viewer` may read matching
    /// `expression`, for a search with further filters.
    pub fn ranks(
        &self,
        conn: &mut DbConn,
        viewer: Option<&Actor>,
        expression: &str,
    ) -> AppResult<std::collections::HashMap<String, f64>> {
        let (words, scope) = self.scoped(expression, viewer);
        let hits: Vec<Hit> = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(
                "SELECT project_id, -bm25(project_search, 0.0, 4.0, 2.0, 1.0, 0.5, 0.0) AS rank FROM project_search \
                 WHERE project_search MATCH ?",
            )
            .bind::<Text, _>(words)
            .load(c)?,
            DbConn::Pg(c) => diesel::sql_query(
                "SELECT project_id, ts_rank(document, q)::float8 AS rank FROM project_search, to_tsquery('simple', $1) q \
                 WHERE document @@ q AND scope @@ CAST($2 AS tsquery)",
            )
            .bind::<Text, _>(words)
            .bind::<Text, _>(scope)
            .load(c)?,
        };
        Ok(hits.into_iter().map(|h| (h.project_id, h.rank)).collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn scope_tokens_are_single_words_that_name_their_values_apart() {
        let tokens = super::scope_tokens("p-1", "district", "d 1", "m/1");
        assert_eq!(tokens.len(), 4);
        for t in &tokens {
            assert!(t.chars().all(|c| c.is_ascii_alphanumeric()), "{t}");
        }
        // Hex keeps values apart that differ only in characters a tokenizer drops.
        assert_ne!(super::token('t', "a-b"), super::token('t', "ab"));
        // Only district-visible projects carry their district.
        assert_eq!(super::scope_tokens("p", "private", "d", "m").len(), 3);
        assert_eq!(super::viewer_scope(None), vec!["qxvpublic".to_string()]);
    }

    #[test]
    fn queries_are_sanitised_and_compounds_become_alternatives() {
        let g = super::groups("Schule \"; DROP TABLE x; --");
        let fts = super::render(&g, "\"{}\"*", " AND ", " OR ", " AND ");
        assert!(!fts.contains(';') && !fts.contains("--"), "{fts}");
        assert!(super::groups(" *:& ").is_empty());
        let g = super::groups("Förderantrag");
        assert_eq!(g.len(), 1);
        assert!(g[0].len() >= 2, "stem or both parts: {g:?}");
        let ts = super::render(&g, "{}:*", " & ", " | ", " & ");
        assert!(ts.contains(" | ") && ts.contains(" & "), "{ts}");
    }
}
