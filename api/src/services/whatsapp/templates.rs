//! Every notification's words, in one place: Indonesian first, the English
//! line below it (residents read Indonesian; an English reader still knows
//! what happened). Text a person typed goes through [`quoted`]; amounts,
//! sizes and times are formatted as people read them.

use shared_types::{access::format_bytes, format_rupiah};
use time::PrimitiveDateTime;

use super::text::{quoted, when_en, when_id};

/// Caps on quoted text: a name, a reason or note.
const NAME: usize = 60;
const REASON: usize = 160;

fn both(id: String, en: String) -> String {
    format!("{id}\n\n{en}")
}

fn size_id(bytes: Option<i64>) -> String {
    bytes.map_or_else(|| "akses tanpa batas".to_owned(), format_bytes)
}

fn size_en(bytes: Option<i64>) -> String {
    bytes.map_or_else(|| "unlimited access".to_owned(), format_bytes)
}

/// A resident's registration was approved.
pub fn registration_approved(facility: &str, phone_local: &str) -> String {
    both(
        format!(
            "Pendaftaran Wi-Fi {} Anda disetujui. Sambungkan ke Wi-Fi, lalu masuk dengan nomor {} — kode masuk dikirim lewat WhatsApp.",
            quoted(facility, NAME),
            phone_local
        ),
        format!("Your Wi-Fi registration was approved. Connect to the Wi-Fi and sign in with {phone_local}; the code arrives on WhatsApp."),
    )
}

/// A resident's registration was rejected.
pub fn registration_rejected(reason: Option<&str>, contact: &str) -> String {
    let reason = reason.map(|r| quoted(r, REASON));
    both(
        format!(
            "Pendaftaran Wi-Fi Anda ditolak{}. Hubungi {}.",
            reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default(),
            quoted(contact, REASON)
        ),
        "Your Wi-Fi registration was rejected.".to_owned(),
    )
}

/// What a payment added.
pub struct Paid<'a> {
    pub amount_idr: i64,
    pub order_id: &'a str,
    /// None: unlimited access.
    pub quota_bytes: Option<i64>,
    pub days: i32,
    pub valid_until: PrimitiveDateTime,
}

/// A resident's payment was received and credited.
pub fn payment_received(p: &Paid<'_>) -> String {
    both(
        format!(
            "Pembayaran {} diterima (pesanan {}). Ditambahkan: {} untuk {} hari. Berlaku sampai {}.",
            format_rupiah(p.amount_idr),
            p.order_id,
            size_id(p.quota_bytes),
            p.days,
            when_id(p.valid_until)
        ),
        format!(
            "Payment of {} received (order {}). Added: {} for {} days, valid until {}.",
            format_rupiah(p.amount_idr),
            p.order_id,
            size_en(p.quota_bytes),
            p.days,
            when_en(p.valid_until)
        ),
    )
}

/// Quota down to `percent` % of the last package.
pub fn quota_low(percent: u8, left_bytes: i64) -> String {
    both(
        format!(
            "Kuota internet Anda tinggal {} ({} %). Beli paket di halaman Wi-Fi agar tetap tersambung.",
            format_bytes(left_bytes),
            percent
        ),
        format!("Your quota is down to {} ({percent} %).", format_bytes(left_bytes)),
    )
}

/// Access ends `left` from now, at `until` (facility time): "in 3 days"
/// from a day on, "in 17 hours" below.
pub fn validity_ending(left: time::Duration, until: PrimitiveDateTime) -> String {
    let hours = (left.whole_minutes() + 59) / 60;
    let (id_when, en_when) = if hours < 24 {
        let h = hours.max(1);
        (format!("dalam {h} jam"), format!("in {h} hours"))
    } else {
        let d = (hours + 23) / 24;
        (format!("dalam {d} hari"), format!("in {d} days"))
    };
    both(
        format!(
            "Masa berlaku internet Anda habis {id_when}, {}. Perpanjang dengan membeli paket di halaman Wi-Fi.",
            when_id(until)
        ),
        format!("Your access ends {en_when}, {}.", when_en(until)),
    )
}

/// An admin blocked the account.
pub fn blocked(reason: &str, contact: &str) -> String {
    both(
        format!(
            "Akses internet Anda diblokir. Alasan: {}. Hubungi {}.",
            quoted(reason, REASON),
            quoted(contact, REASON)
        ),
        "Your internet access was blocked.".to_owned(),
    )
}

/// An admin lifted the block.
pub fn unblocked() -> String {
    both(
        "Blokir akses internet Anda sudah dibuka. Anda bisa tersambung lagi.".to_owned(),
        "Your internet access was unblocked.".to_owned(),
    )
}

/// How a komandan's request was answered.
pub enum Answer<'a> {
    /// Granted `bytes` (None: unlimited) for `days` days, `partly` or as asked.
    Approved {
        bytes: Option<i64>,
        days: i32,
        partly: bool,
    },
    Rejected {
        reason: &'a str,
    },
}

/// A komandan's request was answered.
pub fn request_answered(answer: &Answer<'_>) -> String {
    match answer {
        Answer::Approved {
            bytes,
            days,
            partly,
        } => both(
            format!(
                "Permintaan kuota Anda {}: {} untuk {} hari.",
                if *partly {
                    "disetujui sebagian"
                } else {
                    "disetujui"
                },
                size_id(*bytes),
                days
            ),
            format!(
                "Your quota request was {}: {} for {days} days.",
                if *partly {
                    "partly approved"
                } else {
                    "approved"
                },
                size_en(*bytes)
            ),
        ),
        Answer::Rejected { reason } => both(
            format!(
                "Permintaan kuota Anda ditolak. Alasan: {}.",
                quoted(reason, REASON)
            ),
            "Your quota request was rejected.".to_owned(),
        ),
    }
}

/// Admins: someone registered.
pub fn admin_new_registration(name: &str, phone_local: &str, place: &str) -> String {
    both(
        format!(
            "Pendaftaran baru menunggu persetujuan: {} ({}), {}. Buka dasbor gerbang untuk menyetujui.",
            quoted(name, NAME),
            phone_local,
            quoted(place, NAME)
        ),
        "New registration waiting for approval.".to_owned(),
    )
}

/// Admins: a komandan asked for quota.
pub fn admin_new_request(officer: &str, bytes: Option<i64>, days: i32, note: &str) -> String {
    both(
        format!(
            "Permintaan kuota dari komandan {}: {} untuk {} hari. Catatan: {}. Buka dasbor gerbang untuk menjawab.",
            quoted(officer, NAME),
            size_id(bytes),
            days,
            quoted(note, REASON)
        ),
        "A komandan asked for quota.".to_owned(),
    )
}

/// Admins: a router has not answered for `minutes` minutes.
pub fn admin_router_down(router: &str, minutes: i64) -> String {
    both(
        format!(
            "Router {} tidak menjawab sejak {} menit lalu. Penghuni mungkin tidak bisa tersambung.",
            quoted(router, NAME),
            minutes
        ),
        format!(
            "Router {} has not answered for {minutes} minutes.",
            quoted(router, NAME)
        ),
    )
}

/// Admins: a router reported down answers again after `minutes` minutes.
pub fn admin_router_back(router: &str, minutes: i64) -> String {
    both(
        format!(
            "Router {} menjawab lagi setelah mati sekitar {} menit.",
            quoted(router, NAME),
            minutes
        ),
        format!(
            "Router {} answers again after about {minutes} minutes down.",
            quoted(router, NAME)
        ),
    )
}

/// Admins: a payment settled after its order was closed.
pub fn admin_paid_late(order_id: &str, amount_idr: i64, name: &str) -> String {
    both(
        format!(
            "Pembayaran terlambat: pesanan {} ({}) dari {} lunas setelah ditutup, dan sudah dikreditkan. Periksa di halaman transaksi.",
            order_id,
            format_rupiah(amount_idr),
            quoted(name, NAME)
        ),
        format!("Late payment: order {order_id} settled after it was closed; it was credited."),
    )
}

/// Which daily budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    Codes,
    Notifications,
}

impl Budget {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Codes => "codes",
            Self::Notifications => "notifications",
        }
    }
}

/// Admins: today's budget is nearly used.
pub fn admin_budget(which: Budget, used: i64, budget: i64) -> String {
    let (id, en) = match which {
        Budget::Codes => ("kode masuk WhatsApp", "WhatsApp login codes"),
        Budget::Notifications => ("pemberitahuan WhatsApp", "WhatsApp notifications"),
    };
    both(
        format!("Anggaran {id} hari ini hampir habis: {used} dari {budget} terpakai."),
        format!("Today's budget of {en} is nearly used: {used} of {budget}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_people_read_them() {
        let t = time::macros::datetime!(2026-12-30 09:05);
        let body = payment_received(&Paid {
            amount_idr: 10_000,
            order_id: "GB-1",
            quota_bytes: Some(5 * 1024 * 1024 * 1024 / 2),
            days: 30,
            valid_until: t,
        });
        assert!(
            body.starts_with("Pembayaran Rp 10.000 diterima (pesanan GB-1). Ditambahkan: 2,5 GB untuk 30 hari. Berlaku sampai 30 Des 2026 pukul 09.05."),
            "{body}"
        );
        assert!(body.contains("\n\nPayment of Rp 10.000 received"));
    }

    #[test]
    fn typed_text_cannot_add_lines_or_links() {
        let body = admin_new_registration(
            "Budi\n\nAKUN ANDA DIBLOKIR, klik https://evil.example",
            "081234567890",
            "blok A kamar 1",
        );
        let first = body.split("\n\n").next().unwrap();
        assert_eq!(
            first,
            "Pendaftaran baru menunggu persetujuan: Budi AKUN ANDA DIBLOKIR, klik [tautan dihapus] (081234567890), blok A kamar 1. Buka dasbor gerbang untuk menyetujui."
        );
        assert_eq!(body.matches('\n').count(), 2);
    }
}
