//! Finding people for the admin list: search by any part of a number or a
//! name, filters (role, access status, approval, router, blok/kamar, tamping
//! type), three orders, keyset pages and the total. Every condition is
//! index-backed (trigram indexes for the search, one b-tree per order:
//! migration `finding_people`).

use deadpool_postgres::GenericClient;
use shared_types::{AccessStatus, Approval, Role, UserSort};
use time::OffsetDateTime;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

/// What the admin asked for.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Free text: digits search the number (`0812…`, `62812…`, `+62812…`, `1234`),
    /// anything else the name and username.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub status: Option<AccessStatus>,
    pub approval: Option<Approval>,
    pub router_id: Option<Uuid>,
    pub blok: Option<String>,
    pub kamar: Option<String>,
    pub tamping_type: Option<String>,
    pub sort: UserSort,
    /// Only these people (those online now, read from the routers), or,
    /// with `exclude`, everyone but them.
    pub online: Option<(Vec<Uuid>, bool)>,
}

/// Where the previous page ended: the sort key of its last row and its id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cursor {
    pub key: String,
    pub id: Uuid,
}

/// The number fragment a search text stands for, in the stored form's digits
/// (`+62…`), when the text is a number: `0812` → `62812`, `+62 812` → `62812`,
/// `1234` → `1234`. At least 3 digits (shorter fragments match everyone).
pub fn phone_fragment(q: &str) -> Option<String> {
    if q.chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')')))
    {
        return None;
    }
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix('0') {
        Some(rest) => format!("62{rest}"),
        None => digits,
    };
    (digits.len() >= 3).then_some(digits)
}

/// `%`, `_` and `\` taken literally in a LIKE pattern.
fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The sort expression, its direction, and the SQL type its cursor key
/// (sent as text) is read back as.
fn order(sort: UserSort) -> (&'static str, &'static str, &'static str) {
    match sort {
        UserSort::Name => ("lower(name)", "asc", "text"),
        UserSort::Newest => ("created_at", "desc", "timestamptz"),
        UserSort::MostUsed => ("used_bytes", "desc", "bigint"),
    }
}

/// One page (`limit` rows after `after`) and the total that match.
pub async fn search(
    db: &impl GenericClient,
    query: &UserQuery,
    after: Option<&Cursor>,
    limit: i64,
    now: OffsetDateTime,
) -> Result<(Vec<super::users::User>, i64, Option<Cursor>), tokio_postgres::Error> {
    let mut conditions: Vec<String> = Vec::new();
    let mut params: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    let param = |v: Box<dyn ToSql + Sync + Send>, params: &mut Vec<_>| {
        params.push(v);
        format!("${}", params.len())
    };
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        match phone_fragment(q) {
            Some(digits) => {
                let p = param(Box::new(format!("%{digits}%")), &mut params);
                conditions.push(format!("phone like {p}"));
            }
            None => {
                let p = param(
                    Box::new(format!("%{}%", like_literal(&q.to_lowercase()))),
                    &mut params,
                );
                conditions.push(format!("(lower(name) like {p} or username like {p})"));
            }
        }
    }
    if let Some(role) = query.role {
        let p = param(Box::new(role.as_str()), &mut params);
        conditions.push(format!("role = {p}"));
    }
    if let Some(approval) = query.approval {
        let p = param(Box::new(approval.as_str()), &mut params);
        conditions.push(format!("approval = {p}"));
    }
    if let Some(router) = query.router_id {
        let p = param(Box::new(router), &mut params);
        conditions.push(format!("router_id = {p}"));
    }
    for (column, value) in [
        ("blok", &query.blok),
        ("kamar", &query.kamar),
        ("tamping_type", &query.tamping_type),
    ] {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            let p = param(Box::new(v.to_owned()), &mut params);
            conditions.push(format!("lower({column}) = lower({p})"));
        }
    }
    if let Some((ids, exclude)) = &query.online {
        let p = param(Box::new(ids.clone()), &mut params);
        conditions.push(if *exclude {
            format!("id <> all({p})")
        } else {
            format!("id = any({p})")
        });
    }
    if let Some(status) = query.status {
        let at = param(Box::new(now), &mut params);
        let p = param(Box::new(status.as_str()), &mut params);
        conditions.push(format!("access_status(users, {at}) = {p}"));
    }
    let filter = if conditions.is_empty() {
        "true".to_owned()
    } else {
        conditions.join(" and ")
    };
    let total: i64 = {
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| &**p as _).collect();
        db.query_one(&format!("select count(*) from users where {filter}"), &refs)
            .await?
            .get(0)
    };

    let (key, dir, key_type) = order(query.sort);
    let mut page_filter = filter;
    if let Some(c) = after {
        let cmp = if dir == "asc" { ">" } else { "<" };
        let k = param(Box::new(c.key.clone()), &mut params);
        let id = param(Box::new(c.id), &mut params);
        page_filter = format!("{page_filter} and ({key}, id) {cmp} ({k}::text::{key_type}, {id})");
    }
    let lim = param(Box::new(limit + 1), &mut params);
    let sql = format!(
        "select {cols}, ({key})::text as sort_key from users where {page_filter}
         order by {key} {dir}, id {dir} limit {lim}",
        cols = super::users::COLUMNS,
    );
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| &**p as _).collect();
    let mut rows = db.query(&sql, &refs).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| Cursor {
            key: r.get("sort_key"),
            id: r.get("id"),
        })
    } else {
        None
    };
    let users = rows.iter().map(super::users::User::from_row).collect();
    Ok((users, total, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_of_a_number_becomes_the_stored_digits() {
        assert_eq!(phone_fragment("0812").as_deref(), Some("62812"));
        assert_eq!(phone_fragment("62812").as_deref(), Some("62812"));
        assert_eq!(phone_fragment("+62 812-3456").as_deref(), Some("628123456"));
        assert_eq!(phone_fragment("1234").as_deref(), Some("1234"));
        assert_eq!(phone_fragment("12"), None, "too short to narrow anything");
        assert_eq!(phone_fragment("Budi 12"), None, "a name");
    }

    #[test]
    fn like_wildcards_in_names_are_literal() {
        assert_eq!(like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
