use std::path::PathBuf;

use api::{routes, settings::Settings, startup::Application, state::AppState, telemetry};
use clap::{Parser, Subcommand};

/// gerbang: MikroTik hotspot management for closed communities.
#[derive(Parser)]
#[command(name = "gerbang", version)]
struct Cli {
    /// Settings file (TOML); also GERBANG_CONFIG. Environment GERBANG__SECTION__KEY overrides it.
    #[arg(long, global = true, env = "GERBANG_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (default 127.0.0.1:8080).
    Serve,
    /// Run background jobs (router reconciliation, accounting, expiry, retention).
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the OpenAPI document to stdout.
    Openapi,
}

fn main() {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        print!("{}", routes::spec_json());
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if let Err(e) = runtime.block_on(run(cli)) {
        eprintln!("gerbang: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(&settings);
    match cli.command {
        Command::Serve => {
            let app = Application::build(settings).await?;
            app.run_until(api::shutdown_signal()).await
        }
        Command::Worker => {
            let state = AppState::connect(settings).await?;
            api::db::migrate(&state.settings.database).await?;
            api::worker::run(state, api::shutdown_signal()).await;
            Ok(())
        }
        Command::Migrate => {
            let applied = api::db::migrate(&settings.database).await?;
            if applied.is_empty() {
                println!("database is up to date");
            } else {
                println!("applied {} migration(s): {:?}", applied.len(), applied);
            }
            Ok(())
        }
        Command::Openapi => unreachable!("handled before the runtime starts"),
    }
}
