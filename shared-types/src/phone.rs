//! Indonesian mobile numbers → E.164 (docs/integrations.md, "Phone numbers"). Used by the API
//! and the SPA, so both accept and reject exactly the same input.

/// Why a number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    /// Not an Indonesian number (another country code).
    NotIndonesian,
    /// Not a mobile number (landline, premium `0809`, shared-cost `0804`) or wrong length.
    NotMobile,
}

/// An Indonesian mobile number in E.164 (`+628…`). Only
/// [`normalize_id_mobile`] makes one, so holding a `Phone` means the number
/// was checked; it reads as its E.164 text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// `+628…`.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// `08…`, the form people type and the hotspot username.
    pub fn local(&self) -> String {
        local_form(&self.0)
    }
}

impl std::ops::Deref for Phone {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// Normalises `0812-3456-7890`, `+62 812…`, `62812…`, `0062 812…` or `812…`
/// to `+62812…`. Only mobile numbers (`8[1-35-9]` + 7–10 digits) pass.
pub fn normalize_id_mobile(input: &str) -> Result<Phone, PhoneError> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = cleaned.strip_prefix("+62") {
        rest
    } else if cleaned.starts_with('+') {
        return Err(PhoneError::NotIndonesian);
    } else if let Some(rest) = cleaned.strip_prefix("0062") {
        rest
    } else if let Some(rest) = cleaned.strip_prefix("62") {
        rest
    } else if let Some(rest) = cleaned.strip_prefix('0') {
        rest
    } else {
        cleaned.as_str()
    };
    let b = national.as_bytes();
    let valid = (9..=12).contains(&b.len())
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'8'
        && matches!(b[1], b'1'..=b'3' | b'5'..=b'9');
    if valid {
        Ok(Phone(format!("+62{national}")))
    } else {
        Err(PhoneError::NotMobile)
    }
}

/// The local form (`08…`), used as the hotspot username.
pub fn local_form(e164: &str) -> String {
    match e164.strip_prefix("+62") {
        Some(rest) => format!("0{rest}"),
        None => e164.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_table() {
        let ok = [
            ("0812-3456-7890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("0062 812 3456 7890", "+6281234567890"),
            ("81234567890", "+6281234567890"),
            ("0811234567", "+62811234567"),
        ];
        for (input, want) in ok {
            assert_eq!(
                normalize_id_mobile(input).as_ref().map(|p| p.e164()),
                Ok(want),
                "{input}"
            );
        }
        let bad = [
            ("(021) 5551234", PhoneError::NotMobile),
            ("080412345678", PhoneError::NotMobile),
            ("08091234567", PhoneError::NotMobile),
            ("+6581234567", PhoneError::NotIndonesian),
            ("08123", PhoneError::NotMobile),
            ("0812345678901234", PhoneError::NotMobile),
            ("08123abc567", PhoneError::NotMobile),
        ];
        for (input, want) in bad {
            assert_eq!(normalize_id_mobile(input), Err(want), "{input}");
        }
    }

    #[test]
    fn local_form_is_the_hotspot_username() {
        assert_eq!(local_form("+6281234567890"), "081234567890");
    }
}
