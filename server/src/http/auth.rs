//! Who is asking: the device session behind the request. The token comes in an HttpOnly cookie
//! (browsers; scripts on the page cannot read it) or an `Authorization: Bearer` header (other
//! clients), never in a URL. Every API handler that touches family data takes [`Session`]; the
//! struct itself lives in [`crate::session`], below HTTP, for the access rules and the log.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use uuid::Uuid;

use super::AppState;
use crate::accounts::{now, token_hash};
use crate::error::ApiError;
pub use crate::session::Session;

pub const COOKIE_NAME: &str = "duken_session";

/// Absolute lifetime of a device session. Long enough for weeks of offline work between
/// contacts; the app's own lock guards the device in between.
pub const SESSION_SECONDS: i64 = 30 * 24 * 3600;

fn bearer(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_owned())
}

fn cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .map(|(_, v)| v.to_owned())
}

/// A session that may still be on a one-time password: only for what a user does before
/// choosing their own (see who they are, choose it, log out). Everything else takes
/// [`Session`], which refuses such a session with `403 password_change_required`.
#[derive(Debug, Clone)]
pub struct AnySession(pub Session);

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AnySession(session) = AnySession::from_request_parts(parts, state).await?;
        if session.user.one_time_password_at.is_some() {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(session)
    }
}

impl FromRequestParts<AppState> for AnySession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)
            .or_else(|| cookie(parts))
            .ok_or(ApiError::Unauthorized)?;
        let (row, user) = state
            .storage
            .session_and_user(&token_hash(&token))
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let t = now();
        if row.revoked_at.is_some() {
            return Err(ApiError::Revoked);
        }
        if row.expires_at <= t {
            return Err(ApiError::Unauthorized);
        }
        if user.disabled_at.is_some() {
            return Err(ApiError::Revoked);
        }
        let role = user.role().ok_or(ApiError::Unauthorized)?;
        let id = Uuid::parse_str(&row.id).map_err(|_| ApiError::Unauthorized)?;
        // Once a minute is enough for "last seen" in the list of devices.
        if t - row.last_seen_at >= 60 {
            state.storage.touch_session(&row.id, t).await?;
        }
        Ok(AnySession(Session { id, user, role }))
    }
}
