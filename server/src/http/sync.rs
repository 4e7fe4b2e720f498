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

use duken_domain::protocol::Refusal;
use duken_domain::Change;
use uuid::Uuid;

use super::auth::Session;
use super::json::ApiJson;
use super::AppState;
use crate::access;
use crate::audit::{self, Action};
use crate::error::{ApiError, Refused};
use crate::storage::StorageError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/push", post(push))
        .route("/pull", get(pull))
        .route("/families", get(families))
}

/// The families this user may read, what they may do with each, and what to back-fill.
async fn families(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<FamiliesResponse>, ApiError> {
    Ok(Json(
        access::listing(state.storage.as_ref(), &session).await?,
    ))
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
    // Check the whole batch before touching the database: one bad change refuses all, and
    // the answer names every bad one, so the device sets those aside and sends the rest.
    let refused: Vec<Refusal> = req
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            validate_change(c).err().map(|e| Refusal {
                change: c.id,
                message: format!("endring {}: {e}", i + 1),
            })
        })
        .collect();
    if !refused.is_empty() {
        return Err(ApiError::RefusedChanges {
            why: Refused::Invalid,
            refused,
        });
    }
    let pushed = state
        .storage
        .push(&access::pusher(&session), &req.changes)
        .await
        .map_err(|e| in_batch(e, &req.changes))?;
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

/// A storage refusal, told in terms of the batch: which changes, numbered as sent.
fn in_batch(e: StorageError, changes: &[Change]) -> ApiError {
    let number = |id: Uuid| changes.iter().position(|c| c.id == id).map_or(0, |i| i + 1);
    match e {
        StorageError::Forbidden { family } => ApiError::RefusedChanges {
            why: Refused::Forbidden,
            refused: changes
                .iter()
                .enumerate()
                .filter(|(_, c)| c.family == family)
                .map(|(i, c)| Refusal {
                    change: c.id,
                    message: format!("endring {}: {}", i + 1, e),
                })
                .collect(),
        },
        StorageError::IdentityMismatch { change, .. } | StorageError::ChangeIdReused { change } => {
            let why = if matches!(e, StorageError::ChangeIdReused { .. }) {
                Refused::IdReused
            } else {
                Refused::Invalid
            };
            ApiError::RefusedChanges {
                why,
                refused: vec![Refusal {
                    change,
                    message: format!("endring {}: {e}", number(change)),
                }],
            }
        }
        other => ApiError::from(other),
    }
}

#[derive(Debug, Deserialize)]
struct PullQuery {
    #[serde(default)]
    since: i64,
    limit: Option<u32>,
    protocol: Option<u64>,
    /// Back-fill one family from the start (after being given access to it).
    family: Option<uuid::Uuid>,
    /// The change the cursor stands on: lets the server tell a cursor from another history.
    after: Option<uuid::Uuid>,
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
    let limit = q.limit.unwrap_or(MAX_PULL_PAGE);
    if !(1..=MAX_PULL_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "«limit» må være mellom 1 og {MAX_PULL_PAGE}"
        )));
    }
    if !state.storage.cursor_known(q.since, q.after).await? {
        return Err(ApiError::CursorReset);
    }
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
