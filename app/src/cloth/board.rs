//! The cloth itself: its sections (or grid of sections × life areas) with the notes in them,
//! who is speaking, and the agreements underneath. The same component serves the worker's
//! tablet and the family's shared screen (`shared`: no worker-only notes in the page at all).

use duken_domain::cloth::{colour_slot, Cloth, Deadline, Lang, Note, Placement, Speaker};
use duken_domain::family::{iso_date, parse_date, Member};
use duken_domain::Kind;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::{json, Value};
use uuid::Uuid;

use super::agreements::AgreementList;
use super::drag::{self, Drag};
use super::{delete_with_undo, notes_of, speaker_name, Undo, UndoBar};
use crate::core::{save, spawn_save_fields, use_core, write_if_changed, Core};
use crate::families::members_of;
use crate::ui::{norwegian_date, param_uuid};

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

    fn slot_of(&self, s: &Speaker) -> usize {
        self.info.with(|c| {
            c.as_ref()
                .map(|c| colour_slot(&c.speakers(), s))
                .unwrap_or(0)
        })
    }

    /// Notes in one cell, or in the "other" bucket when `cell` is None.
    fn notes_in(&self, cell: Option<&Cell>) -> Vec<Note> {
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

#[component]
pub fn ClothPage() -> impl IntoView {
    let cloth = param_uuid("cid");
    view! {
        {move || match cloth() {
            Some(c) => view! { <ClothBoard cloth=c/> }.into_any(),
            None => view! { <section class="page"><p class="error">"Fant ikke duken."</p></section> }.into_any(),
        }}
    }
}

#[component]
pub fn ClothBoard(
    cloth: Uuid,
    #[prop(optional)] shared: bool,
    #[prop(optional)] readonly: bool,
) -> impl IntoView {
    let core = use_core();
    // Two steps, so the template is parsed only when the cloth itself changes, not on every
    // keystroke elsewhere.
    let record = Memo::new(move |_| core.record(cloth));
    let info = Memo::new(move |_| record.with(|r| r.as_ref().and_then(Cloth::from_record)));
    let family = info.with_untracked(|c| c.as_ref().map(|c| c.family));
    let Some(family) = family else {
        return view! {
            <section class="page"><p class="error">"Fant ikke duken på denne enheten."</p><A href="/">"Til familiene"</A></section>
        }
        .into_any();
    };
    let notes = Memo::new(move |_| {
        let mut all = notes_of(core, family, cloth);
        if shared {
            // Worker-only notes are not even in the page on the shared screen.
            all.retain(|n| !n.worker_only);
        }
        all
    });
    let board = Board {
        core,
        cloth,
        family,
        shared,
        readonly,
        info,
        notes,
        members: Memo::new(move |_| members_of(core, family)),
        speaker: RwSignal::new(Speaker::Together),
        adding: RwSignal::new(None),
        editing: RwSignal::new(None),
        undo: RwSignal::new(None),
        error: RwSignal::new(None),
        drag: StoredValue::new_local(None),
    };
    let layout = move || info.with(|c| c.as_ref().map(|c| (c.layout.clone(), c.language)));

    view! {
        <section class="cloth" class:shared=shared class:readonly=readonly data-testid="cloth" data-cloth=cloth.to_string()>
            <ClothHeader board=board/>
            {move || board.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || layout().map(|(layout, lang)| {
                if layout.rows.is_empty() {
                    view! { <SectionGrid board=board layout=layout lang=lang/> }.into_any()
                } else {
                    view! { <AreaTable board=board layout=layout lang=lang/> }.into_any()
                }
            })}
            <Show when=move || !board.notes_in(None).is_empty()>
                <section class="cell other" data-cell="" data-section="" aria-label="Annet">
                    <h2 class="cell-title">"Annet (felt som ikke finnes i denne malen)"</h2>
                    <NoteList board=board cell=None/>
                </section>
            </Show>
            <AgreementList board=board heading=move || info.with(|c| c.as_ref().map(|c| c.layout.agreements.get(c.language).to_owned()).unwrap_or_default())/>
            <UndoBar undo=board.undo error=board.error/>
        </section>
    }
    .into_any()
}

#[component]
fn ClothHeader(board: Board) -> impl IntoView {
    let core = board.core;
    let info = board.info;
    let speakers = move || info.with(|c| c.as_ref().map(Cloth::speakers).unwrap_or_default());
    let set_lang = move |lang: Lang| {
        spawn_save_fields(
            core,
            board.cloth,
            vec![("language", json!(lang.code()))],
            board.error,
        );
    };
    view! {
        {move || info.get().map(|c| {
            let lang = c.language;
            let present: Vec<String> = c.present.iter().map(|m| board.name_of(&Speaker::Member(*m))).chain(c.helpers.iter().cloned()).collect();
            view! {
                <header class="cloth-head">
                    <div class="cloth-title">
                        <h1>{c.layout.name.get(lang).to_owned()}</h1>
                        <p class="meta">
                            <span>"Dato: "{c.date.map(norwegian_date).unwrap_or_default()}</span>
                            {c.layout.owner.as_ref().filter(|_| !c.owner.is_empty()).map(|o| view! { <span>" · "{o.get(lang).to_owned()}" "{c.owner.clone()}</span> })}
                        </p>
                        <p class="meta present">{match lang { Lang::Nb => "Til stede: ", Lang::Nn => "Til stades: " }}{present.join(", ")}</p>
                    </div>
                    <div class="cloth-actions no-print">
                        {(!board.readonly && !board.shared).then(|| view! {
                            <A href=format!("/familie/{}/duk/{}/rediger", c.family, c.id) attr:class="button">"Rediger"</A>
                            <A href=format!("/familie/{}/duk/ny?fra={}", c.family, c.id) attr:class="button">"Evaluer og start ny duk"</A>
                            <button type="button" class="button" on:click=move |_| crate::shared_screen::enter(core, board.family, Some(board.cloth))>"Vis på delt skjerm"</button>
                        })}
                        {(!board.readonly && !board.shared).then(|| view! {
                            <button type="button" class="button" on:click=move |_| set_lang(if lang == Lang::Nb { Lang::Nn } else { Lang::Nb })>
                                {if lang == Lang::Nb { "Nynorsk" } else { "Bokmål" }}
                            </button>
                            <button type="button" class="button" on:click=move |_| print()>"Skriv ut"</button>
                        })}
                    </div>
                </header>
            }
        })}
        <Show when=move || !board.readonly>
            <div class="speakers no-print" role="group" aria-labelledby="speakers-label" data-testid="speakers">
                <span class="legend" id="speakers-label">"Hvem sier det?"</span>
                {move || speakers().into_iter().map(|s| {
                    let slot = board.slot_of(&s);
                    let name = board.name_of(&s);
                    let on = s.clone();
                    view! {
                        <button type="button" class=format!("chip speaker c{slot}") data-speaker=s.encode()
                            aria-pressed=move || board.speaker.with(|x| *x == on).to_string()
                            on:click=move |_| board.speaker.set(s.clone())>
                            {name}
                        </button>
                    }
                }).collect_view()}
                // On the family's screen one way to add a note, not a "+" in every field: the
                // family picks where it goes, then types.
                {board.shared.then(|| view! { <FamilyNote board=board/> })}
            </div>
        </Show>
    }
}

/// The family's own note on the shared screen: where on the cloth, then the words.
#[component]
fn FamilyNote(board: Board) -> impl IntoView {
    let cells = move || {
        board
            .info
            .with(|c| c.as_ref().map(cell_choices).unwrap_or_default())
    };
    let place = move || {
        board
            .adding
            .with(|a| a.as_ref().map(|c| cell_code(&c.section, c.row.as_deref())))
            .unwrap_or_default()
    };
    view! {
        <div class="family-note no-print" data-testid="family-note">
            <label>"Skriv en lapp på"
                <select name="note-place" prop:value=place on:change=move |ev| {
                    let code = event_target_value(&ev);
                    let (section, row) = split_cell(&code);
                    board.editing.set(None);
                    board.adding.set((!code.is_empty()).then_some(Cell { section, row }));
                }>
                    <option value="">"Velg felt på duken"</option>
                    {move || cells().into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                </select>
            </label>
            {move || board.adding.get().map(|cell| view! { <AddNote board=board cell=cell/> })}
        </div>
    }
}

fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// A cloth of plain sections, grouped under their headings.
#[component]
fn SectionGrid(board: Board, layout: duken_domain::cloth::Template, lang: Lang) -> impl IntoView {
    layout
        .groups()
        .into_iter()
        .map(|(group, sections)| {
            // Sections under a group heading are one level below it; without one, right
            // below the cloth's title (headings must not skip a level).
            let level = if group.is_some() { 3 } else { 2 };
            let heading = group.map(|g| view! { <h2>{g.get(lang).to_owned()}</h2> });
            let cells = sections
                .into_iter()
                .map(|s| {
                    let cell = Cell {
                        section: s.code.clone(),
                        row: None,
                    };
                    view! {
                        <CellView board=board cell=cell title=s.label.get(lang).to_owned() deadline=s.deadline level=level/>
                    }
                })
                .collect_view();
            view! { <div class="cloth-group">{heading}<div class="cloth-sections">{cells}</div></div> }
        })
        .collect_view()
}

/// A cloth whose sections cross life areas: one row per area, plus one for the whole family.
#[component]
fn AreaTable(board: Board, layout: duken_domain::cloth::Template, lang: Lang) -> impl IntoView {
    let groups: Vec<(String, usize)> = layout
        .groups()
        .into_iter()
        .map(|(g, s)| {
            (
                g.map(|g| g.get(lang).to_owned()).unwrap_or_default(),
                s.len(),
            )
        })
        .collect();
    let mut rows: Vec<(Option<String>, String)> = vec![(
        None,
        match lang {
            Lang::Nb => "Hele familien",
            Lang::Nn => "Heile familien",
        }
        .to_owned(),
    )];
    rows.extend(
        layout
            .rows
            .iter()
            .map(|r| (Some(r.code.clone()), r.label.get(lang).to_owned())),
    );
    let sections = layout.sections.clone();
    view! {
        <div class="cloth-table-wrap">
            <table class="cloth-table">
                <thead>
                    <tr class="groups"><th></th>{groups.into_iter().map(|(g, n)| view! { <th colspan=n.to_string() scope="colgroup">{g}</th> }).collect_view()}</tr>
                    <tr>
                        <th></th>
                        {sections.iter().map(|s| view! { <th scope="col">{s.label.get(lang).to_owned()}<DeadlineInput board=board deadline=s.deadline/></th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(row, label)| view! {
                        <tr>
                            <th scope="row">{label.clone()}</th>
                            {sections.iter().map(|s| {
                                let cell = Cell { section: s.code.clone(), row: row.clone() };
                                view! { <td><CellView board=board cell=cell title=format!("{} · {label}", s.label.get(lang)) hide_title=true/></td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// "På kort sikt, innan [dato]": the date is the family's, set on the cloth.
#[component]
fn DeadlineInput(board: Board, deadline: Option<Deadline>) -> impl IntoView {
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

#[component]
fn CellView(
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
fn NoteList(board: Board, cell: Option<Cell>) -> impl IntoView {
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
fn AddNote(board: Board, cell: Cell) -> impl IntoView {
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
                board.error.set(Some(crate::ui::sentence(&e)));
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

pub fn new_write(field: &str, value: Value) -> duken_domain::FieldWrite {
    duken_domain::FieldWrite {
        field: field.to_owned(),
        value,
        base: None,
        resolves: Vec::new(),
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
                board.error.set(Some(crate::ui::sentence(&e)));
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
fn cell_code(section: &str, row: Option<&str>) -> String {
    match row {
        Some(r) => format!("{section}/{r}"),
        None => section.to_owned(),
    }
}

fn split_cell(code: &str) -> (String, Option<String>) {
    match code.split_once('/') {
        Some((s, r)) => (s.to_owned(), Some(r.to_owned())),
        None => (code.to_owned(), None),
    }
}

/// Every cell of a cloth, labelled, for the "Flytt til" list.
fn cell_choices(c: &Cloth) -> Vec<(String, String)> {
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
