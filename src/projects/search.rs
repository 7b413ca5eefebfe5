//! German full-text search over projects and their updates. The only
//! backend-specific SQL of projects: FTS5 with trigram tokens on SQLite,
//! the `german` text search configuration with ranking on PostgreSQL.
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
    let description = crate::markdown::to_plain(&description);
    let updates = updates
        .into_iter()
        .map(|(t, b)| format!("{t} {}", crate::markdown::to_plain(&b)))
        .collect::<Vec<_>>()
        .join(" ");
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
                 setweight(to_tsvector('german', $2), 'A') || setweight(to_tsvector('german', $3), 'B') || \
                 setweight(to_tsvector('german', $4), 'C') || setweight(to_tsvector('german', $5), 'D'))",
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

/// The words of a query: letters and digits only, lower-cased.
fn terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .take(12)
        .collect()
}

/// Project ids matching `q`, best first, with a rank where higher is better.
/// Visibility is applied by the caller on these ids.
pub fn matching(conn: &mut DbConn, q: &str) -> AppResult<Vec<(String, f64)>> {
    let terms = terms(q);
    if terms.is_empty() {
        return Ok(vec![]);
    }
    let hits: Vec<Hit> = match conn {
        DbConn::Sqlite(c) => {
            // Trigrams need three characters; shorter words cannot be searched this way.
            let parts: Vec<String> = terms
                .iter()
                .filter(|t| t.chars().count() >= 3)
                .map(|t| format!("\"{t}\""))
                .collect();
            if parts.is_empty() {
                return Ok(vec![]);
            }
            diesel::sql_query(
                "SELECT project_id, -bm25(project_search, 0.0, 4.0, 2.0, 1.0, 0.5) AS rank FROM project_search \
                 WHERE project_search MATCH ? ORDER BY rank DESC LIMIT 2000",
            )
            .bind::<Text, _>(parts.join(" AND "))
            .load(c)?
        }
        DbConn::Pg(c) => {
            // Each word also matches as a prefix of a stem ("Termin" finds "Terminvergabe").
            let query = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            diesel::sql_query(
                "SELECT project_id, ts_rank(document, q)::float8 AS rank FROM project_search, to_tsquery('german', $1) q \
                 WHERE document @@ q ORDER BY rank DESC LIMIT 2000",
            )
            .bind::<Text, _>(query)
            .load(c)?
        }
    };
    Ok(hits.into_iter().map(|h| (h.project_id, h.rank)).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_terms_are_sanitised() {
        assert_eq!(
            super::terms("Schule \"; DROP TABLE x; --"),
            vec!["schule", "drop", "table", "x"]
        );
        assert!(super::terms(" *:& ").is_empty());
    }
}
