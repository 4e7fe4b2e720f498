//! The notes in a cell: the list, one note, typing a new one, and editing one in place.

use duken_domain::cloth::{Cloth, Deadline, Note, Speaker};
use duken_domain::dates::{iso_date, parse_date};
use duken_domain::Kind;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use uuid::Uuid;

use super::delete_with_undo;
use super::drag::{self};
use super::state::{new_write, Board, Cell};
use crate::core::{save, spawn_save_fields, write_if_changed};

#[component]
pub(super) fn CellView(
    board: Board,
    cell: Cell,
    title: String,
    #[prop(default = None)] deadline: Option<Deadline>,
    #[prop(optional)] hide_title: bool,
    /// The heading level of the section's title (2 or 3).
    #[prop(default = 3)]
    level: u8,
) -> impl IntoView {
    let here = cell.clone();
    let section = cell.section.clone();
    let row = cell.row.clone().unwrap_or_default();
    let is_adding = Memo::new(move |_| board.adding.with(|a| a.as_ref() == Some(&here)));
    let open = cell.clone();
    let add_label = format!("Legg til i «{title}»");
    view! {
        <section class="cell" data-cell="" data-section=section data-row=row aria-label=title.clone()>
            {(!hide_title).then(|| if level == 2 {
                view! { <h2 class="cell-title">{title.clone()}<DeadlineInput board=board deadline=deadline/></h2> }.into_any()
            } else {
                view! { <h3 class="cell-title">{title.clone()}<DeadlineInput board=board deadline=deadline/></h3> }.into_any()
            })}
            <NoteList board=board cell=Some(cell.clone())/>
            {(!board.readonly && !board.shared).then(|| view! {
                <Show when=move || is_adding.get() fallback=move || {
                    let open = open.clone();
                    view! {
                        <button type="button" class="add-note no-print" aria-label=add_label.clone() on:click=move |_| {
                            board.editing.set(None);
                            board.adding.set(Some(open.clone()));
                        }>"+"</button>
                    }
                }>
                    <AddNote board=board cell=cell.clone()/>
                </Show>
            })}
        </section>
    }
}

#[component]
pub(super) fn NoteList(board: Board, cell: Option<Cell>) -> impl IntoView {
    let notes = move || board.notes_in(cell.as_ref());
    view! {
        <ul class="notes">
            <For
                each=notes
                // Keyed on what is shown, so an edited note is redrawn and the rest are kept.
                key=|n| (n.id, n.text.clone(), n.by.as_ref().map(Speaker::encode), n.worker_only)
                children=move |n| view! { <NoteCard board=board note=n/> }
            />
        </ul>
    }
}

#[component]
fn NoteCard(board: Board, note: Note) -> impl IntoView {
    let id = note.id;
    let speaker = note.by.clone().unwrap_or(Speaker::Together);
    let slot = board.slot_of(&speaker);
    let by = board.name_of(&speaker);
    let is_editing = Memo::new(move |_| board.editing.get() == Some(id));
    let worker_only = note.worker_only;
    let text = note.text.clone();
    view! {
        <li class=format!("note c{slot}") class:worker-only=worker_only data-testid="note" data-note=id.to_string()
            tabindex=if board.readonly { None } else { Some("0") }
            on:pointerdown=move |ev| if !board.readonly && !is_editing.get_untracked() { drag::start(board, id, &ev) }
            on:pointermove=move |ev| drag::moved(board, &ev)
            on:pointerup=move |ev| drag::end(board, &ev)
            on:pointercancel=move |_| drag::cancel(board)
            on:keydown=move |ev| if ev.key() == "Enter" && !board.readonly && !is_editing.get_untracked() { board.editing.set(Some(id)) }>
            <Show when=move || is_editing.get() fallback={
                let text = text.clone();
                let by = by.clone();
                move || view! {
                    <p class="note-text">{text.clone()}</p>
                    <p class="note-by">{by.clone()}{worker_only.then_some(" · bare fagpersoner")}</p>
                }
            }>
                <NoteEditor board=board note=note.clone()/>
            </Show>
        </li>
    }
}

/// Typing a note: Enter saves and leaves the box open for the next one.
#[component]
pub(super) fn AddNote(board: Board, cell: Cell) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let input: NodeRef<html::Textarea> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    // `as_speaker`: the person tapped under the box said it (and speaks on from now on).
    let submit = move |as_speaker: Option<Speaker>| {
        let t = text.get_untracked().trim().to_owned();
        if t.is_empty() {
            board.error.set(Some("Skriv noe før du lagrer.".into()));
            return;
        }
        board.error.set(None);
        if let Some(s) = as_speaker {
            board.speaker.set(s);
        }
        let speaker = board.speaker.get_untracked();
        let id = Uuid::now_v7();
        let mut writes = vec![
            new_write("cloth", json!(board.cloth.to_string())),
            new_write("section", json!(cell.section)),
            new_write("text", json!(t)),
            new_write("by", json!(speaker.encode())),
        ];
        if let Some(row) = &cell.row {
            writes.push(new_write("row", json!(row)));
        }
        text.set(String::new());
        spawn_local(async move {
            if let Err(e) = save(board.core, id, Kind::Note, board.family, writes).await {
                board.error.set(Some(crate::text::sentence(&e)));
            }
        });
    };
    let submit_key = submit.clone();
    let submit_as = submit.clone();
    let speakers = board
        .info
        .with_untracked(|c| c.as_ref().map(Cloth::speakers).unwrap_or_default());
    view! {
        <form class="add-note-form no-print" autocomplete="off" on:submit=move |ev| { ev.prevent_default(); submit(None) }>
            <textarea node_ref=input rows="2" aria-label="Ny lapp" placeholder=move || format!("{} sier …", board.name_of(&board.speaker.get()))
                autocomplete="off" bind:value=text
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" && !ev.shift_key() { ev.prevent_default(); submit_key(None) }></textarea>
            // Typing, then one tap on who said it: saved as theirs.
            <div class="row save-as" role="group" aria-label="Lagre som">
                {speakers.into_iter().map(|s| {
                    let slot = board.slot_of(&s);
                    let name = board.name_of(&s);
                    let submit = submit_as.clone();
                    view! {
                        <button type="button" class=format!("chip speaker c{slot}") aria-label=format!("Lagre som {name}")
                            on:click=move |_| submit(Some(s.clone()))>{name.clone()}</button>
                    }
                }).collect_view()}
            </div>
            <div class="row">
                <button type="submit" class="button primary">"Lagre"</button>
                <button type="button" class="button" on:click=move |_| board.adding.set(None)>"Ferdig"</button>
            </div>
        </form>
    }
}

/// Editing a note in place: its words, who said it, where it sits (the way to move a note
/// without dragging), worker-only, delete.
#[component]
fn NoteEditor(board: Board, note: Note) -> impl IntoView {
    let seen = board.core.record(note.id);
    let text = RwSignal::new(note.text.clone());
    let by = RwSignal::new(note.by.clone().unwrap_or(Speaker::Together));
    let place = RwSignal::new(cell_code(&note.section, note.row.as_deref()));
    let worker_only = RwSignal::new(note.worker_only);
    let targets = board
        .info
        .with_untracked(|c| c.as_ref().map(cell_choices).unwrap_or_default());
    let speakers = board
        .info
        .with_untracked(|c| c.as_ref().map(Cloth::speakers).unwrap_or_default());
    let id = note.id;
    let seen_save = seen.clone();
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let seen = seen_save.as_ref();
        let t = text.get_untracked().trim().to_owned();
        if t.is_empty() {
            board.error.set(Some(
                "En lapp kan ikke være tom. Slett den i stedet.".into(),
            ));
            return;
        }
        let (section, row) = split_cell(&place.get_untracked());
        let writes: Vec<_> = [
            write_if_changed(seen, "text", json!(t)),
            write_if_changed(seen, "by", json!(by.get_untracked().encode())),
            write_if_changed(seen, "section", json!(section)),
            write_if_changed(seen, "row", row.map_or(Value::Null, |r| json!(r))),
            (!board.shared)
                .then(|| write_if_changed(seen, "worker_only", json!(worker_only.get_untracked())))
                .flatten(),
        ]
        .into_iter()
        .flatten()
        .collect();
        board.editing.set(None);
        spawn_local(async move {
            if let Err(e) = save(board.core, id, Kind::Note, board.family, writes).await {
                board.error.set(Some(crate::text::sentence(&e)));
            }
        });
    };
    let on_delete = move |_| {
        board.editing.set(None);
        delete_with_undo(
            board.core,
            id,
            "Lappen er slettet.",
            board.undo,
            board.error,
        );
    };
    view! {
        <form class="note-editor" autocomplete="off" on:submit=on_save on:pointerdown=|ev| ev.stop_propagation()>
            <label>"Tekst"<textarea rows="3" autocomplete="off" bind:value=text></textarea></label>
            <label>"Hvem sa det"
                <select on:change=move |ev| if let Some(s) = Speaker::parse(&event_target_value(&ev)) { by.set(s) }>
                    {speakers.into_iter().map(|s| {
                        let code = s.encode();
                        let selected = by.with_untracked(|b| *b == s);
                        view! { <option value=code selected=selected>{board.name_of(&s)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Flytt til"
                <select name="move-to" on:change=move |ev| place.set(event_target_value(&ev))>
                    {targets.into_iter().map(|(code, label)| {
                        let selected = place.with_untracked(|p| *p == code);
                        view! { <option value=code selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            {(!board.shared).then(|| view! {
                <label class="check"><input type="checkbox" name="worker-only" bind:checked=worker_only/>"Bare for fagpersoner (vises ikke på delt skjerm eller utskrift)"</label>
            })}
            <div class="row">
                <button type="submit" class="button primary">"Lagre"</button>
                <button type="button" class="button" on:click=move |_| board.editing.set(None)>"Avbryt"</button>
                <button type="button" class="button danger" on:click=on_delete>"Slett"</button>
            </div>
        </form>
    }
}

/// A cell as one string for a `<select>`: "section" or "section/row".
pub(super) fn cell_code(section: &str, row: Option<&str>) -> String {
    match row {
        Some(r) => format!("{section}/{r}"),
        None => section.to_owned(),
    }
}

pub(super) fn split_cell(code: &str) -> (String, Option<String>) {
    match code.split_once('/') {
        Some((s, r)) => (s.to_owned(), Some(r.to_owned())),
        None => (code.to_owned(), None),
    }
}

/// Every cell of a cloth, labelled, for the "Flytt til" list.
pub(super) fn cell_choices(c: &Cloth) -> Vec<(String, String)> {
    let lang = c.language;
    let mut out = Vec::new();
    for s in &c.layout.sections {
        let label = s.label.get(lang);
        out.push((s.code.clone(), label.to_owned()));
        for r in &c.layout.rows {
            out.push((
                cell_code(&s.code, Some(&r.code)),
                format!("{label} · {}", r.label.get(lang)),
            ));
        }
    }
    out
}

/// "På kort sikt, innan [dato]": the date is the family's, set on the cloth.
#[component]
pub(super) fn DeadlineInput(board: Board, deadline: Option<Deadline>) -> impl IntoView {
    let deadline = deadline?;
    let field = deadline.field();
    let value = move || {
        board
            .info
            .with(|c| c.as_ref().and_then(|c| c.deadline(deadline)).map(iso_date))
            .unwrap_or_default()
    };
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let value = if v.is_empty() {
            Value::Null
        } else if parse_date(&v).is_some() {
            json!(v)
        } else {
            board.error.set(Some("Velg en gyldig dato.".into()));
            return;
        };
        spawn_save_fields(board.core, board.cloth, vec![(field, value)], board.error);
    };
    Some(view! {
        <input type="date" class="deadline" aria-label="Innen dato" autocomplete="off" prop:value=value on:change=on_change disabled=board.readonly/>
    })
}
