//! One error type for the whole API: each variant is an HTTP status, a stable code and a message
//! a user can read. Internals (SQL, file paths) are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use duken_domain::protocol::ErrorBody;
use duken_domain::schema::ValidationError;

use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Invalid(String),
    #[error("forespørselen er for stor (høyst {limit} byte)")]
    TooLarge { limit: usize },
    #[error(
        "protokollversjon {got} støttes ikke; serveren bruker versjon {supported}. Oppdater appen."
    )]
    UnsupportedProtocol { got: u64, supported: u32 },
    #[error("du er ikke logget inn på denne enheten (eller økten er avsluttet)")]
    Unauthorized,
    /// The session was ended on purpose (revoked device, disabled user): the device wipes its data.
    #[error("Denne enheten er logget ut fra en annen enhet eller av en administrator.")]
    Revoked,
    #[error("feil brukernavn eller passord")]
    LoginFailed,
    #[error("du har ikke tilgang til å endre en av familiene i denne sendingen")]
    Forbidden,
    /// The user's role does not allow this (the message says what would).
    #[error("{0}")]
    NotAllowed(String),
    #[error("for mange mislykkede forsøk; prøv igjen om {minutes} min")]
    TooManyAttempts { minutes: i64 },
    #[error("fant ikke {0}")]
    NotFound(String),
    #[error("serveren er utilgjengelig akkurat nå")]
    Unavailable,
    #[error("noe gikk galt på serveren")]
    Internal(#[source] StorageError),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::UnsupportedProtocol { .. } => {
                (StatusCode::BAD_REQUEST, "unsupported_protocol")
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Revoked => (StatusCode::UNAUTHORIZED, "revoked"),
            ApiError::LoginFailed => (StatusCode::UNAUTHORIZED, "login_failed"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotAllowed(_) => (StatusCode::FORBIDDEN, "not_allowed"),
            ApiError::TooManyAttempts { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
            }
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::IdentityMismatch { .. } | StorageError::UsernameTaken => {
                ApiError::Invalid(e.to_string())
            }
            other => ApiError::Internal(other),
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::Invalid(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(source) = &self {
            tracing::error!(error = %source, "request failed");
        }
        let body = ErrorBody {
            error: code.to_owned(),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
