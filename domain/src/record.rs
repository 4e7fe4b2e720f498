//! Records, changes and the per-field merge.
//!
//! A record's field is not one value but the *set of every write ever made to it*. Merging two
//! replicas is the union of those sets, so it is commutative, associative and idempotent: every
//! replica that has seen the same writes shows the same state, whatever order they arrived in,
//! however often. From the set we derive:
//! - the **current** value: the write with the highest [`Version`] (Lamport clock, then change
//!   id), the same on every replica;
//! - **history**: writes someone saw and replaced (a later write's `base`, or listed in its
//!   `resolves`);
//! - **conflicts**: writes that lost to a concurrent write nobody has looked at yet. They stay
//!   visible until a user resolves them with a write that lists them in `resolves`.
//!
//! Nothing is ever removed, so no edit is lost (the ODK/CouchDB lesson: pick a winner
//! deterministically, never drop the loser).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// The field every kind has: a tombstone. Deletion is a write like any other, so a concurrent
/// edit and delete are merged (and shown) like any other conflict.
pub const DELETED: &str = "deleted";

/// Version of the stored record format (IndexedDB values, server bodies).
pub const RECORD_FORMAT: u32 = 1;

/// What a record is. Serialised in lowercase on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A family followed by a partner: the unit of access and sync.
    Family,
    /// A person in the family's home (parent, child, other).
    Member,
    /// One logged meeting (møteskjema).
    Meeting,
    /// A conversation cloth (duk): one sitting with the family, laid out by a template.
    Cloth,
    /// One note on a cloth, in the words of whoever said it.
    Note,
    /// An agreement made on a cloth: what, who, by when.
    Agreement,
    /// A rating round (start, 3 and 6 months, end) in which every member rates.
    Round,
    /// One member's filled rating form in a round, or the partner's view of them.
    Rating,
    /// A work plan (arbeidsplan) for one 3-month period, made with the family.
    Plan,
    /// A short- or long-term goal in a work plan.
    Goal,
    /// A concrete task in a work plan, for the family or for the partner: what, who, by when.
    Task,
    /// Someone around the family: a person in its network or a service (school, NAV, …).
    Contact,
    /// A consent given at intake (samtykke) by one person, and its withdrawal.
    Consent,
    /// A booked home visit (the first three are booked at intake).
    Visit,
    /// The report before a 3-monthly evaluation (rapportmal): drafted from the records, the
    /// partner's sections, read with the family, then finalised (see [`crate::report`]).
    Report,
    /// The 3-monthly evaluation of the intervention plan with the contact person.
    Evaluation,
    /// A monthly case evaluation (saksevaluering) with the contact person.
    #[serde(rename = "case_review")]
    CaseReview,
    /// A concern raised with the contact person: for workers only.
    Concern,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::Family,
        Kind::Member,
        Kind::Meeting,
        Kind::Cloth,
        Kind::Note,
        Kind::Agreement,
        Kind::Round,
        Kind::Rating,
        Kind::Plan,
        Kind::Goal,
        Kind::Task,
        Kind::Contact,
        Kind::Consent,
        Kind::Visit,
        Kind::Report,
        Kind::Evaluation,
        Kind::CaseReview,
        Kind::Concern,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Family => "family",
            Kind::Member => "member",
            Kind::Meeting => "meeting",
            Kind::Cloth => "cloth",
            Kind::Note => "note",
            Kind::Agreement => "agreement",
            Kind::Round => "round",
            Kind::Rating => "rating",
            Kind::Plan => "plan",
            Kind::Goal => "goal",
            Kind::Task => "task",
            Kind::Contact => "contact",
            Kind::Consent => "consent",
            Kind::Visit => "visit",
            Kind::Report => "report",
            Kind::Evaluation => "evaluation",
            Kind::CaseReview => "case_review",
            Kind::Concern => "concern",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the family list on the start screen shows (name, children, phase), read before
    /// the rest when the device is unlocked so the list does not wait for every meeting and
    /// note (decision 65). Everything else on the start screen waits for the rest.
    pub fn on_front(self) -> bool {
        matches!(self, Kind::Family | Kind::Member | Kind::Evaluation)
    }

    /// The short everyday word for `count` things of this kind ("1 lapp", "4 skjema"), as the
    /// header counts what waits to be sent ([`crate::waiting`]).
    pub fn short_noun(self, count: usize) -> &'static str {
        let one = count == 1;
        match self {
            Kind::Family if one => "familie",
            Kind::Family => "familier",
            Kind::Member if one => "person",
            Kind::Member => "personer",
            Kind::Meeting if one => "møte",
            Kind::Meeting => "møter",
            Kind::Cloth if one => "duk",
            Kind::Cloth => "duker",
            Kind::Note if one => "lapp",
            Kind::Note => "lapper",
            Kind::Agreement if one => "avtale",
            Kind::Agreement => "avtaler",
            Kind::Round if one => "rangeringsrunde",
            Kind::Round => "rangeringsrunder",
            // "Skjema" is the same word in the plural, as people say it.
            Kind::Rating => "skjema",
            Kind::Plan if one => "arbeidsplan",
            Kind::Plan => "arbeidsplaner",
            Kind::Goal => "mål",
            Kind::Task if one => "oppgave",
            Kind::Task => "oppgaver",
            Kind::Contact if one => "kontakt i nettverket",
            Kind::Contact => "kontakter i nettverket",
            Kind::Consent if one => "samtykke",
            Kind::Consent => "samtykker",
            Kind::Visit => "avtalt besøk",
            Kind::Report if one => "rapport",
            Kind::Report => "rapporter",
            Kind::Evaluation if one => "evaluering",
            Kind::Evaluation => "evalueringer",
            Kind::CaseReview if one => "saksevaluering",
            Kind::CaseReview => "saksevalueringer",
            Kind::Concern if one => "bekymring",
            Kind::Concern => "bekymringer",
        }
    }

    /// What `count` records of this kind are called in a sentence ("2 møtelogger"), singular
    /// for one: the access log's lines and the app's counts of what would be lost.
    pub fn noun(self, count: i64) -> &'static str {
        let one = count == 1;
        match self {
            Kind::Family if one => "opplysning om familien",
            Kind::Family => "opplysninger om familien",
            Kind::Member if one => "opplysning om en person",
            Kind::Member => "opplysninger om personer",
            Kind::Meeting if one => "møtelogg",
            Kind::Meeting => "møtelogger",
            Kind::Cloth if one => "samtaleduk",
            Kind::Cloth => "samtaleduker",
            Kind::Note if one => "notat på en duk",
            Kind::Note => "notater på duker",
            Kind::Agreement if one => "avtale",
            Kind::Agreement => "avtaler",
            Kind::Round if one => "rangeringsrunde",
            Kind::Round => "rangeringsrunder",
            Kind::Rating if one => "rangeringsskjema",
            Kind::Rating => "rangeringsskjemaer",
            Kind::Plan if one => "arbeidsplan",
            Kind::Plan => "arbeidsplaner",
            Kind::Goal if one => "mål i en arbeidsplan",
            Kind::Goal => "mål i arbeidsplaner",
            Kind::Task if one => "oppgave i en arbeidsplan",
            Kind::Task => "oppgaver i arbeidsplaner",
            Kind::Contact if one => "person eller tjeneste rundt familien",
            Kind::Contact => "personer og tjenester rundt familien",
            Kind::Consent if one => "samtykke",
            Kind::Consent => "samtykker",
            Kind::Visit if one => "avtalt hjemmebesøk",
            Kind::Visit => "avtalte hjemmebesøk",
            Kind::Report if one => "rapport",
            Kind::Report => "rapporter",
            Kind::Evaluation if one => "evaluering av tiltaksplanen",
            Kind::Evaluation => "evalueringer av tiltaksplanen",
            Kind::CaseReview if one => "saksevaluering",
            Kind::CaseReview => "saksevalueringer",
            Kind::Concern if one => "bekymring meldt til kontaktpersonen",
            Kind::Concern => "bekymringer meldt til kontaktpersonen",
        }
    }
}

/// A total order on writes that every replica computes alike: Lamport clock first (so a write
/// made after seeing another always sorts after it), the change id to break ties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    pub clock: u64,
    pub change: Uuid,
}

/// One field set by a change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldWrite {
    pub field: String,
    pub value: Value,
    /// The version of this field the editor saw when they changed it (`None`: it had no value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Version>,
    /// Conflicting versions this write settles (a user resolved the conflict).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolves: Vec<Version>,
}

/// One edit of one record, made on a device: the unit of the outbox and of sync.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Made on the device (UUID v7); pushing the same change twice is harmless.
    pub id: Uuid,
    pub record: Uuid,
    pub kind: Kind,
    pub family: Uuid,
    /// The device's Lamport clock when it made the change.
    pub clock: u64,
    pub writes: Vec<FieldWrite>,
}

impl Change {
    pub fn version(&self) -> Version {
        Version {
            clock: self.clock,
            change: self.id,
        }
    }
}

/// One write as kept in a record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Write {
    pub version: Version,
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Version>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolves: Vec<Version>,
}

/// Every write made to one field, sorted by version, no duplicates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Field {
    writes: Vec<Write>,
}

impl Field {
    /// Adds a write; a write already present (same version) changes nothing.
    pub fn insert(&mut self, write: Write) {
        match self
            .writes
            .binary_search_by(|w| w.version.cmp(&write.version))
        {
            Ok(_) => {}
            Err(at) => self.writes.insert(at, write),
        }
    }

    pub fn writes(&self) -> &[Write] {
        &self.writes
    }

    /// The winning write: the highest version.
    pub fn current(&self) -> Option<&Write> {
        self.writes.last()
    }

    pub fn value(&self) -> Option<&Value> {
        self.current().map(|w| &w.value)
    }

    pub fn version(&self) -> Option<Version> {
        self.current().map(|w| w.version)
    }

    fn is_superseded(&self, version: Version) -> bool {
        self.writes
            .iter()
            .any(|w| w.base == Some(version) || w.resolves.contains(&version))
    }

    /// A write that is not current is settled when someone saw and replaced it, or when
    /// another write set the same value and that one is current or was seen and replaced (two
    /// devices agreeing is not a conflict, and stays not one after the value moves on).
    fn is_settled(&self, w: &Write, current: &Write) -> bool {
        self.is_superseded(w.version)
            || self.writes.iter().any(|o| {
                o.version != w.version
                    && o.value == w.value
                    && (o.version == current.version || self.is_superseded(o.version))
            })
    }

    /// Writes that lost to a concurrent write and that nobody has settled yet.
    pub fn conflicts(&self) -> Vec<&Write> {
        let Some(current) = self.current() else {
            return Vec::new();
        };
        self.writes
            .iter()
            .filter(|w| w.version != current.version && !self.is_settled(w, current))
            .collect()
    }

    /// Writes that were replaced or agreed with: the field's history, oldest first.
    pub fn history(&self) -> Vec<&Write> {
        let Some(current) = self.current() else {
            return Vec::new();
        };
        self.writes
            .iter()
            .filter(|w| w.version != current.version && self.is_settled(w, current))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("endringen gjelder en annen post ({0})")]
    WrongRecord(Uuid),
    #[error("posten {record} er av typen {expected:?}, ikke {got:?}")]
    KindMismatch {
        record: Uuid,
        expected: Kind,
        got: Kind,
    },
    #[error("posten {record} hører til en annen familie")]
    FamilyMismatch { record: Uuid },
}

/// A record: id, kind and family are fixed at creation; everything else is per-field writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Storage format version, so an old device's data can be read after an upgrade.
    #[serde(default = "format_version")]
    pub v: u32,
    pub id: Uuid,
    pub kind: Kind,
    pub family: Uuid,
    pub fields: BTreeMap<String, Field>,
}

fn format_version() -> u32 {
    RECORD_FORMAT
}

impl Record {
    pub fn new(id: Uuid, kind: Kind, family: Uuid) -> Self {
        Record {
            v: RECORD_FORMAT,
            id,
            kind,
            family,
            fields: BTreeMap::new(),
        }
    }

    /// A fresh record holding just this change.
    pub fn from_change(change: &Change) -> Self {
        let mut r = Record::new(change.record, change.kind, change.family);
        // Cannot fail: the ids come from the change itself.
        let _ = r.apply(change);
        r
    }

    fn check_identity(&self, id: Uuid, kind: Kind, family: Uuid) -> Result<(), MergeError> {
        if id != self.id {
            return Err(MergeError::WrongRecord(id));
        }
        if kind != self.kind {
            return Err(MergeError::KindMismatch {
                record: self.id,
                expected: self.kind,
                got: kind,
            });
        }
        if family != self.family {
            return Err(MergeError::FamilyMismatch { record: self.id });
        }
        Ok(())
    }

    /// Merges one change into this record. Idempotent and order-independent.
    pub fn apply(&mut self, change: &Change) -> Result<(), MergeError> {
        self.check_identity(change.record, change.kind, change.family)?;
        let version = change.version();
        for w in &change.writes {
            self.fields
                .entry(w.field.clone())
                .or_default()
                .insert(Write {
                    version,
                    value: w.value.clone(),
                    base: w.base,
                    resolves: w.resolves.clone(),
                });
        }
        Ok(())
    }

    /// The ids of every change that wrote to this record.
    pub fn change_ids(&self) -> std::collections::BTreeSet<Uuid> {
        self.fields
            .values()
            .flat_map(|f| f.writes().iter().map(|w| w.version.change))
            .collect()
    }

    /// Takes out every write of one change: a change the server refused for good, which the
    /// user chose to discard. Fields it alone had set disappear. Returns whether it was there.
    pub fn remove_change(&mut self, change: Uuid) -> bool {
        let mut found = false;
        for field in self.fields.values_mut() {
            let before = field.writes.len();
            field.writes.retain(|w| w.version.change != change);
            found |= field.writes.len() != before;
        }
        self.fields.retain(|_, f| !f.writes.is_empty());
        found
    }

    /// Merges another replica of the same record (union of writes).
    pub fn merge(&mut self, other: &Record) -> Result<(), MergeError> {
        self.check_identity(other.id, other.kind, other.family)?;
        for (name, field) in &other.fields {
            let mine = self.fields.entry(name.clone()).or_default();
            for w in field.writes() {
                mine.insert(w.clone());
            }
        }
        Ok(())
    }

    pub fn get(&self, field: &str) -> Option<&Value> {
        self.fields
            .get(field)
            .and_then(Field::value)
            .filter(|v| !v.is_null())
    }

    pub fn text(&self, field: &str) -> Option<&str> {
        self.get(field).and_then(Value::as_str)
    }

    pub fn int(&self, field: &str) -> Option<i64> {
        self.get(field).and_then(Value::as_i64)
    }

    /// A list of strings (missing or malformed entries are skipped).
    pub fn strings(&self, field: &str) -> Vec<String> {
        self.get(field)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A list of record ids.
    pub fn ids(&self, field: &str) -> Vec<Uuid> {
        self.strings(field)
            .iter()
            .filter_map(|s| Uuid::parse_str(s).ok())
            .collect()
    }

    /// One record id.
    pub fn id_of(&self, field: &str) -> Option<Uuid> {
        self.text(field).and_then(|s| Uuid::parse_str(s).ok())
    }

    /// A yes/no field; unset is no.
    pub fn flag(&self, field: &str) -> bool {
        self.get(field).and_then(Value::as_bool).unwrap_or(false)
    }

    pub fn version_of(&self, field: &str) -> Option<Version> {
        self.fields.get(field).and_then(Field::version)
    }

    pub fn is_deleted(&self) -> bool {
        self.get(DELETED).and_then(Value::as_bool).unwrap_or(false)
    }

    /// Names of fields that hold a visible conflict.
    pub fn conflicted_fields(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(_, f)| !f.conflicts().is_empty())
            .map(|(n, _)| n.as_str())
            .collect()
    }

    pub fn has_conflicts(&self) -> bool {
        self.fields.values().any(|f| !f.conflicts().is_empty())
    }

    /// The newest clock among this record's writes (to advance a device's Lamport clock).
    pub fn max_clock(&self) -> u64 {
        self.fields
            .values()
            .filter_map(|f| f.version())
            .map(|v| v.clock)
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(clock: u64, field: &str, value: Value, base: Option<Version>) -> Change {
        Change {
            id: Uuid::now_v7(),
            record: Uuid::from_u128(1),
            kind: Kind::Family,
            family: Uuid::from_u128(1),
            clock,
            writes: vec![FieldWrite {
                field: field.into(),
                value,
                base,
                resolves: vec![],
            }],
        }
    }

    #[test]
    fn a_discarded_change_leaves_no_write_behind() {
        let a = change(1, "name", json!("Hansen"), None);
        let mut b = change(2, "name", json!("Berg"), Some(a.version()));
        b.writes.push(FieldWrite {
            field: "note".into(),
            value: json!("bare i b"),
            base: None,
            resolves: vec![],
        });
        let mut r = Record::from_change(&a);
        r.apply(&b).unwrap();
        assert_eq!(r.change_ids(), [a.id, b.id].into_iter().collect());
        assert!(r.remove_change(b.id));
        assert_eq!(r, Record::from_change(&a));
        assert!(!r.remove_change(b.id));
    }

    #[test]
    fn sequential_edit_goes_to_history_not_conflict() {
        let a = change(1, "name", json!("Hansen"), None);
        let b = change(2, "name", json!("Hansen-Berg"), Some(a.version()));
        let mut r = Record::from_change(&a);
        r.apply(&b).unwrap();
        let f = &r.fields["name"];
        assert_eq!(f.value(), Some(&json!("Hansen-Berg")));
        assert!(f.conflicts().is_empty());
        assert_eq!(f.history().len(), 1);
    }

    #[test]
    fn concurrent_edits_keep_loser_as_conflict_until_resolved() {
        let a = change(1, "name", json!("Hansen"), None);
        let b = change(2, "name", json!("Berg"), Some(a.version()));
        let c = change(2, "name", json!("Lie"), Some(a.version()));
        let mut r1 = Record::from_change(&a);
        r1.apply(&b).unwrap();
        r1.apply(&c).unwrap();
        let mut r2 = Record::from_change(&c);
        r2.apply(&a).unwrap();
        r2.apply(&b).unwrap();
        assert_eq!(r1, r2);
        let f = &r1.fields["name"];
        assert_eq!(f.conflicts().len(), 1);
        let loser = f.conflicts()[0].version;
        let winner = f.version().unwrap();
        let mut fix = change(3, "name", json!("Berg Lie"), Some(winner));
        fix.writes[0].resolves = vec![loser];
        r1.apply(&fix).unwrap();
        assert!(!r1.has_conflicts());
        assert_eq!(r1.text("name"), Some("Berg Lie"));
    }

    #[test]
    fn devices_that_agree_do_not_conflict() {
        let a = change(1, "name", json!("Hansen"), None);
        let b = change(2, "name", json!("Berg"), Some(a.version()));
        let c = change(2, "name", json!("Berg"), Some(a.version()));
        let mut r = Record::from_change(&a);
        r.apply(&b).unwrap();
        r.apply(&c).unwrap();
        assert!(!r.has_conflicts(), "both set «Berg»");
        assert_eq!(r.fields["name"].history().len(), 2);
        // Someone replaces the agreed value having seen one of the two: still no conflict.
        let winner = r.fields["name"].version();
        r.apply(&change(3, "name", json!("Lie"), winner)).unwrap();
        assert!(!r.has_conflicts());
        assert_eq!(r.text("name"), Some("Lie"));
        assert_eq!(r.fields["name"].history().len(), 3);
    }

    #[test]
    fn other_family_is_refused() {
        let a = change(1, "name", json!("x"), None);
        let mut b = change(2, "name", json!("y"), None);
        b.family = Uuid::from_u128(2);
        let mut r = Record::from_change(&a);
        assert_eq!(
            r.apply(&b),
            Err(MergeError::FamilyMismatch { record: r.id })
        );
    }
}
