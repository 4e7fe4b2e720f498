//! HTTP calls to the sync API.

use duken_domain::protocol::{
    DeviceInfo, ErrorBody, FamiliesResponse, LoginRequest, PullResponse, PushRequest, PushResponse,
    Refusal, SessionInfo, TemplatesResponse, CURSOR_RESET, PROTOCOL_VERSION,
};
use duken_domain::rating::RatingTemplate;
use duken_domain::sync::{Cursor, Pulled, Pushed, Remote};
use duken_domain::Change;
use duken_store::StoreError;
use gloo_net::http::{Request, Response};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No answer: offline, server down, or a proxy in the way.
    #[error("ingen kontakt med serveren")]
    Unreachable,
    /// The server answered but refused (4xx): retrying the same thing will not help.
    #[error("{0}")]
    Refused(String),
    /// A push refused for these changes only: set them aside, send the rest.
    #[error("{message}")]
    RefusedChanges {
        message: String,
        refused: Vec<Refusal>,
    },
    /// Others saved the same thing at that moment (409 `conflict`): trying again will do.
    #[error("{0}")]
    Busy(String),
    /// The pull's cursor is not in the server's history (restored from a backup).
    #[error("serveren har en annen historikk enn enheten")]
    CursorReset,
    /// No valid session: log in again (the local data stays).
    #[error("du må logge inn igjen for å synkronisere")]
    LoggedOut,
    /// This device was logged out on purpose (revoked, or the user disabled): wipe local data.
    #[error("{0}")]
    Revoked(String),
    /// The server failed (5xx): try again later.
    #[error("serveren svarte med feil ({0})")]
    Server(u16),
    #[error("{0}")]
    Local(String),
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Local(e.to_string())
    }
}

/// The API. The session travels in an HttpOnly cookie the browser adds to same-origin
/// requests; this code never sees the token.
pub struct Api;

/// What a failed login tells the user, and what to do about it (the throttle: 5 failures in
/// 15 minutes, `docs/sync-protocol.md`).
pub const LOGIN_FAILED: &str = "Feil brukernavn eller passord. Sjekk store og små bokstaver. Etter fem feil forsøk på 15 minutter må du vente en stund; har du glemt passordet, spør teamlederen om et nytt.";

const BASE: &str = "/api/v1";

impl Api {
    pub async fn login(req: &LoginRequest) -> Result<SessionInfo, SyncError> {
        let res = Request::post(&format!("{BASE}/session"))
            .json(req)
            .map_err(|e| SyncError::Local(e.to_string()))?
            .send()
            .await
            .map_err(|_| SyncError::Unreachable)?;
        // A failed login is a refusal that says what to do, not "log in again". The server's
        // own words (one answer for an unknown user and a wrong password) say only what failed.
        if res.status() == 401 {
            return Err(SyncError::Refused(LOGIN_FAILED.into()));
        }
        read(res).await
    }

    pub async fn logout() -> Result<(), SyncError> {
        delete(&format!("{BASE}/session")).await
    }

    /// One page of the family's access log in plain language, after `after` (0: the start).
    pub async fn access_log(
        family: Uuid,
        after: i64,
    ) -> Result<duken_domain::protocol::AccessLogPage, SyncError> {
        get(&format!("/families/{family}/access-log?after={after}")).await
    }

    /// The cloth templates and rating forms the user's team has added.
    pub async fn templates(&self) -> Result<TemplatesResponse, SyncError> {
        get::<TemplatesResponse>("/templates").await
    }

    /// Saves a rating form for the team (team leaders); the answer has the version it got.
    pub async fn save_rating_template(
        template: &RatingTemplate,
    ) -> Result<RatingTemplate, SyncError> {
        // The server numbers versions where it stores them; when many save at once it may
        // still ask us to try again.
        let mut attempt = 0;
        loop {
            let req = Request::post(&format!("{BASE}/rating-templates"))
                .json(template)
                .map_err(|e| SyncError::Local(e.to_string()))?;
            let res = req.send().await.map_err(|_| SyncError::Unreachable)?;
            match read(res).await {
                Err(SyncError::Busy(_)) if attempt < 3 => {
                    attempt += 1;
                    gloo_timers::future::sleep(std::time::Duration::from_millis(200 * attempt))
                        .await;
                }
                other => return other,
            }
        }
    }

    /// The user's own new password; the answer is the session as it now stands.
    pub async fn change_password(
        change: &duken_domain::protocol::PasswordChange,
    ) -> Result<SessionInfo, SyncError> {
        let res = Request::post(&format!("{BASE}/password"))
            .json(change)
            .map_err(|e| SyncError::Local(e.to_string()))?
            .send()
            .await
            .map_err(|_| SyncError::Unreachable)?;
        read(res).await
    }

    pub async fn devices() -> Result<Vec<DeviceInfo>, SyncError> {
        get("/devices").await
    }

    pub async fn revoke(id: Uuid) -> Result<(), SyncError> {
        delete(&format!("{BASE}/devices/{id}")).await
    }

    async fn send_push(&self, changes: &[Change]) -> Result<PushResponse, SyncError> {
        let body = PushRequest {
            protocol: PROTOCOL_VERSION,
            changes: changes.to_vec(),
        };
        let req = Request::post(&format!("{BASE}/push"))
            .json(&body)
            .map_err(|e| SyncError::Local(e.to_string()))?;
        let res = req.send().await.map_err(|_| SyncError::Unreachable)?;
        read(res).await
    }
}

impl Remote for Api {
    type Error = SyncError;

    async fn pull(
        &self,
        since: Cursor,
        limit: u32,
        family: Option<Uuid>,
    ) -> Result<Pulled, SyncError> {
        let extra = match (family, since.at) {
            (Some(f), _) => format!("&family={f}"),
            (None, Some(at)) => format!("&after={at}"),
            (None, None) => String::new(),
        };
        let url = format!(
            "{BASE}/pull?since={}&limit={limit}&protocol={PROTOCOL_VERSION}{extra}",
            since.seq
        );
        let res = Request::get(&url)
            .send()
            .await
            .map_err(|_| SyncError::Unreachable)?;
        match read::<PullResponse>(res).await {
            Ok(page) => Ok(Pulled::Page(page)),
            Err(SyncError::CursorReset) => Ok(Pulled::Reset),
            Err(e) => Err(e),
        }
    }

    /// The families this user may read, and what they may do with each.
    async fn families(&self) -> Result<FamiliesResponse, SyncError> {
        get::<FamiliesResponse>("/families").await
    }

    /// A refusal is an answer, not a failure: the round sets named changes aside and reports
    /// one that names none (see `duken_domain::sync::push`).
    async fn push(&self, batch: &[Change]) -> Result<Pushed, SyncError> {
        match self.send_push(batch).await {
            Ok(ack) => Ok(Pushed::Acknowledged(ack.acknowledged)),
            Err(SyncError::RefusedChanges { message, refused }) => Ok(Pushed::Refused {
                message,
                changes: refused.into_iter().map(|r| (r.change, r.message)).collect(),
            }),
            Err(SyncError::Refused(message)) => Ok(Pushed::Refused {
                message,
                changes: Vec::new(),
            }),
            Err(e) => Err(e),
        }
    }
}

/// A DELETE whose success answer has no body (204).
async fn delete(url: &str) -> Result<(), SyncError> {
    let res = Request::delete(url)
        .send()
        .await
        .map_err(|_| SyncError::Unreachable)?;
    if res.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(res).await.map(|_| ())
    }
}

/// GET `path` under the API and read the JSON answer.
async fn get<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, SyncError> {
    let res = Request::get(&format!("{BASE}{path}"))
        .send()
        .await
        .map_err(|_| SyncError::Unreachable)?;
    read(res).await
}

async fn read<T: serde::de::DeserializeOwned>(res: Response) -> Result<T, SyncError> {
    let status = res.status();
    if res.ok() {
        // A body that is not ours (a captive portal's page, say) counts as no contact.
        return res.json::<T>().await.map_err(|_| SyncError::Unreachable);
    }
    if (400..500).contains(&status) {
        let body = res.json::<ErrorBody>().await.ok();
        if status == 401 {
            return Err(match body {
                Some(b) if b.error == "revoked" => SyncError::Revoked(b.message),
                _ => SyncError::LoggedOut,
            });
        }
        return Err(match body {
            Some(b) if b.error == CURSOR_RESET => SyncError::CursorReset,
            Some(b) if b.error == "conflict" => SyncError::Busy(b.message),
            Some(b) if !b.refused.is_empty() => SyncError::RefusedChanges {
                message: b.message,
                refused: b.refused,
            },
            Some(b) => SyncError::Refused(b.message),
            None => SyncError::Refused(format!("serveren avviste forespørselen ({status})")),
        });
    }
    if status == 502 || status == 503 || status == 504 {
        return Err(SyncError::Unreachable);
    }
    Err(SyncError::Server(status))
}
