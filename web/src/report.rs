//! Reports panics to the API so operators see what breaks on residents' phones.
//!
//! After a panic the WASM instance cannot be trusted to run async code, so the
//! report leaves synchronously through `navigator.sendBeacon`.

use shared_types::NewClientError;

/// Builds the report for a panic message on `page` (no query string: it can
/// carry router context such as the client MAC).
pub fn panic_report(page: &str, message: &str) -> NewClientError {
    let page: String = page
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .chars()
        .take(300)
        .collect();
    NewClientError {
        page: if page.is_empty() { "/".into() } else { page },
        message: message.chars().take(2000).collect(),
        build: env!("CARGO_PKG_VERSION").into(),
    }
}

/// Installs a hook that logs to the console and beacons a report.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        #[cfg(target_arch = "wasm32")]
        beacon(&info.to_string());
    }));
}

#[cfg(target_arch = "wasm32")]
fn beacon(message: &str) {
    use wasm_bindgen::JsValue;
    let Some(window) = web_sys::window() else {
        return;
    };
    let page = window.location().pathname().unwrap_or_default();
    let Ok(body) = serde_json::to_string(&panic_report(&page, message)) else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(&body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        let url = format!("{}/client-errors", crate::api::BASE);
        let _ = window
            .navigator()
            .send_beacon_with_opt_blob(&url, Some(&blob));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use validator::Validate;

    #[test]
    fn reports_drop_the_query_and_fit_the_limits() {
        let r = panic_report("/captive?mac=AA:BB", &"x".repeat(5000));
        assert_eq!(r.page, "/captive");
        assert_eq!(r.message.chars().count(), 2000);
        assert!(r.validate().is_ok());
        assert_eq!(panic_report("", "boom").page, "/");
    }
}
