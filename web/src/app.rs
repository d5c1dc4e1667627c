use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::header::Header,
    pages::{
        captive::CaptiveEntry, home::HomePage, not_found::NotFound, open_link::OpenLinkPage,
        packages::PackagesPage, payment::PaymentPage, register::RegisterPage, status::StatusPage,
    },
    state::Ctx,
};

/// The application shell: shared state, header and routes.
#[component]
pub fn App() -> impl IntoView {
    Ctx::start();
    view! {
        <Header/>
        <Router>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/captive") view=CaptiveEntry/>
                    <Route path=path!("/buka") view=OpenLinkPage/>
                    <Route path=path!("/daftar") view=RegisterPage/>
                    <Route path=path!("/paket") view=PackagesPage/>
                    <Route path=path!("/bayar/:order_id") view=PaymentPage/>
                    <Route path=path!("/status") view=StatusPage/>
                </Routes>
            </main>
        </Router>
    }
}
