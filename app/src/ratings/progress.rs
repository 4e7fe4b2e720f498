//! «Rangering og fremgang»: the family's rounds, starting a new one, and the charts: the
//! family overlaid, then per person a star chart of up to three rounds, a line per area, the
//! areas that fell or stayed low, and the partner's view beside the person's own.

use duken_domain::dates::{iso_date, parse_date};
use duken_domain::family::Member;
use duken_domain::point::Point;
use duken_domain::rating::{
    default_compared, find, lowest_areas, missing_raters, progress, score_field, Rater, Rating,
    Round, MAX_COMPARED,
};
use duken_domain::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use serde_json::json;
use uuid::Uuid;

use super::charts::{AreaLine, FamilyChart, Radar, Series};
use super::{earlier_values, ratings_of, rounds_of};
use crate::core::{save, use_core, write_if_changed, Core};
use crate::families::members_of;
use crate::ui::{norwegian_date, param_uuid, today};

fn member_class(i: usize) -> String {
    format!("c{}", i % 8 + 1)
}

fn signed(n: i32) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        format!("−{}", n.abs())
    }
}

crate::later::screens! { ratings:
    ratings_screen => view! { <RatingsPage/> },
}

#[component]
fn RatingsPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let rounds = Memo::new(move |_| family().map(|f| rounds_of(core, f)).unwrap_or_default());
    let members = Memo::new(move |_| family().map(|f| members_of(core, f)).unwrap_or_default());
    let ratings = Memo::new(move |_| family().map(|f| ratings_of(core, f)).unwrap_or_default());
    let name = Memo::new(move |_| {
        family()
            .and_then(|f| core.record(f))
            .and_then(|r| r.text("name").map(str::to_owned))
    });

    view! {
        <section class="page ratings-page">
            <div class="page-head">
                <h1>"Rangering og fremgang"</h1>
                <button type="button" class="button no-print" on:click=|_| {
                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                }>"Skriv ut"</button>
            </div>
            <p class="meta">{move || name.get()}</p>
            {move || family().map(|f| view! {
                <NewRound family=f rounds=rounds/>
            })}
            <h2>"Runder"</h2>
            <Show when=move || rounds.with(|r| !r.is_empty()) fallback=|| view! { <p class="empty">"Ingen runder ennå. Start den første over."</p> }>
                <ul class="rounds">
                    {move || rounds.get().into_iter().map(|r| {
                        let ms = members.get();
                        let standings: Vec<_> = ratings.with(|rs| rs.iter().map(Rating::standing).collect());
                        let missing = missing_raters(&ms, r.id, &standings);
                        let names: Vec<String> = ms.iter().filter(|m| missing.contains(&m.id)).map(|m| m.name.clone()).collect();
                        view! {
                            <li>
                                <A href=format!("/familie/{}/rangering/{}", r.family, r.id)>{r.label()}</A>
                                <span class="meta">{if names.is_empty() {
                                    " · alle har svart".to_owned()
                                } else {
                                    format!(" · har ikke svart: {}", names.join(", "))
                                }}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            {move || {
                let rs = rounds.get();
                let ms = members.get();
                let all = ratings.get();
                let rated: Vec<(usize, Member)> = ms.into_iter().enumerate()
                    .filter(|(_, m)| all.iter().any(|r| r.member == m.id && r.counts()))
                    .collect();
                if rated.is_empty() {
                    return view! { <p class="empty">"Når noen har levert et skjema, vises fremgangen her."</p> }.into_any();
                }
                let labels: Vec<String> = rs.iter().map(|r| r.point.short().to_owned()).collect();
                let family_series: Vec<Series> = rated.iter().map(|(i, m)| {
                    let per: Vec<Option<&Rating>> = rs.iter().map(|r| find(&all, r.id, m.id, Rater::Member).filter(|x| x.counts())).collect();
                    Series {
                        label: m.name.clone(),
                        code: m.id.to_string(),
                        class: member_class(*i),
                        levels: per.iter().map(|r| r.and_then(Rating::mean_level)).collect(),
                        scores: Vec::new(),
                    }
                }).collect();
                view! {
                    <h2>"Familien samlet"</h2>
                    <p class="meta">"Snittet av hver persons svar, som andel av skalaen (barn og voksne har ulike skalaer)."</p>
                    <FamilyChart rounds=labels series=family_series/>
                    {rated.into_iter().map(|(i, m)| view! { <MemberProgress member=m colour=i rounds=rs.clone() ratings=all.clone()/> }).collect_view()}
                }.into_any()
            }}
        </section>
    }
}

/// Starts the next round (the first point not yet used, dated today unless changed).
#[component]
fn NewRound(family: Uuid, rounds: Memo<Vec<Round>>) -> impl IntoView {
    let core = use_core();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let next = move || {
        rounds.with(|rs| {
            Point::ALL
                .into_iter()
                .find(|p| !rs.iter().any(|r| r.point == *p))
                .unwrap_or(Point::End)
        })
    };
    let point = RwSignal::new(None::<Point>);
    let date = RwSignal::new(iso_date(today()));
    // The chosen round's due date, when it is more than a week away and a round was held.
    let not_yet = move || {
        if rounds.with(Vec::is_empty) {
            return None;
        }
        let p = point.get().unwrap_or_else(next);
        let due = core
            .record(family)
            .as_ref()
            .and_then(duken_domain::family::Family::from_record)?
            .course(&crate::evaluations::evaluations_of(core, family))?
            .timeline()
            .due_date(duken_domain::timeline::Checkpoint::RatingRound(p))?;
        let soon = today().checked_add_days(chrono::Days::new(7))?;
        (due > soon).then_some((p, due))
    };
    let start = move |_| {
        let p = point.get_untracked().unwrap_or_else(next);
        let d = date.get_untracked();
        if parse_date(&d).is_none() {
            error.set(Some("Velg en gyldig dato for runden.".into()));
            return;
        }
        let id = Uuid::now_v7();
        let writes = [("point", json!(p.code())), ("date", json!(d))]
            .into_iter()
            .filter_map(|(f, v)| write_if_changed(None, f, v))
            .collect();
        let navigate = navigate.clone();
        spawn_local(async move {
            match save(core, id, Kind::Round, family, writes).await {
                Ok(()) => navigate(
                    &format!("/familie/{family}/rangering/{id}"),
                    Default::default(),
                ),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };
    view! {
        <fieldset class="new-round no-print">
            <legend>"Ny rangeringsrunde"</legend>
            <label>
                <span>"Runde"</span>
                <select name="round-point" on:change=move |ev| point.set(Point::parse(&event_target_value(&ev)))>
                    {Point::ALL.into_iter().map(|p| view! {
                        <option value=p.code() selected=move || point.get().unwrap_or_else(next) == p>{p.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>"Dato"</span>
                <input type="date" name="round-date" prop:value=move || date.get() on:change=move |ev| date.set(event_target_value(&ev))/>
            </label>
            // A round whose date is weeks away is not the next step (on the first round's day
            // the 3-month one is offered, but not pressed on the partner).
            <button type="button" class=move || if not_yet().is_some() { "button" } else { "button primary" } on:click=start>"Start runde"</button>
            {move || not_yet().map(|(p, d)| view! {
                <p class="hint" data-testid="round-not-yet">{format!("«{}» er ikke før {}.", p.label(), norwegian_date(d))}</p>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </fieldset>
    }
}

/// One person's progress: star chart, areas that need attention, a line per area, and the
/// partner's view beside theirs.
#[component]
fn MemberProgress(
    member: Member,
    colour: usize,
    rounds: Vec<Round>,
    ratings: Vec<Rating>,
) -> impl IntoView {
    let core = use_core();
    let compared: RwSignal<Vec<Uuid>> = RwSignal::new(
        default_compared(&rounds, &ratings, member.id, Rater::Member)
            .iter()
            .map(|r| r.id)
            .collect(),
    );
    let with_answers: Vec<Round> = rounds
        .iter()
        .filter(|r| find(&ratings, r.id, member.id, Rater::Member).is_some_and(Rating::counts))
        .cloned()
        .collect();
    let full = progress(&with_answers, &ratings, member.id, Rater::Member);
    let labels: Vec<String> = with_answers
        .iter()
        .map(|r| r.point.short().to_owned())
        .collect();
    let attention: Vec<(String, String)> = full
        .areas
        .iter()
        .filter(|a| a.needs_attention())
        .map(|a| {
            let why = match (a.fell, a.stayed_low, a.low) {
                (true, _, true) => format!("falt {} og lavt", signed(a.change.unwrap_or(0))),
                (true, _, false) => format!("falt {}", signed(a.change.unwrap_or(0))),
                (false, true, _) => "fortsatt lavt".to_owned(),
                _ => "lavt".to_owned(),
            };
            (a.label.clone(), why)
        })
        .collect();
    let lowest: Vec<String> = lowest_areas(&full, 3)
        .iter()
        .map(|a| a.label.clone())
        .collect();
    let name = member.name.clone();
    let mid = member.id;
    let radar = {
        let rounds = with_answers.clone();
        let ratings = ratings.clone();
        let name = name.clone();
        move || {
            let chosen: Vec<Round> = compared.with(|c| {
                rounds
                    .iter()
                    .filter(|r| c.contains(&r.id))
                    .cloned()
                    .collect()
            });
            let p = progress(&chosen, &ratings, mid, Rater::Member);
            let series: Vec<Series> = chosen
                .iter()
                .enumerate()
                .map(|(j, r)| Series {
                    label: r.label(),
                    code: r.point.code().to_owned(),
                    class: format!("r{}", j + 3 - chosen.len().min(3)),
                    levels: p.areas.iter().map(|a| a.levels[j]).collect(),
                    scores: p.areas.iter().map(|a| a.scores[j]).collect(),
                })
                .collect();
            view! {
                <Radar
                    axes=p.areas.iter().map(|a| a.label.clone()).collect()
                    keys=p.areas.iter().map(|a| a.key.clone()).collect()
                    attention=p.areas.iter().map(|a| a.needs_attention()).collect()
                    series=series
                    title=format!("Stjernediagram for {name}")
                />
            }
        }
    };
    let lines = full
        .areas
        .iter()
        .map(|a| {
            let note = match (a.change, a.stayed_low, a.low) {
                (_, true, _) => "fortsatt lavt".to_owned(),
                (Some(c), _, true) if c != 0 => format!("{} · lavt", signed(c)),
                (_, _, true) => "lavt".to_owned(),
                (Some(c), _, _) if c != 0 => signed(c),
                _ => String::new(),
            };
            view! {
                <AreaLine
                    label=a.label.clone()
                    key=a.key.clone()
                    rounds=labels.clone()
                    scores=a.scores.clone()
                    levels=a.levels.clone()
                    attention=a.needs_attention()
                    note=note
                />
            }
        })
        .collect_view();
    // Every round's answers with the questions as they were asked then, the partner's view
    // beside; the newest open.
    let beside = with_answers
        .iter()
        .rev()
        .enumerate()
        .map(|(i, round)| {
            let own = find(&ratings, round.id, mid, Rater::Member).cloned();
            let theirs = find(&ratings, round.id, mid, Rater::Partner)
                .filter(|r| r.counts())
                .cloned();
            view! {
                <details class="answers" open=i == 0 data-round=round.point.code()>
                    <summary>{format!("Svarene: {} ({})", round.point.label(), norwegian_date(round.date))}</summary>
                    {own.map(|own| answers_table(core, &own, theirs.as_ref(), &name))}
                    {theirs.is_none().then(|| view! { <p class="meta">"Familiepartneren har ikke levert sin vurdering for denne runden."</p> })}
                </details>
            }
        })
        .collect_view();
    let toggles = with_answers
        .iter()
        .map(|r| {
            let id = r.id;
            let on = move || compared.with(|c| c.contains(&id));
            let full_now = move || compared.with(|c| c.len() >= MAX_COMPARED);
            view! {
                <label class="compare no-print">
                    <input type="checkbox" prop:checked=on disabled=move || !on() && full_now()
                        on:change=move |_| compared.update(|c| match c.iter().position(|x| *x == id) {
                            Some(i) => { c.remove(i); }
                            None => c.push(id),
                        })/>
                    {r.label()}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class=format!("member-progress {}", member_class(colour)) data-member=member.name.clone()>
            <h3>{member.name.clone()}</h3>
            <div class="compare-rounds" role="group" aria-label="Runder i stjernediagrammet (høyst tre)">{toggles}</div>
            {radar}
            {(!attention.is_empty()).then(|| view! {
                <div class="attention-list" data-testid="attention">
                    <strong>"Falt eller lavt: "</strong>
                    {attention.iter().map(|(l, why)| format!("{l} ({why})")).collect::<Vec<_>>().join(", ")}
                </div>
            })}
            {(!lowest.is_empty()).then(|| view! { <p class="meta">"Lavest nå: "{lowest.join(", ")}</p> })}
            <div class="area-charts">{lines}</div>
            {beside}
        </section>
    }
}

/// One round's answers with the questions of the form they were given with, the partner's
/// view beside, and earlier values of any answer changed after it was given.
fn answers_table(core: Core, own: &Rating, theirs: Option<&Rating>, name: &str) -> impl IntoView {
    let record = core.record(own.id);
    let rows = own
        .form
        .items
        .iter()
        .map(|item| {
            let mine = own.score(&item.key);
            let partner = theirs.and_then(|t| t.score(&item.key));
            let differ = matches!((mine, partner), (Some(a), Some(b)) if a.abs_diff(b) >= 3);
            let before: Vec<String> = record
                .as_ref()
                .map(|r| earlier_values(r, &score_field(&item.key)))
                .unwrap_or_default()
                .iter()
                .map(|v| v.as_i64().map(|n| n.to_string()).unwrap_or_else(|| "tomt".into()))
                .collect();
            let comment = own.comments.get(&item.key).cloned();
            view! {
                <tr class:differ=differ data-item=item.key.clone()>
                    <th scope="row">{item.label.clone()}{comment.map(|c| view! { <div class="meta comment-text">{format!("«{c}»")}</div> })}</th>
                    <td class="own">{mine.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}
                        {(!before.is_empty()).then(|| view! { <span class="meta history" data-testid="answer-history">{format!(" (før: {})", before.join(", "))}</span> })}
                    </td>
                    <td class="partner">{partner.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="beside" data-form=own.form.code.clone() data-version=own.form.version>
            <caption class="meta">{format!("Skjema: {}, versjon {}", own.form.name, own.form.version)}</caption>
            <thead><tr><th scope="col">"Område"</th><th scope="col">{format!("{name}s svar")}</th><th scope="col">"Familiepartnerens vurdering"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
