//! `Valid<T>`: a JSON request body that has been parsed and validated, the
//! one place where request bodies are checked.
//!
//! Before the rules run, every text is cleaned once for every endpoint:
//! control characters (NUL and the rest, except tab and line breaks) are
//! refused with the field named (`control_characters`), and text is trimmed
//! — passwords excepted — so a value of spaces fails its length rule instead
//! of reaching the database. The body is then parsed with serde and checked
//! with `validator`, so every failing field is listed in one
//! `422 validation_failed` answer (`details.fields.<name> = [codes]`). The published schema is `T`'s own:
//! the limits written as `oai(validator(…))` on the shared types mirror the
//! `validate(…)` rules and show up in `openapi.json` as `maxLength`,
//! `minimum`, …, but do not run a second time here.

use poem::{FromRequest, Request, RequestBody};
use poem_openapi::{
    error::{ContentTypeError, ParseRequestPayloadError},
    payload::{Json, ParsePayload, Payload},
    registry::{MetaMediaType, MetaRequest, MetaSchemaRef, Registry},
    types::Type,
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared_types::ErrorCode;
use validator::Validate;

use crate::error::ApiError;

/// Fields used exactly as typed: never trimmed.
const VERBATIM: &[&str] = &["password", "confirm", "current", "new"];

/// Whether `c` may appear in text (tab and line breaks may, other control
/// characters such as NUL may not).
fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// A free-text query parameter: at most `max` characters, none of them a
/// control character (a query value is one line, so tab and line breaks are
/// refused too). 400 `invalid_parameter` naming the parameter.
pub fn query_text(name: &str, value: Option<&str>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(t) if t.chars().count() > max || t.chars().any(char::is_control) => {
            Err(ApiError::new(
                ErrorCode::InvalidParameter,
                format!("`{name}` must be at most {max} characters, without control characters"),
            )
            .with_detail("parameter", name.to_owned()))
        }
        _ => Ok(()),
    }
}

/// Trims every string of `value` (except [`VERBATIM`] fields) and lists the
/// fields (dotted paths) whose text holds characters that are not [`allowed`].
fn clean(value: &mut Value, path: &str, refused: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            if !s.chars().all(allowed) {
                refused.push(path.to_owned());
            } else if !VERBATIM.contains(&path.rsplit('.').next().unwrap_or(path)) {
                let trimmed = s.trim();
                if trimmed.len() != s.len() {
                    *s = trimmed.to_owned();
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                clean(item, path, refused);
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                clean(v, &child, refused);
            }
        }
        _ => {}
    }
}

/// A JSON body that passed its validation rules.
pub struct Valid<T>(pub T);

impl<T> std::ops::Deref for Valid<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Type> Payload for Valid<T> {
    const CONTENT_TYPE: &'static str = <Json<T> as Payload>::CONTENT_TYPE;

    fn check_content_type(content_type: &str) -> bool {
        <Json<T> as Payload>::check_content_type(content_type)
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Type + DeserializeOwned + Validate> ParsePayload for Valid<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let data = <Vec<u8> as FromRequest>::from_request(request, body).await?;
        let malformed = |e: serde_json::Error| ParseRequestPayloadError {
            reason: e.to_string(),
        };
        let mut json: Value = serde_json::from_slice(&data).map_err(malformed)?;
        let mut refused = Vec::new();
        clean(&mut json, "", &mut refused);
        if !refused.is_empty() {
            let fields: serde_json::Map<String, Value> = refused
                .into_iter()
                .map(|f| (f, Value::from(vec!["control_characters"])))
                .collect();
            return Err(ApiError::new(
                ErrorCode::ValidationFailed,
                "some fields contain control characters",
            )
            .with_detail("fields", fields)
            .into());
        }
        let value: T = serde_json::from_value(json).map_err(malformed)?;
        value.validate().map_err(|e| ApiError::validation(&e))?;
        Ok(Self(value))
    }
}

impl<'a, T: Type + DeserializeOwned + Validate> ApiExtractor<'a> for Valid<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        <Self as Payload>::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: <Self as Payload>::CONTENT_TYPE,
                schema: <Self as Payload>::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        match request.content_type() {
            Some(ct) if <Self as Payload>::check_content_type(ct) => {
                <Self as ParsePayload>::from_request(request, body).await
            }
            Some(ct) => Err(ContentTypeError::NotSupported {
                content_type: ct.to_string(),
            }
            .into()),
            None => Err(ContentTypeError::ExpectContentType.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_control_characters_are_named() {
        let mut v = serde_json::json!({
            "name": "  Budi  ",
            "password": "  spaces count  ",
            "client": {"mac": "a\u{0}b", "dst": "ok\n"},
            "tags": ["x\u{7}"],
            "message": "line one\nline two\t",
        });
        let mut refused = Vec::new();
        clean(&mut v, "", &mut refused);
        refused.sort();
        assert_eq!(refused, ["client.mac", "tags"]);
        assert_eq!(v["name"], "Budi");
        assert_eq!(v["password"], "  spaces count  ");
        assert_eq!(v["client"]["dst"], "ok");
        assert_eq!(v["message"], "line one\nline two");
    }
}
