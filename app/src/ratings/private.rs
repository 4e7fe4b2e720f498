//! The tablet handed to one family member: only their own form, full screen, no menu, no
//! other person's answers. When they are done they can pass it on to the next person who has
//! not answered; getting back to the partner's screens takes the partner's password (the app
//! locks), so a curious sibling cannot browse from here.

use duken_domain::family::Member;
use duken_domain::rating::{Audience, Rater};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::form::AnswerForm;
use super::{open_rating, rounds_of, standings_of, template_for};
use crate::core::Handover;
use crate::core::{use_core, Core};
use crate::families::members_of;
use crate::lock::lock;

/// Hands the tablet to `member` for their form in `round`.
pub fn hand_over(core: Core, family: Uuid, round: Uuid, member: Uuid, template: String) {
    core.handover.set(Some(Handover {
        family,
        round,
        member,
        template,
        done: false,
    }));
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Back to the partner: lock, so the partner's password opens the app again.
fn hand_back(core: Core) {
    core.handover.set(None);
    lock(core);
}

/// Members still missing in `round` other than `except`.
fn others_missing(core: Core, family: Uuid, round: Uuid, except: Uuid) -> Vec<Member> {
    let members = members_of(core, family);
    let missing =
        duken_domain::rating::missing_raters(&members, round, &standings_of(core, family));
    members
        .into_iter()
        .filter(|m| m.id != except && missing.contains(&m.id))
        .collect()
}

crate::later::screens! { ratings:
    private_form_screen => view! { <PrivateForm/> },
}

#[component]
fn PrivateForm() -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let rating = RwSignal::new(None::<(Uuid, Uuid)>);
    let handover = Memo::new(move |_| core.handover.get());
    let person = Memo::new(move |_| {
        let h = handover.get()?;
        members_of(core, h.family)
            .into_iter()
            .find(|m| m.id == h.member)
    });
    // Find or start this person's form for the round (with a copy of its template).
    Effect::new(move |_| {
        let (Some(h), Some(m)) = (handover.get(), person.get()) else {
            return;
        };
        if h.done || rating.get_untracked().is_some_and(|(who, _)| who == m.id) {
            return;
        }
        let Some(form) = template_for(core, &h.template, Audience::of(&m)) else {
            error.set(Some("Fant ikke noe skjema å gi.".into()));
            return;
        };
        spawn_local(async move {
            match open_rating(core, h.family, h.round, m.id, Rater::Member, &form).await {
                Ok(id) => rating.set(Some((m.id, id))),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    });
    let done = Callback::new(move |()| {
        core.handover.update(|h| {
            if let Some(h) = h {
                h.done = true;
            }
        });
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    let round_label = move || {
        handover.get().and_then(|h| {
            rounds_of(core, h.family)
                .into_iter()
                .find(|r| r.id == h.round)
                .map(|r| r.point.label())
        })
    };
    let first_name = move || {
        person
            .get()
            .map(|m| {
                m.name
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .unwrap_or_default()
    };

    view! {
        <section class="private-form" aria-label="Ditt skjema">
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || match handover.get() {
                Some(h) if !h.done => view! {
                    <h1>{move || format!("Hei, {}!", first_name())}</h1>
                    <p class="meta">{move || round_label().map(|r| format!("Rangering: {r}"))}</p>
                    {move || rating.get().filter(|(who, _)| *who == h.member).map(|(_, id)| view! {
                        <AnswerForm id=id private=true on_done=done/>
                    })}
                    <p><button type="button" class="button quiet" on:click=move |_| done.run(())>"Stopp uten å levere"</button></p>
                }.into_any(),
                Some(h) => {
                    let next = others_missing(core, h.family, h.round, h.member);
                    let member = h.member;
                    let submitted = move || {
                        rating
                            .get()
                            .filter(|(who, _)| *who == member)
                            .and_then(|(_, id)| core.record(id))
                            .as_ref()
                            .and_then(duken_domain::rating::Rating::from_record)
                            .is_some_and(|r| r.delivered())
                    };
                    view! {
                        <div class="hand-back">
                            <h1>{move || if submitted() { format!("Takk, {}!", first_name()) } else { "Skjemaet er ikke levert".to_owned() }}</h1>
                            <p>{move || if submitted() { "Svarene dine er lagret." } else { "Svarene så langt er lagret, men skjemaet er ikke levert." }}</p>
                            <p class="lead">"Gi nettbrettet videre, eller tilbake til familiepartneren."</p>
                            <div class="next-people">
                                {next.into_iter().map(|m| {
                                    let (family, round, member) = (h.family, h.round, m.id);
                                    view! {
                                        <button type="button" class="button primary big" on:click=move |_| {
                                            let template = template_for(core, "", Audience::of(&m)).map(|t| t.code).unwrap_or_default();
                                            hand_over(core, family, round, member, template);
                                        }>{format!("Gi videre til {}", m.name)}</button>
                                    }
                                }).collect_view()}
                            </div>
                            <button type="button" class="button big" on:click=move |_| hand_back(core)>
                                "Tilbake til familiepartneren (krever passord)"
                            </button>
                        </div>
                    }.into_any()
                }
                None => ().into_any(),
            }}
        </section>
    }
}
