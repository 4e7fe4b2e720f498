//! *Duken*, the conversation cloth (see `duken_domain::cloth`): built with the family on the
//! tablet or the living-room TV. Its notes and agreements are records of their own, so two
//! devices adding to one cloth offline never collide.

mod agreements;
mod board;
mod drag;
mod form;
mod notes;
mod state;

pub use agreements::{OpenAgreements, StatusChips};
pub use board::{cloth_screen, shared_cloth};
pub use form::{edit_cloth_screen, new_cloth_screen, ClothList};

use duken_domain::cloth::{Agreement, Cloth, Note, Speaker};
use duken_domain::family::Member;
use duken_domain::record::DELETED;
use duken_domain::{Kind, Record};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use uuid::Uuid;

use crate::core::{save_fields, Core};

/// Cloths of one family, newest first.
pub fn cloths_of(core: Core, family: Uuid) -> Vec<Cloth> {
    let mut out: Vec<Cloth> = core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family && r.kind == Kind::Cloth)
            .filter_map(Cloth::from_record)
            .collect()
    });
    out.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    out
}

/// Notes on one cloth, oldest first (ids are time-ordered UUID v7).
pub fn notes_of(core: Core, family: Uuid, cloth: Uuid) -> Vec<Note> {
    let mut out: Vec<Note> = core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family && r.kind == Kind::Note)
            .filter_map(Note::from_record)
            .filter(|n| n.cloth == cloth)
            .collect()
    });
    out.sort_by_key(|n| n.id);
    out
}

/// Agreements of one family, by due date (undated last), then as made.
pub fn agreements_of(core: Core, family: Uuid) -> Vec<Agreement> {
    let mut out: Vec<Agreement> = core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family && r.kind == Kind::Agreement)
            .filter_map(Agreement::from_record)
            .collect()
    });
    out.sort_by_key(|a| (a.due.is_none(), a.due, a.id));
    out
}

/// How a speaker is named on the cloth.
pub fn speaker_name(members: &[Member], speaker: &Speaker) -> String {
    match speaker {
        Speaker::Member(id) => members
            .iter()
            .find(|m| m.id == *id)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| "Tidligere deltaker".to_owned()),
        Speaker::Helper(name) => name.clone(),
        Speaker::Together => "Sammen".to_owned(),
    }
}

/// Something just deleted, for the "Angre" button.
#[derive(Clone)]
pub struct Undo {
    pub message: String,
    pub record: Record,
}

/// Deletes a record (a tombstone write) and offers to undo it for a while.
pub fn delete_with_undo(
    core: Core,
    id: Uuid,
    message: &str,
    undo: RwSignal<Option<Undo>>,
    error: RwSignal<Option<String>>,
) {
    let Some(seen) = core.record(id) else { return };
    let message = message.to_owned();
    spawn_local(async move {
        if let Err(e) = save_fields(core, &seen, vec![(DELETED, json!(true))]).await {
            error.set(Some(crate::text::sentence(&e)));
            return;
        }
        let Some(deleted) = core.record(id) else {
            return;
        };
        undo.set(Some(Undo {
            message,
            record: deleted,
        }));
        gloo_timers::future::TimeoutFuture::new(10_000).await;
        // Only clear our own offer, not a newer one.
        if undo.with_untracked(|u| u.as_ref().is_some_and(|u| u.record.id == id)) {
            undo.set(None);
        }
    });
}

/// Brings a deleted record back: a write of "not deleted" on top of the delete.
pub fn restore(core: Core, undo: RwSignal<Option<Undo>>, error: RwSignal<Option<String>>) {
    let Some(u) = undo.get_untracked() else {
        return;
    };
    undo.set(None);
    spawn_local(async move {
        if let Err(e) = save_fields(core, &u.record, vec![(DELETED, json!(false))]).await {
            error.set(Some(crate::text::sentence(&e)));
        }
    });
}

/// The "deleted · Angre" bar.
#[component]
pub fn UndoBar(undo: RwSignal<Option<Undo>>, error: RwSignal<Option<String>>) -> impl IntoView {
    let core = crate::core::use_core();
    view! {
        {move || undo.get().map(|u| view! {
            <div class="undo-bar" role="status">
                <span>{u.message}</span>
                <button type="button" class="button" on:click=move |_| restore(core, undo, error)>"Angre"</button>
            </div>
        })}
    }
}
