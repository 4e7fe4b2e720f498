//! How a device syncs: one [`round`] of `docs/sync-protocol.md` (push the outbox, then pull),
//! written once over small traits so the app (IndexedDB, the browser's fetch), its unit tests
//! (memory) and the server's tests (memory, reqwest against the real server) run the same steps.
//! The app's loop decides only *when* a round runs (after edits, on a timer, when online).
//!
//! 0. Push the outbox, oldest first, in batches ([`push`]). An entry leaves the outbox only once
//!    the server acknowledged it. A change the server refuses for good is set aside with the
//!    server's reason ([`Outbox::hold`]), so it neither blocks the changes behind it nor
//!    vanishes. A refusal that names none of the changes sent (an older server) leaves the
//!    outbox as it is, but must not stop the device from receiving everyone else's changes:
//!    the round pulls anyway and reports it.
//! 1. Pull pages after the device's cursor until none remain. Each page is applied together
//!    with its cursor, and the cursor names the change it stands on, so a server restored from
//!    a backup (whose history no longer has that change at that place) answers
//!    [`Pulled::Reset`]: the device then pulls everything again from 0. Merging is a union,
//!    so pulling a change twice is harmless; the outbox is not touched.
//! 2. Ask which families the user may read ([`FamiliesResponse`]). A family whose access
//!    began after the cursor had passed its older changes is back-filled from the start: for
//!    each family with `history > 0` the device keeps the `history` value it back-filled for
//!    ([`Coverage`]); a new grant, or a grant renewed after changes the device could not see,
//!    gives a new value and a new back-fill. Families no longer listed are forgotten, so a
//!    later grant back-fills again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::protocol::{FamiliesResponse, PullResponse, MAX_PULL_PAGE, MAX_PUSH_BATCH};
use crate::record::Change;

/// Where the device's cursor stands: the server's sequence number and the change it belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub seq: i64,
    /// The change at `seq` (`None` at 0), sent as `after` so the server can tell a cursor from
    /// another history.
    pub at: Option<Uuid>,
}

impl Cursor {
    /// The cursor after a page: the page's cursor, standing on its last change.
    pub fn after(&self, page: &PullResponse) -> Cursor {
        match page.changes.last() {
            Some(last) => Cursor {
                seq: page.cursor,
                at: Some(last.id),
            },
            None => *self,
        }
    }
}

/// The families whose history before the user's access this device has fetched, with the
/// `history` value it fetched it for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub backfilled: BTreeMap<Uuid, i64>,
}

impl Coverage {
    /// The families to back-fill now (with their `history`), and forgets those no longer
    /// listed. A family with `history == 0` had nothing stored before the user's access began:
    /// the cursor brings all of it.
    pub fn plan(&mut self, listed: &FamiliesResponse) -> Vec<(Uuid, i64)> {
        self.backfilled.retain(|f, _| listed.families.contains(f));
        let mut todo: Vec<(Uuid, i64)> = listed
            .access
            .iter()
            .filter(|a| a.history > 0 && self.backfilled.get(&a.family) != Some(&a.history))
            .map(|a| (a.family, a.history))
            .collect();
        // An older server lists families without marks: back-fill those the device has never
        // back-filled (the rule before marks existed, minus its hole: see the protocol doc).
        for f in &listed.families {
            if !listed.access.iter().any(|a| a.family == *f) && !self.backfilled.contains_key(f) {
                todo.push((*f, i64::MAX));
            }
        }
        todo
    }
}

/// One answer to a pull.
#[derive(Clone, Debug)]
pub enum Pulled {
    Page(PullResponse),
    /// The cursor is not in the server's history: start again from 0.
    Reset,
}

/// The server, as the device sees it.
// Futures are not Send in the browser (IndexedDB, fetch): the app runs on one thread, and the
// tests' implementation lives on one task, so no Send bound is promised or needed.
#[allow(async_fn_in_trait)]
pub trait Remote {
    type Error;
    /// `GET /pull?since=…&after=…&limit=…` (with `family`: only that family, from `since`;
    /// `after` is not sent then, the cursor not kept).
    async fn pull(
        &self,
        since: Cursor,
        limit: u32,
        family: Option<Uuid>,
    ) -> Result<Pulled, Self::Error>;
    /// `GET /families`.
    async fn families(&self) -> Result<FamiliesResponse, Self::Error>;
    /// `POST /push` of one batch.
    async fn push(&self, batch: &[Change]) -> Result<Pushed, Self::Error>;
}

/// The server's answer to a pushed batch.
#[derive(Clone, Debug, PartialEq)]
pub enum Pushed {
    /// Stored (now or before): these may leave the outbox.
    Acknowledged(Vec<Uuid>),
    /// Refused as a whole; `changes` names the ones refused for good, with the server's words
    /// (empty: it named none, as an older server or a 413 does).
    Refused {
        message: String,
        changes: Vec<(Uuid, String)>,
    },
}

/// The device's changes waiting to be pushed.
#[allow(async_fn_in_trait)]
pub trait Outbox {
    type Error;
    /// The oldest `limit` changes waiting.
    async fn waiting(&self, limit: u32) -> Result<Vec<Change>, Self::Error>;
    /// Drops acknowledged changes (only ever after the server said so).
    async fn acknowledge(&self, ids: &[Uuid]) -> Result<(), Self::Error>;
    /// Sets refused changes aside with the server's reason; returns how many it found waiting.
    async fn hold(&self, refused: &[(Uuid, String)]) -> Result<u32, Self::Error>;
}

/// What a push did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pushing {
    /// Changes acknowledged.
    pub sent: u64,
    /// Changes set aside as refused for good.
    pub held: u32,
    /// A refusal that named none of the changes: the outbox stays, the message is reported.
    pub refused: Option<String>,
}

/// Pushes `outbox` to `remote` until it is empty (or refused); `after_batch` runs after each
/// answered batch (the header's count).
pub async fn push<R, O, E>(
    remote: &R,
    outbox: &O,
    mut after_batch: impl FnMut(),
) -> Result<Pushing, E>
where
    R: Remote<Error = E>,
    O: Outbox<Error = E>,
{
    let mut report = Pushing::default();
    loop {
        let batch = outbox.waiting(MAX_PUSH_BATCH as u32).await?;
        if batch.is_empty() {
            break;
        }
        match remote.push(&batch).await? {
            Pushed::Acknowledged(ids) => {
                outbox.acknowledge(&ids).await?;
                report.sent += ids.len() as u64;
                after_batch();
                // Nothing acknowledged of a batch the server answered: do not loop on it.
                if ids.is_empty() {
                    break;
                }
            }
            Pushed::Refused { message, changes } => {
                let held = if changes.is_empty() {
                    0
                } else {
                    outbox.hold(&changes).await?
                };
                if held == 0 {
                    // It named nothing we sent: do not loop on it.
                    report.refused = Some(message);
                    break;
                }
                report.held += held;
                after_batch();
            }
        }
    }
    Ok(report)
}

/// What one sync round did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Synced {
    pub pushed: Pushing,
    pub pulled: Pulling,
}

/// One sync round: [`push`], then [`pull`] (also after a refusal that named no change).
pub async fn round<R, D, E>(
    remote: &R,
    device: &D,
    after_batch: impl FnMut(),
    progress: impl FnMut(u64, u64),
) -> Result<Synced, E>
where
    R: Remote<Error = E>,
    D: Outbox<Error = E> + Replica<Error = E>,
{
    let pushed = push(remote, device, after_batch).await?;
    let pulled = pull(remote, device, progress).await?;
    Ok(Synced { pushed, pulled })
}

/// The device's copy.
#[allow(async_fn_in_trait)]
pub trait Replica {
    type Error;
    /// Where the cursor stands, and what has been back-filled.
    async fn position(&self) -> Result<(Cursor, Coverage), Self::Error>;
    /// Merges `changes` into the records and, with `cursor`, moves the cursor in the same
    /// transaction (a back-filled family's pages leave it where it is).
    async fn apply(&self, changes: &[Change], cursor: Option<Cursor>) -> Result<(), Self::Error>;
    /// Keeps the coverage (after each back-filled family, so a broken sync resumes there).
    async fn set_coverage(&self, coverage: &Coverage) -> Result<(), Self::Error>;
    /// The server's history is not the one the cursor came from: the cursor goes back to 0
    /// and the coverage is emptied. Records and the outbox stay.
    async fn reset(&self) -> Result<(), Self::Error>;
}

/// What a pull round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pulling {
    /// Changes received through the cursor.
    pub changes: u64,
    /// Families whose history was fetched from the start.
    pub backfilled: Vec<Uuid>,
    /// The server's history was not the cursor's: everything was pulled again.
    pub reset: bool,
    /// The families the user may read, as the server listed them this round.
    pub listed: Option<FamiliesResponse>,
}

/// Brings `replica` up to date with `remote`; `progress(done, total)` after every page.
pub async fn pull<R, L, E>(
    remote: &R,
    replica: &L,
    mut progress: impl FnMut(u64, u64),
) -> Result<Pulling, E>
where
    R: Remote<Error = E>,
    L: Replica<Error = E>,
{
    let mut report = Pulling::default();
    let (mut cursor, mut coverage) = replica.position().await?;
    let mut done: u64 = 0;
    let mut pulled = remote.pull(cursor, MAX_PULL_PAGE, None).await?;
    loop {
        let page = match pulled {
            Pulled::Page(page) => page,
            Pulled::Reset if !report.reset && cursor.seq > 0 => {
                // Once per round: a server that answers Reset to cursor 0 is broken, and
                // looping on it would only hide that.
                replica.reset().await?;
                report.reset = true;
                cursor = Cursor::default();
                coverage = Coverage::default();
                pulled = remote.pull(cursor, MAX_PULL_PAGE, None).await?;
                continue;
            }
            Pulled::Reset => break,
        };
        let next = cursor.after(&page);
        let n = page.changes.len() as u64;
        let last = page.remaining == 0 || n == 0;
        if last {
            replica.apply(&page.changes, Some(next)).await?;
            done += n;
            progress(done, done + page.remaining);
            break;
        }
        {
            // The next page is asked for while this one is stored: the server and the network
            // work while IndexedDB does (a first sync is a row of pages). A page that fails to
            // store returns before the next is used; the cursor stays where it was.
            let (applied, fetched) = both(
                replica.apply(&page.changes, Some(next)),
                remote.pull(next, MAX_PULL_PAGE, None),
            )
            .await;
            applied?;
            pulled = fetched?;
        }
        cursor = next;
        done += n;
        progress(done, done + page.remaining);
    }
    report.changes = done;

    let listed = remote.families().await?;
    let before = coverage.clone();
    let todo = coverage.plan(&listed);
    // Written only when it changed: every round (every 20 s) would otherwise cost a durable
    // write for nothing.
    if coverage != before {
        replica.set_coverage(&coverage).await?;
    }
    for (family, history) in todo {
        let mut since = Cursor::default();
        loop {
            let page = match remote.pull(since, MAX_PULL_PAGE, Some(family)).await? {
                Pulled::Page(page) => page,
                Pulled::Reset => break,
            };
            replica.apply(&page.changes, None).await?;
            since = since.after(&page);
            if page.remaining == 0 || page.changes.is_empty() {
                break;
            }
        }
        coverage.backfilled.insert(family, history);
        replica.set_coverage(&coverage).await?;
        report.backfilled.push(family);
    }
    report.listed = Some(listed);
    Ok(report)
}

/// Runs two futures at once, polling each in turn (no executor of its own, so the same in the
/// browser and on the server).
async fn both<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> (A::Output, B::Output) {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    let (mut done_a, mut done_b) = (None, None);
    std::future::poll_fn(|cx| {
        if done_a.is_none() {
            if let std::task::Poll::Ready(v) = a.as_mut().poll(cx) {
                done_a = Some(v);
            }
        }
        if done_b.is_none() {
            if let std::task::Poll::Ready(v) = b.as_mut().poll(cx) {
                done_b = Some(v);
            }
        }
        match (done_a.take(), done_b.take()) {
            (Some(x), Some(y)) => std::task::Poll::Ready((x, y)),
            (x, y) => {
                (done_a, done_b) = (x, y);
                std::task::Poll::Pending
            }
        }
    })
    .await
}

#[cfg(test)]
mod round_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Access;
    use crate::protocol::FamilyAccess;

    fn listing(entries: &[(Uuid, i64)]) -> FamiliesResponse {
        FamiliesResponse {
            families: entries.iter().map(|(f, _)| *f).collect(),
            access: entries
                .iter()
                .map(|(f, h)| FamilyAccess {
                    family: *f,
                    access: Access::Read,
                    history: *h,
                })
                .collect(),
        }
    }

    #[test]
    fn back_fills_a_grant_once_and_again_after_a_renewed_grant() {
        let (own, granted) = (Uuid::now_v7(), Uuid::now_v7());
        let mut c = Coverage::default();
        // Registered by the user: nothing before their access, nothing to back-fill.
        assert!(c.plan(&listing(&[(own, 0)])).is_empty());
        // Granted while the device was in use, with history up to cursor 40.
        assert_eq!(
            c.plan(&listing(&[(own, 0), (granted, 40)])),
            vec![(granted, 40)]
        );
        c.backfilled.insert(granted, 40);
        assert!(c.plan(&listing(&[(own, 0), (granted, 40)])).is_empty());
        // Revoked (no longer listed): forgotten.
        assert!(c.plan(&listing(&[(own, 0)])).is_empty());
        assert!(c.backfilled.is_empty());
        // Granted again: back-filled again.
        assert_eq!(c.plan(&listing(&[(granted, 40)])), vec![(granted, 40)]);
        // Renewed between two syncs after changes the device could not see: a new value.
        c.backfilled.insert(granted, 40);
        assert_eq!(c.plan(&listing(&[(granted, 75)])), vec![(granted, 75)]);
    }

    #[test]
    fn an_older_server_without_marks_back_fills_each_family_once() {
        let f = Uuid::now_v7();
        let mut c = Coverage::default();
        let old = FamiliesResponse {
            families: vec![f],
            access: vec![],
        };
        assert_eq!(c.plan(&old), vec![(f, i64::MAX)]);
        c.backfilled.insert(f, i64::MAX);
        assert!(c.plan(&old).is_empty());
    }

    #[test]
    fn a_cursor_stands_on_its_last_change() {
        let start = Cursor::default();
        let change = crate::record::Change {
            id: Uuid::now_v7(),
            record: Uuid::now_v7(),
            kind: crate::record::Kind::Family,
            family: Uuid::now_v7(),
            clock: 1,
            writes: vec![],
        };
        let page = PullResponse {
            protocol: 1,
            changes: vec![change.clone()],
            cursor: 17,
            remaining: 0,
        };
        assert_eq!(
            start.after(&page),
            Cursor {
                seq: 17,
                at: Some(change.id)
            }
        );
        let empty = PullResponse {
            changes: vec![],
            cursor: 17,
            ..page
        };
        assert_eq!(start.after(&empty), start);
    }
}
