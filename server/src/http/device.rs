//! Who is asking. For now a device names itself with its id; the accounts issue replaces this
//! with a device session token, and every handler that takes [`Device`] keeps working.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use duken_domain::protocol::DEVICE_HEADER;
use uuid::Uuid;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy)]
pub struct Device(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(DEVICE_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| Uuid::parse_str(s).ok())
            .map(Device)
            .ok_or(ApiError::Unauthorized)
    }
}
