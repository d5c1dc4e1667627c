//! The sandbox over real sockets: RouterOS API framing and the HTTP index.

use futures_util::{SinkExt, StreamExt};
use routeros::{Sentence, SentenceCodec};
use sandbox::{Sandbox, SandboxConfig};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::ephemeral(1)).await.unwrap()
}

async fn exchange(
    conn: &mut Framed<TcpStream, SentenceCodec>,
    s: Sentence,
    replies: usize,
) -> Vec<Sentence> {
    conn.send(&s).await.unwrap();
    let mut out = Vec::new();
    for _ in 0..replies {
        out.push(conn.next().await.unwrap().unwrap());
    }
    out
}

#[tokio::test]
async fn login_then_identity_over_tcp() {
    let sb = start().await;
    let stream = TcpStream::connect(sb.router().api_addr).await.unwrap();
    let mut conn = Framed::new(stream, SentenceCodec::default());

    let r = exchange(
        &mut conn,
        Sentence::new("/login")
            .attr("name", "admin")
            .attr("password", "wrong"),
        2,
    )
    .await;
    assert_eq!(
        r[0].get("message"),
        Some("invalid user name or password (6)")
    );

    let r = exchange(
        &mut conn,
        Sentence::new("/login")
            .attr("name", "admin")
            .attr("password", "sandbox"),
        1,
    )
    .await;
    assert_eq!(r[0].command(), Some("!done"));

    let r = exchange(
        &mut conn,
        Sentence::new("/system/identity/print").with_tag("5"),
        2,
    )
    .await;
    assert_eq!(r[0].get("name"), Some("gerbang-sandbox-1"));
    assert_eq!(r[1].command(), Some("!done"));
    assert_eq!(r[1].tag(), Some("5"));

    let r = exchange(&mut conn, Sentence::new("/quit"), 1).await;
    assert_eq!(
        r[0].reply().unwrap().fatal_reason().as_deref(),
        Some("session terminated on request")
    );
    assert!(conn.next().await.is_none(), "socket closes after !fatal");
    sb.shutdown().await;
}

#[tokio::test]
async fn command_before_login_is_fatal_and_closes() {
    let sb = start().await;
    let stream = TcpStream::connect(sb.router().api_addr).await.unwrap();
    let mut conn = Framed::new(stream, SentenceCodec::default());
    let r = exchange(&mut conn, Sentence::new("/ip/hotspot/user/print"), 1).await;
    assert_eq!(
        r[0].reply().unwrap().fatal_reason().as_deref(),
        Some("not logged in")
    );
    assert!(conn.next().await.is_none());
    sb.shutdown().await;
}

#[tokio::test]
async fn http_index_lists_the_routeros_address() {
    let sb = start().await;
    let body: serde_json::Value = reqwest::get(format!("http://{}/_sandbox", sb.http_addr))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let services = body["services"].as_array().unwrap();
    let ros = services
        .iter()
        .find(|s| s["name"] == "routeros-api:router1")
        .unwrap();
    assert_eq!(ros["address"], sb.router().api_addr.to_string());
    sb.shutdown().await;
}

#[tokio::test]
async fn the_turnstile_stand_in_script_is_served_and_tokens_can_be_minted_cross_origin() {
    let sb = start().await;
    let http = reqwest::Client::new();
    let base = format!("http://{}", sb.http_addr);
    let js = http
        .get(format!("{base}/turnstile/v0/api.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let body = js.text().await.unwrap();
    for api in [
        "render:",
        "getResponse:",
        "reset:",
        "remove:",
        "isExpired:",
        "execute:",
        "ready:",
    ] {
        assert!(body.contains(api), "{api}");
    }
    // The browser's CORS preflight for the JSON mint request from another origin.
    let pre = http
        .request(
            reqwest::Method::OPTIONS,
            format!("{base}/_sandbox/turnstile/token"),
        )
        .header("Origin", "http://portal.test")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert!(pre.headers().contains_key("access-control-allow-origin"));
    sb.shutdown().await;
}
