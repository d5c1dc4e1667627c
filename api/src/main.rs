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
    /// Write a backup of the database (pg_dump, custom format) to a file.
    Backup {
        /// Where to write it, e.g. gerbang-2026-11-30.dump
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into the configured database, which must be empty.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Manage staff and admin accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Router setup: the provisioning script, and a check of a live router.
    #[command(subcommand)]
    Router(RouterCommand),
    /// Load the local demo's data (a router for the simulator, `admin` /
    /// `gerbang-demo`, resident 081200000001 with 5 GB for 30 days).
    Demo {
        /// The simulated router's API address.
        #[arg(long, default_value = "127.0.0.1:18728")]
        router: String,
        #[arg(long, default_value = "admin")]
        router_user: String,
        #[arg(long, default_value = "sandbox")]
        router_password: String,
        /// The hotspot login page (the sandbox servlet).
        #[arg(long, default_value = "http://127.0.0.1:18080/login")]
        login_url: String,
    },
}

#[derive(Subcommand)]
enum RouterCommand {
    /// Print the RouterOS script the router needs (profiles, walled garden,
    /// firewall rule, login.html, DHCP option 114). Safe to run twice.
    Provision {
        /// The router's name in gerbang.
        router: String,
    },
    /// Read the live router and report what is missing or different
    /// (exit status 2 when something is).
    Check {
        router: String,
    },
    /// Add a router after a passing connection test (nothing is saved when it
    /// fails). The API password is read from GERBANG_ROUTER_PASSWORD, else
    /// from the first line of stdin.
    Add {
        name: String,
        #[command(flatten)]
        settings: RouterFlags,
    },
    /// Change a router (only what is given); tested before saving. With
    /// --new-password the password is read like `add`'s.
    Edit {
        name: String,
        /// A new name.
        #[arg(long)]
        rename: Option<String>,
        #[arg(long)]
        new_password: bool,
        #[command(flatten)]
        settings: RouterFlags,
    },
    /// Every router, disabled ones too.
    List,
    /// The worker and the live views leave a disabled router alone.
    Disable {
        name: String,
    },
    Enable {
        name: String,
    },
}

/// Connection settings of `router add` / `router edit`.
#[derive(clap::Args)]
struct RouterFlags {
    /// Address of the router's API service.
    #[arg(long)]
    host: Option<String>,
    /// 8728 (api), or 8729 with --fingerprint (api-ssl).
    #[arg(long)]
    port: Option<i32>,
    /// The API account (default `gerbang`, the provisioning script's).
    #[arg(long)]
    user: Option<String>,
    /// SHA-256 of the router's certificate: connect with api-ssl and pin it.
    #[arg(long)]
    fingerprint: Option<String>,
    /// `hotspot_login` (default) or `bypass`.
    #[arg(long)]
    mode: Option<String>,
    /// The router's login page, e.g. http://10.5.50.1/login.
    #[arg(long)]
    login_url: Option<String>,
    /// The hotspot server's name on the router.
    #[arg(long)]
    hotspot_server: Option<String>,
    /// New registrations go to this router.
    #[arg(long)]
    default: bool,
}

/// A secret from the environment, else the first line of stdin.
fn secret_from(var: &str) -> anyhow::Result<String> {
    match std::env::var(var) {
        Ok(p) => Ok(p),
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            Ok(line.trim_end_matches(['\r', '\n']).to_owned())
        }
    }
}

fn router_args(
    name: String,
    flags: RouterFlags,
    password: Option<String>,
) -> anyhow::Result<api::router_cli::RouterArgs> {
    let mode = match flags.mode.as_deref() {
        None => None,
        Some("hotspot_login") => Some(shared_types::LoginMode::HotspotLogin),
        Some("bypass") => Some(shared_types::LoginMode::Bypass),
        Some(other) => anyhow::bail!("--mode is hotspot_login or bypass, not {other:?}"),
    };
    Ok(api::router_cli::RouterArgs {
        name,
        rename: None,
        host: flags.host,
        port: flags.port,
        user: flags.user,
        fingerprint: flags.fingerprint,
        mode,
        login_url: flags.login_url,
        hotspot_server: flags.hotspot_server,
        default: flags.default,
        password,
    })
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin account (or reset its password). The password is read
    /// from GERBANG_ADMIN_PASSWORD, else from the first line of stdin.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// WhatsApp number for registration notices (08…).
        #[arg(long)]
        phone: Option<String>,
        /// `super_admin`, `admin` or `staff`.
        #[arg(long, default_value = "super_admin")]
        role: String,
    },
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
        Command::Backup { out } => {
            api::db::backup::dump(&settings.database, &out)?;
            println!("backup written to {}", out.display());
            Ok(())
        }
        Command::Restore { from } => {
            api::db::backup::restore(&settings.database, &from).await?;
            println!(
                "restored {}; start gerbang serve and worker",
                from.display()
            );
            Ok(())
        }
        Command::Admin(AdminCommand::Create {
            username,
            name,
            phone,
            role,
        }) => {
            let role = shared_types::Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("unknown role {role:?}"))?;
            let password = secret_from("GERBANG_ADMIN_PASSWORD")?;
            let state = AppState::connect(settings).await?;
            api::db::migrate(&state.settings.database).await?;
            let id = api::services::accounts::create_admin(
                &state,
                &username.to_lowercase(),
                &name,
                phone.as_deref(),
                zeroize::Zeroizing::new(password),
                role,
            )
            .await?;
            println!("account {username} ready ({id})");
            Ok(())
        }
        Command::Router(RouterCommand::Add {
            name,
            settings: flags,
        }) => {
            let password = secret_from("GERBANG_ROUTER_PASSWORD")?;
            let args = router_args(name, flags, Some(password))?;
            let state = AppState::connect(settings).await?;
            api::db::migrate(&state.settings.database).await?;
            api::router_cli::add(&state, args).await
        }
        Command::Router(RouterCommand::Edit {
            name,
            rename,
            new_password,
            settings: flags,
        }) => {
            let password = if new_password {
                Some(secret_from("GERBANG_ROUTER_PASSWORD")?)
            } else {
                None
            };
            let mut args = router_args(name, flags, password)?;
            args.rename = rename;
            let state = AppState::connect(settings).await?;
            api::router_cli::edit(&state, args).await
        }
        Command::Router(RouterCommand::List) => {
            let state = AppState::connect(settings).await?;
            api::router_cli::list(&state).await
        }
        Command::Router(RouterCommand::Disable { name }) => {
            let state = AppState::connect(settings).await?;
            api::router_cli::set_disabled(&state, &name, true).await
        }
        Command::Router(RouterCommand::Enable { name }) => {
            let state = AppState::connect(settings).await?;
            api::router_cli::set_disabled(&state, &name, false).await
        }
        Command::Router(cmd) => {
            let name = match &cmd {
                RouterCommand::Provision { router } | RouterCommand::Check { router } => {
                    router.clone()
                }
                _ => unreachable!("handled above"),
            };
            let state = AppState::connect(settings).await?;
            let router = {
                let db = state.db.get().await?;
                let id = api::db::routers::id_by_name(&db, &name)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no router named {name:?}"))?;
                api::db::routers::by_id(&db, id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no router named {name:?}"))?
            };
            match cmd {
                RouterCommand::Provision { .. } => {
                    print!(
                        "{}",
                        api::services::provision::script(
                            &state.settings,
                            &*state.facility().await,
                            &router
                        )
                    );
                }
                RouterCommand::Check { .. } => {
                    let client = state.routers.client(&router).await?;
                    let checks = api::services::provision::check_router(
                        &state.settings,
                        &*state.facility().await,
                        &client,
                        &router,
                    )
                    .await?;
                    for c in &checks {
                        println!(
                            "{} {:<40} {}",
                            if c.ok { "ok  " } else { "MISS" },
                            c.item,
                            c.detail
                        );
                        if let Some(fix) = &c.fix {
                            for line in fix.lines() {
                                println!("     fix: {line}");
                            }
                        }
                    }
                    if checks.iter().any(|c| !c.ok) {
                        std::process::exit(2);
                    }
                }
                _ => unreachable!("handled above"),
            }
            Ok(())
        }
        Command::Demo {
            router,
            router_user,
            router_password,
            login_url,
        } => {
            if settings.environment == api::settings::Environment::Production {
                anyhow::bail!(
                    "`gerbang demo` creates a super admin with a known password and is for \
                     development only; in production use `gerbang admin create` and \
                     `gerbang router add` (README, \"First run in production\")"
                );
            }
            let (host, port) = router
                .rsplit_once(':')
                .and_then(|(h, p)| Some((h.to_owned(), p.parse::<u16>().ok()?)))
                .ok_or_else(|| anyhow::anyhow!("--router must be host:port"))?;
            let state = AppState::connect(settings).await?;
            api::db::migrate(&state.settings.database).await?;
            api::services::accounts::seed_demo(
                &state,
                &api::services::accounts::DemoRouter {
                    host: &host,
                    port,
                    username: &router_user,
                    password: &router_password,
                    login_url: &login_url,
                },
            )
            .await?;
            println!(
                "demo data ready: admin / gerbang-demo, teacher guru / guru-demo-2026, resident 081200000001"
            );
            Ok(())
        }
    }
}
