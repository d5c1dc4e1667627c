//! gerbang SPA entry point (Leptos CSR).

use leptos::prelude::*;

fn main() {
    web::report::install_panic_hook();
    mount_to_body(web::app::App);
}
