//! One plan, to read and to work on: who made it, its goals and tasks, and its evaluation.

use duken_domain::cloth::Status;
use duken_domain::dates::{iso_date, parse_date};
use duken_domain::plan::{agreements_to_pull, Horizon, Owner, Plan};
use duken_domain::record::DELETED;
use duken_domain::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{json, Value};
use uuid::Uuid;

use super::data::{goals_of, make_plan, plans_of, span_text, task_meta, tasks_of};
use super::items::{GoalForm, GoalRow, TaskForm};
use crate::cloth::{agreements_of, StatusChips};
use crate::core::{new_writes, save, spawn_save_fields, text_or_null, use_core};
use crate::families::members_of;
use crate::ui::{norwegian_date, today};

/// A work plan on the shared screen, from the plans' chunk.
#[crate::later::wasm_split(plans, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn shared_plan(family: Uuid, plan: Uuid) -> crate::later::Screen {
    Ok(crate::later::Build::new(move || {
        view! { <PlanBoard family=family plan=plan shared=true/> }.into_any()
    }))
}

/// One plan, to read and to work on. `shared`: on the family's shared screen (no links out).
#[component]
pub(super) fn PlanBoard(family: Uuid, plan: Uuid, shared: bool) -> impl IntoView {
    let core = use_core();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let info = Memo::new(move |_| core.record(plan).as_ref().and_then(Plan::from_record));
    let goals = Memo::new(move |_| goals_of(core, family, plan));
    let tasks = Memo::new(move |_| tasks_of(core, family, Some(plan)));
    let members = Memo::new(move |_| members_of(core, family));
    let to_pull = Memo::new(move |_| {
        let agreements = agreements_of(core, family);
        let all_tasks = tasks_of(core, family, None);
        agreements_to_pull(&agreements, &all_tasks)
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    });
    // The goal or task being changed, if any (one at a time).
    let editing = RwSignal::new(None::<Uuid>);
    let is_newest = Memo::new(move |_| {
        info.with(|p| {
            p.as_ref()
                .is_some_and(|p| plans_of(core, family).iter().all(|o| o.period <= p.period))
        })
    });

    let pull = move |ids: Vec<Uuid>| {
        let chosen: Vec<_> = to_pull
            .get_untracked()
            .into_iter()
            .filter(|a| ids.contains(&a.id))
            .collect();
        spawn_local(async move {
            for a in chosen {
                let writes = new_writes(vec![
                    ("plan", json!(plan.to_string())),
                    ("what", json!(a.what)),
                    ("owner", json!(Owner::Family.code())),
                    ("who", text_or_null(&a.who)),
                    ("due", a.due.map_or(Value::Null, |d| json!(iso_date(d)))),
                    ("status", json!(Status::Open.code())),
                    ("agreement", json!(a.id.to_string())),
                ]);
                if let Err(e) = save(core, Uuid::now_v7(), Kind::Task, family, writes).await {
                    error.set(Some(crate::text::sentence(&e)));
                    return;
                }
            }
        });
    };
    let make_next = move |_| {
        let Some(p) = info.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match make_plan(core, family, p.period.saturating_add(1).min(7)).await {
                Ok(id) => navigate(
                    &format!("/familie/{family}/arbeidsplan/{id}"),
                    Default::default(),
                ),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };

    let goal_list = move |horizon: Horizon| {
        view! {
            <section class="goals" data-horizon=horizon.code()>
                <h3>{match horizon { Horizon::Short => "Kortsiktige mål", Horizon::Long => "Langsiktige mål" }}</h3>
                <ul>
                    <For each=move || goals.get().into_iter().filter(move |g| g.horizon == horizon)
                        key=|g| (g.id, g.text.clone())
                        children=move |g| view! { <GoalRow family=family goal=g error=error editing=editing/> }/>
                </ul>
            </section>
        }
    };
    let task_list = move |owner: Owner| {
        view! {
            <section class="tasks" data-owner=owner.code()>
                <h3>{match owner { Owner::Family => "Familiens oppgaver", Owner::Partner => "Familiepartnerens oppgaver" }}</h3>
                <ul>
                    <For each=move || tasks.get().into_iter().filter(move |t| t.owner == owner)
                        key=|t| (t.id, t.what.clone(), t.who.clone(), t.due)
                        children=move |t| {
                            let id = t.id;
                            let shown = t.clone();
                            view! {
                                <li class="task" data-testid="task">
                                    <Show when=move || editing.get() == Some(id) fallback={
                                        let t = shown.clone();
                                        move || view! {
                                            <p class="what">{t.what.clone()}</p>
                                            <p class="meta">{task_meta(&t)}</p>
                                        }
                                    }>
                                        <TaskForm family=family plan=plan error=error task=t.clone() editing=editing/>
                                    </Show>
                                    <StatusChips record=id error=error/>
                                    <div class="row no-print">
                                        <button type="button" class="button small" on:click=move |_| editing.set(Some(id))>"Rediger"</button>
                                        <button type="button" class="button small danger" on:click=move |_| spawn_save_fields(core, id, vec![(DELETED, json!(true))], error)>"Slett"</button>
                                    </div>
                                </li>
                            }
                        }/>
                </ul>
            </section>
        }
    };

    view! {
        <div class="plan-board" data-testid="plan">
            <div class="page-head">
                <h1>{move || info.get().map(|p| p.title()).unwrap_or_else(|| "Arbeidsplan".into())}</h1>
                {(!shared).then(|| view! {
                    <button type="button" class="button no-print" on:click=move |_| crate::modes::share_plan(core, family, plan)>"Vis på delt skjerm"</button>
                })}
            </div>
            <p class="meta">
                {move || info.get().and_then(|p| span_text(core, family, p.period))}
            </p>
            <Present plan=plan family=family error=error/>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <h2>"Mål"</h2>
            <div class="columns">{goal_list(Horizon::Short)}{goal_list(Horizon::Long)}</div>
            <GoalForm family=family plan=plan error=error/>
            <h2>"Oppgaver"</h2>
            <div class="columns">{task_list(Owner::Family)}{task_list(Owner::Partner)}</div>
            <datalist id="plan-people">{move || members.get().into_iter().map(|m| view! { <option value=m.name/> }).collect_view()}</datalist>
            <TaskForm family=family plan=plan error=error/>
            <Show when=move || to_pull.with(|l| !l.is_empty())>
                <section class="pull no-print" data-testid="agreements-to-pull">
                    <h2>"Avtaler fra duken"</h2>
                    <p class="hint">"Avtaler som er sendt til arbeidsplanen fra en samtaleduk."</p>
                    <ul>
                        {move || to_pull.get().into_iter().map(|a| {
                            let id = a.id;
                            view! {
                                <li>
                                    {a.what.clone()}
                                    <span class="meta">{(!a.who.is_empty()).then(|| format!(" · {}", a.who))}{a.due.map(|d| format!(" · innen {}", norwegian_date(d)))}</span>
                                    <button type="button" class="button small" on:click=move |_| pull(vec![id])>"Ta inn i planen"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <button type="button" class="button primary" on:click=move |_| pull(to_pull.get_untracked().iter().map(|a| a.id).collect())>"Ta inn alle"</button>
                </section>
            </Show>
            <Evaluation plan=plan error=error/>
            {(!shared).then(|| view! {
                <Show when=move || is_newest.get() && info.with(|p| p.as_ref().is_some_and(|p| p.evaluated.is_some()))>
                    <button type="button" class="button primary no-print" on:click=make_next.clone()>"Lag neste plan fra denne"</button>
                </Show>
            })}
        </div>
    }
}

/// Who made the plan with the partner: one tap per person.
#[component]
fn Present(plan: Uuid, family: Uuid, error: RwSignal<Option<String>>) -> impl IntoView {
    let core = use_core();
    let members = Memo::new(move |_| members_of(core, family));
    let present = Memo::new(move |_| {
        core.record(plan)
            .map(|r| r.ids("present"))
            .unwrap_or_default()
    });
    view! {
        <fieldset class="chips" data-field="plan-present">
            <legend>"Laget sammen med"</legend>
            {move || members.get().into_iter().map(|m| {
                let id = m.id;
                let on = move || present.with(|p| p.contains(&id));
                view! {
                    <button type="button" class="chip" aria-pressed=move || on().to_string() on:click=move |_| {
                        let mut now = present.get_untracked();
                        if let Some(i) = now.iter().position(|x| *x == id) { now.remove(i); } else { now.push(id); }
                        let ids: Vec<String> = now.iter().map(Uuid::to_string).collect();
                        spawn_save_fields(core, plan, vec![("present", json!(ids))], error);
                    }>{m.name.clone()}</button>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The end of the period: how it went, in words, and the plan marked evaluated.
#[component]
fn Evaluation(plan: Uuid, error: RwSignal<Option<String>>) -> impl IntoView {
    let core = use_core();
    let seen = core.record(plan);
    let text = RwSignal::new(
        seen.as_ref()
            .and_then(|r| r.text("evaluation"))
            .unwrap_or_default()
            .to_owned(),
    );
    let evaluated = Memo::new(move |_| {
        core.record(plan)
            .and_then(|r| r.text("evaluated").and_then(parse_date))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_save_fields(
            core,
            plan,
            vec![
                ("evaluation", text_or_null(&text.get_untracked())),
                ("evaluated", json!(iso_date(today()))),
            ],
            error,
        );
    };
    view! {
        <section class="plan-evaluation">
            <h2>"Evaluering av perioden"</h2>
            <p class="hint">"Ved slutten av perioden: hvordan gikk det med hvert mål (over) og hver oppgave (status), og hva tar dere med videre?"</p>
            <form on:submit=on_submit class="no-print">
                <label>"Samlet vurdering"<textarea name="plan-evaluation" rows="3" bind:value=text></textarea></label>
                <button type="submit" class="button">"Lagre evalueringen"</button>
            </form>
            {move || evaluated.get().map(|d| view! { <p class="meta" data-testid="evaluated">{format!("Evaluert {}", norwegian_date(d))}</p> })}
        </section>
    }
}
