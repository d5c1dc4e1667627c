//! `print` queries for the documented stack machine (docs/routeros.md, "Wire protocol": queries).

/// One query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// `?name` — the item has the property.
    Has(String),
    /// `?-name` — the item lacks the property.
    Lacks(String),
    /// `?name=value`.
    Eq(String, String),
    /// `?<name=value`.
    Lt(String, String),
    /// `?>name=value`.
    Gt(String, String),
    /// `?#ops` — stack operations (`!`, `&`, `|`, indexes, `.`).
    Ops(String),
}

impl Query {
    /// The wire word.
    pub fn word(&self) -> String {
        match self {
            Query::Has(n) => format!("?{n}"),
            Query::Lacks(n) => format!("?-{n}"),
            Query::Eq(n, v) => format!("?{n}={v}"),
            Query::Lt(n, v) => format!("?<{n}={v}"),
            Query::Gt(n, v) => format!("?>{n}={v}"),
            Query::Ops(ops) => format!("?#{ops}"),
        }
    }

    /// `name = any of values` as `?name=a ?name=b ?#|` (a single value needs no OR:
    /// `?#|` with one pushed value would OR it with the implicit `true`).
    pub fn any_of<I, S>(name: &str, values: I) -> Vec<Query>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut out: Vec<Query> = values
            .into_iter()
            .map(|v| Query::Eq(name.to_owned(), v.into()))
            .collect();
        if out.len() > 1 {
            out.push(Query::Ops("|".repeat(out.len() - 1)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_the_documented_forms() {
        assert_eq!(Query::Has("comment".into()).word(), "?comment");
        assert_eq!(Query::Lacks("comment".into()).word(), "?-comment");
        assert_eq!(
            Query::Eq("user".into(), "alice".into()).word(),
            "?user=alice"
        );
        assert_eq!(
            Query::Gt("bytes-out".into(), "1000".into()).word(),
            "?>bytes-out=1000"
        );
        assert_eq!(Query::Lt("a".into(), "1".into()).word(), "?<a=1");
        assert_eq!(Query::Ops("&!".into()).word(), "?#&!");
    }

    #[test]
    fn any_of_ors_only_when_there_is_more_than_one_value() {
        assert_eq!(
            Query::any_of("user", ["alice"]),
            vec![Query::Eq("user".into(), "alice".into())]
        );
        let words: Vec<String> = Query::any_of("user", ["a", "b", "c"])
            .iter()
            .map(Query::word)
            .collect();
        assert_eq!(words, ["?user=a", "?user=b", "?user=c", "?#||"]);
    }
}
