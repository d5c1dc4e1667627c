//! gerbang server library: the `gerbang` binary is a thin CLI over it, and the
//! integration tests build the same application in-process.

pub mod crypto;
pub mod db;
pub mod error;
pub mod http;
pub mod identity;
pub mod integrations;
pub mod kv;
pub mod router_cli;
pub mod routes;
pub mod secret;
pub mod services;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod worker;

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested");
}
