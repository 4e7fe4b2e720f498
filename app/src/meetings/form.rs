use duken_domain::dates::{iso_date, parse_date};
use duken_domain::record::DELETED;
use duken_domain::vocab;
use duken_domain::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::core::{save, use_core, write_if_changed};
use crate::families::members_of;
use crate::ui::{param_uuid, today, vocab_options, MultiChoice, SingleChoice};
use crate::values::FieldHistory;
use duken_domain::local::check;

#[component]
pub fn NewMeeting() -> impl IntoView {
    let family = param_uuid("id");
    view! {
        {move || match family() {
            Some(f) => view! { <MeetingForm family=f meeting=None/> }.into_any(),
            None => view! { <p class="error">"Fant ikke familien."</p> }.into_any(),
        }}
    }
}

#[component]
pub fn EditMeeting() -> impl IntoView {
    let family = param_uuid("id");
    let meeting = param_uuid("mid");
    view! {
        {move || match (family(), meeting()) {
            (Some(f), Some(m)) => view! { <MeetingForm family=f meeting=Some(m)/> }.into_any(),
            _ => view! { <p class="error">"Fant ikke møtet."</p> }.into_any(),
        }}
    }
}

#[component]
fn MeetingForm(family: Uuid, meeting: Option<Uuid>) -> impl IntoView {
    let core = use_core();
    let navigate = use_navigate();
    let id = meeting.unwrap_or_else(Uuid::now_v7);
    let seen = meeting.and_then(|m| core.record(m));
    let text = |f: &str| seen.as_ref().and_then(|r| r.text(f)).map(str::to_owned);

    // A new meeting is today's, unless it was opened for a booked visit (`?dato=`).
    let asked = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("dato")
        .filter(|d| parse_date(d).is_some());
    let date = RwSignal::new(text("date").or(asked).unwrap_or_else(|| iso_date(today())));
    let people = members_of(core, family);
    // A new meeting on the day of a booked home visit, before one is logged that day, is that
    // visit: it was booked with the family, so everyone is there unless the partner taps
    // someone off. A second meeting that day (a call after the visit) is not.
    let for_visit = seen.is_none() && {
        let day = date.get_untracked();
        let on_day = |kind: Kind| {
            core.records.with_untracked(|all| {
                all.values().any(|r| {
                    r.kind == kind
                        && r.family == family
                        && !r.is_deleted()
                        && r.text("date") == Some(day.as_str())
                })
            })
        };
        on_day(Kind::Visit) && !on_day(Kind::Meeting)
    };
    // Most meetings are home visits: preselected, one tap less.
    let place = RwSignal::new(if seen.is_some() {
        text("place")
    } else {
        Some("home".to_owned())
    });
    let focus = RwSignal::new(text("focus"));
    let themes = RwSignal::new(
        seen.as_ref()
            .map(|r| r.strings("themes"))
            .unwrap_or_default(),
    );
    let present = RwSignal::new(match &seen {
        Some(r) => r.strings("present"),
        None if for_visit => people.iter().map(|m| m.id.to_string()).collect(),
        None => Vec::new(),
    });
    let saved_minutes = seen.as_ref().and_then(|r| r.int("duration_minutes"));
    // A chip for the usual lengths, «Annen» for any other: the minutes field belongs to
    // «Annen» alone (picking «1 t» does not fill it).
    let is_chip = |m: i64| vocab::DURATIONS.iter().any(|d| i64::from(*d) == m);
    let duration_choice = RwSignal::new(saved_minutes.map(|m| {
        if is_chip(m) {
            m.to_string()
        } else {
            OTHER_DURATION.to_owned()
        }
    }));
    let other_minutes = RwSignal::new(
        saved_minutes
            .filter(|m| !is_chip(*m))
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let interpreter = RwSignal::new(
        seen.as_ref()
            .and_then(|r| r.get("interpreter"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
    );
    let note = RwSignal::new(text("note").unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let members: Vec<(String, String)> = people
        .into_iter()
        .map(|m| (m.id.to_string(), m.name))
        .collect();
    let durations: Vec<(String, String)> = vocab::DURATIONS
        .iter()
        .map(|d| (d.to_string(), duration_label_short(*d)))
        .chain([(OTHER_DURATION.to_owned(), "Annen".to_owned())])
        .collect();
    let other_chosen = move || duration_choice.with(|c| c.as_deref() == Some(OTHER_DURATION));
    // Themes are optional and many (18): folded, open when the meeting already has some.
    let themes_open = !themes.with_untracked(Vec::is_empty);

    let seen_for_save = seen.clone();
    let navigate_save = navigate.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let seen = seen_for_save.as_ref();
        let d = date.get_untracked();
        if parse_date(&d).is_none() {
            error.set(Some("Velg datoen for møtet.".into()));
            return;
        }
        let dur = match duration_choice.get_untracked() {
            Some(c) if c == OTHER_DURATION => other_minutes.get_untracked(),
            Some(c) => c,
            None => String::new(),
        };
        let dur_value = if dur.trim().is_empty() {
            Value::Null
        } else {
            match dur.trim().parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => {
                    error.set(Some(
                        "Skriv varigheten som et antall minutter, f.eks. 45.".into(),
                    ));
                    return;
                }
            }
        };
        let writes: Vec<_> = [
            write_if_changed(seen, "date", json!(d)),
            write_if_changed(
                seen,
                "place",
                place.get_untracked().map_or(Value::Null, |p| json!(p)),
            ),
            write_if_changed(
                seen,
                "focus",
                focus.get_untracked().map_or(Value::Null, |p| json!(p)),
            ),
            write_if_changed(seen, "themes", json!(themes.get_untracked())),
            write_if_changed(seen, "duration_minutes", dur_value),
            write_if_changed(seen, "present", json!(present.get_untracked())),
            write_if_changed(seen, "interpreter", json!(interpreter.get_untracked())),
            write_if_changed(seen, "note", json!(note.get_untracked().trim())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Err(e) = check(id, Kind::Meeting, family, &writes) {
            error.set(Some(crate::text::sentence(&e)));
            return;
        }
        busy.set(true);
        let navigate = navigate_save.clone();
        spawn_local(async move {
            match save(core, id, Kind::Meeting, family, writes).await {
                Ok(()) => navigate(&format!("/familie/{family}?lagret=1"), Default::default()),
                Err(e) => {
                    error.set(Some(crate::text::sentence(&e)));
                    busy.set(false);
                }
            }
        });
    };

    let seen_for_delete = seen.clone();
    let on_delete = move |_| {
        let Some(seen) = seen_for_delete.clone() else {
            return;
        };
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message("Slette dette møtet?").ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            let writes = write_if_changed(Some(&seen), DELETED, json!(true))
                .into_iter()
                .collect();
            match save(core, seen.id, Kind::Meeting, family, writes).await {
                Ok(()) => navigate(&format!("/familie/{family}"), Default::default()),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };

    let title = if meeting.is_some() {
        "Møte"
    } else {
        "Logg møte"
    };
    view! {
        <section class="page narrow">
            <h1>{title}</h1>
            <form class="meeting-form" on:submit=on_submit novalidate autocomplete="off">
                <label class="inline">"Dato"<input name="date" type="date" required autocomplete="off" bind:value=date/></label>
                {(!members.is_empty()).then(|| view! {
                    <MultiChoice legend="Til stede" name="present" options=members.clone() selected=present/>
                })}
                <SingleChoice legend="Hvor møttes dere?" name="place" options=vocab_options(vocab::PLACES) selected=place/>
                <SingleChoice legend="Varighet" name="duration" options=durations selected=duration_choice/>
                <Show when=other_chosen>
                    <label class="inline">"Varighet i minutter"
                        <input name="duration-minutes" type="text" inputmode="numeric" autocomplete="off" bind:value=other_minutes placeholder="F.eks. 40"/>
                    </label>
                </Show>
                <SingleChoice legend="Fokus for møtet" name="focus" options=vocab_options(vocab::FOCUSES) selected=focus/>
                <details class="themes-fold" open=themes_open>
                    <summary>
                        "Tema dere jobbet med"
                        <span class="meta">{move || match themes.with(Vec::len) { 0 => " (valgfritt)".to_owned(), n => format!(" ({n} valgt)") }}</span>
                    </summary>
                    <MultiChoice legend="Tema dere jobbet med" name="themes" options=vocab_options(vocab::THEMES) selected=themes/>
                </details>
                <label class="check"><input name="interpreter" type="checkbox" bind:checked=interpreter/>"Tolk ble brukt"</label>
                <label>"Kort notat"<textarea name="note" rows="3" autocomplete="off" bind:value=note placeholder="Det viktigste fra møtet"></textarea></label>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions sticky">
                    <button type="submit" class="button primary big" disabled=move || busy.get()>"Lagre møte"</button>
                </div>
                {meeting.map(|m| view! {
                    <FieldHistory record=m/>
                    <button type="button" class="button danger" on:click=on_delete>"Slett møtet"</button>
                })}
            </form>
        </section>
    }
}

/// The duration chip that opens the minutes field.
const OTHER_DURATION: &str = "other";

fn duration_label_short(minutes: u32) -> String {
    duken_domain::meeting::duration_label(i64::from(minutes))
}
