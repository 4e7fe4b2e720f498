//! The family's access log: who has read or changed its data, in words the family can read.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::sync::client::{Api, SyncError};

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|s| Uuid::parse_str(&s).ok());
    let lines = RwSignal::new(None::<Result<Vec<String>, String>>);
    if let Some(id) = id {
        spawn_local(async move {
            lines.set(Some(Api::access_log(id).await.map_err(|e| match e {
                SyncError::Unreachable => {
                    "Tilgangsloggen ligger på serveren og krever nett.".to_owned()
                }
                other => other.to_string(),
            })));
        });
    }
    view! {
        <section class="page narrow">
            <h1>"Tilgangslogg"</h1>
            <p class="lead">"Hvem som har hentet eller endret opplysningene om familien, og når. Familien har rett til å se dette."</p>
            {move || match lines.get() {
                None => view! { <p class="empty">"Henter loggen …"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(l)) if l.is_empty() => view! { <p class="empty">"Ingen oppføringer ennå."</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ol class="access-log">{l.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ol>
                }.into_any(),
            }}
            {id.map(|id| view! { <A href=format!("/familie/{id}")>"Tilbake til familien"</A> })}
        </section>
    }
}
