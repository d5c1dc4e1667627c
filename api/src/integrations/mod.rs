//! One client per upstream, each wrapping the shared `reqwest::Client` with its
//! base URL and timeout from settings (the sandbox fakes in development).

pub mod fonnte;
pub mod midtrans;
pub mod routers;
pub mod turnstile;

use std::time::Duration;

/// The shared HTTP client: connection reuse, no redirects to surprise hosts.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("gerbang/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("static reqwest configuration is valid")
}
