//! Typed errors of the client.

use std::{sync::Arc, time::Duration};

/// A `!trap` reply: the router refused a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    /// `=category=` when present (0 missing item/command, 1 bad argument, 2 interrupted, …).
    pub category: Option<u8>,
    /// `=message=`; match on this, the category is often absent.
    pub message: String,
}

impl Trap {
    /// An add that already exists (`failure: already have …`): treat as idempotent success.
    pub fn is_duplicate(&self) -> bool {
        self.message.starts_with("failure: already have")
    }

    /// A `set`/`remove` of an unknown `.id` (`no such item`, possibly with a code).
    pub fn is_not_found(&self) -> bool {
        self.message.starts_with("no such item")
    }

    /// The command was cancelled with `/cancel`.
    pub fn is_interrupted(&self) -> bool {
        self.category == Some(2) || self.message == "interrupted"
    }
}

impl std::fmt::Display for Trap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.category {
            Some(c) => write!(f, "{} (category {c})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Everything that can go wrong talking to a router.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The router answered `!trap`.
    #[error("router refused the command: {0}")]
    Trap(Trap),
    /// The router closed the session (`!fatal`); the reason is free text.
    #[error("router closed the session: {0}")]
    Fatal(String),
    /// No complete answer in time (the command was cancelled).
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The socket failed.
    #[error("i/o error: {0}")]
    Io(Arc<std::io::Error>),
    /// The router sent something the protocol does not allow.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// Login was refused (wrong credentials, or the account lacks the `api` policy).
    #[error("login refused: {0}")]
    Login(String),
    /// The TLS handshake failed (untrusted or mismatched certificate, bad name).
    #[error("tls: {0}")]
    Tls(String),
    /// The connection is closed (by us, by the router, or after an earlier error).
    #[error("connection closed")]
    Closed,
}

impl Error {
    /// The trap, when this is one.
    pub fn trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// Whether retrying on a new connection can help.
    pub fn is_connection_error(&self) -> bool {
        matches!(
            self,
            Error::Fatal(_) | Error::Io(_) | Error::Closed | Error::Timeout(_) | Error::Protocol(_)
        )
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(Arc::new(e))
    }
}

impl From<crate::codec::CodecError> for Error {
    fn from(e: crate::codec::CodecError) -> Self {
        match e {
            crate::codec::CodecError::Io(io) => Error::Io(Arc::new(io)),
            other => Error::Protocol(other.to_string()),
        }
    }
}
