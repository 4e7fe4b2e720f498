//! HTTP calls to the sync API.

use duken_domain::protocol::{
    ErrorBody, PullResponse, PushRequest, PushResponse, DEVICE_HEADER, PROTOCOL_VERSION,
};
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

pub struct Api {
    device: String,
}

const BASE: &str = "/api/v1";

impl Api {
    pub fn new(device: Uuid) -> Api {
        Api {
            device: device.to_string(),
        }
    }

    pub async fn push(&self, changes: &[Change]) -> Result<PushResponse, SyncError> {
        let body = PushRequest {
            protocol: PROTOCOL_VERSION,
            changes: changes.to_vec(),
        };
        let req = Request::post(&format!("{BASE}/push"))
            .header(DEVICE_HEADER, &self.device)
            .json(&body)
            .map_err(|e| SyncError::Local(e.to_string()))?;
        let res = req.send().await.map_err(|_| SyncError::Unreachable)?;
        read(res).await
    }

    pub async fn pull(&self, since: i64, limit: u32) -> Result<PullResponse, SyncError> {
        let url = format!("{BASE}/pull?since={since}&limit={limit}&protocol={PROTOCOL_VERSION}");
        let res = Request::get(&url)
            .header(DEVICE_HEADER, &self.device)
            .send()
            .await
            .map_err(|_| SyncError::Unreachable)?;
        read(res).await
    }
}

async fn read<T: serde::de::DeserializeOwned>(res: Response) -> Result<T, SyncError> {
    let status = res.status();
    if res.ok() {
        // A body that is not ours (a captive portal's page, say) counts as no contact.
        return res.json::<T>().await.map_err(|_| SyncError::Unreachable);
    }
    if (400..500).contains(&status) {
        let msg = match res.json::<ErrorBody>().await {
            Ok(b) => b.message,
            Err(_) => format!("serveren avviste forespørselen ({status})"),
        };
        return Err(SyncError::Refused(msg));
    }
    if status == 502 || status == 503 || status == 504 {
        return Err(SyncError::Unreachable);
    }
    Err(SyncError::Server(status))
}
