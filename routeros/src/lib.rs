//! An async client for the MikroTik RouterOS binary API, with no gerbang
//! knowledge (docs/routeros.md in the gerbang repository describes the protocol).
//!
//! - [`codec`]: the word length prefix and sentence framing, byte-exact.
//! - [`Client`]: login (modern, with automatic legacy MD5 fallback), one
//!   reader and one writer task multiplexing tagged commands, so many commands
//!   are in flight at once; `!re`/`!done`/`!trap`/`!fatal`/`!empty`; `/cancel`;
//!   `listen` streams; per-command timeouts; TCP keepalive; `/quit`.
//! - [`Tls`]: api-ssl with certificate verification or fingerprint pinning.
//! - [`Query`] for the `print` stack machine; [`value`] parsers for ids,
//!   booleans, durations, dates, MACs and counters; [`Row`] keeps values as bytes.
//! - [`pool`]: a small per-router pool (default 4; routers allow 20 API sessions).
//! - [`menus`]: typed helpers for the hotspot-related menus.
//!
//! ```no_run
//! # async fn demo() -> Result<(), routeros::Error> {
//! use routeros::{Client, Config, Query};
//! let client = Client::connect(&Config::new("192.0.2.1:8728", "gerbang", "secret")).await?;
//! let online = client
//!     .print("/ip/hotspot/active")
//!     .proplist(&[".id", "user", "bytes-in", "bytes-out"])
//!     .query(Query::Eq("server".into(), "hotspot1".into()))
//!     .rows()
//!     .await?;
//! # let _ = online; Ok(()) }
//! ```

pub mod client;
pub mod codec;
pub mod error;
pub mod menus;
pub mod pool;
pub mod query;
pub mod row;
pub mod sentence;
pub mod tls;
pub mod value;

pub use client::{Client, Config, Print, ReplyStream};
pub use codec::{decode_length, encode_length, CodecError, SentenceCodec, DEFAULT_MAX_WORD_LEN};
pub use error::{Error, Trap};
pub use query::Query;
pub use row::{Reply, Response, Row};
pub use sentence::{ReplyKind, Sentence};
pub use tls::Tls;
pub use value::{Id, Mac};
