//! Every page's address, written once. Links use [`Page::path`]; the router
//! in `app.rs` is built from the same segments.

/// Path segments of the pages (the router matches these).
pub mod seg {
    pub const CAPTIVE: &str = "captive";
    pub const OPEN_LINK: &str = "buka";
    pub const REGISTER: &str = "daftar";
    pub const PACKAGES: &str = "paket";
    pub const PAYMENT: &str = "bayar";
    pub const STATUS: &str = "status";
    pub const STAFF: &str = "staf";
    pub const ADMIN_STAFF: &str = "staf";
    pub const ADMIN: &str = "admin";
    pub const ADMIN_PEOPLE: &str = "pengguna";
    pub const ADMIN_ONLINE: &str = "online";
    pub const ADMIN_AUDIT: &str = "audit";
    pub const ADMIN_ROUTERS: &str = "router";
    pub const ADMIN_REGISTRATIONS: &str = "pendaftaran";
    pub const ADMIN_PACKAGES: &str = "paket";
    pub const ADMIN_TRANSACTIONS: &str = "transaksi";
    pub const ADMIN_SETTINGS: &str = "pengaturan";
    pub const ADMIN_REQUESTS: &str = "permintaan";
    pub const ADMIN_MESSAGES: &str = "pesan";
}

/// A page of the SPA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `/`: the login for strangers, the dashboard for the logged-in.
    Home,
    /// `/captive`: where the router's login page sends phones.
    Captive,
    /// `/buka`: the one-time "open in the main browser" link.
    OpenLink,
    /// `/daftar`: self-registration.
    Register,
    /// `/paket`: packages on sale.
    Packages,
    /// `/bayar/{order_id}`: a payment's result (Midtrans' finish URL).
    Payment(String),
    /// `/status`: service status.
    Status,
    /// `/staf`: staff and teachers sign in and manage their hotspot account.
    Staff,
    /// `/admin/staf`: staff accounts (admins).
    AdminStaff,
    /// `/admin`: the admin area (its own login for signed-out visitors).
    Admin,
    /// `/admin/pengguna`: finding people.
    AdminPeople,
    /// `/admin/pengguna/{id}`: one person.
    AdminPerson(String),
    /// `/admin/online`: everyone online now.
    AdminOnline,
    /// `/admin/audit`: the audit log.
    AdminAudit,
    /// `/admin/router`: routers (super admins).
    AdminRouters,
    /// `/admin/pendaftaran`: registrations waiting for review.
    AdminRegistrations,
    /// `/admin/paket`: packages.
    AdminPackages,
    /// `/admin/transaksi`: transactions.
    AdminTransactions,
    /// `/admin/pengaturan`: facility settings (super admins).
    AdminSettings,
    /// `/admin/permintaan`: officers' quota requests.
    AdminRequests,
    /// `/admin/pesan`: WhatsApp notifications and the admin's subscriptions.
    AdminMessages,
}

impl Page {
    pub fn path(&self) -> String {
        let one = |s: &str| format!("/{s}");
        match self {
            Page::Home => "/".into(),
            Page::Captive => one(seg::CAPTIVE),
            Page::OpenLink => one(seg::OPEN_LINK),
            Page::Register => one(seg::REGISTER),
            Page::Packages => one(seg::PACKAGES),
            Page::Payment(order_id) => format!("/{}/{order_id}", seg::PAYMENT),
            Page::Status => one(seg::STATUS),
            Page::Staff => one(seg::STAFF),
            Page::AdminStaff => format!("/{}/{}", seg::ADMIN, seg::ADMIN_STAFF),
            Page::Admin => one(seg::ADMIN),
            Page::AdminPeople => format!("/{}/{}", seg::ADMIN, seg::ADMIN_PEOPLE),
            Page::AdminPerson(id) => format!("/{}/{}/{id}", seg::ADMIN, seg::ADMIN_PEOPLE),
            Page::AdminOnline => format!("/{}/{}", seg::ADMIN, seg::ADMIN_ONLINE),
            Page::AdminAudit => format!("/{}/{}", seg::ADMIN, seg::ADMIN_AUDIT),
            Page::AdminRouters => format!("/{}/{}", seg::ADMIN, seg::ADMIN_ROUTERS),
            Page::AdminRegistrations => format!("/{}/{}", seg::ADMIN, seg::ADMIN_REGISTRATIONS),
            Page::AdminPackages => format!("/{}/{}", seg::ADMIN, seg::ADMIN_PACKAGES),
            Page::AdminTransactions => format!("/{}/{}", seg::ADMIN, seg::ADMIN_TRANSACTIONS),
            Page::AdminSettings => format!("/{}/{}", seg::ADMIN, seg::ADMIN_SETTINGS),
            Page::AdminRequests => format!("/{}/{}", seg::ADMIN, seg::ADMIN_REQUESTS),
            Page::AdminMessages => format!("/{}/{}", seg::ADMIN, seg::ADMIN_MESSAGES),
        }
    }

    /// Pages that show the login form themselves when nobody is signed in
    /// (every admin page shows the admin login).
    pub fn shows_login(path: &str) -> bool {
        let admin = Page::Admin.path();
        [Page::Home, Page::Captive, Page::Staff]
            .iter()
            .any(|p| p.path() == path)
            || path == admin
            || path.starts_with(&format!("{admin}/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_built_from_the_router_segments() {
        assert_eq!(Page::Packages.path(), "/paket");
        assert_eq!(Page::Payment("GB-1".into()).path(), "/bayar/GB-1");
        assert_eq!(Page::Home.path(), "/");
        assert!(Page::shows_login("/"));
        assert!(Page::shows_login("/admin"));
        assert!(Page::shows_login("/admin/pengguna/0191"));
        assert!(!Page::shows_login("/administrasi"));
        assert_eq!(Page::AdminPerson("x".into()).path(), "/admin/pengguna/x");
        assert!(!Page::shows_login("/bayar/GB-1"));
    }
}
