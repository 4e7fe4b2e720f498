//! Families: the list, the family page, and the form for a family and its members.

mod access_log;
mod crumbs;
mod form;
mod list;
mod page;
mod read_only;

pub use access_log::access_log_screen;
pub use crumbs::{FamilyCrumbs, Here};
pub use form::{edit_family_screen, new_family_screen};
pub use list::FamilyList;
pub use page::FamilyPage;
pub use read_only::FamilyAccess;

use duken_domain::family::{Family, Member};
use duken_domain::meeting::Meeting;
use leptos::prelude::With;
use uuid::Uuid;

use crate::core::Core;

/// Families on this device, by name.
pub fn families(core: Core) -> Vec<Family> {
    let mut out: Vec<Family> = core
        .records
        .with(|m| m.values().filter_map(Family::from_record).collect());
    sort_families(&mut out);
    out
}

/// By name, as a partner looks for them.
pub fn sort_families(families: &mut [Family]) {
    families.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
}

/// Members of one family: parents first, then children by age (oldest first), then others.
pub fn members_of(core: Core, family: Uuid) -> Vec<Member> {
    let mut out: Vec<Member> = core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family)
            .filter_map(Member::from_record)
            .collect()
    });
    sort_members(&mut out);
    out
}

/// Parents first, then children by age (oldest first), then others: the order everywhere.
pub fn sort_members(members: &mut [Member]) {
    members.sort_by_key(|m| {
        (
            m.role.code() != "parent",
            m.role.code() == "other",
            m.birth_year,
            m.id,
        )
    });
}

/// Meetings of one family, newest first.
pub fn meetings_of(core: Core, family: Uuid) -> Vec<Meeting> {
    let mut out: Vec<Meeting> = core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family)
            .filter_map(Meeting::from_record)
            .collect()
    });
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    out
}
