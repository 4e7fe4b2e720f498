//! Screen modes: what takes the whole screen over from the partner's own screens. A tablet
//! handed to a family member for their private rating form ([`crate::core::Handover`], see
//! `ratings::private`), and the shared screen (the living-room TV, see `shared_screen`), which
//! a feature opens on its cloth, plan or report through [`share`], [`share_plan`] and
//! [`share_report`]. On the floor, so that a feature and the shell both reach them without
//! importing each other.

use leptos::prelude::*;
use uuid::Uuid;

use crate::core::Core;

const KEY: &str = "duken-family-view";
/// The cloth open on the shared screen, if any.
const CLOTH_KEY: &str = "duken-family-view-cloth";
/// The work plan open on the shared screen, if any.
const PLAN_KEY: &str = "duken-family-view-plan";
/// The report open on the shared screen, if any.
const REPORT_KEY: &str = "duken-family-view-report";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Puts the shared screen back after a reload (a child pressing F5 stays on it).
pub fn restore(core: Core) {
    core.family_view.set(shared_family());
}

/// The family shown on the shared screen, if the mode is on (kept for this tab only).
fn shared_family() -> Option<Uuid> {
    let s = session_storage()?.get_item(KEY).ok()??;
    Uuid::parse_str(&s).ok()
}

/// What the shared screen shows of the family, each kept for this tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Cloth,
    Plan,
    Report,
}

impl Shown {
    fn key(self) -> &'static str {
        match self {
            Shown::Cloth => CLOTH_KEY,
            Shown::Plan => PLAN_KEY,
            Shown::Report => REPORT_KEY,
        }
    }
}

/// The cloth, plan or report open on the shared screen, if any.
pub fn shown(what: Shown) -> Option<Uuid> {
    stored_id(what.key())
}

/// Keeps which cloth, plan or report is open on the shared screen (over a reload).
pub fn keep_shown(what: Shown, id: Option<Uuid>) {
    keep_id(what.key(), id);
}

fn stored_id(key: &str) -> Option<Uuid> {
    let s = session_storage()?.get_item(key).ok()??;
    Uuid::parse_str(&s).ok()
}

fn keep_id(key: &str, id: Option<Uuid>) {
    if let Some(s) = session_storage() {
        let _ = match id {
            Some(c) => s.set_item(key, &c.to_string()),
            None => s.remove_item(key),
        };
    }
}

fn keep_cloth(cloth: Option<Uuid>) {
    keep_id(CLOTH_KEY, cloth);
}

/// Opens the shared screen on a work plan, to make or evaluate it with the family.
pub fn share_plan(core: Core, family: Uuid, plan: Uuid) {
    // Kept first: the family view reads it when it opens.
    keep_id(PLAN_KEY, Some(plan));
    share(core, family, None);
}

/// Opens the shared screen on a report, to read it with the family.
pub fn share_report(core: Core, family: Uuid, report: Uuid) {
    keep_id(PLAN_KEY, None);
    keep_id(REPORT_KEY, Some(report));
    share(core, family, None);
}

/// Opens the shared screen on a family, on one of its cloths or on its overview.
pub fn share(core: Core, family: Uuid, cloth: Option<Uuid>) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(KEY, &family.to_string());
    }
    keep_cloth(cloth);
    core.family_view.set(Some(family));
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Full screen where the browser allows it; the mode works without it too.
        let _ = el.request_fullscreen();
    }
}

/// Leaves the shared screen (two deliberate taps on it).
pub fn stop_sharing(core: Core) {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(KEY);
    }
    keep_cloth(None);
    keep_id(PLAN_KEY, None);
    keep_id(REPORT_KEY, None);
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        if d.fullscreen_element().is_some() {
            d.exit_fullscreen();
        }
    }
    core.family_view.set(None);
}
