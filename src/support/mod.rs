//! Support requests: a town asks the district for help; coordinators assign,
//! reply (public) or note (internal), and resolve. Response times are measured.
pub mod attachments;
pub mod model;
pub mod queries;
pub mod routes;
