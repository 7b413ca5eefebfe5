//! Digitalnetzwerk: the platform on which the towns of a district share project
//! drafts, reuse EfA solutions, coordinate funding and ask the district for support.
pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod efa;
pub mod error;
pub mod events;
pub mod export;
pub mod files;
pub mod funding;
pub mod i18n;
pub mod legal;
pub mod mail;
pub mod markdown;
pub mod metrics;
pub mod notify;
pub mod openapi_descriptions;
pub mod ops;
pub mod orgs;
pub mod ozg;
#[cfg(test)]
mod properties;
pub mod projects;
pub mod request_id;
pub mod secret;
pub mod seed;
pub mod shutdown;
pub mod state;
pub mod strategy;
pub mod support;
pub mod text;
pub mod usage;
pub mod users;
