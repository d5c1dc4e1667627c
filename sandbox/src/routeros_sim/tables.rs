//! The router's tables: items with opaque `.id`s, defaults, read-only and
//! unique properties, references, and the exact trap texts (docs/routeros.md, "Wire protocol" and "Hotspot menus").

use std::collections::BTreeMap;

/// What a menu allows.
pub struct Spec {
    pub path: &'static str,
    /// Properties `add`/`set` accept, in print order.
    pub writable: &'static [&'static str],
    /// Properties only the router sets, printed after the writable ones.
    pub readonly: &'static [&'static str],
    /// Values filled in on `add` when not given.
    pub defaults: &'static [(&'static str, &'static str)],
    /// Properties that must be given on `add`.
    pub required: &'static [&'static str],
    /// Properties whose combination is unique, with the duplicate trap text.
    pub unique: Option<(&'static [&'static str], &'static str)>,
    /// `(property, menu, key)`: the value must name an item of that menu.
    pub refs: &'static [(&'static str, &'static str, &'static str)],
    /// `(property, allowed values)`.
    pub enums: &'static [(&'static str, &'static [&'static str])],
    /// Whether `add`/`set` are allowed at all (active, host, cookie are read-only).
    pub editable: bool,
    /// Whether `remove` is allowed.
    pub removable: bool,
    /// Whether items survive a reboot.
    pub persisted: bool,
}

const BOOLS: &[&str] = &["true", "false", "yes", "no"];

pub static SPECS: &[Spec] = &[
    Spec {
        path: "/ip/hotspot/user",
        writable: &[
            "name",
            "password",
            "profile",
            "server",
            "mac-address",
            "address",
            "limit-bytes-in",
            "limit-bytes-out",
            "limit-bytes-total",
            "limit-uptime",
            "email",
            "routes",
            "comment",
            "disabled",
        ],
        readonly: &[
            "uptime",
            "bytes-in",
            "bytes-out",
            "packets-in",
            "packets-out",
            "dynamic",
        ],
        defaults: &[
            ("profile", "default"),
            ("server", "all"),
            ("disabled", "false"),
            ("uptime", "0s"),
            ("bytes-in", "0"),
            ("bytes-out", "0"),
            ("packets-in", "0"),
            ("packets-out", "0"),
            ("dynamic", "false"),
        ],
        required: &["name"],
        unique: Some((
            &["name"],
            "failure: already have user with this name for this server",
        )),
        refs: &[("profile", "/ip/hotspot/user/profile", "name")],
        enums: &[("disabled", BOOLS)],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/hotspot/user/profile",
        writable: &[
            "name",
            "rate-limit",
            "shared-users",
            "session-timeout",
            "idle-timeout",
            "keepalive-timeout",
            "address-list",
            "add-mac-cookie",
            "mac-cookie-timeout",
            "on-login",
            "on-logout",
            "comment",
        ],
        readonly: &["default"],
        defaults: &[
            ("shared-users", "1"),
            ("idle-timeout", "none"),
            ("keepalive-timeout", "2m"),
            ("add-mac-cookie", "true"),
            ("mac-cookie-timeout", "3d"),
            ("default", "false"),
        ],
        required: &["name"],
        unique: Some((&["name"], "failure: already have profile with this name")),
        refs: &[],
        enums: &[("add-mac-cookie", BOOLS)],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/hotspot",
        writable: &[
            "name",
            "interface",
            "address-pool",
            "profile",
            "idle-timeout",
            "addresses-per-mac",
            "disabled",
        ],
        readonly: &["invalid", "HTTPS"],
        defaults: &[
            ("profile", "default"),
            ("idle-timeout", "5m"),
            ("addresses-per-mac", "2"),
            ("disabled", "false"),
        ],
        required: &["name"],
        unique: Some((&["name"], "failure: already have server with this name")),
        refs: &[],
        enums: &[],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/hotspot/profile",
        writable: &[
            "name",
            "login-by",
            "http-cookie-lifetime",
            "dns-name",
            "html-directory",
            "hotspot-address",
            "rate-limit",
        ],
        readonly: &["default"],
        defaults: &[
            ("login-by", "cookie,http-chap"),
            ("http-cookie-lifetime", "3d"),
            ("html-directory", "hotspot"),
        ],
        required: &["name"],
        unique: Some((&["name"], "failure: already have profile with this name")),
        refs: &[],
        enums: &[],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/hotspot/active",
        writable: &[],
        readonly: &[
            "server",
            "user",
            "domain",
            "address",
            "mac-address",
            "login-by",
            "uptime",
            "idle-time",
            "session-time-left",
            "idle-timeout",
            "keepalive-timeout",
            "bytes-in",
            "bytes-out",
            "packets-in",
            "packets-out",
            "limit-bytes-in",
            "limit-bytes-out",
            "limit-bytes-total",
            "radius",
            "blocked",
        ],
        defaults: &[],
        required: &[],
        unique: None,
        refs: &[],
        enums: &[],
        editable: false,
        removable: true,
        persisted: false,
    },
    Spec {
        path: "/ip/hotspot/host",
        writable: &[],
        readonly: &[
            "mac-address",
            "address",
            "to-address",
            "server",
            "uptime",
            "idle-time",
            "bytes-in",
            "bytes-out",
            "packets-in",
            "packets-out",
            "found-by",
            "authorized",
            "bypassed",
            "blocked",
            "dynamic",
            "DHCP",
        ],
        defaults: &[],
        required: &[],
        unique: None,
        refs: &[],
        enums: &[],
        editable: false,
        removable: true,
        persisted: false,
    },
    Spec {
        path: "/ip/hotspot/ip-binding",
        writable: &[
            "mac-address",
            "address",
            "to-address",
            "server",
            "type",
            "comment",
            "disabled",
        ],
        readonly: &["dynamic"],
        defaults: &[
            ("server", "all"),
            ("type", "regular"),
            ("disabled", "false"),
            ("dynamic", "false"),
        ],
        required: &[],
        unique: None,
        refs: &[],
        enums: &[
            ("type", &["regular", "bypassed", "blocked"]),
            ("disabled", BOOLS),
        ],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/hotspot/cookie",
        writable: &[],
        readonly: &["user", "domain", "mac-address", "expires-in", "mac-cookie"],
        defaults: &[],
        required: &[],
        unique: None,
        refs: &[],
        enums: &[],
        editable: false,
        removable: true,
        persisted: false,
    },
    Spec {
        path: "/ip/hotspot/walled-garden",
        writable: &[
            "action",
            "server",
            "src-address",
            "method",
            "dst-host",
            "dst-port",
            "path",
            "comment",
            "disabled",
        ],
        readonly: &["hits", "dynamic"],
        defaults: &[
            ("action", "allow"),
            ("disabled", "false"),
            ("hits", "0"),
            ("dynamic", "false"),
        ],
        required: &[],
        unique: None,
        refs: &[],
        enums: &[("action", &["allow", "deny"]), ("disabled", BOOLS)],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/hotspot/walled-garden/ip",
        writable: &[
            "action",
            "server",
            "src-address",
            "src-address-list",
            "dst-address",
            "dst-address-list",
            "dst-host",
            "dst-port",
            "protocol",
            "comment",
            "disabled",
        ],
        readonly: &["dynamic"],
        defaults: &[
            ("action", "accept"),
            ("disabled", "false"),
            ("dynamic", "false"),
        ],
        required: &[],
        unique: None,
        refs: &[],
        enums: &[
            ("action", &["accept", "drop", "reject"]),
            ("disabled", BOOLS),
        ],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/firewall/address-list",
        writable: &["list", "address", "comment", "disabled", "timeout"],
        readonly: &["dynamic", "creation-time"],
        defaults: &[("disabled", "false"), ("dynamic", "false")],
        required: &["list", "address"],
        unique: Some((&["list", "address"], "failure: already have such entry")),
        refs: &[],
        enums: &[("disabled", BOOLS)],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/queue/simple",
        writable: &[
            "name",
            "target",
            "dst",
            "max-limit",
            "limit-at",
            "burst-limit",
            "burst-threshold",
            "burst-time",
            "parent",
            "priority",
            "queue",
            "comment",
            "disabled",
        ],
        readonly: &["bytes", "packets", "rate", "dropped", "dynamic"],
        defaults: &[
            ("max-limit", "0/0"),
            ("limit-at", "0/0"),
            ("parent", "none"),
            ("priority", "8/8"),
            ("queue", "default-small/default-small"),
            ("disabled", "false"),
            ("bytes", "0/0"),
            ("packets", "0/0"),
            ("rate", "0/0"),
            ("dropped", "0/0"),
            ("dynamic", "false"),
        ],
        required: &["target"],
        unique: Some((&["name"], "failure: already have queue with this name")),
        refs: &[],
        enums: &[("disabled", BOOLS)],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/dhcp-server/lease",
        writable: &[
            "address",
            "mac-address",
            "client-id",
            "server",
            "comment",
            "disabled",
            "lease-time",
            "address-lists",
            "block-access",
            "rate-limit",
        ],
        readonly: &[
            "status",
            "expires-after",
            "last-seen",
            "active-address",
            "active-mac-address",
            "host-name",
            "dynamic",
        ],
        defaults: &[
            ("disabled", "false"),
            ("dynamic", "false"),
            ("status", "waiting"),
        ],
        required: &["address"],
        unique: None,
        refs: &[],
        enums: &[("disabled", BOOLS)],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/ip/arp",
        writable: &[
            "address",
            "mac-address",
            "interface",
            "comment",
            "disabled",
            "published",
        ],
        readonly: &["dynamic", "complete", "invalid", "DHCP"],
        defaults: &[
            ("disabled", "false"),
            ("published", "false"),
            ("dynamic", "false"),
            ("complete", "true"),
            ("invalid", "false"),
            ("DHCP", "false"),
        ],
        required: &["address"],
        unique: None,
        refs: &[],
        enums: &[("disabled", BOOLS)],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/user",
        writable: &[
            "name", "group", "password", "address", "comment", "disabled",
        ],
        readonly: &["last-logged-in"],
        defaults: &[("group", "read"), ("disabled", "false")],
        required: &["name"],
        unique: Some((&["name"], "failure: user with the same name already exists")),
        refs: &[],
        enums: &[],
        editable: true,
        removable: true,
        persisted: true,
    },
    Spec {
        path: "/user/group",
        writable: &["name", "policy", "skin", "comment"],
        readonly: &[],
        defaults: &[("skin", "default")],
        required: &["name", "policy"],
        unique: Some((
            &["name"],
            "failure: group with the same name already exists",
        )),
        refs: &[],
        enums: &[],
        editable: true,
        removable: true,
        persisted: true,
    },
];

pub fn spec(path: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.path == path)
}

/// One item of a table.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: u32,
    pub props: BTreeMap<String, String>,
}

/// A table: items keyed by id. Ids come from a counter with a random start,
/// so id order is creation order (a reboot renumbers in the same order).
#[derive(Debug, Clone)]
pub struct Table {
    pub next_id: u32,
    items: BTreeMap<u32, Item>,
}

impl Table {
    pub fn new(start: u32) -> Self {
        Self {
            next_id: start,
            items: BTreeMap::new(),
        }
    }

    pub fn insert(&mut self, props: BTreeMap<String, String>) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        self.items.insert(id, Item { id, props });
        id
    }

    /// Items in creation order.
    pub fn iter(&self) -> impl Iterator<Item = &Item> {
        self.items.values()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: u32) -> Option<&Item> {
        self.items.get(&id)
    }

    pub fn get_mut(&mut self, id: u32) -> Option<&mut Item> {
        self.items.get_mut(&id)
    }

    pub fn find(&self, prop: &str, value: &str) -> Option<&Item> {
        self.iter()
            .find(|i| i.props.get(prop).map(String::as_str) == Some(value))
    }

    /// Ids of the items whose `prop` equals `value`, in creation order.
    pub fn ids_with(&self, prop: &str, value: &str) -> Vec<u32> {
        self.iter()
            .filter(|i| i.props.get(prop).map(String::as_str) == Some(value))
            .map(|i| i.id)
            .collect()
    }

    pub fn remove(&mut self, id: u32) -> Option<Item> {
        self.items.remove(&id)
    }

    /// Removes every item, returning them in creation order.
    pub fn drain(&mut self) -> Vec<Item> {
        std::mem::take(&mut self.items).into_values().collect()
    }
}

/// Parses `*1A` into 0x1A.
pub fn parse_id(s: &str) -> Option<u32> {
    u32::from_str_radix(s.strip_prefix('*')?, 16).ok()
}

pub fn format_id(id: u32) -> String {
    format!("*{id:X}")
}

/// Normalises a boolean input (`yes`/`no` accepted) to the v7 output form.
pub fn normalise_bool(v: &str) -> Option<&'static str> {
    match v {
        "true" | "yes" => Some("true"),
        "false" | "no" => Some("false"),
        _ => None,
    }
}
