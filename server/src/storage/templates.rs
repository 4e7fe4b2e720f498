//! Teams' own cloth templates: stored as checked JSON, newest version per code served to the
//! team's devices. Same query text on both databases.

use async_trait::async_trait;

use super::StorageError;

#[async_trait]
pub trait Templates: Send + Sync {
    /// A team's id by name, without making it.
    async fn find_team(&self, name: &str) -> Result<Option<String>, StorageError>;
    /// The newest version stored for this team and code, if any.
    async fn template_version(
        &self,
        team_id: &str,
        code: &str,
    ) -> Result<Option<i64>, StorageError>;
    async fn add_template(
        &self,
        team_id: &str,
        code: &str,
        version: i64,
        body: &str,
        at: i64,
    ) -> Result<(), StorageError>;
    /// The newest version of each of the team's templates, by code.
    async fn team_templates(&self, team_id: &str) -> Result<Vec<String>, StorageError>;
}

macro_rules! impl_templates {
    ($backend:ty) => {
        #[async_trait::async_trait]
        impl $crate::storage::templates::Templates for $backend {
            async fn find_team(
                &self,
                name: &str,
            ) -> Result<Option<String>, $crate::storage::StorageError> {
                Ok(sqlx::query_scalar("SELECT id FROM teams WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn template_version(
                &self,
                team_id: &str,
                code: &str,
            ) -> Result<Option<i64>, $crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "SELECT MAX(version) FROM cloth_templates WHERE team_id = $1 AND code = $2",
                )
                .bind(team_id)
                .bind(code)
                .fetch_one(&self.pool)
                .await?)
            }

            async fn add_template(
                &self,
                team_id: &str,
                code: &str,
                version: i64,
                body: &str,
                at: i64,
            ) -> Result<(), $crate::storage::StorageError> {
                sqlx::query(
                    "INSERT INTO cloth_templates (team_id, code, version, body, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(team_id)
                .bind(code)
                .bind(version)
                .bind(body)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn team_templates(
                &self,
                team_id: &str,
            ) -> Result<Vec<String>, $crate::storage::StorageError> {
                Ok(sqlx::query_scalar(
                    "SELECT body FROM cloth_templates t WHERE team_id = $1 AND version = (SELECT MAX(version) FROM cloth_templates u WHERE u.team_id = t.team_id AND u.code = t.code) ORDER BY code",
                )
                .bind(team_id)
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

pub(super) use impl_templates;
