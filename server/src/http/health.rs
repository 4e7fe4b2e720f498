use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use duken_domain::protocol::{Health, PROTOCOL_VERSION};

use super::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

/// Answers 200 only when the database answers too, so a load balancer or the app's sync loop
/// learns the truth.
async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.storage.ping().await.map_err(|e| {
        tracing::warn!(error = %e, "health check: database unavailable");
        ApiError::Unavailable
    })?;
    Ok(Json(Health {
        status: "ok".into(),
        protocol: PROTOCOL_VERSION,
    }))
}
