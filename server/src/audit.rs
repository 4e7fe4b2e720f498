//! The access log (Normen: the person the data is about may see who looked at it): every read
//! and write of a family's data through the API, who did it from which device.
//!
//! Tamper evidence against someone who can write the database (ASVS 5.0, 16.4.3): every entry
//! is chained to the one before by HMAC-SHA-256 under a key kept in a file outside the database
//! ([`Keyring`]), and the server writes signed checkpoints of the chain's head to an
//! append-only file beside it ([`Checkpoints`]). Editing an entry, recomputing the chain with
//! plain SHA-256, removing entries or cutting the tail back past a checkpoint all show in
//! `duken-server audit verify`, which names the first entry that does not hold.
//!
//! Appends go through one writer task ([`AuditLog`]) that commits whatever has queued up in one
//! transaction (group commit): the chain's head is a single row, and one transaction per
//! request on it would serialise every pull and push of every device.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::DateTime;
use duken_domain::{Change, Kind};
use tokio::sync::{mpsc, oneshot};

use crate::accounts::now;
use crate::session::Session;
use crate::storage::access_log::{
    checkpoint_fields, entry_hash, mac_hex, AccessEvent, AccessRow, Head, SigningKey, GENESIS,
};
use crate::storage::{Storage, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
        }
    }
}

/// The kind logged when someone reads a family's access log itself.
pub const ACCESS_LOG_KIND: &str = "access_log";

/// How often the writer signs a checkpoint of the head while entries are being added. A
/// database writer who cuts the log's tail can hide at most this much.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("nøkkelfilen for tilgangsloggen ({path}) kan ikke leses: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("nøkkelfilen for tilgangsloggen ({path}) kan ikke skrives: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("nøkkelfilen for tilgangsloggen ({path}), linje {line}: forventet «id heksadesimal-nøkkel» med en nøkkel på minst 32 byte")]
    Malformed { path: PathBuf, line: usize },
    #[error("nøkkelfilen for tilgangsloggen ({0}) har ingen nøkler")]
    Empty(PathBuf),
    #[error("sjekkpunktfilen for tilgangsloggen ({path}) kan ikke leses eller skrives: {source}")]
    Checkpoints {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The access log's keys, from a file outside the database: one `id hex-secret` per line,
/// oldest first. The newest signs; the older ones stay to verify what they signed.
#[derive(Debug, Clone)]
pub struct Keyring {
    keys: Vec<SigningKey>,
}

impl Keyring {
    pub fn load(path: &Path) -> Result<Keyring, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut keys = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let malformed = || KeyError::Malformed {
                path: path.to_owned(),
                line: i + 1,
            };
            let (id, secret) = line.split_once(' ').ok_or_else(malformed)?;
            let secret = hex::decode(secret.trim()).map_err(|_| malformed())?;
            if secret.len() < 32 || id.is_empty() {
                return Err(malformed());
            }
            keys.push(SigningKey {
                id: id.to_owned(),
                secret,
            });
        }
        if keys.is_empty() {
            return Err(KeyError::Empty(path.to_owned()));
        }
        Ok(Keyring { keys })
    }

    /// Loads the keys, or makes the file with a first key (a new installation).
    pub fn load_or_create(path: &Path) -> Result<Keyring, KeyError> {
        if !path.exists() {
            Self::rotate(path)?;
            tracing::warn!(path = %path.display(), "made a new key for the access log; keep this file out of the database's backups and away from its administrators");
        }
        Self::load(path)
    }

    /// Adds a new key (the next id); new entries are signed with it from the next start.
    /// Returns its id.
    pub fn rotate(path: &Path) -> Result<String, KeyError> {
        let next = match path.exists() {
            true => Self::load(path)?
                .keys
                .iter()
                .filter_map(|k| k.id.parse::<u64>().ok())
                .max()
                .unwrap_or(0)
                .saturating_add(1),
            false => 1,
        };
        let mut secret = [0u8; 32];
        argon2::password_hash::rand_core::RngCore::fill_bytes(
            &mut argon2::password_hash::rand_core::OsRng,
            &mut secret,
        );
        let write = |source| KeyError::Write {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(write)?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(path).map_err(write)?;
        let mut line = String::new();
        if next == 1 {
            line.push_str("# Duken: nøklene som signerer tilgangsloggen. Hold fila utenfor databasen og dens sikkerhetskopier; slett aldri en gammel nøkkel.\n");
        }
        line.push_str(&format!("{next} {}\n", hex::encode(secret)));
        f.write_all(line.as_bytes()).map_err(write)?;
        f.sync_all().map_err(write)?;
        Ok(next.to_string())
    }

    /// The key new entries are signed with.
    pub fn current(&self) -> &SigningKey {
        // `load` refuses an empty file, so there is always a last key.
        &self.keys[self.keys.len() - 1]
    }

    fn secret(&self, id: &str) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|k| k.id == id)
            .map(|k| k.secret.as_slice())
    }
}

/// One signed line of the checkpoint file: the log held entry `seq` with `hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub key_id: String,
    pub mac: String,
}

/// The checkpoint file: append-only, outside the database (it may also be shipped to a log
/// server: each line stands on its own).
#[derive(Debug, Clone)]
pub struct Checkpoints {
    pub path: PathBuf,
}

impl Checkpoints {
    fn io(&self, source: std::io::Error) -> KeyError {
        KeyError::Checkpoints {
            path: self.path.clone(),
            source,
        }
    }

    pub async fn append(&self, head: &Head, key: &SigningKey) -> Result<(), KeyError> {
        let mac = mac_hex(&key.secret, &checkpoint_fields(head.seq, &head.hash));
        let line = format!("{} {} {} {mac}\n", head.seq, head.hash, key.id);
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)?;
            f.write_all(line.as_bytes())?;
            f.sync_data()
        })
        .await
        .map_err(|e| self.io(std::io::Error::other(e)))?
        .map_err(|e| self.io(e))
    }

    /// Every checkpoint, oldest first; a line that cannot be read is a checkpoint that does not
    /// hold (seq 0, no MAC), so verification names it rather than skipping it.
    pub fn read(&self) -> Result<Vec<Checkpoint>, KeyError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(self.io(e)),
        };
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let mut p = l.split_whitespace();
                let seq = p.next().and_then(|s| s.parse().ok()).unwrap_or(-1);
                let mut s = || p.next().unwrap_or_default().to_owned();
                Checkpoint {
                    seq,
                    hash: s(),
                    key_id: s(),
                    mac: s(),
                }
            })
            .collect())
    }
}

/// Where the key and the checkpoints live.
#[derive(Debug, Clone)]
pub struct AuditFiles {
    pub keys: PathBuf,
    pub checkpoints: PathBuf,
}

struct Job {
    events: Vec<AccessEvent>,
    done: oneshot::Sender<Result<(), String>>,
}

/// The access log's writer: requests hand it their entries and wait until they are committed
/// ("no read of family data goes unrecorded"); it commits whatever has queued up at once.
#[derive(Clone)]
pub struct AuditLog {
    jobs: mpsc::Sender<Job>,
}

impl AuditLog {
    /// Loads (or makes) the key, writes a checkpoint of where the log stands now, and starts
    /// the writer. The returned handle ends when every [`AuditLog`] is dropped, after a last
    /// checkpoint.
    pub async fn start(
        storage: Arc<dyn Storage>,
        files: &AuditFiles,
    ) -> Result<(AuditLog, tokio::task::JoinHandle<()>), KeyError> {
        let key = Keyring::load_or_create(&files.keys)?.current().clone();
        let checkpoints = Checkpoints {
            path: files.checkpoints.clone(),
        };
        let start = storage.access_last().await?.unwrap_or(Head {
            seq: 0,
            hash: GENESIS.to_owned(),
        });
        checkpoints.append(&start, &key).await?;
        let (jobs, rx) = mpsc::channel(4096);
        let task = tokio::spawn(writer(storage, key, checkpoints, rx));
        Ok((AuditLog { jobs }, task))
    }

    /// Logs what a request did: one entry per family and kind of record, with the count.
    pub async fn record(
        &self,
        session: &Session,
        changes: &[Change],
        action: Action,
    ) -> Result<(), StorageError> {
        let mut counts: BTreeMap<(uuid::Uuid, Kind), i64> = BTreeMap::new();
        for c in changes {
            *counts.entry((c.family, c.kind)).or_default() += 1;
        }
        let counts: Vec<_> = counts.into_iter().map(|((f, k), n)| (f, k, n)).collect();
        self.record_counts(session, &counts, action).await
    }

    /// Like [`AuditLog::record`], from how many changes of each family and kind were touched.
    pub async fn record_counts(
        &self,
        session: &Session,
        counts: &[(uuid::Uuid, Kind, i64)],
        action: Action,
    ) -> Result<(), StorageError> {
        let events = counts
            .iter()
            .map(|&(family, kind, count)| event(session, family, kind.as_str(), action, count))
            .collect();
        self.append(events).await
    }

    /// Appends entries and waits until they are committed.
    pub async fn append(&self, events: Vec<AccessEvent>) -> Result<(), StorageError> {
        if events.is_empty() {
            return Ok(());
        }
        let (done, answer) = oneshot::channel();
        let gone = || StorageError::AuditUnavailable("skriveren har stoppet".into());
        self.jobs
            .send(Job { events, done })
            .await
            .map_err(|_| gone())?;
        answer
            .await
            .map_err(|_| gone())?
            .map_err(StorageError::AuditUnavailable)
    }
}

/// One entry for `session` on `family`.
pub fn event(
    session: &Session,
    family: uuid::Uuid,
    kind: &str,
    action: Action,
    count: i64,
) -> AccessEvent {
    AccessEvent {
        at: now(),
        user_id: session.user.id.clone(),
        session_id: session.id.to_string(),
        family_id: family.to_string(),
        kind: kind.to_owned(),
        action: action.as_str().to_owned(),
        count,
    }
}

async fn writer(
    storage: Arc<dyn Storage>,
    key: SigningKey,
    checkpoints: Checkpoints,
    mut rx: mpsc::Receiver<Job>,
) {
    // How appends were grouped, said when the writer stops (the load benchmark prints it).
    let (mut commits, mut requests) = (0u64, 0u64);
    let mut unsigned: Option<Head> = None;
    let mut signed_at = Instant::now();
    loop {
        let first = match tokio::time::timeout(CHECKPOINT_EVERY, rx.recv()).await {
            Ok(Some(job)) => job,
            Ok(None) => break,
            Err(_) => {
                // Quiet for a while: sign where the log stands.
                if let Some(head) = unsigned.take() {
                    checkpoint(&checkpoints, &head, &key).await;
                    signed_at = Instant::now();
                }
                continue;
            }
        };
        let mut jobs = vec![first];
        while jobs.len() < 512 {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let events: Vec<AccessEvent> = jobs.iter().flat_map(|j| j.events.clone()).collect();
        let result = storage.append_access(&events, &key).await;
        commits += 1;
        requests += jobs.len() as u64;
        let answer = match result {
            Ok(head) => {
                if head.is_some() {
                    unsigned = head;
                }
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "the access log could not be written");
                Err(e.to_string())
            }
        };
        for j in jobs {
            let _ = j.done.send(answer.clone());
        }
        if signed_at.elapsed() >= CHECKPOINT_EVERY {
            if let Some(head) = unsigned.take() {
                checkpoint(&checkpoints, &head, &key).await;
                signed_at = Instant::now();
            }
        }
    }
    if let Some(head) = unsigned {
        checkpoint(&checkpoints, &head, &key).await;
    }
    tracing::info!(
        requests,
        commits,
        "access log appends: requests logged, in commits"
    );
}

async fn checkpoint(checkpoints: &Checkpoints, head: &Head, key: &SigningKey) {
    if let Err(e) = checkpoints.append(head, key).await {
        // The entries are committed; a missing checkpoint weakens what verify can prove about
        // the tail, which is worth an error line, not refusing family work.
        tracing::error!(error = %e, "could not write an access-log checkpoint");
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("oppføring {seq} er endret (signaturen stemmer ikke med innholdet)")]
    Entry { seq: i64 },
    #[error("oppføring {seq} henger ikke sammen med oppføring {after}: noe mellom dem er fjernet, eller {seq} er endret")]
    Gap { after: i64, seq: i64 },
    #[error("oppføring {seq} er signert med nøkkel «{key}», som ikke finnes i nøkkelfilen")]
    UnknownKey { seq: i64, key: String },
    #[error("oppføring {seq} har ingen signatur, men er skrevet etter at nøklene ble tatt i bruk (loggen er skrevet om)")]
    Unkeyed { seq: i64 },
    #[error("oppføring {seq} mangler: et sjekkpunkt utenfor databasen viser at den fantes (loggen er kuttet eller tømt)")]
    Missing { seq: i64 },
    #[error(
        "oppføring {seq} er ikke den et sjekkpunkt utenfor databasen viser (loggen er skrevet om)"
    )]
    Rewritten { seq: i64 },
    #[error("sjekkpunkt nr. {line} i sjekkpunktfilen er ikke gyldig signert (fila er endret)")]
    Checkpoint { line: usize },
    #[error("sjekkpunktfilen er tom eller mangler, men loggen har signerte oppføringer")]
    NoCheckpoints,
    #[error(
        "de siste oppføringene mangler (loggens hode i databasen peker på en hash som ikke finnes)"
    )]
    Tail,
}

/// What verification found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub entries: usize,
    /// Entries from before keys (only plainly hashed: as strong as the first checkpoint).
    pub unkeyed: usize,
    pub checkpoints: usize,
}

/// Checks the chain entry by entry as pages arrive ([`Verifier::feed`]), then the head and the
/// checkpoints ([`Verifier::finish`]).
pub struct Verifier {
    keys: Keyring,
    /// seq → hash, from checkpoints whose signature holds.
    checkpoints: BTreeMap<i64, String>,
    /// Entries up to this seq may be unkeyed: the log as it stood when keys came into use.
    unkeyed_until: i64,
    prev: String,
    prev_seq: i64,
    seen: usize,
    unkeyed: usize,
    broken: Option<Broken>,
}

impl Verifier {
    pub fn new(keys: Keyring, checkpoints: &[Checkpoint]) -> Verifier {
        let mut ok = BTreeMap::new();
        let mut broken = None;
        for (i, c) in checkpoints.iter().enumerate() {
            let holds = keys
                .secret(&c.key_id)
                .is_some_and(|k| mac_hex(k, &checkpoint_fields(c.seq, &c.hash)) == c.mac);
            if !holds {
                broken.get_or_insert(Broken::Checkpoint { line: i + 1 });
                continue;
            }
            ok.insert(c.seq, c.hash.clone());
        }
        // No checkpoint at all: a log from before keys, never served since (any keyed entry
        // then fails in `finish`).
        let unkeyed_until = checkpoints.first().map_or(i64::MAX, |c| c.seq);
        Verifier {
            keys,
            checkpoints: ok,
            unkeyed_until,
            prev: GENESIS.to_owned(),
            prev_seq: 0,
            seen: 0,
            unkeyed: 0,
            broken,
        }
    }

    pub fn feed(&mut self, entries: &[AccessRow]) {
        for e in entries {
            if self.broken.is_some() {
                return;
            }
            self.broken = self.check(e).err();
            self.prev = e.hash.clone();
            self.prev_seq = e.seq;
            self.seen += 1;
        }
    }

    fn check(&mut self, e: &AccessRow) -> Result<(), Broken> {
        let key = if e.key_id.is_empty() {
            if e.seq > self.unkeyed_until {
                return Err(Broken::Unkeyed { seq: e.seq });
            }
            self.unkeyed += 1;
            None
        } else {
            Some(
                self.keys
                    .secret(&e.key_id)
                    .ok_or_else(|| Broken::UnknownKey {
                        seq: e.seq,
                        key: e.key_id.clone(),
                    })?,
            )
        };
        if e.prev_hash != self.prev {
            return Err(Broken::Gap {
                after: self.prev_seq,
                seq: e.seq,
            });
        }
        if entry_hash(key, &self.prev, &e.event()) != e.hash {
            return Err(Broken::Entry { seq: e.seq });
        }
        if let Some(h) = self.checkpoints.get(&e.seq) {
            if *h != e.hash {
                return Err(Broken::Rewritten { seq: e.seq });
            }
        }
        Ok(())
    }

    pub fn finish(self, head: &str) -> Result<Verified, Broken> {
        if let Some(b) = self.broken {
            return Err(b);
        }
        if self.checkpoints.is_empty() && self.seen > self.unkeyed {
            return Err(Broken::NoCheckpoints);
        }
        // A checkpoint beyond the newest entry: entries it saw are gone.
        if let Some((&seq, _)) = self.checkpoints.range(self.prev_seq + 1..).next() {
            return Err(Broken::Missing { seq });
        }
        if self.prev != head {
            return Err(Broken::Tail);
        }
        Ok(Verified {
            entries: self.seen,
            unkeyed: self.unkeyed,
            checkpoints: self.checkpoints.len(),
        })
    }
}

/// Verifies the whole log in the database against the key file and the checkpoint file.
pub async fn verify(storage: &dyn Storage, files: &AuditFiles) -> Result<Verified, VerifyError> {
    let keys = Keyring::load(&files.keys)?;
    let checkpoints = Checkpoints {
        path: files.checkpoints.clone(),
    }
    .read()?;
    let mut v = Verifier::new(keys, &checkpoints);
    let mut after = 0;
    loop {
        let page = storage.access_entries(None, after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        v.feed(&page);
    }
    let head = storage.access_head().await?;
    Ok(v.finish(&head)?)
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("tilgangsloggen er IKKE hel: {0}")]
    Broken(#[from] Broken),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn noun(kind: &str, count: i64) -> &'static str {
    match (Kind::parse(kind), kind) {
        (Some(k), _) => k.noun(count),
        (None, ACCESS_LOG_KIND) if count == 1 => "oppføring i tilgangsloggen",
        (None, ACCESS_LOG_KIND) => "oppføringer i tilgangsloggen",
        (None, _) if count == 1 => "opplysning",
        (None, _) => "opplysninger",
    }
}

/// One entry as a sentence a family can read.
pub fn describe(e: &AccessRow, who: &str, device: &str) -> String {
    let when = DateTime::from_timestamp(e.at, 0)
        .map(|t| t.format("%d.%m.%Y kl. %H:%M UTC").to_string())
        .unwrap_or_default();
    format!("{when}: {}", what_happened(e, who, device))
}

/// The entry's sentence without its time ("Kari (familiepartner) hentet …"), capitalised as
/// it starts a line; the device puts the time before it in its own time zone.
pub fn what_happened(e: &AccessRow, who: &str, device: &str) -> String {
    let did = if e.action == "write" {
        "endret eller la til"
    } else {
        "hentet"
    };
    format!(
        "{who} {did} {} {} på enheten «{device}».",
        e.count,
        noun(&e.kind, e.count)
    )
}

/// One page of a family's log as sentences the family can read, oldest first (each entry's
/// time, its sentence with the time in UTC, and its sentence alone), and the `after` of the
/// next page (if there is more).
pub async fn export_page(
    storage: &dyn Storage,
    family: uuid::Uuid,
    after: i64,
    limit: u32,
) -> Result<(Vec<(i64, String, String)>, Option<i64>), StorageError> {
    // One more than asked: tells whether there is a next page without counting.
    let mut entries = storage
        .access_entries(Some(&family.to_string()), after, i64::from(limit) + 1)
        .await?;
    let more = entries.len() > limit as usize;
    entries.truncate(limit as usize);
    let next = more.then(|| entries.last().map_or(after, |e| e.seq));
    let mut names: HashMap<String, String> = HashMap::new();
    let mut devices: HashMap<String, String> = HashMap::new();
    let mut lines = Vec::with_capacity(entries.len());
    for e in &entries {
        if !names.contains_key(&e.user_id) {
            let who = match storage.user_by_id(&e.user_id).await? {
                Some(u) => {
                    let role = u.role().map_or("ukjent rolle", |r| r.label());
                    format!("{} ({})", u.display_name, role.to_lowercase())
                }
                None => "en slettet bruker".to_owned(),
            };
            names.insert(e.user_id.clone(), who);
            for s in storage.sessions_of(&e.user_id).await? {
                devices.insert(s.id, s.device_name);
            }
        }
        let who = names.get(&e.user_id).map_or("?", String::as_str);
        let device = devices.get(&e.session_id).map_or("ukjent", String::as_str);
        lines.push((
            e.at,
            describe(e, who, device),
            what_happened(e, who, device),
        ));
    }
    Ok((lines, next))
}

/// One family's whole log as sentences (the command line's export).
pub async fn export(
    storage: &dyn Storage,
    family: uuid::Uuid,
) -> Result<Vec<String>, StorageError> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let (lines, next) = export_page(storage, family, after, 10_000).await?;
        all.extend(lines.into_iter().map(|(_, line, _)| line));
        match next {
            Some(n) => after = n,
            None => return Ok(all),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey {
            id: "1".into(),
            secret: vec![7; 32],
        }
    }

    fn row(seq: i64, prev: &str, count: i64, key: Option<&SigningKey>) -> AccessRow {
        let e = AccessEvent {
            at: 1_790_000_000 + seq,
            user_id: "u".into(),
            session_id: "s".into(),
            family_id: "f".into(),
            kind: "meeting".into(),
            action: "read".into(),
            count,
        };
        AccessRow {
            seq,
            hash: entry_hash(key.map(|k| k.secret.as_slice()), prev, &e),
            prev_hash: prev.into(),
            at: e.at,
            user_id: e.user_id,
            session_id: e.session_id,
            family_id: e.family_id,
            kind: e.kind,
            action: e.action,
            count: e.count,
            key_id: key.map(|k| k.id.clone()).unwrap_or_default(),
        }
    }

    fn start(k: &SigningKey) -> Checkpoint {
        Checkpoint {
            seq: 0,
            hash: GENESIS.into(),
            key_id: k.id.clone(),
            mac: mac_hex(&k.secret, &checkpoint_fields(0, GENESIS)),
        }
    }

    fn verify(log: &[AccessRow], head: &str, cps: &[Checkpoint]) -> Result<Verified, Broken> {
        let mut v = Verifier::new(Keyring { keys: vec![key()] }, cps);
        v.feed(log);
        v.finish(head)
    }

    #[test]
    fn a_changed_entry_a_plain_rewrite_or_a_cut_tail_breaks_the_chain() {
        let k = key();
        let a = row(1, GENESIS, 3, Some(&k));
        let b = row(2, &a.hash, 1, Some(&k));
        let log = vec![a.clone(), b.clone()];
        let cps = [start(&k)];
        assert_eq!(verify(&log, &b.hash, &cps).map(|v| v.entries), Ok(2));
        let mut forged = log.clone();
        forged[0].count = 1;
        assert_eq!(
            verify(&forged, &b.hash, &cps),
            Err(Broken::Entry { seq: 1 })
        );
        // Recomputed with plain SHA-256, as someone without the key would.
        let a2 = row(1, GENESIS, 1, None);
        let b2 = row(2, &a2.hash, 1, None);
        assert_eq!(
            verify(&[a2, b2.clone()], &b2.hash, &cps),
            Err(Broken::Unkeyed { seq: 1 })
        );
        assert_eq!(verify(&log[..1], &b.hash, &cps), Err(Broken::Tail));
        assert_eq!(verify(&log, &b.hash, &[]), Err(Broken::NoCheckpoints));
        assert!(describe(&a, "Kari", "Nettbrett")
            .ends_with("hentet 3 møtelogger på enheten «Nettbrett»."));
    }
}
