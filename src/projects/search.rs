//! German full-text search over projects and their updates. Both backends index the
//! same analysed text (`text::german`: folded, stemmed, compounds split), so they find
//! the same projects: FTS5 with BM25 on SQLite, the `simple` configuration with
//! `ts_rank` on PostgreSQL. Every query word matches as a prefix of a stem, or through
//! all parts of its compound. The only backend-specific SQL of projects.
use diesel::prelude::*;
use diesel::sql_types::{Double, Text};

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

/// Rewrites the search row of a project (title, summary, description, updates).
pub fn reindex(conn: &mut DbConn, project_id: &str) -> AppResult<()> {
    let (title, summary, description): (String, String, String) = projects::table
        .find(project_id)
        .select((projects::title, projects::summary, projects::description))
        .first(conn)?;
    let updates: Vec<(String, String)> = project_updates::table
        .filter(project_updates::project_id.eq(project_id))
        .select((project_updates::title, project_updates::body))
        .load(conn)?;
    let updates = updates
        .into_iter()
        .map(|(t, b)| format!("{t} {}", crate::markdown::to_plain(&b)))
        .collect::<Vec<_>>()
        .join(" ");
    write_row(conn, project_id, &title, &summary, &description, &updates)
}

/// Indexes every project that has no search row yet (after the migration that changed
/// the analysis, or a restore), in batches with one query per relation.
pub fn reindex_missing(conn: &mut DbConn) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let ids: Vec<String> = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(
                "SELECT id AS project_id, 0.0 AS rank FROM projects WHERE id NOT IN (SELECT project_id FROM project_search) LIMIT 500",
            )
            .load::<Hit>(c)?,
            DbConn::Pg(c) => diesel::sql_query(
                "SELECT id AS project_id, 0.0::float8 AS rank FROM projects WHERE id NOT IN (SELECT project_id FROM project_search) LIMIT 500",
            )
            .load::<Hit>(c)?,
        }
        .into_iter()
        .map(|h| h.project_id)
        .collect();
        if ids.is_empty() {
            return Ok(done);
        }
        let rows: Vec<(String, String, String, String)> = projects::table
            .filter(projects::id.eq_any(&ids))
            .select((
                projects::id,
                projects::title,
                projects::summary,
                projects::description,
            ))
            .load(conn)?;
        let mut updates: std::collections::HashMap<String, String> = Default::default();
        for (pid, t, b) in project_updates::table
            .filter(project_updates::project_id.eq_any(&ids))
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
            for (id, title, summary, description) in &rows {
                let u = updates.get(id).map(String::as_str).unwrap_or("");
                write_row(conn, id, title, summary, description, u)?;
            }
            Ok(())
        })?;
        done += rows.len();
    }
}

fn write_row(
    conn: &mut DbConn,
    project_id: &str,
    title: &str,
    summary: &str,
    description: &str,
    updates: &str,
) -> AppResult<()> {
    use crate::text::german::index_text;
    let title = index_text(title);
    let summary = index_text(summary);
    let description = index_text(&crate::markdown::to_plain(description));
    let updates = index_text(updates);
    match conn {
        DbConn::Sqlite(c) => {
            diesel::sql_query("DELETE FROM project_search WHERE project_id = ?")
                .bind::<Text, _>(project_id)
                .execute(c)?;
            diesel::sql_query("INSERT INTO project_search (project_id, title, summary, description, updates) VALUES (?, ?, ?, ?, ?)")
                .bind::<Text, _>(project_id)
                .bind::<Text, _>(&title)
                .bind::<Text, _>(&summary)
                .bind::<Text, _>(&description)
                .bind::<Text, _>(&updates)
                .execute(c)?;
        }
        DbConn::Pg(c) => {
            diesel::sql_query("DELETE FROM project_search WHERE project_id = $1")
                .bind::<Text, _>(project_id)
                .execute(c)?;
            diesel::sql_query(
                "INSERT INTO project_search (project_id, title, summary, description, updates, document) VALUES ($1, $2, $3, $4, $5, \
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B') || \
                 setweight(to_tsvector('simple', $4), 'C') || setweight(to_tsvector('simple', $5), 'D'))",
            )
            .bind::<Text, _>(project_id)
            .bind::<Text, _>(&title)
            .bind::<Text, _>(&summary)
            .bind::<Text, _>(&description)
            .bind::<Text, _>(&updates)
            .execute(c)?;
        }
    }
    Ok(())
}

/// The query as groups of alternatives: per word its stem, or all parts of its compound.
/// Tokens are ASCII letters and digits after the analysis, safe in both query syntaxes.
fn groups(q: &str) -> Vec<Vec<Vec<String>>> {
    crate::text::german::terms(q)
        .into_iter()
        .take(12)
        .map(|t| {
            let mut alternatives = vec![vec![t.stem.clone()]];
            if !t.parts.is_empty() {
                alternatives.push(t.parts.clone());
            }
            // Words of the same meaning (OpenThesaurus): "Grabstelle" also finds "Grab".
            for syn in crate::text::german::synonyms(&t.stem) {
                alternatives.push(vec![syn.clone()]);
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

    /// `projects.id IN (matching rows)`, to put into the project query itself, so that
    /// visibility and the other filters apply in the database and counts are exact.
    pub fn filter(
        &self,
        expression: &str,
    ) -> Box<
        dyn BoxableExpression<
            projects::table,
            super::visibility::Backend,
            SqlType = diesel::sql_types::Bool,
        >,
    > {
        use diesel::dsl::sql;
        let head = if self.sqlite {
            "projects.id IN (SELECT project_id FROM project_search WHERE project_search MATCH "
        } else {
            "projects.id IN (SELECT project_id FROM project_search WHERE document @@ to_tsquery('simple', "
        };
        let tail = if self.sqlite { ")" } else { "))" };
        Box::new(
            sql::<diesel::sql_types::Bool>(head)
                .bind::<Text, _>(expression.to_string())
                .sql(tail),
        )
    }

    /// The rank (higher is better) of every project matching `expression`.
    pub fn ranks(
        &self,
        conn: &mut DbConn,
        expression: &str,
    ) -> AppResult<std::collections::HashMap<String, f64>> {
        let hits: Vec<Hit> = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(
                "SELECT project_id, -bm25(project_search, 0.0, 4.0, 2.0, 1.0, 0.5) AS rank FROM project_search \
                 WHERE project_search MATCH ?",
            )
            .bind::<Text, _>(expression)
            .load(c)?,
            DbConn::Pg(c) => diesel::sql_query(
                "SELECT project_id, ts_rank(document, q)::float8 AS rank FROM project_search, to_tsquery('simple', $1) q \
                 WHERE document @@ q",
            )
            .bind::<Text, _>(expression)
            .load(c)?,
        };
        Ok(hits.into_iter().map(|h| (h.project_id, h.rank)).collect())
    }
}

#[cfg(test)]
mod tests {
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
