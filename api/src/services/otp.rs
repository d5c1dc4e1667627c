//! WhatsApp OTP requests (integrations.md §5): Turnstile first, then
//! per-phone cooldown and caps, per-IP caps and a global send budget — all
//! counted atomically in Redis so they hold across API replicas — then a
//! 6-digit code from the OS CSPRNG, stored only as an HMAC, sent through Fonnte.

use std::net::IpAddr;

use fred::interfaces::{HashesInterface, KeysInterface, LuaInterface};
use hmac::{Hmac, KeyInit, Mac};
use rand::{rngs::OsRng, Rng, TryRngCore};
use sha2::Sha256;
use shared_types::{phone::normalize_id_mobile, OtpRequest, OtpRequested};
use uuid::Uuid;

use crate::{
    integrations::{fonnte::FonnteError, turnstile::TurnstileError},
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum OtpError {
    #[error("not an Indonesian mobile number")]
    InvalidPhone,
    #[error(transparent)]
    Turnstile(#[from] TurnstileError),
    #[error("too many requests; retry in {0} s")]
    Limited(u64),
    #[error("the OTP send budget is exhausted")]
    BudgetExhausted,
    #[error("redis: {0}")]
    Redis(#[from] fred::error::Error),
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("database pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
}

/// Checks every counter, then increments them all, in one atomic step.
/// KEYS: cooldown, phone-15min, phone-day, ip-hour, global-minute, global-day.
/// ARGV: the five limits and windows (pairs), then the cooldown steps.
/// Returns {0, cooldown} on success or {index, ttl} of the first counter over its limit.
const LIMIT_SCRIPT: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {1, redis.call('TTL', KEYS[1])}
end
for i = 2, #KEYS do
  local limit = tonumber(ARGV[2 * (i - 1) - 1])
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if current >= limit then
    return {i, redis.call('TTL', KEYS[i])}
  end
end
local sends = 0
for i = 2, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('EXPIRE', KEYS[i], tonumber(ARGV[2 * (i - 1)])) end
  if i == 2 then sends = n end
end
local steps = #ARGV - 2 * (#KEYS - 1)
local step = math.min(sends, steps)
local cooldown = tonumber(ARGV[2 * (#KEYS - 1) + step])
redis.call('SET', KEYS[1], '1', 'EX', cooldown)
return {0, cooldown}
"#;

/// HMAC-SHA256(pepper, challenge_id ‖ phone ‖ code), hex.
pub fn code_mac(pepper: &[u8], challenge_id: &Uuid, phone: &str, code: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(pepper).expect("HMAC takes any key length");
    mac.update(challenge_id.as_bytes());
    mac.update(phone.as_bytes());
    mac.update(code.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A uniform 6-digit code from the operating system's CSPRNG.
pub fn new_code() -> String {
    let mut rng = OsRng.unwrap_err();
    format!("{:06}", rng.random_range(0..1_000_000u32))
}

/// The WhatsApp text (Indonesian first).
pub fn message(code: &str, minutes: u64) -> String {
    format!(
        "Kode masuk gerbang: {code}\nBerlaku {minutes} menit. Jangan berikan kode ini kepada siapa pun.\n\n\
         gerbang login code: {code} (valid {minutes} minutes). Never share it."
    )
}

/// Handles `POST /auth/otp/request`.
#[tracing::instrument(skip_all, fields(client.ip = %ip))]
pub async fn request(
    state: &AppState,
    req: &OtpRequest,
    ip: IpAddr,
) -> Result<OtpRequested, OtpError> {
    let phone = normalize_id_mobile(&req.phone).map_err(|_| OtpError::InvalidPhone)?;
    state.turnstile.verify(&req.turnstile_token, ip).await?;

    let cfg = &state.settings.otp;
    let kv = &state.kv;
    let keys = vec![
        kv.key(&format!("otp:cooldown:{phone}")),
        kv.key(&format!("otp:phone15:{phone}")),
        kv.key(&format!("otp:phoneday:{phone}")),
        kv.key(&format!("otp:ip:{ip}")),
        kv.key("otp:global:minute"),
        kv.key("otp:global:day"),
    ];
    let mut args: Vec<String> = [
        (cfg.max_per_phone_15min, 900),
        (cfg.max_per_phone_day, 86_400),
        (cfg.max_per_ip_hour, 3_600),
        (cfg.global_per_minute, 60),
        (cfg.global_per_day, 86_400),
    ]
    .iter()
    .flat_map(|(limit, window)| [limit.to_string(), window.to_string()])
    .collect();
    args.extend(cfg.cooldowns_seconds.iter().map(u64::to_string));
    let (tripped, seconds): (i64, i64) = {
        let reply: Vec<i64> = kv.pool().next().eval(LIMIT_SCRIPT, keys, args).await?;
        (
            reply.first().copied().unwrap_or(0),
            reply.get(1).copied().unwrap_or(0),
        )
    };
    match tripped {
        0 => {}
        5 | 6 => {
            tracing::error!(
                alert = "otp_budget",
                "OTP send budget exhausted: sending stopped"
            );
            return Err(OtpError::BudgetExhausted);
        }
        _ => return Err(OtpError::Limited(seconds.max(1) as u64)),
    }
    let resend_after = seconds.max(1) as u32;

    // The answer is the same for every number; only known, usable accounts get a code.
    if may_receive_code(state, &phone).await? {
        let challenge = Uuid::now_v7();
        let code = new_code();
        let mac = code_mac(cfg.pepper.expose().as_bytes(), &challenge, &phone, &code);
        let key = kv.key(&format!("otp:challenge:{phone}"));
        let pool = kv.pool().next();
        // A newer challenge replaces the older one.
        let _: () = pool
            .hset(
                &key,
                [
                    ("id", challenge.to_string()),
                    ("mac", mac),
                    ("attempts", "0".to_owned()),
                    ("ip", ip.to_string()),
                ],
            )
            .await?;
        let _: () = pool.expire(&key, cfg.ttl_seconds as i64, None).await?;
        // Send in the background so known and unknown numbers take the same time.
        let fonnte = state.fonnte.clone();
        let text = message(&code, cfg.ttl_seconds.div_ceil(60));
        let target = phone.trim_start_matches('+').to_owned();
        tokio::spawn(async move {
            match fonnte.send(&target, &text).await {
                Ok(_) => {}
                Err(FonnteError::TargetInvalid) => tracing::warn!("whatsapp target invalid"),
                Err(e) => tracing::error!(alert = "whatsapp_gateway", error = %e, "OTP not sent"),
            }
        });
    }
    Ok(OtpRequested {
        resend_after_seconds: resend_after,
    })
}

async fn may_receive_code(state: &AppState, phone: &str) -> Result<bool, OtpError> {
    let client = state.db.get().await?;
    Ok(crate::db::users::login_state(&client, phone)
        .await?
        .is_some_and(|u| u.approved && u.active && !u.blocked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..200).map(|_| new_code()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
        assert!(codes.len() > 190, "a CSPRNG rarely repeats in 200 draws");
    }

    #[test]
    fn the_mac_binds_challenge_phone_and_code() {
        let id = Uuid::now_v7();
        let a = code_mac(b"pepper", &id, "+6281234567890", "123456");
        assert_eq!(a.len(), 64);
        assert_ne!(a, code_mac(b"pepper", &id, "+6281234567891", "123456"));
        assert_ne!(
            a,
            code_mac(b"pepper", &Uuid::now_v7(), "+6281234567890", "123456")
        );
        assert_ne!(a, code_mac(b"other", &id, "+6281234567890", "123456"));
        assert!(!a.contains("123456"));
    }

    #[test]
    fn the_message_is_indonesian_first_and_carries_the_code() {
        let m = message("042517", 5);
        assert!(m.starts_with("Kode masuk gerbang: 042517"));
        assert!(m.contains("Berlaku 5 menit"));
    }
}
