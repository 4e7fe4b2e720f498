//! Where the server keeps changes: one trait, a SQLite and a PostgreSQL implementation
//! (the shape of atuin's `server-database`). Handlers only see [`Storage`].

pub mod access_log;
pub mod accounts;
mod postgres;
mod sqlite;
pub mod templates;

use std::sync::Arc;

use async_trait::async_trait;
use duken_domain::Change;
use uuid::Uuid;

pub use postgres::Postgres;
pub use sqlite::Sqlite;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A change names a record that already belongs to another family or is of another kind.
    #[error("posten {record} finnes allerede med en annen familie eller type")]
    IdentityMismatch { record: Uuid },
    #[error("brukernavnet er allerede i bruk")]
    UsernameTaken,
    #[error("lagret endring kan ikke leses: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A family first named by this push, registered in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFamily {
    pub family_id: String,
    pub team_id: Option<String>,
    /// The familiepartner who pushed it: its first partner.
    pub created_by: String,
    pub at: i64,
}

/// Whose families a pull may return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: String,
    /// Set for a teamleder: every family of this team is visible.
    pub leads_team: Option<String>,
    /// Only this family (a device back-filling a family it was just given access to).
    pub only_family: Option<String>,
}

/// The result of storing one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// How many of the batch's changes were new.
    pub stored: u32,
}

/// One page of changes after a cursor.
#[derive(Debug, Clone)]
pub struct Page {
    pub changes: Vec<Change>,
    pub cursor: i64,
    pub remaining: u64,
}

#[async_trait]
pub trait Storage:
    accounts::Accounts + access_log::AccessLog + templates::Templates + Send + Sync + 'static
{
    /// Stores a batch atomically: all of it or none. Changes already stored (same id) are
    /// skipped, so a repeated push changes nothing.
    /// `new_families` are registered (with their first partner) in the same transaction.
    async fn push(
        &self,
        device: Uuid,
        changes: &[Change],
        new_families: &[NewFamily],
    ) -> Result<Pushed, StorageError>;

    /// Changes of the families `viewer` may see with a cursor after `since`, oldest first, at
    /// most `limit`.
    async fn pull(&self, viewer: &Viewer, since: i64, limit: u32) -> Result<Page, StorageError>;

    /// Cheap check that the database answers.
    async fn ping(&self) -> Result<(), StorageError>;
}

/// Opens the database named by the URL (`sqlite://…` or `postgres://…`) and runs migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Storage>, ConnectError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(Sqlite::open(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(Postgres::open(url).await?))
    } else {
        Err(ConnectError::Scheme)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite:// or postgres://")]
    Scheme,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("could not create the database folder: {0}")]
    Folder(#[from] std::io::Error),
}

/// Registering a new family and its first partner: the same SQL on both databases, run inside
/// a push's transaction.
pub(crate) const INSERT_FAMILY: &str =
    "INSERT INTO families (family_id, team_id, created_by, created_at) VALUES ($1, $2, $3, $4)";
pub(crate) const INSERT_FIRST_PARTNER: &str =
    "INSERT INTO family_access (family_id, user_id, access, granted_at) VALUES ($1, $2, 'partner', $3)";

pub(crate) fn encode(change: &Change) -> Result<String, StorageError> {
    serde_json::to_string(change).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// `(seq, body)` rows, oldest first, into changes and the cursor after the last of them.
pub(crate) fn decode_rows(
    rows: Vec<(i64, String)>,
    since: i64,
) -> Result<(Vec<Change>, i64), StorageError> {
    let cursor = rows.last().map_or(since, |(seq, _)| *seq);
    let changes = rows
        .iter()
        .map(|(_, body)| {
            serde_json::from_str(body).map_err(|e| StorageError::Corrupt(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    Ok((changes, cursor))
}

impl Page {
    fn new(changes: Vec<Change>, cursor: i64, remaining: i64) -> Page {
        Page {
            changes,
            cursor,
            remaining: u64::try_from(remaining).unwrap_or(0),
        }
    }
}
