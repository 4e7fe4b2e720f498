//! What is due: the start screen's "Denne uken" across every family on the device, and the
//! family page's whole list. The rules (what is due when, what ticks it off) are in
//! `duken_domain::agenda`; here they meet the records.

use std::collections::HashMap;

use duken_domain::agenda::TICKED_PREFIX;
use duken_domain::agenda::{items, this_week, Item, Progress, State, What};
use duken_domain::dates::{iso_date, parse_date};
use duken_domain::evaluation::{CaseReview, Evaluation};
use duken_domain::family::{Family, Member};
use duken_domain::intake::Visit;
use duken_domain::plan::Plan;
use duken_domain::rating::{missing_raters, Round, Standing};
use duken_domain::report::finalised_evaluation;
use duken_domain::timeline::Checkpoint;
use duken_domain::{Kind, Record};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::core::{save_fields, use_core, Core};
use crate::families::sort_families;
use crate::ui::{norwegian_date, today};

/// Everything recorded for one family that ticks items off, gathered in one pass.
#[derive(Default)]
struct Gathered {
    members: Vec<Member>,
    rounds: Vec<Round>,
    standings: Vec<Standing>,
    evaluations: Vec<Evaluation>,
    progress: Progress,
}

impl Gathered {
    fn add(&mut self, r: &Record) {
        match r.kind {
            Kind::Member => self.members.extend(Member::from_record(r)),
            Kind::Round => self.rounds.extend(Round::from_record(r)),
            Kind::Rating => self.standings.extend(Standing::from_record(r)),
            Kind::Visit => self.progress.visits.extend(Visit::from_record(r)),
            Kind::Plan => self
                .progress
                .plans
                .extend(Plan::from_record(r).map(|p| p.period)),
            Kind::Evaluation => self.evaluations.extend(Evaluation::from_record(r)),
            Kind::Report => self.progress.reports.extend(finalised_evaluation(r)),
            Kind::CaseReview => self
                .progress
                .case_reviews
                .extend(CaseReview::from_record(r).map(|c| c.month)),
            Kind::Meeting if !r.is_deleted() => self
                .progress
                .meetings
                .extend(r.text("date").and_then(parse_date)),
            _ => {}
        }
    }

    /// The family's items: its course (with what its evaluations decided) and what ticks.
    fn items(self, family: &Family) -> Option<Vec<Item>> {
        let course = family.course(&self.evaluations)?;
        Some(items(&course, &self.finish(family)))
    }

    fn finish(mut self, family: &Family) -> Progress {
        self.progress.rounds_answered = self
            .rounds
            .iter()
            .filter(|r| missing_raters(&self.members, r.id, &self.standings).is_empty())
            .map(|r| r.point)
            .collect();
        self.progress.ticked = family.ticked.clone();
        self.progress
    }
}

/// Every family's items, and the families without an intake date, from one pass over the
/// records (the start screen stays quick with thousands of records on the device, and a first
/// sync that brings them in batches recomputes this once per batch).
fn all_items(core: Core) -> (Vec<(Family, Vec<Item>)>, Vec<Family>) {
    let mut gathered: HashMap<Uuid, Gathered> = HashMap::new();
    let mut families: Vec<Family> = Vec::new();
    core.records.with(|all| {
        for r in all.values() {
            if r.kind == Kind::Family {
                families.extend(Family::from_record(r));
            }
            gathered.entry(r.family).or_default().add(r);
        }
    });
    sort_families(&mut families);
    let (dated, undated): (Vec<Family>, Vec<Family>) =
        families.into_iter().partition(|f| f.start_date.is_some());
    let items = dated
        .into_iter()
        .filter_map(|f| {
            let items = gathered.remove(&f.id).unwrap_or_default().items(&f)?;
            Some((f, items))
        })
        .collect();
    (items, undated)
}

/// One family's items.
pub fn family_items(core: Core, family: Uuid) -> Vec<Item> {
    let Some(f) = core.record(family).as_ref().and_then(Family::from_record) else {
        return Vec::new();
    };
    let mut g = Gathered::default();
    core.records.with(|all| {
        for r in all.values().filter(|r| r.family == family) {
            g.add(r);
        }
    });
    g.items(&f).unwrap_or_default()
}

/// Ticks a checkpoint done outside Duken off (today), or back on.
pub fn tick(
    core: Core,
    family: Uuid,
    checkpoint: Checkpoint,
    done: bool,
    error: RwSignal<Option<String>>,
) {
    let Some(seen) = core.record(family) else {
        return;
    };
    let field = format!("{TICKED_PREFIX}{}", checkpoint.code());
    let value = if done {
        json!(iso_date(today()))
    } else {
        Value::Null
    };
    spawn_local(async move {
        match save_fields(core, &seen, vec![(field.as_str(), value)]).await {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(crate::text::sentence(&e))),
        }
    });
}

/// Where the work behind an item is done.
fn action(family: Uuid, item: &Item) -> Option<(String, &'static str)> {
    let to = |path: &str| format!("/familie/{family}{path}");
    match item.what {
        What::Visit(_) => Some((
            to(&format!("/mote?dato={}", iso_date(item.date))),
            "Logg møtet",
        )),
        What::Checkpoint(Checkpoint::HomeVisits) => Some((to("/inntak"), "Avtal besøk")),
        What::Checkpoint(Checkpoint::RatingRound(_)) => Some((to("/rangering"), "Til rangeringen")),
        What::Checkpoint(Checkpoint::WorkPlan(_)) => {
            Some((to("/arbeidsplan"), "Til arbeidsplanen"))
        }
        What::Checkpoint(Checkpoint::Report(n)) => {
            Some((to(&format!("/rapport?evaluering={n}")), "Skriv rapporten"))
        }
        What::Checkpoint(Checkpoint::CaseEvaluation(n)) => Some((
            to(&format!("/saksevaluering?maned={n}")),
            "Registrer saksevalueringen",
        )),
        _ => None,
    }
}

/// The word beside an item: overdue and due today stand out, what is coming does not.
fn state_word(state: State) -> Option<(&'static str, &'static str)> {
    match state {
        State::Overdue => Some(("Forfalt", "overdue")),
        State::Today => Some(("I dag", "today")),
        State::Due | State::Done => None,
    }
}

/// A visit's day as a day; a checkpoint's as the deadline it is.
pub fn date_text(item: &Item) -> String {
    if item.is_appointment() {
        norwegian_date(item.date)
    } else {
        format!("Frist {}", norwegian_date(item.date))
    }
}

/// How many lines "Denne uken" shows before «Vis alle»: a partner's 5-10 families fit; a
/// device holding a whole team's backlog does not drown the start screen (or its first sync).
const SHOWN: usize = 40;

/// One line of "Denne uken".
#[derive(Clone, PartialEq)]
struct Row {
    family: Uuid,
    name: String,
    item: Item,
    state: State,
}

/// The start screen's list: what is due this week and what is overdue, by date.
#[component]
pub fn ThisWeek() -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let agenda = Memo::new(move |_| all_items(core));
    let show_all = RwSignal::new(false);
    // Without an intake date a family has no clock: say so rather than show nothing.
    let undated = Memo::new(move |_| {
        agenda.with(|(_, undated)| undated.iter().map(|f| f.name.clone()).collect::<Vec<_>>())
    });
    let rows = Memo::new(move |_| {
        let now = today();
        let mut rows: Vec<Row> = agenda.with(|(all, _)| {
            all.iter()
                .flat_map(|(f, items)| {
                    this_week(items, now).into_iter().map(|i| Row {
                        family: f.id,
                        name: f.name.clone(),
                        state: i.state(now),
                        item: i.clone(),
                    })
                })
                .collect()
        });
        // What the partner must do today first, across families (the domain's order).
        rows.sort_by(|a, b| {
            a.item
                .urgency(now)
                .cmp(&b.item.urgency(now))
                .then(a.name.cmp(&b.name))
                .then(a.item.label.cmp(&b.item.label))
        });
        rows
    });
    view! {
        <section class="this-week" aria-label="Denne uken">
            <h2>"Denne uken"</h2>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Show when=move || rows.with(|r| !r.is_empty()) fallback=|| view! {
                <p class="empty">"Ingenting forfaller de neste sju dagene."</p>
            }>
                <ul class="due-list" data-testid="this-week">
                    // Keyed: a sync that brings records leaves the rows it does not change alone
                    // (on a device with many families this list is long).
                    <For each=move || rows.with(|r| r.iter().take(if show_all.get() { usize::MAX } else { SHOWN }).cloned().collect::<Vec<_>>())
                        key=|r| (r.family, r.name.clone(), r.item.what, r.item.date, r.item.label.clone(), r.state)
                        children=move |r| {
                            // A reader of the family (team leader, contact person) sees what is due,
                            // not the partner's ways to do it: the server would refuse them.
                            let writes = untrack(|| core.can_write(r.family));
                            // A contact person records the case evaluation with the partner.
                            let records = match r.item.what {
                                What::Checkpoint(Checkpoint::CaseEvaluation(_)) => {
                                    untrack(|| core.may_write(r.family, Kind::CaseReview))
                                }
                                _ => writes,
                            };
                            let link = action(r.family, &r.item).filter(|_| records);
                            let by_hand = match r.item.what {
                                What::Checkpoint(c) if c.by_hand() && writes => Some(c),
                                _ => None,
                            };
                            let family = r.family;
                            let name = r.name.clone();
                            view! {
                                <li class="due-item" class:overdue=r.state == State::Overdue class:today=r.state == State::Today data-family=r.name>
                                    <span class="date">{date_text(&r.item)}</span>
                                    {state_word(r.state).map(|(word, class)| view! { <span class=format!("badge {class}")>{word}</span> })}
                                    <span class="what">
                                        // Not a link: the family's card below is the one way in, and a
                                        // screen reader should not hear the same link per item.
                                        <strong>{name}</strong>
                                        ": "{r.item.label}
                                    </span>
                                    {link.map(|(href, label)| view! { <A href=href attr:class="button small">{label}</A> })}
                                    {by_hand.map(|c| view! {
                                        <button type="button" class="button small" on:click=move |_| tick(core, family, c, true, error)>"Merk som gjort"</button>
                                    })}
                                </li>
                            }
                        }
                    />
                </ul>
                <Show when=move || !show_all.get() && rows.with(|r| r.len() > SHOWN)>
                    <button type="button" class="button" on:click=move |_| show_all.set(true)>
                        {move || format!("Vis alle ({})", rows.with(Vec::len))}
                    </button>
                </Show>
            </Show>
            <Show when=move || undated.with(|u| !u.is_empty())>
                <p class="hint" data-testid="undated">
                    // Names only, no links: the family cards below are the way in.
                    {move || {
                        let names = undated.get();
                        format!(
                            "Uten startdato (inntakssamtalen), så fristene ikke kan regnes ut: {}. Sett den under «Rediger» på familien.",
                            names.join(", ")
                        )
                    }}
                </p>
            </Show>
        </section>
    }
}

/// The family page's whole list: every item of the course (`list`, from [`family_items`]),
/// done or not.
#[component]
pub fn FamilyAgenda(family: Uuid, list: Memo<Vec<Item>>) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    view! {
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <details class="all-due">
            <summary>"Alle frister i forløpet"</summary>
            <ul class="due-list" data-testid="all-due">
                {move || {
                    let now = today();
                    list.get().into_iter().map(|item| {
                        let state = item.state(now);
                        let done = item.done;
                        let by_hand = match item.what {
                            What::Checkpoint(c) if c.by_hand() => Some(c),
                            _ => None,
                        };
                        view! {
                            <li class="due-item" class:overdue=state == State::Overdue class:today=state == State::Today class:done=done>
                                <span class="date">{date_text(&item)}</span>
                                <span class="what">{item.label.clone()}</span>
                                {match by_hand {
                                    Some(c) => view! {
                                        <label class="check">
                                            <input type="checkbox" prop:checked=done
                                                on:change=move |ev| tick(core, family, c, event_target_checked(&ev), error)/>
                                            "Gjort"
                                        </label>
                                    }.into_any(),
                                    None => view! { <span class="state">{if done { "Gjort" } else { state_word(state).map_or("", |(w, _)| w) }}</span> }.into_any(),
                                }}
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </details>
    }
}
