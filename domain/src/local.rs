//! Saving an edit on the device: the steps of the app's `save`, written once over two small
//! traits so they run the same against IndexedDB in the browser and against memory in a unit
//! test. The device's store ([`LocalStore`]) gives the edit its clock and commits it (record
//! and outbox entry in one transaction); what the screens show ([`Shown`]) takes it first, so
//! the edit is on screen in the frame it was made, and is put back to what the disk holds if
//! the commit fails. The network is never waited for: the sync loop pushes the outbox later.

use uuid::Uuid;

use crate::record::{Change, FieldWrite, Kind, MergeError, Record};
use crate::schema::{validate_change, ValidationError};

/// A local edit to commit; the store assigns its clock ([`LocalStore::stamp`]).
#[derive(Debug, Clone)]
pub struct Edit {
    pub id: Uuid,
    pub record: Uuid,
    pub kind: Kind,
    pub family: Uuid,
    pub writes: Vec<FieldWrite>,
}

/// The device's store, as saving sees it.
// Futures are not Send in the browser (IndexedDB); see `sync::Remote`.
#[allow(async_fn_in_trait)]
pub trait LocalStore {
    type Error;
    /// Gives an edit its clock: above every version this device has made or seen, and above
    /// every version of `seen` (the record as the editor saw it).
    fn stamp(&self, edit: Edit, seen: Option<&Record>) -> Change;
    /// Stores a stamped change: the merged record and its outbox entry in one transaction, or
    /// neither. Returns the record as now stored.
    async fn commit_change(&self, change: &Change) -> Result<Record, Self::Error>;
    /// The record as stored, if it is.
    async fn record(&self, id: Uuid) -> Result<Option<Record>, Self::Error>;
}

/// `edit` as a change with its clock: one above `last` (the highest this device has handed out
/// or seen) and above every version of `seen`, so the edit wins over what it replaces on every
/// replica. The one rule for [`LocalStore::stamp`]s.
pub fn stamped(last: u64, edit: Edit, seen: Option<&Record>) -> Change {
    let clock = last.max(seen.map_or(0, Record::max_clock)) + 1;
    Change {
        id: edit.id,
        record: edit.record,
        kind: edit.kind,
        family: edit.family,
        clock,
        writes: edit.writes,
    }
}

/// What the screens show: the in-memory copy of the records.
pub trait Shown {
    fn record(&self, id: Uuid) -> Option<Record>;
    /// Merges records in (a union of writes).
    fn absorb(&self, records: Vec<Record>);
    /// Puts one record back to a known state (`None`: not on this device).
    fn replace(&self, id: Uuid, record: Option<Record>);
}

/// Why the user may not make this edit: the server's access rule ([`crate::access`]), asked
/// by the caller, which knows the user and the listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// The user reads this family and may not change this.
    ReadOnly,
    /// The user's access to the family was taken away.
    NoAccess,
}

/// Why an edit was not saved. The messages are shown to the user as they are.
#[derive(Debug, thiserror::Error)]
pub enum SaveError<E: std::fmt::Display> {
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("Du har lesetilgang til denne familien og kan ikke endre den.")]
    ReadOnly,
    #[error("Du har ikke lenger tilgang til denne familien, så endringen kan ikke lagres.")]
    NoAccess,
    #[error("{0}")]
    Merge(#[from] MergeError),
    #[error("{0}")]
    Store(E),
}

/// Checks writes against the domain's rules (the same the server applies to a push).
pub fn check(
    record: Uuid,
    kind: Kind,
    family: Uuid,
    writes: &[FieldWrite],
) -> Result<(), ValidationError> {
    if writes.is_empty() {
        return Ok(());
    }
    validate_change(&Change {
        id: Uuid::nil(),
        record,
        kind,
        family,
        clock: 0,
        writes: writes.to_vec(),
    })
}

/// Saves one edit. Returns once it is on disk, with the record as stored (`None`: nothing to
/// write). In order: the same checks as the server (a bad value, or an edit the server would
/// refuse for want of access, is refused here with the same words); the clock; the screens;
/// the disk. If the disk refuses, the screens are put back to what the disk holds.
pub async fn save<S, M>(
    store: &S,
    shown: &M,
    edit: Edit,
    allowed: Result<(), Denied>,
) -> Result<Option<Record>, SaveError<S::Error>>
where
    S: LocalStore,
    S::Error: std::fmt::Display,
    M: Shown,
{
    if edit.writes.is_empty() {
        return Ok(None);
    }
    check(edit.record, edit.kind, edit.family, &edit.writes)?;
    allowed.map_err(|d| match d {
        Denied::ReadOnly => SaveError::ReadOnly,
        Denied::NoAccess => SaveError::NoAccess,
    })?;
    let (id, kind, family) = (edit.record, edit.kind, edit.family);
    let seen = shown.record(id);
    let change = store.stamp(edit, seen.as_ref());
    let mut on_screen = seen.unwrap_or_else(|| Record::new(id, kind, family));
    on_screen.apply(&change)?;
    shown.absorb(vec![on_screen]);
    match store.commit_change(&change).await {
        Ok(stored) => {
            shown.absorb(vec![stored.clone()]);
            Ok(Some(stored))
        }
        Err(e) => {
            shown.replace(id, store.record(id).await.ok().flatten());
            Err(SaveError::Store(e))
        }
    }
}

#[cfg(test)]
mod tests;
