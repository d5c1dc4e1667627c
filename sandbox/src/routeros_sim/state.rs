//! The router's state and the generic menu commands (print, add, set, unset,
//! remove, enable, disable) with RouterOS's answers, byte for byte.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use routeros::Sentence;

use super::{
    query,
    tables::{format_id, normalise_bool, parse_id, spec, Item, Spec, Table, SPECS},
    Version,
};

/// A change a `listen` can see.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: &'static str,
    pub id: u32,
    /// `None` when the item was removed.
    pub props: Option<BTreeMap<String, String>>,
}

/// A device on the simulated LAN.
#[derive(Debug, Clone)]
pub struct Device {
    pub mac: String,
    pub ip: String,
    pub host_name: String,
    /// Demand in bits per second (client upload / download).
    pub up_bps: u64,
    pub down_bps: u64,
}

/// A logged-in hotspot session's private bookkeeping (what the active row
/// does not show): byte totals kept exactly, the limit fixed at login.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub active_id: u32,
    pub user: String,
    pub mac: String,
    pub ip: String,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub limit_total: Option<u64>,
    pub started: Duration,
}

pub struct State {
    pub version: Version,
    pub identity: String,
    pub tables: HashMap<&'static str, Table>,
    /// Virtual time since boot.
    pub clock: Duration,
    pub devices: BTreeMap<String, Device>,
    pub(crate) sessions: Vec<Session>,
    /// `on-login` / `on-logout` events, as a real router would run scripts.
    pub events: Vec<String>,
    /// Bytes each device (MAC) actually moved through the router since the
    /// simulator started — through a hotspot session or as a bypassed host.
    /// The ground truth a test compares accounting with; a reboot keeps it.
    pub delivered: BTreeMap<String, u64>,
    pub changes: Vec<Change>,
    /// How many times each command word ran (what a test reads to count router reads).
    pub commands: BTreeMap<String, u64>,
    rng: u64,
}

/// The replies to one command, untagged.
pub type Replies = Vec<Sentence>;

pub fn trap(message: &str, category: Option<u8>) -> Sentence {
    let mut s = Sentence::new("!trap");
    if let Some(c) = category {
        s = s.attr("category", c.to_string());
    }
    s.attr("message", message)
}

pub fn trap_done(message: &str, category: Option<u8>) -> Replies {
    vec![trap(message, category), Sentence::new("!done")]
}

pub fn done() -> Replies {
    vec![Sentence::new("!done")]
}

impl State {
    pub fn new(version: Version, identity: &str, seed: u64) -> Self {
        let mut state = Self {
            version,
            identity: identity.to_owned(),
            tables: HashMap::new(),
            clock: Duration::ZERO,
            devices: BTreeMap::new(),
            sessions: Vec::new(),
            events: Vec::new(),
            delivered: BTreeMap::new(),
            changes: Vec::new(),
            commands: BTreeMap::new(),
            rng: seed | 1,
        };
        for s in SPECS {
            let start = state.random_id_start();
            state.tables.insert(s.path, Table::new(start));
        }
        state.seed_defaults();
        state
    }

    fn seed_defaults(&mut self) {
        let defaults: [(&'static str, &[(&str, &str)]); 7] = [
            (
                "/ip/hotspot/user/profile",
                &[
                    ("name", "default"),
                    ("shared-users", "1"),
                    ("idle-timeout", "none"),
                    ("keepalive-timeout", "2m"),
                    ("add-mac-cookie", "true"),
                    ("mac-cookie-timeout", "3d"),
                    ("default", "true"),
                ],
            ),
            (
                "/ip/hotspot/profile",
                &[
                    ("name", "default"),
                    ("login-by", "cookie,http-chap"),
                    ("http-cookie-lifetime", "3d"),
                    ("html-directory", "hotspot"),
                    ("default", "true"),
                ],
            ),
            (
                "/ip/hotspot",
                &[
                    ("name", "hotspot1"),
                    ("interface", "bridge"),
                    ("profile", "default"),
                    ("idle-timeout", "5m"),
                    ("addresses-per-mac", "2"),
                    ("disabled", "false"),
                ],
            ),
            // RouterOS' built-in groups, with their policies.
            (
                "/user/group",
                &[
                    ("name", "read"),
                    ("policy", "local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,api,romon,rest-api,!ftp,!write,!policy,!sensitive"),
                ],
            ),
            (
                "/user/group",
                &[
                    ("name", "write"),
                    ("policy", "local,telnet,ssh,reboot,read,write,test,winbox,password,web,sniff,api,romon,rest-api,!ftp,!policy,!sensitive"),
                ],
            ),
            (
                "/user/group",
                &[
                    ("name", "full"),
                    ("policy", "local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,rest-api"),
                ],
            ),
            (
                "/user",
                &[("name", "admin"), ("group", "full"), ("disabled", "false")],
            ),
        ];
        for (path, props) in defaults {
            let props = props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            self.table(path).insert(props);
        }
    }

    /// xorshift: deterministic per seed, so tests are repeatable.
    pub fn next_random(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    fn random_id_start(&mut self) -> u32 {
        1 + (self.next_random() % 0x7000) as u32
    }

    pub fn table(&mut self, path: &str) -> &mut Table {
        self.tables.get_mut(path).expect("every spec has a table")
    }

    pub fn table_ref(&self, path: &str) -> &Table {
        self.tables.get(path).expect("every spec has a table")
    }

    /// Records a change for listeners.
    pub fn changed(&mut self, path: &'static str, id: u32) {
        let props = self.table_ref(path).get(id).map(|i| i.props.clone());
        self.changes.push(Change { path, id, props });
    }

    pub fn removed(&mut self, path: &'static str, id: u32) {
        self.changes.push(Change {
            path,
            id,
            props: None,
        });
    }

    /// Inserts a router-made (dynamic) item and records the change.
    pub fn insert_dynamic(&mut self, path: &'static str, props: &[(&str, String)]) -> u32 {
        let mut map: BTreeMap<String, String> = props
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        if let Some(s) = spec(path) {
            for (k, v) in s.defaults {
                map.entry(k.to_string()).or_insert_with(|| v.to_string());
            }
        }
        let id = self.table(path).insert(map);
        self.changed(path, id);
        id
    }

    pub fn remove_item(&mut self, path: &'static str, id: u32) -> Option<Item> {
        let item = self.table(path).remove(id);
        if item.is_some() {
            self.removed(path, id);
        }
        item
    }

    /// Runs one generic command on a menu.
    pub fn generic(&mut self, spec: &'static Spec, cmd: &str, s: &Sentence) -> Option<Replies> {
        let attrs: Vec<(String, String)> = s
            .attributes()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Some(match cmd {
            "print" | "getall" => self.print(spec, &attrs, s),
            "add" => self.add(spec, &attrs),
            "set" => self.set(spec, &attrs),
            "unset" => self.unset(spec, &attrs),
            "enable" | "disable" if spec.writable.contains(&"disabled") => {
                let value = if cmd == "disable" { "true" } else { "false" };
                let mut attrs: Vec<(String, String)> = attrs
                    .into_iter()
                    .filter(|(k, _)| k == ".id" || k == "numbers")
                    .collect();
                attrs.push(("disabled".into(), value.into()));
                self.set(spec, &attrs)
            }
            "remove" => self.remove(spec, &attrs),
            _ => return None,
        })
    }

    fn print(&mut self, spec: &'static Spec, attrs: &[(String, String)], s: &Sentence) -> Replies {
        let queries: Vec<String> = s.queries().map(str::to_owned).collect();
        let proplist: Option<Vec<String>> =
            attrs.iter().find(|(k, _)| k == ".proplist").map(|(_, v)| {
                v.split(',')
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            });
        let count_only = attrs.iter().any(|(k, _)| k == "count-only");
        let table = self.table_ref(spec.path);
        let matching: Vec<&Item> = table
            .iter()
            .filter(|item| {
                let mut view = item.props.clone();
                view.insert(".id".into(), format_id(item.id));
                query::matches(&view, &queries)
            })
            .collect();
        if count_only {
            return vec![Sentence::new("!done").attr("ret", matching.len().to_string())];
        }
        let mut out: Replies = matching
            .iter()
            .map(|item| render(spec, item, proplist.as_deref(), self.version))
            .collect();
        if out.is_empty() && self.version.has_empty() {
            out.push(Sentence::new("!empty"));
        }
        out.push(Sentence::new("!done"));
        out
    }

    /// Validates `attrs` for `add`/`set`, returning normalised values.
    fn validate(
        &self,
        spec: &Spec,
        attrs: &[(String, String)],
    ) -> Result<Vec<(String, String)>, Sentence> {
        let mut out = Vec::new();
        for (k, v) in attrs {
            if k == ".id" || k == "numbers" || k == "place-before" || k.starts_with('.') {
                continue;
            }
            if spec.readonly.contains(&k.as_str()) {
                return Err(trap(&format!("failure: {k} is read-only"), Some(1)));
            }
            if !spec.writable.contains(&k.as_str()) {
                return Err(trap(&format!("unknown parameter {k}"), Some(1)));
            }
            let mut value = v.clone();
            if let Some((_, allowed)) = spec.enums.iter().find(|(p, _)| *p == k) {
                if !allowed.contains(&v.as_str()) {
                    return Err(trap(
                        &format!("input does not match any value of {k}"),
                        Some(1),
                    ));
                }
                if let Some(b) = normalise_bool(v) {
                    value = b.to_owned();
                }
            }
            if let Some((_, menu, key)) = spec.refs.iter().find(|(p, _, _)| *p == k) {
                if self.table_ref(menu).find(key, v).is_none() {
                    return Err(trap(
                        &format!("input does not match any value of {k}"),
                        Some(1),
                    ));
                }
            }
            if k == "mac-address" {
                value = value.to_ascii_uppercase();
            }
            if k == "max-limit" || k == "limit-at" {
                value = normalise_rate_pair(&value)
                    .ok_or_else(|| trap(&format!("invalid value for argument {k}"), Some(1)))?;
            }
            out.push((k.clone(), value));
        }
        Ok(out)
    }

    fn unique_conflict(
        &self,
        spec: &Spec,
        props: &BTreeMap<String, String>,
        except: Option<u32>,
    ) -> Option<Sentence> {
        let (keys, message) = spec.unique?;
        if keys.iter().any(|k| !props.contains_key(*k)) {
            return None;
        }
        let clash = self.table_ref(spec.path).iter().any(|item| {
            Some(item.id) != except && keys.iter().all(|k| item.props.get(*k) == props.get(*k))
        });
        clash.then(|| trap(message, Some(1)))
    }

    fn add(&mut self, spec: &'static Spec, attrs: &[(String, String)]) -> Replies {
        if !spec.editable {
            return trap_done("failure: this menu is read-only", Some(4));
        }
        let values = match self.validate(spec, attrs) {
            Ok(v) => v,
            Err(t) => return vec![t, Sentence::new("!done")],
        };
        let mut props: BTreeMap<String, String> = values.into_iter().collect();
        for r in spec.required {
            if !props.contains_key(*r) {
                return trap_done(&format!("failure: {r} not specified"), Some(1));
            }
        }
        for (k, v) in spec.defaults {
            props.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        if spec.path == "/queue/simple" && !props.contains_key("name") {
            let n = self.table_ref(spec.path).len() + 1;
            props.insert("name".into(), format!("queue{n}"));
        }
        if let Some(t) = self.unique_conflict(spec, &props, None) {
            return vec![t, Sentence::new("!done")];
        }
        let id = self.table(spec.path).insert(props);
        self.changed(spec.path, id);
        self.after_write(spec.path);
        vec![Sentence::new("!done").attr("ret", format_id(id))]
    }

    fn ids(attrs: &[(String, String)]) -> Option<Vec<u32>> {
        let raw = attrs
            .iter()
            .find(|(k, _)| k == ".id" || k == "numbers")
            .map(|(_, v)| v)?;
        raw.split(',').map(|p| parse_id(p.trim())).collect()
    }

    fn set(&mut self, spec: &'static Spec, attrs: &[(String, String)]) -> Replies {
        if !spec.editable {
            return trap_done("failure: this menu is read-only", Some(4));
        }
        let Some(ids) = Self::ids(attrs) else {
            return trap_done("no such item", Some(0));
        };
        let values = match self.validate(spec, attrs) {
            Ok(v) => v,
            Err(t) => return vec![t, Sentence::new("!done")],
        };
        for &id in &ids {
            let Some(item) = self.table_ref(spec.path).get(id) else {
                return trap_done("no such item", Some(0));
            };
            if item.props.get("dynamic").map(String::as_str) == Some("true") {
                return trap_done("failure: dynamic items can not be changed", Some(1));
            }
            let touches_unique = spec
                .unique
                .is_some_and(|(keys, _)| values.iter().any(|(k, _)| keys.contains(&k.as_str())));
            if touches_unique {
                let mut next = item.props.clone();
                next.extend(values.iter().cloned());
                if let Some(t) = self.unique_conflict(spec, &next, Some(id)) {
                    return vec![t, Sentence::new("!done")];
                }
            }
        }
        for id in ids {
            if let Some(item) = self.table(spec.path).get_mut(id) {
                item.props.extend(values.iter().cloned());
            }
            self.changed(spec.path, id);
        }
        self.after_write(spec.path);
        done()
    }

    fn unset(&mut self, spec: &'static Spec, attrs: &[(String, String)]) -> Replies {
        let Some(ids) = Self::ids(attrs) else {
            return trap_done("no such item", Some(0));
        };
        let Some(name) = attrs
            .iter()
            .find(|(k, _)| k == "value-name")
            .map(|(_, v)| v.clone())
        else {
            return trap_done("failure: value-name not specified", Some(1));
        };
        if !spec.writable.contains(&name.as_str()) {
            return trap_done(&format!("unknown parameter {name}"), Some(1));
        }
        if ids
            .iter()
            .any(|id| self.table_ref(spec.path).get(*id).is_none())
        {
            return trap_done("no such item", Some(0));
        }
        for id in ids {
            if let Some(item) = self.table(spec.path).get_mut(id) {
                item.props.remove(&name);
            }
            self.changed(spec.path, id);
        }
        self.after_write(spec.path);
        done()
    }

    fn remove(&mut self, spec: &'static Spec, attrs: &[(String, String)]) -> Replies {
        if !spec.removable {
            return trap_done("failure: this menu is read-only", Some(4));
        }
        let Some(ids) = Self::ids(attrs) else {
            return trap_done("no such item", Some(0));
        };
        if ids
            .iter()
            .any(|id| self.table_ref(spec.path).get(*id).is_none())
        {
            return trap_done("no such item", Some(0));
        }
        for id in ids {
            match spec.path {
                "/ip/hotspot/active" => self.logout(id, "admin-reset"),
                "/ip/hotspot/host" => {
                    if let Some(mac) = self
                        .table_ref(spec.path)
                        .get(id)
                        .and_then(|h| h.props.get("mac-address").cloned())
                    {
                        self.logout_mac(&mac, "admin-reset");
                    }
                    self.remove_item("/ip/hotspot/host", id);
                }
                path => {
                    self.remove_item(path, id);
                }
            }
        }
        self.after_write(spec.path);
        done()
    }

    /// Keeps derived state consistent after a write (host flags follow bindings).
    fn after_write(&mut self, path: &str) {
        if path == "/ip/hotspot/ip-binding" {
            self.refresh_hosts();
        }
    }
}

/// One `!re` row: `.id` first, then the properties in menu order (or
/// `.proplist` order); unset properties are omitted.
pub fn render(spec: &Spec, item: &Item, proplist: Option<&[String]>, version: Version) -> Sentence {
    let mut s = Sentence::new("!re");
    let show = |name: &str, s: Sentence| -> Sentence {
        if name == ".id" {
            return s.attr(".id", format_id(item.id));
        }
        match item.props.get(name) {
            Some(v) => s.attr(name, version.render_value(name, v)),
            None => s,
        }
    };
    match proplist {
        Some(names) => {
            for n in names {
                s = show(n, s);
            }
        }
        None => {
            s = show(".id", s);
            for n in spec.writable.iter().chain(spec.readonly) {
                s = show(n, s);
            }
        }
    }
    s
}

/// `512k/2M` → `512000/2000000`; a single value applies to both directions.
pub fn normalise_rate_pair(v: &str) -> Option<String> {
    let (up, down) = v.split_once('/').unwrap_or((v, v));
    Some(format!("{}/{}", parse_rate(up)?, parse_rate(down)?))
}

/// `512k` → 512000, `2M` → 2000000 (k = 1000).
pub fn parse_rate(v: &str) -> Option<u64> {
    let v = v.trim();
    let (num, mult) = match v.chars().last()? {
        'k' | 'K' => (&v[..v.len() - 1], 1_000),
        'M' => (&v[..v.len() - 1], 1_000_000),
        'G' => (&v[..v.len() - 1], 1_000_000_000),
        _ => (v, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_normalise_to_plain_numbers() {
        assert_eq!(
            normalise_rate_pair("512k/2M").as_deref(),
            Some("512000/2000000")
        );
        assert_eq!(
            normalise_rate_pair("1M").as_deref(),
            Some("1000000/1000000")
        );
        assert_eq!(normalise_rate_pair("0/0").as_deref(), Some("0/0"));
        assert_eq!(normalise_rate_pair("fast"), None);
    }
}
