//! Integration tests against the real server, each on SQLite and on PostgreSQL.
mod common;

mod accounts;
mod auth;
mod documents;
mod efa;
mod exports;
mod funding;
mod hidden;
mod input;
mod notify;
mod openapi;
mod orgs;
mod ozg;
mod projects;
mod search_quality;
mod support;
