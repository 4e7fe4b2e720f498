//! One filled rating form: the questions with their scale (numbers, or faces for the
//! youngest), an optional comment each, and «Ferdig». Used for a member's private form and for
//! the partner's view of them.

use duken_domain::dates::iso_date;
use duken_domain::family::Member;
use duken_domain::rating::{comment_field, score_field, Audience, Finish, Rater, Rating, Scale};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{open_rating, ratings_of, rounds_of, save_answer, template_for};
use crate::core::{save_fields, use_core};
use crate::families::members_of;
use crate::ui::{param_uuid, today};

/// Words under a five-face scale, lowest first.
const FACE_WORDS: [&str; 5] = ["Veldig dårlig", "Dårlig", "Sånn passe", "Bra", "Veldig bra"];

/// A face for step `i` of `n` (0: saddest). Drawn, not an emoji, so it looks the same on every
/// tablet whatever fonts it has.
pub fn face(i: u8, n: u8) -> impl IntoView {
    let t = if n <= 1 {
        1.0
    } else {
        f32::from(i) / f32::from(n - 1)
    };
    // Mouth: a curve from frown (-) to smile (+).
    let bend = ((t - 0.5) * 24.0).round() as i32;
    let mouth = format!("M 30 66 Q 50 {} 70 66", 66 + bend);
    let fill = ["#f4b6a6", "#f7cfa0", "#f6e3a1", "#cfe6a8", "#a9dcb0"]
        [((t * 4.0).round() as usize).min(4)];
    view! {
        <svg class="face" viewBox="0 0 100 100" aria-hidden="true">
            <circle cx="50" cy="50" r="44" fill=fill stroke="#33413f" stroke-width="4"/>
            <circle cx="36" cy="40" r="5" fill="#33413f"/>
            <circle cx="64" cy="40" r="5" fill="#33413f"/>
            <path d=mouth fill="none" stroke="#33413f" stroke-width="5" stroke-linecap="round"/>
        </svg>
    }
}

/// What step `score` means, for screen readers and under faces.
pub fn step_word(scale: &Scale, score: u8) -> String {
    let steps = scale.max - scale.min + 1;
    if steps == 5 {
        return FACE_WORDS[usize::from(score - scale.min)].to_owned();
    }
    if score == scale.min {
        scale.low.clone()
    } else if score == scale.max {
        scale.high.clone()
    } else {
        String::new()
    }
}

/// «Ferdig» with nothing answered.
const EMPTY_FORM: &str =
    "Du har ikke svart på noe ennå. Velg et svar på minst ett spørsmål før du trykker «Ferdig».";

/// «Ferdig» with questions left: said before the form is delivered.
fn partial_notice(n: usize) -> String {
    match n {
        1 => "Ett spørsmål er ikke besvart. Du kan svare på det nå, eller trykke «Lever likevel»."
            .into(),
        n => format!(
            "{n} spørsmål er ikke besvart. Du kan svare på dem nå, eller trykke «Lever likevel»."
        ),
    }
}

/// The questions of rating `id`, saved as they are answered.
#[component]
pub fn AnswerForm(
    id: Uuid,
    /// The member's own form on the handed-over tablet (larger, with the form's intro).
    private: bool,
    /// Called after «Ferdig» is saved.
    on_done: Callback<()>,
) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let rating = Memo::new(move |_| core.record(id).as_ref().and_then(Rating::from_record));
    let answered = move || {
        rating.with(|r| {
            r.as_ref()
                .map(|r| (r.form.items.len() - r.unanswered(), r.form.items.len()))
                .unwrap_or((0, 0))
        })
    };
    // After a first «Ferdig» with questions left: those are pointed out, and the next press
    // delivers anyway. Nothing answered is never a delivery.
    let left_open = RwSignal::new(None::<Vec<String>>);
    let finish = move |_| {
        let Some(seen) = core.record(id) else { return };
        let Some(now) = rating.get_untracked() else {
            return;
        };
        match now.finish() {
            Finish::Empty => {
                left_open.set(None);
                error.set(Some(EMPTY_FORM.into()));
                return;
            }
            Finish::Partial(open) if left_open.with_untracked(|l| l.as_ref() != Some(&open)) => {
                error.set(None);
                left_open.set(Some(open));
                return;
            }
            _ => {}
        }
        spawn_local(async move {
            // The first «Ferdig» dates the answer; a later change keeps that date, and the
            // changed answers keep their history.
            let date = seen
                .text("submitted")
                .map(str::to_owned)
                .unwrap_or_else(|| iso_date(today()));
            match save_fields(core, &seen, vec![("submitted", json!(date))]).await {
                Ok(()) => {
                    left_open.set(None);
                    on_done.run(())
                }
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };
    // Only the form's layout is rebuilt when the rating's form changes, not on every answer.
    let form = Memo::new(move |_| rating.with(|r| r.as_ref().map(|r| r.form.clone())));
    view! {
        {move || form.get().map(|form| {
            let scale = form.scale.clone();
            let mut last_group: Option<String> = None;
            let items = form.items.iter().map(|item| {
                let heading = (item.group != last_group).then(|| item.group.clone()).flatten();
                last_group = item.group.clone();
                let key = item.key.clone();
                let label = item.label.clone();
                let scale = scale.clone();
                let comments = form.comments;
                let steps = scale.max - scale.min + 1;
                let score_key = score_field(&key);
                let comment_key = comment_field(&key);
                let buttons = scale.steps().map(|n| {
                    let field = score_key.clone();
                    let current = key.clone();
                    let word = step_word(&scale, n);
                    let aria = if word.is_empty() { n.to_string() } else { format!("{n}: {word}") };
                    let chosen = move || rating.with(|r| r.as_ref().and_then(|r| r.score(&current)) == Some(n));
                    view! {
                        <button
                            type="button"
                            role="radio"
                            class="step"
                            class:face-step=scale.faces
                            data-score=n
                            aria-label=aria
                            aria-checked={ let chosen = chosen.clone(); move || chosen().to_string() }
                            on:click=move |_| {
                                // Tapping the chosen step again takes the answer back.
                                let value = if chosen() { Value::Null } else { json!(n) };
                                save_answer(core, id, field.clone(), value, error);
                            }
                        >
                            {if scale.faces {
                                view! { {face(n - scale.min, steps)}<span class="word">{word}</span> }.into_any()
                            } else {
                                view! { <span class="num">{n}</span> }.into_any()
                            }}
                        </button>
                    }
                }).collect_view();
                let comment_now = {
                    let key = key.clone();
                    move || rating.with(|r| r.as_ref().and_then(|r| r.comments.get(&key).cloned()).unwrap_or_default())
                };
                let open = {
                    let label = label.clone();
                    move || left_open.with(|l| l.as_ref().is_some_and(|l| l.contains(&label)))
                };
                view! {
                    {heading.map(|g| view! { <h2 class="item-group">{g}</h2> })}
                    <fieldset class="rating-item" class:unanswered=open data-item=key.clone()>
                        <legend>{label.clone()}</legend>
                        <div class=format!("scale steps-{steps}") class:faces=scale.faces role="radiogroup" aria-label=label>
                            {buttons}
                        </div>
                        {(!scale.faces).then(|| view! {
                            <div class="scale-ends"><span>{scale.low.clone()}</span><span>{scale.high.clone()}</span></div>
                        })}
                        {comments.then(|| view! {
                            <label class="comment">
                                <span class="meta">"Kommentar (valgfritt)"</span>
                                <textarea
                                    name=format!("comment-{key}")
                                    rows="2"
                                    maxlength="1000"
                                    prop:value=comment_now
                                    on:change=move |ev| save_answer(core, id, comment_key.clone(), json!(event_target_value(&ev)), error)
                                ></textarea>
                            </label>
                        })}
                    </fieldset>
                }
            }).collect_view();
            view! {
                <div class="answer-form" class:private=private data-form=form.code.clone() data-version=form.version>
                    {(private && !form.intro.is_empty()).then(|| view! { <p class="intro">{form.intro.clone()}</p> })}
                    {items}
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    {move || left_open.get().map(|open| view! {
                        <div class="notice partial" role="alert" data-testid="left-open">
                            <p>{partial_notice(open.len())}</p>
                            <ul>{open.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    <div class="actions sticky">
                        <span class="meta" data-testid="answered">{move || {
                            let (a, n) = answered();
                            format!("Svart på {a} av {n}")
                        }}</span>
                        <button type="button" class="button primary" on:click=finish>
                            {move || if left_open.with(Option::is_some) { "Lever likevel" } else { "Ferdig" }}
                        </button>
                    </div>
                </div>
            }
        })}
    }
}

crate::later::screens! { ratings:
    partner_rating_screen => view! { <PartnerRatingPage/> },
}

/// The partner's own view of one member in one round, kept beside the member's answers.
#[component]
fn PartnerRatingPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let round = param_uuid("rid");
    let member = param_uuid("mid");
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    // (round, member, rating): the page can be reused for another person without a remount.
    let rating = RwSignal::new(None::<(Uuid, Uuid, Uuid)>);
    let who = Memo::new(move |_| {
        let (f, m) = (family()?, member()?);
        members_of(core, f).into_iter().find(|x| x.id == m)
    });
    let round_label = Memo::new(move |_| {
        let (f, r) = (family()?, round()?);
        rounds_of(core, f)
            .into_iter()
            .find(|x| x.id == r)
            .map(|r| r.label())
    });
    Effect::new(move |_| {
        let (Some(f), Some(r), Some(m)) = (family(), round(), who.get()) else {
            return;
        };
        if rating
            .get_untracked()
            .is_some_and(|(rr, mm, _)| rr == r && mm == m.id)
        {
            return;
        }
        // The same questions as the member got, so the two can be read side by side.
        let theirs = ratings_of(core, f)
            .into_iter()
            .find(|x| x.round == r && x.member == m.id && x.rater == Rater::Member)
            .map(|x| x.form);
        let Some(form) = theirs.or_else(|| template_for(core, "", Audience::of(&m))) else {
            return;
        };
        spawn_local(async move {
            match open_rating(core, f, r, m.id, Rater::Partner, &form).await {
                Ok(id) => rating.set(Some((r, m.id, id))),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    });
    let back = move || {
        format!(
            "/familie/{}/rangering/{}",
            family().unwrap_or_default(),
            round().unwrap_or_default()
        )
    };
    let done = Callback::new(move |()| navigate(&back(), Default::default()));
    view! {
        <section class="page narrow">
            <h1>{move || who.get().map(|m: Member| format!("Din vurdering av {}", m.name))}</h1>
            <p class="meta">{move || round_label.get()}</p>
            <p class="lead">"Ditt syn lagres ved siden av personens eget svar, aldri over det."</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || {
                let (r, m) = (round(), member());
                rating
                    .get()
                    .filter(|(rr, mm, _)| Some(*rr) == r && Some(*mm) == m)
                    .map(|(_, _, id)| view! { <AnswerForm id=id private=false on_done=done/> })
            }}
        </section>
    }
}
