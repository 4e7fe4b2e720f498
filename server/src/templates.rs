//! A team's own templates ("without code"): cloth layouts added as JSON files by the command
//! line, rating forms edited by a team leader in the app. Both are checked by the domain's
//! rules, versioned (every version kept), and served to the team's devices.

use duken_domain::cloth::{builtin_template, Template, TemplateError};
use duken_domain::rating::{self, RatingTemplate, RatingTemplateError};
use duken_domain::report::{self, ReportTemplate, ReportTemplateError};

use crate::accounts::now;
use crate::storage::templates::TemplateKind;
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
    #[error("{0}")]
    InvalidReport(#[from] ReportTemplateError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Checks and stores a report template for the team named `team` (made if new).
pub async fn add_report(
    storage: &dyn Storage,
    team: &str,
    json: &str,
) -> Result<ReportTemplate, TemplateAddError> {
    let template = ReportTemplate::parse(json)?;
    let builtin = report::builtin().iter().any(|t| t.code == template.code);
    let body = template.to_json();
    store_version(
        storage,
        TemplateKind::Report,
        team,
        &template.code,
        template.version,
        builtin,
        &body,
    )
    .await?;
    Ok(template)
}

/// Stores a checked template `body` as `version` of the team's `code`: not one of Duken's own
/// codes, and a higher version than the team has. Stored as re-serialised, so what devices get
/// is exactly what was checked.
async fn store_version(
    storage: &dyn Storage,
    kind: TemplateKind,
    team: &str,
    code: &str,
    version: u32,
    builtin: bool,
    body: &str,
) -> Result<(), TemplateAddError> {
    if builtin {
        return Err(TemplateAddError::Builtin(code.to_owned()));
    }
    let team_id = storage.team_id(team).await?;
    let version = i64::from(version);
    if let Some(have) = storage.template_version(kind, &team_id, code).await? {
        if have >= version {
            return Err(TemplateAddError::OldVersion {
                code: code.to_owned(),
                have,
            });
        }
    }
    storage
        .add_template(kind, &team_id, code, version, body, now())
        .await?;
    Ok(())
}

/// The newest version of each of a team's report templates, oldest first.
pub async fn report_of_team(
    storage: &dyn Storage,
    team_id: &str,
) -> Result<Vec<ReportTemplate>, StorageError> {
    let bodies = storage
        .team_templates(TemplateKind::Report, team_id)
        .await?;
    Ok(checked(&bodies, team_id, ReportTemplate::parse))
}

/// Checks and stores a template for the team named `team` (made if new).
pub async fn add(
    storage: &dyn Storage,
    team: &str,
    json: &str,
) -> Result<Template, TemplateAddError> {
    let template = Template::parse(json)?;
    let builtin = builtin_template(&template.code).is_some();
    let body = template.to_json();
    store_version(
        storage,
        TemplateKind::Cloth,
        team,
        &template.code,
        template.version,
        builtin,
        &body,
    )
    .await?;
    Ok(template)
}

/// The newest version of each of a team's cloth templates.
pub async fn of_team(storage: &dyn Storage, team_id: &str) -> Result<Vec<Template>, StorageError> {
    let bodies = storage.team_templates(TemplateKind::Cloth, team_id).await?;
    Ok(checked(&bodies, team_id, Template::parse))
}

/// Stored bodies that still pass the checks. One that no longer does (rules tightened since) is
/// left out rather than sent to devices.
fn checked<T, E: std::fmt::Display>(
    bodies: &[String],
    team_id: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Vec<T> {
    bodies
        .iter()
        .filter_map(|b| match parse(b) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!(team_id, error = %e, "skipping a stored template that no longer checks");
                None
            }
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum RatingTemplateSaveError {
    #[error("{0}")]
    Invalid(#[from] RatingTemplateError),
    #[error("koden «{0}» brukes av et skjema som følger med Duken; lagre det som en kopi med et annet navn")]
    Builtin(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Stores a team's rating form as the next version of its code (the first, for a copy). The
/// server numbers the versions, so two leaders saving at once both get stored, in order.
pub async fn save_rating(
    storage: &dyn Storage,
    team_id: &str,
    mut template: RatingTemplate,
) -> Result<RatingTemplate, RatingTemplateSaveError> {
    template.check()?;
    if rating::builtin_template(&template.code).is_some() {
        return Err(RatingTemplateSaveError::Builtin(template.code));
    }
    // The version is taken where it is stored, so two leaders saving at once each get their
    // own; the body carries it, so it is made for the version given.
    let body = |version: i64| {
        let mut t = template.clone();
        t.version = u32::try_from(version).unwrap_or(u32::MAX);
        t.to_json()
    };
    let version = storage
        .add_next_template(TemplateKind::Rating, team_id, &template.code, &body, now())
        .await?;
    template.version = u32::try_from(version).map_err(|_| RatingTemplateError::TooMany)?;
    Ok(template)
}

/// The newest version of each of a team's rating forms, oldest form first.
pub async fn rating_of_team(
    storage: &dyn Storage,
    team_id: &str,
) -> Result<Vec<RatingTemplate>, StorageError> {
    let bodies = storage
        .team_templates(TemplateKind::Rating, team_id)
        .await?;
    Ok(checked(&bodies, team_id, RatingTemplate::parse))
}
