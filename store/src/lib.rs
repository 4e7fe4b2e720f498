//! The device's local store in IndexedDB: the source of truth for the app.
//!
//! Stores (all values are JSON strings under out-of-line keys, so the accounts issue can swap
//! them for ciphertext without touching the keys, which hold only ids):
//! - `records`: every record the device knows, merged ([`duken_domain::Record`]);
//! - `outbox`: local changes not yet acknowledged by the server, keyed by change id (UUID v7,
//!   so key order is creation order);
//! - `conflicts`: ids of records holding a visible conflict, with the field names;
//! - `held`: changes the server refused for good, set aside with its reason so they neither
//!   block the changes behind them nor vanish: the user retries or discards each one;
//! - `meta`: device id, Lamport clock, pull cursor (and the change it stands on), what has been
//!   back-filled, schema version.
//!
//! A local edit writes its record and its outbox entry in one `strict` transaction: when
//! [`Store::commit`] returns, the edit is on disk, and it is never on disk without its outbox
//! entry.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use duken_domain::sync::{Coverage, Cursor};
use duken_domain::{Change, MergeError, Record};
use futures::future::join_all;

pub use crypto::{CryptoError, DataKey, KeyMaterial};

pub mod crypto;
use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::error::OpenDbError;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::KeyRange;
use uuid::Uuid;

const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
const CONFLICTS: &str = "conflicts";
const HELD: &str = "held";
const META: &str = "meta";
/// `meta` key of the sealed ids of the records [`Store::front_records`] reads first.
const FRONT: &str = "front";
/// Records opened and parsed between two waits in [`Store::all_records_with`], so the screen
/// already shown (the family list) keeps answering while the rest is read.
const READ_SLICE: usize = 500;
/// Pulled pages touching more records than this ask which are here before reading them.
const BIG_PAGE: usize = 64;

/// IndexedDB schema version. Raise it with an upgrade step when the stores change.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("kunne ikke åpne lagringen på enheten: {0}")]
    Open(String),
    #[error("lagring på enheten feilet: {0}")]
    Idb(String),
    #[error("data på enheten kan ikke leses: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Merge(#[from] MergeError),
    #[error("{0}")]
    Crypto(#[from] CryptoError),
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        StoreError::Idb(e.to_string())
    }
}

impl From<OpenDbError> for StoreError {
    fn from(e: OpenDbError) -> Self {
        StoreError::Open(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The device's identity and sync position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub device: Uuid,
    /// Lamport clock: above every version this device has made or seen.
    pub clock: u64,
    /// Server cursor of the last applied pull page, and the change it stands on.
    pub cursor: Cursor,
}

/// A change the server refused for good, with its reason, kept until the user decides.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Held {
    pub change: Change,
    /// The server's words.
    pub reason: String,
}

/// A local edit to commit: the store assigns the clock ([`Store::stamp`]).
pub use duken_domain::local::Edit;

pub struct Store {
    db: Database,
    /// The data key while unlocked; `None` when locked. An `Rc` so no borrow is held across
    /// an await.
    key: RefCell<Option<Rc<DataKey>>>,
    /// The Lamport clock as this tab knows it (seeded from `meta`, raised by every commit and
    /// pull), so an edit can be stamped before its transaction runs and shown at once.
    clock: Cell<u64>,
    last_read: Cell<ReadTimes>,
    last_pull: Cell<PullTimes>,
}

/// Milliseconds spent in each step of the last [`Store::apply_pulled`]: reading the records
/// the page touches, opening them, merging, sealing, and writing until the commit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PullTimes {
    pub read: f64,
    pub open: f64,
    pub merge: f64,
    pub seal: f64,
    pub write: f64,
}

/// Milliseconds spent in each step of reading every record: the IndexedDB read, opening
/// (decrypting) the values, parsing them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReadTimes {
    pub read: f64,
    pub open: f64,
    pub parse: f64,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Seals a value for storage.
fn seal<T: serde::Serialize>(key: &DataKey, v: &T) -> Result<String> {
    key.seal(&to_json(v)?).map_err(StoreError::from)
}

/// Opens a stored value.
fn unseal<T: serde::de::DeserializeOwned>(key: &DataKey, s: &str) -> Result<T> {
    parse(&key.open(s)?)
}

/// Parses an opened value.
fn parse<T: serde::de::DeserializeOwned>(plain: &[u8]) -> Result<T> {
    serde_json::from_slice(plain).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn strict() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Strict)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

async fn get_string(tx: &Transaction<'_>, store: &str, key: &str) -> Result<Option<String>> {
    let s = tx.object_store(store)?;
    let v: Option<String> = s.get(key.to_owned()).await?;
    Ok(v)
}

async fn put_string(tx: &Transaction<'_>, store: &str, key: &str, value: String) -> Result<()> {
    tx.object_store(store)?
        .put(value)
        .with_key(key.to_owned())
        .await?;
    Ok(())
}

async fn read_meta(tx: &Transaction<'_>) -> Result<Meta> {
    // `open` writes the device id before anything else can run.
    let device = get_string(tx, META, "device")
        .await?
        .and_then(|d| Uuid::parse_str(&d).ok())
        .ok_or_else(|| StoreError::Corrupt("enhetens id mangler".into()))?;
    let clock = get_string(tx, META, "clock")
        .await?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let seq = get_string(tx, META, "cursor")
        .await?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let at = get_string(tx, META, "cursor_at")
        .await?
        .and_then(|s| Uuid::parse_str(&s).ok());
    Ok(Meta {
        device,
        clock,
        cursor: Cursor { seq, at },
    })
}

async fn put_cursor(tx: &Transaction<'_>, cursor: Cursor) -> Result<()> {
    put_string(tx, META, "cursor", cursor.seq.to_string()).await?;
    match cursor.at {
        Some(at) => put_string(tx, META, "cursor_at", at.to_string()).await?,
        None => {
            tx.object_store(META)?
                .delete("cursor_at".to_owned())
                .await?
        }
    }
    Ok(())
}

/// Keeps the `conflicts` store in step with a record just written.
async fn index_conflicts(tx: &Transaction<'_>, record: &Record) -> Result<()> {
    let key = record.id.to_string();
    let fields = record.conflicted_fields();
    if fields.is_empty() {
        tx.object_store(CONFLICTS)?.delete(key).await?;
    } else {
        put_string(tx, CONFLICTS, &key, to_json(&fields)?).await?;
    }
    Ok(())
}

/// Adds `ids` to the sealed list of front records (see [`Store::front_records`]). `create`
/// starts the list when there is none or it cannot be read: only a full read may do that,
/// since it knows every front record; a write before the first full read leaves it to that.
async fn add_front(tx: &Transaction<'_>, key: &DataKey, ids: &[Uuid], create: bool) -> Result<()> {
    if ids.is_empty() && !create {
        return Ok(());
    }
    let known: Option<Vec<Uuid>> = match get_string(tx, META, FRONT).await? {
        Some(sealed) => unseal(key, &sealed).ok(),
        None => None,
    };
    let changed = known.is_none();
    let mut front = match known {
        Some(front) => front,
        None if create => Vec::new(),
        None => return Ok(()),
    };
    let mut seen: std::collections::HashSet<Uuid> = front.iter().copied().collect();
    let before = front.len();
    front.extend(ids.iter().filter(|id| seen.insert(**id)));
    if changed || front.len() != before {
        put_string(tx, META, FRONT, seal(key, &front)?).await?;
    }
    Ok(())
}

async fn load_record(tx: &Transaction<'_>, key: &DataKey, id: Uuid) -> Result<Option<Record>> {
    match get_string(tx, RECORDS, &id.to_string()).await? {
        Some(s) => Ok(Some(unseal(key, &s)?)),
        None => Ok(None),
    }
}

impl Store {
    /// Opens (and on first use creates) the database `name`.
    pub async fn open(name: &str) -> Result<Store> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                let old = event.old_version();
                if old < 2.0 {
                    // Version 1 stored values in plain text; version 2 seals them. Nothing real
                    // was ever stored in version 1 (no accounts yet), so it starts over.
                    if old >= 1.0 {
                        for store in [RECORDS, OUTBOX, CONFLICTS, META] {
                            let _ = db.delete_object_store(store);
                        }
                    }
                    for store in [RECORDS, OUTBOX, CONFLICTS, META] {
                        db.create_object_store(store).build()?;
                    }
                }
                // Version 3 adds the changes set aside after a refusal; everything else stays.
                if old < 3.0 {
                    db.create_object_store(HELD).build()?;
                }
                Ok(())
            })
            .await?;
        let store = Store {
            db,
            key: RefCell::new(None),
            clock: Cell::new(0),
            last_read: Cell::new(ReadTimes::default()),
            last_pull: Cell::new(PullTimes::default()),
        };
        store.ensure_device().await?;
        let clock = {
            let tx = store.db.transaction(META).build()?;
            read_meta(&tx).await?.clock
        };
        store.clock.set(clock);
        Ok(store)
    }

    /// Gives the device its id on first use.
    async fn ensure_device(&self) -> Result<()> {
        let tx = self.write([META])?;
        if get_string(&tx, META, "device").await?.is_none() {
            put_string(&tx, META, "device", Uuid::now_v7().to_string()).await?;
            put_string(&tx, META, "schema", SCHEMA_VERSION.to_string()).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    pub fn close(self) {
        self.db.close();
    }

    /// Closes this connection and removes the whole database: logout, a revoked device.
    pub async fn wipe(&self, name: &str) -> Result<()> {
        self.db.clone().close();
        Store::delete(name).await
    }

    /// Removes the whole database (logout, revoked device, tests).
    pub async fn delete(name: &str) -> Result<()> {
        Database::delete_by_name(name)?.await?;
        Ok(())
    }

    /// The device's identity and sync position.
    pub async fn meta(&self) -> Result<Meta> {
        let tx = self.db.transaction([META]).build()?;
        read_meta(&tx).await
    }

    /// A read-write transaction with strict durability: committed means on disk.
    fn write<S: ObjectStoreName>(&self, stores: S) -> Result<Transaction<'_>> {
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(strict())
            .build()?)
    }

    /// A read-write transaction the browser may commit before it is on disk (still all or
    /// nothing). Only for what the server can give again: a pulled page (see
    /// [`Store::apply_pulled`]).
    fn write_relaxed<S: ObjectStoreName>(&self, stores: S) -> Result<Transaction<'_>> {
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .with_options(TransactionOptions::new().with_durability(TransactionDurability::Relaxed))
            .build()?)
    }

    fn key(&self) -> Result<Rc<DataKey>> {
        self.key
            .borrow()
            .clone()
            .ok_or(StoreError::Crypto(CryptoError::Locked))
    }

    pub fn is_unlocked(&self) -> bool {
        self.key.borrow().is_some()
    }

    /// Makes the data readable until [`Store::lock`].
    pub async fn unlock(&self, mut key: DataKey) {
        key.speed_up().await;
        *self.key.borrow_mut() = Some(Rc::new(key));
    }

    /// Forgets the data key: nothing stored can be read until the next unlock.
    pub fn lock(&self) {
        *self.key.borrow_mut() = None;
    }

    /// The wrapped data key, if this device has one.
    pub async fn key_material(&self) -> Result<Option<KeyMaterial>> {
        let tx = self.db.transaction([META]).build()?;
        match get_string(&tx, META, "key").await? {
            Some(s) => Ok(Some(from_json(&s)?)),
            None => Ok(None),
        }
    }

    pub async fn set_key_material(&self, material: &KeyMaterial) -> Result<()> {
        let tx = self.write([META])?;
        put_string(&tx, META, "key", to_json(material)?).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A value the app keeps beside the records (e.g. who is logged in on this device).
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let tx = self.db.transaction([META]).build()?;
        get_string(&tx, META, &format!("app:{key}")).await
    }

    pub async fn set_setting(&self, key: &str, value: Option<&str>) -> Result<()> {
        let tx = self.write([META])?;
        let key = format!("app:{key}");
        match value {
            Some(v) => put_string(&tx, META, &key, v.to_owned()).await?,
            None => tx.object_store(META)?.delete(key).await?,
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every record on the device (the app keeps them in memory for its screens).
    pub async fn all_records(&self) -> Result<Vec<Record>> {
        self.all_records_with(|_, _| ()).await
    }

    /// Every record on the device: read in one transaction, then opened (see
    /// [`DataKey::open_many`]) and parsed [`READ_SLICE`] at a time, with a wait between two
    /// slices so the page keeps answering; `progress(done, total)` after each. Stops with
    /// [`CryptoError::Locked`] when the device is locked meanwhile. How long each step took is
    /// kept in [`Store::last_read`].
    pub async fn all_records_with(&self, progress: impl Fn(usize, usize)) -> Result<Vec<Record>> {
        let key = self.key()?;
        let t0 = now();
        let sealed = {
            let tx = self.db.transaction(RECORDS).build()?;
            let store = tx.object_store(RECORDS)?;
            store
                .get_all::<String>()
                .await?
                .collect::<std::result::Result<Vec<_>, _>>()?
        };
        let mut times = ReadTimes {
            read: now() - t0,
            ..ReadTimes::default()
        };
        let mut out = Vec::with_capacity(sealed.len());
        for slice in sealed.chunks(READ_SLICE) {
            if !self.is_unlocked() {
                return Err(StoreError::Crypto(CryptoError::Locked));
            }
            let t1 = now();
            // Awaiting WebCrypto gives the page its turn between two slices.
            let plain = key.open_many(slice).await?;
            let t2 = now();
            for p in &plain {
                out.push(parse(p)?);
            }
            times.open += t2 - t1;
            times.parse += now() - t2;
            progress(out.len(), sealed.len());
        }
        self.last_read.set(times);
        Ok(out)
    }

    /// The records the family list shows (`Kind::on_front`: families, members, evaluations),
    /// read by the ids kept sealed in `meta`, so the list can show before every meeting and
    /// note is opened (decision 65). A hint, not the truth: every write adds its new front
    /// records, and [`Store::keep_front`] after a full read adds any that were missed. `None`
    /// when there is no list yet (or it cannot be read): read everything first.
    pub async fn front_records(&self) -> Result<Option<Vec<Record>>> {
        let key = self.key()?;
        let sealed = {
            let tx = self.db.transaction([RECORDS, META]).build()?;
            let Some(list) = get_string(&tx, META, FRONT).await? else {
                return Ok(None);
            };
            let Ok(ids) = unseal::<Vec<Uuid>>(&key, &list) else {
                return Ok(None);
            };
            let records = tx.object_store(RECORDS)?;
            let reads = ids
                .iter()
                .map(|id| records.get::<String, String, _>(id.to_string()).primitive())
                .collect::<Result<Vec<_>, _>>()?;
            let mut sealed = Vec::with_capacity(ids.len());
            for read in join_all(reads).await {
                // An id whose record is gone (a discarded change) is skipped.
                sealed.extend(read?);
            }
            sealed
        };
        let plain = key.open_many(&sealed).await?;
        let mut out = Vec::with_capacity(plain.len());
        for p in &plain {
            let record: Record = parse(p)?;
            if record.kind.on_front() {
                out.push(record);
            }
        }
        Ok(Some(out))
    }

    /// Adds to the list [`Store::front_records`] reads any front record it misses (`records`:
    /// a full read), starting the list on a device that has none.
    pub async fn keep_front(&self, records: &[Record]) -> Result<()> {
        let key = self.key()?;
        let ids: Vec<Uuid> = records
            .iter()
            .filter(|r| r.kind.on_front())
            .map(|r| r.id)
            .collect();
        let tx = self.write([META])?;
        add_front(&tx, &key, &ids, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How long the last [`Store::apply_pulled`] took, step by step.
    pub fn last_pull(&self) -> PullTimes {
        self.last_pull.get()
    }

    /// How long the last [`Store::all_records`] took, step by step.
    pub fn last_read(&self) -> ReadTimes {
        self.last_read.get()
    }

    pub async fn record(&self, id: Uuid) -> Result<Option<Record>> {
        let key = self.key()?;
        let tx = self.db.transaction(RECORDS).build()?;
        load_record(&tx, &key, id).await
    }

    /// Commits one local edit: outbox entry and merged record in one strict transaction.
    /// Returns the change (with its clock) and the record as now stored.
    pub async fn commit(&self, edit: Edit) -> Result<(Change, Record)> {
        let change = self.stamp(edit, None);
        let record = self.commit_change(&change).await?;
        Ok((change, record))
    }

    /// Gives an edit its clock, now: above every version this tab has made or seen, and above
    /// every version of the record the editor saw (`seen`), so the edit wins over what it
    /// replaces on every replica.
    pub fn stamp(&self, edit: Edit, seen: Option<&Record>) -> Change {
        let change = duken_domain::local::stamped(self.clock.get(), edit, seen);
        self.clock.set(change.clock);
        change
    }

    /// Stores a stamped change: the record and its outbox entry in one transaction.
    /// Returns the record as now stored.
    pub async fn commit_change(&self, change: &Change) -> Result<Record> {
        let key = self.key()?;
        let tx = self.write([RECORDS, OUTBOX, CONFLICTS, META])?;
        let clock = read_meta(&tx).await?.clock.max(change.clock);
        put_string(&tx, OUTBOX, &change.id.to_string(), seal(&key, change)?).await?;
        let known = load_record(&tx, &key, change.record).await?;
        if known.is_none() && change.kind.on_front() {
            add_front(&tx, &key, &[change.record], false).await?;
        }
        let mut record =
            known.unwrap_or_else(|| Record::new(change.record, change.kind, change.family));
        // A failed merge returns before commit: the transaction rolls back, outbox entry too.
        record.apply(change)?;
        put_string(&tx, RECORDS, &record.id.to_string(), seal(&key, &record)?).await?;
        index_conflicts(&tx, &record).await?;
        put_string(&tx, META, "clock", clock.to_string()).await?;
        tx.commit().await?;
        self.clock.set(self.clock.get().max(clock));
        Ok(record)
    }

    /// The oldest `limit` changes waiting to be pushed.
    pub async fn outbox(&self, limit: u32) -> Result<Vec<Change>> {
        let key = self.key()?;
        let tx = self.db.transaction(OUTBOX).build()?;
        let all = tx
            .object_store(OUTBOX)?
            .get_all::<String>()
            .with_limit(limit)
            .await?;
        let mut out = Vec::new();
        for item in all {
            out.push(unseal(&key, &item?)?);
        }
        Ok(out)
    }

    pub async fn outbox_len(&self) -> Result<u32> {
        let tx = self.db.transaction(OUTBOX).build()?;
        let n = tx.object_store(OUTBOX)?.count().await?;
        Ok(n)
    }

    /// Drops acknowledged changes from the outbox (only ever after the server said so).
    pub async fn acknowledge(&self, ids: &[Uuid]) -> Result<()> {
        let tx = self.write(OUTBOX)?;
        let store = tx.object_store(OUTBOX)?;
        for id in ids {
            store.delete(id.to_string()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Merges a pulled page into the records and moves the cursor, in one transaction: a page
    /// is either wholly applied with its cursor or not at all (and pulled again).
    /// Returns the records that changed.
    /// `cursor: None` applies without moving the cursor (a back-filled family).
    pub async fn apply_pulled(
        &self,
        changes: &[Change],
        cursor: Option<Cursor>,
    ) -> Result<Vec<Record>> {
        let data_key = self.key()?;
        // Relaxed: a page lost to a power cut goes with its cursor (one transaction), so it is
        // pulled again; local edits are committed strictly, and a strict commit puts every
        // earlier transaction on disk first, so an edit is never lost with a page. One strict
        // page after another cost a first sync of 10,000 records two seconds of waiting for
        // the disk (decision 67).
        let tx = self.write_relaxed([RECORDS, CONFLICTS, META])?;
        let mut clock = read_meta(&tx).await?.clock;
        // Read every record the page touches with all requests in flight at once: one wait
        // instead of one per record (a first sync of 10,000 records is mostly this).
        let mut ids: Vec<Uuid> = changes.iter().map(|c| c.record).collect();
        ids.sort_unstable();
        ids.dedup();
        let records = tx.object_store(RECORDS)?;
        let t0 = now();
        // A big page (a first sync) asks first which of its ids are here, in one request for
        // the keys between its lowest and highest id (a UUID's text sorts as its bytes), and
        // reads only those: on a fresh device that is none of them.
        if ids.len() > BIG_PAGE {
            if let (Some(lo), Some(hi)) = (ids.first(), ids.last()) {
                let here = records
                    .get_all_keys::<String>()
                    .with_query::<String, _>(KeyRange::Bound(
                        lo.to_string(),
                        false,
                        hi.to_string(),
                        false,
                    ))
                    .await?
                    .collect::<std::result::Result<std::collections::HashSet<String>, _>>()?;
                ids.retain(|id| here.contains(&id.to_string()));
            }
        }
        let reads = ids
            .iter()
            .map(|id| records.get::<String, String, _>(id.to_string()).primitive())
            .collect::<Result<Vec<_>, _>>()?;
        let reads = join_all(reads).await;
        let t1 = now();
        let mut touched: HashMap<Uuid, Record> = HashMap::with_capacity(ids.len());
        for (id, read) in ids.iter().zip(reads) {
            if let Some(json) = read? {
                touched.insert(*id, unseal(&data_key, &json)?);
            }
        }
        let t2 = now();
        // The `conflicts` store holds exactly the stored records with a conflict: only those can
        // have an entry to remove (a first sync would otherwise ask to delete 10,000 nothings).
        let had_conflicts: std::collections::HashSet<Uuid> = touched
            .values()
            .filter(|r| r.has_conflicts())
            .map(|r| r.id)
            .collect();
        let new_front: Vec<Uuid> = changes
            .iter()
            .filter(|c| c.kind.on_front() && !touched.contains_key(&c.record))
            .map(|c| c.record)
            .collect();
        add_front(&tx, &data_key, &new_front, false).await?;
        for change in changes {
            clock = clock.max(change.clock);
            let record = touched
                .entry(change.record)
                .or_insert_with(|| Record::new(change.record, change.kind, change.family));
            if let Err(e) = record.apply(change) {
                // The server checks identities, so this means a damaged change: skip it rather
                // than block every later change behind it.
                web_sys::console::warn_1(&format!("hoppet over endring {}: {e}", change.id).into());
            }
        }
        let t3 = now();
        let sealed = touched
            .values()
            .map(|r| seal(&data_key, r))
            .collect::<Result<Vec<_>>>()?;
        let t4 = now();
        let conflicts = tx.object_store(CONFLICTS)?;
        let mut puts = Vec::with_capacity(touched.len() * 2);
        let mut deletes = Vec::new();
        for (record, sealed) in touched.values().zip(sealed) {
            let key = record.id.to_string();
            puts.push(records.put(sealed).with_key(key.clone()).primitive()?);
            let fields = record.conflicted_fields();
            if fields.is_empty() {
                if had_conflicts.contains(&record.id) {
                    deletes.push(conflicts.delete(key).primitive()?);
                }
            } else {
                puts.push(conflicts.put(to_json(&fields)?).with_key(key).primitive()?);
            }
        }
        for done in join_all(puts).await {
            done?;
        }
        for done in join_all(deletes).await {
            done?;
        }
        if let Some(cursor) = cursor {
            put_cursor(&tx, cursor).await?;
        }
        put_string(&tx, META, "clock", clock.to_string()).await?;
        tx.commit().await?;
        self.last_pull.set(PullTimes {
            read: t1 - t0,
            open: t2 - t1,
            merge: t3 - t2,
            seal: t4 - t3,
            write: now() - t4,
        });
        self.clock.set(self.clock.get().max(clock));
        Ok(touched.into_values().collect())
    }

    /// The families whose history this device has back-filled (see `duken_domain::sync`).
    pub async fn coverage(&self) -> Result<Coverage> {
        let tx = self.db.transaction([META]).build()?;
        match get_string(&tx, META, "coverage").await? {
            Some(s) => from_json(&s),
            None => Ok(Coverage::default()),
        }
    }

    pub async fn set_coverage(&self, coverage: &Coverage) -> Result<()> {
        let tx = self.write([META])?;
        put_string(&tx, META, "coverage", to_json(coverage)?).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The server's history is not the one the cursor came from (restored from a backup):
    /// the cursor goes back to 0 and the coverage is emptied, so everything is pulled again.
    /// Records, outbox and held changes stay.
    pub async fn reset_cursor(&self) -> Result<()> {
        let tx = self.write([META])?;
        put_cursor(&tx, Cursor::default()).await?;
        tx.object_store(META)?.delete("coverage".to_owned()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets refused changes aside: out of the outbox, into `held` with the server's reason,
    /// in one transaction (a change is always in exactly one of the two).
    pub async fn hold(&self, refused: &[(Uuid, String)]) -> Result<u32> {
        let key = self.key()?;
        let tx = self.write([OUTBOX, HELD])?;
        let mut moved = 0;
        for (id, reason) in refused {
            let Some(sealed) = get_string(&tx, OUTBOX, &id.to_string()).await? else {
                continue;
            };
            let change: Change = unseal(&key, &sealed)?;
            let held = Held {
                change,
                reason: reason.clone(),
            };
            put_string(&tx, HELD, &id.to_string(), seal(&key, &held)?).await?;
            tx.object_store(OUTBOX)?.delete(id.to_string()).await?;
            moved += 1;
        }
        tx.commit().await?;
        Ok(moved)
    }

    /// The changes set aside, oldest first.
    pub async fn held(&self) -> Result<Vec<Held>> {
        let key = self.key()?;
        let tx = self.db.transaction(HELD).build()?;
        let all = tx.object_store(HELD)?.get_all::<String>().await?;
        let mut out = Vec::new();
        for item in all {
            out.push(unseal(&key, &item?)?);
        }
        Ok(out)
    }

    pub async fn held_len(&self) -> Result<u32> {
        let tx = self.db.transaction(HELD).build()?;
        Ok(tx.object_store(HELD)?.count().await?)
    }

    /// Sends a held change again (the user corrected what was wrong, or access was given).
    pub async fn release(&self, id: Uuid) -> Result<()> {
        let key = self.key()?;
        let tx = self.write([OUTBOX, HELD])?;
        if let Some(sealed) = get_string(&tx, HELD, &id.to_string()).await? {
            let held: Held = unseal(&key, &sealed)?;
            put_string(&tx, OUTBOX, &id.to_string(), seal(&key, &held.change)?).await?;
            tx.object_store(HELD)?.delete(id.to_string()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Discards a held change for good, on the user's deliberate word: it leaves `held`, and its
    /// writes leave the record, in one transaction. Returns the record as now stored (`None`:
    /// nothing of it is left on the device).
    pub async fn discard(&self, id: Uuid) -> Result<Option<Record>> {
        let key = self.key()?;
        let tx = self.write([RECORDS, HELD, CONFLICTS])?;
        let Some(sealed) = get_string(&tx, HELD, &id.to_string()).await? else {
            return Ok(None);
        };
        let held: Held = unseal(&key, &sealed)?;
        let mut record = load_record(&tx, &key, held.change.record).await?;
        if let Some(r) = record.as_mut() {
            r.remove_change(id);
            let rid = r.id.to_string();
            if r.fields.is_empty() {
                tx.object_store(RECORDS)?.delete(rid.clone()).await?;
                tx.object_store(CONFLICTS)?.delete(rid).await?;
                record = None;
            } else {
                put_string(&tx, RECORDS, &rid, seal(&key, &*r)?).await?;
                index_conflicts(&tx, r).await?;
            }
        }
        tx.object_store(HELD)?.delete(id.to_string()).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Ids of records holding a visible conflict.
    pub async fn conflicted(&self) -> Result<Vec<Uuid>> {
        let tx = self.db.transaction(CONFLICTS).build()?;
        let keys = tx.object_store(CONFLICTS)?.get_all_keys::<String>().await?;
        let mut out = Vec::new();
        for k in keys {
            out.push(Uuid::parse_str(&k?).map_err(|e| StoreError::Corrupt(e.to_string()))?);
        }
        Ok(out)
    }
}

/// The store as `duken_domain::local::save` sees it: the same steps in the browser as in the
/// domain's unit tests.
impl duken_domain::local::LocalStore for Store {
    type Error = StoreError;

    fn stamp(&self, edit: Edit, seen: Option<&Record>) -> Change {
        Store::stamp(self, edit, seen)
    }

    async fn commit_change(&self, change: &Change) -> Result<Record> {
        Store::commit_change(self, change).await
    }

    async fn record(&self, id: Uuid) -> Result<Option<Record>> {
        Store::record(self, id).await
    }
}
