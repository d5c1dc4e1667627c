//! The connection: login, then one reader and one writer task multiplexing
//! many tagged commands over one socket (docs/routeros.md, "Wire protocol": tags, login).

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use futures_util::{SinkExt, StreamExt};
use md5::{Digest, Md5};
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::TcpStream,
    sync::mpsc,
    task::JoinHandle,
};
use tokio_util::codec::{Framed, FramedRead, FramedWrite};

use crate::{
    codec::SentenceCodec,
    error::{Error, Trap},
    query::Query,
    row::{Reply, Response, Row},
    sentence::Sentence,
    value::Id,
};

/// How to reach and log in to a router.
#[derive(Clone)]
pub struct Config {
    /// `host:port` of the API service (8728, or 8729 for api-ssl).
    pub address: String,
    pub username: String,
    pub password: String,
    /// Connect plus login.
    pub connect_timeout: Duration,
    /// Default limit for one command; a command over it is cancelled.
    pub command_timeout: Duration,
    /// TCP keepalive idle time (routers send no keepalives; NAT drops idle flows).
    pub keepalive: Option<Duration>,
    /// TLS for the api-ssl service; `None` is plain TCP (port 8728).
    pub tls: Option<crate::tls::Tls>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("address", &self.address)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("connect_timeout", &self.connect_timeout)
            .field("command_timeout", &self.command_timeout)
            .field("tls", &self.tls)
            .finish()
    }
}

impl Config {
    /// Defaults: 5 s to connect and log in, 30 s per command, keepalive after 60 s idle.
    pub fn new(
        address: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            address: address.into(),
            username: username.into(),
            password: password.into(),
            connect_timeout: Duration::from_secs(5),
            command_timeout: Duration::from_secs(30),
            keepalive: Some(Duration::from_secs(60)),
            tls: None,
        }
    }
}

type ReplyTx = mpsc::UnboundedSender<Result<Reply, Error>>;

/// State the reader task shares with the handles.
struct Shared {
    pending: Mutex<HashMap<u64, ReplyTx>>,
    closed: AtomicBool,
    closed_tx: tokio::sync::watch::Sender<bool>,
}

impl Shared {
    /// Forgets a command; later replies with its tag are dropped.
    fn unregister(&self, tag: u64) {
        self.pending.lock().expect("pending lock").remove(&tag);
    }

    /// Fails every in-flight command and refuses new ones.
    fn fail_all(&self, err: Error) {
        self.closed.store(true, Ordering::SeqCst);
        self.closed_tx.send_replace(true);
        let pending: Vec<ReplyTx> = self
            .pending
            .lock()
            .expect("pending lock")
            .drain()
            .map(|(_, tx)| tx)
            .collect();
        for tx in pending {
            let _ = tx.send(Err(err.clone()));
        }
    }
}

struct Inner {
    shared: Arc<Shared>,
    writer: mpsc::UnboundedSender<Sentence>,
    next_tag: AtomicU64,
    reader: JoinHandle<()>,
    writer_task: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.reader.abort();
        self.writer_task.abort();
    }
}

/// A logged-in API session. Cheap to clone; all clones share the socket, and
/// any number of commands may be in flight at once (pipelining).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// How long one command may take (this handle's; see [`Client::with_command_timeout`]).
    command_timeout: Duration,
}

impl Client {
    /// Connects over TCP (and TLS when configured) and logs in (modern login, falling back to the
    /// pre-6.43 MD5 challenge when the router answers with one).
    pub async fn connect(config: &Config) -> Result<Self, Error> {
        let work = async {
            let stream = TcpStream::connect(&config.address).await?;
            stream.set_nodelay(true)?;
            if let Some(idle) = config.keepalive {
                let ka = socket2::TcpKeepalive::new()
                    .with_time(idle)
                    .with_interval(Duration::from_secs(10));
                socket2::SockRef::from(&stream).set_tcp_keepalive(&ka)?;
            }
            match &config.tls {
                Some(tls) => Self::handshake(crate::tls::connect(stream, tls).await?, config).await,
                None => Self::handshake(stream, config).await,
            }
        };
        tokio::time::timeout(config.connect_timeout, work)
            .await
            .map_err(|_| Error::Timeout(config.connect_timeout))?
    }

    /// Logs in over an already connected stream (TLS, a proxy, a test pipe).
    pub async fn handshake<S>(stream: S, config: &Config) -> Result<Self, Error>
    where
        S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
    {
        let mut framed = Framed::new(stream, SentenceCodec::default());
        login(&mut framed, &config.username, &config.password).await?;
        let parts = framed.into_parts();
        let (read_half, write_half) = tokio::io::split(parts.io);
        let mut reader = FramedRead::new(read_half, SentenceCodec::default());
        *reader.read_buffer_mut() = parts.read_buf;
        let writer = FramedWrite::new(write_half, SentenceCodec::default());

        let shared = Arc::new(Shared {
            pending: Mutex::new(HashMap::new()),
            closed: AtomicBool::new(false),
            closed_tx: tokio::sync::watch::channel(false).0,
        });
        let (tx, rx) = mpsc::unbounded_channel();
        let reader_task = tokio::spawn(read_loop(reader, shared.clone()));
        let writer_task = tokio::spawn(write_loop(writer, rx, shared.clone()));
        Ok(Self {
            inner: Arc::new(Inner {
                shared,
                writer: tx,
                next_tag: AtomicU64::new(1),
                reader: reader_task,
                writer_task,
            }),
            command_timeout: config.command_timeout,
        })
    }

    /// The same session with another per-command timeout. A router answers
    /// the commands of one session in order, so a batch of `n` commands sent
    /// at once needs about `n` times one command's time: callers that pipeline
    /// size the limit by the work.
    pub fn with_command_timeout(&self, limit: Duration) -> Client {
        Client {
            inner: self.inner.clone(),
            command_timeout: limit,
        }
    }

    /// This handle's per-command timeout.
    pub fn command_timeout(&self) -> Duration {
        self.command_timeout
    }

    /// True once the router closed the session or the socket failed.
    pub fn is_closed(&self) -> bool {
        self.inner.shared.closed.load(Ordering::SeqCst)
    }

    /// Sends a command and returns the stream of its replies. The tag is
    /// registered before the sentence is written, so no reply can be lost.
    pub fn send(&self, sentence: Sentence) -> Result<ReplyStream, Error> {
        if self.is_closed() {
            return Err(Error::Closed);
        }
        let tag = self.inner.next_tag.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        self.inner
            .shared
            .pending
            .lock()
            .expect("pending lock")
            .insert(tag, tx);
        if self
            .inner
            .writer
            .send(sentence.with_tag(&tag.to_string()))
            .is_err()
        {
            self.inner.shared.unregister(tag);
            return Err(Error::Closed);
        }
        Ok(ReplyStream {
            client: self.clone(),
            tag,
            rx,
            finished: false,
        })
    }

    /// Runs a command to its `!done` within the default timeout. A `!trap`
    /// becomes [`Error::Trap`] (the first one, after `!done` arrived).
    pub async fn execute(&self, sentence: Sentence) -> Result<Response, Error> {
        self.execute_within(sentence, self.command_timeout).await
    }

    /// Like [`Client::execute`] with an explicit timeout; on timeout the
    /// command is cancelled on the router.
    pub async fn execute_within(
        &self,
        sentence: Sentence,
        limit: Duration,
    ) -> Result<Response, Error> {
        let mut stream = self.send(sentence)?;
        match tokio::time::timeout(limit, stream.collect_all()).await {
            Ok(result) => result,
            Err(_) => {
                stream.cancel();
                Err(Error::Timeout(limit))
            }
        }
    }

    /// `print` (or `getall`) builder for `path` (e.g. `/ip/hotspot/user`).
    pub fn print(&self, path: &str) -> Print {
        Print {
            client: self.clone(),
            sentence: Sentence::new(&format!("{path}/print")),
        }
    }

    /// `add` with attributes; returns the new `.id` (`=ret=`).
    pub async fn add<'a>(
        &self,
        path: &str,
        attrs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Id, Error> {
        let resp = self
            .execute(with_attrs(Sentence::new(&format!("{path}/add")), attrs))
            .await?;
        resp.done
            .ret()
            .ok_or_else(|| Error::Protocol("add answered without =ret=".into()))?
            .parse()
            .map_err(|e| Error::Protocol(format!("{e}")))
    }

    /// `set` on one item.
    pub async fn set<'a>(
        &self,
        path: &str,
        id: Id,
        attrs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), Error> {
        let s = Sentence::new(&format!("{path}/set")).attr(".id", id.to_string());
        self.execute(with_attrs(s, attrs)).await.map(drop)
    }

    /// `unset` one property of one item.
    pub async fn unset(&self, path: &str, id: Id, property: &str) -> Result<(), Error> {
        let s = Sentence::new(&format!("{path}/unset"))
            .attr("numbers", id.to_string())
            .attr("value-name", property);
        self.execute(s).await.map(drop)
    }

    /// `remove` of one or more items (one comma-separated list).
    pub async fn remove(&self, path: &str, ids: &[Id]) -> Result<(), Error> {
        if ids.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = ids.iter().map(Id::to_string).collect();
        let s = Sentence::new(&format!("{path}/remove")).attr(".id", list.join(","));
        self.execute(s).await.map(drop)
    }

    /// Any command: `path` is the full command (`/ip/hotspot/active/login`).
    pub async fn call<'a>(
        &self,
        command: &str,
        attrs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Response, Error> {
        self.execute(with_attrs(Sentence::new(command), attrs))
            .await
    }

    /// `listen` on `path`: a stream of changed rows (`.dead=true` for removals)
    /// that never ends by itself. Dropping it sends `/cancel`.
    pub fn listen(&self, path: &str, proplist: &[&str]) -> Result<ReplyStream, Error> {
        let mut s = Sentence::new(&format!("{path}/listen"));
        if !proplist.is_empty() {
            s = s.attr(".proplist", proplist.join(","));
        }
        self.send(s)
    }

    /// `/system/identity/print`: the cheap health check and keepalive.
    pub async fn identity(&self) -> Result<String, Error> {
        let rows = self.print("/system/identity").rows().await?;
        rows.first()
            .and_then(|r| r.text("name"))
            .map(|n| n.into_owned())
            .ok_or_else(|| Error::Protocol("identity without name".into()))
    }

    /// Ends the session with `/quit` and waits (briefly) for the router to close it.
    pub async fn close(self) {
        let mut closed = self.inner.shared.closed_tx.subscribe();
        let _ = self.inner.writer.send(Sentence::new("/quit"));
        let _ = tokio::time::timeout(Duration::from_secs(2), closed.wait_for(|c| *c)).await;
    }

    fn cancel_tag(&self, tag: u64) {
        self.inner.shared.unregister(tag);
        let cancel_tag = self.inner.next_tag.fetch_add(1, Ordering::Relaxed);
        let _ = self.inner.writer.send(
            Sentence::new("/cancel")
                .attr("tag", tag.to_string())
                .with_tag(&cancel_tag.to_string()),
        );
    }
}

fn with_attrs<'a>(
    mut s: Sentence,
    attrs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Sentence {
    for (k, v) in attrs {
        s = s.attr(k, v);
    }
    s
}

/// The replies of one command, in order. Ends after `!done`.
pub struct ReplyStream {
    client: Client,
    tag: u64,
    rx: mpsc::UnboundedReceiver<Result<Reply, Error>>,
    finished: bool,
}

impl ReplyStream {
    /// The next reply; `None` after `!done`.
    pub async fn next(&mut self) -> Option<Result<Reply, Error>> {
        if self.finished {
            return None;
        }
        let item = self.rx.recv().await;
        match &item {
            Some(Ok(Reply::Done(_))) | Some(Err(_)) | None => self.finished = true,
            _ => {}
        }
        item.or(Some(Err(Error::Closed)))
    }

    /// Collects rows until `!done`; the first `!trap` is returned as the error.
    pub async fn collect_all(&mut self) -> Result<Response, Error> {
        let mut rows = Vec::new();
        let mut trap: Option<Trap> = None;
        while let Some(item) = self.next().await {
            match item? {
                Reply::Re(row) => rows.push(row),
                Reply::Empty => {}
                Reply::Trap(t) => {
                    trap.get_or_insert(t);
                }
                Reply::Done(done) => {
                    return match trap {
                        Some(t) => Err(Error::Trap(t)),
                        None => Ok(Response { rows, done }),
                    };
                }
            }
        }
        Err(Error::Closed)
    }

    /// Cancels the command on the router (`/cancel =tag=`).
    pub fn cancel(&mut self) {
        if !self.finished {
            self.finished = true;
            self.client.cancel_tag(self.tag);
        }
    }
}

impl Drop for ReplyStream {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// A `print` being built.
pub struct Print {
    client: Client,
    sentence: Sentence,
}

impl Print {
    /// `.proplist`: only these properties (always use it on big tables).
    pub fn proplist(mut self, names: &[&str]) -> Self {
        self.sentence = self.sentence.attr(".proplist", names.join(","));
        self
    }

    /// Adds a query word; order matters.
    pub fn query(mut self, q: Query) -> Self {
        self.sentence = self.sentence.word(q.word());
        self
    }

    /// Adds several query words.
    pub fn queries(mut self, qs: impl IntoIterator<Item = Query>) -> Self {
        for q in qs {
            self = self.query(q);
        }
        self
    }

    /// All matching rows.
    pub async fn rows(self) -> Result<Vec<Row>, Error> {
        Ok(self.client.execute(self.sentence).await?.rows)
    }

    /// The rows as a stream (memory-bounded for huge tables).
    pub fn stream(self) -> Result<ReplyStream, Error> {
        self.client.send(self.sentence)
    }

    /// `=count-only=`: how many items match.
    pub async fn count(self) -> Result<u64, Error> {
        let resp = self
            .client
            .execute(self.sentence.attr("count-only", ""))
            .await?;
        resp.done
            .ret()
            .and_then(|r| r.parse().ok())
            .ok_or_else(|| Error::Protocol("count-only without a numeric =ret=".into()))
    }
}

async fn login<S>(
    framed: &mut Framed<S, SentenceCodec>,
    user: &str,
    password: &str,
) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let modern = Sentence::new("/login")
        .attr("name", user)
        .attr("password", password);
    let done = login_exchange(framed, &modern).await?;
    if let Some(challenge) = done.get("ret") {
        // Pre-6.43 router: answer the MD5 challenge.
        let response = legacy_response(password, challenge)
            .ok_or_else(|| Error::Protocol(format!("bad login challenge {challenge:?}")))?;
        let legacy = Sentence::new("/login")
            .attr("name", user)
            .attr("response", response);
        login_exchange(framed, &legacy).await?;
    }
    Ok(())
}

async fn login_exchange<S>(
    framed: &mut Framed<S, SentenceCodec>,
    s: &Sentence,
) -> Result<Row, Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    framed.send(s).await?;
    let mut refused: Option<String> = None;
    loop {
        let reply = framed.next().await.ok_or(Error::Closed)??;
        if reply.command() == Some("!fatal") {
            let reason = reply
                .reply()
                .and_then(|r| r.fatal_reason())
                .unwrap_or_default();
            return Err(Error::Login(reason));
        }
        match Reply::from_sentence(&reply)? {
            Reply::Trap(t) => refused = Some(t.message),
            Reply::Done(done) => {
                return match refused {
                    Some(message) => Err(Error::Login(message)),
                    None => Ok(done),
                }
            }
            Reply::Re(_) | Reply::Empty => {}
        }
    }
}

/// `00` + hex(MD5(0x00 ‖ password ‖ challenge bytes)) for the legacy login.
pub fn legacy_response(password: &str, challenge_hex: &str) -> Option<String> {
    if !challenge_hex.len().is_multiple_of(2) {
        return None;
    }
    let challenge: Option<Vec<u8>> = (0..challenge_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(challenge_hex.get(i..i + 2)?, 16).ok())
        .collect();
    let mut md5 = Md5::new();
    md5.update([0u8]);
    md5.update(password.as_bytes());
    md5.update(challenge?);
    let digest = md5.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("00{hex}"))
}

async fn read_loop<R>(mut reader: FramedRead<R, SentenceCodec>, shared: Arc<Shared>)
where
    R: AsyncRead + Unpin,
{
    let end = loop {
        let sentence = match reader.next().await {
            Some(Ok(s)) => s,
            Some(Err(e)) => break Error::from(e),
            None => break Error::Closed,
        };
        if sentence.command() == Some("!fatal") {
            let reason = sentence
                .reply()
                .and_then(|r| r.fatal_reason())
                .unwrap_or_default();
            break Error::Fatal(reason);
        }
        let Some(tag) = sentence.tag().and_then(|t| t.parse::<u64>().ok()) else {
            tracing::warn!(reply = ?sentence.command(), "untagged reply ignored");
            continue;
        };
        let reply = Reply::from_sentence(&sentence);
        let done = matches!(reply, Ok(Reply::Done(_)) | Err(_));
        let tx = {
            let mut pending = shared.pending.lock().expect("pending lock");
            if done {
                pending.remove(&tag)
            } else {
                pending.get(&tag).cloned()
            }
        };
        match tx {
            Some(tx) => {
                let _ = tx.send(reply);
            }
            // A cancelled command's trailing replies.
            None => tracing::trace!(tag, "reply for a finished command"),
        }
    };
    shared.fail_all(end);
}

async fn write_loop<W>(
    mut writer: FramedWrite<W, SentenceCodec>,
    mut rx: mpsc::UnboundedReceiver<Sentence>,
    shared: Arc<Shared>,
) where
    W: AsyncWrite + Unpin,
{
    while let Some(first) = rx.recv().await {
        // Coalesce whatever is queued into one write: pipelined commands
        // leave in as few segments as possible.
        let mut result = writer.feed(&first).await;
        while result.is_ok() {
            match rx.try_recv() {
                Ok(next) => result = writer.feed(&next).await,
                Err(_) => break,
            }
        }
        if let Err(e) = result.and(writer.flush().await) {
            shared.fail_all(Error::from(e));
            return;
        }
    }
    let _ = writer.close().await;
}

#[cfg(test)]
mod tests {
    use super::legacy_response;

    #[test]
    fn legacy_md5_vectors_from_the_docs() {
        assert_eq!(
            legacy_response("secret", "ebddd18303a54111e2dea05a92ab46b4").as_deref(),
            Some("007319531c22b6b85e160d6ac355c1df2e")
        );
        assert_eq!(
            legacy_response("passTest", "abc123").as_deref(),
            Some("0021277bff9ac7caf06aa608e46616d47f")
        );
        assert_eq!(legacy_response("x", "abc"), None);
    }
}
