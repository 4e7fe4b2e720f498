//! The access log's storage: append (chained, keyed) and read. Same query text on both
//! databases.

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::error::StorageError;

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
    /// The key that signed it; '' for an entry from before keys (plain SHA-256).
    pub key_id: String,
}

/// A key that signs entries: HMAC-SHA-256 with a secret that is not in the database, so that
/// someone who can write the database cannot recompute the chain after editing it.
#[derive(Clone)]
pub struct SigningKey {
    pub id: String,
    pub secret: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret, not even in a debug log.
        f.debug_struct("SigningKey").field("id", &self.id).finish()
    }
}

/// The fields of an entry, unambiguously separated (each prefixed by its length).
fn framed(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

fn entry_fields(prev: &str, e: &AccessEvent) -> Vec<u8> {
    framed(&[
        prev,
        &e.at.to_string(),
        &e.user_id,
        &e.session_id,
        &e.family_id,
        &e.kind,
        &e.action,
        &e.count.to_string(),
    ])
}

/// HMAC-SHA-256 of `data` under `secret`, as hex.
pub fn mac_hex(secret: &[u8], data: &[u8]) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut m = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    m.update(data);
    hex::encode(m.finalize().into_bytes())
}

/// The one definition of an entry's hash: keyed when `key` is given; plain SHA-256 only for
/// entries written before keys existed.
pub fn entry_hash(key: Option<&[u8]>, prev: &str, e: &AccessEvent) -> String {
    let data = entry_fields(prev, e);
    match key {
        Some(secret) => mac_hex(secret, &data),
        None => hex::encode(Sha256::digest(&data)),
    }
}

/// What a checkpoint signs: the log held entry `seq` with `hash`.
pub fn checkpoint_fields(seq: i64, hash: &str) -> Vec<u8> {
    framed(&["duken-access-log-checkpoint", &seq.to_string(), hash])
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

/// Where the log stands after an append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

#[async_trait]
pub trait AccessLog: Send + Sync {
    /// Appends events in order, chained to the newest entry and signed with `key`, in one
    /// transaction. Returns the newest entry.
    async fn append_access(
        &self,
        events: &[AccessEvent],
        key: &SigningKey,
    ) -> Result<Option<Head>, StorageError>;
    /// Entries oldest first; all of them, or one family's after `after`, at most `limit`.
    async fn access_entries(
        &self,
        family: Option<&str>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<AccessRow>, StorageError>;
    /// The hash the head row holds (the newest entry's, unless tampered with).
    async fn access_head(&self) -> Result<String, StorageError>;
    /// The newest entry, if any.
    async fn access_last(&self) -> Result<Option<Head>, StorageError>;
}

macro_rules! impl_access_log {
    ($backend:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::access_log::AccessLog for $backend {
            async fn append_access(
                &self,
                events: &[$crate::storage::access_log::AccessEvent],
                key: &$crate::storage::access_log::SigningKey,
            ) -> Result<Option<$crate::storage::access_log::Head>, $crate::storage::error::StorageError> {
                if events.is_empty() {
                    return Ok(None);
                }
                let mut tx = self.pool.begin().await?;
                // A write first: takes SQLite's write lock / PostgreSQL's row lock, so two
                // appends (from two server processes) cannot chain to the same predecessor.
                sqlx::query("UPDATE access_log_head SET hash = hash WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
                let mut prev: String = sqlx::query_scalar("SELECT hash FROM access_log_head WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
                // The chain is computed first, then written many rows to a statement: the writer
                // commits whole groups of requests, and one statement per entry was its cost.
                let mut rows = Vec::with_capacity(events.len());
                for e in events {
                    let hash = $crate::storage::access_log::entry_hash(Some(&key.secret), &prev, e);
                    rows.push((e, std::mem::replace(&mut prev, hash.clone()), hash));
                }
                let mut seq = 0i64;
                for chunk in rows.chunks(500) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO access_log (at, user_id, session_id, family_id, kind, action, count, prev_hash, hash, key_id) ",
                    );
                    q.push_values(chunk, |mut b, (e, prev, hash)| {
                        b.push_bind(e.at)
                            .push_bind(&e.user_id)
                            .push_bind(&e.session_id)
                            .push_bind(&e.family_id)
                            .push_bind(&e.kind)
                            .push_bind(&e.action)
                            .push_bind(e.count)
                            .push_bind(prev)
                            .push_bind(hash)
                            .push_bind(&key.id);
                    });
                    q.push(" RETURNING seq");
                    let seqs: Vec<i64> = q.build_query_scalar().fetch_all(&mut *tx).await?;
                    seq = seqs.into_iter().max().unwrap_or(seq).max(seq);
                }
                sqlx::query("UPDATE access_log_head SET hash = $1 WHERE id = 1")
                    .bind(&prev)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some($crate::storage::access_log::Head { seq, hash: prev }))
            }

            async fn access_entries(
                &self,
                family: Option<&str>,
                after: i64,
                limit: i64,
            ) -> Result<Vec<$crate::storage::access_log::AccessRow>, $crate::storage::error::StorageError> {
                let rows = match family {
                    Some(f) => sqlx::query_as("SELECT seq, at, user_id, session_id, family_id, kind, action, count, prev_hash, hash, key_id FROM access_log WHERE family_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")
                        .bind(f)
                        .bind(after)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await?,
                    None => sqlx::query_as("SELECT seq, at, user_id, session_id, family_id, kind, action, count, prev_hash, hash, key_id FROM access_log WHERE seq > $1 ORDER BY seq LIMIT $2")
                        .bind(after)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await?,
                };
                Ok(rows)
            }

            async fn access_head(&self) -> Result<String, $crate::storage::error::StorageError> {
                Ok(sqlx::query_scalar("SELECT hash FROM access_log_head WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn access_last(
                &self,
            ) -> Result<Option<$crate::storage::access_log::Head>, $crate::storage::error::StorageError> {
                let row: Option<(i64, String)> =
                    sqlx::query_as("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1")
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(seq, hash)| $crate::storage::access_log::Head { seq, hash }))
            }
        }
    };
}

pub(super) use impl_access_log;
