//! EfA reuse: the catalogue of Einer-für-Alle solutions, each town's adoption with
//! its life cycle and history, experience reports, the district's adoption matrix
//! and the OZG coverage of towns and districts.
pub mod coverage;
pub mod model;
pub mod queries;
pub mod routes;
pub mod seed;
