//! The sync protocol's wire types (see `docs/sync-protocol.md`). Every request and response
//! names its protocol version, so a device that was offline for weeks is told clearly when the
//! server no longer speaks its version instead of failing on a parse error.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::record::Change;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;
/// Most changes in one push; larger outboxes go in several batches.
pub const MAX_PUSH_BATCH: usize = 500;
/// Most changes in one pull page.
pub const MAX_PULL_PAGE: u32 = 1000;

/// `POST /api/v1/push`
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    pub changes: Vec<Change>,
}

/// The server has stored (now or before) every change in the batch.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushResponse {
    pub protocol: u32,
    /// Ids of the changes acknowledged: the device may drop them from its outbox.
    pub acknowledged: Vec<Uuid>,
    /// How many of them were new to the server (0 for a repeated push).
    pub stored: u32,
}

/// `GET /api/v1/pull?since=<cursor>&limit=<n>`
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PullResponse {
    pub protocol: u32,
    pub changes: Vec<Change>,
    /// Pass as `since` for the next page; store it once the page is applied.
    pub cursor: i64,
    /// Changes left after this page (drives the progress bar).
    pub remaining: u64,
}

/// Every error the API returns: a stable code and a message fit to show a user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    /// For a refused push: the changes the refusal is about, each with its reason. The device
    /// sets exactly these aside (shown to the user, never dropped) and sends the rest again.
    /// Absent from other errors and from older servers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<Refusal>,
}

/// One change a push was refused for, and why (in words fit to show the user).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub change: Uuid,
    pub message: String,
}

/// The error code of a pull whose cursor does not belong to the server's history (the server
/// was restored from a backup, or its database replaced): pull again from 0.
pub const CURSOR_RESET: &str = "cursor_reset";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub protocol: u32,
}

/// `POST /api/v1/session`: log in on this device.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// What the user calls this device ("Nettbrett", "Telefon"), shown in their device list.
    pub device_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: crate::account::Role,
}

/// The session behind a request (`GET /api/v1/session`, and the answer to a login).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: UserInfo,
    pub session: Uuid,
    /// Unix seconds; after this the device must log in again.
    pub expires_at: i64,
    /// Logged in with a one-time password (from `user create` or a reset): the user must
    /// choose their own (`POST /password`) before anything else is served.
    #[serde(default)]
    pub must_change_password: bool,
}

/// `POST /api/v1/password`: the user's own new password, with the current one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// One of a user's device sessions (`GET /api/v1/devices`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub id: Uuid,
    pub name: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
    pub active: bool,
}

/// `GET /api/v1/families`: the families the user may read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamiliesResponse {
    pub families: Vec<Uuid>,
    /// Per family: what the user may do, and what the device must back-fill. Absent from
    /// servers older than this field (read as empty: every listed family is read-only then).
    #[serde(default)]
    pub access: Vec<FamilyAccess>,
}

/// One family in `GET /families`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyAccess {
    pub family: Uuid,
    pub access: crate::access::Access,
    /// The cursor of the family's newest change stored before the user's current access to it
    /// began (0: none, e.g. the family was registered by them or is their team's). A device
    /// that has not back-filled the family for exactly this value fetches its history from the
    /// start: the cursor has already passed those changes.
    pub history: i64,
}

/// `GET /api/v1/templates`: the cloth templates and rating forms the user's team has added
/// (the built-in ones are in every build).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplatesResponse {
    pub templates: Vec<crate::cloth::Template>,
    /// Newest version of each, oldest form first. Absent from servers older than rating forms.
    #[serde(default)]
    pub rating_templates: Vec<crate::rating::RatingTemplate>,
    /// Newest version of each, oldest first. Absent from servers older than reports.
    #[serde(default)]
    pub report_templates: Vec<crate::report::ReportTemplate>,
}

/// One entry of a family's access log: when (Unix seconds), and what, without the time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub at: i64,
    pub says: String,
}

/// Largest page of `GET /families/{id}/access-log`.
pub const MAX_ACCESS_LOG_PAGE: u32 = 500;

/// `GET /api/v1/families/{id}/access-log?after=N&limit=M`: one page of the family's access log
/// in plain language, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogPage {
    /// Each entry as one sentence with its time in UTC (what older apps show, and the export).
    pub lines: Vec<String>,
    /// The same entries with the time apart, so a device shows it in its own (Norwegian)
    /// local time. Absent from older servers.
    #[serde(default)]
    pub entries: Vec<AccessEntry>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(default)]
    pub next: Option<i64>,
}
