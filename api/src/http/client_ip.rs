//! The client's IP: the peer address, or `X-Forwarded-For` only when the peer
//! is a trusted proxy (then the rightmost address that is not a trusted proxy).

use std::{net::IpAddr, sync::Arc};

use ipnet::IpNet;
use poem::{Endpoint, Middleware, Request, Result};

/// The configured trusted proxies.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(Arc::new(nets))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// Resolves the client address from the peer and the `X-Forwarded-For` values.
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        // Walk from the right: each hop was appended by the proxy before it.
        let hops = forwarded_for
            .iter()
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .rev();
        let mut last = peer;
        for hop in hops {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    let ip = canonical(ip);
                    if !self.trusts(ip) {
                        return ip;
                    }
                    last = ip;
                }
                // Garbage in the header: stop at the last address we could trust.
                Err(_) => return last,
            }
        }
        last
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The resolved client IP, stored in request extensions; handlers take it
/// as an extractor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<'a> poem::FromRequest<'a> for ClientIp {
    async fn from_request(req: &'a Request, _body: &mut poem::RequestBody) -> Result<Self> {
        req.extensions().get::<ClientIp>().copied().ok_or_else(|| {
            poem::Error::from_string(
                "ClientIp middleware missing",
                poem::http::StatusCode::INTERNAL_SERVER_ERROR,
            )
        })
    }
}

/// Middleware that resolves [`ClientIp`] once per request.
pub struct ClientIpMiddleware(pub TrustedProxies);

impl<E: Endpoint> Middleware<E> for ClientIpMiddleware {
    type Output = ClientIpEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        ClientIpEndpoint {
            inner: ep,
            proxies: self.0.clone(),
        }
    }
}

pub struct ClientIpEndpoint<E> {
    inner: E,
    proxies: TrustedProxies,
}

impl<E: Endpoint> Endpoint for ClientIpEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let peer = req
            .remote_addr()
            .as_socket_addr()
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let xff: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let ip = self.proxies.client_ip(peer, &xff);
        req.extensions_mut().insert(ClientIp(ip));
        self.inner.call(req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(vec![
            "10.0.0.0/8".parse().unwrap(),
            "127.0.0.1/32".parse().unwrap(),
        ])
    }

    #[test]
    fn untrusted_peer_cannot_spoof_its_address() {
        let p = proxies();
        assert_eq!(
            p.client_ip(ip("203.0.113.9"), &["1.2.3.4"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn trusted_proxy_yields_the_rightmost_untrusted_hop() {
        let p = proxies();
        // The client forged "1.2.3.4"; nginx appended the real 192.168.88.20.
        assert_eq!(
            p.client_ip(ip("10.0.0.2"), &["1.2.3.4, 192.168.88.20"]),
            ip("192.168.88.20")
        );
        // Two proxies in a row are both skipped.
        assert_eq!(
            p.client_ip(ip("127.0.0.1"), &["192.168.88.20", "10.0.0.2"]),
            ip("192.168.88.20")
        );
    }

    #[test]
    fn trusted_proxy_without_header_or_with_garbage_is_the_client() {
        let p = proxies();
        assert_eq!(p.client_ip(ip("10.0.0.2"), &[]), ip("10.0.0.2"));
        assert_eq!(p.client_ip(ip("10.0.0.2"), &["nonsense"]), ip("10.0.0.2"));
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_rules() {
        let p = proxies();
        assert_eq!(
            p.client_ip(ip("::ffff:10.0.0.2"), &["192.168.88.20"]),
            ip("192.168.88.20")
        );
    }

    #[test]
    fn no_trusted_proxies_means_peer_address() {
        let p = TrustedProxies::default();
        assert_eq!(p.client_ip(ip("127.0.0.1"), &["8.8.8.8"]), ip("127.0.0.1"));
    }
}
