use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    ParamSegment, StaticSegment,
};

use crate::{
    components::header::Header,
    pages::{
        admin::{people::AdminPeople, registrations::AdminHome, AdminArea},
        captive::CaptiveEntry,
        home::HomePage,
        not_found::NotFound,
        open_link::OpenLinkPage,
        packages::PackagesPage,
        payment::PaymentPage,
        register::RegisterPage,
        status::StatusPage,
    },
    routes::seg,
    state::Ctx,
};

/// The application shell: shared state, header and routes. Paths come from
/// [`crate::routes`]; the admin area is one guarded parent route whose pages
/// live in `pages/admin/`.
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
                    <ParentRoute path=StaticSegment(seg::ADMIN) view=AdminArea>
                        <Route path=StaticSegment("") view=AdminHome/>
                        <Route path=StaticSegment(seg::ADMIN_PEOPLE) view=AdminPeople/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}
