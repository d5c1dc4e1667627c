//! `gerbang serve`: binds, serves, and shuts down cleanly.

use std::{net::SocketAddr, time::Duration};

use anyhow::Context;
use poem::{listener::TcpAcceptor, Server};
use tokio::net::TcpListener as TokioListener;

use crate::{http, settings::Settings, state::AppState};

/// A bound, ready-to-run server (port 0 in tests).
pub struct Application {
    addr: SocketAddr,
    listener: TokioListener,
    state: AppState,
}

impl Application {
    /// Connects dependencies (fail fast), applies migrations, binds the port.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let state = AppState::connect(settings).await?;
        crate::db::migrate(&state.settings.database).await?;
        let bind = state.settings.http.bind;
        let listener = TokioListener::bind(bind)
            .await
            .with_context(|| format!("cannot listen on {bind}"))?;
        let addr = listener.local_addr()?;
        Ok(Self {
            addr,
            listener,
            state,
        })
    }

    /// The shared state (tests use it to reach the database directly).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` resolves, then drains in-flight requests.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let limiter = self.state.public_writes.clone();
        let pruner = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                limiter.shrink();
            }
        });
        let kv = self.state.kv.clone();
        let acceptor = TcpAcceptor::from_tokio(self.listener)?;
        let app = http::app(self.state);
        tracing::info!(addr = %self.addr, "serving");
        let result = Server::new_with_acceptor(acceptor)
            .run_with_graceful_shutdown(app, shutdown, Some(Duration::from_secs(10)))
            .await;
        pruner.abort();
        kv.quit().await;
        result.context("HTTP server failed")
    }
}
