//! A RouterOS binary API client with no gerbang knowledge.
//!
//! This first piece is the wire format (routeros.md §1.2–§1.4): the word length
//! prefix, sentences, and a [`tokio_util::codec`] codec both the client and the
//! sandbox simulator use. The connection task, tags, queries and the pool build
//! on it.

pub mod codec;
pub mod sentence;

pub use codec::{decode_length, encode_length, CodecError, SentenceCodec, DEFAULT_MAX_WORD_LEN};
pub use sentence::{Reply, ReplyKind, Sentence};
