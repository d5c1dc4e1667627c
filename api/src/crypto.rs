//! Secrets at rest and login secrets (docs/integrations.md, "Secrets at rest"):
//! - [`Sealer`]: XChaCha20-Poly1305 with a fresh random nonce, a key id and
//!   the row as associated data — `v1.<kid>.<nonce>.<ciphertext‖tag>`.
//! - argon2id password hashes (OWASP minimum parameters), off the async threads.
//! - opaque random tokens, stored only as SHA-256.

use std::collections::HashMap;

use anyhow::{bail, Context};
use argon2::{
    password_hash::{rand_core::OsRng as HashRng, PasswordHash, PasswordHasher, SaltString},
    Algorithm, Argon2, Params, PasswordVerifier, Version,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64URL, Engine};
use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use rand::{rngs::OsRng, TryRngCore};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::secret::Secret;

/// The development key (`dev-only-gerbang-sealing-key-32b`); refused in production.
pub const DEV_KEY: &str = "dev:ZGV2LW9ubHktZ2VyYmFuZy1zZWFsaW5nLWtleS0zMmI";

/// Seals and opens recoverable secrets. Cheap to clone.
#[derive(Clone)]
pub struct Sealer {
    keys: std::sync::Arc<HashMap<String, XChaCha20Poly1305>>,
    active: String,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(active={}, keys=[redacted])", self.active)
    }
}

/// Why a sealed value could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("sealed value is malformed")]
    Malformed,
    #[error("no key with id {0:?}")]
    UnknownKey(String),
    #[error("sealed value failed authentication (wrong key, row or tampered)")]
    Forged,
}

/// The associated data that binds a ciphertext to one row and column.
pub fn aad(table: &str, column: &str, row: &uuid::Uuid) -> String {
    format!("{table}.{column}:{row}:v1")
}

impl Sealer {
    /// Parses `kid:<base64 32 bytes>,kid2:<…>` and the active key id.
    pub fn new(keys: &Secret, active: &str) -> anyhow::Result<Self> {
        let mut map = HashMap::new();
        for entry in keys
            .expose()
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let Some((kid, b64)) = entry.split_once(':') else {
                bail!("invalid settings: crypto.keys entries are kid:<base64 of 32 bytes>");
            };
            anyhow::ensure!(
                !kid.is_empty() && kid.bytes().all(|b| b.is_ascii_alphanumeric()),
                "invalid settings: crypto.keys key id {kid:?} must be alphanumeric"
            );
            let raw = Zeroizing::new(
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(b64.trim_end_matches('='))
                    .or_else(|_| B64URL.decode(b64.trim_end_matches('=')))
                    .with_context(|| {
                        format!("invalid settings: crypto.keys {kid} is not base64")
                    })?,
            );
            anyhow::ensure!(
                raw.len() == 32,
                "invalid settings: crypto.keys {kid} must be 32 bytes, not {}",
                raw.len()
            );
            let cipher = XChaCha20Poly1305::new_from_slice(&raw).expect("32-byte key");
            map.insert(kid.to_owned(), cipher);
        }
        anyhow::ensure!(
            map.contains_key(active),
            "invalid settings: crypto.active_kid {active:?} is not in crypto.keys"
        );
        Ok(Self {
            keys: std::sync::Arc::new(map),
            active: active.to_owned(),
        })
    }

    /// Seals `plaintext` for the row described by `aad`.
    pub fn seal(&self, plaintext: &str, aad: &str) -> String {
        let cipher = &self.keys[&self.active];
        let mut nonce = [0u8; 24];
        OsRng
            .try_fill_bytes(&mut nonce)
            .expect("the OS random source works");
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encryption cannot fail for small inputs");
        format!(
            "v1.{}.{}.{}",
            self.active,
            B64URL.encode(nonce),
            B64URL.encode(ct)
        )
    }

    /// Opens a sealed value; the `aad` must be the one it was sealed with.
    pub fn open(&self, sealed: &str, aad: &str) -> Result<Zeroizing<String>, OpenError> {
        let mut parts = sealed.split('.');
        let (Some("v1"), Some(kid), Some(nonce), Some(ct), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(OpenError::Malformed);
        };
        let cipher = self
            .keys
            .get(kid)
            .ok_or_else(|| OpenError::UnknownKey(kid.to_owned()))?;
        let nonce = B64URL.decode(nonce).map_err(|_| OpenError::Malformed)?;
        let ct = B64URL.decode(ct).map_err(|_| OpenError::Malformed)?;
        if nonce.len() != 24 {
            return Err(OpenError::Malformed);
        }
        let plain = cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| OpenError::Forged)?;
        String::from_utf8(plain)
            .map(Zeroizing::new)
            .map_err(|_| OpenError::Malformed)
    }

    /// Whether the value was sealed with a key other than the active one (re-seal it).
    pub fn needs_reseal(&self, sealed: &str) -> bool {
        sealed.split('.').nth(1) != Some(self.active.as_str())
    }
}

fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19_456, 2, 1, None).expect("valid argon2 parameters"),
    )
}

/// An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`), computed off the async threads.
pub async fn hash_password(password: Zeroizing<String>) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut HashRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))
    })
    .await?
}

/// Verifies a password against a PHC hash (false for a malformed hash).
pub async fn verify_password(password: Zeroizing<String>, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so unknown and
/// known usernames take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut HashRng);
        argon2()
            .hash_password(b"decoy password that never matches", &salt)
            .expect("argon2 hashes")
            .to_string()
    })
}

/// A new opaque token: 256 random bits, base64url.
pub fn new_token() -> String {
    let mut raw = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut raw)
        .expect("the OS random source works");
    B64URL.encode(raw)
}

/// SHA-256 of a token: what the database stores.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random password for a hotspot account: 12 characters without look-alikes.
pub fn new_hotspot_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut out = String::with_capacity(12);
    let mut buf = [0u8; 1];
    while out.len() < 12 {
        OsRng
            .try_fill_bytes(&mut buf)
            .expect("the OS random source works");
        // Rejection sampling keeps the choice uniform.
        let limit = 256 - 256 % ALPHABET.len();
        if (buf[0] as usize) < limit {
            out.push(ALPHABET[buf[0] as usize % ALPHABET.len()] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(keys: &str, active: &str) -> Sealer {
        Sealer::new(&Secret::new(keys), active).unwrap()
    }

    #[test]
    fn seal_then_open_round_trips_and_is_randomised() {
        let s = sealer(DEV_KEY, "dev");
        let row = uuid::Uuid::now_v7();
        let ad = aad("routers", "api_password_sealed", &row);
        let a = s.seal("rahasia", &ad);
        let b = s.seal("rahasia", &ad);
        assert_ne!(a, b, "a fresh nonce per seal");
        assert!(a.starts_with("v1.dev."));
        assert!(!a.contains("rahasia"));
        assert_eq!(s.open(&a, &ad).unwrap().as_str(), "rahasia");
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_or_tampered_is_refused() {
        let s = sealer(DEV_KEY, "dev");
        let ad = aad("users", "hotspot_password_sealed", &uuid::Uuid::now_v7());
        let sealed = s.seal("abc", &ad);
        let other = aad("users", "hotspot_password_sealed", &uuid::Uuid::now_v7());
        assert!(matches!(s.open(&sealed, &other), Err(OpenError::Forged)));
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert!(s.open(&tampered, &ad).is_err());
        assert!(matches!(
            s.open("v2.dev.x.y", &ad),
            Err(OpenError::Malformed)
        ));
    }

    #[test]
    fn rotation_opens_old_values_and_seals_with_the_active_key() {
        let old = sealer(DEV_KEY, "dev");
        let ad = "t.c:1:v1";
        let sealed = old.seal("x", ad);
        let both = sealer(&format!("k2:{},{DEV_KEY}", B64URL.encode([7u8; 32])), "k2");
        assert_eq!(both.open(&sealed, ad).unwrap().as_str(), "x");
        assert!(both.needs_reseal(&sealed));
        assert!(both.seal("x", ad).starts_with("v1.k2."));
        let only_new = sealer(&format!("k2:{}", B64URL.encode([7u8; 32])), "k2");
        assert!(matches!(
            only_new.open(&sealed, ad),
            Err(OpenError::UnknownKey(_))
        ));
    }

    #[test]
    fn bad_key_settings_are_refused() {
        assert!(Sealer::new(&Secret::new("k1:short"), "k1").is_err());
        assert!(Sealer::new(&Secret::new(DEV_KEY), "missing").is_err());
        assert!(Sealer::new(&Secret::new("nocolon"), "nocolon").is_err());
    }

    #[tokio::test]
    async fn argon2id_hashes_verify_only_the_right_password() {
        let h = hash_password(Zeroizing::new("benar".into())).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password(Zeroizing::new("benar".into()), h.clone()).await);
        assert!(!verify_password(Zeroizing::new("salah".into()), h).await);
        assert!(!verify_password(Zeroizing::new("x".into()), "garbage".into()).await);
    }

    #[test]
    fn tokens_and_hotspot_passwords_are_random() {
        let a = new_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, new_token());
        assert_eq!(token_hash(&a).len(), 32);
        let p = new_hotspot_password();
        assert_eq!(p.len(), 12);
        assert_ne!(p, new_hotspot_password());
        assert!(p.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}
