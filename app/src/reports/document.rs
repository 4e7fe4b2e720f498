//! A report as the family reads it: on the partner's screen, on the shared screen and on paper.
//! Built from the facts (`duken_domain::report::Facts`) and the partner's sections, in the
//! written form the family chose. Nothing worker-only is in what it is given.

use chrono::NaiveDate;
use duken_domain::cloth::Label;
use duken_domain::lang::Lang;
use duken_domain::report::{
    hours_label, AreaMove, Facts, FrozenSection, PersonFacts, RatingFacts, Reading, RoundRef,
    Tally, Voice,
};
use duken_domain::vocab::{self, label_in, Choice};
use leptos::prelude::*;

use super::words::{words, Words};
use crate::ui::norwegian_date;

/// What a report document shows: a draft (facts as they are now) or a finished report.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub name: Label,
    pub facts: Facts,
    pub sections: Vec<FrozenSection>,
    pub reading: Reading,
    pub finalised: Option<NaiveDate>,
    pub version: u32,
}

fn choice(list: &[Choice], code: &str, lang: Lang) -> String {
    label_in(list, code, lang).unwrap_or(code).to_owned()
}

fn round_name(r: &RoundRef, lang: Lang) -> String {
    format!(
        "{} ({})",
        choice(vocab::ROUND_POINTS, &r.point, lang),
        norwegian_date(r.date)
    )
}

fn tallies(t: &[Tally], list: &'static [Choice], lang: Lang) -> String {
    if t.is_empty() {
        return words(lang).none.to_owned();
    }
    t.iter()
        .map(|t| format!("{} ({})", choice(list, &t.code, lang), t.count))
        .collect::<Vec<_>>()
        .join(", ")
}

fn moves(title: &'static str, list: &[AreaMove], max: u8, w: &'static Words) -> impl IntoView {
    (!list.is_empty()).then(|| {
        let items = list
            .iter()
            .map(|a| {
                let score = match a.before {
                    Some(b) => format!("{b} → {} {} {max}", a.now, w.of),
                    None => format!("{} {} {max}", a.now, w.of),
                };
                view! { <li>{a.label.clone()}": "{score}</li> }
            })
            .collect_view();
        view! { <p class="moves-title">{title}</p><ul class="moves">{items}</ul> }
    })
}

fn rating_block(
    title: &'static str,
    r: &Option<RatingFacts>,
    lang: Lang,
    w: &'static Words,
) -> impl IntoView {
    match r {
        None => view! { <p><strong>{title}": "</strong>{w.not_rated}</p> }.into_any(),
        Some(r) => {
            let rounds = r
                .rounds
                .iter()
                .map(|x| round_name(x, lang))
                .collect::<Vec<_>>()
                .join(" → ");
            view! {
                <div class="rating-facts">
                    <p><strong>{title}": "</strong>{r.form.clone()}" · "{rounds}</p>
                    {moves(w.rose, &r.rose, r.max, w)}
                    {moves(w.fell, &r.fell, r.max, w)}
                    {moves(w.stayed_low, &r.stayed_low, r.max, w)}
                    {moves(w.low_now, &r.low, r.max, w)}
                    {(r.unchanged > 0).then(|| view! { <p>{format!("{} {}", r.unchanged, w.unchanged)}</p> })}
                </div>
            }
            .into_any()
        }
    }
}

fn person(p: &PersonFacts, lang: Lang, w: &'static Words) -> impl IntoView {
    let voice = p.voice.as_ref().map(|v| {
        let body = match v {
            Voice::Answers {
                round,
                max,
                answers,
                ..
            } => {
                let list = answers
                    .iter()
                    .map(|a| {
                        let comment = (!a.comment.is_empty()).then(|| format!(" «{}»", a.comment));
                        view! { <li>{a.label.clone()}": "{format!("{} {} {max}", a.score, w.of)}{comment}</li> }
                    })
                    .collect_view();
                view! {
                    <p>{format!("{} {}", w.own_answers, round_name(round, lang))}</p>
                    <ul class="moves">{list}</ul>
                }
                .into_any()
            }
            Voice::Reason { round, reason } => view! {
                <p>{format!("{} {}: {reason}", w.did_not_answer, round_name(round, lang))}</p>
            }
            .into_any(),
            Voice::Missing => view! { <p class="missing-voice">{w.no_voice}</p> }.into_any(),
        };
        view! { <div class="child-voice"><p class="moves-title">{w.child_voice}</p>{body}</div> }
    });
    let wishes = (!p.wishes.is_empty()).then(|| {
        let list = p
            .wishes
            .iter()
            .map(|x| view! { <li>{x.service.clone()}": «"{x.wish.clone()}"»"</li> })
            .collect_view();
        view! { <p class="moves-title">{w.wishes}</p><ul class="moves">{list}</ul> }
    });
    let skipped = p
        .not_rated
        .iter()
        .map(|(r, why)| {
            view! { <p>{format!("{} {}: {why}", w.did_not_answer, round_name(r, lang))}</p> }
        })
        .collect_view();
    view! {
        <section class="person-facts" data-person=p.name.clone()>
            <h4>{p.name.clone()}" ("{choice(vocab::ROLES, &p.role, lang).to_lowercase()}")"</h4>
            {rating_block(w.own, &p.own, lang, w)}
            {(p.partner.is_some()).then(|| rating_block(w.partner_view, &p.partner, lang, w))}
            {(p.voice.is_none()).then_some(skipped)}
            {voice}
            {wishes}
        </section>
    }
}

/// The whole report, in `lang`.
pub fn report_document(doc: &Document, lang: Lang) -> impl IntoView {
    let w = words(lang);
    let f = &doc.facts;
    let phases = f
        .phases
        .iter()
        .map(|p| p.label_in(lang))
        .collect::<Vec<_>>()
        .join(", ");
    let m = &f.meetings;
    let meetings = if m.count == 0 {
        view! { <p>{w.no_meetings}</p> }.into_any()
    } else {
        let noun = if m.count == 1 {
            w.meeting_one
        } else {
            w.meeting_many
        };
        let mut total = format!("{} {noun}, {}", m.count, hours_label(m.minutes, lang));
        if m.without_duration > 0 {
            total.push_str(&format!(
                " ({} {noun} {})",
                m.without_duration, w.without_duration
            ));
        }
        view! {
            <p data-testid="report-meetings">{total}</p>
            <dl class="facts">
                <dt>{w.places}</dt><dd data-testid="report-places">{tallies(&m.places, vocab::PLACES, lang)}</dd>
                <dt>{w.focuses}</dt><dd>{tallies(&m.focuses, vocab::FOCUSES, lang)}</dd>
                <dt>{w.themes}</dt><dd data-testid="report-themes">{tallies(&m.themes, vocab::THEMES, lang)}</dd>
                <dt>{w.interpreter}</dt><dd>{format!("{} {}", m.interpreter, if m.interpreter == 1 { w.meeting_one } else { w.meeting_many })}</dd>
            </dl>
        }
        .into_any()
    };
    let plans = if f.plans.is_empty() {
        view! { <p>{w.no_plan}</p> }.into_any()
    } else {
        f.plans
            .iter()
            .map(|p| {
                let made = p.made.map(|d| {
                    let with = if p.made_with.is_empty() {
                        String::new()
                    } else {
                        format!(" {} {}", w.made_with, p.made_with.join(", "))
                    };
                    format!("{} {}{with}", w.made, norwegian_date(d))
                });
                let goals = p
                    .goals
                    .iter()
                    .map(|g| {
                        let outcome = g
                            .outcome
                            .as_deref()
                            .map_or(w.not_judged.to_owned(), |o| choice(vocab::GOAL_OUTCOMES, o, lang));
                        let comment = (!g.comment.is_empty()).then(|| format!(" «{}»", g.comment));
                        view! {
                            <li>{choice(vocab::GOAL_HORIZONS, &g.horizon, lang)}": "{g.text.clone()}" · "<strong>{outcome}</strong>{comment}</li>
                        }
                    })
                    .collect_view();
                let tasks = p
                    .tasks
                    .iter()
                    .map(|t| {
                        let who = if t.who.is_empty() {
                            choice(vocab::TASK_OWNERS, &t.owner, lang)
                        } else {
                            t.who.clone()
                        };
                        let due = t.due.map(|d| format!(", {} {}", w.by, norwegian_date(d)));
                        view! {
                            <li>{t.what.clone()}" ("{who}{due}")"" · "<strong>{choice(vocab::AGREEMENT_STATUSES, &t.status, lang)}</strong></li>
                        }
                    })
                    .collect_view();
                let evaluation = (!p.evaluation.is_empty()).then(|| {
                    view! { <p><strong>{w.plan_evaluation}": "</strong>{p.evaluation.clone()}</p> }
                });
                view! {
                    <div class="plan-facts">
                        {made.map(|m| view! { <p>{m}</p> })}
                        <p class="moves-title">{w.goals}</p><ul class="moves">{goals}</ul>
                        <p class="moves-title">{w.tasks}</p><ul class="moves">{tasks}</ul>
                        {evaluation}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    let people = f.people.iter().map(|p| person(p, lang, w)).collect_view();
    let cloths = if f.cloths.is_empty() {
        view! { <p>{w.no_cloths}</p> }.into_any()
    } else {
        let days = f
            .cloths
            .iter()
            .map(|d| norwegian_date(*d))
            .collect::<Vec<_>>()
            .join(", ");
        let agreements = f
            .agreements
            .iter()
            .map(|a| {
                let who = (!a.who.is_empty()).then(|| format!(" ({})", a.who));
                let due = a.due.map(|d| format!(", {} {}", w.by, norwegian_date(d)));
                view! { <li>{a.what.clone()}{who}{due}" · "<strong>{choice(vocab::AGREEMENT_STATUSES, &a.status, lang)}</strong></li> }
            })
            .collect_view();
        view! {
            <p>{format!("{}: {days}", w.cloth_on)}</p>
            <p class="moves-title">{w.agreements}</p>
            <ul class="moves">{agreements}</ul>
        }
        .into_any()
    };
    let network = f
        .network
        .iter()
        .map(|c| {
            let what = if c.category == "person" {
                let mut s = c.relation.clone();
                if c.trusted {
                    if !s.is_empty() {
                        s.push_str(", ");
                    }
                    s.push_str(w.trusted);
                }
                s
            } else {
                let mut s = choice(vocab::CONTACT_CATEGORIES, &c.category, lang);
                if let Some(i) = &c.involved {
                    s.push_str(&format!(", {}", choice(vocab::INVOLVEMENT, i, lang).to_lowercase()));
                }
                s
            };
            let experience = (!c.experience.is_empty())
                .then(|| format!(" · {}: «{}»", w.experience, c.experience));
            view! { <li>{c.name.clone()}{(!what.is_empty()).then(|| format!(" ({what})"))}{experience}</li> }
        })
        .collect_view();
    let consents = f
        .consents
        .iter()
        .map(|c| {
            let scopes = c
                .scopes
                .iter()
                .map(|s| choice(vocab::CONSENT_SCOPES, s, lang).to_lowercase())
                .collect::<Vec<_>>()
                .join(", ");
            let mut state = Vec::new();
            if let Some(g) = c.given {
                state.push(format!("{} {}", w.given, norwegian_date(g)));
            }
            if let Some(x) = c.withdrawn {
                state.push(format!("{} {}", w.withdrawn, norwegian_date(x)));
            }
            state.push(
                if c.in_force {
                    w.in_force
                } else {
                    w.not_in_force
                }
                .to_owned(),
            );
            view! { <li>{c.given_by.clone()}": "{scopes}" ("{state.join(", ")}")"</li> }
        })
        .collect_view();
    let handover = f.handover.as_ref().map(|h| {
        let services = if h.services.is_empty() {
            w.none.to_owned()
        } else {
            h.services.join(", ")
        };
        let days = if h.meetings.is_empty() {
            w.none.to_owned()
        } else {
            h.meetings
                .iter()
                .map(|d| norwegian_date(*d))
                .collect::<Vec<_>>()
                .join(", ")
        };
        view! {
            <section class="report-part">
                <h3>{w.handover}</h3>
                <dl class="facts">
                    <dt>{w.services_on}</dt><dd>{services}</dd>
                    <dt>{w.handover_meetings}</dt><dd>{days}</dd>
                </dl>
            </section>
        }
    });
    let sections = doc
        .sections
        .iter()
        .map(|s| {
            let text = if s.text.trim().is_empty() {
                view! { <p class="missing-voice">{w.not_written}</p> }.into_any()
            } else {
                s.text
                    .split("\n\n")
                    .map(|p| view! { <p class="narrative">{p.to_owned()}</p> })
                    .collect_view()
                    .into_any()
            };
            view! { <section class="report-part" data-section=s.key.clone()><h3>{s.title.get(lang).to_owned()}</h3>{text}</section> }
        })
        .collect_view();
    let r = &doc.reading;
    let reading = r.date.map(|d| {
        let present: Vec<String> = r.present.iter().chain(r.others.iter()).cloned().collect();
        let agrees = r
            .agrees
            .as_deref()
            .map(|a| choice(vocab::AGREES, a, lang));
        view! {
            <section class="report-part">
                <h3>{w.reading}</h3>
                <dl class="facts">
                    <dt>{w.read_on}</dt><dd>{norwegian_date(d)}</dd>
                    <dt>{w.present}</dt><dd>{present.join(", ")}</dd>
                    <dt>{w.family_comment}</dt><dd data-testid="report-family-comment">{r.comment.clone()}</dd>
                    <dt>{w.agrees}</dt><dd>{agrees}</dd>
                </dl>
            </section>
        }
    });
    let status = match doc.finalised {
        Some(d) => format!(
            "{} {} · {} {}",
            w.finalised,
            norwegian_date(d),
            w.version,
            doc.version
        ),
        None => w.draft.to_owned(),
    };
    view! {
        <article class="report-document" lang=lang.code()>
            <header class="report-head">
                <h2>{format!("{} {}: {}", w.report_title, f.evaluation, f.family)}</h2>
                <p class="meta" data-testid="report-status">{status}</p>
                <dl class="facts">
                    <dt>{w.period}</dt><dd data-testid="report-period">{format!("{} – {}", norwegian_date(f.from), norwegian_date(f.to))}</dd>
                    <dt>{w.evaluation_on}</dt><dd>{norwegian_date(f.evaluation_day)}</dd>
                    <dt>{w.phase}</dt><dd>{phases}</dd>
                </dl>
                {f.extended.then(|| view! { <p>{w.extended}</p> })}
            </header>
            <section class="report-part"><h3>{w.meetings}</h3>{meetings}</section>
            <section class="report-part"><h3>{w.plan}</h3>{plans}</section>
            <section class="report-part"><h3>{w.ratings}</h3>{people}</section>
            <section class="report-part"><h3>{w.cloths}</h3>{cloths}</section>
            <section class="report-part"><h3>{w.network}</h3>{f.network.is_empty().then(|| view! { <p>{w.none}</p> })}<ul class="moves">{network}</ul></section>
            <section class="report-part"><h3>{w.consents}</h3>{f.consents.is_empty().then(|| view! { <p>{w.none}</p> })}<ul class="moves">{consents}</ul></section>
            {handover}
            <h3 class="sections-title">{w.sections}</h3>
            {sections}
            {reading}
        </article>
    }
}
