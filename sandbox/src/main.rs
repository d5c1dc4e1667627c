use std::net::SocketAddr;

use clap::Parser;
use sandbox::{RouterConfig, RouterSpec, Sandbox, SandboxConfig};

/// gerbang-sandbox: simulated MikroTik routers and fake upstreams for local use and tests.
#[derive(Parser)]
#[command(name = "gerbang-sandbox", version)]
struct Cli {
    /// RouterOS API listen address of the first router (api-ssl on the next port); more routers take the following pairs of ports.
    #[arg(long, env = "SANDBOX_ROUTEROS_ADDR", default_value = "127.0.0.1:18728")]
    routeros_addr: SocketAddr,
    /// How many simulated routers to run.
    #[arg(long, env = "SANDBOX_ROUTERS", default_value_t = 1)]
    routers: u16,
    /// HTTP listen address (login servlet, control, fakes, index at /_sandbox).
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
    let routers = (0..cli.routers.max(1))
        .map(|i| RouterSpec {
            name: format!("router{}", i + 1),
            api_addr: SocketAddr::new(cli.routeros_addr.ip(), cli.routeros_addr.port() + 2 * i),
            api_ssl_addr: Some(SocketAddr::new(
                cli.routeros_addr.ip(),
                cli.routeros_addr.port() + 2 * i + 1,
            )),
            config: RouterConfig {
                identity: if i == 0 {
                    "gerbang-sandbox".into()
                } else {
                    format!("gerbang-sandbox-{}", i + 1)
                },
                ..RouterConfig::default()
            },
        })
        .collect();
    let sandbox = match Sandbox::start(SandboxConfig {
        http_addr: cli.http_addr,
        routers,
    })
    .await
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gerbang-sandbox: {e:#}");
            std::process::exit(1);
        }
    };
    for r in &sandbox.routers {
        println!(
            "gerbang-sandbox: {} RouterOS API on {} (admin/sandbox)",
            r.name, r.api_addr
        );
    }
    println!(
        "gerbang-sandbox: HTTP on http://{}/_sandbox (hotspot login at /login)",
        sandbox.http_addr
    );
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
}
