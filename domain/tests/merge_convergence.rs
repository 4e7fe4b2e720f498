//! Property test of the per-field merge: replicas edit, create, delete and resolve concurrently;
//! changes are delivered reordered, duplicated and dropped-then-retried. At the end every replica
//! is equal and every write ever made is the current value, in history, or a visible conflict.

use std::cell::Cell;
use std::collections::BTreeMap;

use duken_domain::record::DELETED;
use duken_domain::{Change, FieldWrite, Kind, Record, Version};
use proptest::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

const REPLICAS: usize = 5;
const FIELDS: [&str; 3] = ["name", "birth_year", "role"];

thread_local! {
    static OPS_RUN: Cell<u64> = const { Cell::new(0) };
    static CONFLICTS_SEEN: Cell<u64> = const { Cell::new(0) };
    static HISTORY_SEEN: Cell<u64> = const { Cell::new(0) };
}

#[derive(Clone, Debug)]
enum Op {
    Create {
        replica: usize,
        family: u8,
    },
    Edit {
        replica: usize,
        pick: usize,
        field: usize,
        value: u16,
    },
    Delete {
        replica: usize,
        pick: usize,
    },
    Resolve {
        replica: usize,
        pick: usize,
    },
    Deliver {
        pick: usize,
        duplicate: bool,
    },
    DropAndRetry {
        pick: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let r = 0..REPLICAS;
    prop_oneof![
        2 => (r.clone(), 0u8..3).prop_map(|(replica, family)| Op::Create { replica, family }),
        6 => (r.clone(), any::<usize>(), 0..FIELDS.len(), any::<u16>())
            .prop_map(|(replica, pick, field, value)| Op::Edit { replica, pick, field, value }),
        1 => (r.clone(), any::<usize>()).prop_map(|(replica, pick)| Op::Delete { replica, pick }),
        1 => (r, any::<usize>()).prop_map(|(replica, pick)| Op::Resolve { replica, pick }),
        6 => (any::<usize>(), any::<bool>()).prop_map(|(pick, duplicate)| Op::Deliver { pick, duplicate }),
        1 => any::<usize>().prop_map(|pick| Op::DropAndRetry { pick }),
    ]
}

#[derive(Default)]
struct Replica {
    clock: u64,
    records: BTreeMap<Uuid, Record>,
}

impl Replica {
    fn receive(&mut self, change: &Change) {
        self.clock = self.clock.max(change.clock);
        match self.records.get_mut(&change.record) {
            Some(r) => r.apply(change).expect("same identity on every replica"),
            None => {
                self.records
                    .insert(change.record, Record::from_change(change));
            }
        }
    }

    fn pick(&self, pick: usize) -> Option<Record> {
        if self.records.is_empty() {
            return None;
        }
        self.records
            .values()
            .nth(pick % self.records.len())
            .cloned()
    }

    /// Makes a change here (as a user on this device would) and returns it for sending.
    fn make(&mut self, record: &Record, writes: Vec<FieldWrite>) -> Change {
        self.clock += 1;
        let change = Change {
            id: Uuid::now_v7(),
            record: record.id,
            kind: record.kind,
            family: record.family,
            clock: self.clock,
            writes,
        };
        self.receive(&change);
        change
    }
}

fn write(field: &str, value: Value, base: Option<Version>) -> FieldWrite {
    FieldWrite {
        field: field.into(),
        value,
        base,
        resolves: vec![],
    }
}

struct World {
    replicas: Vec<Replica>,
    /// Messages in flight: (destination, change).
    network: Vec<(usize, Change)>,
    /// Every write ever made: (record, field, version, value).
    log: Vec<(Uuid, String, Version, Value)>,
}

impl World {
    fn broadcast(&mut self, from: usize, change: Change) {
        for w in &change.writes {
            self.log.push((
                change.record,
                w.field.clone(),
                change.version(),
                w.value.clone(),
            ));
        }
        for to in 0..REPLICAS {
            if to != from {
                self.network.push((to, change.clone()));
            }
        }
    }

    fn run(&mut self, op: &Op) {
        match *op {
            Op::Create { replica, family } => {
                let fam = Uuid::from_u128(u128::from(family) + 1);
                let rec = Record::new(Uuid::now_v7(), Kind::Member, fam);
                let c = self.replicas[replica].make(
                    &rec,
                    vec![
                        write("name", json!(format!("n{replica}")), None),
                        write("role", json!("child"), None),
                    ],
                );
                self.broadcast(replica, c);
            }
            Op::Edit {
                replica,
                pick,
                field,
                value,
            } => {
                let rep = &mut self.replicas[replica];
                let Some(rec) = rep.pick(pick) else { return };
                let field = FIELDS[field];
                let value = match field {
                    "birth_year" => json!(1990 + i64::from(value % 30)),
                    "role" => json!(["parent", "child", "other"][usize::from(value % 3)]),
                    _ => json!(format!("v{value}")),
                };
                let base = rec.version_of(field);
                let c = rep.make(&rec, vec![write(field, value, base)]);
                self.broadcast(replica, c);
            }
            Op::Delete { replica, pick } => {
                let rep = &mut self.replicas[replica];
                let Some(rec) = rep.pick(pick) else { return };
                let base = rec.version_of(DELETED);
                let c = rep.make(&rec, vec![write(DELETED, json!(true), base)]);
                self.broadcast(replica, c);
            }
            Op::Resolve { replica, pick } => {
                let rep = &mut self.replicas[replica];
                let Some(rec) = rep.pick(pick) else { return };
                let Some((name, field)) =
                    rec.fields.iter().find(|(_, f)| !f.conflicts().is_empty())
                else {
                    return;
                };
                // Keep the losing value: the user chose "the other one".
                let loser = field.conflicts()[0];
                let mut w = write(name, loser.value.clone(), field.version());
                w.resolves = field.conflicts().iter().map(|c| c.version).collect();
                let c = rep.make(&rec, vec![w]);
                self.broadcast(replica, c);
            }
            Op::Deliver { pick, duplicate } => {
                if self.network.is_empty() {
                    return;
                }
                let at = pick % self.network.len();
                let (to, change) = if duplicate {
                    self.network[at].clone()
                } else {
                    self.network.swap_remove(at)
                };
                self.replicas[to].receive(&change);
            }
            Op::DropAndRetry { pick } => {
                // Lost on the way; the sender's outbox keeps it and sends it again later.
                if self.network.is_empty() {
                    return;
                }
                let at = pick % self.network.len();
                let m = self.network.remove(at);
                self.network.push(m);
            }
        }
    }
}

fn check(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut world = World {
        replicas: (0..REPLICAS).map(|_| Replica::default()).collect(),
        network: Vec::new(),
        log: Vec::new(),
    };
    for op in ops {
        world.run(op);
    }
    OPS_RUN.with(|n| n.set(n.get() + ops.len() as u64));
    // Everything still in flight arrives in the end, in reverse order and twice.
    let pending: Vec<_> = world.network.drain(..).rev().collect();
    for (to, change) in pending.iter().chain(pending.iter()) {
        world.replicas[*to].receive(change);
    }

    let first = &world.replicas[0].records;
    for (i, r) in world.replicas.iter().enumerate().skip(1) {
        prop_assert!(&r.records == first, "replica {} differs from replica 0", i);
    }

    let mut lost = 0usize;
    for (record, field, version, value) in &world.log {
        let Some(f) = first.get(record).and_then(|r| r.fields.get(field)) else {
            lost += 1;
            continue;
        };
        let Some(kept) = f.writes().iter().find(|w| w.version == *version) else {
            lost += 1;
            continue;
        };
        prop_assert_eq!(&kept.value, value);
        let current = f.version() == Some(*version);
        let history = f.history().iter().any(|w| w.version == *version);
        let conflict = f.conflicts().iter().any(|w| w.version == *version);
        CONFLICTS_SEEN.with(|n| n.set(n.get() + u64::from(conflict)));
        HISTORY_SEEN.with(|n| n.set(n.get() + u64::from(history)));
        prop_assert_eq!(
            usize::from(current) + usize::from(history) + usize::from(conflict),
            1,
            "write must be exactly one of current/history/conflict"
        );
    }
    prop_assert_eq!(lost, 0);

    // The winner is the highest version ever written to the field, computed from the log alone.
    let mut highest: BTreeMap<(Uuid, &str), Version> = BTreeMap::new();
    for (record, field, version, _) in &world.log {
        let e = highest.entry((*record, field.as_str())).or_insert(*version);
        *e = (*e).max(*version);
    }
    for ((record, field), v) in highest {
        prop_assert_eq!(first[&record].fields[field].version(), Some(v));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_lose_nothing(ops in prop::collection::vec(op(), 400..800)) {
        check(&ops)?;
    }
}

#[test]
fn at_least_ten_thousand_operations_per_run() {
    // Runs the property in this thread too, so the count below is this test's own.
    replicas_converge_and_lose_nothing();
    let n = OPS_RUN.with(Cell::get);
    let conflicts = CONFLICTS_SEEN.with(Cell::get);
    let history = HISTORY_SEEN.with(Cell::get);
    eprintln!("merge property: {n} operations, {conflicts} writes ended as conflicts, {history} in history");
    assert!(n >= 10_000, "only {n} operations ran");
    // The simulation must actually produce concurrent edits, or it proves nothing.
    assert!(conflicts > 0 && history > 0);
}
