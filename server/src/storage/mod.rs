//! Where the server keeps changes: one trait, a SQLite and a PostgreSQL implementation
//! (the shape of atuin's `server-database`). Handlers only see [`Storage`].

pub mod access_log;
pub mod accounts;
pub mod error;
mod postgres;
mod sqlite;
pub mod templates;

use std::sync::Arc;

use async_trait::async_trait;
use std::collections::BTreeSet;

use duken_domain::{Change, Kind};
use uuid::Uuid;

pub use error::StorageError;
pub use postgres::Postgres;
pub use sqlite::Sqlite;

/// Who is pushing. Access is decided inside the push's serialised transaction, so that two
/// pushes registering the same new family (a retry, two devices, two teams) cannot both decide
/// it is new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pusher {
    /// The device session.
    pub device: Uuid,
    pub user_id: String,
    pub role: duken_domain::account::Role,
    pub team_id: Option<String>,
    pub at: i64,
}

/// A family as one user sees it: its team, the user's grant on it, and where the history
/// stood when that grant was given (see `FamilyAccess::history`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub family_id: String,
    pub team_id: Option<String>,
    pub grant: Option<String>,
    pub history: i64,
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

/// One page of changes after a cursor, as stored: the JSON the pushes were stored as goes out
/// as it is, joined by the database into one array (decoding and re-encoding every change, and
/// handing rows one by one from SQLite's thread, were most of a large pull's time).
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's changes as one JSON array, oldest first.
    pub changes: Box<serde_json::value::RawValue>,
    /// How many changes of each family and kind the page holds (for the access log).
    pub touched: Vec<(Uuid, duken_domain::Kind, i64)>,
    pub cursor: i64,
    pub remaining: u64,
}

#[async_trait]
pub trait Storage:
    accounts::Accounts + access_log::AccessLog + templates::Templates + Listing + Send + Sync + 'static
{
    /// Stores a batch atomically: all of it or none. Changes already stored (same id, same
    /// content) are skipped, so a repeated push changes nothing. In the same serialised
    /// transaction, first: every family the batch touches must be writable by `pusher`
    /// ([`duken_domain::access`]), or new, when a familiepartner's push registers it.
    async fn push(&self, pusher: &Pusher, changes: &[Change]) -> Result<Pushed, StorageError>;

    /// Gives `user` access to `family`, noting where the family's history stands (read under
    /// the pushes' lock, so no push slips between the reading and the grant).
    async fn grant(
        &self,
        family: &str,
        user: &str,
        access: &str,
        now: i64,
    ) -> Result<(), StorageError>;

    /// Whether `since` (with the change `at` stands on, if the device sent it) is a place in
    /// this database's history. A server restored from an older backup has no such place.
    async fn cursor_known(&self, since: i64, at: Option<Uuid>) -> Result<bool, StorageError>;

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
/// a push's transaction. The first partner's `history` is 0: nothing was stored before.
pub(crate) const INSERT_FAMILY: &str =
    "INSERT INTO families (family_id, team_id, created_by, created_at) VALUES ($1, $2, $3, $4)";
pub(crate) const INSERT_FIRST_PARTNER: &str =
    "INSERT INTO family_access (family_id, user_id, access, granted_at, history) VALUES ($1, $2, 'partner', $3, 0)";
pub(crate) const FAMILY_TEAM: &str = "SELECT team_id FROM families WHERE family_id = $1";
pub(crate) const FAMILY_GRANT: &str =
    "SELECT access FROM family_access WHERE family_id = $1 AND user_id = $2";
/// A repeated grant keeps the history mark: access did not stop in between.
pub(crate) const UPSERT_GRANT: &str = "INSERT INTO family_access (family_id, user_id, access, granted_at, history) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (family_id, user_id) DO UPDATE SET access = $3, granted_at = $4";
pub(crate) const REVOKE: &str = "DELETE FROM family_access WHERE family_id = $1 AND user_id = $2";
pub(crate) const LISTING: &str = "SELECT f.family_id, f.team_id, a.access, COALESCE(a.history, 0) FROM families f LEFT JOIN family_access a ON a.family_id = f.family_id AND a.user_id = $1 WHERE a.user_id IS NOT NULL OR f.team_id = $2 ORDER BY f.family_id";

/// One family of a batch, as found inside the push's transaction: `None` if not registered.
/// Decides with the domain's rule whether `pusher` may write the `kinds` of record the batch
/// holds for it, or register it.
pub(crate) fn decide(
    pusher: &Pusher,
    family: Uuid,
    kinds: &BTreeSet<Kind>,
    team: Option<Option<String>>,
    grant: Option<String>,
) -> Result<Option<NewFamily>, StorageError> {
    use duken_domain::access::{family_access, may_register_family, may_write, Access, Grant};
    match team {
        None if may_register_family(pusher.role) => Ok(Some(NewFamily {
            family_id: family.to_string(),
            team_id: pusher.team_id.clone(),
        })),
        None => Err(StorageError::Forbidden { family }),
        Some(team) => {
            let same_team = team.is_some() && team == pusher.team_id;
            let grant = grant.as_deref().and_then(Grant::parse);
            let access = family_access(pusher.role, grant, same_team);
            let refused: Vec<Kind> = kinds
                .iter()
                .copied()
                .filter(|k| !may_write(pusher.role, access, *k))
                .collect();
            if refused.is_empty() {
                Ok(None)
            } else if access == Access::Read {
                Err(StorageError::ForbiddenKinds {
                    family,
                    kinds: refused,
                })
            } else {
                Err(StorageError::Forbidden { family })
            }
        }
    }
}

/// Decides access for every family a batch touches and registers the new ones, inside the
/// push's transaction (`$tx`, after its lock). The same SQL on both databases; a macro because
/// the transaction types differ.
macro_rules! authorize_batch {
    ($tx:ident, $pusher:expr, $changes:expr) => {
        let mut families: std::collections::BTreeMap<
            Uuid,
            std::collections::BTreeSet<duken_domain::Kind>,
        > = std::collections::BTreeMap::new();
        for c in $changes.iter() {
            families.entry(c.family).or_default().insert(c.kind);
        }
        for (family, kinds) in families {
            let id = family.to_string();
            let team: Option<Option<String>> = sqlx::query_scalar($crate::storage::FAMILY_TEAM)
                .bind(&id)
                .fetch_optional(&mut *$tx)
                .await?;
            let grant: Option<String> = sqlx::query_scalar($crate::storage::FAMILY_GRANT)
                .bind(&id)
                .bind(&$pusher.user_id)
                .fetch_optional(&mut *$tx)
                .await?;
            if let Some(new) = $crate::storage::decide($pusher, family, &kinds, team, grant)? {
                sqlx::query($crate::storage::INSERT_FAMILY)
                    .bind(&new.family_id)
                    .bind(&new.team_id)
                    .bind(&$pusher.user_id)
                    .bind($pusher.at)
                    .execute(&mut *$tx)
                    .await?;
                sqlx::query($crate::storage::INSERT_FIRST_PARTNER)
                    .bind(&new.family_id)
                    .bind(&$pusher.user_id)
                    .bind($pusher.at)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    };
}
pub(crate) use authorize_batch;

/// `Listing` for a backend: the same SQL on both databases.
macro_rules! impl_listing {
    ($db:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::Listing for $db {
            async fn revoke(
                &self,
                family: &str,
                user: &str,
            ) -> Result<bool, $crate::storage::error::StorageError> {
                let done = sqlx::query($crate::storage::REVOKE)
                    .bind(family)
                    .bind(user)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn listing(
                &self,
                viewer: &$crate::storage::Viewer,
            ) -> Result<Vec<$crate::storage::Listed>, $crate::storage::error::StorageError> {
                let rows: Vec<(String, Option<String>, Option<String>, i64)> =
                    sqlx::query_as($crate::storage::LISTING)
                        .bind(&viewer.user_id)
                        .bind(&viewer.leads_team)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map($crate::storage::listed).collect())
            }
        }
    };
}
pub(crate) use impl_listing;

/// Who may see which family, and taking a grant away.
#[async_trait]
pub trait Listing {
    /// Takes a user's grant on a family away; `false` if there was none.
    async fn revoke(&self, family: &str, user: &str) -> Result<bool, StorageError>;

    /// The families `viewer` may read, with what is needed to say how.
    async fn listing(&self, viewer: &Viewer) -> Result<Vec<Listed>, StorageError>;
}

/// A family the push registers.
pub(crate) struct NewFamily {
    pub family_id: String,
    pub team_id: Option<String>,
}

/// An incoming change whose id is stored already: the same change again (a retry) is fine;
/// other content under that id would be acknowledged and lost, so it is refused.
pub(crate) fn same_as_stored(change: &Change, stored: &str) -> Result<(), StorageError> {
    let earlier: Change =
        serde_json::from_str(stored).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    if earlier == *change {
        Ok(())
    } else {
        Err(StorageError::ChangeIdReused { change: change.id })
    }
}

pub(crate) fn encode(change: &Change) -> Result<String, StorageError> {
    serde_json::to_string(change).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// A page from what SQLite answered, in one row: the page's newest seq, its size, its bodies
/// joined by commas (in seq order), and `family kind` of each change joined by commas; and
/// `visible`, how many changes after `since` the viewer may see (the page is the first of
/// them). The joined bodies are checked to be JSON, so a damaged row is an error here rather
/// than a broken answer.
pub(crate) fn page_from(
    row: (Option<i64>, i64, Option<String>, Option<String>),
    since: i64,
    visible: i64,
) -> Result<Page, StorageError> {
    let (newest, count, bodies, kinds) = row;
    let kinds = kinds.unwrap_or_default();
    let mut touched = Touched::default();
    for item in kinds.split(',').filter(|g| !g.is_empty()) {
        let (family, kind) = item.split_once(' ').unwrap_or((item, ""));
        let family = Uuid::parse_str(family).map_err(|_| corrupt_kind())?;
        touched.add(family, kind)?;
    }
    Ok(Page {
        changes: joined(format!("[{}]", bodies.unwrap_or_default()))?,
        touched: touched.done(),
        cursor: newest.unwrap_or(since),
        remaining: u64::try_from(visible - count).unwrap_or(0),
    })
}

/// A page from its rows (PostgreSQL sends rows cheaply; joining and sorting them there, in one
/// row as for SQLite, was a third of its time in a burst): `(seq, body, family, kind)` in seq
/// order, and `visible` as for [`page_from`].
pub(crate) fn page_from_rows(
    rows: &[(i64, String, Uuid, String)],
    since: i64,
    visible: i64,
) -> Result<Page, StorageError> {
    let mut all = String::with_capacity(rows.iter().map(|r| r.1.len() + 1).sum::<usize>() + 2);
    let mut touched = Touched::default();
    all.push('[');
    for (i, (_, body, family, kind)) in rows.iter().enumerate() {
        if i > 0 {
            all.push(',');
        }
        all.push_str(body);
        touched.add(*family, kind)?;
    }
    all.push(']');
    let count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    Ok(Page {
        changes: joined(all)?,
        touched: touched.done(),
        cursor: rows.last().map_or(since, |r| r.0),
        remaining: u64::try_from(visible - count).unwrap_or(0),
    })
}

fn corrupt_kind() -> StorageError {
    StorageError::Corrupt("a stored change's family or kind".to_owned())
}

fn joined(array: String) -> Result<Box<serde_json::value::RawValue>, StorageError> {
    serde_json::value::RawValue::from_string(array)
        .map_err(|_| StorageError::Corrupt("a stored change is not JSON".to_owned()))
}

/// How many changes of each family and kind a page holds, in one order on both databases (the
/// log reads the same).
#[derive(Default)]
struct Touched(std::collections::BTreeMap<(Uuid, duken_domain::Kind), i64>);

impl Touched {
    fn add(&mut self, family: Uuid, kind: &str) -> Result<(), StorageError> {
        let kind = duken_domain::Kind::parse(kind).ok_or_else(corrupt_kind)?;
        *self.0.entry((family, kind)).or_default() += 1;
        Ok(())
    }

    fn done(self) -> Vec<(Uuid, duken_domain::Kind, i64)> {
        self.0.into_iter().map(|((f, k), n)| (f, k, n)).collect()
    }
}

pub(crate) fn listed(row: (String, Option<String>, Option<String>, i64)) -> Listed {
    Listed {
        family_id: row.0,
        team_id: row.1,
        grant: row.2,
        history: row.3,
    }
}

/// A cursor is a place in this history if it is 0, or a change is stored at it (and, when the
/// device named the change it stands on, that very change).
pub(crate) fn cursor_matches(since: i64, at: Option<Uuid>, found: Option<Uuid>) -> bool {
    since == 0
        || match (at, found) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(f)) => a == f,
        }
}
