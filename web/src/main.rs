//! gerbang SPA entry point (Leptos CSR).

use leptos::prelude::*;

fn main() {
    web::report::install_panic_hook();
    // The static skeleton in index.html holds the space until the app paints.
    if let Some(s) = document().get_element_by_id("skeleton") {
        s.remove();
    }
    mount_to_body(web::app::App);
}
