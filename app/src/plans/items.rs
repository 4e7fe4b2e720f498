//! A goal and its form, and the task form.

use duken_domain::cloth::Status;
use duken_domain::dates::{iso_date, parse_date};
use duken_domain::plan::{Goal, Horizon, Outcome, Owner, Task};
use duken_domain::record::DELETED;
use duken_domain::Kind;
use leptos::prelude::*;
use serde_json::json;
use uuid::Uuid;

use crate::core::{spawn_create, spawn_save_fields, text_or_null, use_core};

#[component]
pub(super) fn GoalRow(
    family: Uuid,
    goal: Goal,
    error: RwSignal<Option<String>>,
    editing: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let core = use_core();
    let id = goal.id;
    let plan = goal.plan;
    let outcome = Memo::new(move |_| {
        core.record(id)
            .and_then(|r| r.text("outcome").and_then(Outcome::parse))
    });
    let comment = Memo::new(move |_| {
        core.record(id)
            .and_then(|r| r.text("comment").map(str::to_owned))
            .unwrap_or_default()
    });
    let for_form = goal.clone();
    view! {
        <li class="goal" data-testid="goal">
            <Show when=move || editing.get() == Some(id) fallback={
                let goal = goal.clone();
                move || view! {
                    <p class="what">{goal.text.clone()}{goal.carried_from.is_some().then(|| view! { <span class="meta">" (videreført)"</span> })}</p>
                    {move || { let c = comment.get(); (!c.is_empty()).then(|| view! { <p class="note">{c}</p> }) }}
                }
            }>
                <GoalForm family=family plan=plan error=error goal=for_form.clone() editing=editing/>
            </Show>
            <div class="chips outcome" role="group" aria-label="Hvordan gikk det">
                {Outcome::ALL.into_iter().map(|o| view! {
                    <button type="button" class="chip" data-outcome=o.code()
                        aria-pressed=move || (outcome.get() == Some(o)).to_string()
                        on:click=move |_| spawn_save_fields(core, id, vec![("outcome", json!(o.code()))], error)>{o.label()}</button>
                }).collect_view()}
            </div>
            <div class="row no-print">
                <button type="button" class="button small" on:click=move |_| editing.set(Some(id))>"Rediger"</button>
                <button type="button" class="button small danger" on:click=move |_| spawn_save_fields(core, id, vec![(DELETED, json!(true))], error)>"Slett"</button>
            </div>
        </li>
    }
}

/// A new goal, or changing one (`goal`: its words, horizon, and the comment of the evaluation).
#[component]
pub(super) fn GoalForm(
    family: Uuid,
    plan: Uuid,
    error: RwSignal<Option<String>>,
    #[prop(optional)] goal: Option<Goal>,
    /// Set back to `None` when an edit is saved or cancelled.
    #[prop(optional)]
    editing: Option<RwSignal<Option<Uuid>>>,
) -> impl IntoView {
    let core = use_core();
    let id = goal.as_ref().map(|g| g.id);
    let text = RwSignal::new(goal.as_ref().map(|g| g.text.clone()).unwrap_or_default());
    let horizon = RwSignal::new(goal.as_ref().map_or(Horizon::Short, |g| g.horizon));
    let comment = RwSignal::new(goal.as_ref().map(|g| g.comment.clone()).unwrap_or_default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked();
        if t.trim().is_empty() {
            error.set(Some("Skriv målet med familiens egne ord.".into()));
            return;
        }
        let values = vec![
            ("text", json!(t.trim())),
            ("horizon", json!(horizon.get_untracked().code())),
        ];
        match id {
            Some(id) => {
                let mut values = values;
                values.push(("comment", text_or_null(&comment.get_untracked())));
                spawn_save_fields(core, id, values, error);
                if let Some(e) = editing {
                    e.set(None);
                }
            }
            None => {
                let mut values = values;
                values.push(("plan", json!(plan.to_string())));
                spawn_create(core, Kind::Goal, family, values, error);
                text.set(String::new());
            }
        }
    };
    view! {
        <form class="goal-form no-print" on:submit=on_submit>
            <label>{if id.is_some() { "Mål" } else { "Nytt mål" }}<input type="text" name="goal-text" bind:value=text/></label>
            <div class="chips" role="group" aria-label="Kort eller lang sikt">
                {Horizon::ALL.into_iter().map(|h| view! {
                    <button type="button" class="chip" data-horizon=h.code() aria-pressed=move || (horizon.get() == h).to_string() on:click=move |_| horizon.set(h)>{h.label()}</button>
                }).collect_view()}
            </div>
            {id.is_some().then(|| view! {
                <label>"Kommentar (hvordan gikk det)"<textarea name="goal-comment" rows="2" bind:value=comment></textarea></label>
            })}
            <div class="row">
                <button type="submit" class="button primary">{if id.is_some() { "Lagre målet" } else { "Legg til mål" }}</button>
                {editing.map(|e| view! { <button type="button" class="button" on:click=move |_| e.set(None)>"Avbryt"</button> })}
            </div>
        </form>
    }
}

/// What, for whom, who, by when: a new task in the plan, or changing one (`task`).
#[component]
pub(super) fn TaskForm(
    family: Uuid,
    plan: Uuid,
    error: RwSignal<Option<String>>,
    #[prop(optional)] task: Option<Task>,
    /// Set back to `None` when an edit is saved or cancelled.
    #[prop(optional)]
    editing: Option<RwSignal<Option<Uuid>>>,
) -> impl IntoView {
    let core = use_core();
    let id = task.as_ref().map(|t| t.id);
    let what = RwSignal::new(task.as_ref().map(|t| t.what.clone()).unwrap_or_default());
    let owner = RwSignal::new(task.as_ref().map_or(Owner::Family, |t| t.owner));
    let who = RwSignal::new(task.as_ref().map(|t| t.who.clone()).unwrap_or_default());
    let due = RwSignal::new(
        task.as_ref()
            .and_then(|t| t.due)
            .map(iso_date)
            .unwrap_or_default(),
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let w = what.get_untracked();
        if w.trim().is_empty() {
            error.set(Some("Skriv hva som skal gjøres.".into()));
            return;
        }
        let d = due.get_untracked();
        if !d.is_empty() && parse_date(&d).is_none() {
            error.set(Some("Velg en gyldig dato for «innen».".into()));
            return;
        }
        let values = vec![
            ("what", json!(w.trim())),
            ("owner", json!(owner.get_untracked().code())),
            ("who", text_or_null(&who.get_untracked())),
            ("due", text_or_null(&d)),
        ];
        match id {
            Some(id) => {
                spawn_save_fields(core, id, values, error);
                if let Some(e) = editing {
                    e.set(None);
                }
            }
            None => {
                let mut values = values;
                values.push(("plan", json!(plan.to_string())));
                values.push(("status", json!(Status::Open.code())));
                spawn_create(core, Kind::Task, family, values, error);
                what.set(String::new());
                who.set(String::new());
                due.set(String::new());
            }
        }
    };
    view! {
        <form class="task-form no-print" autocomplete="off" on:submit=on_submit>
            <label>{if id.is_some() { "Oppgave" } else { "Ny oppgave" }}<input type="text" name="task-what" bind:value=what placeholder="Hva skal gjøres"/></label>
            <div class="chips" role="group" aria-label="Oppgave for">
                {Owner::ALL.into_iter().map(|o| view! {
                    <button type="button" class="chip" data-owner=o.code() aria-pressed=move || (owner.get() == o).to_string() on:click=move |_| owner.set(o)>{o.label()}</button>
                }).collect_view()}
            </div>
            <label>"Hvem"<input type="text" name="task-who" list="plan-people" bind:value=who/></label>
            <label>"Innen"<input type="date" name="task-due" bind:value=due/></label>
            <div class="row">
                <button type="submit" class="button primary">{if id.is_some() { "Lagre oppgaven" } else { "Legg til oppgave" }}</button>
                {editing.map(|e| view! { <button type="button" class="button" on:click=move |_| e.set(None)>"Avbryt"</button> })}
            </div>
        </form>
    }
}
