//! A small pool of logged-in sessions per router.

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};

use crate::{client::Client, client::Config, error::Error};

/// Default number of sessions per router (the router allows 20 API sessions
/// in total, shared with Winbox and monitoring).
pub const DEFAULT_MAX_SIZE: usize = 4;

/// Creates sessions and drops the ones the router closed.
pub struct Manager {
    config: Config,
}

impl managed::Manager for Manager {
    type Type = Client;
    type Error = Error;

    async fn create(&self) -> Result<Client, Error> {
        Client::connect(&self.config).await
    }

    async fn recycle(&self, client: &mut Client, _: &Metrics) -> RecycleResult<Error> {
        if client.is_closed() {
            return Err(RecycleError::message("session closed by the router"));
        }
        Ok(())
    }
}

/// The pool type.
pub type Pool = managed::Pool<Manager>;

/// A pool of at most `max_size` sessions to one router.
pub fn pool(config: Config, max_size: usize) -> Pool {
    let timeout = Some(config.connect_timeout);
    managed::Pool::builder(Manager { config })
        .max_size(max_size.max(1))
        .wait_timeout(timeout)
        .create_timeout(timeout)
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .expect("runtime is set, so timeouts are allowed")
}
