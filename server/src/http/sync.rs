//! Push and pull (see `docs/sync-protocol.md`).

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use duken_domain::protocol::{
    FamiliesResponse, PullResponse, PushRequest, PushResponse, MAX_PULL_PAGE, MAX_PUSH_BATCH,
    PROTOCOL_VERSION,
};
use duken_domain::schema::validate_change;
use serde::Deserialize;
use serde_json::Value;

use super::auth::Session;
use super::json::ApiJson;
use super::AppState;
use crate::access;
use crate::audit::{self, Action};
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/push", post(push))
        .route("/pull", get(pull))
        .route("/families", get(families))
}

/// The families this user may read; a device back-fills those it holds nothing of.
async fn families(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<FamiliesResponse>, ApiError> {
    let families = access::visible_families(state.storage.as_ref(), &session)
        .await?
        .iter()
        .filter_map(|f| uuid::Uuid::parse_str(f).ok())
        .collect();
    Ok(Json(FamiliesResponse { families }))
}

/// The protocol version is read before the rest of the body, so a device on an old or newer
/// version is told so plainly instead of getting a parse error about some field.
fn check_protocol(body: &Value) -> Result<(), ApiError> {
    match body.get("protocol").and_then(Value::as_u64) {
        Some(v) if v == u64::from(PROTOCOL_VERSION) => Ok(()),
        Some(v) => Err(ApiError::UnsupportedProtocol {
            got: v,
            supported: PROTOCOL_VERSION,
        }),
        None => Err(ApiError::BadRequest(
            "feltet «protocol» mangler i forespørselen".into(),
        )),
    }
}

async fn push(
    State(state): State<AppState>,
    session: Session,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<PushResponse>, ApiError> {
    check_protocol(&body)?;
    let req: PushRequest = serde_json::from_value(body)
        .map_err(|e| ApiError::Invalid(format!("ugyldige data: {e}")))?;
    if req.changes.len() > MAX_PUSH_BATCH {
        return Err(ApiError::Invalid(format!(
            "for mange endringer i én sending (høyst {MAX_PUSH_BATCH})"
        )));
    }
    // Check the whole batch before touching the database: one bad change refuses all.
    for (i, c) in req.changes.iter().enumerate() {
        validate_change(c).map_err(|e| ApiError::Invalid(format!("endring {}: {e}", i + 1)))?;
    }
    let new_families = access::check_push(state.storage.as_ref(), &session, &req.changes).await?;
    let pushed = state
        .storage
        .push(session.id, &req.changes, &new_families)
        .await?;
    audit::record(
        state.storage.as_ref(),
        &session,
        &req.changes,
        Action::Write,
    )
    .await?;
    tracing::info!(changes = req.changes.len(), stored = pushed.stored, "push");
    Ok(Json(PushResponse {
        protocol: PROTOCOL_VERSION,
        acknowledged: req.changes.iter().map(|c| c.id).collect(),
        stored: pushed.stored,
    }))
}

#[derive(Debug, Deserialize)]
struct PullQuery {
    #[serde(default)]
    since: i64,
    limit: Option<u32>,
    protocol: Option<u64>,
    /// Back-fill one family from the start (after being given access to it).
    family: Option<uuid::Uuid>,
}

async fn pull(
    State(state): State<AppState>,
    session: Session,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(q) =
        query.map_err(|e| ApiError::BadRequest(format!("ugyldig spørring: {}", e.body_text())))?;
    if let Some(v) = q.protocol.filter(|v| *v != u64::from(PROTOCOL_VERSION)) {
        return Err(ApiError::UnsupportedProtocol {
            got: v,
            supported: PROTOCOL_VERSION,
        });
    }
    if q.since < 0 {
        return Err(ApiError::BadRequest("«since» kan ikke være negativ".into()));
    }
    let limit = q.limit.unwrap_or(MAX_PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    let mut viewer = access::viewer(&session);
    viewer.only_family = q.family.map(|f| f.to_string());
    let page = state.storage.pull(&viewer, q.since, limit).await?;
    // Logged before anything is sent: no read of family data goes unrecorded.
    audit::record(
        state.storage.as_ref(),
        &session,
        &page.changes,
        Action::Read,
    )
    .await?;
    Ok(Json(PullResponse {
        protocol: PROTOCOL_VERSION,
        changes: page.changes,
        cursor: page.cursor,
        remaining: page.remaining,
    }))
}
