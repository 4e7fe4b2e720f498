//! Logging in on this device, the user's devices, and logging out.
//!
//! Who is logged in is kept in the local store, so the app opens and works offline; the session
//! itself is an HttpOnly cookie the page cannot read. A session that ends on the server (expired)
//! asks for a new login and keeps the data; a session ended on purpose (device revoked, user
//! disabled) wipes the device.

use duken_domain::protocol::{DeviceInfo, LoginRequest, SessionInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::core::{store, use_core, DB_NAME};
use crate::sync::client::{Api, SyncError};
use crate::sync::use_sync;
use crate::wipe::wipe_device;

const SESSION_KEY: &str = "session";

/// The session remembered on this device, if any.
pub async fn restore() -> Option<SessionInfo> {
    let json = store()?.setting(SESSION_KEY).await.ok()??;
    serde_json::from_str(&json).ok()
}

async fn remember(session: Option<&SessionInfo>) {
    if let Some(store) = store() {
        let json = session.and_then(|s| serde_json::to_string(s).ok());
        if let Err(e) = store.set_setting(SESSION_KEY, json.as_deref()).await {
            web_sys::console::warn_1(&format!("kunne ikke lagre innloggingen: {e}").into());
        }
    }
}

/// After a login: unlock the data on this device with the password. If the device holds another
/// user's data, or data sealed under an older password, it is wiped first (it cannot be read,
/// and must not be mixed with this user's).
async fn open_data(password: &str, session: &SessionInfo) -> Result<(), String> {
    let previous = restore().await;
    let same_user = previous
        .as_ref()
        .is_some_and(|p| p.user.id == session.user.id);
    let store = store().ok_or("lagringen er ikke åpen")?;
    let has_key = store
        .key_material()
        .await
        .map_err(|e| e.to_string())?
        .is_some();
    if has_key && !same_user {
        start_over().await?;
    }
    match crate::lock::unlock_with(password).await {
        Ok(()) => Ok(()),
        Err(duken_store::StoreError::Crypto(duken_store::CryptoError::WrongPassword)) => {
            // The password was changed on the server since this device last saw it.
            start_over().await?;
            crate::lock::unlock_with(password)
                .await
                .map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Deletes the local database and opens a fresh one in its place.
async fn start_over() -> Result<(), String> {
    if let Some(store) = store() {
        store.wipe(DB_NAME).await.map_err(|e| e.to_string())?;
    }
    let fresh = duken_store::Store::open(DB_NAME)
        .await
        .map_err(|e| e.to_string())?;
    crate::core::set_store(fresh);
    Ok(())
}

fn default_device_name() -> String {
    let narrow = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .is_some_and(|w| w < 600.0);
    if narrow { "Telefon" } else { "Nettbrett" }.to_owned()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let core = use_core();
    let sync_state = use_sync();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let device = RwSignal::new(default_device_name());
    let error = RwSignal::new(None::<String>);
    let notice = crate::wipe::wiped_reason();
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if username.get_untracked().trim().is_empty() || password.get_untracked().is_empty() {
            error.set(Some("Skriv inn brukernavn og passord.".into()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let req = LoginRequest {
                username: username.get_untracked().trim().to_owned(),
                password: password.get_untracked(),
                device_name: device.get_untracked(),
            };
            match Api::login(&req).await {
                Ok(session) => {
                    // The same password unwraps (or makes) the key of the data on this device.
                    let pw = password.get_untracked();
                    password.set(String::new());
                    if let Err(e) = open_data(&pw, &session).await {
                        error.set(Some(e));
                        busy.set(false);
                        return;
                    }
                    remember(Some(&session)).await;
                    core.session.set(Some(session));
                    if let Err(e) = crate::lock::opened(core, sync_state).await {
                        error.set(Some(crate::text::sentence(&e)));
                    }
                }
                Err(SyncError::Unreachable) => error.set(Some(
                    "Ingen kontakt med serveren. Første innlogging på en enhet krever nett.".into(),
                )),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="page narrow login">
            <h1>"Logg inn"</h1>
            {notice.map(|n| view! { <p class="error" role="alert">{n}" Data på denne enheten er slettet."</p> })}
            <form on:submit=on_submit novalidate>
                <label>"Brukernavn"<input name="username" type="text" autocomplete="username" autocapitalize="none" bind:value=username/></label>
                <label>"Passord"<input name="password" type="password" autocomplete="current-password" bind:value=password/></label>
                <label>"Navn på denne enheten"<input name="device-name" type="text" bind:value=device/></label>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary big" disabled=move || busy.get()>"Logg inn"</button>
                </div>
            </form>
        </section>
    }
}

crate::later::screens! { devices:
    devices_screen => view! { <DevicesPage/> },
}

/// The user's devices: see where you are logged in, log out a lost one; log out here.
#[component]
fn DevicesPage() -> impl IntoView {
    let core = use_core();
    let sync_state = use_sync();
    let list = RwSignal::new(None::<Result<Vec<DeviceInfo>, String>>);
    let load = move || {
        spawn_local(async move {
            list.set(Some(Api::devices().await.map_err(|e| e.to_string())));
        })
    };
    load();
    let error = RwSignal::new(None::<String>);
    let revoke = move |id: Uuid| {
        spawn_local(async move {
            match Api::revoke(id).await {
                Ok(()) => load(),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        })
    };
    let logout = move |_| {
        spawn_local(async move {
            let waiting = sync_state.waiting.get_untracked();
            if waiting > 0 {
                let msg = format!(
                    "{} ennå. Logger du ut nå, slettes de fra enheten. Logge ut likevel?",
                    crate::lock::unsent_heading(waiting)
                );
                let ok = web_sys::window()
                    .and_then(|w| w.confirm_with_message(&msg).ok())
                    .unwrap_or(false);
                if !ok {
                    return;
                }
            }
            // Logging out wipes the device even when the server cannot be reached.
            let _ = Api::logout().await;
            wipe_device(None).await;
        })
    };
    let name = move || {
        core.session.with(|s| {
            s.as_ref()
                .map(|s| format!("{} ({})", s.user.display_name, s.user.role.label()))
        })
    };
    view! {
        <section class="page narrow">
            <h1>"Enheter"</h1>
            <p class="meta">"Innlogget som "{name}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || match list.get() {
                None => view! { <p class="empty">"Henter enhetene …"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e}</p> }.into_any(),
                Some(Ok(devices)) => view! {
                    <ul class="cards devices">
                        {devices.into_iter().filter(|d| d.active).map(|d| {
                            let id = d.id;
                            view! {
                                <li class="card device" data-current=d.current.to_string()>
                                    <div class="choice-row">
                                        <span>
                                            <strong>{d.name.clone()}</strong>
                                            {d.current.then_some(" (denne enheten)")}
                                        </span>
                                        {(!d.current).then(|| view! {
                                            <button class="button danger-inline" on:click=move |_| revoke(id)>"Logg ut enheten"</button>
                                        })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <ChangePassword/>
            <div class="actions">
                <button class="button" on:click=logout>"Logg ut på denne enheten"</button>
            </div>
            <p class="meta">"Når du logger ut, slettes alle data om familiene fra denne enheten."</p>
        </section>
    }
}

/// What the password screens say.
mod password_words {
    pub const FIRST_TITLE: &str = "Lag ditt eget passord";
    pub const FIRST_LEAD: &str = "Du logget inn med et engangspassord. Velg et eget passord før du begynner: det låser også opp dataene på denne enheten, også uten nett.";
    pub const CHANGE_TITLE: &str = "Bytt passord";
    pub const ONE_TIME: &str = "Engangspassordet du fikk";
    pub const CURRENT: &str = "Nåværende passord";
    pub const NEW: &str = "Nytt passord";
    pub const NEW_HINT: &str =
        "Minst 12 tegn. En setning du husker er bra, f.eks. «kaffe på kjøkkenbordet».";
    pub const REPEAT: &str = "Nytt passord en gang til";
    pub const SAVE: &str = "Lagre det nye passordet";
    pub const SAVING: &str = "Lagrer det nye passordet …";
    pub const SAVED: &str =
        "Passordet er byttet. Bruk det nye neste gang du logger inn eller låser opp.";
    pub const NOT_SAME: &str =
        "De to nye passordene er ikke like. Skriv det samme i begge feltene.";
    pub const SAME_AS_NOW: &str = "Det nye passordet må være et annet enn det du har nå.";
    pub const WRONG_CURRENT: &str =
        "Det nåværende passordet stemmer ikke. Skriv det du logget inn med.";
    pub const OFFLINE: &str = "Du må være på nett for å bytte passord. Prøv igjen når enheten har nett; det du har lagret på enheten er trygt.";
    pub const LOG_OUT: &str = "Logg ut";
}

/// Chooses a new password: on the server (it must be online) and for the data on this device
/// (the data key is wrapped anew, so unlocking works with the new password, offline too).
/// `first`: the screen after a login with a one-time password, which comes before everything.
#[component]
pub fn ChangePassword(#[prop(optional)] first: bool) -> impl IntoView {
    use password_words as w;
    let core = use_core();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (cur, pw, again) = (
            current.get_untracked(),
            new.get_untracked(),
            repeat.get_untracked(),
        );
        if let Err(e) = duken_domain::account::check_password(&pw) {
            error.set(Some(crate::text::sentence(&e)));
            return;
        }
        if pw != again {
            error.set(Some(w::NOT_SAME.into()));
            return;
        }
        if pw == cur {
            error.set(Some(w::SAME_AS_NOW.into()));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match save_new_password(&cur, &pw).await {
                Ok(session) => {
                    remember(Some(&session)).await;
                    core.session.set(Some(session));
                    current.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    done.set(true);
                    // A session on a one-time password did not sync: it may now.
                    crate::sync::now();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let log_out = move |_| {
        spawn_local(async move {
            let _ = Api::logout().await;
            wipe_device(None).await;
        })
    };
    view! {
        <section class=if first { "page narrow first-password" } else { "change-password" } aria-labelledby="password-title">
            {if first {
                view! { <h1 id="password-title">{w::FIRST_TITLE}</h1><p class="lead">{w::FIRST_LEAD}</p> }.into_any()
            } else {
                view! { <h2 id="password-title">{w::CHANGE_TITLE}</h2> }.into_any()
            }}
            <form class="password-form" on:submit=on_submit novalidate>
                <label>{if first { w::ONE_TIME } else { w::CURRENT }}
                    <input name="current-password" type="password" autocomplete="current-password" required bind:value=current/>
                </label>
                <label>{w::NEW}
                    <input name="new-password" type="password" autocomplete="new-password" required bind:value=new aria-describedby="new-password-hint"/>
                </label>
                <p class="hint" id="new-password-hint">{w::NEW_HINT}</p>
                <label>{w::REPEAT}
                    <input name="repeat-password" type="password" autocomplete="new-password" required bind:value=repeat/>
                </label>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                {move || done.get().then(|| view! { <p class="saved" role="status">{w::SAVED}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || busy.get()>
                        {move || if busy.get() { w::SAVING } else { w::SAVE }}
                    </button>
                    {first.then(|| view! { <button type="button" class="button" on:click=log_out>{w::LOG_OUT}</button> })}
                </div>
            </form>
        </section>
    }
}

/// The new password on the server first, then on the device: the device's wrapping is made
/// before asking (checking the current password on the way) and stored only when the server
/// said yes, so the two never disagree about which password opens this user's data.
async fn save_new_password(current: &str, new: &str) -> Result<SessionInfo, String> {
    use password_words as w;
    let store = store().ok_or("lagringen er ikke åpen")?;
    let material = store
        .key_material()
        .await
        .map_err(crate::text::sentence)?
        .ok_or("enheten har ingen nøkkel ennå; logg inn på nytt")?;
    let wrapped = duken_store::DataKey::rewrap(current, new, &material).map_err(|e| match e {
        duken_store::CryptoError::WrongPassword => w::WRONG_CURRENT.to_owned(),
        other => crate::text::sentence(other),
    })?;
    let change = duken_domain::protocol::PasswordChange {
        current: current.to_owned(),
        new: new.to_owned(),
    };
    let session = match Api::change_password(&change).await {
        Ok(s) => s,
        Err(SyncError::Unreachable) => return Err(w::OFFLINE.into()),
        Err(e) => return Err(crate::text::sentence(e)),
    };
    store
        .set_key_material(&wrapped)
        .await
        .map_err(crate::text::sentence)?;
    Ok(session)
}
