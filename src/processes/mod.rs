//! Interkommunales Prozessregister (issue #18): a district's processes with their
//! knowledge pages, BPMN models (reference versions and the towns' local variants with
//! their differences), profiles for joint priorities and continuity sheets.
pub mod attachments;
pub mod bpmn;
pub mod continuity;
pub mod model;
pub mod offline;
pub mod priority_routes;
pub mod profiles;
pub mod queries;
pub mod routes;
pub mod search;
pub mod visibility;
