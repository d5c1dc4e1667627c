//! All user-visible text: Indonesian first, English second. Each area has
//! its own table of [`Text`] constants (`portal`, `me`, `admin`, `common`);
//! pages show them with `t!(lang, area::NAME)` (reactive) or
//! `say(lang, area::NAME)`. A test checks every entry is translated.

pub mod admin;
pub mod common;
pub mod facility;
pub mod me;
pub mod messages;
pub mod money;
pub mod portal;
pub mod requests;
pub mod staff;

use shared_types::ErrorCode;

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Bahasa Indonesia (default).
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The other language (for the toggle).
    pub fn other(self) -> Self {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }

    /// BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// The string table.
    pub fn t(self) -> &'static Strings {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }
}

/// One language's strings.
pub struct Strings {
    pub app_name: &'static str,
    pub switch_language: &'static str,
    pub status_title: &'static str,
    pub checking: &'static str,
    pub ready: &'static str,
    pub not_ready: &'static str,
    pub dependency_up: &'static str,
    pub dependency_down: &'static str,
    pub version: &'static str,
    pub retry: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
}

pub static ID: Strings = Strings {
    app_name: "gerbang",
    switch_language: "English",
    status_title: "Status layanan",
    checking: "Memeriksa layanan…",
    ready: "Layanan siap digunakan.",
    not_ready: "Layanan sedang bermasalah. Coba lagi sebentar lagi.",
    dependency_up: "normal",
    dependency_down: "gangguan",
    version: "Versi",
    retry: "Periksa lagi",
    not_found_title: "Halaman tidak ditemukan",
    not_found_body: "Alamat yang Anda buka tidak ada.",
    back_home: "Kembali ke beranda",
};

pub static EN: Strings = Strings {
    app_name: "gerbang",
    switch_language: "Bahasa Indonesia",
    status_title: "Service status",
    checking: "Checking the service…",
    ready: "The service is ready.",
    not_ready: "The service has a problem. Please try again shortly.",
    dependency_up: "up",
    dependency_down: "down",
    version: "Version",
    retry: "Check again",
    not_found_title: "Page not found",
    not_found_body: "The address you opened does not exist.",
    back_home: "Back to the home page",
};

/// One text in both languages: (Bahasa Indonesia, English).
pub type Text = (&'static str, &'static str);

/// The text in the current language.
pub fn say(lang: Lang, text: Text) -> &'static str {
    match lang {
        Lang::Id => text.0,
        Lang::En => text.1,
    }
}

/// Declares a table: one `pub const NAME: Text` per entry, and `ALL` with
/// every entry (so none escapes the translation check).
macro_rules! texts {
    ($($name:ident = ($id:expr, $en:expr)),+ $(,)?) => {
        $(pub const $name: super::Text = ($id, $en);)+
        /// Every text of this table (for the translation check).
        pub const ALL: &[super::Text] = &[$($name),+];
    };
}
pub(crate) use texts;

/// A reactive text from a table: `t!(lang, portal::SEND_CODE)`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $text:expr) => {{
        let lang = $lang;
        let text: $crate::i18n::Text = $text;
        move || $crate::i18n::say(lang.get(), text)
    }};
}

/// What to tell a person for an API error code.
pub fn error_text(lang: Lang, code: ErrorCode) -> &'static str {
    use ErrorCode::*;
    match (lang, code) {
        (Lang::Id, MalformedBody | InvalidParameter) => {
            "Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi."
        }
        (Lang::Id, ValidationFailed) => "Ada isian yang belum benar. Periksa kembali.",
        (Lang::Id, InvalidPhone) => "Nomor HP tidak valid. Gunakan nomor seluler Indonesia (08…).",
        (Lang::Id, TurnstileFailed) => "Verifikasi keamanan gagal atau kedaluwarsa. Coba lagi.",
        (Lang::Id, OtpInvalid) => "Kode salah atau sudah kedaluwarsa. Periksa WhatsApp Anda.",
        (Lang::Id, CsrfFailed) => "Permintaan ditolak demi keamanan. Muat ulang halaman.",
        (Lang::Id, DeviceNotConfirmed) => {
            "Perangkat tidak dikenali router. Sambungkan ke Wi-Fi hotspot lalu coba lagi."
        }
        (Lang::Id, DeviceTaken) => "Perangkat ini terdaftar pada akun lain. Hubungi petugas.",
        (Lang::Id, DeviceNotOnline) => {
            "Router belum melihat perangkat ini masuk. Tekan \"Hubungkan perangkat ini\"."
        }
        (Lang::Id, AlreadyRegistered) => "Nomor ini sudah terdaftar. Silakan masuk.",
        (Lang::Id, PaymentMismatch) => "Data pembayaran tidak cocok dengan pesanan.",
        (Lang::Id, AccountBlocked) => "Akun Anda diblokir.",
        (Lang::Id, AccountPending) => "Pendaftaran Anda masih menunggu persetujuan petugas.",
        (Lang::Id, AccountInactive) => "Akun Anda sedang tidak aktif.",
        (Lang::Id, UnsupportedMediaType | PayloadTooLarge) => {
            "Permintaan ditolak server. Muat ulang halaman lalu coba lagi."
        }
        (Lang::Id, NotFound) => "Data yang dicari tidak ditemukan.",
        (Lang::Id, MethodNotAllowed) => "Aksi ini tidak tersedia.",
        (Lang::Id, RateLimited) => "Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.",
        (Lang::Id, Unauthorized) => "Silakan masuk terlebih dahulu.",
        (Lang::Id, Forbidden) => "Anda tidak memiliki akses untuk ini.",
        (Lang::Id, Conflict) => "Data sudah berubah. Muat ulang lalu coba lagi.",
        (Lang::Id, ServiceUnavailable) => {
            "Layanan sedang tidak dapat dihubungi. Coba lagi sebentar lagi."
        }
        (Lang::Id, Internal) => "Terjadi kesalahan pada server. Coba lagi nanti.",
        (Lang::En, MalformedBody | InvalidParameter) => {
            "The request could not be processed. Reload the page and try again."
        }
        (Lang::En, ValidationFailed) => "Some fields are not filled in correctly.",
        (Lang::En, InvalidPhone) => {
            "The phone number is not valid. Use an Indonesian mobile number (08…)."
        }
        (Lang::En, TurnstileFailed) => "The security check failed or expired. Try again.",
        (Lang::En, OtpInvalid) => "The code is wrong or has expired. Check your WhatsApp.",
        (Lang::En, CsrfFailed) => "The request was refused for security. Reload the page.",
        (Lang::En, DeviceNotConfirmed) => {
            "The router does not recognise this device. Join the hotspot Wi-Fi and try again."
        }
        (Lang::En, DeviceTaken) => "This device belongs to another account. Ask an officer.",
        (Lang::En, DeviceNotOnline) => {
            "The router has not seen this device sign in yet. Tap \"Connect this device\"."
        }
        (Lang::En, AlreadyRegistered) => "This number is already registered. Please sign in.",
        (Lang::En, PaymentMismatch) => "The payment does not match the order.",
        (Lang::En, AccountBlocked) => "Your account is blocked.",
        (Lang::En, AccountPending) => {
            "Your registration is still waiting for an officer's approval."
        }
        (Lang::En, AccountInactive) => "Your account is not active.",
        (Lang::En, UnsupportedMediaType | PayloadTooLarge) => {
            "The server refused the request. Reload the page and try again."
        }
        (Lang::En, NotFound) => "Not found.",
        (Lang::En, MethodNotAllowed) => "This action is not available.",
        (Lang::En, RateLimited) => "Too many attempts. Wait a moment and try again.",
        (Lang::En, Unauthorized) => "Please sign in first.",
        (Lang::En, Forbidden) => "You are not allowed to do this.",
        (Lang::En, Conflict) => "The data has changed. Reload and try again.",
        (Lang::En, ServiceUnavailable) => {
            "The service cannot be reached right now. Try again shortly."
        }
        (Lang::En, Internal) => "Something went wrong on the server. Try again later.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_has_distinct_text_in_both_languages() {
        for code in ErrorCode::ALL {
            let id = error_text(Lang::Id, code);
            let en = error_text(Lang::En, code);
            assert!(!id.is_empty() && !en.is_empty());
            assert_ne!(id, en, "{code} is not translated");
        }
    }

    /// Texts that are the same word in both languages.
    const SAME_IN_BOTH: &[&str] = &["Total", "Status", "Admin", "Super admin", "Router", "—"];

    #[test]
    fn every_table_entry_is_translated() {
        let tables = [
            admin::ALL,
            common::ALL,
            facility::ALL,
            me::ALL,
            messages::ALL,
            money::ALL,
            portal::ALL,
            requests::ALL,
            staff::ALL,
        ];
        for (id, en) in tables.iter().flat_map(|t| t.iter()) {
            assert!(!id.trim().is_empty() && !en.trim().is_empty());
            assert!(
                id != en || SAME_IN_BOTH.contains(id),
                "{id:?} is not translated"
            );
        }
    }

    #[test]
    fn indonesian_is_the_default() {
        assert_eq!(Lang::default(), Lang::Id);
        assert_eq!(Lang::default().t().ready, "Layanan siap digunakan.");
        assert_eq!(Lang::Id.other(), Lang::En);
    }
}
