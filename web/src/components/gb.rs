//! Sizes typed and shown in GB, the way people write them: "5", "2,5"
//! (a comma or a dot as the decimal sign).

use shared_types::access::GIB;

/// "5" or "2,5" GB from bytes, and back (a comma or a dot as the decimal sign).
pub fn gb_text(bytes: Option<i64>) -> String {
    bytes
        .map(|b| {
            let tenths = (b * 10 + GIB / 2) / GIB;
            if tenths % 10 == 0 {
                (tenths / 10).to_string()
            } else {
                format!("{},{}", tenths / 10, tenths % 10)
            }
        })
        .unwrap_or_default()
}

pub fn gb_bytes(text: &str) -> Option<i64> {
    let v: f64 = text.trim().replace(',', ".").parse().ok()?;
    (v.is_finite() && v > 0.0).then(|| (v * GIB as f64).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gigabytes_both_ways() {
        assert_eq!(gb_bytes("5"), Some(5 * GIB));
        assert_eq!(gb_bytes("2,5"), Some(5 * GIB / 2));
        assert_eq!(gb_bytes("0"), None);
        assert_eq!(gb_bytes("x"), None);
        assert_eq!(gb_text(Some(5 * GIB / 2)), "2,5");
        assert_eq!(gb_text(Some(10 * GIB)), "10");
    }
}
