//! Texts of the resident's own pages: dashboard, usage, devices, packages,
//! payment result, connecting this device.

use super::Text;

pub const BUY: Text = ("Beli", "Buy");
pub const BUY_A_PACKAGE: Text = ("Beli paket", "Buy a package");
pub const CONNECTED: Text = ("Terhubung.", "Connected.");
pub const CONNECT_THIS_DEVICE: Text = ("Hubungkan perangkat ini", "Connect this device");
pub const CONTINUE_PAYING: Text = ("Lanjutkan pembayaran", "Continue paying");
pub const COPIED: Text = ("Tersalin", "Copied");
pub const COPY: Text = ("Salin", "Copy");
pub const DAILY_USAGE_TOTAL: Text = ("Pemakaian harian, total", "Daily usage, total");
pub const DAYS: Text = ("hari", "days");
pub const DEVICES: Text = ("Perangkat", "Devices");
pub const DEVICE_NAME: Text = ("Nama perangkat", "Device name");
pub const HELLO: Text = ("Halo,", "Hello,");
pub const MAKE_A_ONE_TIME_LINK: Text = ("Buat tautan sekali pakai", "Make a one-time link");
pub const N30_DAYS: Text = ("30 hari", "30 days");
pub const N7_DAYS: Text = ("7 hari", "7 days");
pub const NO_DEVICES_YET: Text = ("Belum ada perangkat.", "No devices yet.");
pub const NO_INTERNET_ON_THIS_DEVICE: Text = (
    "Belum bisa internet di perangkat ini?",
    "No internet on this device yet?",
);
pub const NO_PACKAGES_ON_SALE: Text = ("Belum ada paket yang dijual.", "No packages on sale.");
pub const NO_PURCHASES_YET: Text = ("Belum ada pembelian.", "No purchases yet.");
pub const OF: Text = ("dari", "of");
pub const ON_IPHONE_THE_WI_FI: Text = ("Di iPhone, jendela login Wi-Fi tertutup saat Anda pindah ke WhatsApp atau aplikasi bank. Buka halaman ini di Safari/Chrome agar tetap bisa melihat kuota dan membayar paket.", "On iPhone the Wi-Fi login window closes when you switch to WhatsApp or a banking app. Open this page in Safari/Chrome to keep seeing your quota and paying for packages.");
pub const OPEN_IN_THE_MAIN_BROWSER: Text = ("Buka di browser utama", "Open in the main browser");
pub const ORDER_NUMBER: Text = ("Nomor pesanan", "Order number");
pub const PAID_THROUGH_MIDTRANS_QRIS_BANK: Text = (
    "Pembayaran lewat Midtrans: QRIS, transfer bank (VA) dan lainnya.",
    "Paid through Midtrans: QRIS, bank transfer (VA) and more.",
);
pub const PAYMENT: Text = ("Pembayaran", "Payment");
pub const PEAK: Text = ("tertinggi", "peak");
pub const PURCHASE_HISTORY: Text = ("Riwayat pembelian", "Purchase history");
pub const QUOTA_LEFT: Text = ("Sisa kuota", "Quota left");
pub const RANDOM_MAC: Text = ("MAC acak", "random MAC");
pub const REMOVE: Text = ("Hapus", "Remove");
pub const REMOVE_THIS_DEVICE: Text = ("Hapus perangkat ini?", "Remove this device?");
pub const RENAME: Text = ("Ganti nama", "Rename");
pub const SAVE: Text = ("Simpan", "Save");
pub const SEE_MY_QUOTA: Text = ("Lihat kuota", "See my quota");
pub const SIGN_IN: Text = ("Masuk", "Sign in");
pub const SIGN_IN_FIRST_TO_BUY: Text = (
    "Masuk dulu untuk membeli paket.",
    "Sign in first to buy a package.",
);
pub const SIGN_OUT: Text = ("Keluar", "Sign out");
pub const THE_LINK_WORKS_ONCE_FOR: Text = (
    "Tautan berlaku 2 menit dan hanya sekali.",
    "The link works once, for 2 minutes.",
);
pub const THE_PAYMENT_DID_NOT_GO: Text = ("Pembayaran tidak selesai. Jika uang Anda ternyata sudah terpotong, kuota tetap ditambahkan otomatis.", "The payment did not go through. If you were charged after all, the quota is still added automatically.");
pub const THE_QUOTA_HAS_BEEN_ADDED: Text = (
    "Kuota sudah ditambahkan ke akun Anda.",
    "The quota has been added to your account.",
);
pub const THIS_DEVICE: Text = ("perangkat ini", "this device");
pub const THIS_DEVICE_CAN_USE_THE: Text = (
    "Perangkat ini sudah bisa memakai internet.",
    "This device can use the internet now.",
);
pub const TOTAL: Text = ("Total", "Total");
pub const TRY_AGAIN: Text = ("Coba lagi", "Try again");
pub const UNLIMITED: Text = ("Tanpa batas", "Unlimited");
pub const USAGE: Text = ("Pemakaian", "Usage");
pub const USED: Text = ("terpakai", "used");
pub const VALID_UNTIL: Text = ("Berlaku sampai", "Valid until");
pub const WAITING_FOR_THE_PAYMENT_THIS: Text = (
    "Menunggu pembayaran. Halaman ini diperbarui sendiri.",
    "Waiting for the payment. This page updates by itself.",
);
pub const WORKING: Text = ("Memproses…", "Working…");

/// Every text of this table (for the translation check).
pub const ALL: [Text; 50] = [
    BUY,
    BUY_A_PACKAGE,
    CONNECTED,
    CONNECT_THIS_DEVICE,
    CONTINUE_PAYING,
    COPIED,
    COPY,
    DAILY_USAGE_TOTAL,
    DAYS,
    DEVICES,
    DEVICE_NAME,
    HELLO,
    MAKE_A_ONE_TIME_LINK,
    N30_DAYS,
    N7_DAYS,
    NO_DEVICES_YET,
    NO_INTERNET_ON_THIS_DEVICE,
    NO_PACKAGES_ON_SALE,
    NO_PURCHASES_YET,
    OF,
    ON_IPHONE_THE_WI_FI,
    OPEN_IN_THE_MAIN_BROWSER,
    ORDER_NUMBER,
    PAID_THROUGH_MIDTRANS_QRIS_BANK,
    PAYMENT,
    PEAK,
    PURCHASE_HISTORY,
    QUOTA_LEFT,
    RANDOM_MAC,
    REMOVE,
    REMOVE_THIS_DEVICE,
    RENAME,
    SAVE,
    SEE_MY_QUOTA,
    SIGN_IN,
    SIGN_IN_FIRST_TO_BUY,
    SIGN_OUT,
    THE_LINK_WORKS_ONCE_FOR,
    THE_PAYMENT_DID_NOT_GO,
    THE_QUOTA_HAS_BEEN_ADDED,
    THIS_DEVICE,
    THIS_DEVICE_CAN_USE_THE,
    TOTAL,
    TRY_AGAIN,
    UNLIMITED,
    USAGE,
    USED,
    VALID_UNTIL,
    WAITING_FOR_THE_PAYMENT_THIS,
    WORKING,
];
