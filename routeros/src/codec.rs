//! Word length prefix and sentence framing (docs/routeros.md, "Wire protocol": words, sentences).

use bytes::{Buf, BufMut, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use crate::sentence::Sentence;

/// Largest word the decoder accepts unless configured otherwise (16 MiB).
pub const DEFAULT_MAX_WORD_LEN: usize = 16 * 1024 * 1024;

/// Errors of the framing layer.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// A first length byte of `0xF8` or above (reserved control byte).
    #[error("reserved control byte {0:#04x} in word length")]
    ControlByte(u8),
    /// A word longer than the configured cap.
    #[error("word of {len} bytes exceeds the cap of {max} bytes")]
    WordTooLong { len: usize, max: usize },
    /// A sentence with more words than the configured cap.
    #[error("sentence exceeds {0} words")]
    TooManyWords(usize),
    /// The socket failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Appends the length prefix of a word of `len` bytes to `dst`.
pub fn encode_length(len: usize, dst: &mut impl BufMut) {
    let len = u32::try_from(len).expect("RouterOS words are at most 4 GiB");
    match len {
        0..=0x7F => dst.put_u8(len as u8),
        0x80..=0x3FFF => dst.put_u16((len | 0x8000) as u16),
        0x4000..=0x1F_FFFF => {
            let v = len | 0xC0_0000;
            dst.put_u8((v >> 16) as u8);
            dst.put_u16(v as u16);
        }
        0x20_0000..=0x0FFF_FFFF => dst.put_u32(len | 0xE000_0000),
        _ => {
            dst.put_u8(0xF0);
            dst.put_u32(len);
        }
    }
}

/// Decodes a length prefix from the start of `src`.
///
/// Returns `Ok(None)` when more bytes are needed, otherwise the word length
/// and how many bytes the prefix took.
pub fn decode_length(src: &[u8]) -> Result<Option<(usize, usize)>, CodecError> {
    let Some(&first) = src.first() else {
        return Ok(None);
    };
    let (size, mask): (usize, u32) = match first {
        0x00..=0x7F => (1, 0x7F),
        0x80..=0xBF => (2, 0x3FFF),
        0xC0..=0xDF => (3, 0x1F_FFFF),
        0xE0..=0xEF => (4, 0x0FFF_FFFF),
        0xF0 => (5, u32::MAX),
        other => return Err(CodecError::ControlByte(other)),
    };
    if src.len() < size {
        return Ok(None);
    }
    let value = if size == 5 {
        u32::from_be_bytes([src[1], src[2], src[3], src[4]])
    } else {
        src[..size]
            .iter()
            .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
            & mask
    };
    Ok(Some((value as usize, size)))
}

/// Frames [`Sentence`]s on a byte stream.
///
/// Decoding is incremental: words already complete are kept between calls,
/// so a sentence split across many TCP reads costs no re-parsing.
#[derive(Debug)]
pub struct SentenceCodec {
    max_word_len: usize,
    max_words: usize,
    pending: Vec<Vec<u8>>,
}

impl Default for SentenceCodec {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_WORD_LEN, 100_000)
    }
}

impl SentenceCodec {
    /// A codec with explicit caps on word size and words per sentence.
    pub fn new(max_word_len: usize, max_words: usize) -> Self {
        Self {
            max_word_len,
            max_words,
            pending: Vec::new(),
        }
    }
}

impl Decoder for SentenceCodec {
    type Item = Sentence;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Sentence>, CodecError> {
        loop {
            let Some((len, prefix)) = decode_length(src)? else {
                return Ok(None);
            };
            if len > self.max_word_len {
                return Err(CodecError::WordTooLong {
                    len,
                    max: self.max_word_len,
                });
            }
            if src.len() < prefix + len {
                src.reserve(prefix + len - src.len());
                return Ok(None);
            }
            src.advance(prefix);
            if len == 0 {
                let words = std::mem::take(&mut self.pending);
                if words.is_empty() {
                    // The router ignores empty sentences; so do we.
                    continue;
                }
                return Ok(Some(Sentence::from_words(words)));
            }
            if self.pending.len() >= self.max_words {
                return Err(CodecError::TooManyWords(self.max_words));
            }
            self.pending.push(src.split_to(len).to_vec());
        }
    }
}

impl Encoder<&Sentence> for SentenceCodec {
    type Error = CodecError;

    fn encode(&mut self, item: &Sentence, dst: &mut BytesMut) -> Result<(), CodecError> {
        item.write_to(dst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(len: usize) -> Vec<u8> {
        let mut v = Vec::new();
        encode_length(len, &mut v);
        v
    }

    #[test]
    fn length_prefix_matches_the_documented_table() {
        let table: &[(usize, &[u8])] = &[
            (0, &[0x00]),
            (127, &[0x7f]),
            (128, &[0x80, 0x80]),
            (200, &[0x80, 0xc8]),
            (0x3FFF, &[0xbf, 0xff]),
            (0x4000, &[0xc0, 0x40, 0x00]),
            (0x1F_FFFF, &[0xdf, 0xff, 0xff]),
            (0x20_0000, &[0xe0, 0x20, 0x00, 0x00]),
            (0x0FFF_FFFF, &[0xef, 0xff, 0xff, 0xff]),
            (0x1000_0000, &[0xf0, 0x10, 0x00, 0x00, 0x00]),
        ];
        for &(len, bytes) in table {
            assert_eq!(enc(len), bytes, "encode {len:#x}");
            assert_eq!(
                decode_length(bytes).unwrap(),
                Some((len, bytes.len())),
                "decode {len:#x}"
            );
            // Every shorter prefix asks for more bytes instead of guessing.
            for cut in 0..bytes.len() {
                assert_eq!(decode_length(&bytes[..cut]).unwrap(), None);
            }
        }
    }

    #[test]
    fn control_bytes_are_protocol_errors() {
        for b in 0xF8..=0xFFu8 {
            assert!(matches!(
                decode_length(&[b, 0, 0, 0, 0]),
                Err(CodecError::ControlByte(x)) if x == b
            ));
        }
    }

    #[test]
    fn length_counts_bytes_not_characters() {
        let s = Sentence::new("/ip/hotspot/user/set").attr("comment", "Café");
        let mut buf = BytesMut::new();
        s.write_to(&mut buf);
        let comment = b"\x0e=comment=Caf\xc3\xa9";
        assert!(buf.windows(comment.len()).any(|w| w == comment));
    }

    #[test]
    fn modern_login_is_byte_exact() {
        let s = Sentence::new("/login")
            .attr("name", "admin")
            .attr("password", "secret");
        let mut buf = BytesMut::new();
        SentenceCodec::default().encode(&s, &mut buf).unwrap();
        let mut expected = vec![0x06];
        expected.extend_from_slice(b"/login");
        expected.push(0x0b);
        expected.extend_from_slice(b"=name=admin");
        expected.push(0x10);
        expected.extend_from_slice(b"=password=secret");
        expected.push(0x00);
        assert_eq!(buf.as_ref(), expected.as_slice());
        assert_eq!(buf.len(), 37);
    }

    #[test]
    fn decoder_handles_byte_by_byte_arrival_and_skips_empty_sentences() {
        let mut wire = BytesMut::new();
        wire.extend_from_slice(&[0x00]); // empty sentence: ignored
        Sentence::new("!re")
            .attr("name", "x".repeat(200))
            .with_tag("7")
            .write_to(&mut wire);
        Sentence::new("!done").with_tag("7").write_to(&mut wire);

        let mut codec = SentenceCodec::default();
        let mut src = BytesMut::new();
        let mut out = Vec::new();
        for b in wire {
            src.extend_from_slice(&[b]);
            while let Some(s) = codec.decode(&mut src).unwrap() {
                out.push(s);
            }
        }
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].command(), Some("!re"));
        assert_eq!(out[0].get("name").map(str::len), Some(200));
        assert_eq!(out[1].tag(), Some("7"));
        assert!(src.is_empty());
    }

    #[test]
    fn oversized_words_are_refused_before_buffering() {
        let mut codec = SentenceCodec::new(1024, 10);
        let mut src = BytesMut::new();
        encode_length(4096, &mut src);
        assert!(matches!(
            codec.decode(&mut src),
            Err(CodecError::WordTooLong {
                len: 4096,
                max: 1024
            })
        ));
    }
}

#[cfg(test)]
mod properties {
    use bytes::BytesMut;
    use proptest::prelude::*;
    use tokio_util::codec::Decoder;

    use super::SentenceCodec;
    use crate::sentence::Sentence;

    fn words() -> impl Strategy<Value = Vec<Vec<u8>>> {
        // Non-empty words (an empty word ends a sentence), some long enough
        // for the 2- and 3-byte length forms.
        let word = prop_oneof![
            4 => proptest::collection::vec(any::<u8>(), 1..40),
            1 => proptest::collection::vec(any::<u8>(), 120..300),
            1 => proptest::collection::vec(any::<u8>(), 16_380..16_400),
        ];
        proptest::collection::vec(word, 1..6)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn sentences_round_trip_through_any_read_split(
            sentences in proptest::collection::vec(words(), 1..4),
            cuts in proptest::collection::vec(1usize..5000, 0..20),
        ) {
            let mut wire = BytesMut::new();
            for s in &sentences {
                Sentence::from_words(s.clone()).write_to(&mut wire);
            }
            let wire = wire.freeze();
            let mut codec = SentenceCodec::default();
            let mut buf = BytesMut::new();
            let mut out = Vec::new();
            let mut pos = 0;
            let mut cuts = cuts.into_iter();
            while pos < wire.len() {
                let n = cuts.next().unwrap_or(wire.len()).min(wire.len() - pos);
                buf.extend_from_slice(&wire[pos..pos + n]);
                pos += n;
                while let Some(s) = codec.decode(&mut buf).unwrap() {
                    out.push(s.words().to_vec());
                }
            }
            prop_assert_eq!(out, sentences);
            prop_assert!(buf.is_empty());
        }
    }
}
