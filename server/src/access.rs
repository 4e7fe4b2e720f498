//! Who may read and write which family, as the server asks it: the rule itself is
//! [`duken_domain::access`] (the app asks the same one); this module finds the facts it needs
//! (the user's grant, the family's team) and turns a session into the filters storage uses.

use duken_domain::access::{family_access as rule, Access, Grant};
use duken_domain::account::Role;
use duken_domain::protocol::{FamiliesResponse, FamilyAccess};

use crate::accounts::now;
use crate::error::ApiError;
use crate::session::Session;
use crate::storage::{Pusher, Storage, Viewer};

/// What `session`'s user may do with `family` (an id as stored: text).
pub async fn family_access(
    storage: &dyn Storage,
    session: &Session,
    family: &str,
) -> Result<Access, ApiError> {
    let grant = storage
        .family_access(family, &session.user.id)
        .await?
        .as_deref()
        .and_then(Grant::parse);
    let team = storage.family_team(family).await?.flatten();
    let same_team = team.is_some() && team == session.user.team_id;
    Ok(rule(session.role, grant, same_team))
}

/// The pusher, for storage to decide access inside the push's transaction.
pub fn pusher(session: &Session) -> Pusher {
    Pusher {
        device: session.id,
        user_id: session.user.id.clone(),
        role: session.role,
        team_id: session.user.team_id.clone(),
        at: now(),
    }
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

/// The families `session`'s user may read, what they may do with each, and where each one's
/// history stood when their access began (`GET /families`).
pub async fn listing(
    storage: &dyn Storage,
    session: &Session,
) -> Result<FamiliesResponse, ApiError> {
    let v = viewer(session);
    let mut out = FamiliesResponse {
        families: Vec::new(),
        access: Vec::new(),
    };
    for row in storage.listing(&v).await? {
        let Ok(family) = uuid::Uuid::parse_str(&row.family_id) else {
            continue;
        };
        let grant = row.grant.as_deref().and_then(Grant::parse);
        let same_team = row.team_id.is_some() && row.team_id == session.user.team_id;
        let access = rule(session.role, grant, same_team);
        // The pull filter shows every granted family and the team's to its leader: the rule
        // gives each at least read. A grant the rule does not recognise still shows the family
        // in pulls, so say read-only rather than hide it.
        let access = access.max(Access::Read);
        // A team's family is visible to its leader from its first change: nothing to back-fill.
        let history = if v.leads_team.is_some() && same_team {
            0
        } else {
            row.history
        };
        out.families.push(family);
        out.access.push(FamilyAccess {
            family,
            access,
            history,
        });
    }
    Ok(out)
}
