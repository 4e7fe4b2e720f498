//! The cloth itself: its sections (or grid of sections × life areas) with the notes in them,
//! who is speaking, and the agreements underneath. The same component serves the worker's
//! tablet and the family's shared screen (`shared`: no worker-only notes in the page at all).

use duken_domain::cloth::{Cloth, Speaker};
use duken_domain::lang::Lang;
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::json;
use uuid::Uuid;

use super::agreements::AgreementList;
use super::notes::{
    cell_choices, cell_code, split_cell, AddNote, CellView, DeadlineInput, NoteList,
};
use super::state::{Board, Cell};
use super::{notes_of, UndoBar};
use crate::core::{spawn_save_fields, use_core};
use crate::families::members_of;
use crate::ui::{norwegian_date, param_uuid};

crate::later::screens! { cloth:
    cloth_screen => view! { <ClothPage/> },
}

/// The cloth on the shared screen (the TV), from the cloth's chunk.
#[crate::later::wasm_split(cloth, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn shared_cloth(cloth: uuid::Uuid) -> crate::later::Screen {
    Ok(crate::later::Build::new(move || {
        view! { <ClothBoard cloth=cloth shared=true/> }.into_any()
    }))
}

#[component]
fn ClothPage() -> impl IntoView {
    let cloth = param_uuid("cid");
    view! {
        {move || match cloth() {
            Some(c) => view! { <ClothBoard cloth=c/> }.into_any(),
            None => view! { <section class="page"><p class="error">"Fant ikke duken."</p></section> }.into_any(),
        }}
    }
}

#[component]
pub(super) fn ClothBoard(
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
                            <button type="button" class="button" on:click=move |_| crate::modes::share(core, board.family, Some(board.cloth))>"Vis på delt skjerm"</button>
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
