//! The one test harness: the app on a real port with its own database and
//! Redis prefix ([`app`]), the sandbox world ([`world`]), the router as a test
//! reads it ([`router`]), typed verbs of admins and residents ([`verbs`]) and
//! a small WebDriver client ([`webdriver`]). Test files import from here and
//! never from each other.

pub mod app;
pub mod router;
pub mod verbs;
pub mod webdriver;
pub mod world;

pub use app::*;
pub use router::*;
pub use verbs::*;
pub use world::*;
