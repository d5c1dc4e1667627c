//! The captive-portal bundle: only the login flow, for the pop-up's first load.

use leptos::prelude::*;

fn main() {
    web::report::install_panic_hook();
    if let Some(s) = document().get_element_by_id("skeleton") {
        s.remove();
    }
    mount_to_body(web::pages::captive::CaptiveApp);
}
