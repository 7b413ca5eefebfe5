//! Authentication and authorisation: roles, password hashing, tokens and
//! sessions, the `CurrentUser` extractor, login throttling and the permission policy.
pub mod extract;
pub mod model;
pub mod password;
pub mod policy;
pub mod queries;
pub mod throttle;
pub mod tokens;

pub use extract::CurrentUser;
pub use model::{Locale, Role};
