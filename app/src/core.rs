//! The app's hold on its data: the local store (IndexedDB, the source of truth) and an
//! in-memory copy of its records that screens read reactively. Every edit goes through
//! [`save`]: shown in memory, then to disk (record + outbox, one transaction), then a signal
//! ([`Core::edits`]) the sync loop follows. The network is never waited for.
//!
//! The ground floor of the app (docs/architecture.md): this file, [`crate::modes`],
//! [`crate::text`], [`crate::wipe`] and `sync/` (loop, client, held changes) import no feature and
//! no screen.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use duken_domain::access::{may_register_family, Access};
use duken_domain::cloth::Template;
use duken_domain::local::{self, Denied, Edit};
use duken_domain::rating::RatingTemplate;
use duken_domain::{FieldWrite, Kind, Record};
use duken_store::{Store, StoreError};
use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

/// Device setting holding the team's cloth templates (JSON), for starting a cloth offline.
pub const TEAM_TEMPLATES: &str = "team-templates";

/// Device setting holding the team's rating forms (JSON), for giving a form offline.
pub const TEAM_RATING_TEMPLATES: &str = "team-rating-templates";

/// Device setting holding the team's report templates (JSON), for starting a report offline.
pub const TEAM_REPORT_TEMPLATES: &str = "team-report-templates";

/// Device setting holding what the user may do with each family (JSON), for offline use.
pub const FAMILY_ACCESS: &str = "family-access";

/// Keeps the server's listing of what the user may do with each family (on the device and in
/// memory; only when it changed). A family listed before and not now (access taken away) stays
/// in the map as [`Access::None`], so it is not mistaken for a family made on this device.
pub async fn keep_access(core: Core, listed: &duken_domain::protocol::FamiliesResponse) {
    let mut list = listed.access.clone();
    core.access.with_untracked(|old| {
        for family in old.keys() {
            if !list.iter().any(|a| a.family == *family) {
                list.push(duken_domain::protocol::FamilyAccess {
                    family: *family,
                    access: Access::None,
                    history: 0,
                });
            }
        }
    });
    let map: HashMap<Uuid, Access> = list.iter().map(|a| (a.family, a.access)).collect();
    if core.access.with_untracked(|m| *m == map) {
        return;
    }
    if let (Some(store), Ok(json)) = (store(), serde_json::to_string(&list)) {
        if let Err(e) = store.set_setting(FAMILY_ACCESS, Some(&json)).await {
            web_sys::console::warn_1(&format!("kunne ikke lagre tilgangene: {e}").into());
        }
    }
    core.access.set(map);
}

/// The listing kept on the device (after an unlock, before the first sync).
pub async fn restore_access(core: Core) {
    let Some(store) = store() else { return };
    if let Ok(Some(json)) = store.setting(FAMILY_ACCESS).await {
        // Unreadable (an older format): the next sync lists them again.
        let list: Vec<duken_domain::protocol::FamilyAccess> =
            serde_json::from_str(&json).unwrap_or_default();
        core.access
            .set(list.into_iter().map(|a| (a.family, a.access)).collect());
    }
}

/// Name of the IndexedDB database.
pub const DB_NAME: &str = "duken";

thread_local! {
    // The store's futures are !Send; the app is single-threaded, so it lives here.
    static STORE: RefCell<Option<Rc<Store>>> = const { RefCell::new(None) };
}

/// Keeps how long a step took (milliseconds) on the page, where the benchmark reads it
/// (`tests/bench/bench.mjs`); nothing else reads it.
pub fn keep_timing(name: &str, ms: f64) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &name.into(), &ms.into());
    }
}

/// Keeps a step's time the first time it is measured in this tab.
pub fn keep_first_timing(name: &str, ms: f64) {
    if let Some(w) = web_sys::window() {
        if js_sys::Reflect::get(&w, &name.into()).is_ok_and(|v| v.is_undefined()) {
            let _ = js_sys::Reflect::set(&w, &name.into(), &ms.into());
        }
    }
}

/// Adds to a step's time kept by [`keep_timing`] (a step run once per pulled page).
pub fn add_timing(name: &str, ms: f64) {
    if let Some(w) = web_sys::window() {
        let before = js_sys::Reflect::get(&w, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        let _ = js_sys::Reflect::set(&w, &name.into(), &(before + ms).into());
    }
}

pub fn store() -> Option<Rc<Store>> {
    STORE.with(|s| s.borrow().clone())
}

pub fn set_store(store: Store) {
    STORE.with(|s| *s.borrow_mut() = Some(Rc::new(store)));
}

/// Reactive state shared by every screen (Copy: signals only).
#[derive(Clone, Copy)]
pub struct Core {
    pub records: RwSignal<HashMap<Uuid, Record>>,
    /// Ids of records holding a visible conflict, kept up to date record by record so the
    /// header's count does not rescan every record on every keystroke.
    pub conflicted: RwSignal<HashSet<Uuid>>,
    pub ready: RwSignal<Readiness>,
    pub device: RwSignal<Option<Uuid>>,
    /// Who is logged in on this device (None: show the login page).
    pub session: RwSignal<Option<duken_domain::protocol::SessionInfo>>,
    /// Shared-screen mode: only this family is on screen (see `crate::modes`, `shared_screen`).
    pub family_view: RwSignal<Option<Uuid>>,
    /// Cloth templates the user's team added (the built-in ones are in `duken_domain::cloth`).
    pub templates: RwSignal<Vec<Template>>,
    /// Rating forms the user's team made (the built-in ones are in `duken_domain::rating`).
    pub rating_templates: RwSignal<Vec<RatingTemplate>>,
    /// Report templates the user's team added (Duken's own is in `duken_domain::report`).
    pub report_templates: RwSignal<Vec<duken_domain::report::ReportTemplate>>,
    /// The tablet is handed to a family member for their private rating form: nothing else is
    /// on screen until the partner unlocks (see `ratings::private`).
    pub handover: RwSignal<Option<Handover>>,
    /// The data key is not in memory: show the lock screen (see `lock`).
    pub locked: RwSignal<bool>,
    /// What the user may do with each family, as the server last listed it (kept on the device,
    /// so read-only screens stay read-only offline).
    pub access: RwSignal<HashMap<Uuid, Access>>,
    /// Bumped by every edit saved on this device. The sync loop watches it (`sync::follow_edits`):
    /// the floor's data layer does not call into sync, sync listens to it.
    pub edits: RwSignal<u64>,
    /// After an unlock, while the records beyond the family list are still being read:
    /// `(read, of)`. `None` once every record is in memory. Screens that need more than the
    /// family list wait for it (`ui::AllRead`; decision 65).
    pub reading: RwSignal<Option<(usize, usize)>>,
}

/// The tablet handed to one family member for their own form in a round.
#[derive(Clone, Debug, PartialEq)]
pub struct Handover {
    pub family: Uuid,
    pub round: Uuid,
    pub member: Uuid,
    /// The form they get if they have not started one in this round.
    pub template: String,
    /// They pressed «Ferdig» (or stopped): show the hand-back screen, not the form.
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Readiness {
    Opening,
    Ready,
    Failed(String),
}

impl Core {
    pub fn new() -> Core {
        Core {
            records: RwSignal::new(HashMap::new()),
            conflicted: RwSignal::new(HashSet::new()),
            ready: RwSignal::new(Readiness::Opening),
            device: RwSignal::new(None),
            session: RwSignal::new(None),
            family_view: RwSignal::new(None),
            templates: RwSignal::new(Vec::new()),
            rating_templates: RwSignal::new(Vec::new()),
            report_templates: RwSignal::new(Vec::new()),
            handover: RwSignal::new(None),
            locked: RwSignal::new(true),
            access: RwSignal::new(HashMap::new()),
            edits: RwSignal::new(0),
            reading: RwSignal::new(None),
        }
    }

    /// What this user may do with `family`, by the rule the server applies
    /// ([`duken_domain::access`]): as the server listed it, or, for a family the server does
    /// not know yet (made on this device), whether the user's role may register families.
    /// Tracked: a screen built on it follows the listing.
    pub fn access(&self, family: Uuid) -> Access {
        if let Some(a) = self.access.with(|m| m.get(&family).copied()) {
            return a;
        }
        let role = self.session.with(|s| s.as_ref().map(|s| s.user.role));
        match role {
            Some(r) if may_register_family(r) => Access::Write,
            Some(_) => Access::Read,
            None => Access::None,
        }
    }

    pub fn can_write(&self, family: Uuid) -> bool {
        self.access(family).can_write()
    }

    /// Whether this user may write a record of `kind` in `family` (a contact person who reads
    /// the family records the evaluations with the partner): the server's rule,
    /// [`duken_domain::access::may_write`]. Tracked.
    pub fn may_write(&self, family: Uuid, kind: Kind) -> bool {
        let role = self.session.with(|s| s.as_ref().map(|s| s.user.role));
        role.is_some_and(|r| duken_domain::access::may_write(r, self.access(family), kind))
    }

    /// Whether this user may create families (a team leader or contact person may not).
    pub fn may_create_families(&self) -> bool {
        self.session
            .with(|s| s.as_ref().is_some_and(|s| may_register_family(s.user.role)))
    }

    /// Merges records into memory (union of writes, so order never matters). Records that
    /// bring nothing new change nothing, and wake nothing.
    pub fn absorb(&self, records: Vec<Record>) {
        let news: Vec<Record> = self.records.with_untracked(|map| {
            records
                .into_iter()
                .filter(|r| map.get(&r.id) != Some(r))
                .collect()
        });
        if news.is_empty() {
            return;
        }
        let mut conflicts: Vec<(Uuid, bool)> = Vec::with_capacity(news.len());
        self.records.update(|map| {
            for r in news {
                let id = r.id;
                match map.get_mut(&id) {
                    Some(mine) => {
                        let _ = mine.merge(&r);
                        conflicts.push((id, mine.has_conflicts()));
                    }
                    None => {
                        conflicts.push((id, r.has_conflicts()));
                        map.insert(id, r);
                    }
                }
            }
        });
        self.note_conflicts(conflicts);
    }

    /// Puts one record back to a known state (`None`: not on this device).
    pub fn replace(&self, id: Uuid, record: Option<Record>) {
        let conflicted = record.as_ref().is_some_and(Record::has_conflicts);
        self.records.update(|m| match record {
            Some(r) => {
                m.insert(id, r);
            }
            None => {
                m.remove(&id);
            }
        });
        self.note_conflicts(vec![(id, conflicted)]);
    }

    /// Every template a new cloth can use: Duken's own, then the team's.
    pub fn available_templates(&self) -> Vec<Template> {
        let mut all = duken_domain::cloth::builtin();
        all.extend(self.templates.get());
        all
    }

    /// Every rating form a round can use: Duken's own, then the team's (oldest first).
    pub fn available_rating_templates(&self) -> Vec<RatingTemplate> {
        let mut all = duken_domain::rating::builtin();
        all.extend(self.rating_templates.get());
        all
    }

    /// Forgets every record in memory (locking, logging out).
    pub fn clear(&self) {
        self.records.set(HashMap::new());
        self.conflicted.set(HashSet::new());
        self.reading.set(None);
    }

    fn note_conflicts(&self, states: Vec<(Uuid, bool)>) {
        let changes = self.conflicted.with_untracked(|set| {
            states
                .iter()
                .any(|(id, conflicted)| set.contains(id) != *conflicted)
        });
        if changes {
            self.conflicted.update(|set| {
                for (id, conflicted) in states {
                    if conflicted {
                        set.insert(id);
                    } else {
                        set.remove(&id);
                    }
                }
            });
        }
    }

    pub fn record(&self, id: Uuid) -> Option<Record> {
        self.records.with(|m| m.get(&id).cloned())
    }
}

/// Every record of one family that `read` accepts (typed views: `Plan::from_record`, …),
/// tracked, so a screen built on it follows edits and sync.
pub fn list_of<T>(core: Core, family: Uuid, read: fn(&Record) -> Option<T>) -> Vec<T> {
    core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family)
            .filter_map(read)
            .collect()
    })
}

/// The writes of a new record: every field set (nulls left out), none seen before.
pub fn new_writes(values: Vec<(&str, Value)>) -> Vec<FieldWrite> {
    values
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(field, value)| FieldWrite {
            field: field.to_owned(),
            value,
            base: None,
            resolves: Vec::new(),
        })
        .collect()
}

/// A typed text as a field value: trimmed, and empty text is no value.
pub fn text_or_null(s: &str) -> Value {
    match s.trim() {
        "" => Value::Null,
        t => Value::String(t.to_owned()),
    }
}

/// Creates a record with `writes` (all new fields, no base) on this device.
pub fn spawn_create(
    core: Core,
    kind: Kind,
    family: Uuid,
    writes: Vec<(&'static str, Value)>,
    error: RwSignal<Option<String>>,
) -> Uuid {
    let id = Uuid::now_v7();
    let writes = new_writes(writes);
    leptos::task::spawn_local(async move {
        match save(core, id, kind, family, writes).await {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(crate::text::sentence(&e))),
        }
    });
    id
}

pub fn use_core() -> Core {
    expect_context::<Core>()
}

/// Why an edit was not saved; the message is shown to the user as it is.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{0}")]
    Refused(#[from] local::SaveError<StoreError>),
    #[error("lagringen på enheten er ikke åpen ennå")]
    NotOpen,
}

/// A write of `value` to `field`, based on what the editor saw in `seen` (the record as it was
/// when the form opened). `None` when the value is unchanged, so saving an untouched form
/// writes nothing and cannot start a conflict.
pub fn write_if_changed(seen: Option<&Record>, field: &str, value: Value) -> Option<FieldWrite> {
    let before = seen
        .and_then(|r| r.get(field))
        .cloned()
        .unwrap_or(Value::Null);
    // Unset reads as empty text, no choices, or "no": writing those would only start
    // conflicts between devices that agree.
    let empty = |v: &Value| {
        v.is_null()
            || v.as_str() == Some("")
            || v.as_array().is_some_and(Vec::is_empty)
            || v.as_bool() == Some(false)
    };
    if before == value || (empty(&before) && empty(&value)) {
        return None;
    }
    Some(FieldWrite {
        field: field.to_owned(),
        value,
        base: seen.and_then(|r| r.version_of(field)),
        resolves: Vec::new(),
    })
}

/// Saves the fields of `seen` whose value differs from `values` (as the user sees them now).
pub async fn save_fields(
    core: Core,
    seen: &Record,
    values: Vec<(&str, Value)>,
) -> Result<(), SaveError> {
    let writes = values
        .into_iter()
        .filter_map(|(field, value)| write_if_changed(Some(seen), field, value))
        .collect();
    save(core, seen.id, seen.kind, seen.family, writes).await
}

/// [`save_fields`] started from an event handler; a failure is shown in `error`.
pub fn spawn_save_fields(
    core: Core,
    id: Uuid,
    values: Vec<(&'static str, Value)>,
    error: RwSignal<Option<String>>,
) {
    let Some(seen) = core.record(id) else {
        return;
    };
    leptos::task::spawn_local(async move {
        if let Err(e) = save_fields(core, &seen, values).await {
            error.set(Some(crate::text::sentence(&e)));
        }
    });
}

/// Saves one edit of one record on this device. Returns once it is on disk.
///
/// The steps are `duken_domain::local::save`'s (unit-tested there against memory): checked by
/// the server's rules, stamped, shown at once (a note appears within the frame the key was
/// pressed in), then written; if the write fails, memory is put back to what the disk holds and
/// the error is returned. Then [`Core::edits`] tells the sync loop.
pub async fn save(
    core: Core,
    record: Uuid,
    kind: Kind,
    family: Uuid,
    writes: Vec<FieldWrite>,
) -> Result<(), SaveError> {
    if writes.is_empty() {
        return Ok(());
    }
    let edit = Edit {
        id: Uuid::now_v7(),
        record,
        kind,
        family,
        writes,
    };
    let allowed = if untrack(|| core.may_write(family, kind)) {
        Ok(())
    } else {
        Err(match untrack(|| core.access(family)) {
            Access::None => Denied::NoAccess,
            _ => Denied::ReadOnly,
        })
    };
    let store = store().ok_or(SaveError::NotOpen)?;
    local::save(store.as_ref(), &core, edit, allowed).await?;
    core.edits.update(|n| *n = n.wrapping_add(1));
    Ok(())
}

/// The screens' copy, as `local::save` sees it.
impl local::Shown for Core {
    fn record(&self, id: Uuid) -> Option<Record> {
        Core::record(self, id)
    }

    fn absorb(&self, records: Vec<Record>) {
        Core::absorb(self, records);
    }

    fn replace(&self, id: Uuid, record: Option<Record>) {
        Core::replace(self, id, record);
    }
}
