//! «Ikke sendt»: changes the server refused for good, set aside on this device so they neither
//! block the changes behind them nor vanish. Each shows what it is, the server's reason, and
//! what the user can do: send it again (after correcting the record, or once access is given),
//! or discard it on purpose.

use duken_domain::schema::spec;
use duken_domain::Record;
use duken_store::Held;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::describe;
use crate::core::{store, use_core, Core};
use crate::sync::{now, refresh_waiting, use_sync};

/// What the change was about, in the user's words: the record, and the fields it set.
fn what(core: Core, held: &Held) -> (String, String) {
    let c = &held.change;
    let record = core
        .record(c.record)
        .unwrap_or_else(|| Record::from_change(c));
    let fields: Vec<&str> = c
        .writes
        .iter()
        .map(|w| spec(c.kind, &w.field).map_or(w.field.as_str(), |s| s.label))
        .collect();
    (describe(core, &record), fields.join(", "))
}

crate::later::screens! { conflicts:
    held_screen => view! { <HeldPage/> },
}

#[component]
fn HeldPage() -> impl IntoView {
    let core = use_core();
    let sync = use_sync();
    let list = RwSignal::new(None::<Result<Vec<Held>, String>>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            let got = match store() {
                Some(s) => s.held().await.map_err(|e| e.to_string()),
                None => Err("lagringen er ikke åpen".into()),
            };
            list.set(Some(got));
        })
    };
    // Now, and whenever the count changes (a sync that sets more aside, a retry that went
    // through): the list follows without a reload. `load` only reads, so this cannot loop.
    Effect::new(move |_| {
        sync.held.track();
        load();
    });
    let retry = move |id: uuid::Uuid| {
        spawn_local(async move {
            if let Some(s) = store() {
                match s.release(id).await {
                    Ok(()) => now(),
                    Err(e) => error.set(Some(crate::text::sentence(&e))),
                }
            }
            refresh_waiting(sync).await;
        })
    };
    let discard = move |held: Held| {
        let (name, fields) = what(core, &held);
        let msg = format!(
            "Forkaste endringen av «{name}» ({fields})? Den slettes fra denne enheten og kan ikke hentes tilbake."
        );
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(&msg).ok())
            .unwrap_or(false);
        if !ok {
            return;
        }
        spawn_local(async move {
            if let Some(s) = store() {
                let record = held.change.record;
                match s.discard(held.change.id).await {
                    Ok(now) => core.replace(record, now),
                    Err(e) => error.set(Some(crate::text::sentence(&e))),
                }
            }
            refresh_waiting(sync).await;
        })
    };
    view! {
        <section class="page">
            <h1>"Ikke sendt"</h1>
            <p class="lead">"Serveren avviste disse endringene. De er tatt ut av køen så resten blir sendt, og de ligger trygt på denne enheten til du bestemmer hva som skal skje med dem."</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || match list.get() {
                None => view! { <p class="empty">"Henter …"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <p class="empty">"Ingen endringer venter på deg. Alt annet blir sendt som vanlig."</p>
                }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="cards held" aria-label="Endringer som ikke er sendt">
                        {items.into_iter().map(|h| {
                            let (name, fields) = what(core, &h);
                            let id = h.change.id;
                            let family = h.change.family;
                            let reason = h.reason.clone();
                            let item = h.clone();
                            view! {
                                <li class="card held-change" data-change=id.to_string()>
                                    <h2>{name}</h2>
                                    <p class="meta">"Endret: "{fields}</p>
                                    <p class="reason"><strong>"Hvorfor: "</strong>{reason}</p>
                                    <p class="meta">"Du kan rette opplysningene og sende endringen på nytt, eller forkaste den."</p>
                                    <div class="row">
                                        <A href=format!("/familie/{family}") attr:class="button">"Åpne familien"</A>
                                        <button class="button" on:click=move |_| retry(id)>"Send på nytt"</button>
                                        <button class="button danger-inline" on:click=move |_| discard(item.clone())>"Forkast endringen"</button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
