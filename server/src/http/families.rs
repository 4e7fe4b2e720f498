//! Family-level views that are not sync: the family's access log, in plain language (Normen:
//! the family may see who has looked at its data).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use duken_domain::protocol::{AccessEntry, AccessLogPage, MAX_ACCESS_LOG_PAGE};
use uuid::Uuid;

use super::auth::Session;
use super::json::{ApiPath, ApiQuery};
use super::AppState;
use crate::access::family_access;
use crate::audit::{self, Action, ACCESS_LOG_KIND};
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/families/{id}/access-log", get(access_log))
}

/// For whoever may read the family, by the one rule (its partners show it to the family; the
/// team leader and the contact person see who else has looked; an administrator only with a
/// grant). Paged, oldest first; the read is itself logged.
async fn access_log(
    State(state): State<AppState>,
    session: Session,
    ApiPath(id): ApiPath<Uuid>,
    query: ApiQuery,
) -> Result<Json<AccessLogPage>, ApiError> {
    let after = query.int("after")?.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::BadRequest("«after» kan ikke være negativ".into()));
    }
    let limit = query.limit(200, MAX_ACCESS_LOG_PAGE)?;
    let allowed = family_access(state.storage.as_ref(), &session, &id.to_string())
        .await?
        .can_read();
    if !allowed {
        // The same answer as for a family that does not exist: no telling which ones do.
        return Err(ApiError::NotFound("familien".into()));
    }
    let (lines, next) = audit::export_page(state.storage.as_ref(), id, after, limit).await?;
    // Logged before anything is sent, like every read of family data.
    let shown = i64::try_from(lines.len()).unwrap_or(i64::MAX);
    if shown > 0 {
        state
            .audit
            .append(vec![audit::event(
                &session,
                id,
                ACCESS_LOG_KIND,
                Action::Read,
                shown,
            )])
            .await?;
    }
    let (lines, entries) = lines
        .into_iter()
        .map(|(at, line, says)| (line, AccessEntry { at, says }))
        .unzip();
    Ok(Json(AccessLogPage {
        lines,
        entries,
        next,
    }))
}
