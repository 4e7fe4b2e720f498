//! The work plan (arbeidsplan): one per 3-month period, made with the family (also on the
//! shared screen), with short- and long-term goals and concrete tasks for the family and the
//! partner. Agreements sent from a cloth are pulled in; at the end of the period each goal and
//! task is evaluated, and the next plan starts from what is not done. Rules in
//! `duken_domain::plan`.

use duken_domain::cloth::Status;
use duken_domain::dates::{iso_date, parse_date};
use duken_domain::family::Family;
use duken_domain::plan::{
    agreements_to_pull, carried_over, period_on, period_span, Goal, Horizon, Outcome, Owner, Plan,
    Task,
};
use duken_domain::record::DELETED;
use duken_domain::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::cloth::{agreements_of, StatusChips};
use crate::core::{
    list_of, new_writes, save, spawn_create, spawn_save_fields, text_or_null, use_core, Core,
    SaveError,
};
use crate::families::members_of;
use crate::ui::{norwegian_date, param_uuid, today};

/// A family's plans, oldest period first.
pub fn plans_of(core: Core, family: Uuid) -> Vec<Plan> {
    let mut all = list_of(core, family, Plan::from_record);
    all.sort_by_key(|p| (p.period, p.date, p.id));
    all
}

fn goals_of(core: Core, family: Uuid, plan: Uuid) -> Vec<Goal> {
    let mut all = list_of(core, family, Goal::from_record);
    all.retain(|g| g.plan == plan);
    all.sort_by_key(|g| g.id);
    all
}

fn tasks_of(core: Core, family: Uuid, plan: Option<Uuid>) -> Vec<Task> {
    let mut all = list_of(core, family, Task::from_record);
    if let Some(plan) = plan {
        all.retain(|t| t.plan == plan);
    }
    all.sort_by_key(|t| (t.due.is_none(), t.due, t.id));
    all
}

/// Makes the plan for `period`, starting from what the previous plan left open.
async fn make_plan(core: Core, family: Uuid, period: u8) -> Result<Uuid, SaveError> {
    let previous = plans_of(core, family)
        .into_iter()
        .rfind(|p| p.period < period);
    let id = Uuid::now_v7();
    save(
        core,
        id,
        Kind::Plan,
        family,
        new_writes(vec![
            ("period", json!(period)),
            ("date", json!(iso_date(today()))),
            (
                "previous",
                previous
                    .as_ref()
                    .map_or(Value::Null, |p| json!(p.id.to_string())),
            ),
        ]),
    )
    .await?;
    if let Some(prev) = previous {
        let goals = goals_of(core, family, prev.id);
        let tasks = tasks_of(core, family, Some(prev.id));
        let (goals, tasks) = carried_over(&goals, &tasks);
        for g in goals {
            let writes = new_writes(vec![
                ("plan", json!(id.to_string())),
                ("horizon", json!(g.horizon.code())),
                ("text", json!(g.text)),
                ("carried_from", json!(g.id.to_string())),
            ]);
            save(core, Uuid::now_v7(), Kind::Goal, family, writes).await?;
        }
        for t in tasks {
            let writes = new_writes(vec![
                ("plan", json!(id.to_string())),
                ("what", json!(t.what)),
                ("owner", json!(t.owner.code())),
                ("who", text_or_null(&t.who)),
                ("status", json!(Status::Open.code())),
                ("carried_from", json!(t.id.to_string())),
            ]);
            save(core, Uuid::now_v7(), Kind::Task, family, writes).await?;
        }
    }
    Ok(id)
}

/// The period a new plan is for: the one after the newest plan, or the current one.
fn next_period(core: Core, family: Uuid) -> u8 {
    let newest = plans_of(core, family).iter().map(|p| p.period).max();
    let now = core
        .record(family)
        .as_ref()
        .and_then(Family::from_record)
        .and_then(|f| f.start_date)
        .map_or(0, |intake| period_on(intake, today()));
    match newest {
        Some(n) => (n + 1).max(now).min(7),
        None => now,
    }
}

/// The day `period` starts, when that is more than a week away (its plan is not due yet).
fn early(core: Core, family: Uuid, period: u8) -> Option<chrono::NaiveDate> {
    let intake = core
        .record(family)
        .as_ref()
        .and_then(Family::from_record)?
        .start_date?;
    let (from, _) = period_span(intake, period);
    let soon = today().checked_add_days(chrono::Days::new(7))?;
    (from > soon).then_some(from)
}

fn span_text(core: Core, family: Uuid, period: u8) -> Option<String> {
    let intake = core
        .record(family)
        .as_ref()
        .and_then(Family::from_record)?
        .start_date?;
    let (from, until) = period_span(intake, period);
    Some(format!(
        "{} – {}",
        norwegian_date(from),
        norwegian_date(until.pred_opt().unwrap_or(until))
    ))
}

/// "Hvem: Ola · Innen 20.01.2026 · Fra duken", leaving out what is not set.
fn task_meta(t: &Task) -> String {
    let mut parts = Vec::new();
    if !t.who.is_empty() {
        parts.push(format!("Hvem: {}", t.who));
    }
    if let Some(d) = t.due {
        parts.push(format!("Innen {}", norwegian_date(d)));
    }
    if t.agreement.is_some() {
        parts.push("Fra duken".to_owned());
    }
    parts.join(" · ")
}

/// `/familie/:id/arbeidsplan`: the family's plans and a new one.
#[component]
pub fn PlansPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let found = Memo::new(move |_| family().filter(|id| core.records.with(|m| m.contains_key(id))));
    view! {
        {move || match found.get() {
            None => view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any(),
            Some(f) => {
                let navigate = navigate.clone();
                let plans = Memo::new(move |_| plans_of(core, f));
                let next = Memo::new(move |_| { plans.track(); next_period(core, f) });
                let make = move |_| {
                    if busy.get_untracked() {
                        return;
                    }
                    busy.set(true);
                    let navigate = navigate.clone();
                    let period = next.get_untracked();
                    spawn_local(async move {
                        match make_plan(core, f, period).await {
                            Ok(id) => navigate(&format!("/familie/{f}/arbeidsplan/{id}"), Default::default()),
                            Err(e) => error.set(Some(crate::text::sentence(&e))),
                        }
                        busy.set(false);
                    });
                };
                view! {
                    <section class="page plans">
                        <h1>"Arbeidsplaner"</h1>
                        <ul class="cards" data-testid="plans">
                            {move || plans.get().into_iter().map(|p| view! {
                                <li class="card">
                                    <A href=format!("/familie/{f}/arbeidsplan/{}", p.id)>
                                        <h2>{p.title()}</h2>
                                        <p class="meta">
                                            {span_text(core, f, p.period)}
                                            {if p.evaluated.is_some() { " · Evaluert" } else { "" }}
                                        </p>
                                    </A>
                                </li>
                            }).collect_view()}
                        </ul>
                        // The next sensible step: while the current period's plan is being worked
                        // on (the next period starts more than a week from now), that plan, not a
                        // new one for a period that has not begun.
                        {move || early(core, f, next.get()).zip(plans.with(|p| p.last().map(|p| (p.id, p.title())))).map(|(_, (id, title))| view! {
                            <A href=format!("/familie/{f}/arbeidsplan/{id}") attr:class="button primary">{format!("Til {}", title.to_lowercase())}</A>
                        })}
                        <button type="button" class=move || if early(core, f, next.get()).is_some() && plans.with(|p| !p.is_empty()) { "button" } else { "button primary" }
                            disabled=move || busy.get() on:click=make>
                            {move || {
                                let n = next.get();
                                let starts = early(core, f, n).map(|d| format!(", perioden starter {}", norwegian_date(d))).unwrap_or_default();
                                if plans.with(Vec::is_empty) {
                                    format!("Ny arbeidsplan for periode {}{starts}", n + 1)
                                } else {
                                    format!("Ny arbeidsplan for periode {} (fra forrige plan{starts})", n + 1)
                                }
                            }}
                        </button>
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    </section>
                }.into_any()
            }
        }}
    }
}

/// `/familie/:id/arbeidsplan/:pid`.
#[component]
pub fn PlanPage() -> impl IntoView {
    let family = param_uuid("id");
    let plan = param_uuid("pid");
    view! {
        {move || match (family(), plan()) {
            (Some(f), Some(p)) => view! { <section class="page"><PlanBoard family=f plan=p shared=false/></section> }.into_any(),
            _ => view! { <section class="page"><p class="error">"Fant ikke planen."</p></section> }.into_any(),
        }}
    }
}

/// One plan, to read and to work on. `shared`: on the family's shared screen (no links out).
#[component]
pub fn PlanBoard(family: Uuid, plan: Uuid, shared: bool) -> impl IntoView {
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

#[component]
fn GoalRow(
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
fn GoalForm(
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
fn TaskForm(
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
