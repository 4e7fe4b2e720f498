use std::str::FromStr;

use async_trait::async_trait;
use duken_domain::Change;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use uuid::Uuid;

use super::{
    cursor_matches, encode, page_from, same_as_stored, ConnectError, Page, Pushed, Pusher, Storage,
    StorageError, Viewer, UPSERT_GRANT,
};

pub struct Sqlite {
    pool: SqlitePool,
}

impl Sqlite {
    pub async fn open(url: &str) -> Result<Self, ConnectError> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(StorageError::from)?
            .create_if_missing(true)
            // WAL + NORMAL: durable across crashes of the process, fast for batches.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true);
        if let Some(dir) = opts.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await
            .map_err(StorageError::from)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .map_err(StorageError::from)?;
        Ok(Sqlite { pool })
    }
}

#[async_trait]
impl Storage for Sqlite {
    async fn push(&self, pusher: &Pusher, changes: &[Change]) -> Result<Pushed, StorageError> {
        // IMMEDIATE takes the write lock before the first read: the access decision below and
        // the inserts are one serialised step, so two pushes of one new family cannot both
        // find it new.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        super::authorize_batch!(tx, pusher, changes);
        let mut stored = 0u32;
        for c in changes {
            let (record, family, kind) =
                (c.record.to_string(), c.family.to_string(), c.kind.as_str());
            sqlx::query("INSERT INTO records (record_id, family_id, kind) VALUES (?, ?, ?) ON CONFLICT (record_id) DO NOTHING")
                .bind(&record)
                .bind(&family)
                .bind(kind)
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query("SELECT family_id, kind FROM records WHERE record_id = ?")
                .bind(&record)
                .fetch_one(&mut *tx)
                .await?;
            let (f, k): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            if f != family || k != kind {
                // Dropping `tx` rolls the whole batch back.
                return Err(StorageError::IdentityMismatch {
                    record: c.record,
                    change: c.id,
                });
            }
            let done = sqlx::query(
                "INSERT INTO changes (change_id, family_id, record_id, kind, body, device_id, fseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE((SELECT fseq FROM changes WHERE family_id = ?2 ORDER BY seq DESC LIMIT 1), 0) + 1) ON CONFLICT (change_id) DO NOTHING",
            )
            .bind(c.id.to_string())
            .bind(&family)
            .bind(&record)
            .bind(kind)
            .bind(encode(c)?)
            .bind(pusher.device.to_string())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                let body: String =
                    sqlx::query_scalar("SELECT body FROM changes WHERE change_id = ?")
                        .bind(c.id.to_string())
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
        // Under the write lock, so the history mark and the grant are one step between pushes.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let history: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE family_id = ?")
                .bind(family)
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
        let found: Option<String> =
            sqlx::query_scalar("SELECT change_id FROM changes WHERE seq = ?")
                .bind(since)
                .fetch_optional(&self.pool)
                .await?;
        Ok(cursor_matches(
            since,
            at,
            found.and_then(|f| Uuid::parse_str(&f).ok()),
        ))
    }

    async fn pull(&self, viewer: &Viewer, since: i64, limit: u32) -> Result<Page, StorageError> {
        const VISIBLE: &str = "family_id IN (SELECT family_id FROM family_access WHERE user_id = ?1 UNION SELECT family_id FROM families WHERE team_id = ?2) AND (?3 IS NULL OR family_id = ?3)";
        // One read transaction: the count and the page see the same history.
        let mut tx = self.pool.begin().await?;
        // Counted first, per family from the (family, seq) index: how many of its changes come
        // after `since` (its ordinal now less its ordinal at `since`, migration 0012) and the
        // first of them. Two seeks per family, whatever the backlog, so the last page of a
        // first sync costs what the first does. The page is the first `limit` of these, so
        // what remains after it is this count less the page.
        let (visible, first, newest): (i64, Option<i64>, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(n), 0), MIN(first), (SELECT COALESCE(MAX(seq), 0) FROM changes) FROM (SELECT \
               (SELECT fseq FROM changes c WHERE c.family_id = v.f ORDER BY seq DESC LIMIT 1) \
               - COALESCE((SELECT fseq FROM changes c WHERE c.family_id = v.f AND c.seq <= ?4 ORDER BY seq DESC LIMIT 1), 0) AS n, \
               (SELECT MIN(seq) FROM changes c WHERE c.family_id = v.f AND c.seq > ?4) AS first \
             FROM (SELECT family_id AS f FROM family_access WHERE user_id = ?1 UNION SELECT family_id FROM families WHERE team_id = ?2) v \
             WHERE ?3 IS NULL OR v.f = ?3)",
        )
        .bind(&viewer.user_id)
        .bind(&viewer.leads_team)
        .bind(&viewer.only_family)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        // Dense from the viewer's first change on: their changes may all come after many of
        // others (a team registered late), and reading those in seq order found nothing.
        let from = first.map_or(since, |f| f - 1);
        let dense = visible.saturating_mul(4) >= newest - from;
        let page = if dense {
            format!("SELECT seq, body, family_id, kind FROM changes WHERE seq > ?4 AND +{VISIBLE} ORDER BY seq LIMIT ?5")
        } else {
            format!("SELECT seq, body, family_id, kind FROM changes WHERE seq IN (SELECT seq FROM changes WHERE seq > ?4 AND {VISIBLE} ORDER BY seq LIMIT ?5)")
        };
        // The page comes back as one row, not a row per change (sqlx hands SQLite's rows over
        // one by one from its thread): its newest seq, its size, its bodies joined, and
        // `family kind` of each change for the access log. One pass over the page: a
        // materialized page and a GROUP BY copied and sorted it twice more.
        let row: (Option<i64>, i64, Option<String>, Option<String>) = sqlx::query_as(&format!(
            "SELECT MAX(seq), COUNT(*), group_concat(body, ',' ORDER BY seq), group_concat(family_id || ' ' || kind, ',') FROM ({page})"
        ))
        .bind(&viewer.user_id)
        .bind(&viewer.leads_team)
        .bind(&viewer.only_family)
        .bind(from)
        .bind(i64::from(limit))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        page_from(row, since, visible)
    }

    async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

super::impl_listing!(Sqlite);
super::accounts::impl_accounts!(Sqlite);
super::access_log::impl_access_log!(Sqlite, sqlx::Sqlite);
super::templates::impl_templates!(Sqlite);
