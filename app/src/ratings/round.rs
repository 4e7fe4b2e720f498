//! One rating round: who has answered, handing the tablet over, the partner's own view, and
//! recording why someone does not answer. No answers are shown here: this screen is on the
//! tablet in the family's kitchen.

use std::collections::HashMap;

use duken_domain::family::Member;
use duken_domain::rating::{default_for, find, missing_raters, Audience, Rater, Rating};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::{json, Value};
use uuid::Uuid;

use super::private::hand_over;
use super::{open_rating, ratings_of, rounds_of, save_answer, template_for};
use crate::core::use_core;
use crate::families::members_of;
use crate::ui::{norwegian_date, param_uuid};

fn status(own: Option<&Rating>) -> String {
    match own {
        Some(r) if r.skipped.is_some() => {
            format!("Svarer ikke: {}", r.skipped.clone().unwrap_or_default())
        }
        Some(r) => match r.submitted {
            Some(d) if r.delivered() && r.unanswered() > 0 => format!(
                "Levert {}, delvis: svart på {} av {}",
                norwegian_date(d),
                r.form.items.len() - r.unanswered(),
                r.form.items.len()
            ),
            Some(d) if r.delivered() => format!("Levert {}", norwegian_date(d)),
            Some(_) => "Ikke levert: ingen svar".into(),
            None => format!(
                "Påbegynt: svart på {} av {}",
                r.form.items.len() - r.unanswered(),
                r.form.items.len()
            ),
        },
        None => "Har ikke svart".into(),
    }
}

crate::later::screens! { ratings:
    round_screen => view! { <RoundPage/> },
}

#[component]
fn RoundPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let round_id = param_uuid("rid");
    let error = RwSignal::new(None::<String>);
    let round = Memo::new(move |_| {
        let (f, r) = (family()?, round_id()?);
        rounds_of(core, f).into_iter().find(|x| x.id == r)
    });
    let members = Memo::new(move |_| family().map(|f| members_of(core, f)).unwrap_or_default());
    let ratings = Memo::new(move |_| family().map(|f| ratings_of(core, f)).unwrap_or_default());
    let chosen: RwSignal<HashMap<Uuid, String>> = RwSignal::new(HashMap::new());
    // (answered, not answering this round, everyone)
    let answered = move || {
        let Some(r) = round.get() else {
            return (0, 0, 0);
        };
        let ms = members.get();
        let standings: Vec<_> = ratings.with(|rs| rs.iter().map(Rating::standing).collect());
        let missing = missing_raters(&ms, r.id, &standings).len();
        let skipped = ratings.with(|rs| {
            ms.iter()
                .filter(|m| {
                    find(rs, r.id, m.id, Rater::Member).is_some_and(|x| x.skipped.is_some())
                })
                .count()
        });
        (ms.len() - missing - skipped, skipped, ms.len())
    };

    view! {
        <section class="page">
            {move || match round.get() {
                None => view! { <p class="error">"Fant ikke runden på denne enheten."</p><A href="/">"Til familiene"</A> }.into_any(),
                Some(r) => {
                    let f = r.family;
                    view! {
                        <h1>{format!("Rangering: {}", r.point.label())}</h1>
                        <p class="meta">{format!("Startet {}", norwegian_date(r.date))}</p>
                        <p class="lead" data-testid="round-progress">{move || {
                            let (a, skipped, n) = answered();
                            match skipped {
                                0 => format!("{a} av {n} har svart."),
                                s => format!("{a} av {n} har svart. {s} svarer ikke denne runden."),
                            }
                        }}</p>
                        <p class="meta">"Gi nettbrettet til én person om gangen. Ingen ser de andres svar i skjemaet, og du trenger passordet ditt for å komme tilbake."</p>
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <ul class="cards round-members">
                            {move || members.get().into_iter().map(|m: Member| {
                                let rs = ratings.get();
                                let own = find(&rs, r.id, m.id, Rater::Member).cloned();
                                let partner = find(&rs, r.id, m.id, Rater::Partner).cloned();
                                let all = core.available_rating_templates();
                                let default = default_for(&all, Audience::of(&m)).map(|t| t.code.clone()).unwrap_or_default();
                                let mid = m.id;
                                let current = move || chosen.with(|c| c.get(&mid).cloned()).unwrap_or_else(|| default.clone());
                                let skipped = own.as_ref().is_some_and(|o| o.skipped.is_some());
                                let submitted = own.as_ref().is_some_and(Rating::delivered);
                                let reason = RwSignal::new(String::new());
                                let name = m.name.clone();
                                view! {
                                    <li class="card round-member" data-member=m.name.clone()>
                                        <div class="card-body">
                                            <h2>{m.name.clone()}<span class="meta">{format!(" ({})", m.role.label())}</span></h2>
                                            <p class="status" data-testid="member-status">{status(own.as_ref())}</p>
                                            <p class="meta">{match &partner {
                                                Some(p) if p.delivered() => "Din vurdering er levert.".to_owned(),
                                                Some(_) => "Din vurdering er påbegynt.".to_owned(),
                                                None => "Din vurdering: ikke gjort.".to_owned(),
                                            }}</p>
                                            {own.as_ref().map(|o| view! { <p class="meta">{format!("Skjema: {} (versjon {})", o.form.name, o.form.version)}</p> })}
                                            {own.is_none().then(|| view! {
                                                <label class="inline">
                                                    <span class="meta">"Skjema: "</span>
                                                    <select name="form" on:change=move |ev| {
                                                        let v = event_target_value(&ev);
                                                        chosen.update(|c| { c.insert(mid, v); });
                                                    }>
                                                        {all.iter().map(|t| {
                                                            let code = t.code.clone();
                                                            let sel = { let code = code.clone(); let current = current.clone(); move || current() == code };
                                                            view! { <option value=code selected=sel>{format!("{} ({})", t.name, t.audience.label())}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                </label>
                                            })}
                                            <div class="row">
                                                {(!skipped).then(|| {
                                                    let current = current.clone();
                                                    view! {
                                                        // Handing over is the next step only for a form not yet delivered.
                                                        <button type="button" class=if submitted { "button" } else { "button primary" } on:click=move |_| hand_over(core, f, r.id, mid, current())>
                                                            {if submitted { format!("La {name} endre svarene") } else { format!("Gi nettbrettet til {name}") }}
                                                        </button>
                                                    }
                                                })}
                                                <A href=format!("/familie/{f}/rangering/{}/vurdering/{mid}", r.id) attr:class="button" attr:data-edit="">"Din vurdering"</A>
                                            </div>
                                            {match own.as_ref().filter(|o| o.skipped.is_some()).map(|o| o.id) {
                                                Some(id) => view! {
                                                    <button type="button" class="button quiet" on:click=move |_| save_answer(core, id, "skipped".into(), Value::Null, error)>
                                                        "Angre: svarer likevel"
                                                    </button>
                                                }.into_any(),
                                                None if !submitted => {
                                                    let member = m.clone();
                                                    view! {
                                                        <details class="skip">
                                                            <summary>"Svarer ikke denne runden …"</summary>
                                                            <label>
                                                                <span class="meta">"Hvorfor (for eksempel: for ung, bor ikke hjemme nå)"</span>
                                                                <input name="skip-reason" maxlength="300" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                                                            </label>
                                                            <button type="button" class="button" on:click=move |_| {
                                                                let why = reason.get_untracked().trim().to_owned();
                                                                if why.is_empty() {
                                                                    error.set(Some(format!("Skriv hvorfor {} ikke svarer, så det er dokumentert.", member.name)));
                                                                    return;
                                                                }
                                                                let Some(form) = template_for(core, "", Audience::of(&member)) else { return };
                                                                let who = member.id;
                                                                spawn_local(async move {
                                                                    match open_rating(core, f, r.id, who, Rater::Member, &form).await {
                                                                        Ok(id) => save_answer(core, id, "skipped".into(), json!(why), error),
                                                                        Err(e) => error.set(Some(crate::text::sentence(&e))),
                                                                    }
                                                                });
                                                            }>"Lagre grunnen"</button>
                                                        </details>
                                                    }.into_any()
                                                }
                                                None => ().into_any(),
                                            }}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
