//! Logging in and out, and a user's devices.

use std::net::SocketAddr;
use std::sync::OnceLock;

use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use axum::{Json, Router};
use duken_domain::protocol::{DeviceInfo, LoginRequest, PasswordChange, SessionInfo, UserInfo};
use uuid::Uuid;

use super::auth::{AnySession, Session, COOKIE_NAME, SESSION_SECONDS};
use super::json::{ApiJson, ApiPath};
use super::{throttle, AppState};
use crate::accounts::{hash_password, new_token, now, verify_password};
use crate::error::ApiError;
use crate::storage::accounts::{SessionRow, UserRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(login).get(current).delete(logout))
        .route("/password", post(change_password))
        .route("/devices", axum::routing::get(devices))
        .route("/devices/{id}", delete(revoke))
}

/// Verified against when the username is unknown, so a wrong name takes as long as a wrong
/// password and does not tell which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("ingen slik bruker finnes").unwrap_or_default())
}

fn info(user: &UserRow, session: Uuid, expires_at: i64) -> Result<SessionInfo, ApiError> {
    Ok(SessionInfo {
        user: UserInfo {
            id: user.uuid().ok_or(ApiError::Unauthorized)?,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role().ok_or(ApiError::Unauthorized)?,
        },
        session,
        expires_at,
        must_change_password: user.one_time_password_at.is_some(),
    })
}

fn cookie(value: &str, max_age: i64, secure: bool) -> Result<HeaderValue, ApiError> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={value}; HttpOnly; SameSite=Strict; Path=/api; Max-Age={max_age}{secure}"
    ))
    .map_err(|_| ApiError::Unauthorized)
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request_headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let t = now();
    let username = req.username.trim().to_lowercase();
    let user_key = format!("user:{username}");
    let ip = throttle::client_ip(peer, &request_headers, &state.trusted_proxies);
    let keys = [user_key.clone(), format!("ip:{ip}")];
    let storage = state.storage.as_ref();
    if let Some(wait) = throttle::wait(storage, &keys, t).await? {
        return Err(ApiError::TooManyAttempts {
            minutes: (wait + 59) / 60,
        });
    }
    let user = state.storage.user_by_username(&username).await?;
    let ok = match &user {
        Some(u) => verify_password(&u.password_hash, &req.password) && u.disabled_at.is_none(),
        None => {
            let _ = verify_password(dummy_hash(), &req.password);
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        throttle::fail(storage, &keys, t).await?;
        tracing::info!(%ip, "login failed");
        return Err(ApiError::LoginFailed);
    };
    throttle::clear(storage, &user_key).await?;
    let device_name: String = req.device_name.trim().chars().take(60).collect();
    let (token, hash) = new_token();
    let id = Uuid::now_v7();
    let expires_at = t + SESSION_SECONDS;
    state
        .storage
        .create_session(&SessionRow {
            id: id.to_string(),
            user_id: user.id.clone(),
            token_hash: hash,
            device_name: if device_name.is_empty() {
                "Enhet".into()
            } else {
                device_name
            },
            created_at: t,
            last_seen_at: t,
            expires_at,
            revoked_at: None,
        })
        .await?;
    tracing::info!(user = %user.id, session = %id, "login");
    let mut headers = HeaderMap::new();
    headers.insert(
        SET_COOKIE,
        cookie(&token, SESSION_SECONDS, state.secure_cookies)?,
    );
    Ok((headers, Json(info(&user, id, expires_at)?)).into_response())
}

async fn current(
    State(state): State<AppState>,
    AnySession(session): AnySession,
) -> Result<Json<SessionInfo>, ApiError> {
    let row = state
        .storage
        .sessions_of(&session.user.id)
        .await?
        .into_iter()
        .find(|s| s.id == session.id.to_string())
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(info(&session.user, session.id, row.expires_at)?))
}

async fn logout(
    State(state): State<AppState>,
    AnySession(session): AnySession,
) -> Result<Response, ApiError> {
    state
        .storage
        .revoke_session(&session.id.to_string(), now())
        .await?;
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, cookie("", 0, state.secure_cookies)?);
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// The user chooses their own password (the first login after a one-time one, or any time).
/// A wrong current password counts as a failed login: this is no way around the throttle.
async fn change_password(
    State(state): State<AppState>,
    AnySession(session): AnySession,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<Json<SessionInfo>, ApiError> {
    let t = now();
    let storage = state.storage.as_ref();
    let keys = [format!("user:{}", session.user.username)];
    if let Some(wait) = throttle::wait(storage, &keys, t).await? {
        return Err(ApiError::TooManyAttempts {
            minutes: (wait + 59) / 60,
        });
    }
    match crate::accounts::change_password(storage, &session.user, &req.current, &req.new).await {
        Ok(()) => {}
        Err(crate::accounts::AccountError::WrongCurrentPassword) => {
            throttle::fail(storage, &keys, t).await?;
            return Err(ApiError::Invalid(
                crate::accounts::AccountError::WrongCurrentPassword.to_string(),
            ));
        }
        Err(crate::accounts::AccountError::Storage(e)) => return Err(e.into()),
        Err(e @ crate::accounts::AccountError::ChangedMeanwhile) => {
            return Err(ApiError::Conflict(e.to_string()))
        }
        Err(e) => return Err(ApiError::Invalid(e.to_string())),
    }
    tracing::info!(user = %session.user.id, "password changed");
    let row = storage
        .sessions_of(&session.user.id)
        .await?
        .into_iter()
        .find(|s| s.id == session.id.to_string())
        .ok_or(ApiError::Unauthorized)?;
    let user = storage
        .user_by_id(&session.user.id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(Json(info(&user, session.id, row.expires_at)?))
}

async fn devices(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    let t = now();
    let list = state
        .storage
        .sessions_of(&session.user.id)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(DeviceInfo {
                id: Uuid::parse_str(&s.id).ok()?,
                current: s.id == session.id.to_string(),
                active: s.revoked_at.is_none() && s.expires_at > t,
                name: s.device_name,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
            })
        })
        .collect();
    Ok(Json(list))
}

/// Ends one of the user's own device sessions (a lost phone, say).
async fn revoke(
    State(state): State<AppState>,
    session: Session,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let mine = state
        .storage
        .sessions_of(&session.user.id)
        .await?
        .iter()
        .any(|s| s.id == id.to_string());
    if !mine {
        return Err(ApiError::NotFound("enheten".into()));
    }
    state.storage.revoke_session(&id.to_string(), now()).await?;
    tracing::info!(user = %session.user.id, session = %id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}
