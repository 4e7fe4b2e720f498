//! The sync loop: push the outbox, then pull what others changed (see docs/sync-protocol.md).
//!
//! Runs at start, after edits (debounced), when the browser comes back online, and on a timer;
//! after a failure it retries with backoff. Nothing here blocks the screens: edits are already
//! on disk before this loop hears of them.

pub mod client;

use std::cell::RefCell;
use std::time::Duration;

use duken_domain::sync::{Coverage, Cursor, Outbox, Replica};
use duken_domain::waiting::Waiting;
use duken_domain::Change;
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;
use wasm_bindgen::prelude::*;

use crate::core::{store, Core};
pub use client::SyncError;

/// What the sync loop is doing, for the header.
#[derive(Clone, Debug, PartialEq)]
pub enum Activity {
    /// Everything on this device is on the server too (or waiting, see `waiting`).
    Idle,
    Syncing {
        done: u64,
        total: u64,
    },
    /// No answer from the server; edits stay on the device and go later.
    Offline,
    /// The server refused a request in a way that names no change (an older server); the
    /// outbox stays as it is.
    Refused(String),
    /// The session ended: edits stay on the device until the user logs in again.
    LoggedOut,
}

#[derive(Clone, Copy)]
pub struct SyncState {
    pub activity: RwSignal<Activity>,
    /// Local changes not yet acknowledged by the server.
    pub waiting: RwSignal<u32>,
    /// What the waiting changes are about, for the header's words ("4 skjema og 1 duk");
    /// empty when nothing waits or the outbox is too long to read for a label.
    pub waiting_things: RwSignal<Vec<Waiting>>,
    /// Changes the server refused for good, set aside until the user decides (`held`).
    pub held: RwSignal<u32>,
    pub last_synced: RwSignal<Option<f64>>,
}

impl SyncState {
    pub fn new() -> SyncState {
        SyncState {
            // Until the first round ends we do not know that all is synced.
            activity: RwSignal::new(Activity::Syncing { done: 0, total: 0 }),
            waiting: RwSignal::new(0),
            waiting_things: RwSignal::new(Vec::new()),
            held: RwSignal::new(0),
            last_synced: RwSignal::new(None),
        }
    }
}

pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

thread_local! {
    static NUDGE: RefCell<Option<UnboundedSender<Reason>>> = const { RefCell::new(None) };
    static STATE: RefCell<Option<SyncState>> = const { RefCell::new(None) };
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Reason {
    Edit,
    Online,
    Asked,
}

fn nudge(reason: Reason) {
    NUDGE.with(|n| {
        if let Some(tx) = n.borrow().as_ref() {
            let _ = tx.unbounded_send(reason);
        }
    });
}

/// Called after every local edit: the header counts it as waiting at once, and a sync follows.
fn edited() {
    if let Some(state) = STATE.with(|s| *s.borrow()) {
        spawn_local(refresh_waiting(state));
    }
    nudge(Reason::Edit);
}

/// Follows the edits saved on this device ([`Core::edits`]): each one refreshes the header's
/// count and, debounced, pushes. Called once by the shell, which owns the reactive scope.
pub fn follow_edits(core: Core) {
    Effect::watch(move || core.edits.get(), move |_, _, _| edited(), false);
}

/// "Synkroniser nå" in the header.
pub fn now() {
    nudge(Reason::Asked);
}

/// After an edit, wait this long for more edits before pushing.
const DEBOUNCE: Duration = Duration::from_millis(700);
/// Poll for others' changes this often when all is well.
const PERIOD: Duration = Duration::from_secs(20);
/// Longest wait between retries while the server is unreachable.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

pub fn start(core: Core, state: SyncState) {
    if STATE.with(|s| s.borrow().is_some()) {
        // Already running (a second login on the same page): just sync now.
        now();
        return;
    }
    let (tx, rx) = unbounded();
    NUDGE.with(|n| *n.borrow_mut() = Some(tx));
    STATE.with(|s| *s.borrow_mut() = Some(state));
    // Opened without a network: say so at once rather than "syncing" until the first try fails.
    if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
        state.activity.set(Activity::Offline);
    }
    listen_online();
    spawn_local(run(core, state, rx));
}

fn listen_online() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let cb = Closure::<dyn Fn()>::new(|| nudge(Reason::Online));
    let _ = window.add_event_listener_with_callback("online", cb.as_ref().unchecked_ref());
    // Lives as long as the page.
    cb.forget();
    // The browser knows at once when the network goes; the next sync round may be 20 s away.
    // Said now; the loop's next round (or an edit) finds out for itself when it comes back.
    let gone = Closure::<dyn Fn()>::new(|| {
        if let Some(state) = STATE.with(|s| *s.borrow()) {
            if !matches!(state.activity.get_untracked(), Activity::LoggedOut) {
                state.activity.set(Activity::Offline);
            }
        }
    });
    let _ = window.add_event_listener_with_callback("offline", gone.as_ref().unchecked_ref());
    gone.forget();
}

async fn run(core: Core, state: SyncState, mut rx: UnboundedReceiver<Reason>) {
    let mut failures: u32 = 0;
    loop {
        let waits = core
            .session
            .with_untracked(|s| s.as_ref().is_none_or(|s| s.must_change_password));
        if waits || core.locked.get_untracked() {
            // Logged out, locked, or on a one-time password (the server serves nothing until
            // the user chose their own): wait for what nudges (a login, an unlock, the change).
            let _ = rx.next().await;
            continue;
        }
        match sync_once(core, state).await {
            Ok(()) => {
                failures = 0;
                state.activity.set(Activity::Idle);
                state.last_synced.set(Some(js_sys::Date::now()));
            }
            Err(SyncError::Refused(msg)) => {
                failures = 0;
                state.activity.set(Activity::Refused(msg));
            }
            Err(SyncError::LoggedOut) => {
                failures = 0;
                state.activity.set(Activity::LoggedOut);
                crate::wipe::session_ended(core);
            }
            Err(SyncError::Revoked(msg)) => {
                crate::wipe::wipe_device(Some(msg)).await;
                return;
            }
            Err(_) => {
                failures = failures.saturating_add(1);
                state.activity.set(Activity::Offline);
            }
        }
        refresh_waiting(state).await;
        let wait = if failures == 0 {
            PERIOD
        } else {
            (Duration::from_secs(1) * 2u32.saturating_pow(failures.min(5))).min(MAX_BACKOFF)
        };
        // Sleep until the timer, or until something asks for a sync.
        let woke = select(rx.next(), Box::pin(sleep(wait))).await;
        if let Either::Left((Some(Reason::Edit), _)) = woke {
            sleep(DEBOUNCE).await;
        }
        // Several nudges while we slept mean one sync.
        while rx.try_recv().is_ok() {}
    }
}

/// The header's counts, from disk. Set only when they change: this runs after every sync round,
/// and an open «Ikke sendt» page re-reads its list when the held count moves.
pub async fn refresh_waiting(state: SyncState) {
    if let Some(store) = store() {
        if let Ok(n) = store.outbox_len().await {
            if state.waiting.get_untracked() != n {
                state.waiting.set(n);
                state.waiting_things.set(waiting_things(&store, n).await);
            }
        }
        if let Ok(n) = store.held_len().await {
            if state.held.get_untracked() != n {
                state.held.set(n);
            }
        }
    }
}

/// Longer than this, the outbox is not read for the header's words (a first day of a big
/// import): the count alone is said.
const WORDS_UP_TO: u32 = 2_000;

/// What the waiting changes are about. A note or a goal names its cloth or plan only in the
/// change that made it; later changes are looked up by the header in the records.
async fn waiting_things(store: &duken_store::Store, n: u32) -> Vec<Waiting> {
    if n == 0 || n > WORDS_UP_TO {
        return Vec::new();
    }
    let Ok(changes) = store.outbox(n).await else {
        return Vec::new();
    };
    changes
        .iter()
        .map(|c| Waiting {
            kind: c.kind,
            record: c.record,
            family: c.family,
            parent: duken_domain::waiting::parent_field(c.kind)
                .and_then(|field| c.writes.iter().find(|w| w.field == field))
                .and_then(|w| w.value.as_str())
                .and_then(|s| Uuid::parse_str(s).ok()),
        })
        .collect()
}

/// The device's copy as the domain's pull driver sees it: the store, and the screens' records.
struct Device {
    core: Core,
    store: std::rc::Rc<duken_store::Store>,
}

impl Outbox for Device {
    type Error = SyncError;

    async fn waiting(&self, limit: u32) -> Result<Vec<Change>, SyncError> {
        Ok(self.store.outbox(limit).await?)
    }

    async fn acknowledge(&self, ids: &[Uuid]) -> Result<(), SyncError> {
        Ok(self.store.acknowledge(ids).await?)
    }

    async fn hold(&self, refused: &[(Uuid, String)]) -> Result<u32, SyncError> {
        Ok(self.store.hold(refused).await?)
    }
}

impl Replica for Device {
    type Error = SyncError;

    async fn position(&self) -> Result<(Cursor, Coverage), SyncError> {
        Ok((
            self.store.meta().await?.cursor,
            self.store.coverage().await?,
        ))
    }

    async fn apply(&self, changes: &[Change], cursor: Option<Cursor>) -> Result<(), SyncError> {
        let t0 = js_sys::Date::now();
        let touched = self.store.apply_pulled(changes, cursor).await?;
        let t1 = js_sys::Date::now();
        self.core.absorb(touched);
        crate::core::add_timing("dukenPullStoreMs", t1 - t0);
        let steps = self.store.last_pull();
        for (name, ms) in [
            ("dukenPullReadMs", steps.read),
            ("dukenPullOpenMs", steps.open),
            ("dukenPullMergeMs", steps.merge),
            ("dukenPullSealMs", steps.seal),
            ("dukenPullWriteMs", steps.write),
        ] {
            crate::core::add_timing(name, ms);
        }
        crate::core::add_timing("dukenPullAbsorbMs", js_sys::Date::now() - t1);
        Ok(())
    }

    async fn set_coverage(&self, coverage: &Coverage) -> Result<(), SyncError> {
        Ok(self.store.set_coverage(coverage).await?)
    }

    async fn reset(&self) -> Result<(), SyncError> {
        Ok(self.store.reset_cursor().await?)
    }
}

async fn sync_once(core: Core, state: SyncState) -> Result<(), SyncError> {
    let store = store().ok_or(SyncError::Local("lagringen er ikke åpen".into()))?;
    let api = client::Api;
    refresh_waiting(state).await;
    // The browser knows there is no network: say «Frakoblet», not «Synkroniserer …» while a
    // request fails. (Its "online" can be wrong, its "offline" is not; going online nudges.)
    if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
        return Err(SyncError::Unreachable);
    }
    state.activity.set(Activity::Syncing { done: 0, total: 0 });

    // One round of the domain's driver (unit-tested there against memory, and run by the
    // server's tests against the real server): push the outbox in batches, setting aside what
    // is refused for good; then pull pages after the cursor, each with its cursor in one
    // transaction, and back-fill granted families.
    let device = Device {
        core,
        store: store.clone(),
    };
    let started = js_sys::Date::now();
    let done = duken_domain::sync::round(
        &api,
        &device,
        || spawn_local(refresh_waiting(state)),
        |done, total| state.activity.set(Activity::Syncing { done, total }),
    )
    .await?;
    let (refused, report) = (done.pushed.refused, done.pulled);
    // The benchmark's first sync without the login before it (Argon2 on both sides).
    if report.changes > 0 {
        crate::core::keep_first_timing("dukenFirstPullRoundMs", js_sys::Date::now() - started);
    }
    if let Some(listed) = report.listed {
        crate::core::keep_access(core, &listed).await;
    }
    refresh_templates(core, &api).await?;
    match refused {
        Some(msg) => Err(SyncError::Refused(msg)),
        None => Ok(()),
    }
}

/// How often the team's templates are asked for (they change seldom; sync runs every 20 s).
const TEMPLATES_EVERY_MS: f64 = 5.0 * 60.0 * 1000.0;

thread_local! {
    /// When this tab last fetched the team's templates (0: not yet).
    static TEMPLATES_FETCHED: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// The team's own cloth templates and rating forms, kept on the device so a cloth can be
/// started and a form given offline. Fetched on the first sync after the app starts, then at
/// most every five minutes.
async fn refresh_templates(core: Core, api: &client::Api) -> Result<(), SyncError> {
    let now = js_sys::Date::now();
    let last = TEMPLATES_FETCHED.with(std::cell::Cell::get);
    if last > 0.0 && now - last < TEMPLATES_EVERY_MS {
        return Ok(());
    }
    let got = api.templates().await?;
    TEMPLATES_FETCHED.with(|t| t.set(now));
    keep_templates(core, got.templates, got.rating_templates).await?;
    keep_report_templates(core, got.report_templates).await
}

/// Stores the team's report templates on the device (if they changed), so a report can be
/// started offline with the team's sections.
async fn keep_report_templates(
    core: Core,
    list: Vec<duken_domain::report::ReportTemplate>,
) -> Result<(), SyncError> {
    if core.report_templates.with_untracked(|t| *t == list) {
        return Ok(());
    }
    let store = store().ok_or(SyncError::Local("lagringen er ikke åpen".into()))?;
    let json = serde_json::to_string(&list).map_err(|e| SyncError::Local(e.to_string()))?;
    store
        .set_setting(crate::core::TEAM_REPORT_TEMPLATES, Some(&json))
        .await?;
    core.report_templates.set(list);
    Ok(())
}

/// Stores the team's templates on the device and shows them (what changed only).
pub async fn keep_templates(
    core: Core,
    templates: Vec<duken_domain::cloth::Template>,
    rating_templates: Vec<duken_domain::rating::RatingTemplate>,
) -> Result<(), SyncError> {
    let store = store().ok_or(SyncError::Local("lagringen er ikke åpen".into()))?;
    let json_err = |e: serde_json::Error| SyncError::Local(e.to_string());
    if core.templates.with_untracked(|t| *t != templates) {
        let json = serde_json::to_string(&templates).map_err(json_err)?;
        store
            .set_setting(crate::core::TEAM_TEMPLATES, Some(&json))
            .await?;
        core.templates.set(templates);
    }
    if core
        .rating_templates
        .with_untracked(|t| *t != rating_templates)
    {
        let json = serde_json::to_string(&rating_templates).map_err(json_err)?;
        store
            .set_setting(crate::core::TEAM_RATING_TEMPLATES, Some(&json))
            .await?;
        core.rating_templates.set(rating_templates);
    }
    Ok(())
}
