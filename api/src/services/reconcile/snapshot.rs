//! What the router reports in one cycle, each menu read once, and the same
//! rows indexed for lookups by account name and by MAC.

use std::collections::HashMap;

use routeros::{menus::HotspotUser, menus::Menu, Query, Row};
use shared_types::LoginMode;

use super::desired::all_lists;
use crate::{
    db::routers::RouterRow, integrations::routers::RouterClient, services::accounting::Observation,
    services::router_account::HotspotError,
};

/// The properties of `/ip/hotspot/user` a cycle reads.
pub const USER_PROPS: &[&str] = &[
    ".id",
    "name",
    "password",
    "profile",
    "limit-bytes-total",
    "bytes-in",
    "bytes-out",
    "disabled",
    "comment",
];
/// Properties of `/ip/hotspot/active` a cycle reads.
pub(super) const ACTIVE_PROPS: &[&str] = &[
    ".id",
    "user",
    "mac-address",
    "address",
    "bytes-in",
    "bytes-out",
    "limit-bytes-total",
];
const HOST_PROPS: &[&str] = &[
    ".id",
    "mac-address",
    "address",
    "bytes-in",
    "bytes-out",
    "bypassed",
];
const LIST_PROPS: &[&str] = &[".id", "list", "address", "comment", "dynamic"];
const BINDING_PROPS: &[&str] = &[".id", "mac-address", "type", "comment"];
const QUEUE_PROPS: &[&str] = &[".id", "name", "target", "max-limit", "comment", "dynamic"];
const PROFILE_PROPS: &[&str] = &[".id", "name", "rate-limit"];

/// bytes-in + bytes-out of a user or session row.
pub fn counted(row: &Row) -> i64 {
    let bytes = row.u64("bytes-in").ok().flatten().unwrap_or(0)
        + row.u64("bytes-out").ok().flatten().unwrap_or(0);
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// A property as text, empty when missing.
pub fn text_of(row: &Row, k: &str) -> String {
    row.text(k).map(|t| t.into_owned()).unwrap_or_default()
}

/// What the router reports in one cycle, each menu read once.
pub struct Snapshot {
    pub users: Vec<Row>,
    pub active: Vec<Row>,
    pub hosts: Vec<Row>,
    pub entries: Vec<Row>,
    pub profiles: Vec<Row>,
    pub bindings: Vec<Row>,
    pub queues: Vec<Row>,
    pub reads: usize,
}

/// Reads every menu a cycle needs, all at once over one session.
pub async fn snapshot(client: &RouterClient, router: &RouterRow) -> Result<Snapshot, HotspotError> {
    // Up to seven reads in flight at once.
    let session = super::apply::batch_session(client, 7);
    let api = &session;
    let bypass = router.login_mode == LoginMode::Bypass;
    let lists = all_lists(&router.address_list_prefix);
    let read =
        |path: &'static str, props: &'static [&'static str]| api.print(path).proplist(props).rows();
    let bypass_read = |path: &'static str, props: &'static [&'static str]| async move {
        if bypass {
            api.print(path).proplist(props).rows().await
        } else {
            Ok(Vec::new())
        }
    };
    let (users, active, hosts, entries, profiles, bindings, queues) = tokio::join!(
        read(HotspotUser::PATH, USER_PROPS),
        read(routeros::menus::Active::PATH, ACTIVE_PROPS),
        read(routeros::menus::Host::PATH, HOST_PROPS),
        api.print(routeros::menus::AddressListEntry::PATH)
            .proplist(LIST_PROPS)
            .queries(Query::any_of("list", lists))
            .rows(),
        api.print(routeros::menus::UserProfile::PATH)
            .proplist(PROFILE_PROPS)
            .query(Query::Eq("name".into(), router.fup_profile.clone()))
            .rows(),
        bypass_read(routeros::menus::IpBinding::PATH, BINDING_PROPS),
        bypass_read(routeros::menus::SimpleQueue::PATH, QUEUE_PROPS),
    );
    let e = |r: Result<Vec<Row>, routeros::Error>| r.map_err(|e| client.err(e));
    Ok(Snapshot {
        users: e(users)?,
        active: e(active)?,
        hosts: e(hosts)?,
        entries: e(entries)?,
        profiles: e(profiles)?,
        bindings: e(bindings)?,
        queues: e(queues)?,
        reads: if bypass { 7 } else { 5 },
    })
}

/// The snapshot indexed for lookups: accounts by name, sessions by user,
/// hosts by MAC.
pub struct Index<'a> {
    pub by_name: HashMap<String, &'a Row>,
    pub sessions_of: HashMap<String, Vec<&'a Row>>,
    pub host_of: HashMap<String, &'a Row>,
}

impl<'a> Index<'a> {
    pub fn of(snap: &'a Snapshot) -> Self {
        let by_name = snap
            .users
            .iter()
            .filter_map(|r| Some((r.text("name")?.into_owned(), r)))
            .collect();
        let mut sessions_of: HashMap<String, Vec<&Row>> = HashMap::new();
        for a in &snap.active {
            if let Some(user) = a.text("user") {
                sessions_of.entry(user.into_owned()).or_default().push(a);
            }
        }
        let host_of = snap
            .hosts
            .iter()
            .filter_map(|h| Some((h.text("mac-address")?.to_ascii_uppercase(), h)))
            .collect();
        Self {
            by_name,
            sessions_of,
            host_of,
        }
    }

    pub fn sessions(&self, name: &str) -> &[&'a Row] {
        self.sessions_of.get(name).map_or(&[], |v| &v[..])
    }

    /// What the router counts for a user now: the account's committed
    /// counters and live sessions (`None` without an account in hotspot
    /// mode), and in bypass mode the counters of their bypassed hosts too
    /// (there the account only carries the logins that prove a device).
    pub fn observe(&self, mode: LoginMode, name: &str, macs: &[String]) -> Option<Observation> {
        let key = |a: &Row| {
            format!(
                "{}/{}",
                a.get(".id").unwrap_or_default(),
                a.get("mac-address").unwrap_or_default()
            )
        };
        let row = self.by_name.get(name);
        if row.is_none() && mode == LoginMode::HotspotLogin {
            return None;
        }
        let hosts = if mode == LoginMode::Bypass {
            macs.iter()
                .filter_map(|m| self.host_of.get(m).copied())
                .filter(|h| h.text("bypassed").as_deref() == Some("true"))
                .map(|h| (key(h), counted(h)))
                .collect()
        } else {
            Default::default()
        };
        Some(Observation {
            committed: row.map_or(0, |r| counted(r)),
            sessions: self
                .sessions(name)
                .iter()
                .map(|a| (key(a), counted(a)))
                .collect(),
            hosts,
        })
    }

    /// The current addresses of these devices.
    pub fn addresses(&self, macs: &[String]) -> Vec<String> {
        macs.iter()
            .filter_map(|m| self.host_of.get(m)?.text("address"))
            .map(|a| a.into_owned())
            .collect()
    }
}
