//! User accounts: sign-in and sessions, listing and editing users, invitations, and the
//! signed-in user's own profile and data.
pub mod invitations;
pub mod me;
pub mod model;
pub mod queries;
pub mod routes;
pub mod session;
