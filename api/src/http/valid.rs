//! `Valid<T>`: a JSON request body that has been parsed and validated, the
//! one place where request bodies are checked.
//!
//! The body is parsed with serde and checked with `validator`, so every
//! failing field is listed in one `422 validation_failed` answer
//! (`details.fields.<name> = [codes]`). The published schema is `T`'s own:
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
use validator::Validate;

use crate::error::ApiError;

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
        let value: T = serde_json::from_slice(&data).map_err(|e| ParseRequestPayloadError {
            reason: e.to_string(),
        })?;
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
