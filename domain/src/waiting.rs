//! What is waiting to be sent, in the user's words: "4 skjema, 1 duk og 1 møte venter", not
//! "80 venter". The outbox holds changes (one per save, many per cloth); a person counts the
//! things they made, so a note or an agreement counts as its cloth, a goal or a task as its
//! plan, and a person in the home as the family.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use crate::record::Kind;

/// One change waiting: its record's kind and id, its family, and the record it belongs to
/// (a note's cloth, a goal's plan), when known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub kind: Kind,
    pub record: Uuid,
    pub family: Uuid,
    pub parent: Option<Uuid>,
}

/// The field that names the record a record of `kind` belongs to, for counting: a note's or
/// an agreement's cloth, a goal's or a task's plan.
pub fn parent_field(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Note | Kind::Agreement => Some("cloth"),
        Kind::Goal | Kind::Task => Some("plan"),
        _ => None,
    }
}

/// The thing a user counts a change under.
fn counted_as(w: &Waiting) -> (Kind, Uuid) {
    match (w.kind, w.parent) {
        (Kind::Note | Kind::Agreement, Some(cloth)) => (Kind::Cloth, cloth),
        (Kind::Goal | Kind::Task, Some(plan)) => (Kind::Plan, plan),
        (Kind::Member, _) => (Kind::Family, w.family),
        (kind, _) => (kind, w.record),
    }
}

/// How many things of each kind wait, in the order of [`Kind::ALL`].
pub fn count(waiting: &[Waiting]) -> Vec<(Kind, usize)> {
    let mut things: BTreeMap<usize, (Kind, BTreeSet<Uuid>)> = BTreeMap::new();
    for w in waiting {
        let (kind, id) = counted_as(w);
        let order = Kind::ALL
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(usize::MAX);
        things
            .entry(order)
            .or_insert_with(|| (kind, BTreeSet::new()))
            .1
            .insert(id);
    }
    things
        .into_values()
        .map(|(kind, ids)| (kind, ids.len()))
        .collect()
}

/// "4 skjema, 1 duk og 1 møte", or `None` when nothing waits.
pub fn words(waiting: &[Waiting]) -> Option<String> {
    let parts: Vec<String> = count(waiting)
        .into_iter()
        .map(|(kind, n)| format!("{n} {}", kind.short_noun(n)))
        .collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} og {last}", rest.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(kind: Kind, record: Uuid, family: Uuid, parent: Option<Uuid>) -> Waiting {
        Waiting {
            kind,
            record,
            family,
            parent,
        }
    }

    #[test]
    fn changes_are_counted_as_the_things_a_user_made() {
        let family = Uuid::now_v7();
        let cloth = Uuid::now_v7();
        let meeting = Uuid::now_v7();
        let mut all = vec![w(Kind::Cloth, cloth, family, None)];
        // 40 notes moved about on one cloth, some twice, and an agreement on it.
        for _ in 0..40 {
            let note = Uuid::now_v7();
            all.push(w(Kind::Note, note, family, Some(cloth)));
            all.push(w(Kind::Note, note, family, Some(cloth)));
        }
        all.push(w(Kind::Agreement, Uuid::now_v7(), family, Some(cloth)));
        // Four rating forms, one saved three times; one meeting saved twice.
        let forms: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        for f in &forms {
            all.push(w(Kind::Rating, *f, family, None));
        }
        all.push(w(Kind::Rating, forms[0], family, None));
        all.push(w(Kind::Rating, forms[0], family, None));
        all.push(w(Kind::Meeting, meeting, family, None));
        all.push(w(Kind::Meeting, meeting, family, None));
        assert_eq!(all.len(), 90);
        assert_eq!(words(&all).as_deref(), Some("1 møte, 1 duk og 4 skjema"));
        assert_eq!(words(&[]), None);
        // A new family with its people is one family; two meetings are plural.
        let fam = vec![
            w(Kind::Family, family, family, None),
            w(Kind::Member, Uuid::now_v7(), family, None),
            w(Kind::Member, Uuid::now_v7(), family, None),
            w(Kind::Meeting, Uuid::now_v7(), family, None),
            w(Kind::Meeting, Uuid::now_v7(), family, None),
        ];
        assert_eq!(words(&fam).as_deref(), Some("1 familie og 2 møter"));
        // A note whose cloth is not known counts as a note, not lost.
        let lone = [w(Kind::Note, Uuid::now_v7(), family, None)];
        assert_eq!(words(&lone).as_deref(), Some("1 lapp"));
    }

    #[test]
    fn every_kind_has_a_singular_and_a_plural() {
        for kind in Kind::ALL {
            assert!(!kind.short_noun(1).is_empty(), "{kind:?}");
            assert!(!kind.short_noun(2).is_empty(), "{kind:?}");
        }
        assert_eq!(Kind::Note.short_noun(1), "lapp");
        assert_eq!(Kind::Note.short_noun(2), "lapper");
    }
}
