//! gerbang sandbox: the RouterOS simulator and the fake upstreams (Fonnte,
//! Midtrans, Turnstile) that tests and the local demo talk to over the real
//! wire protocols. This first piece serves the RouterOS API login and
//! `/system/identity/print`, and the HTTP index at `GET /_sandbox`.

pub mod http;
pub mod routeros_sim;

use std::net::SocketAddr;

use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

/// Where the sandbox listens and how its simulated router identifies itself.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub routeros_addr: SocketAddr,
    pub http_addr: SocketAddr,
    pub router: routeros_sim::RouterConfig,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            routeros_addr: SocketAddr::from(([127, 0, 0, 1], 18728)),
            http_addr: SocketAddr::from(([127, 0, 0, 1], 18080)),
            router: routeros_sim::RouterConfig::default(),
        }
    }
}

/// A running sandbox. Dropping it does not stop it; call [`Sandbox::shutdown`].
pub struct Sandbox {
    pub routeros_addr: SocketAddr,
    pub http_addr: SocketAddr,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds both listeners (port 0 picks free ports) and starts serving.
    pub async fn start(config: SandboxConfig) -> anyhow::Result<Self> {
        let ros = TcpListener::bind(config.routeros_addr).await?;
        let http = TcpListener::bind(config.http_addr).await?;
        let routeros_addr = ros.local_addr()?;
        let http_addr = http.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let index = http::Index {
            routeros_addr,
            http_addr,
            router: config.router.clone(),
        };
        let tasks = vec![
            tokio::spawn(routeros_sim::serve(ros, config.router, stopped.clone())),
            tokio::spawn(http::serve(http, index, stopped)),
        ];
        Ok(Self {
            routeros_addr,
            http_addr,
            stop,
            tasks,
        })
    }

    /// Stops accepting, closes connections and waits for the tasks.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}
