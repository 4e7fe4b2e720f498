use duken_domain::family::Family;
use duken_domain::meeting::duration_label;
use duken_domain::vocab::{self, label};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{meetings_of, members_of};
use crate::cloth::{ClothList, OpenAgreements};
use crate::core::use_core;
use crate::evaluations::evaluations_of;
use crate::ratings::RatingSummary;
use crate::timeline::FamilyTimeline;
use crate::ui::{norwegian_date, today};
use crate::values::FieldHistory;

/// How many meetings the family page shows before «Vis alle møter».
const SHOWN_MEETINGS: usize = 3;

/// One family: who lives there, and the meetings logged.
#[component]
pub fn FamilyPage() -> impl IntoView {
    let core = use_core();
    let params = use_params_map();
    // Set by the meeting form after a save: say plainly that it is safe on this device.
    let query = use_query_map();
    let saved = move || query.read().get("lagret").is_some();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    });
    let family = Memo::new(move |_| {
        id.get()
            .and_then(|id| core.record(id))
            .as_ref()
            .and_then(Family::from_record)
    });
    let members = Memo::new(move |_| id.get().map(|id| members_of(core, id)).unwrap_or_default());
    let meetings = Memo::new(move |_| id.get().map(|id| meetings_of(core, id)).unwrap_or_default());
    // The latest meetings come first on the page (on a phone, right under «Logg møte»); the
    // rest on request, so 60 meetings do not push everything else off the page.
    let all_meetings = RwSignal::new(false);
    let name_of =
        move |m: Uuid| members.with(|ms| ms.iter().find(|x| x.id == m).map(|x| x.name.clone()));

    view! {
        <Show when=move || family.with(Option::is_some) fallback=|| view! {
            <section class="page"><p class="error">"Fant ikke familien på denne enheten."</p><A href="/">"Til familiene"</A></section>
        }>
            {move || family.get().map(|f| {
                let today = today();
                view! {
                    <section class="page">
                        <div class="page-head">
                            <h1 data-testid="family-name">{f.name.clone()}</h1>
                            <A href=format!("/familie/{}/rediger", f.id) attr:class="button" attr:data-edit="">"Rediger"</A>
                        </div>
                        <p class="meta">
                            {f.start_date.map(|d| format!("Startet {} · ", norwegian_date(d)))}
                            {f.phase(&evaluations_of(core, f.id), today).map(|p| p.label()).unwrap_or("Startdato ikke satt")}
                        </p>
                        <Show when=saved>
                            <p class="saved" role="status">"Møtet er lagret på enheten."</p>
                        </Show>
                        <A href=format!("/familie/{}/mote", f.id) attr:class="button primary big" attr:data-edit="">"Logg møte"</A>
                        <button class="button" data-edit="" on:click={
                            let id = f.id;
                            move |_| crate::modes::share(core, id, None)
                        }>"Familievisning (delt skjerm)"</button>
                        <h2>"Møter"</h2>
                        <Show when=move || meetings.with(|m| !m.is_empty()) fallback=|| view! { <p class="empty">"Ingen møter logget ennå."</p> }>
                            <ul class="cards meetings" aria-label="Møter">
                                {move || meetings.get().into_iter().take(if all_meetings.get() { usize::MAX } else { SHOWN_MEETINGS }).map(|m| {
                                    let themes: Vec<&str> = m.themes.iter().filter_map(|t| label(vocab::THEMES, t)).collect();
                                    let present: Vec<String> = m.present.iter().filter_map(|p| name_of(*p)).collect();
                                    view! {
                                        <li class="card meeting-card">
                                            <A href=format!("/familie/{}/mote/{}", m.family, m.id)>
                                                <h3>
                                                    {m.date.map(norwegian_date).unwrap_or_default()}
                                                    " · "
                                                    {m.place.as_deref().and_then(|p| label(vocab::PLACES, p)).unwrap_or("Sted ikke valgt")}
                                                </h3>
                                                <p class="meta">
                                                    {m.focus.as_deref().and_then(|p| label(vocab::FOCUSES, p))}
                                                    {m.duration_minutes.map(|d| format!(" · {}", duration_label(d)))}
                                                    {m.interpreter.then_some(" · Tolk")}
                                                </p>
                                                {(!themes.is_empty()).then(|| view! { <p class="themes">{themes.join(", ")}</p> })}
                                                {(!present.is_empty()).then(|| view! { <p class="meta">"Til stede: "{present.join(", ")}</p> })}
                                                {(!m.note.is_empty()).then(|| view! { <p class="note">{m.note.clone()}</p> })}
                                            </A>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <Show when=move || !all_meetings.get() && meetings.with(|m| m.len() > SHOWN_MEETINGS)>
                                <button type="button" class="button" on:click=move |_| all_meetings.set(true)>
                                    {move || format!("Vis alle møter ({})", meetings.with(Vec::len))}
                                </button>
                            </Show>
                        </Show>
                        <nav class="row family-links" aria-label="Familiens skjemaer">
                            <A href=format!("/familie/{}/inntak", f.id) attr:class="button">"Inntakssamtale"</A>
                            <A href=format!("/familie/{}/arbeidsplan", f.id) attr:class="button">"Arbeidsplan"</A>
                            <A href=format!("/familie/{}/nettverk", f.id) attr:class="button">"Nettverk og tjenester"</A>
                            <A href=format!("/familie/{}/rapport", f.id) attr:class="button">"Rapporter"</A>
                            <A href=format!("/familie/{}/papirer", f.id) attr:class="button">"Familiens papirer"</A>
                            <A href=format!("/familie/{}/saksevaluering", f.id) attr:class="button">"Saksevalueringer"</A>
                            <A href=format!("/familie/{}/bekymring", f.id) attr:class="button" attr:data-edit="">"Bekymringer"</A>
                        </nav>
                        <h2>"Samtaleduker"</h2>
                        <div class="row">
                            <A href=format!("/familie/{}/duk/ny", f.id) attr:class="button primary" attr:data-edit="">"Ny duk"</A>
                            {move || crate::cloth::cloths_of(core, f.id).first().map(|last| view! {
                                <A href=format!("/familie/{}/duk/ny?fra={}", f.id, last.id) attr:class="button" attr:data-edit="">"Ny duk fra forrige (evaluering)"</A>
                            })}
                        </div>
                        <ClothList family=f.id/>
                        <OpenAgreements family=f.id/>
                        <RatingSummary family=f.id/>
                        <FamilyTimeline family=f.id/>
                        <h2>"Personer i hjemmet"</h2>
                        <ul class="members">
                            {move || members.get().into_iter().map(|m| {
                                let age = m.age_in(today).map(|a| format!(", {a} år")).unwrap_or_default();
                                view! { <li>{m.name.clone()}<span class="meta">{format!(" ({}{age})", m.role.label())}</span></li> }
                            }).collect_view()}
                        </ul>
                        <FieldHistory record=f.id/>
                        <p><A href=format!("/familie/{}/tilgangslogg", f.id)>"Tilgangslogg: hvem har sett opplysningene"</A></p>
                    </section>
                }
            })}
        </Show>
    }
}
