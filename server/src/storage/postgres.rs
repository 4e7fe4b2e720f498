use std::str::FromStr;

use async_trait::async_trait;
use duken_domain::Change;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use uuid::Uuid;

use super::{
    cursor_matches, encode, page_from_rows, same_as_stored, ConnectError, Page, Pushed, Pusher,
    Storage, StorageError, Viewer, UPSERT_GRANT,
};

/// The advisory lock every push (and grant) holds while it writes.
const PUSH_LOCK: i64 = 7242;

pub struct Postgres {
    pool: PgPool,
}

impl Postgres {
    pub async fn open(url: &str) -> Result<Self, ConnectError> {
        let opts = PgConnectOptions::from_str(url).map_err(StorageError::from)?;
        Self::open_with(opts).await
    }

    /// Opens with explicit options (tests use this to give each run its own schema).
    pub async fn open_with(opts: PgConnectOptions) -> Result<Self, ConnectError> {
        // Plans for the parameters given: a generic plan for the pull (after five runs of a
        // prepared statement) does not know whether the cursor is at the start or near the end,
        // and picked a full sort of the viewer's changes for every page of a first sync.
        let opts = opts.options([("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await
            .map_err(StorageError::from)?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(StorageError::from)?;
        Ok(Postgres { pool })
    }
}

#[async_trait]
impl Storage for Postgres {
    async fn push(&self, pusher: &Pusher, changes: &[Change]) -> Result<Pushed, StorageError> {
        let mut tx = self.pool.begin().await?;
        // Sequence numbers are taken at insert but become visible at commit. Two pushes
        // committing out of order would let a pull move its cursor past a change that is not
        // visible yet and skip it forever; one lock for all pushes rules that out. The access
        // decision is taken under it too, so two pushes of one new family cannot both find it
        // new.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(PUSH_LOCK)
            .execute(&mut *tx)
            .await?;
        super::authorize_batch!(tx, pusher, changes);
        let mut stored = 0u32;
        for c in changes {
            let kind = c.kind.as_str();
            sqlx::query("INSERT INTO records (record_id, family_id, kind) VALUES ($1, $2, $3) ON CONFLICT (record_id) DO NOTHING")
                .bind(c.record)
                .bind(c.family)
                .bind(kind)
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query("SELECT family_id, kind FROM records WHERE record_id = $1")
                .bind(c.record)
                .fetch_one(&mut *tx)
                .await?;
            let (f, k): (Uuid, String) = (row.try_get(0)?, row.try_get(1)?);
            if f != c.family || k != kind {
                return Err(StorageError::IdentityMismatch {
                    record: c.record,
                    change: c.id,
                });
            }
            let done = sqlx::query(
                "INSERT INTO changes (change_id, family_id, record_id, kind, body, device_id, fseq) VALUES ($1, $2, $3, $4, $5, $6, COALESCE((SELECT fseq FROM changes WHERE family_id = $2 ORDER BY seq DESC LIMIT 1), 0) + 1) ON CONFLICT (change_id) DO NOTHING",
            )
            .bind(c.id)
            .bind(c.family)
            .bind(c.record)
            .bind(kind)
            .bind(encode(c)?)
            .bind(pusher.device)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                let body: String =
                    sqlx::query_scalar("SELECT body FROM changes WHERE change_id = $1")
                        .bind(c.id)
                        .fetch_one(&mut *tx)
                        .await?;
                same_as_stored(c, &body)?;
            }
            stored += u32::try_from(done.rows_affected()).unwrap_or(0);
        }
        tx.commit().await?;
        Ok(Pushed { stored })
    }

    async fn grant(
        &self,
        family: &str,
        user: &str,
        access: &str,
        now: i64,
    ) -> Result<(), StorageError> {
        let family_uuid =
            Uuid::parse_str(family).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        // The pushes' lock: no push commits between reading the history mark and the grant.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(PUSH_LOCK)
            .execute(&mut *tx)
            .await?;
        let history: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE family_id = $1")
                .bind(family_uuid)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(UPSERT_GRANT)
            .bind(family)
            .bind(user)
            .bind(access)
            .bind(now)
            .bind(history)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn cursor_known(&self, since: i64, at: Option<Uuid>) -> Result<bool, StorageError> {
        let found: Option<Uuid> =
            sqlx::query_scalar("SELECT change_id FROM changes WHERE seq = $1")
                .bind(since)
                .fetch_optional(&self.pool)
                .await?;
        Ok(cursor_matches(since, at, found))
    }

    async fn pull(&self, viewer: &Viewer, since: i64, limit: u32) -> Result<Page, StorageError> {
        // One snapshot: the families, the count and the page see the same history (pushes
        // commit in seq order under their lock, so a snapshot has no holes below its newest
        // change).
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        // The viewer's families first, as a value the planner sees: with a subquery in every
        // statement it guessed a few families, counted through the heap and sorted whole
        // remainders; with the list it counts from the family index and reads a dense page
        // in seq order, stopping at the limit (decision 50).
        let (families, newest): (Vec<Uuid>, i64) = sqlx::query_as(
            "SELECT COALESCE(array_agg(f), '{}'), (SELECT COALESCE(MAX(seq), 0) FROM changes) FROM (SELECT family_id::uuid AS f FROM family_access WHERE user_id = $1 UNION SELECT family_id::uuid FROM families WHERE team_id = $2) v WHERE $3::text IS NULL OR f = $3::uuid",
        )
        .bind(&viewer.user_id)
        .bind(&viewer.leads_team)
        .bind(&viewer.only_family)
        .fetch_one(&mut *tx)
        .await?;
        if families.is_empty() {
            tx.commit().await?;
            return page_from_rows(&[], since, 0);
        }
        // Counted first, per family from the (family, seq) index: how many of its changes come
        // after `since` (its ordinal now less its ordinal at `since`, migration 0012) and the
        // first of them. Two seeks per family, whatever the backlog, so the last page of a
        // first sync costs what the first does. The page is the first `limit` of these, so
        // what remains after it is this count less the page.
        let (visible, first): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COALESCE(SUM(n), 0)::bigint, MIN(first) FROM (SELECT \
               (SELECT fseq FROM changes c WHERE c.family_id = f ORDER BY seq DESC LIMIT 1) \
               - COALESCE((SELECT fseq FROM changes c WHERE c.family_id = f AND c.seq <= $2 ORDER BY seq DESC LIMIT 1), 0) AS n, \
               (SELECT MIN(seq) FROM changes c WHERE c.family_id = f AND c.seq > $2) AS first \
             FROM unnest($1::uuid[]) AS f) x",
        )
        .bind(&families)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        // Dense from the viewer's first change on: their changes may all come after many of
        // others (a team registered late), and reading those in seq order found nothing.
        let from = first.map_or(since, |f| f - 1);
        let dense = visible.saturating_mul(4) >= newest - from;
        let page = if dense {
            // In seq order, stopping after the page. Left to itself the planner guessed few
            // matches and gathered every remaining change (bodies and all) to sort them, on
            // each page of a first sync; `IS TRUE` keeps it off the family index and no sort
            // keeps it off the rest, for this one statement.
            sqlx::query("SET LOCAL enable_sort = off")
                .execute(&mut *tx)
                .await?;
            "SELECT seq, body, family_id, kind FROM changes WHERE seq > $2 AND (family_id = ANY($1)) IS TRUE ORDER BY seq LIMIT $3"
        } else {
            // The page's seqs from the family index first, then only their bodies.
            "SELECT seq, body, family_id, kind FROM changes WHERE seq IN (SELECT seq FROM changes WHERE seq > $2 AND family_id = ANY($1) ORDER BY seq LIMIT $3) ORDER BY seq"
        };
        // Rows, not one joined row: PostgreSQL sends rows cheaply, and its ordered
        // `string_agg` sorted and copied every body again (decision 50).
        let rows: Vec<(i64, String, Uuid, String)> = sqlx::query_as(page)
            .bind(&families)
            .bind(from)
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        page_from_rows(&rows, since, visible)
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

super::impl_listing!(Postgres);
super::accounts::impl_accounts!(Postgres);
super::access_log::impl_access_log!(Postgres, sqlx::Postgres);
super::templates::impl_templates!(Postgres);
