//! The app shell: header (sync status, navigation) and routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use wasm_bindgen::JsCast;

use crate::account::{devices_screen, restore, ChangePassword, LoginPage};
use crate::cloth::{cloth_screen, edit_cloth_screen, new_cloth_screen};
use crate::conflicts::{conflicts_screen, held_screen};
use crate::core::{set_store, Core, Readiness, DB_NAME};
use crate::evaluations::{case_reviews_screen, concerns_screen};
use crate::families::{
    access_log_screen, edit_family_screen, new_family_screen, FamilyAccess, FamilyList, FamilyPage,
    Here,
};
use crate::header::SyncStatus;
use crate::intake::intake_screen;
use crate::later::later;
use crate::lock::{lock, watch_idle, UnlockPage};
use crate::meetings::{EditMeeting, NewMeeting};
use crate::network::network_screen;
use crate::papers::{paper_screen, papers_screen};
use crate::plans::{plan_screen, plans_screen};
use crate::ratings::{
    forms_screen, partner_rating_screen, private_form_screen, ratings_screen, round_screen,
};
use crate::reports::{report_screen, reports_screen};
use crate::shared_screen::FamilyView;
use crate::sync::SyncState;
use crate::timeline::course_screen;
use crate::ui::AllRead;
use crate::ui::OnDevice;
use duken_domain::Kind;

#[component]
pub fn App() -> impl IntoView {
    let core = Core::new();
    crate::modes::restore(core);
    let sync_state = SyncState::new();
    provide_context(core);
    provide_context(sync_state);
    // Whether the tablet is handed over, not to whom: the private form stays mounted (and keeps
    // its state) while it passes from one person to the next.
    let handed_over = Memo::new(move |_| core.handover.with(Option::is_some));
    crate::sync::follow_edits(core);
    spawn_local(open(core));
    register_service_worker();

    view! {
        <Router>
            <header class="top">
                <A href="/" attr:class="brand">"Duken"</A>
                <Show when=move || core.session.with(|s| s.as_ref().is_some_and(|s| !s.must_change_password)) && core.family_view.with(Option::is_none) && !handed_over.get() && !core.locked.get()>
                    <nav aria-label="Hovedmeny">
                        <A href="/">"Familier"</A>
                        <A href="/konflikter">"Konflikter"</A>
                        <A href="/skjemaer">"Skjemaer"</A>
                        <A href="/enheter" attr:data-testid="user-menu">
                            <span class="user-name">{move || core.session.with(|s| s.as_ref().map(|s| format!("{} ·\u{a0}", s.user.display_name)))}</span>
                            "Enheter"
                        </A>
                        <button class="lock-button" on:click=move |_| lock(core) title="Lås enheten">"Lås"</button>
                    </nav>
                    <SyncStatus/>
                </Show>
            </header>
            <main>
                {move || match core.ready.get() {
                    Readiness::Opening => view! { <p class="empty">"Åpner dataene på enheten …"</p> }.into_any(),
                    Readiness::Failed(msg) => view! {
                        <section class="page"><p class="error" role="alert">"Kunne ikke åpne lagringen på enheten: "{msg}</p>
                        <p>"Sjekk at nettleseren tillater lagring for denne siden (ikke privat modus), og last siden på nytt."</p></section>
                    }.into_any(),
                    Readiness::Ready if core.session.with(Option::is_none) => view! { <LoginPage/> }.into_any(),
                    Readiness::Ready if core.locked.get() => view! { <UnlockPage/> }.into_any(),
                    // Logged in with a one-time password: the user's own comes before anything.
                    Readiness::Ready if core.session.with(|s| s.as_ref().is_some_and(|s| s.must_change_password)) => {
                        view! { <ChangePassword first=true/> }.into_any()
                    }
                    Readiness::Ready if handed_over.get() => view! { {later(private_form_screen)} }.into_any(),
                    Readiness::Ready if core.family_view.get().is_some() => {
                        let family = core.family_view.get().unwrap_or_default();
                        view! { <AllRead><FamilyView family=family/></AllRead> }.into_any()
                    }
                    Readiness::Ready => view! {
                        <Routes fallback=|| view! { <section class="page"><p>"Siden finnes ikke."</p><A href="/">"Til familiene"</A></section> }>
                            <Route path=path!("/") view=FamilyList/>
                            <Route path=path!("/familie/ny") view=|| later(new_family_screen)/>
                            <Route path=path!("/familie/:id") view=|| view! { <FamilyAccess here=Here::Family><FamilyPage/></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/rediger") view=|| view! { <FamilyAccess here=Here::EditFamily><OnDevice param="id">{later(edit_family_screen)}</OnDevice></FamilyAccess> }/>
                            // Not in `FamilyAccess`: the log is read-only for everyone, its paging button must
                            // work for readers too, and the server decides who may see it.
                            <Route path=path!("/familie/:id/tilgangslogg") view=|| later(access_log_screen)/>
                            <Route path=path!("/familie/:id/mote") view=|| view! { <FamilyAccess here=Here::NewMeeting creates=true><NewMeeting/></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/mote/:mid") view=|| view! { <FamilyAccess here=Here::Meeting><OnDevice param="mid"><EditMeeting/></OnDevice></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/duk/ny") view=|| view! { <FamilyAccess here=Here::NewCloth creates=true>{later(new_cloth_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/duk/:cid") view=|| view! { <FamilyAccess here=Here::Cloth><OnDevice param="cid">{later(cloth_screen)}</OnDevice></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/duk/:cid/rediger") view=|| view! { <FamilyAccess here=Here::EditCloth><OnDevice param="cid">{later(edit_cloth_screen)}</OnDevice></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/rangering") view=|| view! { <FamilyAccess here=Here::Ratings>{later(ratings_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/rangering/:rid") view=|| view! { <FamilyAccess here=Here::Round><OnDevice param="rid">{later(round_screen)}</OnDevice></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/rangering/:rid/vurdering/:mid") view=|| view! { <FamilyAccess here=Here::PartnerView><OnDevice param="rid">{later(partner_rating_screen)}</OnDevice></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/forlop") view=|| view! { <FamilyAccess here=Here::Course>{later(course_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/inntak") view=|| view! { <FamilyAccess here=Here::Intake>{later(intake_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/nettverk") view=|| view! { <FamilyAccess here=Here::Network>{later(network_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/arbeidsplan") view=|| view! { <FamilyAccess here=Here::Plans>{later(plans_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/arbeidsplan/:pid") view=|| view! { <FamilyAccess here=Here::Plan><OnDevice param="pid">{later(plan_screen)}</OnDevice></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/rapport") view=|| view! { <FamilyAccess here=Here::Reports>{later(reports_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/rapport/:rid") view=|| view! { <FamilyAccess here=Here::Report records=&[Kind::Evaluation]><OnDevice param="rid">{later(report_screen)}</OnDevice></FamilyAccess> }/>
                            <Route path=path!("/familie/:id/saksevaluering") view=|| view! { <FamilyAccess here=Here::CaseReviews records=&[Kind::CaseReview]>{later(case_reviews_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/bekymring") view=|| view! { <FamilyAccess here=Here::Concerns>{later(concerns_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/papirer") view=|| view! { <FamilyAccess here=Here::Papers>{later(papers_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/papirer/rangering") view=|| view! { <FamilyAccess here=Here::Paper>{later(paper_screen)}</FamilyAccess> }/>
                            <Route path=path!("/familie/:id/papirer/:kind/:pid") view=|| view! { <FamilyAccess here=Here::Paper>{later(paper_screen)}</FamilyAccess> }/>
                            <Route path=path!("/skjemaer") view=|| later(forms_screen)/>
                            <Route path=path!("/konflikter") view=|| later(conflicts_screen)/>
                            <Route path=path!("/ikke-sendt") view=|| later(held_screen)/>
                            <Route path=path!("/enheter") view=|| later(devices_screen)/>
                        </Routes>
                    }.into_any(),
                }}
            </main>
        </Router>
    }
}

/// Opens the local store, loads its records into memory, then starts syncing.
/// Opens the local store. The data stays sealed until the user unlocks (or logs in).
async fn open(core: Core) {
    let opened = async {
        let store = duken_store::Store::open(DB_NAME).await?;
        let meta = store.meta().await?;
        Ok::<_, duken_store::StoreError>((store, meta))
    };
    match opened.await {
        Ok((store, meta)) => {
            set_store(store);
            core.device.set(Some(meta.device));
            core.session.set(restore().await);
            core.ready.set(Readiness::Ready);
            ask_persistent_storage();
            watch_idle(core);
        }
        Err(e) => core.ready.set(Readiness::Failed(e.to_string())),
    }
}

/// Asks the browser not to evict our data under storage pressure.
fn ask_persistent_storage() {
    if let Some(w) = web_sys::window() {
        // The promise settles on its own; the answer changes nothing we do.
        let _ = w.navigator().storage().persist();
    }
}

fn register_service_worker() {
    let Some(w) = web_sys::window() else { return };
    let sw = w.navigator().service_worker();
    if sw.is_undefined() || !sw.is_instance_of::<web_sys::ServiceWorkerContainer>() {
        return;
    }
    let _ = sw.register("/sw.js");
}
