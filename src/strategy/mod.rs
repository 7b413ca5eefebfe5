//! Digitalisation strategies of a district and of each town: goal fields with
//! measures linked to projects; progress is computed from the measures, never stored.
pub mod model;
pub mod queries;
pub mod routes;
