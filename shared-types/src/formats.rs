//! Strings with a documented format: on the wire they are plain JSON
//! strings, in `openapi.json` they carry `format: uuid`, `date-time` or
//! `date`, and in Rust they are their own types so an id is never passed
//! where a timestamp belongs. They hold text (not parsed values) so the SPA
//! needs no date or UUID parser to display them.

use serde::{Deserialize, Serialize};

macro_rules! formatted_string {
    ($(#[$doc:meta])* $name:ident, $format:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        #[cfg(feature = "openapi")]
        impl poem_openapi::types::Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> std::borrow::Cow<'static, str> {
                concat!("string_", $format).into()
            }

            fn schema_ref() -> poem_openapi::registry::MetaSchemaRef {
                poem_openapi::registry::MetaSchemaRef::Inline(Box::new(
                    poem_openapi::registry::MetaSchema::new_with_format("string", $format),
                ))
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(self)
            }

            fn raw_element_iter<'a>(
                &'a self,
            ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                Box::new(self.as_raw_value().into_iter())
            }
        }

        #[cfg(feature = "openapi")]
        impl poem_openapi::types::ParseFromJSON for $name {
            fn parse_from_json(
                value: Option<serde_json::Value>,
            ) -> poem_openapi::types::ParseResult<Self> {
                match value.unwrap_or_default() {
                    serde_json::Value::String(s) => Ok(Self(s)),
                    other => Err(poem_openapi::types::ParseError::expected_type(other)),
                }
            }
        }

        #[cfg(feature = "openapi")]
        impl poem_openapi::types::ToJSON for $name {
            fn to_json(&self) -> Option<serde_json::Value> {
                Some(serde_json::Value::String(self.0.clone()))
            }
        }
    };
}

formatted_string!(
    /// A UUID in its hyphenated form (`format: uuid`).
    Id,
    "uuid"
);
formatted_string!(
    /// An RFC 3339 instant with offset (`format: date-time`).
    Timestamp,
    "date-time"
);
formatted_string!(
    /// A calendar day, `YYYY-MM-DD`, in the facility's time zone (`format: date`).
    Day,
    "date"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn they_are_plain_strings_on_the_wire() {
        let id = Id::from("0190c7a2-0000-7000-8000-000000000001");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"0190c7a2-0000-7000-8000-000000000001\"");
        let back: Timestamp = serde_json::from_str("\"2026-11-30T05:00:00Z\"").unwrap();
        assert_eq!(back, "2026-11-30T05:00:00Z");
        assert_eq!(&Day::from("2026-11-30")[5..], "11-30");
    }
}
