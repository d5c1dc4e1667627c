//! Reply rows: attributes in the order the router sent them, values as bytes.

use std::borrow::Cow;

use crate::{
    error::{Error, Trap},
    sentence::Sentence,
    value::{self, Id, ParseValueError},
};

/// The attributes of one `!re` (or `!done`) sentence, `.tag` removed. Order
/// and duplicates are kept; values stay bytes because RouterOS stores raw
/// bytes (Winbox writes the Windows code page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    attrs: Vec<(String, Vec<u8>)>,
}

impl Row {
    /// Builds a row from `(name, value)` pairs.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<Vec<u8>>,
    {
        Self {
            attrs: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    pub(crate) fn from_sentence(s: &Sentence) -> Self {
        let attrs = s
            .words()
            .iter()
            .skip(1)
            .filter_map(|w| {
                let rest = w.strip_prefix(b"=")?;
                let eq = rest.iter().position(|&b| b == b'=')?;
                let name = String::from_utf8_lossy(&rest[..eq]).into_owned();
                Some((name, rest[eq + 1..].to_vec()))
            })
            .collect();
        Self { attrs }
    }

    /// The raw value of `name`.
    pub fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The value of `name` as text (invalid UTF-8 replaced).
    pub fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        self.bytes(name).map(String::from_utf8_lossy)
    }

    /// The value of `name` when it is valid UTF-8.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.bytes(name).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// All attributes in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.attrs.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.attrs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.attrs.is_empty()
    }

    /// `.id`.
    pub fn id(&self) -> Option<Id> {
        self.get(".id")?.parse().ok()
    }

    /// `=ret=` of a `!done` (new `.id` after `add`, count after `count-only`).
    pub fn ret(&self) -> Option<&str> {
        self.get("ret")
    }

    /// A counter; absent is `None`, malformed is an error.
    pub fn u64(&self, name: &str) -> Result<Option<u64>, ParseValueError> {
        self.get(name).map(value::parse_u64).transpose()
    }

    /// A boolean (`true/false/yes/no`); absent is `None`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ParseValueError> {
        self.get(name).map(value::parse_bool).transpose()
    }

    /// A duration; absent or `none` is `None`.
    pub fn duration(&self, name: &str) -> Result<Option<std::time::Duration>, ParseValueError> {
        Ok(self
            .get(name)
            .map(value::parse_duration)
            .transpose()?
            .flatten())
    }
}

/// One reply to a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A data row.
    Re(Row),
    /// RouterOS ≥ 7.18: nothing matched (a `!done` follows).
    Empty,
    /// An error (a `!done` follows).
    Trap(Trap),
    /// The command finished; may carry `=ret=`.
    Done(Row),
}

impl Reply {
    /// Classifies a received sentence; `!fatal` is handled by the connection.
    pub(crate) fn from_sentence(s: &Sentence) -> Result<Self, Error> {
        match s.command() {
            Some("!re") => Ok(Reply::Re(Row::from_sentence(s))),
            Some("!done") => Ok(Reply::Done(Row::from_sentence(s))),
            Some("!empty") => Ok(Reply::Empty),
            Some("!trap") => {
                let row = Row::from_sentence(s);
                Ok(Reply::Trap(Trap {
                    category: row.get("category").and_then(|c| c.parse().ok()),
                    message: row.text("message").map(Cow::into_owned).unwrap_or_default(),
                }))
            }
            other => Err(Error::Protocol(format!("unknown reply word {other:?}"))),
        }
    }
}

/// The complete answer to a command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// The `!re` rows.
    pub rows: Vec<Row>,
    /// The `!done` attributes (e.g. `ret`).
    pub done: Row,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_values_survive_as_bytes() {
        let s = Sentence::new("!re")
            .word(b"=comment=\xcf\xf0\xe8\xe2\xe5\xf2".to_vec()) // "Привет" in cp1251
            .with_tag("3");
        let row = Row::from_sentence(&s);
        assert_eq!(row.bytes("comment").unwrap().len(), 6);
        assert!(row.get("comment").is_none());
        assert!(row.text("comment").unwrap().contains('\u{FFFD}'));
        assert_eq!(row.len(), 1, ".tag is not an attribute");
    }

    #[test]
    fn typed_accessors() {
        let row = Row::from_pairs([
            (".id", "*1A"),
            ("bytes-in", "12345678901"),
            ("disabled", "yes"),
            ("uptime", "1d02:03:04"),
            ("idle-timeout", "none"),
        ]);
        assert_eq!(row.id(), Some(Id(0x1A)));
        assert_eq!(row.u64("bytes-in").unwrap(), Some(12_345_678_901));
        assert_eq!(row.bool("disabled").unwrap(), Some(true));
        assert_eq!(row.duration("uptime").unwrap().unwrap().as_secs(), 93_784);
        assert_eq!(row.duration("idle-timeout").unwrap(), None);
        assert_eq!(row.u64("missing").unwrap(), None);
    }

    #[test]
    fn several_traps_and_unknown_words() {
        let t = Reply::from_sentence(
            &Sentence::new("!trap")
                .attr("category", "2")
                .attr("message", "interrupted"),
        )
        .unwrap();
        assert!(matches!(t, Reply::Trap(ref trap) if trap.is_interrupted()));
        assert!(Reply::from_sentence(&Sentence::new("!weird")).is_err());
        assert_eq!(
            Reply::from_sentence(&Sentence::new("!empty")).unwrap(),
            Reply::Empty
        );
    }
}
