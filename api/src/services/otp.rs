//! WhatsApp OTP requests (docs/integrations.md, "WhatsApp login codes"): Turnstile first, then
//! per-phone cooldown and caps, per-IP caps and a global send budget — all
//! counted atomically in Redis so they hold across API replicas — then a
//! 6-digit code from the OS CSPRNG, stored only as an HMAC, sent through Fonnte.

use std::net::IpAddr;

use fred::interfaces::{HashesInterface, KeysInterface, LuaInterface};
use hmac::{Hmac, KeyInit, Mac};
use rand::{rngs::OsRng, Rng, TryRngCore};
use sha2::Sha256;
use shared_types::{phone::normalize_id_mobile, OtpRequest, OtpRequested};
use subtle::ConstantTimeEq;
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
    #[error("wrong, expired or used code")]
    Invalid { attempts_left: u32 },
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

/// Takes one attempt of the phone's challenge, unless the phone is over its
/// wrong-code caps. KEYS: challenge, wrong-hour, wrong-day. ARGV: max attempts,
/// hour cap, day cap. Returns {"-1", ttl} when capped, {"0"} when there is no
/// usable challenge, else {attempt, challenge id, mac}.
const RESERVE_SCRIPT: &str = r#"
for i = 2, 3 do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= tonumber(ARGV[i]) then return {'-1', tostring(redis.call('TTL', KEYS[i]))} end
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {'0'} end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if n > tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return {'0'}
end
return {tostring(n), redis.call('HGET', KEYS[1], 'id'), redis.call('HGET', KEYS[1], 'mac')}
"#;

/// Records a wrong code. KEYS: challenge, wrong-hour, wrong-day. ARGV: max
/// attempts, challenge id. Returns the attempts left on that challenge.
const WRONG_SCRIPT: &str = r#"
if redis.call('INCR', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], 3600) end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], 86400) end
if redis.call('HGET', KEYS[1], 'id') ~= ARGV[2] then return 0 end
local a = tonumber(redis.call('HGET', KEYS[1], 'attempts') or '0')
if a >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return 0
end
return tonumber(ARGV[1]) - a
"#;

/// Deletes the challenge if it is still the one that was checked. Returns 1 when
/// this call consumed it (so a code works once, even under concurrent use).
const CONSUME_SCRIPT: &str = r#"
if redis.call('HGET', KEYS[1], 'id') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"#;

/// What a code is for; each purpose has its own challenge and wrong-code caps,
/// so a dashboard unlock code never logs anyone in on the hotspot and back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A phone login on the portal.
    Login,
    /// Lifting a password lock on the dashboard (sent to the admin's number).
    AdminUnlock,
}

impl Purpose {
    fn prefix(self) -> &'static str {
        match self {
            Purpose::Login => "otp",
            Purpose::AdminUnlock => "unlock",
        }
    }
}

/// A code that matched; the challenge is consumed with [`consume`].
#[derive(Debug, Clone)]
pub struct Checked {
    pub phone: String,
    purpose: Purpose,
    challenge_id: String,
}

fn challenge_key(state: &AppState, purpose: Purpose, phone: &str) -> String {
    state
        .kv
        .key(&format!("{}:challenge:{phone}", purpose.prefix()))
}

fn verify_keys(state: &AppState, purpose: Purpose, phone: &str) -> Vec<String> {
    let p = purpose.prefix();
    vec![
        challenge_key(state, purpose, phone),
        state.kv.key(&format!("{p}:wrong:hour:{phone}")),
        state.kv.key(&format!("{p}:wrong:day:{phone}")),
    ]
}

/// Checks a login code against the phone's current challenge (at most
/// `max_attempts` tries per challenge, constant-time comparison, per-phone caps
/// on wrong codes). Does not consume the challenge.
pub async fn check(state: &AppState, phone: &str, code: &str) -> Result<Checked, OtpError> {
    check_for(state, Purpose::Login, phone, code).await
}

/// [`check`] for a code of any purpose.
pub async fn check_for(
    state: &AppState,
    purpose: Purpose,
    phone: &str,
    code: &str,
) -> Result<Checked, OtpError> {
    let phone = normalize_id_mobile(phone).map_err(|_| OtpError::InvalidPhone)?;
    let cfg = &state.settings.otp;
    let keys = verify_keys(state, purpose, &phone);
    let reply: Vec<String> = state
        .kv
        .pool()
        .next()
        .eval(
            RESERVE_SCRIPT,
            keys.clone(),
            vec![
                cfg.max_attempts.to_string(),
                cfg.max_wrong_per_phone_hour.to_string(),
                cfg.max_wrong_per_phone_day.to_string(),
            ],
        )
        .await?;
    let (id, stored) = match reply.as_slice() {
        [capped, ttl] if capped == "-1" => {
            return Err(OtpError::Limited(ttl.parse::<u64>().unwrap_or(60).max(1)))
        }
        [_, id, mac] => (id.clone(), mac.clone()),
        _ => return Err(OtpError::Invalid { attempts_left: 0 }),
    };
    let well_formed = code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit());
    let challenge: Uuid = id.parse().unwrap_or_default();
    let computed = code_mac(cfg.pepper.expose().as_bytes(), &challenge, &phone, code);
    if well_formed && bool::from(computed.as_bytes().ct_eq(stored.as_bytes())) {
        return Ok(Checked {
            phone: phone.into(),
            purpose,
            challenge_id: id,
        });
    }
    let left: i64 = state
        .kv
        .pool()
        .next()
        .eval(WRONG_SCRIPT, keys, vec![cfg.max_attempts.to_string(), id])
        .await?;
    tracing::info!(attempts_left = left, "wrong login code");
    Err(OtpError::Invalid {
        attempts_left: left.max(0) as u32,
    })
}

/// Consumes a checked challenge; false if another request consumed it first
/// (or a newer code replaced it).
pub async fn consume(state: &AppState, checked: &Checked) -> Result<bool, OtpError> {
    let key = challenge_key(state, checked.purpose, &checked.phone);
    let done: i64 = state
        .kv
        .pool()
        .next()
        .eval(
            CONSUME_SCRIPT,
            vec![key],
            vec![checked.challenge_id.clone()],
        )
        .await?;
    Ok(done == 1)
}

/// HMAC-SHA256(pepper, challenge_id ‖ phone ‖ code), hex.
pub fn code_mac(pepper: &[u8], challenge_id: &Uuid, phone: &str, code: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(pepper).expect("HMAC takes any key length");
    mac.update(challenge_id.as_bytes());
    mac.update(phone.as_bytes());
    mac.update(code.as_bytes());
    crate::crypto::hex(&mac.finalize().into_bytes())
}

/// A uniform 6-digit code from the operating system's CSPRNG.
pub fn new_code() -> String {
    let mut rng = OsRng.unwrap_err();
    format!("{:06}", rng.random_range(0..1_000_000u32))
}

/// The WhatsApp text of a login code (Indonesian first).
pub fn message(code: &str, minutes: u64) -> String {
    format!(
        "Kode masuk gerbang: {code}\nBerlaku {minutes} menit. Jangan berikan kode ini kepada siapa pun.\n\n\
         gerbang login code: {code} (valid {minutes} minutes). Never share it."
    )
}

/// The WhatsApp text of a dashboard unlock code (Indonesian first).
pub fn unlock_message(code: &str, minutes: u64) -> String {
    format!(
        "Kode buka kunci dasbor gerbang: {code}\nBerlaku {minutes} menit. Akun Anda dikunci karena \
         banyak kata sandi salah; masukkan kode ini bersama kata sandi Anda. Jika bukan Anda yang \
         meminta, jangan berikan kode ini kepada siapa pun.\n\n\
         gerbang dashboard unlock code: {code} (valid {minutes} minutes). Never share it."
    )
}

/// Creates a new challenge for `phone` (replacing an older one of the same
/// purpose) and sends its code over WhatsApp in the background.
pub async fn send_code(
    state: &AppState,
    purpose: Purpose,
    phone: &str,
    ip: IpAddr,
) -> Result<(), OtpError> {
    let cfg = &state.settings.otp;
    let kv = &state.kv;
    let challenge = Uuid::now_v7();
    let code = new_code();
    let mac = code_mac(cfg.pepper.expose().as_bytes(), &challenge, phone, &code);
    let key = challenge_key(state, purpose, phone);
    let pool = kv.pool().next();
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
    let minutes = cfg.ttl_seconds.div_ceil(60);
    let text = match purpose {
        Purpose::Login => message(&code, minutes),
        Purpose::AdminUnlock => unlock_message(&code, minutes),
    };
    // Sent in the background so callers take the same time whoever asked.
    let state = state.clone();
    let target = phone.trim_start_matches('+').to_owned();
    tokio::spawn(async move {
        match crate::services::whatsapp::send(&state, &target, &text).await {
            Ok(_) => {}
            Err(FonnteError::TargetInvalid) => tracing::warn!("whatsapp target invalid"),
            Err(e) => tracing::error!(alert = "whatsapp_gateway", error = %e, "code not sent"),
        }
    });
    Ok(())
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
    // The caps are facility settings a super admin may change at run time.
    let caps = state.facility().await;
    let mut args: Vec<String> = [
        (caps.otp_per_phone_15min, 900),
        (caps.otp_per_phone_day, 86_400),
        (caps.otp_per_ip_hour, 3_600),
        (caps.otp_global_per_minute, 60),
        (caps.otp_global_per_day, 86_400),
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

    // The answer is the same for every number; only registered numbers get a code.
    // Blocked, deactivated and pending accounts get one too: the code proves the
    // number is theirs, and verifying it tells them why they cannot go online.
    if may_receive_code(state, &phone).await? {
        send_code(state, Purpose::Login, &phone, ip).await?;
    }
    Ok(OtpRequested {
        resend_after_seconds: resend_after,
    })
}

async fn may_receive_code(state: &AppState, phone: &str) -> Result<bool, OtpError> {
    let client = state.db.get().await?;
    Ok(crate::db::users::may_receive_code(&client, phone).await?)
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
