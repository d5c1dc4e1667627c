//! The sandbox HTTP port: the index at `GET /_sandbox`, the hotspot login
//! servlet of the first router (`/login`, `/status`, `/logout`; PAP and
//! CHAP with the real MD5), and control of every simulated router under
//! `/_sandbox/routeros/{name}/…`.

use std::{collections::HashMap, net::SocketAddr, sync::Arc, time::Duration};

use md5::{Digest, Md5};
use poem::{
    get, handler,
    http::StatusCode,
    listener::TcpAcceptor,
    post,
    web::{Data, Form, Html, Json, Path, Query, RemoteAddr},
    EndpointExt, IntoResponse, Request, Response, Route, Server,
};
use serde::{Deserialize, Serialize};
use tokio::{net::TcpListener, sync::watch};

use crate::{
    fakes::{self, Fakes},
    midtrans,
    routeros_sim::{Faults, LoginBy},
    SimRouter,
};

/// Per-client CHAP id and challenge of the last rendered login page.
type Chap = Arc<tokio::sync::Mutex<HashMap<String, (u8, [u8; 16])>>>;

#[derive(Clone)]
struct Ctx {
    http_addr: SocketAddr,
    routers: Vec<SimRouter>,
    chap: Chap,
}

impl Ctx {
    fn router(&self, name: &str) -> poem::Result<&SimRouter> {
        self.routers.iter().find(|r| r.name == name).ok_or_else(|| {
            poem::Error::from_string(format!("no router {name}"), StatusCode::NOT_FOUND)
        })
    }
}

#[derive(Serialize)]
struct Service {
    name: String,
    protocol: &'static str,
    address: String,
    notes: String,
}

#[handler]
async fn index(Data(ctx): Data<&Ctx>) -> Json<serde_json::Value> {
    let mut services = Vec::new();
    for r in &ctx.routers {
        let c = r.router.config().await;
        services.push(Service {
            name: format!("routeros-api:{}", r.name),
            protocol: "RouterOS binary API",
            address: r.api_addr.to_string(),
            notes: format!(
                "identity {}, user {}, password {}, {:?}",
                c.identity, c.username, c.password, c.version
            ),
        });
        if let Some(ssl) = r.api_ssl_addr {
            services.push(Service {
                name: format!("routeros-api-ssl:{}", r.name),
                protocol: "RouterOS binary API over TLS",
                address: ssl.to_string(),
                notes: "certificate sandbox/tls/cert.pem (pin it, or trust sandbox/tls/ca.pem)"
                    .into(),
            });
        }
    }
    services.push(Service {
        name: "hotspot-login".into(),
        protocol: "HTTP (RouterOS hotspot servlet, PAP and CHAP)",
        address: format!("http://{}/login", ctx.http_addr),
        notes: format!(
            "router {}; identify the client with X-Sim-Client-Mac",
            ctx.routers[0].name
        ),
    });
    services.push(Service {
        name: "routeros-control".into(),
        protocol: "HTTP JSON",
        address: format!("http://{}/_sandbox/routeros", ctx.http_addr),
        notes: "devices, traffic, clock, reboot, faults, state".into(),
    });
    services.push(Service {
        name: "midtrans".into(),
        protocol: "HTTP JSON (Snap, Core API status, signed notifications)",
        address: format!("http://{}/midtrans", ctx.http_addr),
        notes: format!(
            "server key {}; snap /midtrans/snap/v1, status /midtrans/v2/{{id}}/status; hooks /_sandbox/midtrans",
            midtrans::SERVER_KEY
        ),
    });
    Json(serde_json::json!({
        "name": "gerbang-sandbox",
        "version": env!("CARGO_PKG_VERSION"),
        "services": services,
    }))
}

/// The stand-in for Cloudflare's widget script (same global `turnstile` API).
#[handler]
async fn turnstile_script() -> Response {
    Response::builder()
        .content_type("text/javascript; charset=utf-8")
        .header("Cache-Control", "no-cache")
        .body(include_str!("../assets/turnstile-api.js"))
}

/// A page with an implicitly rendered widget inside a form (browser check of the stand-in).
#[handler]
async fn turnstile_demo() -> Html<&'static str> {
    Html(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Turnstile sandbox</title>
<script>
// Load the widget from the other loopback name, so the page and the script are
// different origins as with the real service (127.0.0.1 vs localhost).
var s = document.createElement('script');
var host = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
s.src = location.protocol + '//' + host + ':' + location.port + '/turnstile/v0/api.js';
document.head.appendChild(s);
</script></head><body>
<form id="f"><div class="cf-turnstile" data-sitekey="1x00000000000000000000AA" data-action="otp_request" data-callback="solved"></div></form>
<p id="solved"></p>
<script>function solved(t) { document.getElementById('solved').textContent = 'token:' + t; }</script>
</body></html>"#,
    )
}

// ---- hotspot servlet -------------------------------------------------------

/// Which device is asking: `X-Sim-Client-Mac`, else the device with the peer's IP.
async fn client_of(
    req: &Request,
    remote: &RemoteAddr,
    router: &SimRouter,
) -> Option<(String, String)> {
    if let Some(mac) = req
        .headers()
        .get("x-sim-client-mac")
        .and_then(|v| v.to_str().ok())
    {
        let mac = mac.to_ascii_uppercase();
        let ip = router.router.device_ip(&mac).await?;
        return Some((mac, ip));
    }
    let ip = remote.as_socket_addr()?.ip().to_string();
    let mac = router.router.device_by_ip(&ip).await?;
    Some((mac, ip))
}

/// Lower-case hex of MD5(chap-id ‖ password ‖ challenge), as the login page's md5.js computes it.
pub fn chap_response(id: u8, password: &str, challenge: &[u8]) -> String {
    let mut md5 = Md5::new();
    md5.update([id]);
    md5.update(password.as_bytes());
    md5.update(challenge);
    md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn octal(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:03o}")).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Checks the submitted password against the user's stored one.
type PasswordCheck = Box<dyn Fn(&str) -> bool + Send>;

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    username: String,
    password: String,
    dst: String,
    popup: String,
}

async fn login_page(
    ctx: &Ctx,
    client: Option<(String, String)>,
    dst: &str,
    error: &str,
) -> Html<String> {
    let router = &ctx.routers[0];
    let identity = router.router.config().await.identity;
    let (mac, ip) = client.clone().unwrap_or_default();
    let (chap_id, chap_challenge) = match &client {
        Some((mac, _)) => {
            let r1 = router.router.random().await.to_be_bytes();
            let r2 = router.router.random().await.to_be_bytes();
            let mut challenge = [0u8; 16];
            challenge[..8].copy_from_slice(&r1);
            challenge[8..].copy_from_slice(&r2);
            let id = r1[7] ^ r2[0];
            ctx.chap.lock().await.insert(mac.clone(), (id, challenge));
            (octal(&[id]), octal(&challenge))
        }
        None => (String::new(), String::new()),
    };
    let link = format!("http://{}/login", ctx.http_addr);
    Html(format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{identity} hotspot</title></head><body>
<form name="login" action="{link}" method="post">
<input type="hidden" name="dst" value="{dst}"><input type="hidden" name="popup" value="true">
<input name="username" type="text"><input name="password" type="password"><button type="submit">OK</button>
</form>
<p id="error">{error}</p>
<dl><dt>mac</dt><dd id="mac">{mac}</dd><dt>ip</dt><dd id="ip">{ip}</dd><dt>link-login-only</dt><dd id="link-login-only">{link}</dd></dl>
<script>var chapId = '{chap_id}'; var chapChallenge = '{chap_challenge}';</script>
</body></html>"#,
        identity = escape(&identity),
        dst = escape(dst),
        error = escape(error),
    ))
}

#[handler]
async fn login_get(
    req: &Request,
    remote: &RemoteAddr,
    Data(ctx): Data<&Ctx>,
    Query(form): Query<LoginForm>,
) -> Response {
    login_common(req, remote, ctx, form).await
}

#[handler]
async fn login_post(
    req: &Request,
    remote: &RemoteAddr,
    Data(ctx): Data<&Ctx>,
    Form(form): Form<LoginForm>,
) -> Response {
    login_common(req, remote, ctx, form).await
}

async fn login_common(req: &Request, remote: &RemoteAddr, ctx: &Ctx, form: LoginForm) -> Response {
    let router = &ctx.routers[0];
    let client = client_of(req, remote, router).await;
    if form.username.is_empty() {
        return login_page(ctx, client, &form.dst, "").await.into_response();
    }
    let Some((mac, ip)) = client.clone() else {
        return login_page(
            ctx,
            None,
            &form.dst,
            &format!("you are not logged in (ip {})", remote),
        )
        .await
        .into_response();
    };
    let chap = ctx.chap.lock().await.get(&mac).copied();
    let is_chap = chap.is_some()
        && form.password.len() == 32
        && form.password.bytes().all(|b| b.is_ascii_hexdigit());
    let submitted = form.password.to_ascii_lowercase();
    let (by, check): (LoginBy, PasswordCheck) = if is_chap {
        let (id, challenge) = chap.expect("checked above");
        (
            LoginBy::HttpChap,
            Box::new(move |stored: &str| chap_response(id, stored, &challenge) == submitted),
        )
    } else {
        let plain = form.password.clone();
        (
            LoginBy::HttpPap,
            Box::new(move |stored: &str| stored == plain),
        )
    };
    match router
        .router
        .hotspot_login(&form.username, check, &mac, &ip, by)
        .await
    {
        Ok(()) => {
            let dst = if form.dst.is_empty() {
                format!("http://{}/status", ctx.http_addr)
            } else {
                form.dst.clone()
            };
            let _ = form.popup;
            Response::builder()
                .status(StatusCode::FOUND)
                .header("Location", dst.clone())
                .content_type("text/html; charset=utf-8")
                .body(format!("<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0; url={}\"></head><body>You are logged in</body></html>", escape(&dst)))
        }
        Err(refused) => login_page(ctx, client, &form.dst, &refused.text)
            .await
            .into_response(),
    }
}

#[handler]
async fn status(req: &Request, remote: &RemoteAddr, Data(ctx): Data<&Ctx>) -> Html<String> {
    let router = &ctx.routers[0];
    let client = client_of(req, remote, router).await;
    let session = match &client {
        Some((mac, _)) => router.router.with_state(|s| s.session_of(mac)).await,
        None => None,
    };
    Html(match (client, session) {
        (Some((_, ip)), Some(id)) => format!("<p id=\"status\">logged in ({ip}, session {id})</p>"),
        (client, _) => format!(
            "<p id=\"error\">you are not logged in (ip {})</p>",
            client.map(|c| c.1).unwrap_or_else(|| remote.to_string())
        ),
    })
}

#[handler]
async fn logout(req: &Request, remote: &RemoteAddr, Data(ctx): Data<&Ctx>) -> Html<String> {
    let router = &ctx.routers[0];
    if let Some((mac, _)) = client_of(req, remote, router).await {
        router
            .router
            .with_state(|s| {
                let ids: Vec<u32> = s
                    .session_of(&mac)
                    .and_then(|id| crate::routeros_sim::tables::parse_id(&id))
                    .into_iter()
                    .collect();
                for id in ids {
                    s.logout(id, "user-request");
                }
            })
            .await;
    }
    Html("<p id=\"status\">logged out</p>".into())
}

// ---- control ---------------------------------------------------------------

#[derive(Deserialize)]
struct NewDevice {
    mac: String,
    ip: String,
    #[serde(default)]
    host_name: String,
}

#[derive(Deserialize)]
struct Traffic {
    mac: String,
    up_bps: u64,
    down_bps: u64,
}

#[derive(Deserialize)]
struct Advance {
    seconds: u64,
}

#[derive(Deserialize)]
struct StateQuery {
    path: Option<String>,
}

#[handler]
async fn list_routers(Data(ctx): Data<&Ctx>) -> Json<serde_json::Value> {
    let mut out = Vec::new();
    for r in &ctx.routers {
        out.push(serde_json::json!({
            "name": r.name,
            "api": r.api_addr.to_string(),
            "config": r.router.config().await,
            "open_sessions": r.router.open_sessions(),
        }));
    }
    Json(serde_json::Value::Array(out))
}

#[handler]
async fn attach(
    Path(name): Path<String>,
    Data(ctx): Data<&Ctx>,
    Json(d): Json<NewDevice>,
) -> poem::Result<StatusCode> {
    if d.mac.parse::<routeros::Mac>().is_err() || d.ip.parse::<std::net::IpAddr>().is_err() {
        return Err(poem::Error::from_string(
            "mac and ip must be valid",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    ctx.router(&name)?
        .router
        .attach_device(&d.mac, &d.ip, &d.host_name)
        .await;
    Ok(StatusCode::NO_CONTENT)
}

#[handler]
async fn detach(
    Path((name, mac)): Path<(String, String)>,
    Data(ctx): Data<&Ctx>,
) -> poem::Result<StatusCode> {
    ctx.router(&name)?.router.detach_device(&mac).await;
    Ok(StatusCode::NO_CONTENT)
}

#[handler]
async fn traffic(
    Path(name): Path<String>,
    Data(ctx): Data<&Ctx>,
    Json(t): Json<Traffic>,
) -> poem::Result<StatusCode> {
    if ctx
        .router(&name)?
        .router
        .set_traffic(&t.mac, t.up_bps, t.down_bps)
        .await
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(poem::Error::from_string(
            "no such device",
            StatusCode::NOT_FOUND,
        ))
    }
}

#[handler]
async fn clock(
    Path(name): Path<String>,
    Data(ctx): Data<&Ctx>,
    Json(a): Json<Advance>,
) -> poem::Result<Json<serde_json::Value>> {
    let r = &ctx.router(&name)?.router;
    r.advance(Duration::from_secs(a.seconds.min(30 * 86_400)))
        .await;
    Ok(Json(
        serde_json::json!({ "clock_seconds": r.clock().await.as_secs() }),
    ))
}

#[handler]
async fn reboot(Path(name): Path<String>, Data(ctx): Data<&Ctx>) -> poem::Result<StatusCode> {
    ctx.router(&name)?.router.reboot().await;
    Ok(StatusCode::NO_CONTENT)
}

#[handler]
async fn put_faults(
    Path(name): Path<String>,
    Data(ctx): Data<&Ctx>,
    Json(f): Json<Faults>,
) -> poem::Result<StatusCode> {
    ctx.router(&name)?.router.set_faults(f).await;
    Ok(StatusCode::NO_CONTENT)
}

#[handler]
async fn get_state(
    Path(name): Path<String>,
    Data(ctx): Data<&Ctx>,
    Query(q): Query<StateQuery>,
) -> poem::Result<Json<serde_json::Value>> {
    let r = &ctx.router(&name)?.router;
    Ok(Json(match q.path {
        Some(path) => {
            let rows = r
                .rows(&path)
                .await
                .ok_or_else(|| poem::Error::from_string("no such menu", StatusCode::NOT_FOUND))?;
            serde_json::to_value(
                rows.into_iter()
                    .map(|(id, mut props)| {
                        props.insert(".id".into(), id);
                        props
                    })
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_default()
        }
        None => serde_json::json!({
            "clock_seconds": r.clock().await.as_secs(),
            "events": r.events().await,
            "faults": r.faults().await,
            "open_sessions": r.open_sessions(),
        }),
    }))
}

/// Serves HTTP until `stop` turns true.
pub async fn serve(
    listener: TcpListener,
    http_addr: SocketAddr,
    routers: Vec<SimRouter>,
    fakes: Fakes,
    mut stop: watch::Receiver<bool>,
) {
    let ctx = Ctx {
        http_addr,
        routers,
        chap: Arc::default(),
    };
    let app = Route::new()
        .at("/_sandbox", get(index))
        .at("/login", get(login_get).post(login_post))
        .at("/status", get(status))
        .at("/logout", get(logout).post(logout))
        .at("/_sandbox/routeros", get(list_routers))
        .at("/_sandbox/routeros/:name/devices", post(attach))
        .at(
            "/_sandbox/routeros/:name/devices/:mac",
            poem::delete(detach),
        )
        .at("/_sandbox/routeros/:name/traffic", post(traffic))
        .at("/_sandbox/routeros/:name/clock", post(clock))
        .at("/_sandbox/routeros/:name/reboot", post(reboot))
        .at("/_sandbox/routeros/:name/faults", poem::put(put_faults))
        .at("/_sandbox/routeros/:name/state", get(get_state))
        .at("/fonnte/send", post(fakes::fonnte_send))
        .at("/fonnte/device", post(fakes::fonnte_device))
        .at("/_sandbox/whatsapp/messages", get(fakes::inbox))
        .at("/_sandbox/fonnte/mode", poem::put(fakes::fonnte_mode))
        .at("/turnstile/v0/siteverify", post(fakes::siteverify))
        .at(
            "/_sandbox/turnstile/token",
            post(fakes::mint_token).with(poem::middleware::Cors::new()),
        )
        .at("/turnstile/v0/api.js", get(turnstile_script))
        .at("/_sandbox/turnstile/demo", get(turnstile_demo))
        .at("/_sandbox/turnstile/mode", poem::put(fakes::turnstile_mode))
        .at(
            "/midtrans/snap/v1/transactions",
            post(midtrans::snap_create),
        )
        .at("/midtrans/v2/:id/status", get(midtrans::status_check))
        .at(
            "/midtrans/snap/v3/redirection/:token",
            get(midtrans::payment_page),
        )
        .at(
            "/midtrans/snap/v3/redirection/:token/choose",
            post(midtrans::page_choose),
        )
        .at(
            "/midtrans/snap/v3/redirection/:token/pay",
            post(midtrans::page_pay),
        )
        .at(
            "/midtrans/snap/v3/redirection/:token/expire",
            post(midtrans::page_expire),
        )
        .at("/_sandbox/midtrans/mode", poem::put(midtrans::put_mode))
        .at(
            "/_sandbox/midtrans/deliveries",
            get(midtrans::get_deliveries),
        )
        .at("/_sandbox/midtrans/orders/:id", get(midtrans::get_order))
        .at(
            "/_sandbox/midtrans/orders/:id/:action",
            post(midtrans::order_action),
        )
        .data(ctx)
        .data(fakes);
    let acceptor = match TcpAcceptor::from_tokio(listener) {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "sandbox http listener unusable");
            return;
        }
    };
    let stopped = async move {
        let _ = stop.changed().await;
    };
    if let Err(e) = Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(app, stopped, None)
        .await
    {
        tracing::error!(error = %e, "sandbox http server failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chap_worked_example_from_the_docs() {
        let challenge = [
            0xef, 0x0d, 0xd8, 0x0b, 0x11, 0x9c, 0x65, 0xa5, 0xc3, 0xab, 0x62, 0xa6, 0x5b, 0x7d,
            0xfd, 0xce,
        ];
        assert_eq!(
            chap_response(0xF9, "secret", &challenge),
            "e5627b636f982d6233d0cf5931d404c2"
        );
        assert_eq!(octal(&[0xF9]), "\\371");
        assert_eq!(&octal(&challenge)[..12], "\\357\\015\\330");
    }
}
