//! Texts of the admin area (`/admin`).

use super::Text;

pub const ADMIN_DASHBOARD: Text = ("Dasbor admin", "Admin dashboard");
pub const ADMIN_MENU: Text = ("Menu admin", "Admin menu");
pub const ADMIN_SIGN_IN: Text = ("Masuk admin", "Admin sign-in");
pub const APPROVE: Text = ("Setujui", "Approve");
pub const BACK_TO_THE_HOME_PAGE: Text = ("Kembali ke beranda", "Back to the home page");
pub const MINUTES: Text = ("menit", "minutes");
pub const NO_REGISTRATIONS_ARE_WAITING: Text = (
    "Tidak ada pendaftaran yang menunggu.",
    "No registrations are waiting.",
);
pub const PASSWORD: Text = ("Kata sandi", "Password");
pub const REGISTRATIONS_WAITING: Text = ("Pendaftaran menunggu", "Registrations waiting");
pub const REJECT: Text = ("Tolak", "Reject");
pub const REJECT_THIS_REGISTRATION: Text = ("Tolak pendaftaran ini?", "Reject this registration?");
pub const SIGN_IN: Text = ("Masuk", "Sign in");
pub const THE_ACCOUNT_IS_LOCKED_FOR: Text = (
    "Akun dikunci sementara karena terlalu banyak percobaan.",
    "The account is locked for a while after too many attempts.",
);
pub const THIS_ACCOUNT_CANNOT_SIGN_IN: Text = (
    "Akun ini tidak dapat masuk ke dasbor admin.",
    "This account cannot sign in to the admin dashboard.",
);
pub const THIS_PAGE_IS_FOR_ADMINS: Text =
    ("Halaman ini khusus admin.", "This page is for admins only.");
pub const USERNAME: Text = ("Nama pengguna", "Username");
pub const WRONG_USERNAME_OR_PASSWORD: Text = (
    "Nama pengguna atau kata sandi salah.",
    "Wrong username or password.",
);

/// Every text of this table (for the translation check).
pub const ALL: [Text; 17] = [
    ADMIN_DASHBOARD,
    ADMIN_MENU,
    ADMIN_SIGN_IN,
    APPROVE,
    BACK_TO_THE_HOME_PAGE,
    MINUTES,
    NO_REGISTRATIONS_ARE_WAITING,
    PASSWORD,
    REGISTRATIONS_WAITING,
    REJECT,
    REJECT_THIS_REGISTRATION,
    SIGN_IN,
    THE_ACCOUNT_IS_LOCKED_FOR,
    THIS_ACCOUNT_CANNOT_SIGN_IN,
    THIS_PAGE_IS_FOR_ADMINS,
    USERNAME,
    WRONG_USERNAME_OR_PASSWORD,
];
