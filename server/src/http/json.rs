//! A JSON body extractor whose rejections are [`ApiError`]s, so a malformed or oversized body
//! gets the same clear JSON error as everything else instead of axum's plain text.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::BODY_LIMIT;
use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => {
                    ApiError::Invalid(format!("ugyldige data: {}", e.body_text()))
                }
                JsonRejection::JsonSyntaxError(_) => {
                    ApiError::BadRequest("ugyldig JSON i forespørselen".into())
                }
                JsonRejection::MissingJsonContentType(_) => ApiError::BadRequest(
                    "forespørselen må ha Content-Type: application/json".into(),
                ),
                other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::TooLarge { limit: BODY_LIMIT }
                }
                other => ApiError::BadRequest(format!(
                    "forespørselen kunne ikke leses ({})",
                    other.status()
                )),
            }),
        }
    }
}
