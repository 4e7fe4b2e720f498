//! The family's access log: who has read or changed its data, in words the family can read.
//! Paged: a family followed for a year has thousands of entries.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::sync::client::{Api, SyncError};

/// What the page says.
mod words {
    pub const TITLE: &str = "Tilgangslogg";
    pub const LEAD: &str = "Hvem som har hentet eller endret opplysningene om familien, og når. Familien har rett til å se dette.";
    pub const LOADING: &str = "Henter loggen …";
    pub const EMPTY: &str = "Ingen oppføringer ennå.";
    pub const MORE: &str = "Vis flere";
    pub const OFFLINE: &str = "Tilgangsloggen ligger på serveren og krever nett.";
    pub const NOT_FOUND: &str = "Fant ikke familien, eller du har ikke tilgang til den. Tilgangsloggen vises bare for dem som kan lese familien; en administrator trenger en tilgang gitt for den.";
}

crate::later::screens! { access_log:
    access_log_screen => view! { <AccessLogPage/> },
}

#[component]
fn AccessLogPage() -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|s| Uuid::parse_str(&s).ok());
    let lines = RwSignal::new(Vec::<String>::new());
    let next = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let load = move |after: i64| {
        let Some(id) = id else { return };
        loading.set(true);
        spawn_local(async move {
            match Api::access_log(id, after).await {
                Ok(page) => {
                    // Newer servers send the time apart: shown in the device's own time zone.
                    let shown: Vec<String> =
                        if page.entries.len() == page.lines.len() && !page.entries.is_empty() {
                            page.entries
                                .into_iter()
                                .map(|e| format!("{}: {}", crate::ui::local_time(e.at), e.says))
                                .collect()
                        } else {
                            page.lines
                        };
                    lines.update(|l| l.extend(shown));
                    next.set(page.next);
                    error.set(None);
                }
                Err(SyncError::Unreachable) => error.set(Some(words::OFFLINE.to_owned())),
                // 404: no such family, or none this user may read (the server does not say which).
                Err(SyncError::Refused(_)) => error.set(Some(words::NOT_FOUND.to_owned())),
                Err(e) => error.set(Some(crate::text::sentence(&e))),
            }
            loaded.set(true);
            loading.set(false);
        });
    };
    load(0);
    view! {
        <super::FamilyCrumbs here=super::Here::AccessLog/>
        <section class="page narrow">
            <h1>{words::TITLE}</h1>
            <p class="lead">{words::LEAD}</p>
            {move || (!loaded.get()).then(|| view! { <p class="empty">{words::LOADING}</p> })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || (loaded.get() && error.get().is_none() && lines.with(Vec::is_empty))
                .then(|| view! { <p class="empty">{words::EMPTY}</p> })}
            {move || (!lines.with(Vec::is_empty)).then(|| view! {
                <ol class="access-log">{lines.get().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ol>
            })}
            <div class="actions">
                {move || next.get().map(|after| view! {
                    <button type="button" class="button primary" disabled=move || loading.get() on:click=move |_| load(after)>
                        {words::MORE}
                    </button>
                })}
            </div>
        </section>
    }
}
