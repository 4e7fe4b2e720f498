//! Agreements (avtaler): what, who, by when, and where each stands. Made on a cloth, shown under
//! it, and sent to the family's work plan; until the plan exists they are the family's open
//! agreements on its page.

use duken_domain::cloth::{Agreement, Status};
use duken_domain::dates::{iso_date, parse_date};
use duken_domain::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::json;
use uuid::Uuid;

use super::state::{new_write, Board};
use super::{agreements_of, delete_with_undo};
use crate::core::{save, spawn_save_fields, text_or_null, use_core, write_if_changed};
use crate::ui::norwegian_date;

/// One tap per status, for any record with a `status` (an agreement, a work plan's task).
#[component]
pub fn StatusChips(
    record: Uuid,
    error: RwSignal<Option<String>>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let core = use_core();
    let id = record;
    let current = Memo::new(move |_| {
        core.record(id)
            .and_then(|r| r.text("status").and_then(Status::parse))
            .unwrap_or(Status::Open)
    });
    view! {
        <div class="chips status" role="group" aria-label="Status">
            {Status::ALL.into_iter().map(|s| view! {
                <button type="button" class="chip" data-status=s.code() disabled=disabled
                    aria-pressed=move || (current.get() == s).to_string()
                    on:click=move |_| spawn_save_fields(core, id, vec![("status", json!(s.code()))], error)>
                    {s.label()}
                </button>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn AgreementList(
    board: Board,
    heading: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    let core = board.core;
    let cloth = board.cloth;
    let family = board.family;
    let list = Memo::new(move |_| {
        let mut all = agreements_of(core, family);
        all.retain(|a| a.cloth == Some(cloth));
        all
    });
    let editing = RwSignal::new(None::<Uuid>);
    let names = move || {
        board.info.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.speakers()
                        .iter()
                        .map(|s| board.name_of(s))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="agreements" aria-label="Avtaler">
            <h2>{heading}</h2>
            <Show when=move || list.with(|l| !l.is_empty()) fallback=|| view! { <p class="empty">"Ingen avtaler ennå."</p> }>
                <ul class="agreement-list">
                    <For each=move || list.get()
                        key=|a| (a.id, a.what.clone(), a.who.clone(), a.due, a.to_plan)
                        children=move |a| {
                            let id = a.id;
                            let to_plan = a.to_plan;
                            let for_form = a.clone();
                            view! {
                                <li class="agreement" data-testid="agreement">
                                    <Show when=move || editing.get() == Some(id) fallback={
                                        let a = a.clone();
                                        move || view! {
                                            <p class="what">{a.what.clone()}</p>
                                            <p class="meta">
                                                {(!a.who.is_empty()).then(|| format!("Hvem: {}", a.who))}
                                                {a.due.map(|d| format!(" · Innen {}", norwegian_date(d)))}
                                            </p>
                                        }
                                    }>
                                        <AgreementForm board=board agreement=Some(for_form.clone()) done=move || editing.set(None)/>
                                    </Show>
                                    // On the family's screen the status is read, not set.
                                    {if board.shared {
                                        let status = core.record(a.id).and_then(|r| r.text("status").and_then(Status::parse)).unwrap_or(Status::Open);
                                        view! { <p class="status-word" data-status=status.code()>{status.label()}</p> }.into_any()
                                    } else {
                                        view! { <StatusChips record=a.id error=board.error disabled=board.readonly/> }.into_any()
                                    }}
                                    {(!board.readonly && !board.shared).then(|| view! {
                                        <div class="row no-print">
                                            <label class="check">
                                                <input type="checkbox" name="to-plan" prop:checked=to_plan
                                                    on:change=move |ev| spawn_save_fields(core, id, vec![("to_plan", json!(event_target_checked(&ev)))], board.error)/>
                                                "Til arbeidsplanen"
                                            </label>
                                            <button type="button" class="button small" on:click=move |_| editing.set(Some(id))>"Rediger"</button>
                                            <button type="button" class="button danger small"
                                                on:click=move |_| delete_with_undo(core, id, "Avtalen er slettet.", board.undo, board.error)>"Slett"</button>
                                        </div>
                                    })}
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
            {(!board.readonly && !board.shared).then(|| view! {
                <datalist id="cloth-people">{move || names().into_iter().map(|n| view! { <option value=n/> }).collect_view()}</datalist>
                <AgreementForm board=board agreement=None done=|| ()/>
            })}
        </section>
    }
}

/// What, who, by when: a new agreement on the cloth, or changing one (`agreement`).
#[component]
fn AgreementForm(
    board: Board,
    agreement: Option<Agreement>,
    done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let core = board.core;
    let seen = agreement.as_ref().and_then(|a| core.record(a.id));
    let what = RwSignal::new(
        agreement
            .as_ref()
            .map(|a| a.what.clone())
            .unwrap_or_default(),
    );
    let who = RwSignal::new(
        agreement
            .as_ref()
            .map(|a| a.who.clone())
            .unwrap_or_default(),
    );
    let due = RwSignal::new(
        agreement
            .as_ref()
            .and_then(|a| a.due)
            .map(iso_date)
            .unwrap_or_default(),
    );
    let is_new = agreement.is_none();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let w = what.get_untracked().trim().to_owned();
        if w.is_empty() {
            board.error.set(Some("Skriv hva dere har avtalt.".into()));
            return;
        }
        let d = due.get_untracked();
        if !d.is_empty() && parse_date(&d).is_none() {
            board
                .error
                .set(Some("Velg en gyldig dato for «innen».".into()));
            return;
        }
        board.error.set(None);
        let person = who.get_untracked().trim().to_owned();
        let (id, writes) = match &seen {
            Some(seen) => (
                seen.id,
                [
                    write_if_changed(Some(seen), "what", json!(w)),
                    write_if_changed(Some(seen), "who", text_or_null(&person)),
                    write_if_changed(Some(seen), "due", text_or_null(&d)),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
            ),
            None => {
                let mut writes = vec![
                    new_write("cloth", json!(board.cloth.to_string())),
                    new_write("what", json!(w)),
                    new_write("status", json!(Status::Open.code())),
                ];
                if !person.is_empty() {
                    writes.push(new_write("who", json!(person)));
                }
                if !d.is_empty() {
                    writes.push(new_write("due", json!(d)));
                }
                (Uuid::now_v7(), writes)
            }
        };
        if is_new {
            what.set(String::new());
            who.set(String::new());
            due.set(String::new());
        }
        done();
        spawn_local(async move {
            if let Err(e) = save(core, id, Kind::Agreement, board.family, writes).await {
                board.error.set(Some(crate::text::sentence(&e)));
            }
        });
    };
    view! {
        <form class="agreement-form no-print" autocomplete="off" on:submit=on_submit>
            <label>"Hva"<input name="what" type="text" autocomplete="off" bind:value=what placeholder="Hva skal gjøres"/></label>
            <label>"Hvem"<input name="who" type="text" autocomplete="off" list="cloth-people" bind:value=who/></label>
            <label>"Innen"<input name="due" type="date" autocomplete="off" bind:value=due/></label>
            <button type="submit" class="button primary">{if is_new { "Legg til avtale" } else { "Lagre avtalen" }}</button>
        </form>
    }
}

/// The family's open agreements sent to the work plan that no plan has taken in yet.
#[component]
pub fn OpenAgreements(family: Uuid) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let list = Memo::new(move |_| {
        let all = agreements_of(core, family);
        let tasks = crate::core::list_of(core, family, duken_domain::plan::Task::from_record);
        duken_domain::plan::agreements_to_pull(&all, &tasks)
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    });
    view! {
        <h2>"Åpne avtaler til arbeidsplanen"</h2>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <Show when=move || list.with(|l| !l.is_empty()) fallback=|| view! { <p class="empty">"Ingen åpne avtaler venter på å bli tatt inn i arbeidsplanen."</p> }>
            <p><A href=format!("/familie/{family}/arbeidsplan")>"Ta dem inn i arbeidsplanen"</A></p>
            <ul class="cards open-agreements" data-testid="open-agreements">
                {move || list.get().into_iter().map(|a| view! {
                    <li class="card">
                        <p class="what">{a.what.clone()}</p>
                        <p class="meta">
                            {(!a.who.is_empty()).then(|| format!("Hvem: {} · ", a.who))}
                            {a.due.map(|d| format!("Innen {} · ", norwegian_date(d)))}
                            {a.status.label()}
                            {a.cloth.map(|c| view! { " · " <A href=format!("/familie/{family}/duk/{c}")>"Se duken"</A> })}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        </Show>
    }
}
