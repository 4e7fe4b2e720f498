//! Who may read and write which family. One place for the rules; every data endpoint asks here.
//!
//! - familiepartner: reads and writes the families they are a partner of, and registers the
//!   families they create (their first push names them);
//! - teamleder: reads every family of their team;
//! - kontaktperson: reads the families they have been given read access to;
//! - admin: no family data by role alone.

use std::collections::BTreeSet;

use duken_domain::account::Role;
use duken_domain::Change;

use crate::accounts::now;
use crate::error::ApiError;
use crate::http::Session;
use crate::storage::{NewFamily, Storage, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    Read,
    Write,
}

/// What `session`'s user may do with `family` (an id as stored: text).
pub async fn family_access(
    storage: &dyn Storage,
    session: &Session,
    family: &str,
) -> Result<Access, ApiError> {
    let user = &session.user;
    let granted = storage.family_access(family, &user.id).await?;
    Ok(match (session.role, granted.as_deref()) {
        (Role::Familiepartner, Some("partner")) => Access::Write,
        (Role::Familiepartner | Role::Kontaktperson, Some("reader")) => Access::Read,
        (Role::Teamleder, _) => {
            let team = storage.family_team(family).await?.flatten();
            if team.is_some() && team == user.team_id {
                Access::Read
            } else {
                Access::None
            }
        }
        _ => Access::None,
    })
}

/// Checks every family a batch touches before anything is stored: the batch is refused whole if
/// one of them may not be written. Returns the families this push registers.
pub async fn check_push(
    storage: &dyn Storage,
    session: &Session,
    changes: &[Change],
) -> Result<Vec<NewFamily>, ApiError> {
    let families: BTreeSet<String> = changes.iter().map(|c| c.family.to_string()).collect();
    let mut new = Vec::new();
    for family in families {
        if storage.family_team(&family).await?.is_none() {
            // Not known yet: a partner's new family, registered with this push.
            if session.role != Role::Familiepartner {
                return Err(ApiError::Forbidden);
            }
            new.push(NewFamily {
                family_id: family,
                team_id: session.user.team_id.clone(),
                created_by: session.user.id.clone(),
                at: now(),
            });
        } else if family_access(storage, session, &family).await? != Access::Write {
            return Err(ApiError::Forbidden);
        }
    }
    Ok(new)
}

pub fn viewer(session: &Session) -> Viewer {
    Viewer {
        user_id: session.user.id.clone(),
        leads_team: (session.role == Role::Teamleder)
            .then(|| session.user.team_id.clone())
            .flatten(),
        only_family: None,
    }
}

/// The families `session`'s user may read.
pub async fn visible_families(
    storage: &dyn Storage,
    session: &Session,
) -> Result<Vec<String>, ApiError> {
    let v = viewer(session);
    Ok(storage
        .visible_families(&v.user_id, v.leads_team.as_deref())
        .await?)
}
