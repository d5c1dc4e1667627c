//! Hotspot behaviour (docs/routeros.md, "Hotspot menus", "The hotspot login page"): devices, login in the router's
//! check order, limits fixed at login, traffic on a virtual clock, exact cut
//! at `limit-bytes-total`, logout committing counters, reboot.

use std::time::Duration;

use routeros::Sentence;

use super::{
    state::{done, trap_done, Device, Replies, Session, State},
    tables::{format_id, parse_id},
};

const USER: &str = "/ip/hotspot/user";
const PROFILE: &str = "/ip/hotspot/user/profile";
const ACTIVE: &str = "/ip/hotspot/active";
const HOST: &str = "/ip/hotspot/host";
const BINDING: &str = "/ip/hotspot/ip-binding";
const COOKIE: &str = "/ip/hotspot/cookie";
const QUEUE: &str = "/queue/simple";
const ADDRESS_LIST: &str = "/ip/firewall/address-list";
const ARP: &str = "/ip/arp";
const LEASE: &str = "/ip/dhcp-server/lease";

/// Why a login was refused: the `errors.txt` key and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRefused {
    pub key: &'static str,
    pub text: String,
}

fn refused(key: &'static str, text: String) -> LoginRefused {
    LoginRefused { key, text }
}

/// How a login arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginBy {
    HttpPap,
    HttpChap,
    Api,
}

impl LoginBy {
    fn as_str(self) -> &'static str {
        match self {
            LoginBy::HttpPap => "http-pap",
            LoginBy::HttpChap => "http-chap",
            // Which login-by the router records for active/login is unconfirmed.
            LoginBy::Api => "http-pap",
        }
    }
}

impl State {
    /// A device joins the LAN: host, ARP and DHCP lease entries appear.
    pub fn attach_device(&mut self, mac: &str, ip: &str, host_name: &str) {
        let mac = mac.to_ascii_uppercase();
        self.detach_device(&mac);
        self.devices.insert(
            mac.clone(),
            Device {
                mac: mac.clone(),
                ip: ip.to_owned(),
                host_name: host_name.to_owned(),
                up_bps: 0,
                down_bps: 0,
            },
        );
        self.create_host(&mac, ip);
        self.insert_dynamic(
            ARP,
            &[
                ("address", ip.into()),
                ("mac-address", mac.clone()),
                ("interface", "bridge".into()),
                ("dynamic", "true".into()),
                ("DHCP", "true".into()),
            ],
        );
        self.insert_dynamic(
            LEASE,
            &[
                ("address", ip.into()),
                ("mac-address", mac.clone()),
                ("server", "dhcp1".into()),
                ("status", "bound".into()),
                ("host-name", host_name.into()),
                ("active-address", ip.into()),
                ("active-mac-address", mac.clone()),
                ("dynamic", "true".into()),
            ],
        );
    }

    fn create_host(&mut self, mac: &str, ip: &str) {
        self.insert_dynamic(
            HOST,
            &[
                ("mac-address", mac.into()),
                ("address", ip.into()),
                ("to-address", ip.into()),
                ("server", "hotspot1".into()),
                ("uptime", "0s".into()),
                ("idle-time", "0s".into()),
                ("bytes-in", "0".into()),
                ("bytes-out", "0".into()),
                ("packets-in", "0".into()),
                ("packets-out", "0".into()),
                ("found-by", "dhcp".into()),
                ("authorized", "false".into()),
                ("bypassed", "false".into()),
                ("blocked", "false".into()),
                ("dynamic", "true".into()),
                ("DHCP", "true".into()),
            ],
        );
        self.refresh_hosts();
    }

    /// A device leaves: its sessions end (keepalive timeout) and its entries go.
    pub fn detach_device(&mut self, mac: &str) {
        let mac = mac.to_ascii_uppercase();
        if self.devices.remove(&mac).is_none() {
            return;
        }
        self.logout_mac(&mac, "keepalive-timeout");
        for path in [HOST, ARP, LEASE] {
            let ids: Vec<u32> = self
                .table_ref(path)
                .iter()
                .filter(|i| {
                    i.props.get("mac-address").map(String::as_str) == Some(mac.as_str())
                        && i.props.get("dynamic").map(String::as_str) == Some("true")
                })
                .map(|i| i.id)
                .collect();
            for id in ids {
                self.remove_item(path, id);
            }
        }
    }

    /// Sets a device's traffic demand in bits per second.
    pub fn set_traffic(&mut self, mac: &str, up_bps: u64, down_bps: u64) -> bool {
        match self.devices.get_mut(&mac.to_ascii_uppercase()) {
            Some(d) => {
                d.up_bps = up_bps;
                d.down_bps = down_bps;
                true
            }
            None => false,
        }
    }

    fn binding_type(&self, mac: &str) -> Option<String> {
        self.table_ref(BINDING)
            .iter()
            .filter(|b| b.props.get("disabled").map(String::as_str) != Some("true"))
            .find(|b| b.props.get("mac-address").map(String::as_str) == Some(mac))
            .and_then(|b| b.props.get("type").cloned())
    }

    /// Host flags follow ip-bindings.
    pub fn refresh_hosts(&mut self) {
        let hosts: Vec<(u32, String)> = self
            .table_ref(HOST)
            .iter()
            .map(|h| {
                (
                    h.id,
                    h.props.get("mac-address").cloned().unwrap_or_default(),
                )
            })
            .collect();
        for (id, mac) in hosts {
            let kind = self.binding_type(&mac);
            let bypassed = kind.as_deref() == Some("bypassed");
            let blocked = kind.as_deref() == Some("blocked");
            let changed = {
                let host = self.table(HOST).get_mut(id).expect("listed above");
                let before = host.props.clone();
                host.props.insert("bypassed".into(), bypassed.to_string());
                host.props.insert("blocked".into(), blocked.to_string());
                before != host.props
            };
            if changed {
                self.changed(HOST, id);
            }
            if bypassed || blocked {
                self.logout_mac(&mac, "admin-reset");
            }
        }
    }

    /// Logs a host in, checking in the router's order: user exists and is
    /// enabled → password → MAC → server → shared-users → limits.
    pub fn login(
        &mut self,
        user: &str,
        password_ok: impl Fn(&str) -> bool,
        mac: &str,
        ip: &str,
        by: LoginBy,
    ) -> Result<u32, LoginRefused> {
        let mac = mac.to_ascii_uppercase();
        let invalid = || refused("invalid-username", "invalid username or password".into());
        let Some(u) = self.table_ref(USER).find("name", user).cloned() else {
            return Err(invalid());
        };
        if u.props.get("disabled").map(String::as_str) == Some("true") {
            return Err(invalid());
        }
        if !password_ok(u.props.get("password").map(String::as_str).unwrap_or("")) {
            return Err(invalid());
        }
        if let Some(bound) = u.props.get("mac-address") {
            if bound != "00:00:00:00:00:00" && *bound != mac {
                return Err(refused(
                    "invalid-mac",
                    format!("user {user} is not allowed to log in from this MAC address"),
                ));
            }
        }
        let profile = self
            .table_ref(PROFILE)
            .find(
                "name",
                u.props
                    .get("profile")
                    .map(String::as_str)
                    .unwrap_or("default"),
            )
            .cloned();
        let shared = profile
            .as_ref()
            .and_then(|p| p.props.get("shared-users"))
            .cloned()
            .unwrap_or_else(|| "1".into());
        let current = self.sessions.iter().filter(|s| s.user == user).count();
        if shared != "unlimited" && current >= shared.parse::<usize>().unwrap_or(1) {
            return Err(refused(
                "user-session-limit",
                format!("no more sessions are allowed for user {user}"),
            ));
        }
        let used = num(&u.props, "bytes-in") + num(&u.props, "bytes-out");
        let limit = u
            .props
            .get("limit-bytes-total")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|&l| l > 0);
        if let Some(limit) = limit {
            if used >= limit {
                return Err(refused(
                    "traffic-limit",
                    format!("user {user} has reached traffic limit"),
                ));
            }
        }
        // Limits are fixed now: the session gets what is left.
        let remaining = limit.map(|l| l - used);
        let mut row: Vec<(&str, String)> = vec![
            ("server", "hotspot1".into()),
            ("user", user.into()),
            ("domain", String::new()),
            ("address", ip.into()),
            ("mac-address", mac.clone()),
            ("login-by", by.as_str().into()),
            ("uptime", "0s".into()),
            ("idle-time", "0s".into()),
            ("bytes-in", "0".into()),
            ("bytes-out", "0".into()),
            ("packets-in", "0".into()),
            ("packets-out", "0".into()),
            ("radius", "false".into()),
            ("blocked", "false".into()),
        ];
        if let Some(r) = remaining {
            row.push(("limit-bytes-total", r.to_string()));
        }
        row.retain(|(k, v)| !(k == &"domain" && v.is_empty()));
        let active_id = self.insert_dynamic(ACTIVE, &row);
        self.sessions.push(Session {
            active_id,
            user: user.into(),
            mac: mac.clone(),
            ip: ip.into(),
            bytes_in: 0,
            bytes_out: 0,
            limit_total: remaining,
            started: self.clock,
        });
        if let Some(p) = &profile {
            if let Some(rate) = p.props.get("rate-limit").and_then(|r| {
                super::state::normalise_rate_pair(r.split_whitespace().next().unwrap_or(""))
            }) {
                self.insert_dynamic(
                    QUEUE,
                    &[
                        ("name", format!("<hotspot-{user}>")),
                        ("target", format!("{ip}/32")),
                        ("max-limit", rate),
                        ("dynamic", "true".into()),
                    ],
                );
            }
            if let Some(list) = p.props.get("address-list").filter(|l| !l.is_empty()) {
                self.insert_dynamic(
                    ADDRESS_LIST,
                    &[
                        ("list", list.clone()),
                        ("address", ip.into()),
                        ("dynamic", "true".into()),
                    ],
                );
            }
            if by != LoginBy::Api
                && p.props.get("add-mac-cookie").map(String::as_str) == Some("true")
            {
                self.insert_dynamic(
                    COOKIE,
                    &[
                        ("user", user.into()),
                        ("mac-address", mac.clone()),
                        ("expires-in", "3d".into()),
                        ("mac-cookie", "true".into()),
                    ],
                );
            }
        }
        self.set_host_authorized(&mac, true);
        self.events.push(format!(
            "on-login user={user} address={ip} mac-address={mac}"
        ));
        Ok(active_id)
    }

    fn set_host_authorized(&mut self, mac: &str, authorized: bool) {
        let ids = self.table_ref(HOST).ids_with("mac-address", mac);
        for id in ids {
            if let Some(h) = self.table(HOST).get_mut(id) {
                h.props.insert("authorized".into(), authorized.to_string());
            }
            self.changed(HOST, id);
        }
    }

    /// Ends a session: counters committed to the user, dynamic queue and
    /// address-list entry removed, mac-cookie dropped for the documented causes.
    pub fn logout(&mut self, active_id: u32, cause: &str) {
        let Some(pos) = self.sessions.iter().position(|s| s.active_id == active_id) else {
            return;
        };
        let session = self.sessions.remove(pos);
        self.remove_item(ACTIVE, active_id);
        let uptime = self.clock.saturating_sub(session.started);
        if let Some(uid) = self
            .table_ref(USER)
            .find("name", &session.user)
            .map(|u| u.id)
        {
            let item = self.table(USER).get_mut(uid).expect("found above");
            add_num(&mut item.props, "bytes-in", session.bytes_in);
            add_num(&mut item.props, "bytes-out", session.bytes_out);
            add_num(&mut item.props, "packets-in", session.bytes_in / 1500);
            add_num(&mut item.props, "packets-out", session.bytes_out / 1500);
            let before = item
                .props
                .get("uptime")
                .and_then(|u| routeros::value::parse_duration(u).ok().flatten())
                .unwrap_or_default();
            item.props.insert(
                "uptime".into(),
                routeros::value::format_duration(before + uptime),
            );
            self.changed(USER, uid);
        }
        let queue_name = format!("<hotspot-{}>", session.user);
        let dynamic_ids: Vec<(&'static str, u32)> = self
            .table_ref(QUEUE)
            .iter()
            .filter(|q| {
                q.props.get("name") == Some(&queue_name)
                    && q.props.get("target").map(String::as_str)
                        == Some(&format!("{}/32", session.ip))
            })
            .map(|q| (QUEUE, q.id))
            .chain(
                self.table_ref(ADDRESS_LIST)
                    .iter()
                    .filter(|e| {
                        e.props.get("dynamic").map(String::as_str) == Some("true")
                            && e.props.get("address") == Some(&session.ip)
                    })
                    .map(|e| (ADDRESS_LIST, e.id)),
            )
            .collect();
        for (path, id) in dynamic_ids {
            self.remove_item(path, id);
        }
        if matches!(
            cause,
            "traffic-limit-reached" | "admin-reset" | "user-request" | "session-timeout"
        ) {
            let cookies = self.table_ref(COOKIE).ids_with("mac-address", &session.mac);
            for id in cookies {
                self.remove_item(COOKIE, id);
            }
        }
        self.set_host_authorized(&session.mac, false);
        self.events.push(format!(
            "on-logout user={} address={} cause={cause} bytes-in={} bytes-out={}",
            session.user, session.ip, session.bytes_in, session.bytes_out
        ));
    }

    /// Ends every session of the device with this MAC.
    pub fn logout_mac(&mut self, mac: &str, cause: &str) {
        let sessions: Vec<u32> = self
            .sessions
            .iter()
            .filter(|s| s.mac == mac)
            .map(|s| s.active_id)
            .collect();
        for s in sessions {
            self.logout(s, cause);
        }
    }

    /// Advances the virtual clock second by second, moving traffic.
    pub fn advance(&mut self, by: Duration) {
        let mut left = by;
        while !left.is_zero() {
            let step = left.min(Duration::from_secs(1));
            left -= step;
            self.clock += step;
            self.tick(step);
        }
    }

    fn tick(&mut self, step: Duration) {
        let devices: Vec<Device> = self.devices.values().cloned().collect();
        for d in devices {
            let (cap_up, cap_down) = self.queue_limit(&d.ip);
            let secs = step.as_secs_f64();
            let up = (cap(d.up_bps, cap_up) as f64 * secs / 8.0) as u64;
            let down = (cap(d.down_bps, cap_down) as f64 * secs / 8.0) as u64;
            let moved = if let Some(pos) = self.sessions.iter().position(|s| s.mac == d.mac) {
                self.session_traffic(pos, up, down, step)
            } else if self.binding_type(&d.mac).as_deref() == Some("bypassed") {
                self.host_traffic(&d.mac, up, down);
                up + down
            } else {
                0
            };
            *self.delivered.entry(d.mac.clone()).or_default() += moved;
            self.queue_traffic(&d.ip, up, down);
        }
    }

    /// Moves traffic through a session (cut at its limit); returns the bytes moved.
    fn session_traffic(&mut self, pos: usize, mut up: u64, mut down: u64, step: Duration) -> u64 {
        let s = &mut self.sessions[pos];
        let mut cut = false;
        if let Some(limit) = s.limit_total {
            let used = s.bytes_in + s.bytes_out;
            let left = limit.saturating_sub(used);
            if up + down >= left {
                // The router cuts at the limit: upload first, then download.
                up = up.min(left);
                down = (left - up).min(down);
                cut = true;
            }
        }
        s.bytes_in += up;
        s.bytes_out += down;
        let (id, bi, bo, uptime) = (s.active_id, s.bytes_in, s.bytes_out, self.clock - s.started);
        if let Some(row) = self.table("/ip/hotspot/active").get_mut(id) {
            row.props.insert("bytes-in".into(), bi.to_string());
            row.props.insert("bytes-out".into(), bo.to_string());
            row.props
                .insert("packets-in".into(), (bi / 1500).to_string());
            row.props
                .insert("packets-out".into(), (bo / 1500).to_string());
            row.props
                .insert("uptime".into(), routeros::value::format_duration(uptime));
        }
        let _ = step;
        if cut {
            self.logout(id, "traffic-limit-reached");
        }
        up + down
    }

    fn host_traffic(&mut self, mac: &str, up: u64, down: u64) {
        let ids = self.table_ref(HOST).ids_with("mac-address", mac);
        for id in ids {
            if let Some(h) = self.table(HOST).get_mut(id) {
                add_num(&mut h.props, "bytes-in", up);
                add_num(&mut h.props, "bytes-out", down);
            }
        }
    }

    /// The first enabled simple queue whose target covers `ip` (dynamic hotspot
    /// queues first), as `(up, down)` bits per second; 0 = unlimited.
    fn queue_limit(&self, ip: &str) -> (u64, u64) {
        self.matching_queue(ip)
            .and_then(|q| q.props.get("max-limit").cloned())
            .and_then(|ml| {
                let (u, d) = ml.split_once('/')?;
                Some((u.parse().ok()?, d.parse().ok()?))
            })
            .unwrap_or((0, 0))
    }

    fn matching_queue(&self, ip: &str) -> Option<&super::tables::Item> {
        let table = self.table_ref(QUEUE);
        let covers = |q: &&super::tables::Item| {
            q.props.get("disabled").map(String::as_str) != Some("true")
                && q.props
                    .get("target")
                    .is_some_and(|t| t.split(',').any(|t| t.trim_end_matches("/32") == ip))
        };
        let dynamic = table
            .iter()
            .filter(|q| q.props.get("dynamic").map(String::as_str) == Some("true"))
            .find(covers);
        dynamic.or_else(|| table.iter().find(covers))
    }

    fn queue_traffic(&mut self, ip: &str, up: u64, down: u64) {
        let Some(id) = self.matching_queue(ip).map(|q| q.id) else {
            return;
        };
        if let Some(q) = self.table(QUEUE).get_mut(id) {
            let (u, d) = q
                .props
                .get("bytes")
                .and_then(|b| b.split_once('/'))
                .map(|(u, d)| (u.parse::<u64>().unwrap_or(0), d.parse::<u64>().unwrap_or(0)))
                .unwrap_or((0, 0));
            q.props
                .insert("bytes".into(), format!("{}/{}", u + up, d + down));
        }
    }

    /// A reboot: sessions vanish without committing their counters, dynamic
    /// and RAM-only entries go, every `.id` is renumbered.
    pub fn reboot(&mut self) {
        self.sessions.clear();
        self.clock = Duration::ZERO;
        let paths: Vec<&'static str> = self.tables.keys().copied().collect();
        for path in paths {
            let persisted = super::tables::spec(path).is_some_and(|s| s.persisted);
            let start = {
                let r = self.next_random();
                1 + (r % 0x7000) as u32
            };
            let table = self.table(path);
            let kept: Vec<_> = table
                .drain()
                .into_iter()
                .filter(|i| persisted && i.props.get("dynamic").map(String::as_str) != Some("true"))
                .collect();
            let mut fresh = super::tables::Table::new(start);
            for item in kept {
                fresh.insert(item.props);
            }
            *table = fresh;
        }
        let devices: Vec<Device> = self.devices.values().cloned().collect();
        self.devices.clear();
        for d in devices {
            self.attach_device(&d.mac, &d.ip, &d.host_name);
            self.set_traffic(&d.mac, d.up_bps, d.down_bps);
        }
        self.changes.clear();
    }

    /// Hotspot-specific commands; `None` when the command is not one of them.
    pub fn hotspot_command(&mut self, path: &str, cmd: &str, s: &Sentence) -> Option<Replies> {
        match (path, cmd) {
            ("/ip/hotspot/active", "login") => {
                let (Some(user), Some(mac), Some(ip)) =
                    (s.get("user"), s.get("mac-address"), s.get("ip"))
                else {
                    return Some(trap_done(
                        "failure: user, mac-address and ip are required",
                        Some(1),
                    ));
                };
                let password = s.get("password").unwrap_or("").to_owned();
                Some(
                    match self.login(user, |p| p == password, mac, ip, LoginBy::Api) {
                        Ok(_) => done(),
                        Err(r) => trap_done(&r.text, Some(4)),
                    },
                )
            }
            ("/ip/hotspot/user", "reset-counters") | ("/queue/simple", "reset-counters") => {
                let ids: Option<Vec<u32>> = s
                    .get(".id")
                    .or(s.get("numbers"))
                    .map(|v| v.split(',').filter_map(parse_id).collect());
                let ids = ids.unwrap_or_default();
                let static_path: &'static str = if path == USER { USER } else { QUEUE };
                for id in ids {
                    let Some(item) = self.table(static_path).get_mut(id) else {
                        return Some(trap_done("no such item", Some(0)));
                    };
                    for (k, zero) in [
                        ("bytes-in", "0"),
                        ("bytes-out", "0"),
                        ("packets-in", "0"),
                        ("packets-out", "0"),
                        ("uptime", "0s"),
                        ("bytes", "0/0"),
                        ("packets", "0/0"),
                    ] {
                        if item.props.contains_key(k) {
                            item.props.insert(k.into(), zero.into());
                        }
                    }
                    self.changed(static_path, id);
                }
                Some(done())
            }
            ("/ip/hotspot/host", "make-binding") => {
                let Some(id) = s.get(".id").and_then(parse_id) else {
                    return Some(trap_done("no such item", Some(0)));
                };
                let Some(host) = self.table_ref(HOST).get(id).cloned() else {
                    return Some(trap_done("no such item", Some(0)));
                };
                let kind = s.get("type").unwrap_or("regular");
                if !["regular", "bypassed", "blocked"].contains(&kind) {
                    return Some(trap_done("input does not match any value of type", Some(1)));
                }
                let mut props = vec![
                    (
                        "mac-address",
                        host.props.get("mac-address").cloned().unwrap_or_default(),
                    ),
                    ("type", kind.to_owned()),
                    ("dynamic", "false".to_owned()),
                ];
                if let Some(c) = s.get("comment") {
                    props.push(("comment", c.to_owned()));
                }
                self.insert_dynamic(BINDING, &props);
                self.refresh_hosts();
                Some(done())
            }
            _ => None,
        }
    }

    /// The active row id of a user's session on `mac` (for tests and control).
    pub fn session_of(&self, mac: &str) -> Option<String> {
        let mac = mac.to_ascii_uppercase();
        self.sessions
            .iter()
            .find(|s| s.mac == mac)
            .map(|s| format_id(s.active_id))
    }
}

fn cap(demand: u64, limit: u64) -> u64 {
    if limit == 0 {
        demand
    } else {
        demand.min(limit)
    }
}

fn num(props: &std::collections::BTreeMap<String, String>, k: &str) -> u64 {
    props.get(k).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn add_num(props: &mut std::collections::BTreeMap<String, String>, k: &str, by: u64) {
    let v = num(props, k) + by;
    props.insert(k.into(), v.to_string());
}
