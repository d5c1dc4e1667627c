//! The RouterOS API server side (routeros.md §1–§2): modern login, the
//! `!fatal` rules before login and on `/quit`, tags echoed on every reply,
//! `/system/identity/print`, and the router's trap for unknown commands.
//! Hotspot menus and the query stack machine build on this.

use futures_util::{SinkExt, StreamExt};
use routeros::{Sentence, SentenceCodec};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
};
use tokio_util::codec::Framed;

/// The simulated router's identity and API credentials.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RouterConfig {
    pub identity: String,
    pub username: String,
    #[serde(skip)]
    pub password: String,
}

impl Default for RouterConfig {
    fn default() -> Self {
        Self {
            identity: "gerbang-sandbox".into(),
            username: "admin".into(),
            password: "sandbox".into(),
        }
    }
}

/// Trap text of a failed modern login.
pub const BAD_LOGIN: &str = "invalid user name or password (6)";
/// Trap text of an unknown menu or command.
pub const NO_SUCH_COMMAND: &str = "no such command prefix";

/// Accepts API connections until `stop` turns true.
pub async fn serve(listener: TcpListener, router: RouterConfig, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let router = router.clone();
                    let stop = stop.clone();
                    tokio::spawn(async move {
                        if let Err(e) = session(stream, &router, stop).await {
                            tracing::debug!(error = %e, "routeros session ended with an error");
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "accept failed"),
            },
        }
    }
}

/// What the session does after answering one sentence.
enum Next {
    Continue,
    Close,
}

async fn session(
    stream: TcpStream,
    router: &RouterConfig,
    mut stop: watch::Receiver<bool>,
) -> Result<(), routeros::CodecError> {
    let mut framed = Framed::new(stream, SentenceCodec::default());
    let mut logged_in = false;
    loop {
        let sentence = tokio::select! {
            _ = stop.changed() => return Ok(()),
            s = framed.next() => match s {
                Some(s) => s?,
                None => return Ok(()),
            },
        };
        let (replies, next) = answer(&sentence, router, &mut logged_in);
        for reply in &replies {
            framed.feed(reply).await?;
        }
        framed.flush().await?;
        if let Next::Close = next {
            return Ok(());
        }
    }
}

/// Computes the replies to one sentence (pure, so it is tested without sockets).
fn answer(
    sentence: &Sentence,
    router: &RouterConfig,
    logged_in: &mut bool,
) -> (Vec<Sentence>, Next) {
    let command = sentence.command().unwrap_or_default();
    let tag = sentence.tag();
    let tagged = |s: Sentence| match tag {
        Some(t) => s.with_tag(t),
        None => s,
    };
    let done = || tagged(Sentence::new("!done"));
    let trap = |message: &str, category: Option<u8>| {
        let mut s = Sentence::new("!trap");
        if let Some(c) = category {
            s = s.attr("category", c.to_string());
        }
        tagged(s.attr("message", message))
    };

    if command == "/login" {
        let ok = sentence.get("name") == Some(router.username.as_str())
            && sentence.get("password") == Some(router.password.as_str());
        if ok {
            *logged_in = true;
            return (vec![done()], Next::Continue);
        }
        return (vec![trap(BAD_LOGIN, None), done()], Next::Continue);
    }
    if !*logged_in {
        // Never tagged; the router closes the socket after it.
        return (
            vec![Sentence::new("!fatal").word("not logged in")],
            Next::Close,
        );
    }
    match command {
        "/quit" => (
            vec![Sentence::new("!fatal").word("session terminated on request")],
            Next::Close,
        ),
        "/system/identity/print" | "/system/identity/getall" => (
            vec![
                tagged(Sentence::new("!re").attr("name", &router.identity)),
                done(),
            ],
            Next::Continue,
        ),
        _ => (vec![trap(NO_SUCH_COMMAND, Some(0)), done()], Next::Continue),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login(user: &str, pass: &str) -> Sentence {
        Sentence::new("/login")
            .attr("name", user)
            .attr("password", pass)
    }

    #[test]
    fn commands_before_login_are_fatal() {
        let mut logged_in = false;
        let (r, next) = answer(
            &Sentence::new("/system/identity/print").with_tag("1"),
            &RouterConfig::default(),
            &mut logged_in,
        );
        assert!(matches!(next, Next::Close));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].command(), Some("!fatal"));
        assert_eq!(r[0].tag(), None, "!fatal is never tagged");
    }

    #[test]
    fn wrong_password_traps_then_done_and_keeps_the_session_logged_out() {
        let mut logged_in = false;
        let (r, _) = answer(
            &login("admin", "nope"),
            &RouterConfig::default(),
            &mut logged_in,
        );
        assert_eq!(r[0].get("message"), Some(BAD_LOGIN));
        assert_eq!(r[1].command(), Some("!done"));
        assert!(!logged_in);
    }

    #[test]
    fn identity_print_echoes_the_tag_on_every_reply() {
        let mut logged_in = false;
        let router = RouterConfig::default();
        answer(&login("admin", "sandbox"), &router, &mut logged_in);
        assert!(logged_in);
        let (r, _) = answer(
            &Sentence::new("/system/identity/print").with_tag("42"),
            &router,
            &mut logged_in,
        );
        assert_eq!(r[0].get("name"), Some("gerbang-sandbox"));
        assert!(r.iter().all(|s| s.tag() == Some("42")));
    }
}
