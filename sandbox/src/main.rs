use std::net::SocketAddr;

use clap::Parser;
use sandbox::{Sandbox, SandboxConfig};

/// gerbang-sandbox: a simulated MikroTik router and fake upstreams for local use and tests.
#[derive(Parser)]
#[command(name = "gerbang-sandbox", version)]
struct Cli {
    /// RouterOS API listen address.
    #[arg(long, env = "SANDBOX_ROUTEROS_ADDR", default_value = "127.0.0.1:18728")]
    routeros_addr: SocketAddr,
    /// HTTP listen address (fakes and the index at /_sandbox).
    #[arg(long, env = "SANDBOX_HTTP_ADDR", default_value = "127.0.0.1:18080")]
    http_addr: SocketAddr,
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = SandboxConfig {
        routeros_addr: cli.routeros_addr,
        http_addr: cli.http_addr,
        ..Default::default()
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gerbang-sandbox: {e:#}");
            std::process::exit(1);
        }
    };
    println!(
        "gerbang-sandbox: RouterOS API on {} (admin/sandbox), HTTP on http://{}/_sandbox",
        sandbox.routeros_addr, sandbox.http_addr
    );
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
}
