use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, StaticSegment,
};

use crate::{
    components::header::Header,
    pages::{
        captive::CaptiveEntry, home::HomePage, not_found::NotFound, open_link::OpenLinkPage,
        packages::PackagesPage, payment::PaymentPage, register::RegisterPage, staff::StaffEntry,
        status::StatusPage,
    },
    routes::seg,
    state::Ctx,
};

/// The residents' application shell: shared state, header and routes. Paths
/// come from [`crate::routes`]. The admin dashboard is another bundle
/// (`pages/admin/app.rs`, built from `web/admin.html` into `dist/admin/`).
#[component]
pub fn App() -> impl IntoView {
    Ctx::start();
    view! {
        <Header/>
        <Router>
            <main>
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage/>
                    <Route path=StaticSegment(seg::CAPTIVE) view=CaptiveEntry/>
                    <Route path=StaticSegment(seg::OPEN_LINK) view=OpenLinkPage/>
                    <Route path=StaticSegment(seg::REGISTER) view=RegisterPage/>
                    <Route path=StaticSegment(seg::PACKAGES) view=PackagesPage/>
                    <Route path=(StaticSegment(seg::PAYMENT), ParamSegment("order_id")) view=PaymentPage/>
                    <Route path=StaticSegment(seg::STATUS) view=StatusPage/>
                    <Route path=StaticSegment(seg::STAFF) view=StaffEntry/>
                </Routes>
            </main>
        </Router>
    }
}
