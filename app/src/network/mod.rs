//! Nettverk og tjenester: the people around the family (relation, trusted person or not, how to
//! reach them), the services (school, kindergarten, NAV, helsestasjon, GP, housing office,
//! other) with a contact and the family's experience, and per child the child's own wishes
//! about each service (kartlegging av tjenester overfor barna).

use duken_domain::family::Role;
use duken_domain::network::{wish_field, Contact};
use duken_domain::record::DELETED;
use duken_domain::{vocab, Kind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::core::{list_of, save_fields, spawn_create, spawn_save_fields, text_or_null, use_core};
use crate::families::members_of;
use crate::ui::{param_uuid, vocab_options, SingleChoice};

fn contacts(core: crate::core::Core, family: Uuid, people: bool) -> Vec<Contact> {
    let mut all = list_of(core, family, Contact::from_record);
    all.retain(|c| c.is_person() == people);
    all.sort_by(|a, b| {
        (
            a.involved.as_deref() != Some("now"),
            &a.category,
            a.name.to_lowercase(),
        )
            .cmp(&(
                b.involved.as_deref() != Some("now"),
                &b.category,
                b.name.to_lowercase(),
            ))
    });
    all
}

crate::later::screens! { network:
    network_screen => view! { <NetworkPage/> },
}

#[component]
fn NetworkPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    // Only whether the family is here: the page is not rebuilt on every edit.
    let found = Memo::new(move |_| family().filter(|id| core.records.with(|m| m.contains_key(id))));
    view! {
        {move || match found.get() {
            None => view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any(),
            Some(f) => view! {
                <section class="page network">
                    <h1>"Nettverk og tjenester"</h1>
                    <p class="meta"><A href=format!("/familie/{f}")>{move || core.record(f).and_then(|r| r.text("name").map(str::to_owned))}</A></p>
                    <h2>"Personer rundt familien"</h2>
                    <ContactList family=f people=true/>
                    <h2>"Tjenester"</h2>
                    <ContactList family=f people=false/>
                    <ChildWishes family=f/>
                </section>
            }.into_any(),
        }}
    }
}

/// "Mormor · Kontakt: 911 11 111", leaving out what is not set.
fn contact_meta(c: &Contact) -> String {
    let mut parts = Vec::new();
    if !c.relation.is_empty() {
        parts.push(c.relation.clone());
    }
    if let Some(l) = c
        .involved
        .as_deref()
        .and_then(|i| vocab::label(vocab::INVOLVEMENT, i))
    {
        parts.push(format!("Involvert: {}", l.to_lowercase()));
    }
    if !c.reach.is_empty() {
        parts.push(format!("Kontakt: {}", c.reach));
    }
    parts.join(" · ")
}

/// People in the network (`people`) or services, with a form to add one.
#[component]
pub fn ContactList(family: Uuid, people: bool) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let list = Memo::new(move |_| contacts(core, family, people));
    let editing = RwSignal::new(None::<Uuid>);
    view! {
        <Show when=move || list.with(|l| !l.is_empty()) fallback=move || view! {
            <p class="empty">{if people { "Ingen personer registrert ennå." } else { "Ingen tjenester registrert ennå." }}</p>
        }>
            <ul class="cards contacts" data-testid=if people { "people" } else { "services" }>
                {move || list.get().into_iter().map(|c| {
                    let id = c.id;
                    if editing.get() == Some(id) {
                        return view! {
                            <li class="card contact" data-name=c.name.clone()>
                                <ContactForm family=family people=people error=error contact=c.clone() editing=editing/>
                            </li>
                        }.into_any();
                    }
                    view! {
                        <li class="card contact" data-name=c.name.clone()>
                            <h3>{c.name.clone()}
                                {(!people).then(|| view! { <span class="meta">{format!(" · {}", c.category_label())}</span> })}
                                {c.trusted.then(|| view! { <span class="badge">"Tillitsperson"</span> })}
                            </h3>
                            <p class="meta">{contact_meta(&c)}</p>
                            {(!c.experience.is_empty()).then(|| view! { <p class="note">"Familiens erfaring: "{c.experience.clone()}</p> })}
                            <div class="row">
                                <button type="button" class="button small" on:click=move |_| editing.set(Some(id))>"Rediger"</button>
                                <button type="button" class="button small danger" on:click=move |_| spawn_save_fields(core, id, vec![(DELETED, json!(true))], error)>"Fjern"</button>
                            </div>
                        </li>
                    }.into_any()
                }).collect_view()}
            </ul>
        </Show>
        <ContactForm family=family people=people error=error/>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
}

/// A new person or service (`people` tells which), or changing one (`contact`).
#[component]
fn ContactForm(
    family: Uuid,
    people: bool,
    error: RwSignal<Option<String>>,
    #[prop(optional)] contact: Option<Contact>,
    /// Set back to `None` when an edit is saved or cancelled.
    #[prop(optional)]
    editing: Option<RwSignal<Option<Uuid>>>,
) -> impl IntoView {
    let core = use_core();
    let id = contact.as_ref().map(|c| c.id);
    let text =
        |f: fn(&Contact) -> &String| contact.as_ref().map(|c| f(c).clone()).unwrap_or_default();
    let name = RwSignal::new(text(|c| &c.name));
    let relation = RwSignal::new(text(|c| &c.relation));
    let trusted = RwSignal::new(contact.as_ref().is_some_and(|c| c.trusted));
    let reach = RwSignal::new(text(|c| &c.reach));
    let category = RwSignal::new(contact.as_ref().map(|c| c.category.clone()));
    let involved = RwSignal::new(match &contact {
        Some(c) => c.involved.clone(),
        None => Some("now".to_owned()),
    });
    let experience = RwSignal::new(text(|c| &c.experience));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        let cat = if people {
            Some("person".to_owned())
        } else {
            category.get_untracked()
        };
        let Some(cat) = cat else {
            error.set(Some("Velg hvilken tjeneste det er.".into()));
            return;
        };
        if n.trim().is_empty() {
            error.set(Some(
                if people {
                    "Skriv navnet på personen."
                } else {
                    "Skriv navnet på tjenesten, f.eks. skolens navn."
                }
                .into(),
            ));
            return;
        }
        let mut values = vec![
            ("category", json!(cat)),
            ("name", json!(n.trim())),
            ("reach", text_or_null(&reach.get_untracked())),
        ];
        if people {
            values.push(("relation", text_or_null(&relation.get_untracked())));
            values.push(("trusted", json!(trusted.get_untracked())));
        } else {
            values.push((
                "involved",
                involved.get_untracked().map_or(Value::Null, |i| json!(i)),
            ));
            values.push(("experience", text_or_null(&experience.get_untracked())));
        }
        match id {
            Some(id) => {
                spawn_save_fields(core, id, values, error);
                if let Some(e) = editing {
                    e.set(None);
                }
            }
            None => {
                spawn_create(core, Kind::Contact, family, values, error);
                name.set(String::new());
                relation.set(String::new());
                trusted.set(false);
                reach.set(String::new());
                category.set(None);
                experience.set(String::new());
            }
        }
    };
    let service_options: Vec<(String, String)> = vocab_options(vocab::CONTACT_CATEGORIES)
        .into_iter()
        .filter(|(c, _)| c != "person")
        .collect();
    let testid = match (people, id.is_some()) {
        (_, true) => "contact-edit",
        (true, false) => "person-form",
        (false, false) => "service-form",
    };
    view! {
        <form class="contact-form" on:submit=on_submit data-testid=testid>
            {(!people).then(|| view! { <SingleChoice legend="Tjeneste" name="service-category" options=service_options.clone() selected=category/> })}
            <label>"Navn"<input type="text" name="contact-name" bind:value=name/></label>
            {people.then(|| view! {
                <label>"Relasjon"<input type="text" name="contact-relation" bind:value=relation placeholder="f.eks. mormor, nabo, trener"/></label>
                <label class="check"><input type="checkbox" name="contact-trusted" prop:checked=move || trusted.get() on:change=move |ev| trusted.set(event_target_checked(&ev))/>"Tillitsperson"</label>
            })}
            <label>{if people { "Hvordan nå dem" } else { "Kontaktperson / telefon" }}<input type="text" name="contact-reach" bind:value=reach/></label>
            {(!people).then(|| view! {
                <SingleChoice legend="Involvert" name="service-involved" options=vocab_options(vocab::INVOLVEMENT) selected=involved/>
                <label>"Familiens erfaring med tjenesten"<textarea name="contact-experience" rows="2" bind:value=experience></textarea></label>
            })}
            <div class="row">
                <button type="submit" class="button primary">{match (people, id.is_some()) {
                    (_, true) => "Lagre",
                    (true, false) => "Legg til person",
                    (false, false) => "Legg til tjeneste",
                }}</button>
                {editing.map(|e| view! { <button type="button" class="button" on:click=move |_| e.set(None)>"Avbryt"</button> })}
            </div>
        </form>
    }
}

/// Per child, per service: the child's own wishes about cooperation with it.
#[component]
fn ChildWishes(family: Uuid) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let children = Memo::new(move |_| {
        let mut m = members_of(core, family);
        m.retain(|m| m.role == Role::Child);
        m
    });
    // Only the set of services, so typing a wish does not rebuild the text boxes.
    let services = Memo::new(move |_| {
        contacts(core, family, false)
            .into_iter()
            .map(|c| (c.id, c.category_label(), c.name))
            .collect::<Vec<_>>()
    });
    view! {
        <h2>"Barnas ønsker om tjenestene"</h2>
        <p class="hint">"Kartlegging av tjenester overfor barna: snakk med barnet om tjenestene rundt det, og skriv barnets egne ønsker om samarbeidet."</p>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || {
            let svc = services.get();
            children.get().into_iter().map(|child| {
                let svc = svc.clone();
                view! {
                    <section class="child-wishes" data-child=child.name.clone()>
                        <h3>{child.name.clone()}</h3>
                        {if svc.is_empty() {
                            view! { <p class="empty">"Legg til tjenestene først."</p> }.into_any()
                        } else {
                            svc.into_iter().map(|(id, label, name)| {
                                let field = wish_field(child.id);
                                // Read once: a sync arriving while a child's words are typed must not wipe them.
                                let current = core.records.with_untracked(|m| m.get(&id).and_then(|r| r.text(&field).map(str::to_owned))).unwrap_or_default();
                                let text = RwSignal::new(current);
                                let save = move |_| {
                                    let Some(seen) = core.record(id) else { return };
                                    let field = wish_field(child.id);
                                    let value = text_or_null(&text.get_untracked());
                                    spawn_local(async move {
                                        if let Err(e) = save_fields(core, &seen, vec![(field.as_str(), value)]).await {
                                            error.set(Some(crate::text::sentence(&e)));
                                        }
                                    });
                                };
                                view! {
                                    <label>{format!("{name} ({label})")}
                                        <textarea name="child-wish" data-service=name.clone() rows="2" bind:value=text on:change=save></textarea>
                                    </label>
                                }
                            }).collect_view().into_any()
                        }}
                    </section>
                }
            }).collect_view()
        }}
    }
}
