//! gerbang sandbox: the RouterOS simulator and the fake upstreams (Fonnte,
//! Midtrans, Turnstile) that tests and the local demo talk to over the real
//! wire protocols.
//!
//! - [`routeros_sim`]: simulated RouterOS v7 hotspot routers (binary API,
//!   hotspot behaviour, virtual clock and LAN, faults); several per process.
//! - [`http`]: the sandbox HTTP port — `GET /_sandbox` index, the hotspot
//!   login servlet (`/login`, PAP and CHAP), and control under `/_sandbox/routeros/…`.

pub mod fakes;
pub mod http;
pub mod midtrans;
pub mod routeros_sim;

use std::net::SocketAddr;

use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

pub use routeros_sim::{Router, RouterConfig};

/// One simulated router and where its API listens.
#[derive(Debug, Clone)]
pub struct RouterSpec {
    pub name: String,
    pub api_addr: SocketAddr,
    /// The api-ssl service (TLS with the bundled self-signed certificate), if any.
    pub api_ssl_addr: Option<SocketAddr>,
    pub config: RouterConfig,
}

/// Where the sandbox listens. The first router also answers the hotspot
/// login servlet at `/login`.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub http_addr: SocketAddr,
    pub routers: Vec<RouterSpec>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            http_addr: SocketAddr::from(([127, 0, 0, 1], 18080)),
            routers: vec![RouterSpec {
                name: "router1".into(),
                api_addr: SocketAddr::from(([127, 0, 0, 1], 18728)),
                api_ssl_addr: Some(SocketAddr::from(([127, 0, 0, 1], 18729))),
                config: RouterConfig::default(),
            }],
        }
    }
}

impl SandboxConfig {
    /// Everything on free loopback ports (tests), with `n` routers.
    pub fn ephemeral(n: usize) -> Self {
        Self {
            http_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            routers: (1..=n)
                .map(|i| RouterSpec {
                    name: format!("router{i}"),
                    api_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                    api_ssl_addr: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
                    config: RouterConfig {
                        identity: format!("gerbang-sandbox-{i}"),
                        seed: 0x5eed_0000 + i as u64,
                        ..RouterConfig::default()
                    },
                })
                .collect(),
        }
    }
}

/// A running simulated router.
#[derive(Clone)]
pub struct SimRouter {
    pub name: String,
    pub api_addr: SocketAddr,
    pub api_ssl_addr: Option<SocketAddr>,
    pub router: Router,
}

/// A running sandbox. Call [`Sandbox::shutdown`] to stop it.
pub struct Sandbox {
    pub http_addr: SocketAddr,
    /// The fake Fonnte and Turnstile state (inbox, minted tokens, switches).
    pub fakes: fakes::Fakes,
    pub routers: Vec<SimRouter>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds every listener (port 0 picks free ports) and starts serving.
    pub async fn start(config: SandboxConfig) -> anyhow::Result<Self> {
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        let mut routers = Vec::new();
        for spec in config.routers {
            let listener = TcpListener::bind(spec.api_addr).await?;
            let api_addr = listener.local_addr()?;
            let router = Router::new(spec.config);
            tasks.push(tokio::spawn(routeros_sim::serve(
                listener,
                router.clone(),
                stopped.clone(),
                None,
            )));
            let mut api_ssl_addr = None;
            if let Some(addr) = spec.api_ssl_addr {
                let tls_listener = TcpListener::bind(addr).await?;
                api_ssl_addr = Some(tls_listener.local_addr()?);
                tasks.push(tokio::spawn(routeros_sim::serve(
                    tls_listener,
                    router.clone(),
                    stopped.clone(),
                    Some(routeros_sim::tls_acceptor()),
                )));
            }
            routers.push(SimRouter {
                name: spec.name,
                api_addr,
                api_ssl_addr,
                router,
            });
        }
        let http = TcpListener::bind(config.http_addr).await?;
        let http_addr = http.local_addr()?;
        let fakes = fakes::Fakes::default();
        tasks.push(tokio::spawn(http::serve(
            http,
            http_addr,
            routers.clone(),
            fakes.clone(),
            stopped,
        )));
        Ok(Self {
            http_addr,
            fakes,
            routers,
            stop,
            tasks,
        })
    }

    /// The first router (the one behind `/login`).
    pub fn router(&self) -> &SimRouter {
        &self.routers[0]
    }

    /// Stops accepting, closes connections and waits for the tasks.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}
