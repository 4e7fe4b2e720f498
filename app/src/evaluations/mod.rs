//! The meetings with the contact person: the 3-monthly evaluation of the intervention plan
//! (which moves the family's timeline), the monthly case evaluation, and a concern raised
//! (workers only). The rules are in `duken_domain::evaluation`.

use duken_domain::dates::{iso_date, parse_date};
use duken_domain::evaluation::{check_evaluation, CaseReview, Concern, Decision, Evaluation};
use duken_domain::family::Family;
use duken_domain::timeline::Checkpoint;
use duken_domain::vocab;
use duken_domain::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::core::{list_of, new_writes, save, text_or_null, use_core, Core};
use crate::families::members_of;
use crate::ui::{norwegian_date, param_uuid, today, vocab_options, MembersPresent, SingleChoice};

crate::later::screens! { evaluations:
    case_reviews_screen => view! { <CaseReviewsPage/> },
    concerns_screen => view! { <ConcernsPage/> },
}

/// The family's 3-monthly evaluations (tracked): what the timeline follows.
pub fn evaluations_of(core: Core, family: Uuid) -> Vec<Evaluation> {
    list_of(core, family, Evaluation::from_record)
}

/// A comma-separated list of names as typed.
fn names(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect()
}

/// The 3-monthly evaluation of the intervention plan: its record under the report it follows.
/// Open to the partner and to the contact person (who reads the family).
#[component]
pub fn EvaluationForm(family: Uuid, number: u8, report: Option<Uuid>) -> impl IntoView {
    let core = use_core();
    let done = Memo::new(move |_| {
        let mut all: Vec<Evaluation> = evaluations_of(core, family)
            .into_iter()
            .filter(|e| e.number == number)
            .collect();
        all.sort_by_key(|e| (e.date, e.id));
        all
    });
    let members = members_of(core, family);
    let names_of = {
        let members = members.clone();
        move |ids: &[Uuid]| -> Vec<String> {
            ids.iter()
                .filter_map(|id| members.iter().find(|m| m.id == *id))
                .map(|m| m.name.clone())
                .collect()
        }
    };
    let date = RwSignal::new(iso_date(today()));
    let present = RwSignal::new(Vec::<Uuid>::new());
    let others = RwSignal::new(String::new());
    let decision = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = parse_date(&date.get_untracked());
        let chosen = decision
            .get_untracked()
            .as_deref()
            .and_then(Decision::parse);
        if let Err(e) = check_evaluation(day, chosen, &reason.get_untracked()) {
            error.set(Some(crate::text::sentence(&e)));
            return;
        }
        let (Some(day), Some(chosen)) = (day, chosen) else {
            return;
        };
        let writes = new_writes(vec![
            ("number", json!(number)),
            ("date", json!(iso_date(day))),
            (
                "report",
                report.map_or(Value::Null, |r| json!(r.to_string())),
            ),
            (
                "present",
                json!(present
                    .get_untracked()
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()),
            ),
            ("others", json!(names(&others.get_untracked()))),
            ("decision", json!(chosen.code())),
            ("reason", text_or_null(&reason.get_untracked())),
            ("note", text_or_null(&note.get_untracked())),
        ]);
        spawn_local(async move {
            match save(core, Uuid::now_v7(), Kind::Evaluation, family, writes).await {
                Ok(()) => {
                    error.set(None);
                    saved.set(true);
                    decision.set(None);
                    reason.set(String::new());
                    note.set(String::new());
                }
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };
    view! {
        <section class="evaluation" aria-labelledby="evaluation-title">
            <h2 id="evaluation-title">{format!("Evaluering {number} av tiltaksplanen")}</h2>
            <ul class="cards" data-testid="evaluations">
                {move || done.get().into_iter().map(|e| {
                    let who: Vec<String> = names_of(&e.present).into_iter().chain(e.others.clone()).collect();
                    view! {
                        <li class="card evaluation-record">
                            <p><strong>{e.decision.label()}</strong>{format!(" · {}", norwegian_date(e.date))}</p>
                            {(!e.reason.is_empty()).then(|| view! { <p>"Begrunnelse: "{e.reason.clone()}</p> })}
                            {(!who.is_empty()).then(|| view! { <p class="meta">"Til stede: "{who.join(", ")}</p> })}
                            {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="evaluation-form" on:submit=on_submit autocomplete="off">
                <fieldset class="plain" disabled=move || !core.may_write(family, Kind::Evaluation)>
                    <p class="hint">"Partner, kontaktperson og familie evaluerer tiltaksplanen sammen. En forlengelse, avslutningsfase eller avslutning flytter familiens tidslinje."</p>
                    <label>"Dato for evalueringen"<input name="evaluation-date" type="date" bind:value=date/></label>
                    <MembersPresent legend="Hvem fra familien var med?" name="evaluation-present" members=members present=present/>
                    <label>"Andre som var med (skill med komma)"<input name="evaluation-others" type="text" bind:value=others/></label>
                    <SingleChoice legend="Hva ble besluttet?" name="decision" options=vocab_options(vocab::DECISIONS) selected=decision/>
                    <label>"Begrunnelse"<textarea name="evaluation-reason" rows="2" bind:value=reason></textarea></label>
                    <label>"Notat fra evalueringen"<textarea name="evaluation-note" rows="3" bind:value=note></textarea></label>
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    {move || saved.get().then(|| view! { <p class="saved" role="status">"Evalueringen er lagret på enheten. Tidslinjen følger beslutningen."</p> })}
                    <div class="actions"><button type="submit" class="button primary">"Lagre evalueringen"</button></div>
                </fieldset>
            </form>
        </section>
    }
}

/// `/familie/:id/saksevaluering`: the monthly case evaluations with the contact person; each
/// one recorded ticks its month's checkpoint.
#[component]
fn CaseReviewsPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let query = use_query_map();
    view! {
        {move || {
            let Some(f) = family() else {
                return view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any();
            };
            let reviews = Memo::new(move |_| {
                let mut all = list_of(core, f, CaseReview::from_record);
                all.sort_by_key(|c| (c.month, c.date, c.id));
                all
            });
            // The months of the course, and the first not yet recorded (or the one asked for).
            let months = Memo::new(move |_| {
                core.record(f)
                    .as_ref()
                    .and_then(Family::from_record)
                    .and_then(|x| x.course(&evaluations_of(core, f)))
                    .map(|c| {
                        c.timeline()
                            .due
                            .iter()
                            .filter_map(|d| match d.checkpoint {
                                Checkpoint::CaseEvaluation(n) => Some((n, d.date)),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            });
            let asked = query.read_untracked().get("maned").and_then(|s| s.parse::<u8>().ok());
            let first_open = months.get_untracked().iter().map(|(n, _)| *n).find(|n| !reviews.get_untracked().iter().any(|r| r.month == *n));
            let month = RwSignal::new(asked.or(first_open).unwrap_or(1).to_string());
            let date = RwSignal::new(iso_date(today()));
            let present = RwSignal::new(String::new());
            let note = RwSignal::new(String::new());
            let agreed = RwSignal::new(String::new());
            let error = RwSignal::new(None::<String>);
            let saved = RwSignal::new(false);
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let Some(day) = parse_date(&date.get_untracked()) else {
                    error.set(Some("Skriv inn datoen for saksevalueringen.".into()));
                    return;
                };
                let Ok(n) = month.get_untracked().parse::<u8>() else {
                    error.set(Some("Velg hvilken måned saksevalueringen gjelder.".into()));
                    return;
                };
                let writes = new_writes(vec![
                    ("date", json!(iso_date(day))),
                    ("month", json!(n)),
                    ("present", json!(names(&present.get_untracked()))),
                    ("note", text_or_null(&note.get_untracked())),
                    ("agreed", text_or_null(&agreed.get_untracked())),
                ]);
                spawn_local(async move {
                    match save(core, Uuid::now_v7(), Kind::CaseReview, f, writes).await {
                        Ok(()) => {
                            error.set(None);
                            saved.set(true);
                            note.set(String::new());
                            agreed.set(String::new());
                        }
                        Err(e) => error.set(Some(crate::text::sentence(&e))),
                    }
                });
            };
            view! {
                <section class="page narrow case-reviews">
                    <h1>"Saksevalueringer"</h1>
                    <p class="meta"><A href=format!("/familie/{f}")>{move || core.record(f).and_then(|r| r.text("name").map(str::to_owned))}</A></p>
                    <p class="hint">"Hver måned evaluerer familiepartneren saken med kontaktpersonen. En registrert saksevaluering krysser av månedens frist."</p>
                    <ul class="cards" data-testid="case-reviews">
                        {move || reviews.get().into_iter().map(|c| view! {
                            <li class="card">
                                <p><strong>{format!("{}. måned", c.month)}</strong>{format!(" · {}", norwegian_date(c.date))}</p>
                                {(!c.present.is_empty()).then(|| view! { <p class="meta">"Til stede: "{c.present.join(", ")}</p> })}
                                {(!c.note.is_empty()).then(|| view! { <p>{c.note.clone()}</p> })}
                                {(!c.agreed.is_empty()).then(|| view! { <p>"Avtalt: "{c.agreed.clone()}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                    <form class="case-review-form" on:submit=on_submit autocomplete="off">
                        <fieldset class="plain" disabled=move || !core.may_write(f, Kind::CaseReview)>
                            <h2>"Ny saksevaluering"</h2>
                            <label>"Dato"<input name="case-date" type="date" bind:value=date/></label>
                            <label>"Gjelder"
                                <select name="case-month" prop:value=move || month.get() on:change=move |ev| month.set(event_target_value(&ev))>
                                    {move || months.get().into_iter().map(|(n, due)| view! {
                                        <option value=n.to_string() selected=month.get_untracked() == n.to_string()>{format!("{n}. måned (frist {})", norwegian_date(due))}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>"Til stede (skill med komma)"<input name="case-present" type="text" bind:value=present/></label>
                            <label>"Notat"<textarea name="case-note" rows="3" bind:value=note></textarea></label>
                            <label>"Hva ble avtalt"<textarea name="case-agreed" rows="2" bind:value=agreed></textarea></label>
                            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            {move || saved.get().then(|| view! { <p class="saved" role="status">"Saksevalueringen er lagret på enheten, og månedens frist er krysset av."</p> })}
                            <div class="actions"><button type="submit" class="button primary">"Lagre saksevalueringen"</button></div>
                        </fieldset>
                    </form>
                </section>
            }.into_any()
        }}
    }
}

/// `/familie/:id/bekymring`: concerns raised with the contact person. For workers only.
#[component]
fn ConcernsPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    view! {
        {move || {
            let Some(f) = family() else {
                return view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any();
            };
            let concerns = Memo::new(move |_| {
                let mut all = list_of(core, f, Concern::from_record);
                all.sort_by_key(|c| (c.date, c.id));
                all
            });
            let date = RwSignal::new(iso_date(today()));
            let what = RwSignal::new(String::new());
            let to = RwSignal::new(String::new());
            let error = RwSignal::new(None::<String>);
            let saved = RwSignal::new(false);
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let Some(day) = parse_date(&date.get_untracked()) else {
                    error.set(Some("Skriv inn datoen bekymringen ble meldt.".into()));
                    return;
                };
                if what.get_untracked().trim().is_empty() {
                    error.set(Some("Skriv hva bekymringen gjelder.".into()));
                    return;
                }
                if to.get_untracked().trim().is_empty() {
                    error.set(Some("Skriv hvem bekymringen ble meldt til.".into()));
                    return;
                }
                let writes = new_writes(vec![
                    ("date", json!(iso_date(day))),
                    ("what", text_or_null(&what.get_untracked())),
                    ("to", text_or_null(&to.get_untracked())),
                ]);
                spawn_local(async move {
                    match save(core, Uuid::now_v7(), Kind::Concern, f, writes).await {
                        Ok(()) => {
                            error.set(None);
                            saved.set(true);
                            what.set(String::new());
                        }
                        Err(e) => error.set(Some(crate::text::sentence(&e))),
                    }
                });
            };
            view! {
                <section class="page narrow concerns">
                    <h1>"Bekymringer meldt til kontaktpersonen"</h1>
                    <p class="meta"><A href=format!("/familie/{f}")>{move || core.record(f).and_then(|r| r.text("name").map(str::to_owned))}</A></p>
                    <p class="notice worker-only" role="note">"Bare for fagpersoner: vises aldri på delt skjerm, i rapporter eller i familiens papirer."</p>
                    <ul class="cards" data-testid="concerns">
                        {move || concerns.get().into_iter().map(|c| view! {
                            <li class="card">
                                <p><strong>{norwegian_date(c.date)}</strong>" · meldt til "{c.to.clone()}</p>
                                <p>{c.what.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                    <form class="concern-form" on:submit=on_submit autocomplete="off">
                        <fieldset class="plain" disabled=move || !core.may_write(f, Kind::Concern)>
                            <h2>"Meld en bekymring"</h2>
                            <label>"Dato"<input name="concern-date" type="date" bind:value=date/></label>
                            <label>"Hva gjelder bekymringen"<textarea name="concern-what" rows="3" bind:value=what></textarea></label>
                            <label>"Meldt til"<input name="concern-to" type="text" bind:value=to/></label>
                            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            {move || saved.get().then(|| view! { <p class="saved" role="status">"Bekymringen er lagret på enheten."</p> })}
                            <div class="actions"><button type="submit" class="button primary">"Lagre bekymringen"</button></div>
                        </fieldset>
                    </form>
                </section>
            }.into_any()
        }}
    }
}
