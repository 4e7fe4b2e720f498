//! Screens whose code is downloaded the first time they are opened (a chunk of its own, cut
//! out of the app's wasm by `wasm-split-cli` in `scripts/build-app`; decision 63). A feature
//! marks its screen with [`wasm_split`] and the routes show it through [`later`]: while the
//! chunk loads the page says so; when it cannot load (no network, or no server, before the
//! service worker has kept it), the page says that and offers to try again, instead of the
//! wasm aborting.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;

use crate::ui::AllRead;

pub use leptos::wasm_split::wasm_split;

/// A screen's chunk could not be downloaded.
#[derive(Debug, Clone, Copy)]
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// Builds a screen's view with code from its chunk. The split function only hands this over;
/// the view is built by [`later`] where it is shown, under that place's owner, so the screen's
/// signals live and die with the page (a view built inside the loading future instead, as
/// `Suspense` does, could outlive its signals and panic: leptos-rs/leptos#3595).
#[derive(Clone)]
pub struct Build(Rc<dyn Fn() -> AnyView>);

impl Build {
    pub fn new(build: impl Fn() -> AnyView + 'static) -> Build {
        Build(Rc::new(build))
    }
}

/// What a split screen returns: how to build it, or that its chunk did not come.
pub type Screen = Result<Build, NotLoaded>;

#[derive(Clone)]
enum State {
    Loading,
    Ready(Build),
    Failed,
}

/// How a screen's chunk is asked for: one type for every screen, so [`later`]'s body is built
/// once, not once per screen (it was 44 KB of the first download as 30 copies; decision 68).
type Load = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Screen>>>>;

/// Shows a screen from its chunk, loading it on first use.
pub fn later<F>(load: impl Fn() -> F + 'static) -> AnyView
where
    F: Future<Output = Screen> + 'static,
{
    shown_later(Rc::new(move || Box::pin(load())))
}

fn shown_later(load: Load) -> AnyView {
    let load = StoredValue::new_local(load);
    let state = RwSignal::new_local(State::Loading);
    let fetch = move || {
        state.set(State::Loading);
        // Gone only when the page is: then there is nothing to load it for.
        let Some(loading) = load.try_with_value(|load| load()) else {
            return;
        };
        spawn_local(async move {
            // Setting a signal of a page already left does nothing.
            state.set(match loading.await {
                Ok(build) => State::Ready(build),
                Err(NotLoaded) => State::Failed,
            });
        });
    };
    fetch();
    view! {
        <AllRead>
            {move || match state.get() {
                State::Loading => view! { <p class="empty" role="status">"Laster skjermen …"</p> }.into_any(),
                State::Ready(build) => (build.0)(),
                State::Failed => view! {
                    <section class="page">
                        <h1>"Skjermen er ikke lastet ned"</h1>
                        <p class="error" role="alert">
                            "Denne skjermen er ikke lastet ned til enheten ennå, og den kunne ikke hentes nå (ingen nett, eller serveren svarer ikke). Prøv igjen når det er nett."
                        </p>
                        <button class="button" on:click=move |_| fetch()>"Prøv igjen"</button>
                    </section>
                }
                .into_any(),
            }}
        </AllRead>
    }
    .into_any()
}

/// Declares screens of one chunk: `screens! { chunk: name => view!{…}, … }` makes each
/// `name()` a split function returning [`Screen`], to be shown with [`later`]. Everything only
/// these views reach goes into the chunk.
macro_rules! screens {
    ($chunk:ident: $($name:ident => $view:expr),* $(,)?) => {
        $(
            #[$crate::later::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
            pub fn $name() -> $crate::later::Screen {
                Ok($crate::later::Build::new(|| {
                    #[allow(unused_imports)]
                    use ::leptos::prelude::*;
                    $view.into_any()
                }))
            }
        )*
    };
}
pub(crate) use screens;
