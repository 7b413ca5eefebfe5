//! Organisations: districts (Kreise) and their municipalities (towns, and the district administration).
pub mod model;
pub mod queries;
pub mod routes;
