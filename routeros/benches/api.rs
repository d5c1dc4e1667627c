//! `cargo bench -p routeros --bench api`: the client against the sandbox
//! simulator on loopback. Prints `print` throughput over 10,000 hotspot users
//! and 10,000 `set`s pipelined vs one at a time.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{
        tcp::{OwnedReadHalf, OwnedWriteHalf},
        TcpListener, TcpStream,
    },
    sync::mpsc,
};

use routeros::{Client, Config, Id};
use sandbox::routeros_sim::{self, RouterConfig};

const USERS: usize = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let r = routeros_sim::spawn(
        RouterConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("simulator starts");
    let client = Client::connect(&Config::new(r.addr.to_string(), "admin", "sandbox"))
        .await
        .expect("login");

    let adds = (0..USERS).map(|i| {
        let c = client.clone();
        async move {
            let name = format!("08{i:010}");
            c.add(
                "/ip/hotspot/user",
                [
                    ("name", name.as_str()),
                    ("password", "x"),
                    ("limit-bytes-total", "1073741824"),
                ],
            )
            .await
            .expect("add")
        }
    });
    let ids: Vec<Id> = futures_util::future::join_all(adds).await;

    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let rows = client
            .print("/ip/hotspot/user")
            .proplist(&[
                ".id",
                "name",
                "bytes-in",
                "bytes-out",
                "limit-bytes-total",
                "disabled",
                "comment",
            ])
            .rows()
            .await
            .expect("print");
        assert_eq!(rows.len(), USERS);
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "print {USERS} users: {:.1} ms, {:.0} rows/s (best of 5)",
        best * 1e3,
        USERS as f64 / best
    );

    let start = Instant::now();
    let sets = ids.iter().enumerate().map(|(i, id)| {
        let c = client.clone();
        let id = *id;
        async move {
            let comment = format!("gerbang:uid={i}");
            c.set("/ip/hotspot/user", id, [("comment", comment.as_str())])
                .await
                .expect("set")
        }
    });
    futures_util::future::join_all(sets).await;
    let pipelined = start.elapsed().as_secs_f64();

    let start = Instant::now();
    for (i, id) in ids.iter().enumerate() {
        let comment = format!("gerbang:seq={i}");
        client
            .set("/ip/hotspot/user", *id, [("comment", comment.as_str())])
            .await
            .expect("set");
    }
    let sequential = start.elapsed().as_secs_f64();

    println!(
        "set {USERS}: pipelined {:.0} cmd/s ({:.0} ms), one at a time {:.0} cmd/s ({:.0} ms), ratio {:.1}x",
        USERS as f64 / pipelined,
        pipelined * 1e3,
        USERS as f64 / sequential,
        sequential * 1e3,
        sequential / pipelined
    );
    client.close().await;

    // The same over a link with 1 ms each way (2 ms RTT, a LAN to a busy
    // router): what pipelining is for.
    let proxy = delay_proxy(r.addr, Duration::from_millis(1)).await;
    let slow = Client::connect(&Config::new(proxy.to_string(), "admin", "sandbox"))
        .await
        .expect("login");
    let n = 1_000;
    let start = Instant::now();
    let sets = ids.iter().take(n).map(|id| {
        let c = slow.clone();
        let id = *id;
        async move {
            c.set("/ip/hotspot/user", id, [("comment", "rtt")])
                .await
                .expect("set")
        }
    });
    futures_util::future::join_all(sets).await;
    let pipelined = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for id in ids.iter().take(n) {
        slow.set("/ip/hotspot/user", *id, [("comment", "rtt-seq")])
            .await
            .expect("set");
    }
    let sequential = start.elapsed().as_secs_f64();
    println!(
        "set {n} over 2 ms RTT: pipelined {:.0} cmd/s ({:.0} ms), one at a time {:.0} cmd/s ({:.0} ms), ratio {:.1}x",
        n as f64 / pipelined,
        pipelined * 1e3,
        n as f64 / sequential,
        sequential * 1e3,
        sequential / pipelined
    );
    slow.close().await;
    r.shutdown().await;
}

/// A TCP forwarder that delivers every chunk `delay` after it was read, in
/// order, without serialising the delays (a delay line, like a real link).
async fn delay_proxy(upstream: SocketAddr, delay: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let outbound = TcpStream::connect(upstream).await.expect("upstream");
            let (ri, wi) = inbound.into_split();
            let (ro, wo) = outbound.into_split();
            tokio::spawn(delay_pipe(ri, wo, delay));
            tokio::spawn(delay_pipe(ro, wi, delay));
        }
    });
    addr
}

async fn delay_pipe(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, delay: Duration) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(tokio::time::Instant, Vec<u8>)>();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx
                        .send((tokio::time::Instant::now() + delay, buf[..n].to_vec()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    });
    while let Some((due, chunk)) = rx.recv().await {
        tokio::time::sleep_until(due).await;
        if to.write_all(&chunk).await.is_err() {
            break;
        }
    }
}
