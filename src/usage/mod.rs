//! Nutzungsmonitor: monthly usage figures per town, service and channel (CSV import,
//! manual grid, push API with town tokens), the views on them, sharing, and the Reifegrad.
pub mod cells;
pub mod import;
pub mod model;
pub mod params;
pub mod queries;
pub mod routes;
pub mod seed;
pub mod views;
