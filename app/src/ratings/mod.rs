//! Rating forms (rangeringsskjema): rounds, each member's private form, the partner's view
//! beside it, progress charts, and the team's own forms. The rules live in
//! `duken_domain::rating`; this is how they look and are used.

mod charts;
mod form;
mod private;
mod progress;
mod round;
mod templates;

pub use form::partner_rating_screen;
pub use private::private_form_screen;
pub use progress::ratings_screen;
pub use round::round_screen;
pub use templates::forms_screen;

use duken_domain::family::{Family, Member};
use std::collections::HashMap;

use duken_domain::rating::{
    default_for, in_order, missing_raters, Audience, Rater, Rating, RatingTemplate, Round, Standing,
};
use duken_domain::{Kind, Record};
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::core::{save, save_fields, use_core, Core, SaveError};
use crate::families::{families, members_of, sort_members};

/// Rounds of one family, in the order of the intervention.
pub fn rounds_of(core: Core, family: Uuid) -> Vec<Round> {
    in_order(core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family)
            .filter_map(Round::from_record)
            .collect()
    }))
}

/// Every filled (or started) rating of one family.
pub fn ratings_of(core: Core, family: Uuid) -> Vec<Rating> {
    core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family && r.kind == Kind::Rating)
            .filter_map(Rating::from_record)
            .collect()
    })
}

/// The template with this code among those this device has, else the default for `audience`.
pub fn template_for(core: Core, code: &str, audience: Audience) -> Option<RatingTemplate> {
    let all = core.available_rating_templates();
    all.iter()
        .rev()
        .find(|t| t.code == code)
        .or_else(|| default_for(&all, audience))
        .cloned()
}

/// The rating record of `member` by `rater` in `round`: the one already started, else a new
/// one with a copy of `form` (so the answer keeps the form it was given with).
pub async fn open_rating(
    core: Core,
    family: Uuid,
    round: Uuid,
    member: Uuid,
    rater: Rater,
    form: &RatingTemplate,
) -> Result<Uuid, SaveError> {
    let ratings = ratings_of(core, family);
    if let Some(r) = duken_domain::rating::find(&ratings, round, member, rater) {
        return Ok(r.id);
    }
    let id = Uuid::now_v7();
    let writes = [
        ("round", json!(round.to_string())),
        ("member", json!(member.to_string())),
        ("rater", json!(rater.code())),
        ("form", json!(form.to_json())),
    ]
    .into_iter()
    .filter_map(|(f, v)| crate::core::write_if_changed(None, f, v))
    .collect();
    save(core, id, Kind::Rating, family, writes).await?;
    Ok(id)
}

/// Saves one field of a rating (an answer as it is tapped: nothing waits for «Ferdig»).
pub fn save_answer(
    core: Core,
    id: Uuid,
    field: String,
    value: Value,
    error: RwSignal<Option<String>>,
) {
    let Some(seen) = core.record(id) else {
        return;
    };
    leptos::task::spawn_local(async move {
        match save_fields(core, &seen, vec![(field.as_str(), value)]).await {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(crate::text::sentence(&e))),
        }
    });
}

/// Standings of a family's ratings (no form parsed).
pub fn standings_of(core: Core, family: Uuid) -> Vec<Standing> {
    core.records.with(|m| {
        m.values()
            .filter(|r| r.family == family)
            .filter_map(Standing::from_record)
            .collect()
    })
}

/// The newest of `rounds` and who of `members` has not rated in it.
fn latest_missing(
    rounds: Vec<Round>,
    members: Vec<Member>,
    standings: &[Standing],
) -> Option<(Round, Vec<Member>)> {
    let round = in_order(rounds).pop()?;
    let missing = missing_raters(&members, round.id, standings);
    let names = members
        .into_iter()
        .filter(|m| missing.contains(&m.id))
        .collect();
    Some((round, names))
}

/// Who in a family has not rated in its newest round.
pub fn missing_in_latest(core: Core, family: Uuid) -> Option<(Round, Vec<Member>)> {
    latest_missing(
        rounds_of(core, family),
        members_of(core, family),
        &standings_of(core, family),
    )
}

fn names(members: &[Member]) -> String {
    members
        .iter()
        .map(|m| m.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The family page's section: the newest round and who has not rated in it.
#[component]
pub fn RatingSummary(family: Uuid) -> impl IntoView {
    let core = use_core();
    let latest = Memo::new(move |_| missing_in_latest(core, family));
    view! {
        <section class="rating-summary" aria-label="Rangering">
            <h2>"Rangering"</h2>
            {move || match latest.get() {
                None => view! { <p class="empty">"Ingen rangeringsrunde startet ennå."</p> }.into_any(),
                Some((round, missing)) => view! {
                    <p>
                        <A href=format!("/familie/{family}/rangering/{}", round.id)>{round.label()}</A>
                    </p>
                    {if missing.is_empty() {
                        view! { <p class="saved" data-testid="rating-missing">"Alle har svart i denne runden."</p> }.into_any()
                    } else {
                        view! { <p class="due-note" data-testid="rating-missing">"Har ikke svart: "{names(&missing)}</p> }.into_any()
                    }}
                }.into_any(),
            }}
            <A href=format!("/familie/{family}/rangering") attr:class="button">"Rangering og fremgang"</A>
        </section>
    }
}

/// The start screen's due list: families whose newest round still misses someone.
#[component]
pub fn DueRatings() -> impl IntoView {
    let core = use_core();
    // One pass over the records for every family (the start screen lists them all).
    let due = Memo::new(move |_| {
        let mut rounds: HashMap<Uuid, Vec<Round>> = HashMap::new();
        let mut members: HashMap<Uuid, Vec<Member>> = HashMap::new();
        let mut standings: HashMap<Uuid, Vec<Standing>> = HashMap::new();
        core.records.with(|all| {
            for r in all.values() {
                match r.kind {
                    Kind::Round => rounds
                        .entry(r.family)
                        .or_default()
                        .extend(Round::from_record(r)),
                    Kind::Member => members
                        .entry(r.family)
                        .or_default()
                        .extend(Member::from_record(r)),
                    Kind::Rating => standings
                        .entry(r.family)
                        .or_default()
                        .extend(Standing::from_record(r)),
                    _ => {}
                }
            }
        });
        families(core)
            .into_iter()
            .filter_map(|f: Family| {
                let mut people = members.remove(&f.id).unwrap_or_default();
                sort_members(&mut people);
                let (round, missing) = latest_missing(
                    rounds.remove(&f.id)?,
                    people,
                    standings.get(&f.id).map_or(&[][..], Vec::as_slice),
                )?;
                (!missing.is_empty()).then(|| (f, round, names(&missing)))
            })
            .collect::<Vec<_>>()
    });
    view! {
        <Show when=move || due.with(|d| !d.is_empty())>
            <section class="due" aria-label="Må gjøres">
                <h2>"Må gjøres"</h2>
                <ul class="due-list">
                    {move || due.get().into_iter().map(|(f, round, missing)| view! {
                        <li>
                            <A href=format!("/familie/{}/rangering/{}", f.id, round.id)>
                                <strong>{f.name.clone()}</strong>
                                {format!(": rangering {} – har ikke svart: {missing}", round.point.label().to_lowercase())}
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// The record's earlier values of one field, oldest first, as they were replaced.
pub fn earlier_values(record: &Record, field: &str) -> Vec<Value> {
    let Some(f) = record.fields.get(field) else {
        return Vec::new();
    };
    let mut writes = f.history();
    writes.sort_by_key(|w| w.version);
    writes.into_iter().map(|w| w.value.clone()).collect()
}
