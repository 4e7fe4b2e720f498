//! The family's papers (workbook 002: finished documents are made available to the family):
//! every finished report, every work plan and cloth, the family's rating overview, and each
//! member's own answers (on a paper of their own, for them only). Each prints on A4 in the
//! written form the family chose, dated, with this family's names only and nothing
//! worker-only; the browser's print dialog makes the PDF, so it works offline.

use duken_domain::cloth::{Cloth, Note};
use duken_domain::family::{Family, Member};
use duken_domain::lang::Lang;
use duken_domain::plan::{Goal, Plan, Task};
use duken_domain::rating::{find, Rater, Rating, Round};
use duken_domain::report::{current_versions, Report};
use duken_domain::vocab::{self, label_in};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::cloth::{agreements_of, cloths_of, notes_of, speaker_name};
use crate::core::{list_of, use_core, Core};
use crate::families::members_of;
use crate::ratings::{ratings_of, rounds_of};
use crate::reports::document::report_document;
use crate::reports::words::{words, Words};
use crate::reports::{document_of, reports_of};
use crate::ui::{norwegian_date, today};

crate::later::screens! { papers:
    papers_screen => view! { <PapersPage/> },
    paper_screen => view! { <PaperPage/> },
}

fn family_of(core: Core, family: Uuid) -> Option<Family> {
    core.record(family).as_ref().and_then(Family::from_record)
}

fn lang_of(core: Core, family: Uuid) -> Lang {
    family_of(core, family)
        .map(|f| f.language)
        .unwrap_or_default()
}

/// One paper in the list: its address, title and date.
#[derive(Clone, Debug, PartialEq)]
struct Paper {
    href: String,
    title: String,
    date: Option<chrono::NaiveDate>,
    note: Option<String>,
}

fn papers(core: Core, family: Uuid, w: &'static Words) -> Vec<(&'static str, Vec<Paper>)> {
    let base = format!("/familie/{family}/papirer");
    let all_reports = reports_of(core, family);
    let current: Vec<Uuid> = current_versions(&all_reports)
        .iter()
        .map(|r| r.id)
        .collect();
    let reports = all_reports
        .iter()
        .filter(|r| r.is_final())
        .map(|r| Paper {
            href: format!("{base}/rapport/{}", r.id),
            title: format!("{} {}", w.report_title, r.evaluation),
            date: r.finalised,
            note: Some(if current.contains(&r.id) {
                format!("{} {}", w.version, r.version)
            } else {
                format!("{} {}, {}", w.version, r.version, w.older_version)
            }),
        })
        .collect();
    let plans = crate::plans::plans_of(core, family)
        .into_iter()
        .map(|p| Paper {
            href: format!("{base}/arbeidsplan/{}", p.id),
            title: format!("{} {}", w.plan_for, p.period + 1),
            date: p.date,
            note: None,
        })
        .collect();
    let cloths = cloths_of(core, family)
        .into_iter()
        .map(|c| Paper {
            href: format!("{base}/duk/{}", c.id),
            title: format!("{}: {}", w.cloth, c.layout.name.get(c.language)),
            date: c.date,
            note: None,
        })
        .collect();
    let members = members_of(core, family);
    let ratings = ratings_of(core, family);
    let mut answers: Vec<Paper> = members
        .iter()
        .filter(|m| {
            ratings
                .iter()
                .any(|r| r.member == m.id && r.rater == Rater::Member && r.counts())
        })
        .map(|m| Paper {
            href: format!("{base}/svar/{}", m.id),
            title: format!("{} {}", w.answers_of, m.name),
            date: None,
            note: Some(format!("{} {}", w.only_for, m.name)),
        })
        .collect();
    let mut ratings_papers = Vec::new();
    if !answers.is_empty() {
        ratings_papers.push(Paper {
            href: format!("{base}/rangering"),
            title: w.overview.to_owned(),
            date: None,
            note: None,
        });
    }
    ratings_papers.append(&mut answers);
    vec![
        ("Rapporter", reports),
        ("Arbeidsplaner", plans),
        ("Samtaleduker", cloths),
        ("Rangering", ratings_papers),
    ]
}

/// `/familie/:id/papirer`.
#[component]
fn PapersPage() -> impl IntoView {
    let core = use_core();
    let params = use_params_map();
    let family = move || {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    view! {
        {move || {
            let Some(f) = family() else {
                return view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any();
            };
            let lang = Memo::new(move |_| lang_of(core, f));
            let groups = Memo::new(move |_| papers(core, f, words(lang.get())));
            view! {
                <section class="page papers">
                    <h1>"Familiens papirer"</h1>
                    <p class="meta"><A href=format!("/familie/{f}")>{move || family_of(core, f).map(|x| x.name)}</A>
                        {move || format!(" · Skrives ut på {}", if lang.get() == Lang::Nn { "nynorsk" } else { "bokmål" })}</p>
                    <p class="hint">"Alt som er ferdig, til familien. Hver side skrives ut på A4, eller lagres som PDF fra utskriftsvinduet, også uten nett. Ingenting som bare er for fagpersoner kommer med, og hver persons egne svar skrives ut bare til dem selv."</p>
                    {move || groups.get().into_iter().map(|(title, list)| view! {
                        <h2>{title}</h2>
                        {if list.is_empty() {
                            view! { <p class="empty">"Ingen ferdige ennå."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards" data-testid="papers">
                                    {list.into_iter().map(|p| view! {
                                        <li class="card paper-card">
                                            <A href=p.href.clone()>{p.title.clone()}</A>
                                            <p class="meta">{p.date.map(norwegian_date)}{p.note.map(|n| format!(" · {n}"))}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }).collect_view()}
                </section>
            }.into_any()
        }}
    }
}

/// The print frame of every paper: the family's name, what it is, its date, the day printed.
fn paper_frame(
    family: &str,
    title: String,
    date: Option<chrono::NaiveDate>,
    w: &'static Words,
    body: AnyView,
) -> impl IntoView {
    view! {
        <article class="paper">
            <header class="paper-head">
                <p class="paper-family">{family.to_owned()}</p>
                <h1>{title}</h1>
                <p class="meta">
                    {date.map(|d| format!("{}: {} · ", w.date, norwegian_date(d)))}
                    {format!("{} {}", w.printed, norwegian_date(today()))}
                </p>
            </header>
            {body}
        </article>
    }
}

fn plan_paper(
    plan: &Plan,
    goals: &[Goal],
    tasks: &[Task],
    members: &[Member],
    lang: Lang,
    w: &'static Words,
) -> AnyView {
    let with: Vec<String> = plan
        .present
        .iter()
        .filter_map(|id| members.iter().find(|m| m.id == *id).map(|m| m.name.clone()))
        .collect();
    let choice =
        |list: &[vocab::Choice], code: &str| label_in(list, code, lang).unwrap_or(code).to_owned();
    let goal_items = goals
        .iter()
        .map(|g| {
            let outcome = g
                .outcome
                .map_or(w.not_judged.to_owned(), |o| choice(vocab::GOAL_OUTCOMES, o.code()));
            view! { <li>{choice(vocab::GOAL_HORIZONS, g.horizon.code())}": "{g.text.clone()}" · "{outcome}</li> }
        })
        .collect_view();
    let task_items = tasks
        .iter()
        .map(|t| {
            let who = if t.who.is_empty() { choice(vocab::TASK_OWNERS, t.owner.code()) } else { t.who.clone() };
            let due = t.due.map(|d| format!(", {} {}", w.by, norwegian_date(d)));
            view! { <li>{t.what.clone()}" ("{who}{due}")"" · "{choice(vocab::AGREEMENT_STATUSES, t.status.code())}</li> }
        })
        .collect_view();
    view! {
        {(!with.is_empty()).then(|| view! { <p>{format!("{} {}", w.made_with, with.join(", "))}</p> })}
        <h2>{w.goals}</h2><ul class="moves">{goal_items}</ul>
        <h2>{w.tasks}</h2><ul class="moves">{task_items}</ul>
        {(!plan.evaluation.is_empty()).then(|| view! { <h2>{w.plan_evaluation}</h2><p class="narrative">{plan.evaluation.clone()}</p> })}
    }
    .into_any()
}

fn cloth_paper(
    cloth: &Cloth,
    notes: &[Note],
    agreements: &[duken_domain::cloth::Agreement],
    members: &[Member],
    w: &'static Words,
) -> AnyView {
    let lang = cloth.language;
    let sections = cloth
        .layout
        .sections
        .iter()
        .map(|s| {
            // Worker-only notes never reach the family's paper.
            let mine: Vec<&Note> = notes
                .iter()
                .filter(|n| n.section == s.code && !n.worker_only)
                .collect();
            let items = mine
                .iter()
                .map(|n| {
                    let area = n
                        .row
                        .as_deref()
                        .and_then(|r| cloth.layout.row(r))
                        .map(|a| format!("{}: ", a.label.get(lang)));
                    let by = n
                        .by
                        .as_ref()
                        .map(|b| format!(" ({} {})", w.said_by, speaker_name(members, b)));
                    view! { <li>{area}{n.text.clone()}{by}</li> }
                })
                .collect_view();
            view! { <section class="report-part"><h2>{s.label.get(lang).to_owned()}</h2><ul class="moves">{items}</ul></section> }
        })
        .collect_view();
    let agreed = agreements
        .iter()
        .filter(|a| a.cloth == Some(cloth.id))
        .map(|a| {
            let who = (!a.who.is_empty()).then(|| format!(" ({})", a.who));
            let due = a.due.map(|d| format!(", {} {}", w.by, norwegian_date(d)));
            let status = label_in(vocab::AGREEMENT_STATUSES, a.status.code(), lang).unwrap_or("");
            view! { <li>{a.what.clone()}{who}{due}" · "{status}</li> }
        })
        .collect_view();
    let present: Vec<String> = cloth
        .present
        .iter()
        .filter_map(|id| members.iter().find(|m| m.id == *id).map(|m| m.name.clone()))
        .chain(cloth.helpers.iter().cloned())
        .collect();
    view! {
        {(!present.is_empty()).then(|| view! { <p>{format!("{}: {}", w.present, present.join(", "))}</p> })}
        {sections}
        <section class="report-part"><h2>{cloth.layout.agreements.get(lang).to_owned()}</h2><ul class="moves">{agreed}</ul></section>
    }
    .into_any()
}

/// A score as "6 av 10".
fn on_scale(score: f32, max: u8, w: &'static Words) -> String {
    let rounded = (score * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}").replace('.', ",")
    };
    format!("{text} {} {max}", w.of)
}

fn overview_paper(
    rounds: &[Round],
    ratings: &[Rating],
    members: &[Member],
    lang: Lang,
    w: &'static Words,
) -> AnyView {
    let rows = members
        .iter()
        .map(|m| {
            let cells = rounds
                .iter()
                .map(|r| {
                    let mine = find(ratings, r.id, m.id, Rater::Member).filter(|x| x.counts());
                    let text = mine
                        .and_then(|x| {
                            x.mean_level().map(|l| {
                                let s = &x.form.scale;
                                on_scale(f32::from(s.min) + l * f32::from(s.max - s.min), s.max, w)
                            })
                        })
                        .unwrap_or_else(|| "–".to_owned());
                    view! { <td>{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{m.name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let heads = rounds
        .iter()
        .map(|r| {
            let point = label_in(vocab::ROUND_POINTS, r.point.code(), lang).unwrap_or("");
            view! { <th scope="col">{format!("{point} ({})", norwegian_date(r.date))}</th> }
        })
        .collect_view();
    view! {
        <p>{format!("{} ({})", w.own, w.average)}</p>
        <table class="overview"><thead><tr><th scope="col">{w.present}</th>{heads}</tr></thead><tbody>{rows}</tbody></table>
    }
    .into_any()
}

fn answers_paper(
    member: &Member,
    rounds: &[Round],
    ratings: &[Rating],
    lang: Lang,
    w: &'static Words,
) -> AnyView {
    // Only this member's own answers: not the partner's view, not anyone else's.
    let parts = rounds
        .iter()
        .filter_map(|r| {
            let mine = find(ratings, r.id, member.id, Rater::Member).filter(|x| x.counts())?;
            let items = mine
                .form
                .items
                .iter()
                .filter_map(|i| {
                    let score = mine.score(&i.key)?;
                    let comment = mine.comments.get(&i.key).map(|c| format!(" «{c}»"));
                    Some(view! { <li>{i.label.clone()}": "{format!("{score} {} {}", w.of, mine.form.scale.max)}{comment}</li> })
                })
                .collect_view();
            let point = label_in(vocab::ROUND_POINTS, r.point.code(), lang).unwrap_or("");
            Some(view! { <section class="report-part"><h2>{format!("{point} ({})", norwegian_date(r.date))}</h2><p>{mine.form.name.clone()}</p><ul class="moves">{items}</ul></section> })
        })
        .collect::<Vec<_>>();
    if parts.is_empty() {
        view! { <p>{w.no_answers}</p> }.into_any()
    } else {
        view! { <p class="meta">{format!("{} {}", w.only_for, member.name)}</p>{parts} }.into_any()
    }
}

/// `/familie/:id/papirer/:kind/:pid` and `/familie/:id/papirer/rangering`: one paper, laid out
/// for A4, with a button that opens the print dialog (print or save as PDF).
#[component]
fn PaperPage() -> impl IntoView {
    let core = use_core();
    let params = use_params_map();
    let read = move |k: &str| params.read().get(k);
    view! {
        {move || {
            let family = read("id").and_then(|s| Uuid::parse_str(&s).ok());
            let kind = read("kind").unwrap_or_else(|| "rangering".to_owned());
            let pid = read("pid").and_then(|s| Uuid::parse_str(&s).ok());
            let Some(f) = family.and_then(|f| family_of(core, f)) else {
                return view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any();
            };
            let lang = f.language;
            let w = words(lang);
            let members = members_of(core, f.id);
            let found: Option<(String, Option<chrono::NaiveDate>, AnyView)> = match (kind.as_str(), pid) {
                ("rapport", Some(id)) => core
                    .record(id)
                    .as_ref()
                    .and_then(Report::from_record)
                    .filter(|r| r.family == f.id && r.is_final())
                    .and_then(|r| document_of(core, &r).ok().map(|d| (r, d)))
                    .map(|(r, d)| (format!("{} {}", w.report_title, r.evaluation), r.finalised, report_document(&d, lang).into_any())),
                ("arbeidsplan", Some(id)) => list_of(core, f.id, Plan::from_record)
                    .into_iter()
                    .find(|p| p.id == id)
                    .map(|p| {
                        let goals: Vec<Goal> = list_of(core, f.id, Goal::from_record).into_iter().filter(|g| g.plan == id).collect();
                        let tasks: Vec<Task> = list_of(core, f.id, Task::from_record).into_iter().filter(|t| t.plan == id).collect();
                        (format!("{} {}", w.plan_for, p.period + 1), p.date, plan_paper(&p, &goals, &tasks, &members, lang, w))
                    }),
                ("duk", Some(id)) => cloths_of(core, f.id).into_iter().find(|c| c.id == id).map(|c| {
                    let notes = notes_of(core, f.id, id);
                    let agreements = agreements_of(core, f.id);
                    (format!("{}: {}", w.cloth, c.layout.name.get(c.language)), c.date, cloth_paper(&c, &notes, &agreements, &members, w))
                }),
                ("svar", Some(id)) => members.iter().find(|m| m.id == id).map(|m| {
                    (format!("{} {}", w.answers_of, m.name), None, answers_paper(m, &rounds_of(core, f.id), &ratings_of(core, f.id), lang, w))
                }),
                ("rangering", None) => Some((w.overview.to_owned(), None, overview_paper(&rounds_of(core, f.id), &ratings_of(core, f.id), &members, lang, w))),
                _ => None,
            };
            match found {
                None => view! { <section class="page"><p class="error">"Fant ikke dette papiret på enheten."</p><A href=format!("/familie/{}/papirer", f.id)>"Til familiens papirer"</A></section> }.into_any(),
                Some((title, date, body)) => view! {
                    <section class="page paper-page">
                        <div class="no-print paper-tools">
                            <button type="button" class="button primary" on:click=move |_| { if let Some(win) = web_sys::window() { let _ = win.print(); } }>{w.print}</button>
                            <p class="hint">{w.print_hint}</p>
                        </div>
                        {paper_frame(&f.name, title, date, w, body)}
                    </section>
                }.into_any(),
            }
        }}
    }
}
