//! The intake (mal for inntakssamtale): what was gone through, the services around the family,
//! each parent's consent (and its withdrawal), and the first three home visits, which must
//! fall within 10 days.

use duken_domain::dates::{iso_date, parse_date};
use duken_domain::family::{Family, Role};
use duken_domain::intake::{valid_time, visit_warning, Consent, Visit, FIRST_VISITS};
use duken_domain::record::DELETED;
use duken_domain::{vocab, Kind};
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::json;
use uuid::Uuid;

use crate::core::{list_of, spawn_create, spawn_save_fields, text_or_null, use_core};
use crate::families::members_of;
use crate::network::ContactList;
use crate::ui::{norwegian_date, param_uuid, today, vocab_options, MultiChoice};

crate::later::screens! { intake:
    intake_screen => view! { <IntakePage/> },
}

#[component]
fn IntakePage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let fam = Memo::new(move |_| {
        family()
            .and_then(|id| core.record(id))
            .as_ref()
            .and_then(Family::from_record)
    });
    view! {
        {move || match fam.get() {
            None => view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any(),
            Some(f) => view! {
                <section class="page intake">
                    <h1>"Inntakssamtale"</h1>
                    <p class="meta">
                        <A href=format!("/familie/{}", f.id)>{f.name.clone()}</A>
                        {f.start_date.map(|d| format!(" · Inntak {}", norwegian_date(d)))}
                    </p>
                    <Topics family=f.id/>
                    <Visits family=f.id intake=f.start_date/>
                    <Consents family=f.id/>
                    <h2>"Tjenester nå og før"</h2>
                    <p class="hint">"Hvilke tjenester familien er i kontakt med nå og har vært før, og familiens erfaring med dem."</p>
                    <ContactList family=f.id people=false/>
                    <p><A href=format!("/familie/{}/nettverk", f.id)>"Nettverk og tjenester, barnas ønsker"</A></p>
                </section>
            }.into_any(),
        }}
    }
}

/// The intake's checklist and its note; each tap is saved at once.
#[component]
fn Topics(family: Uuid) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let seen = core.record(family);
    let topics = RwSignal::new(
        seen.as_ref()
            .map(|r| r.strings("intake_topics"))
            .unwrap_or_default(),
    );
    let note = RwSignal::new(
        seen.as_ref()
            .and_then(|r| r.text("intake_note"))
            .unwrap_or_default()
            .to_owned(),
    );
    // Save the checklist whenever it changes (not on first run).
    Effect::watch(
        move || topics.get(),
        move |t, _, _| spawn_save_fields(core, family, vec![("intake_topics", json!(t))], error),
        false,
    );
    let save_note = move |_| {
        let value = text_or_null(&note.get_untracked());
        spawn_save_fields(core, family, vec![("intake_note", value)], error);
    };
    view! {
        <h2>"Gjennomgått"</h2>
        <MultiChoice legend="Huk av det dere har gått gjennom" name="intake-topics" options=vocab_options(vocab::INTAKE_TOPICS) selected=topics/>
        <label>"Historie og muligheter, notat"
            <textarea name="intake-note" rows="3" bind:value=note on:change=save_note></textarea>
        </label>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
}

/// Booked home visits, with a warning on any of the first three after day 10.
#[component]
fn Visits(family: Uuid, intake: Option<chrono::NaiveDate>) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let visits = Memo::new(move |_| {
        let mut v = list_of(core, family, Visit::from_record);
        v.sort_by(|a, b| (a.date, &a.time, a.id).cmp(&(b.date, &b.time, b.id)));
        v
    });
    let date = RwSignal::new(String::new());
    let time = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = date.get_untracked();
        if parse_date(&d).is_none() {
            error.set(Some("Velg en dato for besøket.".into()));
            return;
        }
        let t = time.get_untracked();
        if !t.is_empty() && !valid_time(&t) {
            error.set(Some("Klokkeslett skrives som TT:MM, f.eks. 17:30.".into()));
            return;
        }
        spawn_create(
            core,
            Kind::Visit,
            family,
            vec![("date", json!(d)), ("time", text_or_null(&t))],
            error,
        );
        date.set(String::new());
        time.set(String::new());
    };
    view! {
        <h2>"Hjemmebesøk"</h2>
        <p class="hint">{match intake {
            Some(i) => format!("De tre første hjemmebesøkene avtales i inntakssamtalen og skal være innen {}.", norwegian_date(duken_domain::intake::visits_deadline(i))),
            None => "Sett startdato (inntakssamtalen) på familien for å sjekke fristen på 10 dager.".to_owned(),
        }}</p>
        <ul class="visits" data-testid="visits">
            {move || visits.get().into_iter().enumerate().map(|(i, v)| {
                let warning = intake.filter(|_| i < FIRST_VISITS).and_then(|start| visit_warning(start, v.date));
                let id = v.id;
                let late = warning.is_some();
                view! {
                    <li class="visit" class:late=late>
                        <span class="date">{norwegian_date(v.date)}</span>
                        {v.time.clone().map(|t| format!(" kl. {t}"))}
                        {warning.map(|w| view! { <span class="warning" role="alert">" ⚠ "{w}</span> })}
                        <button type="button" class="button small danger" on:click=move |_| spawn_save_fields(core, id, vec![(DELETED, json!(true))], error)>"Fjern"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="meta" data-testid="visit-count">{move || {
            let n = visits.with(Vec::len);
            if n >= FIRST_VISITS { format!("{n} besøk avtalt.") } else { format!("{n} av {FIRST_VISITS} besøk avtalt.") }
        }}</p>
        <form class="visit-form" on:submit=on_submit>
            <label>"Dato"<input type="date" name="visit-date" bind:value=date/></label>
            <label>"Klokkeslett"<input type="time" name="visit-time" bind:value=time/></label>
            <button type="submit" class="button primary">"Avtal besøk"</button>
        </form>
        // Said before booking too, while the date is being chosen.
        {move || {
            let first = visits.with(Vec::len) < FIRST_VISITS;
            let day = parse_date(&date.get());
            intake.zip(day).filter(|_| first).and_then(|(i, d)| visit_warning(i, d)).map(|w| view! { <p class="warning" data-testid="visit-date-warning">{w}</p> })
        }}
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
}

/// Each parent's consent: given (to what, when), and withdrawn by that parent alone.
#[component]
fn Consents(family: Uuid) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let members = Memo::new(move |_| members_of(core, family));
    let consents = Memo::new(move |_| {
        let mut c = list_of(core, family, Consent::from_record);
        c.sort_by_key(|c| (c.given, c.id));
        c
    });
    let name_of = move |id: Uuid| {
        members.with(|ms| {
            ms.iter()
                .find(|m| m.id == id)
                .map(|m| m.name.clone())
                .unwrap_or_else(|| "Ukjent".into())
        })
    };
    let who = RwSignal::new(None::<String>);
    let scopes = RwSignal::new(vec!["cooperate".to_owned(), "share".to_owned()]);
    let services = RwSignal::new(String::new());
    let given = RwSignal::new(iso_date(today()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(member) = who.get_untracked() else {
            error.set(Some("Velg hvem som gir samtykket.".into()));
            return;
        };
        let s = scopes.get_untracked();
        if s.is_empty() {
            error.set(Some("Velg hva samtykket gjelder.".into()));
            return;
        }
        let g = given.get_untracked();
        if parse_date(&g).is_none() {
            error.set(Some("Velg datoen samtykket ble gitt.".into()));
            return;
        }
        spawn_create(
            core,
            Kind::Consent,
            family,
            vec![
                ("member", json!(member)),
                ("scopes", json!(s)),
                ("given", json!(g)),
                ("services", text_or_null(&services.get_untracked())),
            ],
            error,
        );
        who.set(None);
        services.set(String::new());
    };
    view! {
        <h2>"Samtykke"</h2>
        <p class="hint">"Samtykke til å samarbeide med andre instanser og dele informasjon. Hver forelder gir sitt, og kan trekke det tilbake."</p>
        <ul class="consents" data-testid="consents">
            {move || {
                let now = today();
                consents.get().into_iter().map(|c| {
                    let id = c.id;
                    let in_force = c.in_force(now);
                    let withdrawn = c.withdrawn;
                    view! {
                        <li class="consent" class:withdrawn=withdrawn.is_some() data-member=name_of(c.member)>
                            <strong>{name_of(c.member)}</strong>
                            ": "{c.scope_labels()}
                            {(!c.services.is_empty()).then(|| format!(" ({})", c.services))}
                            {c.given.map(|d| format!(" · gitt {}", norwegian_date(d)))}
                            {match withdrawn {
                                Some(d) => view! { <span class="state">{format!(" · trukket tilbake {}", norwegian_date(d))}</span> }.into_any(),
                                None => view! {
                                    <span class="state">{if in_force { " · gjelder" } else { "" }}</span>
                                    <button type="button" class="button small" on:click=move |_| spawn_save_fields(core, id, vec![("withdrawn", json!(iso_date(today())))], error)>"Trekk tilbake"</button>
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
        <form class="consent-form" on:submit=on_submit>
            <fieldset class="chips" data-field="consent-member">
                <legend>"Gitt av"</legend>
                {move || members.get().into_iter().filter(|m| m.role != Role::Child).map(|m| {
                    let code = m.id.to_string();
                    let on = code.clone();
                    view! {
                        <button type="button" class="chip" aria-pressed=move || (who.get().as_deref() == Some(on.as_str())).to_string()
                            on:click=move |_| who.set(Some(code.clone()))>{m.name.clone()}</button>
                    }
                }).collect_view()}
            </fieldset>
            <MultiChoice legend="Samtykke til" name="consent-scopes" options=vocab_options(vocab::CONSENT_SCOPES) selected=scopes/>
            <label>"Gjelder (tjenester)"<input type="text" name="consent-services" bind:value=services placeholder="f.eks. skolen, helsestasjonen"/></label>
            <label>"Dato"<input type="date" name="consent-given" bind:value=given/></label>
            <button type="submit" class="button primary">"Registrer samtykke"</button>
        </form>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
}
