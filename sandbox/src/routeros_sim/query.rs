//! The `print` query stack machine (docs/routeros.md, "Wire protocol": queries), evaluated per item.

use std::collections::BTreeMap;

/// Whether `item` matches the query words (without their leading `?`).
pub fn matches(item: &BTreeMap<String, String>, queries: &[String]) -> bool {
    // The stack starts with infinitely many `true`s: popping past the
    // explicit entries yields `true`.
    let mut stack: Vec<bool> = Vec::new();
    for q in queries {
        if let Some(ops) = q.strip_prefix('#') {
            run_ops(&mut stack, ops);
            continue;
        }
        let value = if let Some(name) = q.strip_prefix('-') {
            !item.contains_key(name)
        } else if let Some(rest) = q.strip_prefix('<') {
            compare(item, rest, std::cmp::Ordering::Less)
        } else if let Some(rest) = q.strip_prefix('>') {
            compare(item, rest, std::cmp::Ordering::Greater)
        } else if let Some(rest) = q.strip_prefix('=') {
            equals(item, rest)
        } else if q.contains('=') {
            equals(item, q)
        } else {
            item.contains_key(q.as_str())
        };
        stack.push(value);
    }
    stack.iter().all(|&b| b)
}

fn equals(item: &BTreeMap<String, String>, expr: &str) -> bool {
    let (name, want) = expr.split_once('=').unwrap_or((expr, ""));
    match item.get(name) {
        Some(have) => same_value(have, want),
        // An absent property equals the empty string.
        None => want.is_empty(),
    }
}

fn same_value(have: &str, want: &str) -> bool {
    if have == want {
        return true;
    }
    match (as_bool(have), as_bool(want)) {
        (Some(a), Some(b)) => a == b,
        _ => have.eq_ignore_ascii_case(want) && looks_like_mac(have),
    }
}

fn as_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "yes" => Some(true),
        "false" | "no" => Some(false),
        _ => None,
    }
}

fn looks_like_mac(s: &str) -> bool {
    s.len() == 17 && s.bytes().filter(|&b| b == b':').count() == 5
}

fn compare(item: &BTreeMap<String, String>, expr: &str, want: std::cmp::Ordering) -> bool {
    let (name, value) = expr.split_once('=').unwrap_or((expr, ""));
    let have = item.get(name).map(String::as_str).unwrap_or("");
    let ord = match (have.parse::<i128>(), value.parse::<i128>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => have.cmp(value),
    };
    ord == want
}

fn run_ops(stack: &mut Vec<bool>, ops: &str) {
    let bytes = ops.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let index: usize = ops[start..i].parse().unwrap_or(0);
            let slot = stack
                .len()
                .checked_sub(index + 1)
                .map(|p| stack[p])
                .unwrap_or(true);
            if i == bytes.len() {
                // Index at the end of the word: the whole stack becomes that slot.
                stack.clear();
                stack.push(slot);
            } else {
                stack.push(slot);
                if bytes[i] == b'.' {
                    i += 1; // `.` after an index is a no-op
                }
            }
            continue;
        }
        match c {
            b'!' => {
                let top = stack.pop().unwrap_or(true);
                stack.push(!top);
            }
            b'&' | b'|' => {
                let a = stack.pop().unwrap_or(true);
                let b = stack.pop().unwrap_or(true);
                stack.push(if c == b'&' { a && b } else { a || b });
            }
            b'.' => {
                let top = stack.last().copied().unwrap_or(true);
                stack.push(top);
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn q(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn or_of_two_users() {
        let words = q(&["user=alice", "user=bob", "#|"]);
        assert!(matches(&item(&[("user", "alice")]), &words));
        assert!(matches(&item(&[("user", "bob")]), &words));
        assert!(!matches(&item(&[("user", "carol")]), &words));
    }

    #[test]
    fn or_with_one_pushed_value_matches_everything() {
        // The documented pitfall: OR with the implicit `true`.
        assert!(matches(
            &item(&[("user", "carol")]),
            &q(&["user=alice", "#|"])
        ));
    }

    #[test]
    fn presence_absence_and_comparisons() {
        let it = item(&[
            ("comment", "x"),
            ("bytes-out", "2000000000"),
            ("disabled", "false"),
        ]);
        assert!(matches(&it, &q(&["comment"])));
        assert!(!matches(&it, &q(&["-comment"])));
        assert!(matches(&it, &q(&[">comment="])));
        assert!(matches(&it, &q(&[">bytes-out=1000000000"])));
        assert!(!matches(&it, &q(&["<bytes-out=1000000000"])));
        assert!(
            matches(&it, &q(&["disabled=no"])),
            "yes/no equals true/false"
        );
        assert!(
            matches(&it, &q(&["=disabled=false"])),
            "libraries also send ?=name=x"
        );
    }

    #[test]
    fn not_of_and() {
        let words = q(&[">distance=1", "gateway=172.16.1.1", "#&!"]);
        assert!(!matches(
            &item(&[("distance", "2"), ("gateway", "172.16.1.1")]),
            &words
        ));
        assert!(matches(
            &item(&[("distance", "1"), ("gateway", "172.16.1.1")]),
            &words
        ));
    }

    #[test]
    fn index_ops() {
        // push a=false, b=true; "1" at the end replaces the stack with slot 1 (a).
        let it = item(&[("b", "1")]);
        assert!(!matches(&it, &q(&["a", "b", "#1"])));
        // "0." pushes a copy of the top (b) then no-op: stack [false, true, true] → false remains.
        assert!(!matches(&it, &q(&["a", "b", "#0."])));
        // `.` alone duplicates the top.
        assert!(matches(&it, &q(&["b", "#."])));
    }
}
