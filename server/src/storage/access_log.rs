//! The access log's storage: append (chained) and read. Same query text on both databases.

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use super::StorageError;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One thing that happened to one family's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEvent {
    pub at: i64,
    pub user_id: String,
    pub session_id: String,
    pub family_id: String,
    pub kind: String,
    /// `read` or `write`.
    pub action: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessRow {
    pub seq: i64,
    pub at: i64,
    pub user_id: String,
    pub session_id: String,
    pub family_id: String,
    pub kind: String,
    pub action: String,
    pub count: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// The one definition of an entry's hash: the previous hash and every field, unambiguously
/// separated.
pub fn entry_hash(prev: &str, e: &AccessEvent) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &e.at.to_string(),
        &e.user_id,
        &e.session_id,
        &e.family_id,
        &e.kind,
        &e.action,
        &e.count.to_string(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

impl AccessRow {
    pub fn event(&self) -> AccessEvent {
        AccessEvent {
            at: self.at,
            user_id: self.user_id.clone(),
            session_id: self.session_id.clone(),
            family_id: self.family_id.clone(),
            kind: self.kind.clone(),
            action: self.action.clone(),
            count: self.count,
        }
    }
}

#[async_trait]
pub trait AccessLog: Send + Sync {
    /// Appends events in order, chained to the newest entry, in one transaction.
    async fn append_access(&self, events: &[AccessEvent]) -> Result<(), StorageError>;
    /// Entries oldest first; all of them, or one family's.
    async fn access_entries(&self, family: Option<&str>) -> Result<Vec<AccessRow>, StorageError>;
    /// The hash the head row holds (the newest entry's, unless tampered with).
    async fn access_head(&self) -> Result<String, StorageError>;
}

macro_rules! impl_access_log {
    ($backend:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::access_log::AccessLog for $backend {
            async fn append_access(
                &self,
                events: &[$crate::storage::access_log::AccessEvent],
            ) -> Result<(), $crate::storage::StorageError> {
                if events.is_empty() {
                    return Ok(());
                }
                let mut tx = self.pool.begin().await?;
                // A write first: takes SQLite's write lock / PostgreSQL's row lock, so two
                // appends cannot chain to the same predecessor.
                sqlx::query("UPDATE access_log_head SET hash = hash WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
                let mut prev: String = sqlx::query_scalar("SELECT hash FROM access_log_head WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
                for e in events {
                    let hash = $crate::storage::access_log::entry_hash(&prev, e);
                    sqlx::query(
                        "INSERT INTO access_log (at, user_id, session_id, family_id, kind, action, count, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(e.at)
                    .bind(&e.user_id)
                    .bind(&e.session_id)
                    .bind(&e.family_id)
                    .bind(&e.kind)
                    .bind(&e.action)
                    .bind(e.count)
                    .bind(&prev)
                    .bind(&hash)
                    .execute(&mut *tx)
                    .await?;
                    prev = hash;
                }
                sqlx::query("UPDATE access_log_head SET hash = $1 WHERE id = 1")
                    .bind(&prev)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn access_entries(
                &self,
                family: Option<&str>,
            ) -> Result<Vec<$crate::storage::access_log::AccessRow>, $crate::storage::StorageError> {
                let rows = match family {
                    Some(f) => sqlx::query_as("SELECT * FROM access_log WHERE family_id = $1 ORDER BY seq")
                        .bind(f)
                        .fetch_all(&self.pool)
                        .await?,
                    None => sqlx::query_as("SELECT * FROM access_log ORDER BY seq")
                        .fetch_all(&self.pool)
                        .await?,
                };
                Ok(rows)
            }

            async fn access_head(&self) -> Result<String, $crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT hash FROM access_log_head WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?)
            }
        }
    };
}

pub(super) use impl_access_log;
