//! Integration tests against the real server, each on SQLite and on PostgreSQL.
mod common;

mod accounts;
mod auth;
mod backup;
mod balancer;
mod config;
mod documents;
mod efa;
mod exports;
mod funding;
mod hidden;
mod input;
mod legal;
mod metrics;
mod migrate;
mod notify;
mod openapi;
mod orgs;
mod ozg;
mod projects;
mod search_quality;
mod shutdown;
mod support;
mod totals;
mod usage;
