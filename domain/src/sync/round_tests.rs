//! [`round`] against the in-memory device, and a server kept in memory that answers as
//! `docs/sync-protocol.md` says (a batch stored whole or refused whole, idempotent by change
//! id, pages after a cursor with what remains). The server's own tests run the same round
//! against the real server.

use std::cell::{Cell, RefCell};

use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::access::Access;
use crate::local::{save, Edit};
use crate::memory::{block_on, Device, Screen};
use crate::protocol::FamilyAccess;
use crate::record::{FieldWrite, Kind};

#[derive(Default)]
struct Server {
    stored: RefCell<Vec<Change>>,
    families: Vec<Uuid>,
    /// Changes of this family are refused for good, with these words.
    refused_family: Option<(Uuid, String)>,
    /// Every batch is refused, naming no change (an older server).
    refuse_all: Option<String>,
    /// Pushes answered before the network goes.
    answers_left: Cell<Option<u32>>,
    /// The next push is stored, but its answer is lost on the way back.
    lose_next_answer: Cell<bool>,
}

impl Remote for Server {
    type Error = String;

    async fn pull(
        &self,
        since: Cursor,
        limit: u32,
        family: Option<Uuid>,
    ) -> Result<Pulled, String> {
        let stored = self.stored.borrow();
        let after: Vec<(usize, &Change)> = stored
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, c))
            .filter(|(seq, c)| *seq as i64 > since.seq && family.is_none_or(|f| c.family == f))
            .collect();
        let page: Vec<Change> = after
            .iter()
            .take(limit as usize)
            .map(|(_, c)| (*c).clone())
            .collect();
        let cursor = after
            .get(page.len().saturating_sub(1))
            .map_or(since.seq, |(seq, _)| *seq as i64);
        Ok(Pulled::Page(PullResponse {
            protocol: 1,
            remaining: (after.len() - page.len()) as u64,
            changes: page,
            cursor,
        }))
    }

    async fn families(&self) -> Result<FamiliesResponse, String> {
        Ok(FamiliesResponse {
            families: self.families.clone(),
            access: self
                .families
                .iter()
                .map(|f| FamilyAccess {
                    family: *f,
                    access: Access::Write,
                    history: 0,
                })
                .collect(),
        })
    }

    async fn push(&self, batch: &[Change]) -> Result<Pushed, String> {
        if let Some(n) = self.answers_left.get() {
            if n == 0 {
                return Err("ingen forbindelse".to_owned());
            }
            self.answers_left.set(Some(n - 1));
        }
        if let Some(message) = &self.refuse_all {
            return Ok(Pushed::Refused {
                message: message.clone(),
                changes: vec![],
            });
        }
        if let Some((family, why)) = &self.refused_family {
            let named: Vec<(Uuid, String)> = batch
                .iter()
                .filter(|c| c.family == *family)
                .map(|c| (c.id, why.clone()))
                .collect();
            if !named.is_empty() {
                return Ok(Pushed::Refused {
                    message: "endringer avvist".to_owned(),
                    changes: named,
                });
            }
        }
        let mut stored = self.stored.borrow_mut();
        for c in batch {
            if !stored.iter().any(|s| s.id == c.id) {
                stored.push(c.clone());
            }
        }
        if self.lose_next_answer.replace(false) {
            return Err("svaret kom aldri fram".to_owned());
        }
        Ok(Pushed::Acknowledged(batch.iter().map(|c| c.id).collect()))
    }
}

/// `n` meetings logged on `device` through `save`, as the app logs them.
fn log_meetings(device: &Device, family: Uuid, n: usize) -> Vec<Uuid> {
    let screen = Screen::default();
    (0..n)
        .map(|i| {
            let e = Edit {
                id: Uuid::now_v7(),
                record: Uuid::now_v7(),
                kind: Kind::Meeting,
                family,
                writes: vec![FieldWrite {
                    field: "note".to_owned(),
                    value: json!(format!("møte {i}")),
                    base: None,
                    resolves: vec![],
                }],
            };
            let id = e.id;
            block_on(save(device, &screen, e, Ok(()))).expect("saved");
            id
        })
        .collect()
}

fn ids(changes: &[Change]) -> Vec<Uuid> {
    changes.iter().map(|c| c.id).collect()
}

#[test]
fn a_round_sends_the_outbox_in_batches_and_brings_back_what_others_sent() {
    let family = Uuid::now_v7();
    let (tablet, phone) = (Device::default(), Device::default());
    let from_tablet = log_meetings(&tablet, family, 5);
    let server = Server {
        families: vec![family],
        ..Server::default()
    };
    block_on(round(&server, &tablet, || {}, |_, _| {})).expect("tablet syncs");

    let mine = log_meetings(&phone, family, 2 * MAX_PUSH_BATCH + 203);
    let (mut batches, mut last) = (0, (0, 0));
    let done = block_on(round(
        &server,
        &phone,
        || batches += 1,
        |d, t| last = (d, t),
    ))
    .expect("phone syncs");
    assert_eq!(batches, 3, "in batches of {MAX_PUSH_BATCH}");
    assert_eq!(done.pushed.sent, mine.len() as u64);
    assert!(phone.disk.borrow().outbox.is_empty());
    let on_server = ids(&server.stored.borrow());
    assert_eq!(on_server.len(), 5 + mine.len(), "each change once");
    assert_eq!(&on_server[5..], &mine[..], "in the order they were made");
    // The phone now holds the tablet's meetings too, and the progress reached its end.
    let disk = phone.disk.borrow();
    for id in &from_tablet {
        assert!(disk.records.values().any(|r| r.change_ids().contains(id)));
    }
    assert_eq!(last.0, last.1, "progress ends at its total");
    assert_eq!(done.pulled.changes, (5 + mine.len()) as u64);
}

#[test]
fn a_change_refused_for_good_is_held_and_the_rest_go() {
    let (ours, closed) = (Uuid::now_v7(), Uuid::now_v7());
    let device = Device::default();
    let good = log_meetings(&device, ours, 2);
    let bad = log_meetings(&device, closed, 1);
    let more = log_meetings(&device, ours, 1);
    let server = Server {
        families: vec![ours],
        refused_family: Some((closed, "du har ikke tilgang".to_owned())),
        ..Server::default()
    };
    let done = block_on(round(&server, &device, || {}, |_, _| {})).expect("syncs");
    assert_eq!(done.pushed.held, 1);
    assert_eq!(done.pushed.refused, None);
    let disk = device.disk.borrow();
    assert!(disk.outbox.is_empty());
    assert_eq!(
        ids(&disk.held.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>()),
        bad
    );
    assert_eq!(disk.held[0].1, "du har ikke tilgang");
    let sent: Vec<Uuid> = good.into_iter().chain(more).collect();
    assert_eq!(ids(&server.stored.borrow()), sent, "the rest, in order");
}

#[test]
fn a_refusal_naming_nothing_keeps_the_outbox_and_still_pulls() {
    let family = Uuid::now_v7();
    let (other, device) = (Device::default(), Device::default());
    let theirs = log_meetings(&other, family, 3);
    let server = Server {
        families: vec![family],
        ..Server::default()
    };
    block_on(round(&server, &other, || {}, |_, _| {})).expect("the other device syncs");
    let older = Server {
        stored: RefCell::new(server.stored.borrow().clone()),
        families: vec![family],
        refuse_all: Some("serveren avviste forespørselen (413)".to_owned()),
        ..Server::default()
    };
    let mine = log_meetings(&device, family, 2);
    let done = block_on(round(&older, &device, || {}, |_, _| {})).expect("a round");
    assert_eq!(
        done.pushed.refused.as_deref(),
        Some("serveren avviste forespørselen (413)")
    );
    assert_eq!(
        ids(&device.disk.borrow().outbox),
        mine,
        "the outbox stays as it was"
    );
    assert_eq!(
        done.pulled.changes,
        theirs.len() as u64,
        "and everyone else's came"
    );
}

#[test]
fn a_lost_network_or_a_lost_answer_loses_nothing_and_stores_nothing_twice() {
    let family = Uuid::now_v7();
    let device = Device::default();
    let mine = log_meetings(&device, family, MAX_PUSH_BATCH + 100);
    let server = Server {
        families: vec![family],
        answers_left: Cell::new(Some(1)),
        ..Server::default()
    };
    // The network goes after the first batch: the round fails, the second batch waits.
    assert!(block_on(round(&server, &device, || {}, |_, _| {})).is_err());
    assert_eq!(device.disk.borrow().outbox.len(), 100);
    // Back, but the next answer is lost after the server stored the batch (a kill between
    // commit and answer): the device sends it again and the server keeps it once.
    server.answers_left.set(None);
    server.lose_next_answer.set(true);
    assert!(block_on(round(&server, &device, || {}, |_, _| {})).is_err());
    assert_eq!(
        device.disk.borrow().outbox.len(),
        100,
        "unanswered, so still waiting"
    );
    let done = block_on(round(&server, &device, || {}, |_, _| {})).expect("syncs");
    assert_eq!(done.pushed.sent, 100);
    assert!(device.disk.borrow().outbox.is_empty());
    assert_eq!(
        ids(&server.stored.borrow()),
        mine,
        "every change once, in order"
    );
}

#[test]
fn a_page_that_cannot_be_stored_is_pulled_again_and_nothing_after_it_is_kept() {
    // Another device's 2,500 changes: three pages, the next asked for while one is stored.
    let family = Uuid::now_v7();
    let other = Device::default();
    log_meetings(&other, family, 2_500);
    let server = Server {
        families: vec![family],
        ..Server::default()
    };
    server
        .stored
        .borrow_mut()
        .extend(other.disk.borrow().outbox.iter().cloned());
    let device = Device::default();
    device.pages_until_full.set(Some(1));
    let mut seen = Vec::new();
    assert!(block_on(round(
        &server,
        &device,
        || {},
        |done, total| seen.push((done, total))
    ))
    .is_err());
    // The first page and its cursor are kept; the second failed whole, and the third, already
    // fetched, was never stored without it.
    assert_eq!(device.disk.borrow().records.len(), MAX_PULL_PAGE as usize);
    assert_eq!(device.disk.borrow().cursor.seq, i64::from(MAX_PULL_PAGE));
    assert_eq!(seen, vec![(1_000, 2_500)]);

    device.pages_until_full.set(None);
    seen.clear();
    block_on(round(
        &server,
        &device,
        || {},
        |done, total| seen.push((done, total)),
    ))
    .expect("syncs");
    assert_eq!(device.disk.borrow().records.len(), 2_500);
    assert_eq!(device.disk.borrow().cursor.seq, 2_500);
    assert_eq!(
        seen,
        vec![(1_000, 1_500), (1_500, 1_500)],
        "the bar reaches its end exactly"
    );
}
