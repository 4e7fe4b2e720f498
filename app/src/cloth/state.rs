//! What every part of one open cloth shares: the [`Board`] (signals: the cloth, who speaks, the
//! drag, the error line) and the [`Cell`] a note sits in. Below the board, its notes, the
//! agreements and dragging, which all take it.

use duken_domain::cloth::{colour_slot, Cloth, Note, Placement, Speaker};
use duken_domain::family::Member;
use leptos::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{speaker_name, Undo};
use crate::core::{spawn_save_fields, Core};

/// Where a note sits: a section, and a life-area row on grid cloths (`None`: the whole family).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    pub section: String,
    pub row: Option<String>,
}

/// Everything the parts of one cloth share (signals only, so it is `Copy`).
#[derive(Clone, Copy)]
pub struct Board {
    pub core: Core,
    pub cloth: Uuid,
    pub family: Uuid,
    pub shared: bool,
    /// The previous cloth shown beside a new one: nothing can be changed.
    pub readonly: bool,
    pub info: Memo<Option<Cloth>>,
    pub notes: Memo<Vec<Note>>,
    pub members: Memo<Vec<Member>>,
    /// Who is speaking now: new notes are theirs (one tap, stays until changed).
    pub speaker: RwSignal<Speaker>,
    pub adding: RwSignal<Option<Cell>>,
    pub editing: RwSignal<Option<Uuid>>,
    pub undo: RwSignal<Option<Undo>>,
    pub error: RwSignal<Option<String>>,
    pub drag: StoredValue<Option<Drag>, LocalStorage>,
}

impl Board {
    pub fn name_of(&self, s: &Speaker) -> String {
        self.members.with(|m| speaker_name(m, s))
    }

    pub(super) fn slot_of(&self, s: &Speaker) -> usize {
        self.info.with(|c| {
            c.as_ref()
                .map(|c| colour_slot(&c.speakers(), s))
                .unwrap_or(0)
        })
    }

    /// Notes in one cell, or in the "other" bucket when `cell` is None.
    pub(super) fn notes_in(&self, cell: Option<&Cell>) -> Vec<Note> {
        self.info.with(|c| {
            let Some(layout) = c.as_ref().map(|c| &c.layout) else {
                return Vec::new();
            };
            self.notes.with(|ns| {
                ns.iter()
                    .filter(
                        |n| match (cell, layout.place(&n.section, n.row.as_deref())) {
                            (None, Placement::Other) => true,
                            (Some(c), Placement::Cell { section, row }) => {
                                c.section == section && c.row == row
                            }
                            _ => false,
                        },
                    )
                    .cloned()
                    .collect()
            })
        })
    }

    /// Moves a note to another cell: one change writing section and row together.
    pub fn move_note(&self, note: Uuid, to: Cell) {
        let row = to.row.map_or(Value::Null, |r| json!(r));
        spawn_save_fields(
            self.core,
            note,
            vec![("section", json!(to.section)), ("row", row)],
            self.error,
        );
    }
}

pub fn new_write(field: &str, value: Value) -> duken_domain::FieldWrite {
    duken_domain::FieldWrite {
        field: field.to_owned(),
        value,
        base: None,
        resolves: Vec::new(),
    }
}

/// A note being dragged (kept in [`Board::drag`]; see `drag`): which note, by which pointer,
/// from where, and whether it has moved past the tap threshold yet.
pub struct Drag {
    pub(super) note: Uuid,
    pub(super) pointer: i32,
    pub(super) start: (f64, f64),
    pub(super) moving: bool,
    pub(super) el: web_sys::HtmlElement,
}
