//! Who may read and write a family: the one rule, asked by the server before it stores or sends
//! anything and by the app before it offers an edit, so a screen never offers what the server
//! would refuse.
//!
//! - familiepartner: reads and writes the families they are a partner of; registers the
//!   families they create (their first push names them);
//! - teamleder: reads every family of their team;
//! - kontaktperson (and a partner given read access): reads the families granted to them;
//! - admin: no family data by role alone, only what an explicit grant gives.
//!
//! Any grant lets its holder read (the pull sends a granted family to whoever holds the grant,
//! and its access log follows the same rule); only a familiepartner's partner grant writes,
//! with one exception ([`may_write`]): a kontaktperson who reads a family records the meetings
//! they hold with the partner (the 3-monthly evaluation and the monthly case evaluation), and
//! nothing else.

use serde::{Deserialize, Serialize};

use crate::account::Role;
use crate::record::Kind;

/// What a user may do with one family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    None,
    Read,
    Write,
}

impl Access {
    pub fn can_read(self) -> bool {
        self >= Access::Read
    }

    pub fn can_write(self) -> bool {
        self == Access::Write
    }
}

/// A per-family grant (`duken-server grant FAMILY USER --access partner|reader`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grant {
    Partner,
    Reader,
}

impl Grant {
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::Partner => "partner",
            Grant::Reader => "reader",
        }
    }

    pub fn parse(s: &str) -> Option<Grant> {
        match s {
            "partner" => Some(Grant::Partner),
            "reader" => Some(Grant::Reader),
            _ => None,
        }
    }
}

/// What `role` may do with a family, given the user's grant on it (if any) and whether the
/// family belongs to the user's own team.
pub fn family_access(role: Role, grant: Option<Grant>, same_team: bool) -> Access {
    match (role, grant) {
        (Role::Familiepartner, Some(Grant::Partner)) => Access::Write,
        (_, Some(_)) => Access::Read,
        (Role::Teamleder, None) if same_team => Access::Read,
        _ => Access::None,
    }
}

/// Whether `role`, with `access` to a family, may write a record of `kind` in it.
pub fn may_write(role: Role, access: Access, kind: Kind) -> bool {
    match access {
        Access::Write => true,
        Access::Read => {
            role == Role::Kontaktperson && matches!(kind, Kind::Evaluation | Kind::CaseReview)
        }
        Access::None => false,
    }
}

/// Whether `role` may create a family (its first push registers it with them as its partner).
pub fn may_register_family(role: Role) -> bool {
    role == Role::Familiepartner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix() {
        use Grant::*;
        let cases = [
            (Role::Familiepartner, Some(Partner), false, Access::Write),
            (Role::Familiepartner, Some(Reader), false, Access::Read),
            (Role::Familiepartner, None, true, Access::None),
            (Role::Teamleder, None, true, Access::Read),
            (Role::Teamleder, Some(Partner), false, Access::Read),
            (Role::Teamleder, Some(Reader), false, Access::Read),
            (Role::Teamleder, None, false, Access::None),
            (Role::Kontaktperson, Some(Reader), false, Access::Read),
            (Role::Kontaktperson, Some(Partner), true, Access::Read),
            (Role::Kontaktperson, None, true, Access::None),
            (Role::Admin, Some(Partner), true, Access::Read),
            (Role::Admin, Some(Reader), false, Access::Read),
            (Role::Admin, None, true, Access::None),
        ];
        for (role, grant, team, want) in cases {
            assert_eq!(
                family_access(role, grant, team),
                want,
                "{role:?} {grant:?} {team}"
            );
        }
        assert!(may_register_family(Role::Familiepartner));
        assert!(!may_register_family(Role::Teamleder));
        assert!(!may_register_family(Role::Kontaktperson));
        assert!(Access::Write.can_read() && !Access::Read.can_write());
    }

    #[test]
    fn a_contact_person_records_the_evaluations_and_nothing_else() {
        for kind in Kind::ALL {
            let theirs = matches!(kind, Kind::Evaluation | Kind::CaseReview);
            assert_eq!(
                may_write(Role::Kontaktperson, Access::Read, kind),
                theirs,
                "{kind:?}"
            );
            assert!(may_write(Role::Familiepartner, Access::Write, kind));
            for role in [Role::Teamleder, Role::Admin, Role::Familiepartner] {
                assert!(!may_write(role, Access::Read, kind), "{role:?} {kind:?}");
            }
            assert!(!may_write(Role::Kontaktperson, Access::None, kind));
        }
    }
}
