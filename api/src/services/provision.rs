//! `gerbang router provision|check`: the one-time RouterOS configuration a
//! router needs for gerbang, as a script an operator pastes into the
//! terminal, and a read-only check of a live router against it. What
//! changes per user (accounts, address-list entries, bindings, FUP queues)
//! is the worker's job, not this script's.

use routeros::{menus::Menu, Query};
use shared_types::{FacilitySettings, LoginMode};

use crate::{
    db::routers::RouterRow, integrations::routers::RouterClient,
    services::router_account::HotspotError, settings::Settings,
};

/// Hosts a device must reach before it is logged in (HTTPS, so the IP
/// walled garden): the portal and Turnstile, then the facility's payment
/// list (Midtrans, banks, e-wallets) so that a resident whose access ran out
/// can still pay.
pub fn walled_garden_hosts(settings: &Settings, facility: &FacilitySettings) -> Vec<String> {
    let mut hosts = Vec::new();
    if let Ok(url) = url::Url::parse(&settings.http.public_url) {
        if let Some(h) = url.host_str() {
            hosts.push(h.to_owned());
        }
    }
    hosts.push("challenges.cloudflare.com".to_owned());
    for h in &facility.payment_walled_garden {
        if !hosts.contains(h) {
            hosts.push(h.clone());
        }
    }
    hosts
}

/// The comment on every object this script creates.
pub const COMMENT: &str = "gerbang:provision";

fn quote(v: &str) -> String {
    format!(
        "\"{}\"",
        v.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('$', "\\$")
    )
}

/// The hotspot `login.html` that sends the device to the portal with what
/// the portal needs (`$(…)` are the router's own variables).
pub fn login_html(settings: &Settings) -> String {
    let portal = settings.http.public_url.trim_end_matches('/');
    format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\">\
<meta http-equiv=\"refresh\" content=\"0; url={portal}/captive?ip=$(ip)&amp;mac=$(mac)&amp;link-login-only=$(link-login-only-esc)&amp;dst=$(link-orig-esc)\">\
<title>gerbang</title></head><body>\
<p><a href=\"{portal}/captive?ip=$(ip)&amp;mac=$(mac)&amp;link-login-only=$(link-login-only-esc)&amp;dst=$(link-orig-esc)\">Lanjutkan ke halaman masuk / Continue to sign in</a></p>\
</body></html>"
    )
}

/// The lines that create (if missing) and set one user profile.
fn profile_lines(name: &str, extra: &str) -> [String; 2] {
    [
        format!(
            ":if ([:len [/ip hotspot user profile find name={n}]] = 0) do={{ /ip hotspot user profile add name={n} }}",
            n = quote(name)
        ),
        format!(
            "/ip hotspot user profile set [find name={}] add-mac-cookie=yes{extra}",
            quote(name)
        ),
    ]
}

/// The line that lets one host through the walled garden.
fn garden_line(host: &str) -> String {
    format!(
        ":if ([:len [/ip hotspot walled-garden ip find dst-host={h}]] = 0) do={{ /ip hotspot walled-garden ip add action=accept dst-host={h} comment={c} }}",
        h = quote(host),
        c = quote(COMMENT)
    )
}

fn login_html_line(settings: &Settings) -> String {
    format!(
        "/file add name=\"hotspot/login.html\" contents={}",
        quote(&login_html(settings))
    )
}

fn dhcp_option_line(settings: &Settings) -> String {
    let portal = settings.http.public_url.trim_end_matches('/');
    format!(
        ":if ([:len [/ip dhcp-server option find name=\"gerbang-captive\"]] = 0) do={{ /ip dhcp-server option add name=\"gerbang-captive\" code=114 value={} }}",
        quote(&format!("'{portal}/api/v1/captive'"))
    )
}

/// The RouterOS script for one router. Safe to run again: every `add` is
/// guarded by a `find`, and settings are `set` to the same values.
pub fn script(settings: &Settings, facility: &FacilitySettings, router: &RouterRow) -> String {
    let rate = facility.fup_rate();
    let mut s = String::new();
    let mut line = |l: &str| {
        s.push_str(l);
        s.push('\n');
    };
    line(&format!(
        "# gerbang provisioning for router {} ({} mode)",
        quote(&router.name),
        match router.login_mode {
            LoginMode::HotspotLogin => "hotspot-login",
            LoginMode::Bypass => "bypass",
        }
    ));
    line("# Paste into the router's terminal (RouterOS 7). Running it again changes nothing.");
    line("");
    line("# 1. API account with the least privilege gerbang needs (set a long random password):");
    line(":if ([:len [/user group find name=\"gerbang\"]] = 0) do={ /user group add name=\"gerbang\" policy=api,read,write,!ftp,!local,!telnet,!ssh,!reboot,!policy,!test,!winbox,!password,!web,!sniff,!sensitive,!romon,!rest-api comment=\"gerbang:provision\" }");
    line(&format!(
        "# /user add name={} group=gerbang password=\"…\" address=<gerbang server IP>",
        quote(&router.api_username)
    ));
    line("");
    line("# 2. User profiles: the regular one and the FUP one (speed after the FUP threshold).");
    for (name, extra) in [
        (router.hotspot_profile.as_str(), String::new()),
        (
            router.fup_profile.as_str(),
            format!(" rate-limit={}", quote(&rate)),
        ),
    ] {
        for l in profile_lines(name, &extra) {
            line(&l);
        }
    }
    line("");
    line("# 3. Walled garden: the portal and Turnstile before login, and the payment hosts (Midtrans,");
    line("#    banks, e-wallets) so that people whose access ran out can still pay. HTTPS needs the IP list.");
    for host in walled_garden_hosts(settings, facility) {
        line(&garden_line(&host));
    }
    line("");
    line("# 4. Users who lost access never reach the internet, whatever else is configured.");
    let blocked = format!("{}blocked", router.address_list_prefix);
    line(&format!(
        ":if ([:len [/ip firewall filter find comment={c}]] = 0) do={{ /ip firewall filter add chain=forward src-address-list={l} action=drop comment={c} place-before=0 }}",
        l = quote(&blocked),
        c = quote(&format!("{COMMENT}:{blocked}"))
    ));
    line(
        "# The worker keeps each device's address in one of the lists gerbang-active, -fup, -exhausted,",
    );
    line("# -expired, -blocked, and (bypass mode) a simple queue gerbang-fup-<user> at the FUP rate.");
    line("");
    line("# 5. The captive page: login.html sends the device to the portal.");
    line(&login_html_line(settings));
    line("# (RouterOS before 7.x: upload the same file as hotspot/login.html instead.)");
    line("");
    line("# 6. Captive-portal API for phones (RFC 8910, DHCP option 114).");
    line(&dhcp_option_line(settings));
    line("# Then add it to the hotspot's DHCP network, keeping options already there:");
    line("# /ip dhcp-server network set [find] dhcp-option=gerbang-captive");
    s
}

/// One line of `gerbang router check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub item: String,
    pub ok: bool,
    pub detail: String,
    /// The script line(s) that fix it, when it is not ok.
    pub fix: Option<String>,
}

fn check(item: impl Into<String>, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        item: item.into(),
        ok,
        detail: detail.into(),
        fix: None,
    }
}

impl Check {
    /// The fixing line, shown only while the item is not ok.
    fn fixed_by(mut self, line: impl Into<String>) -> Self {
        if !self.ok {
            self.fix = Some(line.into());
        }
        self
    }
}

/// Reads the live router and reports what is missing or different.
pub async fn check_router(
    settings: &Settings,
    facility: &FacilitySettings,
    client: &RouterClient,
    router: &RouterRow,
) -> Result<Vec<Check>, HotspotError> {
    let api = client.api();
    let e = |e| HotspotError::from(client.err(e));
    let rate = facility.fup_rate();
    let mut out = Vec::new();
    let identity = api.identity().await.map_err(e)?;
    out.push(check("API login", true, format!("identity {identity}")));
    let profiles = api
        .print(routeros::menus::UserProfile::PATH)
        .proplist(&["name", "rate-limit"])
        .rows()
        .await
        .map_err(e)?;
    let profile = |name: &str| {
        profiles
            .iter()
            .find(|p| p.text("name").as_deref() == Some(name))
    };
    out.push(
        check(
            format!("user profile {}", router.hotspot_profile),
            profile(&router.hotspot_profile).is_some(),
            if profile(&router.hotspot_profile).is_some() {
                "present"
            } else {
                "missing"
            },
        )
        .fixed_by(profile_lines(&router.hotspot_profile, "").join("\n")),
    );
    let fup =
        profile(&router.fup_profile).and_then(|p| p.text("rate-limit").map(|r| r.into_owned()));
    out.push(
        check(
            format!("user profile {}", router.fup_profile),
            fup.as_deref() == Some(rate.as_str()),
            match &fup {
                None => "missing (the worker also creates it)".to_owned(),
                Some(r) if *r == rate => format!("rate-limit {r}"),
                Some(r) => format!("rate-limit {r}, want {rate}"),
            },
        )
        .fixed_by(
            profile_lines(
                &router.fup_profile,
                &format!(" rate-limit={}", quote(&rate)),
            )
            .join("\n"),
        ),
    );
    let garden = api
        .print(routeros::menus::WalledGardenIp::PATH)
        .proplist(&["dst-host", "action", "disabled"])
        .rows()
        .await
        .map_err(e)?;
    for host in walled_garden_hosts(settings, facility) {
        let ok = garden.iter().any(|g| {
            g.text("dst-host").as_deref() == Some(host.as_str())
                && g.text("action").as_deref() != Some("drop")
                && g.text("disabled").as_deref() != Some("true")
        });
        out.push(
            check(
                format!("walled garden {host}"),
                ok,
                if ok { "allowed" } else { "missing" },
            )
            .fixed_by(garden_line(&host)),
        );
    }
    let hotspot = api
        .print("/ip/hotspot")
        .proplist(&["name"])
        .query(Query::Eq("name".into(), router.hotspot_server.clone()))
        .rows()
        .await;
    match hotspot {
        Ok(rows) => out.push(
            check(
                format!("hotspot server {}", router.hotspot_server),
                !rows.is_empty() || router.hotspot_server == "all",
                if rows.is_empty() {
                    "missing"
                } else {
                    "present"
                },
            )
            .fixed_by("# create it: /ip hotspot setup (interface, address pool, DNS name)"),
        ),
        Err(err) => out.push(check("hotspot server", false, err.to_string())),
    }
    for (item, path, q, fix) in [
        (
            "login.html",
            "/file",
            Query::Eq("name".into(), "hotspot/login.html".into()),
            login_html_line(settings),
        ),
        (
            "DHCP option 114",
            "/ip/dhcp-server/option",
            Query::Eq("code".into(), "114".into()),
            dhcp_option_line(settings),
        ),
    ] {
        match api.print(path).proplist(&["name"]).query(q).rows().await {
            Ok(rows) => out.push(
                check(
                    item,
                    !rows.is_empty(),
                    if rows.is_empty() {
                        "missing"
                    } else {
                        "present"
                    },
                )
                .fixed_by(fix),
            ),
            Err(routeros::Error::Trap(t)) => {
                out.push(check(item, false, format!("cannot read: {}", t.message)).fixed_by(fix))
            }
            Err(err) => return Err(e(err)),
        }
    }
    Ok(out)
}
