//! One API session from the router's side: login (modern, or the MD5
//! challenge on the v6 profile), the `!fatal` rules, tags echoed on every
//! reply, `listen` and `/cancel`, the session limit, and injected faults.

use std::sync::atomic::Ordering;

use bytes::BytesMut;
use futures_util::StreamExt;
use md5::{Digest, Md5};
use routeros::{Sentence, SentenceCodec};
use tokio::{
    io::{AsyncRead, AsyncWrite, AsyncWriteExt, WriteHalf},
    sync::{broadcast, watch},
};
use tokio_util::codec::FramedRead;

use super::{
    state::{render, trap, Change},
    tables::{format_id, spec},
    Faults, Router, Version,
};

struct Listen {
    tag: Option<String>,
    path: &'static str,
    proplist: Option<Vec<String>>,
}

struct Session<S> {
    router: Router,
    writer: WriteHalf<S>,
    logged_in: bool,
    challenge: Option<Vec<u8>>,
    listens: Vec<Listen>,
    stalled: Vec<Option<String>>,
}

/// Counts the session while it lives.
struct SessionSlot(Router);

impl Drop for SessionSlot {
    fn drop(&mut self) {
        self.0.inner.sessions.fetch_sub(1, Ordering::SeqCst);
    }
}

pub async fn run<S>(stream: S, router: Router, mut stop: watch::Receiver<bool>)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let open = router.inner.sessions.fetch_add(1, Ordering::SeqCst) + 1;
    let _slot = SessionSlot(router.clone());
    if open > router.config().await.max_sessions {
        // Over the api service's max-sessions: the router drops the connection.
        return;
    }
    let (read, write) = tokio::io::split(stream);
    let mut reader = FramedRead::new(read, SentenceCodec::default());
    let mut changes = router.inner.changes.subscribe();
    let mut session = Session {
        router,
        writer: write,
        logged_in: false,
        challenge: None,
        listens: Vec::new(),
        stalled: Vec::new(),
    };
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            change = changes.recv() => match change {
                Ok(change) => if session.emit_change(&change).await.is_err() { return },
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            sentence = reader.next() => {
                let Some(Ok(sentence)) = sentence else { return };
                match session.handle(sentence).await {
                    Ok(true) => {}
                    Ok(false) | Err(_) => return,
                }
            }
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Send> Session<S> {
    /// Writes replies, tagging each, applying the write faults.
    async fn send(&mut self, replies: Vec<Sentence>, tag: Option<&str>) -> std::io::Result<()> {
        let faults = self.router.faults().await;
        let mut buf = BytesMut::new();
        for r in replies {
            let r = match tag {
                Some(t) => r.with_tag(t),
                None => r,
            };
            let r = if faults.shuffle_attributes {
                self.shuffle(r).await
            } else {
                r
            };
            r.write_to(&mut buf);
        }
        match faults.split_writes {
            Some(n) if n > 0 => {
                for chunk in buf.chunks(n) {
                    self.writer.write_all(chunk).await?;
                    self.writer.flush().await?;
                    tokio::task::yield_now().await;
                }
                Ok(())
            }
            _ => self.writer.write_all(&buf).await,
        }
    }

    async fn shuffle(&self, s: Sentence) -> Sentence {
        let mut words: Vec<Vec<u8>> = s.words().to_vec();
        if words.len() > 2 {
            let mut rest = words.split_off(1);
            for i in (1..rest.len()).rev() {
                let j = (self.router.random().await % (i as u64 + 1)) as usize;
                rest.swap(i, j);
            }
            words.extend(rest);
        }
        Sentence::from_words(words)
    }

    async fn fatal(&mut self, reason: &str) -> std::io::Result<bool> {
        self.send(vec![Sentence::new("!fatal").word(reason)], None)
            .await?;
        let _ = self.writer.shutdown().await;
        Ok(false)
    }

    /// Handles one sentence; `Ok(false)` closes the session.
    async fn handle(&mut self, s: Sentence) -> std::io::Result<bool> {
        let tag = s.tag().map(str::to_owned);
        let word = s.command().unwrap_or_default().to_owned();
        if word == "/login" {
            let replies = self.login(&s).await;
            self.send(replies, tag.as_deref()).await?;
            return Ok(true);
        }
        if !self.logged_in {
            return self.fatal("not logged in").await;
        }
        let mut faults = self.router.faults().await;
        if let Some(reason) = faults.fatal_next.take() {
            self.router.set_faults(faults).await;
            return self.fatal(&reason).await;
        }
        if faults.latency_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(faults.latency_ms)).await;
        }
        match word.as_str() {
            "/quit" => return self.fatal("session terminated on request").await,
            "/cancel" => {
                let replies = self.cancel(s.get("tag")).await?;
                self.send(replies, tag.as_deref()).await?;
                return Ok(true);
            }
            _ => {}
        }
        if faults.stall {
            // Keep the command open until /cancel.
            self.stalled.push(tag);
            return Ok(true);
        }
        if let Some(path) = word.strip_suffix("/listen") {
            return match spec(path) {
                Some(spec) => {
                    let proplist = s
                        .get(".proplist")
                        .map(|p| p.split(',').map(str::to_owned).collect());
                    self.listens.push(Listen {
                        tag,
                        path: spec.path,
                        proplist,
                    });
                    Ok(true)
                }
                None => {
                    self.send(
                        vec![
                            trap("no such command prefix", Some(0)),
                            Sentence::new("!done"),
                        ],
                        tag.as_deref(),
                    )
                    .await?;
                    Ok(true)
                }
            };
        }
        let replies = self.router.execute(&s).await;
        if word.ends_with("/print") || word.ends_with("/getall") {
            if let Some(n) = faults.drop_after_rows.take() {
                self.router
                    .set_faults(Faults {
                        drop_after_rows: None,
                        ..faults
                    })
                    .await;
                let rows: Vec<Sentence> = replies
                    .into_iter()
                    .filter(|r| r.command() == Some("!re"))
                    .take(n)
                    .collect();
                self.send(rows, tag.as_deref()).await?;
                let _ = self.writer.shutdown().await;
                return Ok(false);
            }
        }
        self.send(replies, tag.as_deref()).await?;
        Ok(true)
    }

    async fn login(&mut self, s: &Sentence) -> Vec<Sentence> {
        let config = self.router.config().await;
        let faults = self.router.faults().await;
        let refuse = |message: &str| vec![trap(message, None), Sentence::new("!done")];
        let name_ok = s.get("name") == Some(config.username.as_str());
        if config.version == Version::V6Legacy {
            if let Some(response) = s.get("response") {
                let Some(challenge) = self.challenge.take() else {
                    return refuse("cannot log in");
                };
                let mut md5 = Md5::new();
                md5.update([0u8]);
                md5.update(config.password.as_bytes());
                md5.update(&challenge);
                let want: String = std::iter::once("00".to_owned())
                    .chain(md5.finalize().iter().map(|b| format!("{b:02x}")))
                    .collect();
                if name_ok && response == want && !faults.reject_logins {
                    self.logged_in = true;
                    return vec![Sentence::new("!done")];
                }
                return refuse("cannot log in");
            }
            // Pre-6.43 routers answer any first /login with a challenge.
            let mut challenge = Vec::with_capacity(16);
            for _ in 0..2 {
                challenge.extend_from_slice(&self.router.random().await.to_be_bytes());
            }
            let hex: String = challenge.iter().map(|b| format!("{b:02x}")).collect();
            self.challenge = Some(challenge);
            return vec![Sentence::new("!done").attr("ret", hex)];
        }
        let configured = name_ok && s.get("password") == Some(config.password.as_str());
        // Accounts an operator added on the router log in too (the
        // provisioning script's least-privilege `gerbang` user).
        let added = match (s.get("name"), s.get("password")) {
            (Some(n), Some(p)) if !name_ok => self.router.api_account_ok(n, p).await,
            _ => false,
        };
        if (configured || added) && !faults.reject_logins {
            self.logged_in = true;
            return vec![Sentence::new("!done")];
        }
        refuse("invalid user name or password (6)")
    }

    /// `/cancel [=tag=T]`: ends the named (or every) listen or stalled command.
    async fn cancel(&mut self, which: Option<&str>) -> std::io::Result<Vec<Sentence>> {
        let mut cancelled: Vec<Option<String>> = Vec::new();
        self.listens.retain(|l| {
            let hit = which.is_none() || l.tag.as_deref() == which;
            if hit {
                cancelled.push(l.tag.clone());
            }
            !hit
        });
        self.stalled.retain(|t| {
            let hit = which.is_none() || t.as_deref() == which;
            if hit {
                cancelled.push(t.clone());
            }
            !hit
        });
        for t in cancelled {
            self.send(
                vec![trap("interrupted", Some(2)), Sentence::new("!done")],
                t.as_deref(),
            )
            .await?;
        }
        Ok(vec![Sentence::new("!done")])
    }

    async fn emit_change(&mut self, change: &Change) -> std::io::Result<()> {
        let Some(spec) = spec(change.path) else {
            return Ok(());
        };
        let version = self.router.config().await.version;
        let mut out: Vec<(Option<String>, Sentence)> = Vec::new();
        for l in self.listens.iter().filter(|l| l.path == change.path) {
            let row = match &change.props {
                Some(props) => {
                    let item = super::tables::Item {
                        id: change.id,
                        props: props.clone(),
                    };
                    render(spec, &item, l.proplist.as_deref(), version)
                }
                None => Sentence::new("!re")
                    .attr(".id", format_id(change.id))
                    .attr(".dead", "true"),
            };
            out.push((l.tag.clone(), row));
        }
        for (tag, row) in out {
            self.send(vec![row], tag.as_deref()).await?;
        }
        Ok(())
    }
}
