//! Dates for people, in the phone's locale settings and Indonesian wording.

use wasm_bindgen::JsValue;

use crate::i18n::Lang;

/// "21 Des 2026 14.00" from an RFC 3339 timestamp (the phone's time zone).
pub fn date_time(lang: Lang, rfc3339: &str) -> String {
    let d = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let opts = js_sys::Object::new();
    for (k, v) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let locale = match lang {
        Lang::Id => "id-ID",
        Lang::En => "en-GB",
    };
    d.to_locale_string(locale, &opts).into()
}
