//! Sentences and words (docs/routeros.md, "Wire protocol": sentences, replies).

use bytes::BufMut;

use crate::codec::encode_length;

/// One API sentence: a command or reply word followed by attribute, API
/// attribute (`.tag=`) and query words. Words are bytes on the wire; RouterOS
/// text is UTF-8 in practice, and non-UTF-8 bytes are replaced when read as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    words: Vec<Vec<u8>>,
}

impl Sentence {
    /// A sentence from raw words (as decoded).
    pub fn from_words(words: Vec<Vec<u8>>) -> Self {
        Self { words }
    }

    /// Starts a sentence with a command word such as `/ip/hotspot/user/print` or `!done`.
    pub fn new(word: &str) -> Self {
        Self {
            words: vec![word.as_bytes().to_vec()],
        }
    }

    /// Adds `=name=value`.
    pub fn attr(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.words
            .push(format!("={name}={}", value.as_ref()).into_bytes());
        self
    }

    /// Adds `.tag=value`.
    pub fn with_tag(mut self, tag: &str) -> Self {
        self.words.push(format!(".tag={tag}").into_bytes());
        self
    }

    /// Adds a raw word (queries such as `?user=alice`, or free text after `!fatal`).
    pub fn word(mut self, word: impl Into<Vec<u8>>) -> Self {
        self.words.push(word.into());
        self
    }

    /// The raw words.
    pub fn words(&self) -> &[Vec<u8>] {
        &self.words
    }

    /// The first word as text, if any.
    pub fn command(&self) -> Option<&str> {
        self.words.first().and_then(|w| std::str::from_utf8(w).ok())
    }

    /// The value of attribute `name` (`=name=value`), split at the second `=`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.words.iter().skip(1).find_map(|w| {
            let w = std::str::from_utf8(w).ok()?;
            let rest = w.strip_prefix('=')?;
            let (k, v) = rest.split_once('=')?;
            (k == name).then_some(v)
        })
    }

    /// All `=name=value` attributes in order.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.words.iter().skip(1).filter_map(|w| {
            let w = std::str::from_utf8(w).ok()?;
            w.strip_prefix('=')?.split_once('=')
        })
    }

    /// The `.tag=` value, wherever it stands in the sentence.
    pub fn tag(&self) -> Option<&str> {
        self.words
            .iter()
            .skip(1)
            .find_map(|w| std::str::from_utf8(w).ok()?.strip_prefix(".tag="))
    }

    /// Query words (`?…`) in order; order matters to the stack machine.
    pub fn queries(&self) -> impl Iterator<Item = &str> {
        self.words
            .iter()
            .skip(1)
            .filter_map(|w| std::str::from_utf8(w).ok()?.strip_prefix('?'))
    }

    /// Writes the sentence with its terminating empty word.
    pub fn write_to(&self, dst: &mut impl BufMut) {
        for w in &self.words {
            encode_length(w.len(), dst);
            dst.put_slice(w);
        }
        dst.put_u8(0);
    }

    /// Classifies a sentence received from a router.
    pub fn reply(&self) -> Option<Reply<'_>> {
        let kind = match self.command()? {
            "!re" => ReplyKind::Re,
            "!done" => ReplyKind::Done,
            "!trap" => ReplyKind::Trap,
            "!fatal" => ReplyKind::Fatal,
            "!empty" => ReplyKind::Empty,
            _ => return None,
        };
        Some(Reply {
            kind,
            sentence: self,
        })
    }
}

/// The kind of a reply sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// One data row.
    Re,
    /// The command finished (may carry `=ret=`).
    Done,
    /// An error; `!done` still follows.
    Trap,
    /// The connection is being closed; the next word is free text.
    Fatal,
    /// RouterOS ≥ 7.18: no data; `!done` follows.
    Empty,
}

/// A reply sentence with its kind.
#[derive(Debug, Clone, Copy)]
pub struct Reply<'a> {
    /// What kind of reply this is.
    pub kind: ReplyKind,
    /// The sentence itself.
    pub sentence: &'a Sentence,
}

impl Reply<'_> {
    /// For `!fatal`: the free-text reason (not an `=message=` attribute).
    pub fn fatal_reason(&self) -> Option<String> {
        (self.kind == ReplyKind::Fatal)
            .then(|| self.sentence.words().get(1))
            .flatten()
            .map(|w| String::from_utf8_lossy(w).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_split_at_the_second_equals_sign() {
        let s = Sentence::new("!re").word(b"=name=iu=c3Eeg".to_vec());
        assert_eq!(s.get("name"), Some("iu=c3Eeg"));
    }

    #[test]
    fn tag_is_found_in_any_position() {
        let s = Sentence::new("!re")
            .with_tag("9")
            .attr(".id", "*1A")
            .attr("user", "alice");
        assert_eq!(s.tag(), Some("9"));
        assert_eq!(s.get(".id"), Some("*1A"));
        assert_eq!(s.attributes().count(), 2);
    }

    #[test]
    fn fatal_reason_is_the_free_text_word() {
        let s = Sentence::new("!fatal").word("not logged in");
        let r = s.reply().unwrap();
        assert_eq!(r.kind, ReplyKind::Fatal);
        assert_eq!(r.fatal_reason().as_deref(), Some("not logged in"));
        assert!(Sentence::new("/login").reply().is_none());
    }

    #[test]
    fn queries_keep_their_order() {
        let s = Sentence::new("/ip/hotspot/active/print")
            .word("?user=alice")
            .word("?user=bob")
            .word("?#|");
        assert_eq!(
            s.queries().collect::<Vec<_>>(),
            ["user=alice", "user=bob", "#|"]
        );
    }
}
