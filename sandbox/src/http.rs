//! The sandbox's HTTP side. `GET /_sandbox` lists what the sandbox serves,
//! so a developer (and the dev script) can see where to point gerbang.

use std::net::SocketAddr;

use poem::{
    get, handler,
    listener::TcpAcceptor,
    web::{Data, Json},
    EndpointExt, Route, Server,
};
use serde::Serialize;
use tokio::{net::TcpListener, sync::watch};

use crate::routeros_sim::RouterConfig;

/// What the index reports.
#[derive(Clone)]
pub struct Index {
    pub routeros_addr: SocketAddr,
    pub http_addr: SocketAddr,
    pub router: RouterConfig,
}

#[derive(Serialize)]
struct Service {
    name: &'static str,
    protocol: &'static str,
    address: String,
    notes: String,
}

#[derive(Serialize)]
struct Listing {
    name: &'static str,
    version: &'static str,
    services: Vec<Service>,
}

#[handler]
fn index(Data(ix): Data<&Index>) -> Json<Listing> {
    Json(Listing {
        name: "gerbang-sandbox",
        version: env!("CARGO_PKG_VERSION"),
        services: vec![
            Service {
                name: "routeros-api",
                protocol: "RouterOS binary API (modern login)",
                address: ix.routeros_addr.to_string(),
                notes: format!(
                    "identity {}, user {}, password {}",
                    ix.router.identity, ix.router.username, ix.router.password
                ),
            },
            Service {
                name: "sandbox-index",
                protocol: "HTTP",
                address: format!("http://{}/_sandbox", ix.http_addr),
                notes: "this listing".into(),
            },
        ],
    })
}

/// Serves HTTP until `stop` turns true.
pub async fn serve(listener: TcpListener, index_data: Index, mut stop: watch::Receiver<bool>) {
    let app = Route::new().at("/_sandbox", get(index)).data(index_data);
    let acceptor = match TcpAcceptor::from_tokio(listener) {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "sandbox http listener unusable");
            return;
        }
    };
    let stopped = async move {
        let _ = stop.changed().await;
    };
    if let Err(e) = Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(app, stopped, None)
        .await
    {
        tracing::error!(error = %e, "sandbox http server failed");
    }
}
