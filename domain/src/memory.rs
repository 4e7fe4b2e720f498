//! In-memory stand-ins for unit tests of [`crate::local::save`] and [`crate::sync::round`]: a
//! device (the store's traits over maps, with a disk that can be made to fail) and the screens'
//! copy. The server's own tests run the same code against the real server over HTTP.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use uuid::Uuid;

use crate::local::{stamped, Edit, LocalStore, Shown};
use crate::record::{Change, Record};
use crate::sync::{Coverage, Cursor, Outbox, Replica};

/// Runs a future whose steps never wait (everything here is memory) to its end.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[derive(Default)]
pub struct Disk {
    pub records: BTreeMap<Uuid, Record>,
    pub outbox: Vec<Change>,
    pub held: Vec<(Change, String)>,
    pub clock: u64,
    pub cursor: Cursor,
    pub coverage: Coverage,
}

/// A device's store in memory.
#[derive(Default)]
pub struct Device {
    pub disk: RefCell<Disk>,
    /// The clock this "tab" has handed out (the store keeps it in memory too).
    clock: Cell<u64>,
    /// The next commits fail (a full disk, a closed database).
    pub failing: Cell<bool>,
    /// Pulled pages stored before the disk is full: the next one fails whole.
    pub pages_until_full: Cell<Option<u32>>,
}

impl LocalStore for Device {
    type Error = String;

    fn stamp(&self, edit: Edit, seen: Option<&Record>) -> Change {
        let change = stamped(self.clock.get(), edit, seen);
        self.clock.set(change.clock);
        change
    }

    async fn commit_change(&self, change: &Change) -> Result<Record, String> {
        if self.failing.get() {
            return Err("lagringen på enheten er full".to_owned());
        }
        let mut disk = self.disk.borrow_mut();
        let mut record = disk
            .records
            .get(&change.record)
            .cloned()
            .unwrap_or_else(|| Record::new(change.record, change.kind, change.family));
        // Both or neither, as one IndexedDB transaction.
        record.apply(change).map_err(|e| e.to_string())?;
        disk.outbox.push(change.clone());
        disk.records.insert(record.id, record.clone());
        disk.clock = disk.clock.max(change.clock);
        Ok(record)
    }

    async fn record(&self, id: Uuid) -> Result<Option<Record>, String> {
        Ok(self.disk.borrow().records.get(&id).cloned())
    }
}

impl Outbox for Device {
    type Error = String;

    async fn waiting(&self, limit: u32) -> Result<Vec<Change>, String> {
        Ok(self
            .disk
            .borrow()
            .outbox
            .iter()
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn acknowledge(&self, ids: &[Uuid]) -> Result<(), String> {
        self.disk
            .borrow_mut()
            .outbox
            .retain(|c| !ids.contains(&c.id));
        Ok(())
    }

    async fn hold(&self, refused: &[(Uuid, String)]) -> Result<u32, String> {
        let mut disk = self.disk.borrow_mut();
        let mut n = 0;
        for (id, why) in refused {
            if let Some(i) = disk.outbox.iter().position(|c| c.id == *id) {
                let c = disk.outbox.remove(i);
                disk.held.push((c, why.clone()));
                n += 1;
            }
        }
        Ok(n)
    }
}

impl Replica for Device {
    type Error = String;

    async fn position(&self) -> Result<(Cursor, Coverage), String> {
        let disk = self.disk.borrow();
        Ok((disk.cursor, disk.coverage.clone()))
    }

    async fn apply(&self, changes: &[Change], cursor: Option<Cursor>) -> Result<(), String> {
        match self.pages_until_full.get() {
            Some(0) => return Err("lagringen på enheten er full".to_owned()),
            Some(n) => self.pages_until_full.set(Some(n - 1)),
            None => {}
        }
        let mut disk = self.disk.borrow_mut();
        for c in changes {
            let record = disk
                .records
                .entry(c.record)
                .or_insert_with(|| Record::new(c.record, c.kind, c.family));
            record.apply(c).map_err(|e| e.to_string())?;
        }
        if let Some(cursor) = cursor {
            disk.cursor = cursor;
        }
        Ok(())
    }

    async fn set_coverage(&self, coverage: &Coverage) -> Result<(), String> {
        self.disk.borrow_mut().coverage = coverage.clone();
        Ok(())
    }

    async fn reset(&self) -> Result<(), String> {
        let mut disk = self.disk.borrow_mut();
        disk.cursor = Cursor::default();
        disk.coverage = Coverage::default();
        Ok(())
    }
}

/// The screens' copy of the records.
#[derive(Default)]
pub struct Screen(pub RefCell<HashMap<Uuid, Record>>);

impl Shown for Screen {
    fn record(&self, id: Uuid) -> Option<Record> {
        self.0.borrow().get(&id).cloned()
    }

    fn absorb(&self, records: Vec<Record>) {
        let mut map = self.0.borrow_mut();
        for r in records {
            match map.get_mut(&r.id) {
                Some(mine) => {
                    let _ = mine.merge(&r);
                }
                None => {
                    map.insert(r.id, r);
                }
            }
        }
    }

    fn replace(&self, id: Uuid, record: Option<Record>) {
        let mut map = self.0.borrow_mut();
        match record {
            Some(r) => map.insert(id, r),
            None => map.remove(&id),
        };
    }
}
