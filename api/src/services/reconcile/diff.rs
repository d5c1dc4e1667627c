//! The pure diffs: given what the router has (rows) and what it should have,
//! the smallest list of writes. Nothing here talks to a router, so every rule
//! is unit tested below.

use std::collections::{HashMap, HashSet};

use routeros::{menus::HotspotUser, menus::Menu, Row};

use super::{desired::DesiredUser, snapshot::text_of};
use crate::{db::routers::RouterRow, services::router_account::is_ours};

/// One write a cycle makes, on one menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Add(&'static str, Vec<(&'static str, String)>),
    Set(&'static str, routeros::Id, Vec<(&'static str, String)>),
    Unset(&'static str, routeros::Id, &'static str),
    Remove(&'static str, routeros::Id),
}

/// The writes that make `actual` (the router's row, if any) match `desired`.
pub fn user_changes(actual: Option<&Row>, desired: &DesiredUser) -> Vec<Change> {
    let Some(row) = actual else {
        let mut props = vec![("name", desired.name.clone())];
        props.extend(desired.props());
        return vec![Change::Add(HotspotUser::PATH, props)];
    };
    let Some(id) = row.id() else {
        return vec![];
    };
    let mut out = Vec::new();
    let set = differing(row, desired.props());
    if !set.is_empty() {
        out.push(Change::Set(HotspotUser::PATH, id, set));
    }
    if desired.limit_bytes_total.is_none() && row.get("limit-bytes-total").is_some() {
        out.push(Change::Unset(HotspotUser::PATH, id, "limit-bytes-total"));
    }
    out
}

/// The properties whose value on the router differs from the wanted one.
fn differing(row: &Row, wanted: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    wanted
        .into_iter()
        .filter(|(k, v)| row.text(k).as_deref() != Some(v.as_str()))
        .collect()
}

/// Address-list membership: one entry per (list, address), owned by a user.
/// An address whose user changed status is moved with one `set list=`.
pub fn entry_changes(entries: &[Row], wanted: &HashMap<(String, String), String>) -> Vec<Change> {
    const PATH: &str = routeros::menus::AddressListEntry::PATH;
    let mut out = Vec::new();
    let mut have = HashSet::new();
    let mut extra: Vec<(routeros::Id, String)> = Vec::new();
    for e in entries.iter().filter(|e| is_ours(e)) {
        let key = (text_of(e, "list"), text_of(e, "address"));
        let Some(id) = e.id() else { continue };
        match wanted.get(&key) {
            Some(comment) if have.insert(key.clone()) => {
                if e.text("comment").as_deref() != Some(comment.as_str()) {
                    out.push(Change::Set(PATH, id, vec![("comment", comment.clone())]));
                }
            }
            _ => extra.push((id, key.1)),
        }
    }
    let mut missing: Vec<_> = wanted.iter().filter(|(k, _)| !have.contains(*k)).collect();
    missing.sort();
    for ((list, address), comment) in missing {
        if let Some(pos) = extra.iter().position(|(_, a)| a == address) {
            let (id, _) = extra.swap_remove(pos);
            out.push(Change::Set(
                PATH,
                id,
                vec![("list", list.clone()), ("comment", comment.clone())],
            ));
            continue;
        }
        out.push(Change::Add(
            PATH,
            vec![
                ("list", list.clone()),
                ("address", address.clone()),
                ("comment", comment.clone()),
            ],
        ));
    }
    out.extend(extra.into_iter().map(|(id, _)| Change::Remove(PATH, id)));
    out
}

/// Bypass ip-bindings: one `bypassed` binding per device of a user with access.
pub fn binding_changes(
    bindings: &[Row],
    wanted: &HashMap<String, String>,
    router: &RouterRow,
) -> Vec<Change> {
    const PATH: &str = routeros::menus::IpBinding::PATH;
    let mut out = Vec::new();
    let mut have = HashSet::new();
    for b in bindings.iter().filter(|b| is_ours(b)) {
        let mac = text_of(b, "mac-address").to_ascii_uppercase();
        let Some(id) = b.id() else { continue };
        match wanted.get(&mac) {
            Some(comment) if have.insert(mac.clone()) => {
                let set = differing(
                    b,
                    vec![("type", "bypassed".into()), ("comment", comment.clone())],
                );
                if !set.is_empty() {
                    out.push(Change::Set(PATH, id, set));
                }
            }
            _ => out.push(Change::Remove(PATH, id)),
        }
    }
    let mut missing: Vec<_> = wanted.iter().filter(|(m, _)| !have.contains(*m)).collect();
    missing.sort();
    for (mac, comment) in missing {
        out.push(Change::Add(
            PATH,
            vec![
                ("mac-address", mac.clone()),
                ("type", "bypassed".into()),
                ("server", router.hotspot_server.clone()),
                ("comment", comment.clone()),
            ],
        ));
    }
    out
}

/// Bypass FUP queues: one simple queue per user in FUP over their addresses
/// (bypassed hosts get no profile rate limit).
pub fn queue_changes(
    queues: &[Row],
    wanted: &HashMap<String, (String, String)>,
    rate: &str,
) -> Vec<Change> {
    const PATH: &str = routeros::menus::SimpleQueue::PATH;
    let mut out = Vec::new();
    let mut have = HashSet::new();
    for q in queues.iter().filter(|q| is_ours(q)) {
        let name = text_of(q, "name");
        let Some(id) = q.id() else { continue };
        match wanted.get(&name) {
            Some((target, comment)) if have.insert(name.clone()) => {
                let set = differing(
                    q,
                    vec![
                        ("target", target.clone()),
                        ("max-limit", rate.to_owned()),
                        ("comment", comment.clone()),
                    ],
                );
                if !set.is_empty() {
                    out.push(Change::Set(PATH, id, set));
                }
            }
            _ => out.push(Change::Remove(PATH, id)),
        }
    }
    let mut missing: Vec<_> = wanted.iter().filter(|(n, _)| !have.contains(*n)).collect();
    missing.sort();
    for (name, (target, comment)) in missing {
        out.push(Change::Add(
            PATH,
            vec![
                ("name", name.clone()),
                ("target", target.clone()),
                ("max-limit", rate.to_owned()),
                ("comment", comment.clone()),
            ],
        ));
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub fn row(pairs: &[(&str, &str)]) -> Row {
        Row::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    fn desired(limit: Option<u64>, disabled: bool) -> DesiredUser {
        DesiredUser {
            name: "081234567890".into(),
            password: "abc".into(),
            profile: "default".into(),
            limit_bytes_total: limit,
            disabled,
            comment: "gerbang:uid=x".into(),
        }
    }

    #[test]
    fn a_matching_row_needs_no_write() {
        let r = row(&[
            (".id", "*1"),
            ("name", "081234567890"),
            ("password", "abc"),
            ("profile", "default"),
            ("disabled", "false"),
            ("comment", "gerbang:uid=x"),
            ("limit-bytes-total", "100"),
        ]);
        assert!(user_changes(Some(&r), &desired(Some(100), false)).is_empty());
        match &user_changes(Some(&r), &desired(Some(200), true))[..] {
            [Change::Set(_, _, props)] => assert_eq!(
                props,
                &vec![
                    ("disabled", "true".to_owned()),
                    ("limit-bytes-total", "200".to_owned())
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &user_changes(Some(&r), &desired(None, false))[..],
            [Change::Unset(_, _, "limit-bytes-total")]
        ));
        assert!(matches!(
            &user_changes(None, &desired(None, false))[..],
            [Change::Add(_, p)] if p[0] == ("name", "081234567890".to_owned())
        ));
    }

    #[test]
    fn an_address_that_changed_status_is_moved_not_removed_and_added() {
        let entries = vec![
            row(&[
                (".id", "*A"),
                ("list", "gb-active"),
                ("address", "10.0.0.2"),
                ("comment", "gerbang:uid=x"),
            ]),
            // Not ours: never touched.
            row(&[
                (".id", "*B"),
                ("list", "gb-active"),
                ("address", "10.0.0.9"),
            ]),
            // Ours but no longer wanted.
            row(&[
                (".id", "*C"),
                ("list", "gb-fup"),
                ("address", "10.0.0.3"),
                ("comment", "gerbang:uid=y"),
            ]),
        ];
        let wanted = HashMap::from([
            (
                ("gb-exhausted".to_owned(), "10.0.0.2".to_owned()),
                "gerbang:uid=x".to_owned(),
            ),
            (
                ("gb-active".to_owned(), "10.0.0.4".to_owned()),
                "gerbang:uid=z".to_owned(),
            ),
        ]);
        let changes = entry_changes(&entries, &wanted);
        let id = |s: &str| s.parse::<routeros::Id>().unwrap();
        assert!(changes.contains(&Change::Set(
            routeros::menus::AddressListEntry::PATH,
            id("*A"),
            vec![
                ("list", "gb-exhausted".into()),
                ("comment", "gerbang:uid=x".into())
            ]
        )));
        assert!(changes.contains(&Change::Remove(
            routeros::menus::AddressListEntry::PATH,
            id("*C")
        )));
        assert!(changes.iter().any(
            |c| matches!(c, Change::Add(_, p) if p.contains(&("address", "10.0.0.4".into())))
        ));
        assert_eq!(changes.len(), 3, "{changes:?}");
        // Applied, nothing is left to do.
        let after = vec![
            row(&[
                (".id", "*A"),
                ("list", "gb-exhausted"),
                ("address", "10.0.0.2"),
                ("comment", "gerbang:uid=x"),
            ]),
            row(&[
                (".id", "*D"),
                ("list", "gb-active"),
                ("address", "10.0.0.4"),
                ("comment", "gerbang:uid=z"),
            ]),
        ];
        assert!(entry_changes(&after, &wanted).is_empty());
    }

    #[test]
    fn bindings_and_queues_keep_one_object_per_key_and_drop_strays() {
        let router = crate::db::routers::RouterRow::for_tests();
        let bindings = vec![
            row(&[
                (".id", "*1"),
                ("mac-address", "aa:bb:cc:dd:ee:01"),
                ("type", "regular"),
                ("comment", "gerbang:uid=x"),
            ]),
            row(&[
                (".id", "*2"),
                ("mac-address", "AA:BB:CC:DD:EE:01"),
                ("type", "bypassed"),
                ("comment", "gerbang:uid=x"),
            ]),
        ];
        let wanted = HashMap::from([("AA:BB:CC:DD:EE:01".to_owned(), "gerbang:uid=x".to_owned())]);
        let changes = binding_changes(&bindings, &wanted, &router);
        let id = |s: &str| s.parse::<routeros::Id>().unwrap();
        assert_eq!(
            changes,
            vec![
                Change::Set(
                    routeros::menus::IpBinding::PATH,
                    id("*1"),
                    vec![("type", "bypassed".into())]
                ),
                Change::Remove(routeros::menus::IpBinding::PATH, id("*2")),
            ]
        );

        let queues = vec![row(&[
            (".id", "*9"),
            ("name", "gerbang-fup-0812"),
            ("target", "10.0.0.2/32"),
            ("max-limit", "1M/1M"),
            ("comment", "gerbang:uid=x"),
        ])];
        let wanted = HashMap::from([(
            "gerbang-fup-0812".to_owned(),
            ("10.0.0.2/32".to_owned(), "gerbang:uid=x".to_owned()),
        )]);
        assert!(queue_changes(&queues, &wanted, "1M/1M").is_empty());
        assert_eq!(
            queue_changes(&queues, &wanted, "2M/2M"),
            vec![Change::Set(
                routeros::menus::SimpleQueue::PATH,
                id("*9"),
                vec![("max-limit", "2M/2M".into())]
            )]
        );
        assert_eq!(
            queue_changes(&queues, &HashMap::new(), "1M/1M"),
            vec![Change::Remove(routeros::menus::SimpleQueue::PATH, id("*9"))]
        );
    }
}
