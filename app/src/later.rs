//! Screens whose code is downloaded the first time they are opened (a chunk of its own, cut
//! out of the app's wasm by `wasm-split-cli` in `scripts/build-app`; decision 63). A feature
//! marks its screen with [`wasm_split`] and the routes show it through [`later`]: while the
//! chunk loads the page says so; when it cannot load (no network, or no server, before the
//! service worker has kept it), the page says that and offers to try again, instead of the
//! wasm aborting.

use std::future::Future;

use leptos::__reexports::send_wrapper::SendWrapper;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

pub use leptos::wasm_split::wasm_split;

/// A screen's chunk could not be downloaded.
#[derive(Debug, Clone, Copy)]
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// What a split screen returns: its view, or that its chunk did not come.
pub type Screen = Result<AnyView, NotLoaded>;

/// Shows a screen from its chunk, loading it on first use.
pub fn later<F>(load: impl Fn() -> F + Send + Sync + 'static) -> impl IntoView
where
    F: Future<Output = Screen> + 'static,
{
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| view! { <p class="empty" role="status">"Laster skjermen …"</p> }>
            {move || {
                attempt.track();
                let screen = SendWrapper::new(load());
                Suspend::new(async move {
                    match screen.await {
                        Ok(view) => view,
                        Err(NotLoaded) => view! {
                            <section class="page">
                                <h1>"Skjermen er ikke lastet ned"</h1>
                                <p class="error" role="alert">
                                    "Denne skjermen er ikke lastet ned til enheten ennå, og den kunne ikke hentes nå (ingen nett, eller serveren svarer ikke). Prøv igjen når det er nett."
                                </p>
                                <button class="button" on:click=move |_| attempt.update(|n| *n += 1)>"Prøv igjen"</button>
                            </section>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Declares screens of one chunk: `screens! { chunk: name => view!{…}, … }` makes each
/// `name()` a split function returning [`Screen`], to be shown with [`later`]. Everything only
/// these views reach goes into the chunk.
macro_rules! screens {
    ($chunk:ident: $($name:ident => $view:expr),* $(,)?) => {
        $(
            #[$crate::later::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
            pub fn $name() -> $crate::later::Screen {
                #[allow(unused_imports)]
                use ::leptos::prelude::*;
                Ok($view.into_any())
            }
        )*
    };
}
pub(crate) use screens;
