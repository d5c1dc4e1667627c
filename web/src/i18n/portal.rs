//! Texts of the portal area: the captive login flow, registration, notices
//! and the one-time link page.

use super::Text;

pub const ACCOUNT_BLOCKED: Text = ("Akun diblokir.", "Account blocked.");
pub const ACCOUNT_INACTIVE: Text = ("Akun tidak aktif.", "Account inactive.");
pub const A_6_DIGIT_CODE_WAS: Text = (
    "Kode 6 angka dikirim lewat WhatsApp ke",
    "A 6-digit code was sent on WhatsApp to",
);
pub const BACK: Text = ("Kembali", "Back");
pub const BLOCK_AND_ROOM: Text = ("Blok dan kamar", "Block and room");
pub const BUY_A_PACKAGE: Text = ("Beli paket", "Buy a package");
pub const BUY_A_PACKAGE_TO_EXTEND: Text = (
    "Beli paket untuk memperpanjang.",
    "Buy a package to extend it.",
);
pub const BUY_A_PACKAGE_TO_GET: Text = (
    "Beli paket untuk kembali terhubung.",
    "Buy a package to get back online.",
);
pub const CHANGE_NUMBER: Text = ("Ganti nomor", "Change number");
pub const CODE_FROM_WHATSAPP: Text = ("Kode dari WhatsApp", "Code from WhatsApp");
pub const CONNECTED: Text = ("Terhubung", "Connected");
pub const CONNECTING_TO_THE_INTERNET: Text =
    ("Menghubungkan ke internet…", "Connecting to the internet…");
pub const CONTACT: Text = ("Hubungi", "Contact");
pub const CONTINUE: Text = ("Lanjutkan", "Continue");
pub const ENTER_THE_CODE: Text = ("Masukkan kode", "Enter the code");
pub const FULL_NAME: Text = ("Nama lengkap", "Full name");
pub const I_AM: Text = ("Saya", "I am");
pub const LITTLE_QUOTA_IS_LEFT_SO: Text = (
    "Sisa kuota Anda sudah sedikit, jadi kecepatan diturunkan. Beli paket untuk kecepatan penuh.",
    "Little quota is left, so the speed is reduced. Buy a package for full speed.",
);
pub const LOADING: Text = ("Memuat…", "Loading…");
pub const NOT_REGISTERED: Text = ("Belum terdaftar?", "Not registered?");
pub const OFFICER: Text = ("Komandan / petugas", "Officer");
pub const ONCE_AN_OFFICER_APPROVES_IT: Text = (
    "Setelah petugas menyetujui, masuk lagi dengan nomor ini. Pertanyaan? Hubungi",
    "Once an officer approves it, sign in again with this number. Questions? Contact",
);
pub const ONE_MOMENT_THE_PAGE_MOVES: Text = (
    "Tunggu sebentar, halaman akan berpindah sendiri.",
    "One moment, the page moves on by itself.",
);
pub const OPENING_YOUR_ACCOUNT: Text = ("Membuka akun Anda…", "Opening your account…");
pub const PLACEMENT: Text = ("Tempat", "Placement");
pub const REASON: Text = ("Alasan:", "Reason:");
pub const REGISTER: Text = ("Daftar", "Register");
pub const REGISTER_HERE: Text = ("Daftar di sini", "Register here");
pub const REGISTRATION_SENT: Text = ("Pendaftaran terkirim", "Registration sent");
pub const RESEND_IN: Text = ("Kirim ulang dalam", "Resend in");
pub const RESEND_THE_CODE: Text = ("Kirim ulang kode", "Resend the code");
pub const RESIDENT_STUDENT: Text = ("Warga binaan / santri", "Resident / student");
pub const ROOM: Text = ("Kamar", "Room");
pub const SEE_MY_QUOTA: Text = ("Lihat kuota", "See my quota");
pub const SEND_CODE: Text = ("Kirim kode", "Send code");
pub const SEND_REGISTRATION: Text = ("Kirim pendaftaran", "Send registration");
pub const SETTINGS_WI_FI_TAP_I: Text = ("Pengaturan → Wi-Fi → ketuk (i) di nama Wi-Fi ini → matikan \"Alamat Wi-Fi Privat\" → Gabung Ulang.", "Settings → Wi-Fi → tap (i) next to this Wi-Fi → turn off \"Private Wi-Fi Address\" → Rejoin.");
pub const SETTINGS_WI_FI_TAP_THE: Text = ("Setelan → Wi-Fi → ketuk ikon gir di nama Wi-Fi ini → Privasi → pilih \"Gunakan MAC perangkat\". Sambungkan ulang.", "Settings → Wi-Fi → tap the gear next to this Wi-Fi → Privacy → choose \"Use device MAC\". Reconnect.");
pub const SIGN_IN: Text = ("Masuk", "Sign in");
pub const SIGN_IN_WITH_WHATSAPP: Text = ("Masuk dengan WhatsApp", "Sign in with WhatsApp");
pub const SPEED_LIMITED_FAIR_USE: Text = ("Kecepatan dibatasi (FUP).", "Speed limited (fair use).");
pub const TAMPING_RESIDENT_WORKER: Text = ("Tamping", "Tamping (resident worker)");
pub const TAMPING_TYPE: Text = ("Jenis tamping", "Tamping type");
pub const THE_LINK_DOES_NOT_WORK: Text = ("Tautan tidak berlaku", "The link does not work");
pub const THE_LINK_WAS_ALREADY_USED: Text = (
    "Tautan sudah dipakai atau kedaluwarsa (berlaku 2 menit).",
    "The link was already used or has expired (it lasts 2 minutes).",
);
pub const THE_LOGIN_CODE_IS_SENT: Text = (
    "Kode masuk dikirim ke WhatsApp nomor ini.",
    "The login code is sent to this number on WhatsApp.",
);
pub const THE_SECURITY_CHECK_DID_NOT: Text = (
    "Verifikasi keamanan gagal dimuat. Periksa sinyal lalu muat ulang halaman.",
    "The security check did not load. Check the signal and reload the page.",
);
pub const TO_BE_UNBLOCKED_CONTACT: Text =
    ("Untuk membuka blokir, hubungi", "To be unblocked, contact");
pub const TO_REACTIVATE_IT_CONTACT: Text = (
    "Untuk mengaktifkan kembali, hubungi",
    "To reactivate it, contact",
);
pub const TURN_OFF_THE_RANDOM_MAC: Text = (
    "Matikan MAC acak untuk Wi-Fi ini",
    "Turn off the random MAC for this Wi-Fi",
);
pub const WAIT: Text = ("Tunggu", "Wait");
pub const WAIT_FOR_AN_OFFICER_TO: Text = ("Tunggu persetujuan petugas. Setelah disetujui, Anda menerima pesan WhatsApp dan bisa masuk dengan nomor ini.", "Wait for an officer to approve it. Once approved you get a WhatsApp message and can sign in with this number.");
pub const WAIT_FOR_THE_SECURITY_CHECK: Text = (
    "Tunggu verifikasi keamanan selesai.",
    "Wait for the security check to finish.",
);
pub const WHATSAPP_NUMBER: Text = ("Nomor WhatsApp", "WhatsApp number");
pub const YOUR_DEVICE_CAN_USE_THE: Text = (
    "Perangkat Anda sudah bisa memakai internet.",
    "Your device can use the internet now.",
);
pub const YOUR_PHONE_USES_A_RANDOM: Text = ("HP Anda memakai alamat MAC acak (privat). Alamat itu bisa berubah, lalu Anda harus masuk lagi dan perangkat lama tercatat terpisah.", "Your phone uses a random (private) MAC address. It can change, and then you must sign in again and the old one is listed separately.");
pub const YOUR_QUOTA_IS_USED_UP: Text = ("Kuota habis.", "Your quota is used up.");
pub const YOUR_VALIDITY_HAS_ENDED: Text = ("Masa berlaku habis.", "Your validity has ended.");
pub const YOU_ARE_SIGNED_IN: Text = ("Anda sudah masuk", "You are signed in");

/// Every text of this table (for the translation check).
pub const ALL: [Text; 59] = [
    ACCOUNT_BLOCKED,
    ACCOUNT_INACTIVE,
    A_6_DIGIT_CODE_WAS,
    BACK,
    BLOCK_AND_ROOM,
    BUY_A_PACKAGE,
    BUY_A_PACKAGE_TO_EXTEND,
    BUY_A_PACKAGE_TO_GET,
    CHANGE_NUMBER,
    CODE_FROM_WHATSAPP,
    CONNECTED,
    CONNECTING_TO_THE_INTERNET,
    CONTACT,
    CONTINUE,
    ENTER_THE_CODE,
    FULL_NAME,
    I_AM,
    LITTLE_QUOTA_IS_LEFT_SO,
    LOADING,
    NOT_REGISTERED,
    OFFICER,
    ONCE_AN_OFFICER_APPROVES_IT,
    ONE_MOMENT_THE_PAGE_MOVES,
    OPENING_YOUR_ACCOUNT,
    PLACEMENT,
    REASON,
    REGISTER,
    REGISTER_HERE,
    REGISTRATION_SENT,
    RESEND_IN,
    RESEND_THE_CODE,
    RESIDENT_STUDENT,
    ROOM,
    SEE_MY_QUOTA,
    SEND_CODE,
    SEND_REGISTRATION,
    SETTINGS_WI_FI_TAP_I,
    SETTINGS_WI_FI_TAP_THE,
    SIGN_IN,
    SIGN_IN_WITH_WHATSAPP,
    SPEED_LIMITED_FAIR_USE,
    TAMPING_RESIDENT_WORKER,
    TAMPING_TYPE,
    THE_LINK_DOES_NOT_WORK,
    THE_LINK_WAS_ALREADY_USED,
    THE_LOGIN_CODE_IS_SENT,
    THE_SECURITY_CHECK_DID_NOT,
    TO_BE_UNBLOCKED_CONTACT,
    TO_REACTIVATE_IT_CONTACT,
    TURN_OFF_THE_RANDOM_MAC,
    WAIT,
    WAIT_FOR_AN_OFFICER_TO,
    WAIT_FOR_THE_SECURITY_CHECK,
    WHATSAPP_NUMBER,
    YOUR_DEVICE_CAN_USE_THE,
    YOUR_PHONE_USES_A_RANDOM,
    YOUR_QUOTA_IS_USED_UP,
    YOUR_VALIDITY_HAS_ENDED,
    YOU_ARE_SIGNED_IN,
];
