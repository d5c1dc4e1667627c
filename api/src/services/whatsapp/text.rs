//! How gerbang writes inside a WhatsApp message: text a person typed (a
//! registration name, a reason, a note) is quoted so it can never turn the
//! message into something else — one line, no links, no formatting marks,
//! capped in length — and amounts, sizes and times read as people read them.

use time::PrimitiveDateTime;

/// What replaces a link in quoted text.
pub const LINK_REMOVED: &str = "[tautan dihapus]";

/// `s` made safe to quote: control, format and invisible characters and
/// line breaks become spaces, runs of spaces one; WhatsApp's formatting
/// marks (`*`, `_`, `~`, `` ` ``) are dropped; anything that reads as a link
/// (a scheme, `www.`, a host name, an address with `@`) is replaced by
/// [`LINK_REMOVED`]; at most `max` characters, cut with "…".
pub fn quoted(s: &str, max: usize) -> String {
    let spaced: String = s
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '~' | '`'))
        .map(|c| if invisible(c) { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced
        .split_whitespace()
        .map(|w| if looks_like_link(w) { LINK_REMOVED } else { w })
        .collect();
    let line = words.join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Characters that must not survive into a message: controls (line breaks
/// included), and the zero-width and direction marks that disguise text.
fn invisible(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}')
}

/// Whether a word would be shown (or tapped) as a link: a scheme, `www.`,
/// an `@` address or a host name (`word.tld`, with or without a path).
fn looks_like_link(word: &str) -> bool {
    let w = word.to_lowercase();
    if w.contains("://") || w.starts_with("www.") || w.contains("wa.me") {
        return true;
    }
    let host = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

const MONTHS_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A facility-local time in Indonesian: "5 Des 2026 pukul 14.30".
pub fn when_id(t: PrimitiveDateTime) -> String {
    format!(
        "{} {} {} pukul {:02}.{:02}",
        t.day(),
        MONTHS_ID[usize::from(u8::from(t.month())) - 1],
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// The same in English: "5 Dec 2026, 14:30".
pub fn when_en(t: PrimitiveDateTime) -> String {
    format!(
        "{} {} {}, {:02}:{:02}",
        t.day(),
        MONTHS_EN[usize::from(u8::from(t.month())) - 1],
        t.year(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_lines_and_links_stays_one_harmless_line() {
        let name = "Budi\n\n*PENTING*: akun diblokir, buka https://evil.example/login\r\natau bit.ly/abc atau www.x.id";
        assert_eq!(
            quoted(name, 200),
            "Budi PENTING: akun diblokir, buka [tautan dihapus] atau [tautan dihapus] atau [tautan dihapus]"
        );
        assert_eq!(
            quoted("hubungi wa.me/628123", 80),
            "hubungi [tautan dihapus]"
        );
        assert_eq!(quoted("x@evil.com", 80), LINK_REMOVED);
        assert_eq!(quoted("a\u{202E}b\u{200B}c", 80), "a b c");
    }

    #[test]
    fn ordinary_text_is_kept() {
        for s in [
            "M. Rizki",
            "Blok A-12",
            "1.5 GB",
            "Pak Joko, regu 3.",
            "Siti (tamping dapur)",
        ] {
            assert_eq!(quoted(s, 80), s);
        }
    }

    #[test]
    fn long_text_is_cut_at_the_cap() {
        let s = "a".repeat(100);
        let q = quoted(&s, 10);
        assert_eq!(q.chars().count(), 10);
        assert!(q.ends_with('…'));
    }

    #[test]
    fn times_read_as_people_read_them() {
        let t = time::macros::datetime!(2026-12-05 14:30);
        assert_eq!(when_id(t), "5 Des 2026 pukul 14.30");
        assert_eq!(when_en(t), "5 Dec 2026, 14:30");
    }
}
