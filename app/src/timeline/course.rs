//! The course's two turns: an extension by 3 months at the 6-month evaluation (with its
//! reason), and a placement (date and form) that moves the family into the closing phase.

use duken_domain::dates::parse_date;
use duken_domain::family::Family;
use duken_domain::vocab;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use serde_json::{json, Value};

use crate::core::{save_fields, use_core};
use crate::ui::{param_uuid, vocab_options, SingleChoice};

crate::later::screens! { course:
    course_screen => view! { <CoursePage/> },
}

#[component]
fn CoursePage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let navigate = use_navigate();
    let seen = family().and_then(|id| core.record(id));
    let Some(f) = seen.as_ref().and_then(Family::from_record) else {
        return view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any();
    };
    let id = f.id;
    let extended = RwSignal::new(f.extended);
    let reason = RwSignal::new(f.extension_reason.clone());
    let placed = RwSignal::new(f.placement.is_some());
    let placement_date = RwSignal::new(
        f.placement
            .as_ref()
            .map(|p| duken_domain::dates::iso_date(p.date))
            .unwrap_or_default(),
    );
    let placement_kind = RwSignal::new(f.placement.as_ref().and_then(|p| p.kind.clone()));
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(seen) = core.record(id) else { return };
        let ext = extended.get_untracked();
        let why = reason.get_untracked().trim().to_owned();
        if ext && why.is_empty() {
            error.set(Some(
                "Skriv begrunnelsen for forlengelsen (besluttet på 6-månedersevalueringen).".into(),
            ));
            return;
        }
        let (date, kind) = if placed.get_untracked() {
            let d = placement_date.get_untracked();
            if parse_date(&d).is_none() {
                error.set(Some("Velg datoen for plasseringen.".into()));
                return;
            }
            let Some(k) = placement_kind.get_untracked() else {
                error.set(Some("Velg hvilken type plassering det er.".into()));
                return;
            };
            (json!(d), json!(k))
        } else {
            (Value::Null, Value::Null)
        };
        let values = vec![
            ("extended", json!(ext)),
            (
                "extension_reason",
                if ext { json!(why) } else { Value::Null },
            ),
            ("placement_date", date),
            ("placement_kind", kind),
        ];
        let navigate = navigate.clone();
        spawn_local(async move {
            match save_fields(core, &seen, values).await {
                Ok(()) => navigate(&format!("/familie/{id}"), Default::default()),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
        });
    };
    view! {
        <section class="page">
            <h1>"Forlengelse og plassering"</h1>
            <p class="meta">{f.name.clone()}</p>
            <form class="course-form" on:submit=on_submit>
                <fieldset>
                    <legend>"Forlengelse"</legend>
                    <label class="check">
                        <input type="checkbox" name="extended" prop:checked=move || extended.get()
                            on:change=move |ev| extended.set(event_target_checked(&ev))/>
                        "Forlenget med 3 måneder (arbeidsfasen varer til 9 måneder)"
                    </label>
                    <Show when=move || extended.get()>
                        <label>"Begrunnelse (fra 6-månedersevalueringen)"
                            <textarea name="extension-reason" rows="3" bind:value=reason></textarea>
                        </label>
                    </Show>
                </fieldset>
                <fieldset>
                    <legend>"Plassering"</legend>
                    <label class="check">
                        <input type="checkbox" name="placed" prop:checked=move || placed.get()
                            on:change=move |ev| placed.set(event_target_checked(&ev))/>
                        "Barnet / barna er plassert (familien går over i avslutningsfasen fra datoen)"
                    </label>
                    <Show when=move || placed.get()>
                        <label>"Dato for plasseringen"<input type="date" name="placement-date" bind:value=placement_date/></label>
                        <SingleChoice legend="Type plassering" name="placement-kind" options=vocab_options(vocab::PLACEMENTS) selected=placement_kind/>
                    </Show>
                </fieldset>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="row">
                    <button type="submit" class="button primary">"Lagre"</button>
                    <A href=format!("/familie/{id}") attr:class="button">"Avbryt"</A>
                </div>
            </form>
        </section>
    }
    .into_any()
}
