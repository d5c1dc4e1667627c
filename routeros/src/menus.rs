//! Typed views of the menus gerbang uses (docs/routeros.md, "Hotspot menus"). Each type knows
//! its path and the `.proplist` it needs; [`list`] prints with exactly that.

use std::time::Duration;

use crate::{
    client::Client,
    error::Error,
    query::Query,
    row::Row,
    value::{Id, Mac, ParseValueError},
};

/// A menu with a typed row.
pub trait Menu: Sized {
    /// The menu path, e.g. `/ip/hotspot/user`.
    const PATH: &'static str;
    /// The properties read (always sent as `.proplist`).
    const PROPS: &'static [&'static str];
    /// Parses one `!re` row.
    fn from_row(row: &Row) -> Result<Self, ParseValueError>;
}

/// Prints `M`'s menu with its `.proplist` and the given queries.
pub async fn list<M: Menu>(
    client: &Client,
    queries: impl IntoIterator<Item = Query>,
) -> Result<Vec<M>, Error> {
    let rows = client
        .print(M::PATH)
        .proplist(M::PROPS)
        .queries(queries)
        .rows()
        .await?;
    rows.iter()
        .map(|r| M::from_row(r).map_err(|e| Error::Protocol(format!("{}: {e}", M::PATH))))
        .collect()
}

fn text(row: &Row, p: &str) -> Result<Option<String>, ParseValueError> {
    Ok(row.text(p).map(|t| t.into_owned()))
}
fn num(row: &Row, p: &str) -> Result<Option<u64>, ParseValueError> {
    row.u64(p)
}
fn flag(row: &Row, p: &str) -> Result<Option<bool>, ParseValueError> {
    row.bool(p)
}
fn dur(row: &Row, p: &str) -> Result<Option<Duration>, ParseValueError> {
    row.duration(p)
}
fn mac(row: &Row, p: &str) -> Result<Option<Mac>, ParseValueError> {
    row.get(p).map(str::parse).transpose()
}

macro_rules! menu {
    ($(#[$m:meta])* $name:ident = $path:literal {
        $( $(#[$fm:meta])* $field:ident : $ty:ty = $get:ident($prop:literal) ),* $(,)?
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            /// `.id` (valid for this session's view only; never store it).
            pub id: Option<Id>,
            $( $(#[$fm])* pub $field: Option<$ty>, )*
        }

        impl Menu for $name {
            const PATH: &'static str = $path;
            const PROPS: &'static [&'static str] = &[".id", $($prop),*];
            fn from_row(row: &Row) -> Result<Self, ParseValueError> {
                Ok(Self { id: row.id(), $( $field: $get(row, $prop)?, )* })
            }
        }
    };
}

menu!(
    /// `/ip/hotspot/user`. Counters are committed only at logout.
    HotspotUser = "/ip/hotspot/user" {
        name: String = text("name"),
        profile: String = text("profile"),
        server: String = text("server"),
        mac_address: Mac = mac("mac-address"),
        limit_bytes_total: u64 = num("limit-bytes-total"),
        limit_uptime: Duration = dur("limit-uptime"),
        bytes_in: u64 = num("bytes-in"),
        bytes_out: u64 = num("bytes-out"),
        uptime: Duration = dur("uptime"),
        disabled: bool = flag("disabled"),
        comment: String = text("comment"),
    }
);

menu!(
    /// `/ip/hotspot/user/profile`.
    UserProfile = "/ip/hotspot/user/profile" {
        name: String = text("name"),
        rate_limit: String = text("rate-limit"),
        shared_users: String = text("shared-users"),
        session_timeout: Duration = dur("session-timeout"),
        idle_timeout: Duration = dur("idle-timeout"),
        address_list: String = text("address-list"),
    }
);

menu!(
    /// `/ip/hotspot/active`: live sessions; counters are this session's.
    Active = "/ip/hotspot/active" {
        server: String = text("server"),
        user: String = text("user"),
        address: String = text("address"),
        mac_address: Mac = mac("mac-address"),
        login_by: String = text("login-by"),
        uptime: Duration = dur("uptime"),
        bytes_in: u64 = num("bytes-in"),
        bytes_out: u64 = num("bytes-out"),
        limit_bytes_total: u64 = num("limit-bytes-total"),
    }
);

menu!(
    /// `/ip/hotspot/host`: every device the hotspot has seen.
    Host = "/ip/hotspot/host" {
        mac_address: Mac = mac("mac-address"),
        address: String = text("address"),
        to_address: String = text("to-address"),
        server: String = text("server"),
        authorized: bool = flag("authorized"),
        bypassed: bool = flag("bypassed"),
        bytes_in: u64 = num("bytes-in"),
        bytes_out: u64 = num("bytes-out"),
        idle_time: Duration = dur("idle-time"),
    }
);

menu!(
    /// `/ip/hotspot/ip-binding`.
    IpBinding = "/ip/hotspot/ip-binding" {
        mac_address: Mac = mac("mac-address"),
        address: String = text("address"),
        to_address: String = text("to-address"),
        server: String = text("server"),
        kind: String = text("type"),
        comment: String = text("comment"),
        disabled: bool = flag("disabled"),
    }
);

menu!(
    /// `/ip/hotspot/cookie`.
    Cookie = "/ip/hotspot/cookie" {
        user: String = text("user"),
        mac_address: Mac = mac("mac-address"),
        expires_in: Duration = dur("expires-in"),
    }
);

menu!(
    /// `/ip/hotspot/walled-garden/ip` (any protocol; needed for HTTPS hosts).
    WalledGardenIp = "/ip/hotspot/walled-garden/ip" {
        action: String = text("action"),
        dst_host: String = text("dst-host"),
        dst_address: String = text("dst-address"),
        comment: String = text("comment"),
        disabled: bool = flag("disabled"),
    }
);

menu!(
    /// `/ip/hotspot/walled-garden` (plain HTTP).
    WalledGarden = "/ip/hotspot/walled-garden" {
        action: String = text("action"),
        dst_host: String = text("dst-host"),
        path: String = text("path"),
        comment: String = text("comment"),
        disabled: bool = flag("disabled"),
    }
);

menu!(
    /// `/ip/firewall/address-list`.
    AddressListEntry = "/ip/firewall/address-list" {
        list: String = text("list"),
        address: String = text("address"),
        comment: String = text("comment"),
        dynamic: bool = flag("dynamic"),
        disabled: bool = flag("disabled"),
    }
);

menu!(
    /// `/queue/simple`.
    SimpleQueue = "/queue/simple" {
        name: String = text("name"),
        target: String = text("target"),
        max_limit: String = text("max-limit"),
        bytes: String = text("bytes"),
        comment: String = text("comment"),
        dynamic: bool = flag("dynamic"),
        disabled: bool = flag("disabled"),
    }
);

menu!(
    /// `/ip/dhcp-server/lease`.
    DhcpLease = "/ip/dhcp-server/lease" {
        address: String = text("address"),
        mac_address: Mac = mac("mac-address"),
        status: String = text("status"),
        host_name: String = text("host-name"),
        dynamic: bool = flag("dynamic"),
    }
);

menu!(
    /// `/ip/arp`.
    Arp = "/ip/arp" {
        address: String = text("address"),
        mac_address: Mac = mac("mac-address"),
        interface: String = text("interface"),
        dynamic: bool = flag("dynamic"),
        complete: bool = flag("complete"),
    }
);

menu!(
    /// `/system/resource`.
    Resource = "/system/resource" {
        version: String = text("version"),
        uptime: Duration = dur("uptime"),
        cpu_load: u64 = num("cpu-load"),
        free_memory: u64 = num("free-memory"),
        board_name: String = text("board-name"),
    }
);

/// Hotspot user counters plus the live session counters: what the user has used.
pub fn used_bytes(user: &HotspotUser, sessions: &[Active]) -> u64 {
    let committed = user.bytes_in.unwrap_or(0) + user.bytes_out.unwrap_or(0);
    let live: u64 = sessions
        .iter()
        .filter(|s| s.user == user.name)
        .map(|s| s.bytes_in.unwrap_or(0) + s.bytes_out.unwrap_or(0))
        .sum();
    committed + live
}

impl Client {
    /// Server-side login of a host (`/ip/hotspot/active/login`).
    pub async fn hotspot_login(
        &self,
        user: &str,
        password: &str,
        mac: Mac,
        ip: &str,
    ) -> Result<(), Error> {
        let mac = mac.to_string();
        self.call(
            "/ip/hotspot/active/login",
            [
                ("user", user),
                ("password", password),
                ("mac-address", mac.as_str()),
                ("ip", ip),
            ],
        )
        .await
        .map(drop)
    }

    /// Kicks sessions (`/ip/hotspot/active/remove`); counters are committed to the user.
    pub async fn hotspot_kick(&self, sessions: &[Id]) -> Result<(), Error> {
        self.remove(Active::PATH, sessions).await
    }

    /// Resolves a client's MAC from its IP the documented way:
    /// hotspot host → ARP → DHCP lease.
    pub async fn mac_for_ip(&self, ip: &str) -> Result<Option<Mac>, Error> {
        let by_ip = || [Query::Eq("address".into(), ip.to_owned())];
        if let Some(h) = list::<Host>(self, by_ip())
            .await?
            .into_iter()
            .find_map(|h| h.mac_address)
        {
            return Ok(Some(h));
        }
        if let Some(a) = list::<Arp>(self, by_ip())
            .await?
            .into_iter()
            .find_map(|a| a.mac_address)
        {
            return Ok(Some(a));
        }
        Ok(list::<DhcpLease>(self, by_ip())
            .await?
            .into_iter()
            .find_map(|l| l.mac_address))
    }
}
