//! Full-text search over processes and their knowledge pages, with the same analysis
//! and query syntax as the project search (`projects::search`): FTS5 on SQLite,
//! tsvector on PostgreSQL, in the table `process_search`. The only backend-specific SQL
//! of the register.
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::visibility::Filter;
use crate::db::schema::processes;
use crate::db::DbConn;
use crate::error::AppResult;

/// Rewrites the search row of the process `id` (name and key; knowledge page, legal
/// basis, forms and IT systems).
pub fn reindex(conn: &mut DbConn, id: &str) -> AppResult<()> {
    use crate::text::german::index_text;
    type Texts = (String, Option<String>, String, String, String, String);
    let (name, key, knowledge, legal, forms, systems): Texts = processes::table
        .find(id)
        .select((
            processes::name,
            processes::leika_key,
            processes::knowledge,
            processes::legal_basis,
            processes::forms,
            processes::it_systems,
        ))
        .first(conn)?;
    let name = index_text(&format!("{name} {}", key.unwrap_or_default()));
    let body = index_text(&format!(
        "{} {legal} {forms} {systems}",
        crate::markdown::to_plain(&knowledge)
    ));
    match conn {
        DbConn::Sqlite(c) => {
            diesel::sql_query("DELETE FROM process_search WHERE process_id = ?")
                .bind::<Text, _>(id)
                .execute(c)?;
            diesel::sql_query(
                "INSERT INTO process_search (process_id, name, body) VALUES (?, ?, ?)",
            )
            .bind::<Text, _>(id)
            .bind::<Text, _>(&name)
            .bind::<Text, _>(&body)
            .execute(c)?;
        }
        DbConn::Pg(c) => {
            diesel::sql_query("DELETE FROM process_search WHERE process_id = $1")
                .bind::<Text, _>(id)
                .execute(c)?;
            diesel::sql_query(
                "INSERT INTO process_search (process_id, name, body, document) VALUES ($1, $2, $3, \
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'C'))",
            )
            .bind::<Text, _>(id)
            .bind::<Text, _>(&name)
            .bind::<Text, _>(&body)
            .execute(c)?;
        }
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Missing {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Indexes every process without a search row (after a data migration or a restore,
/// which do not copy the index); returns how many.
pub fn reindex_missing(conn: &mut DbConn) -> AppResult<usize> {
    let sql = "SELECT id FROM processes WHERE id NOT IN (SELECT process_id FROM process_search)";
    let ids: Vec<Missing> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql).load(c)?,
    };
    if ids.is_empty() {
        return Ok(0);
    }
    crate::db::write_transaction(conn, |conn| -> AppResult<()> {
        for m in &ids {
            reindex(conn, &m.id)?;
        }
        Ok(())
    })?;
    Ok(ids.len())
}

/// `processes.id IN (processes matching q)`; `None` if `q` has no searchable word.
pub fn matching<QS: 'static>(conn: &DbConn, q: &str) -> Option<Filter<QS>> {
    let compiled = crate::projects::search::compile(conn, q)?;
    let expression = compiled.expression(true)?.to_string();
    let (head, tail) = match conn {
        DbConn::Sqlite(_) => (
            "processes.id IN (SELECT process_id FROM process_search WHERE process_search MATCH ",
            ")",
        ),
        DbConn::Pg(_) => (
            "processes.id IN (SELECT process_id FROM process_search WHERE document @@ to_tsquery('simple', ",
            "))",
        ),
    };
    Some(Box::new(
        sql::<Bool>(head).bind::<Text, _>(expression).sql(tail),
    ))
}
