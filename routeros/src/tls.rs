//! TLS to the api-ssl service (8729): certificate verification against given
//! roots, or pinning the router's certificate by its SHA-256 fingerprint
//! (routers usually carry a self-signed certificate).

use std::sync::Arc;

use rustls::{
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::{
        ring as provider, verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms,
    },
    pki_types::{pem::PemObject, CertificateDer, ServerName, UnixTime},
    ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::net::TcpStream;
use tokio_rustls::{client::TlsStream, TlsConnector};

use crate::error::Error;

/// How to trust the router's certificate.
#[derive(Clone, PartialEq, Eq)]
pub enum Tls {
    /// Verify the chain against these PEM roots, for `server_name` (DNS name or IP).
    Verify {
        roots_pem: Vec<u8>,
        server_name: String,
    },
    /// Accept exactly the certificate with this SHA-256 fingerprint.
    Pin {
        sha256: [u8; 32],
        server_name: String,
    },
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tls::Verify { server_name, .. } => write!(f, "Tls::Verify({server_name})"),
            Tls::Pin {
                sha256,
                server_name,
            } => write!(f, "Tls::Pin({server_name}, {})", hex(sha256)),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Parses a SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints
/// it (`80:6C:…`) or as plain hex.
pub fn parse_fingerprint(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    let s = s.rsplit_once('=').map(|(_, v)| v).unwrap_or(s);
    let clean: String = s.chars().filter(|c| *c != ':').collect();
    if clean.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(&clean[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// SHA-256 of a DER certificate.
pub fn fingerprint(cert_der: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, cert_der);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

#[derive(Debug)]
struct Pinned {
    sha256: [u8; 32],
    algs: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let got = fingerprint(end_entity.as_ref());
        // Constant time: the comparison does not leak how many bytes matched.
        let diff = got
            .iter()
            .zip(self.sha256.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff == 0 {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "router certificate does not match the pinned fingerprint".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algs)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algs.supported_schemes()
    }
}

fn client_config(tls: &Tls) -> Result<ClientConfig, Error> {
    let provider = Arc::new(provider::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls(e.to_string()))?;
    Ok(match tls {
        Tls::Verify { roots_pem, .. } => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(roots_pem) {
                let cert = cert.map_err(|e| Error::Tls(format!("bad root certificate: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::Tls(format!("bad root certificate: {e}")))?;
            }
            if roots.is_empty() {
                return Err(Error::Tls("no root certificate given".into()));
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        Tls::Pin { sha256, .. } => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Pinned {
                sha256: *sha256,
                algs: provider.signature_verification_algorithms,
            }))
            .with_no_client_auth(),
    })
}

/// Runs the TLS handshake over a connected socket.
pub(crate) async fn connect(tcp: TcpStream, tls: &Tls) -> Result<TlsStream<TcpStream>, Error> {
    let name = match tls {
        Tls::Verify { server_name, .. } | Tls::Pin { server_name, .. } => server_name,
    };
    let server_name = ServerName::try_from(name.clone())
        .map_err(|_| Error::Tls(format!("invalid server name {name:?}")))?;
    TlsConnector::from(Arc::new(client_config(tls)?))
        .connect(server_name, tcp)
        .await
        .map_err(|e| Error::Tls(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_parse_in_openssl_and_plain_forms() {
        let colon = "sha256 Fingerprint=80:6C:97:47:6F:23:B7:B7:B6:7E:B8:D4:10:41:D6:65:D8:0B:A2:09:A3:33:3B:15:B9:86:03:F1:79:3F:01:6B";
        let plain = "806c97476f23b7b7b67eb8d41041d665d80ba209a3333b15b98603f1793f016b";
        assert_eq!(parse_fingerprint(colon), parse_fingerprint(plain));
        assert_eq!(parse_fingerprint(plain).unwrap()[0], 0x80);
        assert!(parse_fingerprint("80:6C").is_none());
        assert!(parse_fingerprint(&"zz".repeat(32)).is_none());
    }
}
