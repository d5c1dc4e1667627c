//! Texts of the admin area (`/admin`).

super::texts! {
    ADMIN_DASHBOARD = ("Dasbor admin", "Admin dashboard"),
    ADMIN_MENU = ("Menu admin", "Admin menu"),
    ADMIN_SIGN_IN = ("Masuk admin", "Admin sign-in"),
    APPROVE = ("Setujui", "Approve"),
    BACK_TO_THE_HOME_PAGE = ("Kembali ke beranda", "Back to the home page"),
    MINUTES = ("menit", "minutes"),
    NO_REGISTRATIONS_ARE_WAITING = ("Tidak ada pendaftaran yang menunggu.", "No registrations are waiting."),
    PASSWORD = ("Kata sandi", "Password"),
    REGISTRATIONS_WAITING = ("Pendaftaran menunggu", "Registrations waiting"),
    REJECT = ("Tolak", "Reject"),
    REJECT_THIS_REGISTRATION = ("Tolak pendaftaran ini?", "Reject this registration?"),
    SIGN_IN = ("Masuk", "Sign in"),
    SIGN_OUT = ("Keluar", "Sign out"),
    THE_ACCOUNT_IS_LOCKED_FOR = ("Akun dikunci sementara karena terlalu banyak percobaan.", "The account is locked for a while after too many attempts."),
    THIS_ACCOUNT_CANNOT_SIGN_IN = ("Akun ini tidak dapat masuk ke dasbor admin.", "This account cannot sign in to the admin dashboard."),
    THIS_PAGE_IS_FOR_ADMINS = ("Halaman ini khusus admin.", "This page is for admins only."),
    USERNAME = ("Nama pengguna", "Username"),
    WRONG_USERNAME_OR_PASSWORD = ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
}
