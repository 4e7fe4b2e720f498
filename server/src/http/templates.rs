//! `GET /templates`: the cloth templates of the user's team, for the app's template picker.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use duken_domain::protocol::TemplatesResponse;

use super::auth::Session;
use super::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/templates", get(templates))
}

async fn templates(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<TemplatesResponse>, ApiError> {
    let templates = match &session.user.team_id {
        Some(team) => crate::templates::of_team(state.storage.as_ref(), team).await?,
        None => Vec::new(),
    };
    Ok(Json(TemplatesResponse { templates }))
}
