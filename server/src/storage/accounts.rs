//! Users and device sessions. The queries are the same text for SQLite and PostgreSQL (sqlx
//! binds `$n` on both), so one macro implements [`Accounts`] for each backend.

use async_trait::async_trait;
use duken_domain::account::Role;
use uuid::Uuid;

use super::error::StorageError;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub team_id: Option<String>,
    /// When a generated (one-time) password was given; until the user chooses their own,
    /// nothing but that choice is served. `None`: the user's own password.
    pub one_time_password_at: Option<i64>,
}

impl UserRow {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    pub fn uuid(&self) -> Option<Uuid> {
        Uuid::parse_str(&self.id).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub device_name: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

#[async_trait]
pub trait Accounts: Send + Sync {
    /// Fails with [`StorageError::UsernameTaken`] when the name is in use.
    async fn create_user(&self, user: &UserRow) -> Result<(), StorageError>;
    async fn user_by_username(&self, username: &str) -> Result<Option<UserRow>, StorageError>;
    async fn user_by_id(&self, id: &str) -> Result<Option<UserRow>, StorageError>;
    /// Notes that a session was used (for the user's list of devices).
    async fn touch_session(&self, id: &str, now: i64) -> Result<(), StorageError>;
    async fn users(&self) -> Result<Vec<UserRow>, StorageError>;
    /// Sets the password's hash; `one_time`: the server generated it, given at that time (the
    /// user must choose their own), `None`: the user's own.
    async fn set_password(
        &self,
        user: &str,
        hash: &str,
        one_time: Option<i64>,
    ) -> Result<bool, StorageError>;
    /// Sets the user's own password only if the hash is still `expected` (a compare-and-set:
    /// two devices changing it at once cannot both win). Clears a one-time password.
    async fn replace_password(
        &self,
        user: &str,
        expected: &str,
        hash: &str,
    ) -> Result<bool, StorageError>;
    /// Teams by id and name (for the list of users).
    async fn teams(&self) -> Result<Vec<(String, String)>, StorageError>;
    /// Disables the user and ends every session they have, in one transaction.
    async fn disable_user(&self, user: &str, now: i64) -> Result<bool, StorageError>;
    async fn create_session(&self, session: &SessionRow) -> Result<(), StorageError>;
    async fn sessions_of(&self, user: &str) -> Result<Vec<SessionRow>, StorageError>;
    async fn revoke_session(&self, id: &str, now: i64) -> Result<bool, StorageError>;
    /// The session with this token hash and its user, in one query (every request asks).
    async fn session_and_user(
        &self,
        token_hash: &str,
    ) -> Result<Option<(SessionRow, UserRow)>, StorageError>;

    /// Ids of the families a user may read (granted, or their team's if `team` is given).
    async fn visible_families(
        &self,
        user: &str,
        team: Option<&str>,
    ) -> Result<Vec<String>, StorageError>;
    /// User ids with partner access to the family.
    async fn partners_of(&self, family: &str) -> Result<Vec<String>, StorageError>;
    /// The team's id, made if it is new.
    async fn team_id(&self, name: &str) -> Result<String, StorageError>;
    /// `None`: not registered yet; `Some(team)`: registered (team may be none).
    async fn family_team(&self, family: &str) -> Result<Option<Option<String>>, StorageError>;
    /// `partner` or `reader`, if the user has been given access to the family.
    async fn family_access(&self, family: &str, user: &str)
        -> Result<Option<String>, StorageError>;
    /// Failed logins under `key` after `since`: how many, and the oldest one's time.
    async fn login_failures(
        &self,
        key: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>), StorageError>;
    /// Notes a failed login under each key; forgets failures from before `forget_before`.
    async fn add_login_failure(
        &self,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> Result<(), StorageError>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), StorageError>;
}

pub(super) fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

macro_rules! impl_accounts {
    ($backend:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::accounts::Accounts for $backend {
            async fn create_user(
                &self,
                u: &$crate::storage::accounts::UserRow,
            ) -> Result<(), $crate::storage::error::StorageError> {
                sqlx::query(
                    "INSERT INTO users (id, username, display_name, role, password_hash, disabled_at, created_at, team_id, one_time_password_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&u.id)
                .bind(&u.username)
                .bind(&u.display_name)
                .bind(&u.role)
                .bind(&u.password_hash)
                .bind(u.disabled_at)
                .bind(u.created_at)
                .bind(&u.team_id)
                .bind(u.one_time_password_at)
                .execute(&self.pool)
                .await
                .map_err(|e| {
                    if $crate::storage::accounts::unique_violation(&e) {
                        $crate::storage::error::StorageError::UsernameTaken
                    } else {
                        e.into()
                    }
                })?;
                Ok(())
            }

            async fn user_by_username(
                &self,
                username: &str,
            ) -> Result<Option<$crate::storage::accounts::UserRow>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_as("SELECT * FROM users WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn user_by_id(
                &self,
                id: &str,
            ) -> Result<Option<$crate::storage::accounts::UserRow>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_as("SELECT * FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn touch_session(
                &self,
                id: &str,
                now: i64,
            ) -> Result<(), $crate::storage::error::StorageError> {
                sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn users(
                &self,
            ) -> Result<Vec<$crate::storage::accounts::UserRow>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_as("SELECT * FROM users ORDER BY username")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn set_password(
                &self,
                user: &str,
                hash: &str,
                one_time: Option<i64>,
            ) -> Result<bool, $crate::storage::error::StorageError> {
                let done = sqlx::query("UPDATE users SET password_hash = $1, one_time_password_at = $2 WHERE id = $3")
                    .bind(hash)
                    .bind(one_time)
                    .bind(user)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn replace_password(
                &self,
                user: &str,
                expected: &str,
                hash: &str,
            ) -> Result<bool, $crate::storage::error::StorageError> {
                let done = sqlx::query("UPDATE users SET password_hash = $1, one_time_password_at = NULL WHERE id = $2 AND password_hash = $3")
                    .bind(hash)
                    .bind(user)
                    .bind(expected)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn teams(&self) -> Result<Vec<(String, String)>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_as("SELECT id, name FROM teams ORDER BY name")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn disable_user(
                &self,
                user: &str,
                now: i64,
            ) -> Result<bool, $crate::storage::error::StorageError> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
                    .bind(now)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn create_session(
                &self,
                s: &$crate::storage::accounts::SessionRow,
            ) -> Result<(), $crate::storage::error::StorageError> {
                sqlx::query(
                    "INSERT INTO sessions (id, user_id, token_hash, device_name, created_at, last_seen_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&s.id)
                .bind(&s.user_id)
                .bind(&s.token_hash)
                .bind(&s.device_name)
                .bind(s.created_at)
                .bind(s.last_seen_at)
                .bind(s.expires_at)
                .bind(s.revoked_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn sessions_of(
                &self,
                user: &str,
            ) -> Result<Vec<$crate::storage::accounts::SessionRow>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_as("SELECT * FROM sessions WHERE user_id = $1 ORDER BY created_at, id")
                    .bind(user)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn session_and_user(
                &self,
                token_hash: &str,
            ) -> Result<
                Option<($crate::storage::accounts::SessionRow, $crate::storage::accounts::UserRow)>,
                $crate::storage::error::StorageError,
            > {
                use sqlx::Row;
                let Some(r) = sqlx::query("SELECT s.id, s.user_id, s.token_hash, s.device_name, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, u.username, u.display_name, u.role, u.password_hash, u.disabled_at, u.created_at AS user_created_at, u.team_id, u.one_time_password_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    return Ok(None);
                };
                let session = $crate::storage::accounts::SessionRow {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    token_hash: r.try_get("token_hash")?,
                    device_name: r.try_get("device_name")?,
                    created_at: r.try_get("created_at")?,
                    last_seen_at: r.try_get("last_seen_at")?,
                    expires_at: r.try_get("expires_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                };
                let user = $crate::storage::accounts::UserRow {
                    id: session.user_id.clone(),
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    role: r.try_get("role")?,
                    password_hash: r.try_get("password_hash")?,
                    disabled_at: r.try_get("disabled_at")?,
                    created_at: r.try_get("user_created_at")?,
                    team_id: r.try_get("team_id")?,
                    one_time_password_at: r.try_get("one_time_password_at")?,
                };
                Ok(Some((session, user)))
            }

            async fn revoke_session(
                &self,
                id: &str,
                now: i64,
            ) -> Result<bool, $crate::storage::error::StorageError> {
                let done = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn team_id(&self, name: &str) -> Result<String, $crate::storage::error::StorageError> {
                sqlx::query("INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(name)
                    .execute(&self.pool)
                    .await?;
                Ok(sqlx::query_scalar("SELECT id FROM teams WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn family_team(
                &self,
                family: &str,
            ) -> Result<Option<Option<String>>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_scalar("SELECT team_id FROM families WHERE family_id = $1")
                    .bind(family)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn family_access(
                &self,
                family: &str,
                user: &str,
            ) -> Result<Option<String>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_scalar("SELECT access FROM family_access WHERE family_id = $1 AND user_id = $2")
                    .bind(family)
                    .bind(user)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn login_failures(
                &self,
                key: &str,
                since: i64,
            ) -> Result<(i64, Option<i64>), $crate::storage::error::StorageError> {
                Ok(sqlx::query_as("SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at > $2")
                    .bind(key)
                    .bind(since)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn add_login_failure(
                &self,
                keys: &[String],
                at: i64,
                forget_before: i64,
            ) -> Result<(), $crate::storage::error::StorageError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM login_failures WHERE at < $1")
                    .bind(forget_before)
                    .execute(&mut *tx)
                    .await?;
                for key in keys {
                    sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
                        .bind(key)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn clear_login_failures(
                &self,
                key: &str,
            ) -> Result<(), $crate::storage::error::StorageError> {
                sqlx::query("DELETE FROM login_failures WHERE key = $1")
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn visible_families(
                &self,
                user: &str,
                team: Option<&str>,
            ) -> Result<Vec<String>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_scalar("SELECT family_id FROM family_access WHERE user_id = $1 UNION SELECT family_id FROM families WHERE team_id = $2 ORDER BY 1")
                    .bind(user)
                    .bind(team)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn partners_of(
                &self,
                family: &str,
            ) -> Result<Vec<String>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_scalar("SELECT user_id FROM family_access WHERE family_id = $1 AND access = 'partner' ORDER BY user_id")
                    .bind(family)
                    .fetch_all(&self.pool)
                    .await?)
            }
        }
    };
}

pub(super) use impl_accounts;
