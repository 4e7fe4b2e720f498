//! Teams' own templates (cloths and rating forms): stored as checked JSON, newest version per
//! code served to the team's devices. Same query text on both databases.

use async_trait::async_trait;

use super::error::StorageError;

/// Which kind of template: each is its own table, so a cloth and a rating form may share a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    Cloth,
    Rating,
    Report,
}

impl TemplateKind {
    /// The table holding this kind (a constant, never user input, so formatting it into the
    /// query text is safe).
    pub fn table(self) -> &'static str {
        match self {
            TemplateKind::Cloth => "cloth_templates",
            TemplateKind::Rating => "rating_templates",
            TemplateKind::Report => "report_templates",
        }
    }
}

/// How many lost races a save of a template survives before answering 409.
pub const SAVE_ATTEMPTS: usize = 32;

#[async_trait]
pub trait Templates: Send + Sync {
    /// A team's id by name, without making it.
    async fn find_team(&self, name: &str) -> Result<Option<String>, StorageError>;
    /// The newest version stored for this team and code, if any.
    async fn template_version(
        &self,
        kind: TemplateKind,
        team_id: &str,
        code: &str,
    ) -> Result<Option<i64>, StorageError>;
    async fn add_template(
        &self,
        kind: TemplateKind,
        team_id: &str,
        code: &str,
        version: i64,
        body: &str,
        at: i64,
    ) -> Result<(), StorageError>;
    /// Stores the next version of the team's `code` (one more than the newest stored): the
    /// body is made for the version it gets. Two saves at once each get their own version
    /// (the one that loses the race takes the next); gives up with
    /// [`StorageError::Contended`] after many lost races.
    async fn add_next_template(
        &self,
        kind: TemplateKind,
        team_id: &str,
        code: &str,
        body: &(dyn Fn(i64) -> String + Send + Sync),
        at: i64,
    ) -> Result<i64, StorageError>;
    /// The newest version of each of the team's templates, by code.
    async fn team_templates(
        &self,
        kind: TemplateKind,
        team_id: &str,
    ) -> Result<Vec<String>, StorageError>;
}

macro_rules! impl_templates {
    ($backend:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::templates::Templates for $backend {
            async fn find_team(
                &self,
                name: &str,
            ) -> Result<Option<String>, $crate::storage::error::StorageError> {
                Ok(sqlx::query_scalar("SELECT id FROM teams WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn template_version(
                &self,
                kind: $crate::storage::templates::TemplateKind,
                team_id: &str,
                code: &str,
            ) -> Result<Option<i64>, $crate::storage::error::StorageError> {
                let sql = format!(
                    "SELECT MAX(version) FROM {} WHERE team_id = $1 AND code = $2",
                    kind.table()
                );
                Ok(sqlx::query_scalar(&sql)
                .bind(team_id)
                .bind(code)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn add_template(
                &self,
                kind: $crate::storage::templates::TemplateKind,
                team_id: &str,
                code: &str,
                version: i64,
                body: &str,
                at: i64,
            ) -> Result<(), $crate::storage::error::StorageError> {
                let sql = format!(
                    "INSERT INTO {} (team_id, code, version, body, created_at) VALUES ($1, $2, $3, $4, $5)",
                    kind.table()
                );
                sqlx::query(&sql)
                .bind(team_id)
                .bind(code)
                .bind(version)
                .bind(body)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn add_next_template(
                &self,
                kind: $crate::storage::templates::TemplateKind,
                team_id: &str,
                code: &str,
                body: &(dyn Fn(i64) -> String + Send + Sync),
                at: i64,
            ) -> Result<i64, $crate::storage::error::StorageError> {
                let next = format!(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM {} WHERE team_id = $1 AND code = $2",
                    kind.table()
                );
                let insert = format!(
                    "INSERT INTO {} (team_id, code, version, body, created_at) VALUES ($1, $2, $3, $4, $5)",
                    kind.table()
                );
                for _ in 0..$crate::storage::templates::SAVE_ATTEMPTS {
                    let version: i64 = sqlx::query_scalar(&next)
                        .bind(team_id)
                        .bind(code)
                        .fetch_one(&self.pool)
                        .await?;
                    // The primary key (team, code, version) decides the race: the loser reads
                    // the new newest version and tries the one after it.
                    let done = sqlx::query(&insert)
                        .bind(team_id)
                        .bind(code)
                        .bind(version)
                        .bind(body(version))
                        .bind(at)
                        .execute(&self.pool)
                        .await;
                    match done {
                        Ok(_) => return Ok(version),
                        Err(e) if $crate::storage::accounts::unique_violation(&e) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
                Err($crate::storage::error::StorageError::Contended)
            }

            async fn team_templates(
                &self,
                kind: $crate::storage::templates::TemplateKind,
                team_id: &str,
            ) -> Result<Vec<String>, $crate::storage::error::StorageError> {
                // Oldest first, so the newest template made for an audience is the default.
                let sql = format!(
                    "SELECT body FROM {0} t WHERE team_id = $1 AND version = (SELECT MAX(version) FROM {0} u WHERE u.team_id = t.team_id AND u.code = t.code) ORDER BY (SELECT MIN(created_at) FROM {0} v WHERE v.team_id = t.team_id AND v.code = t.code), code",
                    kind.table()
                );
                Ok(sqlx::query_scalar(&sql)
                .bind(team_id)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(super) use impl_templates;
