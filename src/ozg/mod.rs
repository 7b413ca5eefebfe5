//! The OZG catalogue (Themenfelder, Lebenslagen, OZG services, LeiKa services):
//! browsing it, and importing it and the towns from the reference CSV files.
pub mod import;
pub mod model;
pub mod queries;
pub mod routes;
