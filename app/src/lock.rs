//! Unlocking and locking the data on this device. The data key is unwrapped with the user's
//! password and lives only in memory; locking (on demand, or after [`IDLE_MINUTES`] without a
//! touch) forgets it and the records held for the screens.

use std::cell::Cell;
use std::time::Duration;

use duken_store::{CryptoError, DataKey, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::core::{keep_timing, store, use_core, Core};
use crate::sync::{self, use_sync, SyncState};
use crate::wipe::wipe_device;

/// Minutes without a touch or key press before the app locks itself.
pub const IDLE_MINUTES: f64 = 10.0;

thread_local! {
    static LAST_ACTIVE: Cell<f64> = Cell::new(js_sys::Date::now());
    /// Counts unlocks and locks, so a read still running from before a lock is dropped.
    static UNLOCKS: Cell<u64> = const { Cell::new(0) };
    /// Why the app locked itself again after the family list had shown (the rest could not be
    /// read): the next lock screen says it, since the one the password was typed into is gone.
    static LOCKED_BECAUSE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Loads the records into memory once the store is unlocked, and lets sync run. The family
/// list shows as soon as its own records are in (`Store::front_records`); the rest follows in
/// slices with `Core::reading` counting, and sync starts once every record is in memory
/// (decision 65).
pub async fn opened(core: Core, sync_state: SyncState) -> Result<(), StoreError> {
    let store = store().ok_or(StoreError::Open("lagringen er ikke åpen".into()))?;
    let unlock = UNLOCKS.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    let t0 = js_sys::Date::now();
    // A list that cannot be read only means reading everything before the list shows.
    let front = store.front_records().await.unwrap_or(None);
    core.clear();
    if let Ok(Some(json)) = store.setting(crate::core::TEAM_TEMPLATES).await {
        // Unreadable (an older format): the next sync fetches them again.
        core.templates
            .set(serde_json::from_str(&json).unwrap_or_default());
    }
    if let Ok(Some(json)) = store.setting(crate::core::TEAM_RATING_TEMPLATES).await {
        core.rating_templates
            .set(serde_json::from_str(&json).unwrap_or_default());
    }
    if let Ok(Some(json)) = store.setting(crate::core::TEAM_REPORT_TEMPLATES).await {
        core.report_templates
            .set(serde_json::from_str(&json).unwrap_or_default());
    }
    crate::core::restore_access(core).await;
    sync_state.waiting.set(store.outbox_len().await?);
    sync_state.held.set(store.held_len().await?);
    if let Some(front) = front {
        core.absorb(front);
        core.reading.set(Some((0, 0)));
        core.locked.set(false);
        keep_timing("dukenUnlockFrontMs", js_sys::Date::now() - t0);
        LAST_ACTIVE.with(|t| t.set(js_sys::Date::now()));
    }
    let t1 = js_sys::Date::now();
    let read = store
        .all_records_with(|done, total| {
            // A read dropped by a lock does not move the bar of the one after it.
            if UNLOCKS.with(Cell::get) == unlock {
                core.reading.set(Some((done, total)));
            }
        })
        .await;
    // Locked (or locked and opened again) while reading: this read is not the one on screen.
    if UNLOCKS.with(Cell::get) != unlock {
        return Ok(());
    }
    let records = match read {
        Ok(records) => records,
        Err(e) => {
            if !core.locked.get_untracked() {
                let why = format!(
                    "Resten av dataene på enheten kunne ikke leses ({e}), så Duken låste seg igjen. Prøv igjen; skjer det samme, ta kontakt med teamlederen før enheten tømmes."
                );
                LOCKED_BECAUSE.with(|r| *r.borrow_mut() = Some(why));
            }
            lock(core);
            return Err(e);
        }
    };
    let t2 = js_sys::Date::now();
    if let Err(e) = store.keep_front(&records).await {
        web_sys::console::warn_1(&format!("listen over familiene ble ikke lagret: {e}").into());
    }
    core.absorb(records);
    core.reading.set(None);
    keep_timing("dukenUnlockReadMs", t2 - t1);
    let steps = store.last_read();
    keep_timing("dukenUnlockIdbMs", steps.read);
    keep_timing("dukenUnlockDecryptMs", steps.open);
    keep_timing("dukenUnlockParseMs", steps.parse);
    keep_timing("dukenUnlockAbsorbMs", js_sys::Date::now() - t2);
    keep_timing("dukenUnlockAllMs", js_sys::Date::now() - t0);
    if core.locked.get_untracked() {
        core.locked.set(false);
        LAST_ACTIVE.with(|t| t.set(js_sys::Date::now()));
    }
    sync::start(core, sync_state);
    Ok(())
}

/// Unwraps the data key with `password` (or makes the device's first key) and unlocks.
pub async fn unlock_with(password: &str) -> Result<(), StoreError> {
    let store = store().ok_or(StoreError::Open("lagringen er ikke åpen".into()))?;
    let key = match store.key_material().await? {
        Some(material) => {
            let t0 = js_sys::Date::now();
            let key = DataKey::unlock(password, &material)?;
            keep_timing("dukenUnlockKeyMs", js_sys::Date::now() - t0);
            key
        }
        None => {
            let (key, material) = DataKey::create(password)?;
            store.set_key_material(&material).await?;
            key
        }
    };
    store.unlock(key).await;
    Ok(())
}

pub fn lock(core: Core) {
    UNLOCKS.with(|n| n.set(n.get() + 1));
    if let Some(store) = store() {
        store.lock();
    }
    core.clear();
    core.locked.set(true);
}

/// Locks after [`IDLE_MINUTES`] without input.
pub fn watch_idle(core: Core) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let touch = Closure::<dyn Fn()>::new(|| LAST_ACTIVE.with(|t| t.set(js_sys::Date::now())));
    for event in ["pointerdown", "keydown", "touchstart"] {
        let _ = window.add_event_listener_with_callback(event, touch.as_ref().unchecked_ref());
    }
    // Lives as long as the page.
    touch.forget();
    spawn_local(async move {
        loop {
            gloo_timers::future::sleep(Duration::from_secs(20)).await;
            let idle = js_sys::Date::now() - LAST_ACTIVE.with(Cell::get);
            if !core.locked.get_untracked()
                && core.session.with_untracked(Option::is_some)
                && idle > IDLE_MINUTES * 60_000.0
            {
                lock(core);
            }
        }
    });
}

/// Changes on this device the server does not have: waiting to be sent, or set aside after a
/// refusal. Counted without the key (the values stay sealed).
async fn unsent() -> u32 {
    let Some(store) = store() else { return 0 };
    let waiting = store.outbox_len().await.unwrap_or(0);
    let held = store.held_len().await.unwrap_or(0);
    waiting + held
}

/// "1 endring er …", "3 endringer er …": the count of changes not yet on the server.
pub fn unsent_heading(n: u32) -> String {
    match n {
        1 => "1 endring er ikke sendt til serveren".into(),
        n => format!("{n} endringer er ikke sendt til serveren"),
    }
}

/// What wiping would lose, in words ("2 møtelogger, 1 rangeringsskjema"), read with the
/// user's password: it proves the one wiping is the one whose work it is. The key is dropped
/// again at once; the app stays locked.
async fn what_would_be_lost(password: &str) -> Result<String, StoreError> {
    let store = store().ok_or(StoreError::Open("lagringen er ikke åpen".into()))?;
    let material = store
        .key_material()
        .await?
        .ok_or(StoreError::Crypto(CryptoError::WrongPassword))?;
    let key = DataKey::unlock(password, &material)?;
    store.unlock(key).await;
    let read = async {
        let mut changes = store.outbox(u32::MAX).await?;
        changes.extend(store.held().await?.into_iter().map(|h| h.change));
        Ok::<_, StoreError>(changes)
    }
    .await;
    store.lock();
    let mut per_kind: std::collections::BTreeMap<&'static str, (duken_domain::Kind, i64)> =
        std::collections::BTreeMap::new();
    for c in read? {
        per_kind.entry(c.kind.as_str()).or_insert((c.kind, 0)).1 += 1;
    }
    Ok(per_kind
        .values()
        .map(|(kind, n)| format!("{n} {}", kind.noun(*n)))
        .collect::<Vec<_>>()
        .join(", "))
}

#[component]
pub fn UnlockPage() -> impl IntoView {
    let core = use_core();
    let sync_state = use_sync();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(LOCKED_BECAUSE.with(|r| r.borrow_mut().take()));
    let busy = RwSignal::new(false);
    let name = move || {
        core.session
            .with(|s| s.as_ref().map(|s| s.user.display_name.clone()))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            // Let "Låser opp …" paint before the key derivation takes the thread for a moment.
            gloo_timers::future::sleep(Duration::from_millis(30)).await;
            let result = match unlock_with(&password.get_untracked()).await {
                Ok(()) => opened(core, sync_state).await,
                Err(e) => Err(e),
            };
            password.set(String::new());
            busy.set(false);
            match result {
                Ok(()) => {}
                Err(StoreError::Crypto(CryptoError::WrongPassword)) => {
                    error.set(Some("Feil passord.".into()))
                }
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };
    // «Logg inn som en annen bruker» wipes the device. Never on one tap while edits wait: say
    // how many, offer to unlock and sync first, and ask for this user's password to go on.
    let leaving = RwSignal::new(None::<u32>);
    let other_user = move |_| {
        spawn_local(async move {
            let waiting = unsent().await;
            if waiting == 0 {
                let ok = web_sys::window()
                    .and_then(|w| w.confirm_with_message("Logge inn som en annen? Dataene på denne enheten slettes. Alt er sendt til serveren, så ingenting går tapt der.").ok())
                    .unwrap_or(false);
                if ok {
                    wipe_device(None).await;
                }
            } else {
                leaving.set(Some(waiting));
            }
        });
    };
    let wipe_password = RwSignal::new(String::new());
    let wipe_error = RwSignal::new(None::<String>);
    let wipe_anyway = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pw = wipe_password.get_untracked();
        wipe_password.set(String::new());
        spawn_local(async move {
            match what_would_be_lost(&pw).await {
                Err(StoreError::Crypto(CryptoError::WrongPassword)) => {
                    wipe_error.set(Some("Feil passord. Ingenting er slettet.".into()))
                }
                Err(e) => wipe_error.set(Some(crate::text::sentence(&e))),
                Ok(lost) => {
                    let msg = format!(
                        "Dette slettes for godt fra enheten og finnes ikke på serveren: {lost}. Slette likevel?"
                    );
                    let ok = web_sys::window()
                        .and_then(|w| w.confirm_with_message(&msg).ok())
                        .unwrap_or(false);
                    if ok {
                        wipe_device(None).await;
                    }
                }
            }
        });
    };
    view! {
        <section class="page narrow login">
            <h1>"Låst"</h1>
            <p class="lead">"Dataene på denne enheten er kryptert. Skriv passordet ditt for å låse opp."</p>
            <p class="meta">{name}</p>
            <form on:submit=on_submit novalidate>
                <label>"Passord"<input name="unlock-password" type="password" autocomplete="current-password" bind:value=password/></label>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary big" disabled=move || busy.get()>
                        {move || if busy.get() { "Låser opp …" } else { "Lås opp" }}
                    </button>
                </div>
            </form>
            <Show when=move || leaving.get().is_none()>
                <button class="link" on:click=other_user>"Logg inn som en annen bruker"</button>
            </Show>
            {move || leaving.get().map(|n| view! {
                <div class="notice unsent" data-testid="unsent" role="alert">
                    <h2>{unsent_heading(n)}</h2>
                    <p>"Logger du inn som en annen, slettes alt på enheten, også disse. Lås opp med passordet ditt over, så blir de sendt så snart enheten har nett."</p>
                    <form on:submit=wipe_anyway novalidate>
                        <label>{move || format!("Vil du likevel slette dem? Skriv passordet til {}", name().unwrap_or_default())}
                            <input name="wipe-password" type="password" autocomplete="current-password" bind:value=wipe_password/>
                        </label>
                        {move || wipe_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="actions">
                            <button type="button" class="button" on:click=move |_| { leaving.set(None); wipe_error.set(None); }>"Avbryt"</button>
                            <button type="submit" class="button danger-inline">"Slett alt på enheten"</button>
                        </div>
                    </form>
                </div>
            })}
        </section>
    }
}
