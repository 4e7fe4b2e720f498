//! One error type for the whole API: each variant is an HTTP status, a stable code and a message
//! a user can read. Internals (SQL, file paths) are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use duken_domain::protocol::{ErrorBody, Refusal, CURSOR_RESET};
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
    #[error("forespørselen kom ikke fram i tide; prøv igjen")]
    TooSlow,
    #[error("metoden er ikke tillatt for denne adressen")]
    MethodNotAllowed,
    /// Someone else saved the same thing at the same moment, and retrying did not help.
    #[error("{0}")]
    Conflict(String),
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
    /// Logged in with a one-time password: nothing is served until the user chose their own.
    #[error(
        "du må lage ditt eget passord før du kan bruke Duken (du logget inn med et engangspassord)"
    )]
    PasswordChangeRequired,
    #[error("du har ikke tilgang til å endre en av familiene i denne sendingen")]
    Forbidden,
    /// A push refused for these changes (422, 403 or 409 by `why`); the message is the first
    /// one's. The device sets exactly these aside and sends the rest again.
    #[error("{}", .refused.first().map(|r| r.message.as_str()).unwrap_or("endringene ble avvist"))]
    RefusedChanges { why: Refused, refused: Vec<Refusal> },
    /// The pull's cursor is not a place in this server's history.
    #[error("serveren har en annen historikk enn enheten (gjenopprettet fra en sikkerhetskopi?); enheten henter alt på nytt")]
    CursorReset,
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

/// Why a push's changes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not valid (a field, a value, a record that would move): 422 `invalid`.
    Invalid,
    /// A family the user may not write: 403 `forbidden`.
    Forbidden,
    /// An id stored before with other content: 409 `change_id_reused`.
    IdReused,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::RefusedChanges { why, .. } => match why {
                Refused::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
                Refused::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
                Refused::IdReused => (StatusCode::CONFLICT, "change_id_reused"),
            },
            ApiError::CursorReset => (StatusCode::CONFLICT, CURSOR_RESET),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::TooSlow => (StatusCode::REQUEST_TIMEOUT, "too_slow"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::UnsupportedProtocol { .. } => {
                (StatusCode::BAD_REQUEST, "unsupported_protocol")
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Revoked => (StatusCode::UNAUTHORIZED, "revoked"),
            ApiError::LoginFailed => (StatusCode::UNAUTHORIZED, "login_failed"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::PasswordChangeRequired => (StatusCode::FORBIDDEN, "password_change_required"),
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
            StorageError::IdentityMismatch { change, .. } => ApiError::RefusedChanges {
                why: Refused::Invalid,
                refused: vec![Refusal {
                    change,
                    message: e.to_string(),
                }],
            },
            StorageError::ChangeIdReused { change } => ApiError::RefusedChanges {
                why: Refused::IdReused,
                refused: vec![Refusal {
                    change,
                    message: e.to_string(),
                }],
            },
            StorageError::Forbidden { .. } | StorageError::ForbiddenKinds { .. } => {
                ApiError::Forbidden
            }
            StorageError::UsernameTaken => ApiError::Invalid(e.to_string()),
            StorageError::Contended => ApiError::Conflict(e.to_string()),
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
        let message = self.to_string();
        let refused = match self {
            ApiError::RefusedChanges { refused, .. } => refused,
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: code.to_owned(),
            message,
            refused,
        };
        (status, Json(body)).into_response()
    }
}
