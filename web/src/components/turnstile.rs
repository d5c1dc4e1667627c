//! The Turnstile widget, rendered explicitly (`?render=explicit&onload=…`).
//! The script URL and site key come from `GET /portal`, so development uses
//! the sandbox stand-in and production Cloudflare's script with no rebuild.

use leptos::{html, prelude::*};
use wasm_bindgen::{prelude::*, JsCast};

/// The widget's token (single use: [`Turnstile::reset`] asks for a fresh one).
#[derive(Clone, Copy)]
pub struct TurnstileHandle {
    pub token: RwSignal<Option<String>>,
    widget: RwSignal<Option<String>>,
    pub failed: RwSignal<bool>,
}

impl TurnstileHandle {
    pub fn new() -> Self {
        Self {
            token: RwSignal::new(None),
            widget: RwSignal::new(None),
            failed: RwSignal::new(false),
        }
    }

    /// Takes the token (it is spent by the request it is sent with) and asks the
    /// widget for the next one.
    pub fn take(&self) -> Option<String> {
        let t = self.token.get_untracked();
        self.token.set(None);
        if let Some(id) = self.widget.get_untracked() {
            let _ = call(&["reset"], &[JsValue::from_str(&id)]);
        }
        t
    }
}

impl Default for TurnstileHandle {
    fn default() -> Self {
        Self::new()
    }
}

const ONLOAD: &str = "gerbangTurnstileLoaded";

fn turnstile() -> Option<JsValue> {
    js_sys::Reflect::get(&window(), &JsValue::from_str("turnstile"))
        .ok()
        .filter(|v| v.is_object())
}

fn call(path: &[&str], args: &[JsValue]) -> Option<JsValue> {
    let t = turnstile()?;
    let f: js_sys::Function = js_sys::Reflect::get(&t, &JsValue::from_str(path[0]))
        .ok()?
        .dyn_into()
        .ok()?;
    let args: js_sys::Array = args.iter().collect();
    f.apply(&t, &args).ok()
}

/// Loads the script once and calls `ready` when `window.turnstile` exists.
fn when_loaded(script_url: &str, ready: impl FnOnce() + 'static) {
    if turnstile().is_some() {
        ready();
        return;
    }
    let win = window();
    // Several widgets may wait for the same load: chain the callbacks.
    let previous = js_sys::Reflect::get(&win, &JsValue::from_str(ONLOAD)).ok();
    let cb = Closure::once_into_js(move || {
        if let Some(prev) = previous.and_then(|p| p.dyn_into::<js_sys::Function>().ok()) {
            let _ = prev.call0(&JsValue::NULL);
        }
        ready();
    });
    let _ = js_sys::Reflect::set(&win, &JsValue::from_str(ONLOAD), &cb);
    let doc = document();
    if doc.get_element_by_id("turnstile-script").is_some() {
        return;
    }
    if let Ok(s) = doc.create_element("script") {
        let sep = if script_url.contains('?') { '&' } else { '?' };
        let _ = s.set_attribute("id", "turnstile-script");
        let _ = s.set_attribute(
            "src",
            &format!("{script_url}{sep}render=explicit&onload={ONLOAD}"),
        );
        let _ = s.set_attribute("async", "");
        if let Some(head) = doc.head() {
            let _ = head.append_child(&s);
        }
    }
}

/// The widget; its token lands in `handle.token`.
#[component]
pub fn Turnstile(
    handle: TurnstileHandle,
    site_key: String,
    action: String,
    script_url: String,
) -> impl IntoView {
    let host = NodeRef::<html::Div>::new();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(el) = host.get() else {
            return false;
        };
        let (site_key, action) = (site_key.clone(), action.clone());
        when_loaded(&script_url, move || {
            let opts = js_sys::Object::new();
            let set = |k: &str, v: &JsValue| {
                let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), v);
            };
            set("sitekey", &JsValue::from_str(&site_key));
            set("action", &JsValue::from_str(&action));
            set("language", &JsValue::from_str("id"));
            let on_token = Closure::<dyn Fn(String)>::new(move |t: String| {
                handle.failed.set(false);
                handle.token.set(Some(t));
            });
            set("callback", on_token.as_ref());
            on_token.forget();
            let on_expired = Closure::<dyn Fn()>::new(move || handle.token.set(None));
            set("expired-callback", on_expired.as_ref());
            on_expired.forget();
            let on_error = Closure::<dyn Fn()>::new(move || {
                handle.token.set(None);
                handle.failed.set(true);
            });
            set("error-callback", on_error.as_ref());
            on_error.forget();
            let el: &web_sys::Element = el.as_ref();
            if let Some(id) = call(&["render"], &[el.clone().into(), opts.into()]) {
                handle.widget.set(id.as_string());
            }
        });
        true
    });
    view! { <div class="turnstile" node_ref=host></div> }
}
