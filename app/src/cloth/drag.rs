//! Moving a note by dragging it, with a finger or a mouse (pointer events cover both). A press
//! that does not move is a tap: it opens the note for editing. The "Flytt til" list in the
//! editor moves a note without dragging.

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, PointerEvent};

use super::state::{Board, Cell, Drag};

/// Pixels a pointer must travel before a press becomes a drag (a shaky tap stays a tap).
const THRESHOLD: f64 = 8.0;

fn element(ev: &PointerEvent) -> Option<HtmlElement> {
    ev.current_target()?.dyn_into::<HtmlElement>().ok()
}

pub fn start(board: Board, note: Uuid, ev: &PointerEvent) {
    if ev.button() != 0 {
        return;
    }
    // Presses inside a form (the note's editor) are not drags.
    if let Some(t) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
        if t.closest("form, button, input, textarea, select")
            .ok()
            .flatten()
            .is_some()
        {
            return;
        }
    }
    let Some(el) = element(ev) else { return };
    // Keep receiving moves when the pointer leaves the note.
    let _ = el.set_pointer_capture(ev.pointer_id());
    board.drag.set_value(Some(Drag {
        note,
        pointer: ev.pointer_id(),
        start: (f64::from(ev.client_x()), f64::from(ev.client_y())),
        moving: false,
        el,
    }));
}

pub fn moved(board: Board, ev: &PointerEvent) {
    board.drag.update_value(|d| {
        let Some(d) = d.as_mut() else { return };
        if d.pointer != ev.pointer_id() {
            return;
        }
        let dx = f64::from(ev.client_x()) - d.start.0;
        let dy = f64::from(ev.client_y()) - d.start.1;
        if !d.moving && dx.hypot(dy) < THRESHOLD {
            return;
        }
        d.moving = true;
        let _ = d.el.class_list().add_1("dragging");
        let _ =
            d.el.style()
                .set_property("transform", &format!("translate({dx}px, {dy}px)"));
        highlight(target_at(&d.el, ev).as_ref());
    });
}

pub fn end(board: Board, ev: &PointerEvent) {
    let Some(d) = board.drag.try_update_value(Option::take).flatten() else {
        return;
    };
    if d.pointer != ev.pointer_id() {
        return;
    }
    let target = d.moving.then(|| target_at(&d.el, ev)).flatten();
    reset(&d);
    highlight(None);
    if !d.moving {
        board.adding.set(None);
        board.editing.set(Some(d.note));
        return;
    }
    if let Some(cell) = target.as_ref().and_then(cell_of) {
        board.move_note(d.note, cell);
    }
}

pub fn cancel(board: Board) {
    if let Some(d) = board.drag.try_update_value(Option::take).flatten() {
        reset(&d);
    }
    highlight(None);
}

fn reset(d: &Drag) {
    let _ = d.el.class_list().remove_1("dragging");
    let _ = d.el.style().remove_property("transform");
    let _ = d.el.release_pointer_capture(d.pointer);
}

/// The cell under the pointer (the dragged note itself hidden for the lookup).
fn target_at(dragged: &HtmlElement, ev: &PointerEvent) -> Option<Element> {
    let doc = web_sys::window()?.document()?;
    let style = dragged.style();
    let _ = style.set_property("visibility", "hidden");
    let hit = doc.element_from_point(ev.client_x() as f32, ev.client_y() as f32);
    let _ = style.remove_property("visibility");
    hit?.closest("[data-cell]").ok().flatten()
}

fn cell_of(el: &Element) -> Option<Cell> {
    let section = el.get_attribute("data-section").filter(|s| !s.is_empty())?;
    let row = el.get_attribute("data-row").filter(|s| !s.is_empty());
    Some(Cell { section, row })
}

/// Marks the cell a dragged note would land in.
fn highlight(target: Option<&Element>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(Some(old)) = doc.query_selector(".cell.drop-target") {
        let _ = old.class_list().remove_1("drop-target");
    }
    if let Some(t) = target.filter(|t| cell_of(t).is_some()) {
        let _ = t.class_list().add_1("drop-target");
    }
}
