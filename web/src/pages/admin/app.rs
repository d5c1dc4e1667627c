//! The admin dashboard's own application (`web/src/bin/admin.rs`): shared
//! state, the header and the `/admin/…` routes, all inside the guarded
//! [`AdminArea`]. Links out of it (the home page) load the other bundle.

use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    ParamSegment, StaticSegment,
};

use super::{
    audit::AdminAudit, messages::AdminMessages, online::AdminOnline, overview::AdminOverview,
    packages::AdminPackages, people::AdminPeople, person::AdminPerson,
    registrations::AdminRegistrations, requests::AdminRequests, routers::AdminRouters,
    settings::AdminSettings, staff::AdminStaff, transactions::AdminTransactions, AdminArea,
};
use crate::{components::header::Header, pages::not_found::NotFound, routes::seg, state::Ctx};

#[component]
pub fn AdminApp() -> impl IntoView {
    Ctx::start();
    view! {
        <Header external_home=true/>
        <Router>
            <main class="admin">
                <Routes fallback=NotFound>
                    <ParentRoute path=StaticSegment(seg::ADMIN) view=AdminArea>
                        <Route path=StaticSegment("") view=AdminHome/>
                        <Route path=StaticSegment(seg::ADMIN_REGISTRATIONS) view=AdminRegistrations/>
                        <Route path=StaticSegment(seg::ADMIN_PACKAGES) view=AdminPackages/>
                        <Route path=StaticSegment(seg::ADMIN_TRANSACTIONS) view=AdminTransactions/>
                        <Route path=StaticSegment(seg::ADMIN_SETTINGS) view=AdminSettings/>
                        <Route path=StaticSegment(seg::ADMIN_STAFF) view=AdminStaff/>
                        <Route path=StaticSegment(seg::ADMIN_REQUESTS) view=AdminRequests/>
                        <Route path=StaticSegment(seg::ADMIN_MESSAGES) view=AdminMessages/>
                        <Route path=StaticSegment(seg::ADMIN_PEOPLE) view=AdminPeople/>
                        <Route path=(StaticSegment(seg::ADMIN_PEOPLE), ParamSegment("id")) view=AdminPerson/>
                        <Route path=StaticSegment(seg::ADMIN_ONLINE) view=AdminOnline/>
                        <Route path=StaticSegment(seg::ADMIN_AUDIT) view=AdminAudit/>
                        <Route path=StaticSegment(seg::ADMIN_ROUTERS) view=AdminRouters/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// The admin home: the overview, then the registrations waiting.
#[component]
fn AdminHome() -> impl IntoView {
    view! {
        <AdminOverview/>
        <AdminRegistrations/>
    }
}
