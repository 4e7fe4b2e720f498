//! Starting a cloth (template, date, who is present), editing its header, and starting a new
//! cloth from the previous one: the previous cloth is the evaluation tool (seed 003: what was
//! done, what remains, what to change), so it is shown beside the new one, each agreement is
//! marked, and the notes and agreements chosen are carried over.

use std::collections::HashMap;

use duken_domain::cloth::{self, Agreement, Cloth, Note};
use duken_domain::dates::{iso_date, parse_date};
use duken_domain::record::DELETED;
use duken_domain::{FieldWrite, Kind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::json;
use uuid::Uuid;

use super::agreements::StatusChips;
use super::board::ClothBoard;
use super::state::new_write;
use super::{agreements_of, cloths_of, notes_of};
use crate::core::{save, save_fields, use_core, write_if_changed};
use crate::families::members_of;
use crate::ui::{param_uuid, today, MultiChoice, SingleChoice};
use duken_domain::local::check;

crate::later::screens! { cloth:
    new_cloth_screen => view! { <NewCloth/> },
    edit_cloth_screen => view! { <EditCloth/> },
}

#[component]
fn NewCloth() -> impl IntoView {
    let family = param_uuid("id");
    let query = use_query_map();
    let previous = move || {
        query
            .read()
            .get("fra")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    view! {
        {move || match family() {
            Some(f) => view! { <ClothForm family=f cloth=None previous=previous()/> }.into_any(),
            None => view! { <p class="error">"Fant ikke familien."</p> }.into_any(),
        }}
    }
}

#[component]
fn EditCloth() -> impl IntoView {
    let family = param_uuid("id");
    let cloth = param_uuid("cid");
    view! {
        {move || match (family(), cloth()) {
            (Some(f), Some(c)) => view! { <ClothForm family=f cloth=Some(c) previous=None/> }.into_any(),
            _ => view! { <p class="error">"Fant ikke duken."</p> }.into_any(),
        }}
    }
}

/// "Kari, Lærer Ola" → ["Kari", "Lærer Ola"].
fn parse_helpers(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
fn ClothForm(family: Uuid, cloth: Option<Uuid>, previous: Option<Uuid>) -> impl IntoView {
    let core = use_core();
    let navigate = use_navigate();
    let seen = cloth.and_then(|c| core.record(c));
    let current = seen.as_ref().and_then(Cloth::from_record);
    let prev = previous
        .and_then(|p| core.record(p))
        .as_ref()
        .and_then(Cloth::from_record);
    // A new cloth takes its template and people from the one it evaluates.
    let base = current.clone().or_else(|| prev.clone());
    let templates = core.available_templates();
    let template = RwSignal::new(Some(
        base.as_ref()
            .map(|c| c.layout.code.clone())
            .unwrap_or_else(|| "ovre-eiker".to_owned()),
    ));
    let date = RwSignal::new(
        current
            .as_ref()
            .and_then(|c| c.date)
            .map_or_else(|| iso_date(today()), iso_date),
    );
    let owner = RwSignal::new(base.as_ref().map(|c| c.owner.clone()).unwrap_or_default());
    let members = members_of(core, family);
    let present = RwSignal::new(match &base {
        Some(c) => c.present.iter().map(Uuid::to_string).collect(),
        None => members.iter().map(|m| m.id.to_string()).collect::<Vec<_>>(),
    });
    let helpers = RwSignal::new(
        base.as_ref()
            .map(|c| c.helpers.join(", "))
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // The evaluation: which agreements and notes go on to the new cloth.
    let prev_agreements: Vec<Agreement> = previous
        .map(|p| {
            let mut a = agreements_of(core, family);
            a.retain(|x| x.cloth == Some(p));
            a
        })
        .unwrap_or_default();
    let prev_notes: Vec<Note> = previous
        .map(|p| notes_of(core, family, p))
        .unwrap_or_default();
    // Unticked or ticked by hand; otherwise open agreements go on and finished ones stay.
    let carry_choice = RwSignal::new(HashMap::<Uuid, bool>::new());
    let carry_notes = RwSignal::new(Vec::<Uuid>::new());
    let carries = move |id: Uuid| {
        carry_choice
            .with(|c| c.get(&id).copied())
            .unwrap_or_else(|| {
                core.record(id)
                    .as_ref()
                    .and_then(Agreement::from_record)
                    .is_some_and(|a| a.status.is_open())
            })
    };

    let template_options: Vec<(String, String)> = templates
        .iter()
        .map(|t| (t.code.clone(), t.name.nb.clone()))
        .collect();
    let has_owner = {
        let templates = templates.clone();
        move || {
            template.with(|code| {
                templates
                    .iter()
                    .find(|t| Some(&t.code) == code.as_ref())
                    .is_some_and(|t| t.owner.is_some())
            })
        }
    };

    let templates_save = templates.clone();
    let navigate_delete = navigate.clone();
    let prev_agreements_save = prev_agreements.clone();
    let prev_notes_save = prev_notes.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = date.get_untracked();
        if parse_date(&d).is_none() {
            error.set(Some("Velg datoen for duken.".into()));
            return;
        }
        let helper_list = parse_helpers(&helpers.get_untracked());
        let id = cloth.unwrap_or_else(Uuid::now_v7);
        let seen = seen.as_ref();
        let mut writes: Vec<FieldWrite> = [
            write_if_changed(seen, "date", json!(d)),
            write_if_changed(seen, "owner", json!(owner.get_untracked().trim())),
            write_if_changed(seen, "present", json!(present.get_untracked())),
            write_if_changed(seen, "helpers", json!(helper_list)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if cloth.is_none() {
            let code = template.get_untracked();
            let Some(t) = templates_save
                .iter()
                .find(|t| Some(&t.code) == code.as_ref())
                .cloned()
            else {
                error.set(Some("Velg en mal for duken.".into()));
                return;
            };
            let lang = prev.as_ref().map_or(t.language, |p| p.language);
            writes.push(new_write("template", json!(t.code)));
            writes.push(new_write("layout", json!(t.to_json())));
            writes.push(new_write("language", json!(lang.code())));
            if let Some(p) = previous {
                writes.push(new_write("previous", json!(p.to_string())));
            }
        }
        if let Err(e) = check(id, Kind::Cloth, family, &writes) {
            error.set(Some(crate::text::sentence(&e)));
            return;
        }
        let notes: Vec<Note> = carry_notes.with_untracked(|chosen| {
            prev_notes_save
                .iter()
                .filter(|n| chosen.contains(&n.id))
                .cloned()
                .collect()
        });
        let agreements: Vec<Agreement> = prev_agreements_save
            .iter()
            .filter(|a| carries(a.id))
            .cloned()
            .collect();
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = async {
                save(core, id, Kind::Cloth, family, writes).await?;
                for n in notes {
                    save(
                        core,
                        Uuid::now_v7(),
                        Kind::Note,
                        family,
                        carried_note(&n, id),
                    )
                    .await?;
                }
                for a in agreements {
                    save(
                        core,
                        Uuid::now_v7(),
                        Kind::Agreement,
                        family,
                        carried_agreement(&a, id),
                    )
                    .await?;
                }
                Ok::<_, crate::core::SaveError>(())
            };
            match result.await {
                Ok(()) => navigate(&format!("/familie/{family}/duk/{id}"), Default::default()),
                Err(e) => {
                    error.set(Some(crate::text::sentence(&e)));
                    busy.set(false);
                }
            }
        });
    };

    let on_delete = move |_| {
        let Some(seen) = cloth.and_then(|c| core.record(c)) else {
            return;
        };
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message("Slette denne duken med alle lappene?")
                    .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let navigate = navigate_delete.clone();
        spawn_local(async move {
            match save_fields(core, &seen, vec![(DELETED, json!(true))]).await {
                Ok(()) => navigate(&format!("/familie/{family}"), Default::default()),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };

    let member_options: Vec<(String, String)> = members
        .iter()
        .map(|m| (m.id.to_string(), m.name.clone()))
        .collect();
    let title = match (cloth, previous) {
        (Some(_), _) => "Rediger duken",
        (None, Some(_)) => "Evaluer forrige duk og start en ny",
        (None, None) => "Ny samtaleduk",
    };
    let form = view! {
        <form class="cloth-form" on:submit=on_submit novalidate autocomplete="off">
            <h1>{title}</h1>
            {cloth.is_none().then(|| view! {
                <SingleChoice legend="Mal" name="template" options=template_options.clone() selected=template/>
            })}
            <label>"Dato"<input name="date" type="date" required autocomplete="off" bind:value=date/></label>
            <Show when=has_owner.clone()>
                <label>"Planen til"<input name="owner" type="text" autocomplete="off" bind:value=owner placeholder="Hvem planen gjelder"/></label>
            </Show>
            {(!member_options.is_empty()).then(|| view! {
                <MultiChoice legend="Til stede fra familien" name="present" options=member_options.clone() selected=present/>
            })}
            <label>"Hjelpere til stede (skill med komma)"
                <input name="helpers" type="text" autocomplete="off" bind:value=helpers placeholder="Familiepartner Anne, lærer Ola"/>
            </label>
            {(!prev_agreements.is_empty()).then(|| view! {
                <fieldset class="evaluate-agreements">
                    <legend>"Avtaler fra forrige duk: hvordan gikk det?"</legend>
                    <ul>
                        {prev_agreements.iter().map(|a| {
                            let id = a.id;
                            view! {
                                <li class="agreement" data-testid="evaluate-agreement">
                                    <p class="what">{a.what.clone()}</p>
                                    <StatusChips record=a.id error=error/>
                                    <label class="check">
                                        <input type="checkbox" name="carry-agreement" prop:checked=move || carries(id)
                                            on:change=move |ev| carry_choice.update(|c| { c.insert(id, event_target_checked(&ev)); })/>
                                        "Ta med til ny duk"
                                    </label>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
            })}
            {(!prev_notes.is_empty()).then(|| {
                let all: Vec<Uuid> = prev_notes.iter().map(|n| n.id).collect();
                view! {
                    <fieldset class="evaluate-notes">
                        <legend>"Lapper å ta med"</legend>
                        <button type="button" class="button small" on:click=move |_| carry_notes.set(all.clone())>"Velg alle"</button>
                        <ul>
                            {prev_notes.iter().map(|n| {
                                let id = n.id;
                                view! {
                                    <li>
                                        <label class="check">
                                            <input type="checkbox" name="carry-note" data-note=id.to_string()
                                                prop:checked=move || carry_notes.with(|c| c.contains(&id))
                                                on:change=move |ev| carry_notes.update(|c| {
                                                    c.retain(|x| *x != id);
                                                    if event_target_checked(&ev) { c.push(id) }
                                                })/>
                                            {n.text.clone()}
                                        </label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </fieldset>
                }
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions sticky">
                <button type="submit" class="button primary big" disabled=move || busy.get()>
                    {if cloth.is_some() { "Lagre" } else { "Start duken" }}
                </button>
            </div>
            {cloth.map(|_| view! { <button type="button" class="button danger" on:click=on_delete>"Slett duken"</button> })}
        </form>
    };
    match previous {
        Some(p) => view! {
            <section class="page evaluation">
                <div class="previous" aria-label="Forrige duk"><ClothBoard cloth=p readonly=true/></div>
                <div class="next">{form}</div>
            </section>
        }
        .into_any(),
        None => view! { <section class="page narrow">{form}</section> }.into_any(),
    }
}

/// The same words, on the new cloth, remembering where they came from.
fn carried_note(n: &Note, cloth: Uuid) -> Vec<FieldWrite> {
    let mut w = vec![
        new_write("cloth", json!(cloth.to_string())),
        new_write("section", json!(n.section)),
        new_write("text", json!(n.text)),
        new_write("carried_from", json!(n.id.to_string())),
    ];
    if let Some(r) = &n.row {
        w.push(new_write("row", json!(r)));
    }
    if let Some(by) = &n.by {
        w.push(new_write("by", json!(by.encode())));
    }
    if n.worker_only {
        w.push(new_write("worker_only", json!(true)));
    }
    w
}

/// An agreement that goes on: open again on the new cloth.
fn carried_agreement(a: &Agreement, cloth: Uuid) -> Vec<FieldWrite> {
    let mut w = vec![
        new_write("cloth", json!(cloth.to_string())),
        new_write("what", json!(a.what)),
        new_write("status", json!(cloth::Status::Open.code())),
        new_write("carried_from", json!(a.id.to_string())),
    ];
    if !a.who.is_empty() {
        w.push(new_write("who", json!(a.who)));
    }
    if let Some(d) = a.due {
        w.push(new_write("due", json!(iso_date(d))));
    }
    if a.to_plan {
        w.push(new_write("to_plan", json!(true)));
    }
    w
}

/// Cloths of a family as links, newest first (for the family page).
#[component]
pub fn ClothList(family: Uuid) -> impl IntoView {
    let core = use_core();
    let cloths = Memo::new(move |_| cloths_of(core, family));
    view! {
        <Show when=move || cloths.with(|c| !c.is_empty()) fallback=|| view! { <p class="empty">"Ingen duker ennå."</p> }>
            <ul class="cards cloths" aria-label="Samtaleduker">
                {move || cloths.get().into_iter().map(|c| {
                    let count = notes_of(core, family, c.id).len();
                    view! {
                        <li class="card">
                            <leptos_router::components::A href=format!("/familie/{family}/duk/{}", c.id)>
                                <h3>{c.date.map(crate::ui::norwegian_date).unwrap_or_default()}" · "{c.layout.name.get(c.language).to_owned()}</h3>
                                <p class="meta">{format!("{count} {}", duken_domain::Kind::Note.short_noun(count))}</p>
                            </leptos_router::components::A>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}
