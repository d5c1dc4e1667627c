//! The client against the sandbox's simulated router, over real sockets.

use std::{net::SocketAddr, time::Duration};

use routeros::{
    menus::{self, Active, Host, HotspotUser},
    Client, Config, Error, Mac, Query, Reply,
};
use sandbox::routeros_sim::{self, Faults, RouterConfig, RunningRouter, Version};

async fn router(version: Version) -> RunningRouter {
    routeros_sim::spawn(
        RouterConfig {
            version,
            ..RouterConfig::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap()
}

fn config(r: &RunningRouter) -> Config {
    let mut c = Config::new(r.addr.to_string(), "admin", "sandbox");
    c.command_timeout = Duration::from_secs(5);
    c
}

async fn connect(r: &RunningRouter) -> Client {
    Client::connect(&config(r)).await.unwrap()
}

#[tokio::test]
async fn modern_login_and_identity() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    assert_eq!(c.identity().await.unwrap(), "gerbang-sandbox");
    c.close().await;
    r.shutdown().await;
}

#[tokio::test]
async fn wrong_password_is_a_login_error_with_the_router_text() {
    let r = router(Version::V7_18Plus).await;
    let mut cfg = config(&r);
    cfg.password = "wrong".into();
    match Client::connect(&cfg).await {
        Err(Error::Login(m)) => assert_eq!(m, "invalid user name or password (6)"),
        other => panic!("expected a login error, got {:?}", other.map(|_| ())),
    }
    r.shutdown().await;
}

#[tokio::test]
async fn legacy_md5_login_happens_automatically_on_v6() {
    let r = router(Version::V6Legacy).await;
    let c = connect(&r).await;
    assert_eq!(c.identity().await.unwrap(), "gerbang-sandbox");
    let mut cfg = config(&r);
    cfg.password = "wrong".into();
    assert!(matches!(Client::connect(&cfg).await, Err(Error::Login(m)) if m == "cannot log in"));
    r.shutdown().await;
}

#[tokio::test]
async fn add_set_remove_and_the_exact_traps() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    let path = "/ip/hotspot/user";
    let id = c
        .add(
            path,
            [
                ("name", "0812"),
                ("password", "x9"),
                ("limit-bytes-total", "1073741824"),
            ],
        )
        .await
        .unwrap();

    let dup = c.add(path, [("name", "0812")]).await.unwrap_err();
    let trap = dup.trap().unwrap();
    assert!(trap.is_duplicate());
    assert_eq!(
        trap.message,
        "failure: already have user with this name for this server"
    );

    let bad_profile = c
        .add(path, [("name", "0813"), ("profile", "nope")])
        .await
        .unwrap_err();
    assert_eq!(
        bad_profile.trap().unwrap().message,
        "input does not match any value of profile"
    );

    let unknown = c
        .set(path, routeros::Id(0xFFFF_FFF0), [("comment", "x")])
        .await
        .unwrap_err();
    assert!(unknown.trap().unwrap().is_not_found());

    let bad_menu = c.call("/ip/hotspot/nothing/print", []).await.unwrap_err();
    assert_eq!(bad_menu.trap().unwrap().message, "no such command prefix");

    c.set(
        path,
        id,
        [("comment", "gerbang:uid=1"), ("disabled", "yes")],
    )
    .await
    .unwrap();
    let users: Vec<HotspotUser> = menus::list(&c, [Query::Eq("name".into(), "0812".into())])
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].comment.as_deref(), Some("gerbang:uid=1"));
    assert_eq!(
        users[0].disabled,
        Some(true),
        "yes is stored and printed as true"
    );
    assert_eq!(users[0].limit_bytes_total, Some(1_073_741_824));

    c.unset(path, id, "comment").await.unwrap();
    let row = &c
        .print(path)
        .query(Query::Eq("name".into(), "0812".into()))
        .rows()
        .await
        .unwrap()[0];
    assert!(row.get("comment").is_none(), "unset properties are omitted");

    c.remove(path, &[id]).await.unwrap();
    assert_eq!(c.print(path).count().await.unwrap(), 0);
    r.shutdown().await;
}

#[tokio::test]
async fn queries_proplist_count_and_empty_results_across_versions() {
    for version in [Version::V7_18Plus, Version::V7Pre18] {
        let r = router(version).await;
        let c = connect(&r).await;
        for name in ["alice", "bob", "carol"] {
            c.add("/ip/hotspot/user", [("name", name)]).await.unwrap();
        }
        let rows = c
            .print("/ip/hotspot/user")
            .proplist(&["name"])
            .queries(Query::any_of("name", ["alice", "carol"]))
            .rows()
            .await
            .unwrap();
        let names: Vec<&str> = rows.iter().map(|r| r.get("name").unwrap()).collect();
        assert_eq!(names, ["alice", "carol"]);
        assert!(
            rows.iter().all(|r| r.len() == 1),
            "only the proplist comes back"
        );
        assert_eq!(c.print("/ip/hotspot/user").count().await.unwrap(), 3);

        // With or without `!empty`, an empty result is zero rows.
        let mut stream = c.print("/ip/hotspot/active").stream().unwrap();
        let mut saw_empty = false;
        let mut rows = 0;
        while let Some(reply) = stream.next().await {
            match reply.unwrap() {
                Reply::Empty => saw_empty = true,
                Reply::Re(_) => rows += 1,
                _ => {}
            }
        }
        assert_eq!(rows, 0);
        assert_eq!(saw_empty, version == Version::V7_18Plus);
        r.shutdown().await;
    }
}

#[tokio::test]
async fn many_commands_in_flight_on_one_connection() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    let mut ids = Vec::new();
    for i in 0..200 {
        ids.push(
            c.add("/ip/hotspot/user", [("name", format!("u{i}").as_str())])
                .await
                .unwrap(),
        );
    }
    let sets = ids.iter().enumerate().map(|(i, id)| {
        let c = c.clone();
        let id = *id;
        async move {
            c.set(
                "/ip/hotspot/user",
                id,
                [("comment", format!("c{i}").as_str())],
            )
            .await
        }
    });
    for result in futures_util::future::join_all(sets).await {
        result.unwrap();
    }
    let rows = c
        .print("/ip/hotspot/user")
        .proplist(&["name", "comment"])
        .rows()
        .await
        .unwrap();
    for row in rows {
        let n = &row.get("name").unwrap()[1..];
        assert_eq!(
            row.get("comment").unwrap(),
            format!("c{n}"),
            "each reply reached its own command"
        );
    }
    r.shutdown().await;
}

#[tokio::test]
async fn listen_streams_changes_and_cancels_on_drop() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    let mut events = c.listen("/ip/firewall/address-list", &[]).unwrap();
    let writer = connect(&r).await;
    let id = writer
        .add(
            "/ip/firewall/address-list",
            [("list", "gerbang-active"), ("address", "10.5.50.2")],
        )
        .await
        .unwrap();
    let Some(Ok(Reply::Re(row))) = events.next().await else {
        panic!("expected the added row")
    };
    assert_eq!(row.get("address"), Some("10.5.50.2"));
    assert_eq!(row.id(), Some(id));

    // Duplicate list+address: the documented trap, safe to treat as success.
    let dup = writer
        .add(
            "/ip/firewall/address-list",
            [("list", "gerbang-active"), ("address", "10.5.50.2")],
        )
        .await
        .unwrap_err();
    assert_eq!(
        dup.trap().unwrap().message,
        "failure: already have such entry"
    );

    writer
        .remove("/ip/firewall/address-list", &[id])
        .await
        .unwrap();
    let Some(Ok(Reply::Re(row))) = events.next().await else {
        panic!("expected the removal")
    };
    assert_eq!(row.get(".dead"), Some("true"));

    events.cancel();
    drop(events);
    // The connection is still usable after the cancel.
    assert_eq!(c.identity().await.unwrap(), "gerbang-sandbox");
    r.shutdown().await;
}

#[tokio::test]
async fn a_stalled_command_times_out_and_is_cancelled() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    r.router
        .set_faults(Faults {
            stall: true,
            ..Faults::default()
        })
        .await;
    let err = c
        .execute_within(
            routeros::Sentence::new("/ip/hotspot/user/print"),
            Duration::from_millis(200),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)));
    r.router.set_faults(Faults::default()).await;
    assert_eq!(c.identity().await.unwrap(), "gerbang-sandbox");
    r.shutdown().await;
}

#[tokio::test]
async fn fatal_fails_in_flight_commands_and_closes_the_client() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    r.router
        .set_faults(Faults {
            fatal_next: Some("out of memory".into()),
            ..Faults::default()
        })
        .await;
    let err = c.identity().await.unwrap_err();
    assert!(
        matches!(err, Error::Fatal(ref m) if m == "out of memory"),
        "{err:?}"
    );
    assert!(c.is_closed());
    assert!(matches!(c.identity().await, Err(Error::Closed)));
    r.shutdown().await;
}

#[tokio::test]
async fn a_connection_dropped_mid_print_is_an_error_not_a_hang() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    for i in 0..20 {
        c.add("/ip/hotspot/user", [("name", format!("u{i}").as_str())])
            .await
            .unwrap();
    }
    r.router
        .set_faults(Faults {
            drop_after_rows: Some(5),
            ..Faults::default()
        })
        .await;
    let err = c.print("/ip/hotspot/user").rows().await.unwrap_err();
    assert!(err.is_connection_error(), "{err:?}");
    r.shutdown().await;
}

#[tokio::test]
async fn split_writes_and_shuffled_attributes_change_nothing() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    for i in 0..30 {
        c.add(
            "/ip/hotspot/user",
            [
                ("name", format!("user-{i}").as_str()),
                ("comment", "Café ☕"),
            ],
        )
        .await
        .unwrap();
    }
    let plain = c
        .print("/ip/hotspot/user")
        .proplist(&["name", "comment"])
        .rows()
        .await
        .unwrap();
    r.router
        .set_faults(Faults {
            split_writes: Some(3),
            shuffle_attributes: true,
            ..Faults::default()
        })
        .await;
    let faulty = c
        .print("/ip/hotspot/user")
        .proplist(&["name", "comment"])
        .rows()
        .await
        .unwrap();
    assert_eq!(plain.len(), faulty.len());
    for (a, b) in plain.iter().zip(&faulty) {
        assert_eq!(a.get("name"), b.get("name"));
        assert_eq!(b.get("comment"), Some("Café ☕"));
    }
    r.shutdown().await;
}

#[tokio::test]
async fn the_session_limit_refuses_extra_connections_and_the_pool_stays_within_it() {
    let r = router(Version::V7_18Plus).await;
    r.router.set_max_sessions(2).await;
    let a = connect(&r).await;
    let b = connect(&r).await;
    assert!(
        Client::connect(&config(&r)).await.is_err(),
        "third session refused"
    );
    drop((a, b));

    r.router.set_max_sessions(20).await;
    let pool = routeros::pool::pool(config(&r), 4);
    let tasks = (0..16).map(|_| {
        let pool = pool.clone();
        async move {
            let c = pool.get().await.unwrap();
            c.identity().await.unwrap()
        }
    });
    futures_util::future::join_all(tasks).await;
    assert!(pool.status().size <= 4);
    assert!(
        r.router.open_sessions() <= 4 + 2,
        "at most the pool plus closing sessions"
    );
    r.shutdown().await;
}

#[tokio::test]
async fn hotspot_session_is_cut_exactly_at_the_limit_and_relogin_is_refused() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    let mac: Mac = "02:AA:BB:CC:DD:01".parse().unwrap();
    r.router
        .attach_device(&mac.to_string(), "10.5.50.10", "phone")
        .await;
    assert_eq!(c.mac_for_ip("10.5.50.10").await.unwrap(), Some(mac));
    assert!(mac.is_locally_administered());

    let limit: u64 = 10_000_000;
    let user = c
        .add(
            "/ip/hotspot/user",
            [
                ("name", "0812"),
                ("password", "pw"),
                ("limit-bytes-total", limit.to_string().as_str()),
            ],
        )
        .await
        .unwrap();
    c.hotspot_login("0812", "pw", mac, "10.5.50.10")
        .await
        .unwrap();
    let active: Vec<Active> = menus::list(&c, []).await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(
        active[0].limit_bytes_total,
        Some(limit),
        "remaining allowance fixed at login"
    );

    // Raising the limit mid-session does not change the running session.
    c.set(
        "/ip/hotspot/user",
        user,
        [("limit-bytes-total", "20000000")],
    )
    .await
    .unwrap();
    r.router
        .set_traffic(&mac.to_string(), 1_000_000, 8_000_000)
        .await;
    r.router.advance(Duration::from_secs(5)).await;
    let active: Vec<Active> = menus::list(&c, []).await.unwrap();
    let live = active[0].bytes_in.unwrap() + active[0].bytes_out.unwrap();
    assert_eq!(live, 5 * (125_000 + 1_000_000));
    let users: Vec<HotspotUser> = menus::list(&c, []).await.unwrap();
    assert_eq!(
        users[0].bytes_out,
        Some(0),
        "user counters move only at logout"
    );
    assert_eq!(menus::used_bytes(&users[0], &active), live);

    r.router.advance(Duration::from_secs(60)).await;
    assert!(
        menus::list::<Active>(&c, []).await.unwrap().is_empty(),
        "cut at the limit"
    );
    let users: Vec<HotspotUser> = menus::list(&c, []).await.unwrap();
    assert_eq!(
        users[0].bytes_in.unwrap() + users[0].bytes_out.unwrap(),
        limit,
        "not a byte over"
    );

    // Back to the 10 MB limit: the next login is refused with the router's text.
    c.set(
        "/ip/hotspot/user",
        user,
        [("limit-bytes-total", limit.to_string().as_str())],
    )
    .await
    .unwrap();
    let refused = c
        .hotspot_login("0812", "pw", mac, "10.5.50.10")
        .await
        .unwrap_err();
    assert_eq!(
        refused.trap().unwrap().message,
        "user 0812 has reached traffic limit"
    );
    c.call(
        "/ip/hotspot/user/reset-counters",
        [(".id", user.to_string().as_str())],
    )
    .await
    .unwrap();
    c.hotspot_login("0812", "pw", mac, "10.5.50.10")
        .await
        .unwrap();
    assert!(r
        .router
        .events()
        .await
        .iter()
        .any(|e| e.contains("cause=traffic-limit-reached")));
    r.shutdown().await;
}

#[tokio::test]
async fn bypassed_hosts_skip_login_and_are_shaped_only_by_their_own_queue() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    let mac = "AA:BB:CC:00:00:02";
    r.router.attach_device(mac, "10.5.50.20", "laptop").await;
    c.add(
        "/ip/hotspot/ip-binding",
        [
            ("mac-address", mac),
            ("type", "bypassed"),
            ("comment", "gerbang:uid=7"),
        ],
    )
    .await
    .unwrap();
    let hosts: Vec<Host> = menus::list(&c, []).await.unwrap();
    assert_eq!(hosts[0].bypassed, Some(true));

    r.router.set_traffic(mac, 0, 8_000_000).await;
    r.router.advance(Duration::from_secs(2)).await;
    let hosts: Vec<Host> = menus::list(&c, []).await.unwrap();
    assert_eq!(hosts[0].bytes_out, Some(2_000_000), "unshaped: full demand");

    c.add(
        "/queue/simple",
        [
            ("name", "bp-aabbcc000002"),
            ("target", "10.5.50.20/32"),
            ("max-limit", "1M/2M"),
        ],
    )
    .await
    .unwrap();
    r.router.advance(Duration::from_secs(2)).await;
    let hosts: Vec<Host> = menus::list(&c, []).await.unwrap();
    assert_eq!(
        hosts[0].bytes_out,
        Some(2_000_000 + 2 * 250_000),
        "shaped to 2 Mbit/s down"
    );
    assert!(menus::list::<Active>(&c, []).await.unwrap().is_empty());
    r.shutdown().await;
}

#[tokio::test]
async fn reboot_drops_sessions_and_renumbers_ids() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    r.router
        .attach_device("02:00:00:00:00:03", "10.5.50.30", "p")
        .await;
    let id = c
        .add("/ip/hotspot/user", [("name", "u"), ("password", "p")])
        .await
        .unwrap();
    c.hotspot_login("u", "p", "02:00:00:00:00:03".parse().unwrap(), "10.5.50.30")
        .await
        .unwrap();
    r.router.set_traffic("02:00:00:00:00:03", 0, 800_000).await;
    r.router.advance(Duration::from_secs(10)).await;
    r.router.reboot().await;
    let c = connect(&r).await;
    let users: Vec<HotspotUser> = menus::list(&c, []).await.unwrap();
    assert_eq!(users.len(), 1, "persisted tables survive");
    assert_ne!(users[0].id, Some(id), ".id values are renumbered");
    assert_eq!(
        users[0].bytes_out,
        Some(0),
        "a live session's counters are lost on reboot"
    );
    assert!(menus::list::<Active>(&c, []).await.unwrap().is_empty());
    assert_eq!(
        menus::list::<Host>(&c, []).await.unwrap().len(),
        1,
        "the device is seen again"
    );
    r.shutdown().await;
}

#[tokio::test]
async fn api_ssl_with_a_pinned_fingerprint_or_verified_roots() {
    use routeros::tls::{fingerprint, Tls};
    use rustls_pki_types::{pem::PemObject, CertificateDer};

    let r = routeros_sim::spawn_tls(
        RouterConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let cert = CertificateDer::from_pem_slice(routeros_sim::TLS_CERT_PEM).unwrap();

    let mut pinned = config(&r);
    pinned.tls = Some(Tls::Pin {
        sha256: fingerprint(cert.as_ref()),
        server_name: "gerbang-sandbox".into(),
    });
    let c = Client::connect(&pinned).await.unwrap();
    assert_eq!(c.identity().await.unwrap(), "gerbang-sandbox");

    let mut wrong_pin = config(&r);
    wrong_pin.tls = Some(Tls::Pin {
        sha256: [7; 32],
        server_name: "gerbang-sandbox".into(),
    });
    assert!(
        matches!(Client::connect(&wrong_pin).await, Err(Error::Tls(m)) if m.contains("fingerprint"))
    );

    let mut verified = config(&r);
    verified.tls = Some(Tls::Verify {
        roots_pem: routeros_sim::TLS_CA_PEM.to_vec(),
        server_name: "127.0.0.1".into(),
    });
    let c = Client::connect(&verified).await.unwrap();
    assert_eq!(c.identity().await.unwrap(), "gerbang-sandbox");

    let mut wrong_name = config(&r);
    wrong_name.tls = Some(Tls::Verify {
        roots_pem: routeros_sim::TLS_CA_PEM.to_vec(),
        server_name: "router.example".into(),
    });
    assert!(matches!(
        Client::connect(&wrong_name).await,
        Err(Error::Tls(_))
    ));

    // Plain TCP to the TLS port is not an API session.
    assert!(Client::connect(&config(&r)).await.is_err());
    r.shutdown().await;
}

#[tokio::test]
async fn several_routers_in_one_sandbox_are_independent() {
    let sb = sandbox::Sandbox::start(sandbox::SandboxConfig::ephemeral(3))
        .await
        .unwrap();
    let mut identities = Vec::new();
    for r in &sb.routers {
        let c = Client::connect(&Config::new(r.api_addr.to_string(), "admin", "sandbox"))
            .await
            .unwrap();
        c.add("/ip/hotspot/user", [("name", r.name.as_str())])
            .await
            .unwrap();
        identities.push(c.identity().await.unwrap());
        assert_eq!(c.print("/ip/hotspot/user").count().await.unwrap(), 1);
    }
    assert_eq!(
        identities,
        [
            "gerbang-sandbox-1",
            "gerbang-sandbox-2",
            "gerbang-sandbox-3"
        ]
    );
    sb.shutdown().await;
}

/// A user on a profile with a rate limit and an address list, logged in from
/// the device `02:00:00:00:00:09`; a walled-garden entry besides.
async fn profiled_session(r: &RunningRouter, c: &Client) -> &'static str {
    c.add(
        "/ip/hotspot/user/profile",
        [
            ("name", "paket-10gb"),
            ("rate-limit", "512k/2M"),
            ("address-list", "gerbang-active"),
        ],
    )
    .await
    .unwrap();
    c.add(
        "/ip/hotspot/user",
        [
            ("name", "0899"),
            ("password", "pw"),
            ("profile", "paket-10gb"),
        ],
    )
    .await
    .unwrap();
    c.add(
        "/ip/hotspot/walled-garden/ip",
        [("dst-host", "app.midtrans.com"), ("comment", "gerbang")],
    )
    .await
    .unwrap();
    let mac = "02:00:00:00:00:09";
    r.router.attach_device(mac, "10.5.50.9", "hp").await;
    c.hotspot_login("0899", "pw", mac.parse().unwrap(), "10.5.50.9")
        .await
        .unwrap();

    mac
}

#[tokio::test]
async fn profile_queue_and_address_list_live_with_the_session_and_a_kick_commits_counters() {
    use routeros::menus::{AddressListEntry, SimpleQueue};
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    let mac = profiled_session(&r, &c).await;
    let queues: Vec<SimpleQueue> = menus::list(&c, []).await.unwrap();
    assert_eq!(queues.len(), 1);
    assert_eq!(queues[0].name.as_deref(), Some("<hotspot-0899>"));
    assert_eq!(queues[0].max_limit.as_deref(), Some("512000/2000000"));
    assert_eq!(queues[0].dynamic, Some(true));
    let dynamic_set = c
        .set(
            "/queue/simple",
            queues[0].id.unwrap(),
            [("max-limit", "1M/1M")],
        )
        .await
        .unwrap_err();
    assert!(
        dynamic_set.trap().is_some(),
        "dynamic queues are not editable"
    );
    let lists: Vec<AddressListEntry> = menus::list(&c, []).await.unwrap();
    assert_eq!(
        (lists[0].list.as_deref(), lists[0].address.as_deref()),
        (Some("gerbang-active"), Some("10.5.50.9"))
    );

    // The profile rate limit shapes the session: 2 Mbit/s down.
    r.router.set_traffic(mac, 0, 10_000_000).await;
    r.router.advance(Duration::from_secs(4)).await;
    let active: Vec<Active> = menus::list(&c, []).await.unwrap();
    assert_eq!(active[0].bytes_out, Some(1_000_000));

    c.hotspot_kick(&[active[0].id.unwrap()]).await.unwrap();
    let users: Vec<HotspotUser> = menus::list(&c, []).await.unwrap();
    assert_eq!(
        users[0].bytes_out,
        Some(1_000_000),
        "kick commits the session's counters"
    );
    assert_eq!(users[0].uptime, Some(Duration::from_secs(4)));
    assert!(menus::list::<SimpleQueue>(&c, []).await.unwrap().is_empty());
    assert!(menus::list::<AddressListEntry>(&c, [])
        .await
        .unwrap()
        .is_empty());
    assert!(r
        .router
        .events()
        .await
        .iter()
        .any(|e| e.contains("cause=admin-reset")));

    r.shutdown().await;
}

#[tokio::test]
async fn the_typed_menus_parse_what_the_router_prints() {
    use routeros::menus::{Arp, Cookie, DhcpLease, Resource, UserProfile, WalledGardenIp};
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    let mac = profiled_session(&r, &c).await;
    assert_eq!(
        menus::list::<DhcpLease>(&c, []).await.unwrap()[0]
            .status
            .as_deref(),
        Some("bound")
    );
    assert_eq!(
        menus::list::<Arp>(&c, []).await.unwrap()[0].mac_address,
        Some(mac.parse().unwrap())
    );
    assert_eq!(
        menus::list::<WalledGardenIp>(&c, []).await.unwrap()[0]
            .dst_host
            .as_deref(),
        Some("app.midtrans.com")
    );
    assert!(
        menus::list::<Cookie>(&c, []).await.unwrap().is_empty(),
        "API logins leave no mac-cookie"
    );
    assert!(menus::list::<UserProfile>(&c, [])
        .await
        .unwrap()
        .iter()
        .any(|p| p.name.as_deref() == Some("paket-10gb")));
    let resource = menus::list::<Resource>(&c, []).await.unwrap();
    assert!(resource[0].version.as_deref().unwrap().starts_with("7."));
    r.shutdown().await;
}

#[tokio::test]
async fn latency_and_refused_logins_are_injectable() {
    let r = router(Version::V7_18Plus).await;
    let c = connect(&r).await;
    r.router
        .set_faults(Faults {
            latency_ms: 300,
            ..Faults::default()
        })
        .await;
    let slow = c
        .execute_within(
            routeros::Sentence::new("/system/identity/print"),
            Duration::from_millis(100),
        )
        .await
        .unwrap_err();
    assert!(matches!(slow, Error::Timeout(_)));
    r.router
        .set_faults(Faults {
            reject_logins: true,
            ..Faults::default()
        })
        .await;
    assert!(matches!(
        Client::connect(&config(&r)).await,
        Err(Error::Login(_))
    ));
    r.shutdown().await;
}
