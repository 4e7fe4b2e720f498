//! Ending the device's hold on the data: the session the server no longer knows, and wiping
//! the device (the user's choice, a revoked device, a forgotten password). On the floor, so the
//! sync loop handles a 401 or a revocation itself, without calling up into the account screens.

use leptos::prelude::*;

use crate::core::{store, Core, DB_NAME};

/// sessionStorage key that carries the reason for a wipe across the reload that follows it.
const WIPED_KEY: &str = "duken-wiped";

/// The server no longer knows this session: ask for a login, keep the data. The stored session
/// stays, so the same user logging in again keeps their unsynced edits (see `open_data`).
pub fn session_ended(core: Core) {
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

pub fn wiped_reason() -> Option<String> {
    let s = web_sys::window()?.session_storage().ok()??;
    let reason = s.get_item(WIPED_KEY).ok()??;
    let _ = s.remove_item(WIPED_KEY);
    Some(reason)
}
