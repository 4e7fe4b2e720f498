//! Read-only screens for those who read a family but may not change it (a team leader, a
//! contact person): the same rule the server applies (`Core::access`, from
//! `duken_domain::access`), so no screen offers an edit the server would refuse.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::crumbs::{FamilyCrumbs, Here};
use crate::core::use_core;
use crate::ui::AllRead;

/// What a reader is told at the top of a family's screens.
pub const READ_ONLY_NOTICE: &str =
    "Du har lesetilgang til denne familien: du kan se alt, men ikke endre noe.";
/// What a user whose access was taken away is told (the data already on the device stays).
pub const NO_ACCESS_NOTICE: &str =
    "Du har ikke lenger tilgang til denne familien. Det som ligger på enheten kan leses, men ikke endres.";
/// What a contact person is told on a screen where they record the evaluations.
pub const RECORDS_EVALUATIONS_NOTICE: &str =
    "Du har lesetilgang til denne familien. Her kan du registrere evalueringene dere gjør sammen med familiepartneren.";
/// Where a reader lands on a screen that only makes something new.
pub const READ_ONLY_CREATE: &str =
    "Du har lesetilgang til denne familien og kan ikke legge til noe her.";

/// Wraps a screen of the family in the address (`:id`). For a reader every control inside is
/// disabled (a disabled fieldset) and links marked `data-edit` are hidden; `creates`: the
/// screen only makes something new, and a reader gets a short explanation instead. `records`:
/// kinds of record this screen makes that a reader may still write (a contact person's
/// evaluations, `duken_domain::access::may_write`); for such a reader the controls stay on and
/// the screen disables its other parts itself, by the same rule (`Core::may_write`). Every
/// family page starts with the same trail (`FamilyCrumbs`): the family's name and the way back.
#[component]
pub fn FamilyAccess(
    /// Which page of the family this is, for the trail at the top.
    #[prop(optional)]
    here: Here,
    #[prop(optional)] creates: bool,
    #[prop(optional)] records: &'static [duken_domain::Kind],
    children: ChildrenFn,
) -> impl IntoView {
    let core = use_core();
    let params = use_params_map();
    let family = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    });
    let read_only = Memo::new(move |_| family.get().is_some_and(|f| !core.can_write(f)));
    let records_some = Memo::new(move |_| {
        family
            .get()
            .is_some_and(|f| records.iter().any(|k| core.may_write(f, *k)))
    });
    let gone = Memo::new(move |_| {
        family
            .get()
            .is_some_and(|f| core.access(f) == duken_domain::access::Access::None)
    });
    let children = StoredValue::new(children);
    view! {
        <FamilyCrumbs here=here/>
        <Show when=move || !(creates && read_only.get()) fallback=move || view! {
            <section class="page"><p class="notice read-only" role="note">{READ_ONLY_CREATE}</p></section>
        }>
            {move || read_only.get().then(|| view! {
                <p class="notice read-only" role="note" data-testid="read-only">
                    {move || if gone.get() { NO_ACCESS_NOTICE } else if records_some.get() { RECORDS_EVALUATIONS_NOTICE } else { READ_ONLY_NOTICE }}
                </p>
            })}
            <fieldset class="plain" disabled=move || read_only.get() && !records_some.get() data-read-only=move || read_only.get().to_string()>
                <AllRead>{children.with_value(|c| c())}</AllRead>
            </fieldset>
        </Show>
    }
}
