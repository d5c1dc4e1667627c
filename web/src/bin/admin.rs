//! The admin dashboard bundle (`/admin/…`): loaded only by admins, so the
//! residents' pages and the captive entry never carry it.

use leptos::prelude::*;

fn main() {
    web::report::install_panic_hook();
    if let Some(s) = document().get_element_by_id("skeleton") {
        s.remove();
    }
    mount_to_body(web::pages::admin::app::AdminApp);
}
