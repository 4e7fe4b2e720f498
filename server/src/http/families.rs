//! Family-level views that are not sync: the family's access log, in plain language (Normen:
//! the family may see who has looked at its data).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use duken_domain::account::Role;
use serde::Serialize;
use uuid::Uuid;

use super::auth::Session;
use super::AppState;
use crate::access::family_access;
use crate::audit;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/families/{id}/access-log", get(access_log))
}

#[derive(Debug, Serialize)]
struct AccessLogText {
    lines: Vec<String>,
}

/// For everyone who may read the family (its partners show it to the family; the team leader
/// and the contact person see who else has looked) and administrators.
async fn access_log(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Json<AccessLogText>, ApiError> {
    let allowed = session.role == Role::Admin
        || family_access(state.storage.as_ref(), &session, &id.to_string())
            .await?
            .can_read();
    if !allowed {
        return Err(ApiError::NotFound("familien".into()));
    }
    Ok(Json(AccessLogText {
        lines: audit::export(state.storage.as_ref(), id).await?,
    }))
}
