//! Projects: the shared register of project drafts with visibility, status life
//! cycle and history, partners, progress updates, comments, follows, search,
//! similar-project hints, CSV export and the public showcase.
pub mod attachments;
pub mod model;
pub mod queries;
pub mod routes;
pub mod search;
pub mod similar;
pub mod visibility;
