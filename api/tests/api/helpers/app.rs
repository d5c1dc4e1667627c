use std::{
    collections::hash_map::DefaultHasher,
    hash::{Hash, Hasher},
    net::SocketAddr,
    path::Path,
};

use api::{settings::Settings, startup::Application, state::AppState};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{oneshot, watch},
    task::{JoinHandle, JoinSet},
};
use tokio_postgres::NoTls;

pub fn admin_database_url() -> String {
    std::env::var("GERBANG_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn redis_url() -> String {
    std::env::var("GERBANG_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// `admin_database_url` with another database name.
pub fn database_url(name: &str) -> String {
    let mut url = url::Url::parse(&admin_database_url()).expect("valid admin database url");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn template_name() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations folder")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut h = DefaultHasher::new();
    for f in files {
        f.file_name().hash(&mut h);
        std::fs::read(&f).unwrap().hash(&mut h);
    }
    format!("gerbang_tpl_{:016x}", h.finish())
}

async fn admin() -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(&admin_database_url(), NoTls)
        .await
        .expect("test PostgreSQL reachable (see GERBANG_TEST_DATABASE_URL)");
    tokio::spawn(conn);
    client
}

/// Creates a fresh database from the migrated template and returns its name.
pub async fn fresh_database() -> String {
    const LOCK: i64 = 0x6765_7262_7465_7374; // serialises template builds and copies
    let client = admin().await;
    client
        .execute("select pg_advisory_lock($1)", &[&LOCK])
        .await
        .unwrap();
    let template = template_name();
    let exists = client
        .query_opt("select 1 from pg_database where datname = $1", &[&template])
        .await
        .unwrap()
        .is_some();
    if !exists {
        let building = format!("{template}_build");
        client
            .batch_execute(&format!("drop database if exists {building}"))
            .await
            .unwrap();
        client
            .batch_execute(&format!("create database {building}"))
            .await
            .unwrap();
        let mut settings = test_settings();
        settings.database.url = api::settings::Secret::new(database_url(&building));
        api::db::migrate(&settings.database)
            .await
            .expect("migrations apply");
        client
            .batch_execute(&format!("alter database {building} rename to {template}"))
            .await
            .unwrap();
    }
    let name = format!("gerbang_test_{}", uuid::Uuid::now_v7().simple());
    client
        .batch_execute(&format!("create database {name} template {template}"))
        .await
        .unwrap();
    client
        .execute("select pg_advisory_unlock($1)", &[&LOCK])
        .await
        .unwrap();
    name
}

/// Settings for a test: local services, port 0, a unique Redis prefix.
pub fn test_settings() -> Settings {
    let env = [
        ("GERBANG__DATABASE__URL", admin_database_url()),
        ("GERBANG__REDIS__URL", redis_url()),
        (
            "GERBANG__REDIS__KEY_PREFIX",
            format!("test:{}:", uuid::Uuid::now_v7().simple()),
        ),
        ("GERBANG__HTTP__BIND", "127.0.0.1:0".into()),
        ("GERBANG__DATABASE__POOL_SIZE", "4".into()),
        ("GERBANG__REDIS__POOL_SIZE", "1".into()),
        // Quiet hours would make a test's outcome depend on the hour it
        // runs; the quiet-hours test turns them on with a clock of its own.
        ("GERBANG__NOTIFICATIONS__QUIET_START_HOUR", "0".into()),
        ("GERBANG__NOTIFICATIONS__QUIET_END_HOUR", "0".into()),
    ];
    Settings::load_from(None, env.map(|(k, v)| (k.to_string(), v))).unwrap()
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A request as the SPA sends it: with the CSRF header the API requires
    /// on every change (`X-Requested-With: fetch`).
    pub fn fetch(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("X-Requested-With", "fetch")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A direct database connection, for asserting what was stored.
    pub async fn db(&self) -> deadpool_postgres::Object {
        self.state.db.get().await.unwrap()
    }

    /// `select count(*)` of a table.
    pub async fn count(&self, table: &str) -> i64 {
        self.db()
            .await
            .query_one(&format!("select count(*) from {table}"), &[])
            .await
            .unwrap()
            .get(0)
    }

    /// Stops the server and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the app after `configure` adjusts the settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let db_name = fresh_database().await;
    let mut settings = test_settings();
    settings.database.url = api::settings::Secret::new(database_url(&db_name));
    configure(&mut settings);
    let app = Application::build(settings).await.expect("app builds");
    let addr = app.addr();
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        http: reqwest::Client::new(),
        state,
        stop: Some(stop),
        server: Some(server),
    }
}

/// A TCP forwarder in front of a real service, which a test can cut to make
/// that service unreachable for the app (connections reset, port closed), or
/// stall to make it silent (connections stay open, nothing is answered — a
/// black-holed path) and resume again.
pub struct TcpProxy {
    pub addr: SocketAddr,
    cut: watch::Sender<bool>,
    stalled: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Copies `from` to `to`, holding every chunk while the proxy is stalled.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut stalled: watch::Receiver<bool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if stalled.wait_for(|s| !*s).await.is_err() || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

impl TcpProxy {
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (cut, mut is_cut) = watch::channel(false);
        let (stalled, stall_rx) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut pipes = JoinSet::new();
            loop {
                tokio::select! {
                    _ = is_cut.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((inbound, _)) = accepted else { continue };
                        let mut stall = stall_rx.clone();
                        pipes.spawn(async move {
                            // A new connection waits too while the path is silent.
                            if stall.wait_for(|s| !*s).await.is_err() {
                                return;
                            }
                            if let Ok(outbound) = TcpStream::connect(upstream).await {
                                let (ir, iw) = inbound.into_split();
                                let (or, ow) = outbound.into_split();
                                tokio::join!(pump(ir, ow, stall.clone()), pump(or, iw, stall));
                            }
                        });
                    }
                }
            }
            // Dropping the listener closes the port; aborting drops every socket.
            drop(listener);
            pipes.abort_all();
            while pipes.join_next().await.is_some() {}
        });
        Self {
            addr,
            cut,
            stalled,
            task,
        }
    }

    /// Makes the upstream unreachable through this proxy; returns when done.
    pub async fn cut(self) {
        let _ = self.cut.send(true);
        self.task.await.unwrap();
    }

    /// The path goes silent: bytes are accepted and held, nothing arrives.
    pub fn stall(&self) {
        let _ = self.stalled.send(true);
    }

    /// Held bytes flow again.
    pub fn resume(&self) {
        let _ = self.stalled.send(false);
    }
}

pub fn socket_of(url: &str, default_port: u16) -> SocketAddr {
    let u = url::Url::parse(url).unwrap();
    let host = u.host_str().unwrap().to_string();
    let port = u.port().unwrap_or(default_port);
    std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
        .unwrap()
        .next()
        .unwrap()
}

/// `url` with its host:port replaced by `addr`.
pub fn url_via(url: &str, addr: SocketAddr) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_host(Some(&addr.ip().to_string())).unwrap();
    u.set_port(Some(addr.port())).unwrap();
    u.to_string()
}

pub async fn envelope(resp: reqwest::Response) -> (u16, serde_json::Value) {
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.expect("JSON envelope");
    assert!(body["code"].is_string(), "envelope has a code: {body}");
    assert!(
        body["message"].is_string(),
        "envelope has a message: {body}"
    );
    assert!(body["details"].is_object(), "envelope has details: {body}");
    (status, body)
}
