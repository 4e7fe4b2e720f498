//! `GET /templates`: the team's own cloth templates, rating forms and report templates, for the
//! app's pickers.
//! `POST /rating-templates`: a team leader saves a rating form (a copy, or a new version).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use duken_domain::account::Role;
use duken_domain::protocol::TemplatesResponse;
use duken_domain::rating::RatingTemplate;

use super::auth::Session;
use super::json::ApiJson;
use super::AppState;
use crate::error::ApiError;
use crate::templates::RatingTemplateSaveError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/templates", get(templates))
        .route("/rating-templates", post(save_rating))
}

async fn templates(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<TemplatesResponse>, ApiError> {
    let (templates, rating_templates, report_templates) = match &session.user.team_id {
        Some(team) => (
            crate::templates::of_team(state.storage.as_ref(), team).await?,
            crate::templates::rating_of_team(state.storage.as_ref(), team).await?,
            crate::templates::report_of_team(state.storage.as_ref(), team).await?,
        ),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    Ok(Json(TemplatesResponse {
        templates,
        rating_templates,
        report_templates,
    }))
}

async fn save_rating(
    State(state): State<AppState>,
    session: Session,
    ApiJson(template): ApiJson<RatingTemplate>,
) -> Result<Json<RatingTemplate>, ApiError> {
    // Forms shape what every family in the team is asked: the team leader's call.
    if !matches!(session.role, Role::Teamleder | Role::Admin) {
        return Err(ApiError::NotAllowed(
            "bare teamledere kan endre rangeringsskjemaer".into(),
        ));
    }
    let Some(team) = &session.user.team_id else {
        return Err(ApiError::NotAllowed(
            "brukeren hører ikke til et team; be en administrator legge deg til i teamet".into(),
        ));
    };
    match crate::templates::save_rating(state.storage.as_ref(), team, template).await {
        Ok(saved) => {
            tracing::info!(code = %saved.code, version = saved.version, "rating form saved");
            Ok(Json(saved))
        }
        Err(RatingTemplateSaveError::Storage(e)) => Err(e.into()),
        Err(e) => Err(ApiError::Invalid(e.to_string())),
    }
}
