//! A team's own cloth templates ("a team can add its own template without code"): JSON files
//! checked by the domain's rules, versioned, and served to the team's devices.

use duken_domain::cloth::{builtin_template, Template, TemplateError};

use crate::accounts::now;
use crate::storage::{Storage, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum TemplateAddError {
    #[error("{0}")]
    Invalid(#[from] TemplateError),
    #[error("koden «{0}» brukes av en mal som følger med Duken; velg en annen kode")]
    Builtin(String),
    #[error(
        "teamet har allerede «{code}» i versjon {have}; den nye må ha et høyere versjonsnummer"
    )]
    OldVersion { code: String, have: i64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Checks and stores a template for the team named `team` (made if new).
pub async fn add(
    storage: &dyn Storage,
    team: &str,
    json: &str,
) -> Result<Template, TemplateAddError> {
    let template = Template::parse(json)?;
    if builtin_template(&template.code).is_some() {
        return Err(TemplateAddError::Builtin(template.code));
    }
    let team_id = storage.team_id(team).await?;
    let version = i64::from(template.version);
    if let Some(have) = storage.template_version(&team_id, &template.code).await? {
        if have >= version {
            return Err(TemplateAddError::OldVersion {
                code: template.code,
                have,
            });
        }
    }
    // Stored as re-serialised, so what devices get is exactly what was checked.
    storage
        .add_template(
            &team_id,
            &template.code,
            version,
            &template.to_json(),
            now(),
        )
        .await?;
    Ok(template)
}

/// The newest version of each of a team's templates. A stored body that no longer passes the
/// checks (rules tightened since) is left out rather than sent to devices.
pub async fn of_team(storage: &dyn Storage, team_id: &str) -> Result<Vec<Template>, StorageError> {
    let bodies = storage.team_templates(team_id).await?;
    Ok(bodies
        .iter()
        .filter_map(|b| match Template::parse(b) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!(team_id, error = %e, "skipping a stored template that no longer checks");
                None
            }
        })
        .collect())
}
