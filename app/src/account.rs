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

use crate::core::{store, use_core, Core, DB_NAME};
use crate::sync::client::{Api, SyncError};
use crate::sync::use_sync;

const SESSION_KEY: &str = "session";
/// sessionStorage key that carries the reason for a wipe across the reload that follows it.
const WIPED_KEY: &str = "duken-wiped";

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

/// The server no longer knows this session: ask for a login, keep the data. The stored session
/// stays, so the same user logging in again keeps their unsynced edits (see `open_data`).
pub async fn session_ended(core: Core) {
    core.session.set(None);
}

/// Deletes everything this device holds and starts over at the login page.
pub async fn wipe_device(reason: Option<String>) {
    if let Some(store) = store() {
        if let Err(e) = store.wipe(DB_NAME).await {
            web_sys::console::error_1(&format!("kunne ikke slette data på enheten: {e}").into());
        }
    }
    if let Some(w) = web_sys::window() {
        if let (Some(reason), Ok(Some(s))) = (reason, w.session_storage()) {
            let _ = s.set_item(WIPED_KEY, &reason);
        }
        let _ = w.location().replace("/");
    }
}

fn wiped_reason() -> Option<String> {
    let s = web_sys::window()?.session_storage().ok()??;
    let reason = s.get_item(WIPED_KEY).ok()??;
    let _ = s.remove_item(WIPED_KEY);
    Some(reason)
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
    let notice = wiped_reason();
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
                        error.set(Some(e.to_string()));
                    }
                }
                Err(SyncError::Unreachable) => error.set(Some(
                    "Ingen kontakt med serveren. Første innlogging på en enhet krever nett.".into(),
                )),
                Err(e) => error.set(Some(e.to_string())),
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

/// The user's devices: see where you are logged in, log out a lost one; log out here.
#[component]
pub fn DevicesPage() -> impl IntoView {
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
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    let logout = move |_| {
        spawn_local(async move {
            let waiting = sync_state.waiting.get_untracked();
            if waiting > 0 {
                let msg = format!(
                    "{waiting} endringer er ikke sendt til serveren ennå. Logger du ut nå, slettes de fra enheten. Logge ut likevel?"
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
            <div class="actions">
                <button class="button" on:click=logout>"Logg ut på denne enheten"</button>
            </div>
            <p class="meta">"Når du logger ut, slettes alle data om familiene fra denne enheten."</p>
        </section>
    }
}
