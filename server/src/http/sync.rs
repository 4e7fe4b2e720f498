//! Push and pull (see `docs/sync-protocol.md`).

use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use duken_domain::protocol::{
    FamiliesResponse, PushResponse, MAX_PULL_PAGE, MAX_PUSH_BATCH, PROTOCOL_VERSION,
};
use duken_domain::schema::validate_change;
use serde_json::Value;

use duken_domain::protocol::Refusal;
use duken_domain::Change;
use uuid::Uuid;

use super::auth::Session;
use super::json::{self, ApiJson, ApiQuery};
use super::AppState;
use crate::access;
use crate::audit::Action;
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

/// Reads the batch change by change, so a change that does not parse (an unknown kind, a
/// missing field) is named like one that fails validation: `endring N: …`.
fn read_changes(body: Value) -> Result<Vec<Change>, ApiError> {
    let Some(Value::Array(items)) = body.get("changes").cloned() else {
        return Err(ApiError::Invalid(
            "feltet «changes» mangler eller er ikke en liste".into(),
        ));
    };
    if items.len() > MAX_PUSH_BATCH {
        return Err(ApiError::Invalid(format!(
            "for mange endringer i én sending (høyst {MAX_PUSH_BATCH})"
        )));
    }
    let mut changes = Vec::with_capacity(items.len());
    let mut refused = Vec::new();
    let mut unnamed = None;
    for (i, item) in items.into_iter().enumerate() {
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok());
        let parsed: Result<Change, ApiError> = json::from_value(item);
        match parsed {
            Ok(c) => match validate_change(&c) {
                Ok(()) => changes.push(c),
                Err(e) => refused.push(Refusal {
                    change: c.id,
                    message: format!("endring {}: {e}", i + 1),
                }),
            },
            Err(e) => {
                let message = format!("endring {}: {e}", i + 1);
                match id {
                    Some(change) => refused.push(Refusal { change, message }),
                    // Without an id the device cannot be told which one: say it in words.
                    None => {
                        unnamed.get_or_insert(message);
                    }
                }
            }
        }
    }
    if let Some(message) = unnamed {
        return Err(ApiError::Invalid(message));
    }
    if !refused.is_empty() {
        return Err(ApiError::RefusedChanges {
            why: Refused::Invalid,
            refused,
        });
    }
    Ok(changes)
}

async fn push(
    State(state): State<AppState>,
    session: Session,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<PushResponse>, ApiError> {
    check_protocol(&body)?;
    // Check the whole batch before touching the database: one bad change refuses all, and
    // the answer names every bad one, so the device sets those aside and sends the rest.
    let changes = read_changes(body)?;
    let pushed = state
        .storage
        .push(&access::pusher(&session), &changes)
        .await
        .map_err(|e| in_batch(e, &changes))?;
    state
        .audit
        .record(&session, &changes, Action::Write)
        .await?;
    tracing::debug!(changes = changes.len(), stored = pushed.stored, "push");
    Ok(Json(PushResponse {
        protocol: PROTOCOL_VERSION,
        acknowledged: changes.iter().map(|c| c.id).collect(),
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
        // Only the changes of the kinds the reader may not write: the rest of the batch (a
        // contact person's evaluation) is not refused with them.
        StorageError::ForbiddenKinds { family, ref kinds } => ApiError::RefusedChanges {
            why: Refused::Forbidden,
            refused: changes
                .iter()
                .enumerate()
                .filter(|(_, c)| c.family == family && kinds.contains(&c.kind))
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

/// `since`: the cursor; `limit`; `protocol`; `family`: back-fill one family from the start
/// (after being given access to it); `after`: the change the cursor stands on, which lets the
/// server tell a cursor from another history.
async fn pull(
    State(state): State<AppState>,
    session: Session,
    query: ApiQuery,
) -> Result<axum::response::Response, ApiError> {
    if let Some(v) = query
        .int("protocol")?
        .filter(|v| *v != i64::from(PROTOCOL_VERSION))
    {
        return Err(ApiError::UnsupportedProtocol {
            got: u64::try_from(v).unwrap_or(0),
            supported: PROTOCOL_VERSION,
        });
    }
    let since = query.int("since")?.unwrap_or(0);
    if since < 0 {
        return Err(ApiError::BadRequest("«since» kan ikke være negativ".into()));
    }
    let limit = query.limit(MAX_PULL_PAGE, MAX_PULL_PAGE)?;
    let family = query.uuid("family")?;
    let after = query.uuid("after")?;
    if !state.storage.cursor_known(since, after).await? {
        return Err(ApiError::CursorReset);
    }
    let mut viewer = access::viewer(&session);
    viewer.only_family = family.map(|f| f.to_string());
    // A few large pages at a time: on a small server, 200 devices pulling their first 10,000
    // changes at once would otherwise hold 200 pages in memory to no one's benefit (the CPU
    // is the limit either way), and the pool would serve them in no fair order.
    let turn = state
        .pulls
        .acquire()
        .await
        .map_err(|_| ApiError::Unavailable)?;
    let page = state.storage.pull(&viewer, since, limit).await?;
    drop(turn);
    // Logged before anything is sent: no read of family data goes unrecorded.
    state
        .audit
        .record_counts(&session, &page.touched, Action::Read)
        .await?;
    // `PullResponse`'s shape, with each change's stored JSON as it is.
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        protocol: u32,
        changes: &'a serde_json::value::RawValue,
        cursor: i64,
        remaining: u64,
    }
    let body = serde_json::to_vec(&Answer {
        protocol: PROTOCOL_VERSION,
        changes: &page.changes,
        cursor: page.cursor,
        remaining: page.remaining,
    })
    .map_err(|e| ApiError::Internal(StorageError::Corrupt(e.to_string())))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response())
}
