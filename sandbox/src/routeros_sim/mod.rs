//! A RouterOS v7 hotspot router, simulated: the binary API from the router's
//! side, the hotspot menus and behaviour (docs/routeros.md), a virtual
//! clock and LAN, version profiles and fault injection (docs/routeros.md,
//! "What the simulator models").
//!
//! Tests use it as a library ([`spawn`], then [`Router`] methods); the
//! `gerbang-sandbox` binary serves it with HTTP control under `/_sandbox/routeros/…`.

mod hotspot;
pub mod query;
mod session;
pub mod state;
pub mod tables;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use routeros::Sentence;
use serde::{Deserialize, Serialize};
use tokio::{
    net::TcpListener,
    sync::{broadcast, watch, Mutex},
    task::JoinHandle,
};

pub use hotspot::{LoginBy, LoginRefused};
use state::{Change, Replies, State};

/// Which RouterOS generation to imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Version {
    /// 7.18 and later: `!empty` for empty results, ISO dates.
    #[default]
    V7_18Plus,
    /// 7.x before 7.18: no `!empty`.
    V7Pre18,
    /// 6.x before 6.43: MD5 challenge login, `hh:mm:ss` durations.
    V6Legacy,
}

impl Version {
    pub fn has_empty(self) -> bool {
        self == Version::V7_18Plus
    }

    /// How a stored value prints in this version.
    pub fn render_value(self, name: &str, v: &str) -> String {
        if self == Version::V6Legacy && matches!(name, "uptime" | "idle-time" | "session-time-left")
        {
            if let Ok(Some(d)) = routeros::value::parse_duration(v) {
                let s = d.as_secs();
                let (days, h, m, sec) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
                return if days > 0 {
                    format!("{days}d{h:02}:{m:02}:{sec:02}")
                } else {
                    format!("{h:02}:{m:02}:{sec:02}")
                };
            }
        }
        v.to_owned()
    }
}

/// Identity, API credentials, version and limits of one simulated router.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct RouterConfig {
    pub identity: String,
    pub username: String,
    #[serde(skip_serializing)]
    pub password: String,
    pub version: Version,
    /// `/ip/service` `max-sessions` of the api service (default 20).
    pub max_sessions: usize,
    /// Seed for `.id` starts and CHAP challenges (repeatable tests).
    pub seed: u64,
}

impl Default for RouterConfig {
    fn default() -> Self {
        Self {
            identity: "gerbang-sandbox".into(),
            username: "admin".into(),
            password: "sandbox".into(),
            version: Version::V7_18Plus,
            max_sessions: 20,
            seed: 0x5eed_1234,
        }
    }
}

/// Faults to inject into API sessions (docs/routeros.md, "What the simulator models").
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Faults {
    /// Delay before answering each command.
    pub latency_ms: u64,
    /// One-shot: the next command is answered with `!fatal <reason>` and the socket closes.
    pub fatal_next: Option<String>,
    /// One-shot: the next `print` sends this many rows, then the socket closes.
    pub drop_after_rows: Option<usize>,
    /// Write replies in chunks of this many bytes, flushing each.
    pub split_writes: Option<usize>,
    /// Shuffle the attribute words (and `.tag`) of every reply.
    pub shuffle_attributes: bool,
    /// Refuse every login as if the password were wrong.
    pub reject_logins: bool,
    /// Answer no command at all until cancelled (`/cancel`) — for timeout tests.
    pub stall: bool,
}

struct Inner {
    config: Mutex<RouterConfig>,
    state: Mutex<State>,
    faults: Mutex<Faults>,
    sessions: std::sync::atomic::AtomicUsize,
    changes: broadcast::Sender<Change>,
}

/// A handle on one simulated router. Cheap to clone.
#[derive(Clone)]
pub struct Router {
    inner: Arc<Inner>,
}

impl Router {
    pub fn new(config: RouterConfig) -> Self {
        let state = State::new(config.version, &config.identity, config.seed);
        Self {
            inner: Arc::new(Inner {
                config: Mutex::new(config),
                state: Mutex::new(state),
                faults: Mutex::new(Faults::default()),
                sessions: std::sync::atomic::AtomicUsize::new(0),
                changes: broadcast::channel(4096).0,
            }),
        }
    }

    pub async fn config(&self) -> RouterConfig {
        self.inner.config.lock().await.clone()
    }

    /// Runs `f` on the state and publishes the changes it made to listeners.
    pub async fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.inner.state.lock().await;
        let out = f(&mut state);
        for change in state.changes.drain(..) {
            let _ = self.inner.changes.send(change);
        }
        out
    }

    /// Executes one API command (already logged in) and returns its untagged replies.
    pub async fn execute(&self, s: &Sentence) -> Replies {
        self.with_state(|state| {
            let word = s.command().unwrap_or_default().to_owned();
            *state.commands.entry(word).or_default() += 1;
            dispatch(state, s)
        })
        .await
    }

    /// Whether an account added on the router (`/user`) may log in to the
    /// API with this password: enabled, and its group has the `api` policy.
    pub async fn api_account_ok(&self, name: &str, password: &str) -> bool {
        self.with_state(|s| {
            let Some(user) = s.table_ref("/user").iter().find(|u| {
                u.props.get("name").map(String::as_str) == Some(name)
                    && u.props.get("password").map(String::as_str) == Some(password)
                    && u.props.get("disabled").map(String::as_str) != Some("true")
            }) else {
                return false;
            };
            let group = user.props.get("group").cloned().unwrap_or_default();
            s.table_ref("/user/group").iter().any(|g| {
                g.props.get("name") == Some(&group)
                    && g.props
                        .get("policy")
                        .is_some_and(|p| p.split(',').any(|x| x.trim() == "api"))
            })
        })
        .await
    }

    /// How many times a command (`/ip/hotspot/active/print`) was run since start.
    pub async fn command_count(&self, word: &str) -> u64 {
        self.with_state(|s| s.commands.get(word).copied().unwrap_or(0))
            .await
    }

    pub async fn attach_device(&self, mac: &str, ip: &str, host_name: &str) {
        self.with_state(|s| s.attach_device(mac, ip, host_name))
            .await
    }

    pub async fn detach_device(&self, mac: &str) {
        self.with_state(|s| s.detach_device(mac)).await
    }

    /// Traffic demand of a device in bits per second; false if unknown.
    pub async fn set_traffic(&self, mac: &str, up_bps: u64, down_bps: u64) -> bool {
        self.with_state(|s| s.set_traffic(mac, up_bps, down_bps))
            .await
    }

    /// Moves the virtual clock (and traffic) forward.
    pub async fn advance(&self, by: Duration) {
        self.with_state(|s| s.advance(by)).await
    }

    pub async fn reboot(&self) {
        self.with_state(|s| s.reboot()).await
    }

    pub async fn set_faults(&self, faults: Faults) {
        *self.inner.faults.lock().await = faults;
    }

    pub async fn faults(&self) -> Faults {
        self.inner.faults.lock().await.clone()
    }

    /// Changes the API password (wrong-credential tests).
    pub async fn set_password(&self, password: &str) {
        self.inner.config.lock().await.password = password.to_owned();
    }

    /// Limits concurrent API sessions.
    pub async fn set_max_sessions(&self, n: usize) {
        self.inner.config.lock().await.max_sessions = n;
    }

    /// Open API sessions.
    pub fn open_sessions(&self) -> usize {
        self.inner
            .sessions
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A login through the hotspot (HTTP servlet or API).
    pub async fn hotspot_login(
        &self,
        user: &str,
        password_ok: impl Fn(&str) -> bool,
        mac: &str,
        ip: &str,
        by: LoginBy,
    ) -> Result<(), LoginRefused> {
        self.with_state(|s| s.login(user, password_ok, mac, ip, by).map(drop))
            .await
    }

    /// The rows of a menu as `(id, props)` (tests and the HTTP control).
    pub async fn rows(
        &self,
        path: &str,
    ) -> Option<Vec<(String, std::collections::BTreeMap<String, String>)>> {
        let state = self.inner.state.lock().await;
        let table = state.tables.get(path)?;
        Some(
            table
                .iter()
                .map(|i| (tables::format_id(i.id), i.props.clone()))
                .collect(),
        )
    }

    /// `on-login`/`on-logout` events so far.
    pub async fn events(&self) -> Vec<String> {
        self.inner.state.lock().await.events.clone()
    }

    /// The virtual clock.
    pub async fn clock(&self) -> Duration {
        self.inner.state.lock().await.clock
    }

    /// The device MAC whose IP is `ip`.
    pub async fn device_by_ip(&self, ip: &str) -> Option<String> {
        let state = self.inner.state.lock().await;
        state
            .devices
            .values()
            .find(|d| d.ip == ip)
            .map(|d| d.mac.clone())
    }

    /// The IP of a device.
    pub async fn device_ip(&self, mac: &str) -> Option<String> {
        let state = self.inner.state.lock().await;
        state
            .devices
            .get(&mac.to_ascii_uppercase())
            .map(|d| d.ip.clone())
    }

    /// A value from the router's PRNG (CHAP challenges).
    pub async fn random(&self) -> u64 {
        self.inner.state.lock().await.next_random()
    }
}

/// Routes one command to the menu it names.
fn dispatch(state: &mut State, s: &Sentence) -> Replies {
    use state::{done, trap_done};
    let word = s.command().unwrap_or_default();
    let Some((path, cmd)) = word.rsplit_once('/') else {
        return trap_done("no such command prefix", Some(0));
    };
    match (path, cmd) {
        ("/system/identity", "print" | "getall") => {
            return vec![
                Sentence::new("!re").attr("name", &state.identity),
                Sentence::new("!done"),
            ];
        }
        ("/system/identity", "set") => {
            if let Some(n) = s.get("name") {
                state.identity = n.to_owned();
            }
            return done();
        }
        ("/system/resource", "print" | "getall") => {
            let uptime = routeros::value::format_duration(state.clock);
            return vec![
                Sentence::new("!re")
                    .attr("uptime", state.version.render_value("uptime", &uptime))
                    .attr(
                        "version",
                        if state.version == Version::V6Legacy {
                            "6.42.12 (long-term)"
                        } else {
                            "7.19.4 (stable)"
                        },
                    )
                    .attr("free-memory", "201326592")
                    .attr("total-memory", "268435456")
                    .attr("cpu-load", "3")
                    .attr("board-name", "CHR")
                    .attr("architecture-name", "x86_64"),
                Sentence::new("!done"),
            ];
        }
        _ => {}
    }
    if let Some(replies) = state.hotspot_command(path, cmd, s) {
        return replies;
    }
    match tables::spec(path) {
        Some(spec) => state
            .generic(spec, cmd, s)
            .unwrap_or_else(|| trap_done("no such command", Some(0))),
        None => trap_done("no such command prefix", Some(0)),
    }
}

/// A simulated router listening on a port.
pub struct RunningRouter {
    pub addr: SocketAddr,
    pub router: Router,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunningRouter {
    /// Stops accepting and closes every session.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Binds `addr` (port 0 picks one) and serves `config` there.
pub async fn spawn(config: RouterConfig, addr: SocketAddr) -> std::io::Result<RunningRouter> {
    spawn_with(config, addr, None).await
}

async fn spawn_with(
    config: RouterConfig,
    addr: SocketAddr,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> std::io::Result<RunningRouter> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let router = Router::new(config);
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(serve(listener, router.clone(), stopped, tls));
    Ok(RunningRouter {
        addr,
        router,
        stop,
        task,
    })
}

/// Accepts API connections until `stop` turns true; with `tls`, this is the
/// api-ssl service.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    mut stop: watch::Receiver<bool>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let router = router.clone();
                    let stop = stop.clone();
                    match tls.clone() {
                        None => {
                            tokio::spawn(session::run(stream, router, stop));
                        }
                        Some(acceptor) => {
                            tokio::spawn(async move {
                                match acceptor.accept(stream).await {
                                    Ok(tls_stream) => session::run(tls_stream, router, stop).await,
                                    Err(e) => tracing::debug!(error = %e, "api-ssl handshake failed"),
                                }
                            });
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "accept failed"),
            },
        }
    }
}

/// The simulator's api-ssl certificate (PEM), for pinning.
pub const TLS_CERT_PEM: &[u8] = include_bytes!("../../tls/cert.pem");
/// The test CA that signed it (PEM), for verification.
pub const TLS_CA_PEM: &[u8] = include_bytes!("../../tls/ca.pem");
const TLS_KEY_PEM: &[u8] = include_bytes!("../../tls/key.pem");

/// A TLS acceptor with the built-in certificate.
pub fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    use rustls_pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(TLS_CERT_PEM)
        .collect::<Result<_, _>>()
        .expect("bundled certificate parses");
    let key = PrivateKeyDer::from_pem_slice(TLS_KEY_PEM).expect("bundled key parses");
    let provider = std::sync::Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("bundled certificate and key match");
    tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config))
}

/// Like [`spawn`], serving api-ssl (TLS with [`TLS_CERT_PEM`]).
pub async fn spawn_tls(config: RouterConfig, addr: SocketAddr) -> std::io::Result<RunningRouter> {
    spawn_with(config, addr, Some(tls_acceptor())).await
}
