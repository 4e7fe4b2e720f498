//! «Skjemaer»: the rating forms the team uses. A team leader copies a form and edits its
//! questions, labels and scale without code; saving makes a new version on the server, and
//! every answer already given keeps the version it was given with.

use duken_domain::account::Role;
use duken_domain::rating::{unique_code, Audience, Item, RatingTemplate};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::use_core;
use crate::sync::client::Api;

/// A copy's code, from its name, not used by any form this device knows.
fn copy_code(name: &str, taken: &[RatingTemplate]) -> String {
    unique_code(name, |c| taken.iter().any(|t| t.code == c))
}

crate::later::screens! { ratings:
    forms_screen => view! { <FormsPage/> },
}

#[component]
fn FormsPage() -> impl IntoView {
    let core = use_core();
    let leader = move || {
        core.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| matches!(s.user.role, Role::Teamleder | Role::Admin))
        })
    };
    let draft = RwSignal::new(None::<(RatingTemplate, bool)>);
    let message = RwSignal::new(None::<String>);
    let forms = Memo::new(move |_| {
        let team = core.rating_templates.get();
        let mut all: Vec<(RatingTemplate, bool)> = duken_domain::rating::builtin()
            .into_iter()
            .map(|t| (t, true))
            .collect();
        all.extend(team.into_iter().map(|t| (t, false)));
        all
    });
    view! {
        <section class="page forms-page">
            <h1>"Skjemaer"</h1>
            <p class="lead">"Rangeringsskjemaene teamet bruker. Nye runder får den nyeste versjonen; svar som alt er gitt, beholder skjemaet de ble gitt med."</p>
            {move || (!leader()).then(|| view! { <p class="meta">"Bare teamledere kan endre skjemaene."</p> })}
            {move || message.get().map(|m| view! { <p class="saved" role="status">{m}</p> })}
            <Show when=move || draft.with(Option::is_some) fallback=move || view! {
                <ul class="cards">
                    {move || forms.get().into_iter().map(|(t, builtin)| {
                        let copy = t.clone();
                        let edit = t.clone();
                        view! {
                            <li class="card form-card" data-form=t.code.clone()>
                                <div class="card-body">
                                    <h2>{t.name.clone()}</h2>
                                    <p class="meta">{format!(
                                        "{} · {} spørsmål · skala {}–{}{} · versjon {} · {}",
                                        t.audience.label(), t.items.len(), t.scale.min, t.scale.max,
                                        if t.scale.faces { " med fjes" } else { "" }, t.version,
                                        if builtin { "følger med Duken" } else { "teamets eget" },
                                    )}</p>
                                    <details>
                                        <summary>"Se spørsmålene"</summary>
                                        <ol>{t.items.iter().map(|i| view! { <li>{i.label.clone()}</li> }).collect_view()}</ol>
                                    </details>
                                    <Show when=leader>
                                        <div class="row">
                                            {
                                                let copy = copy.clone();
                                                view! {
                                                    <button type="button" class="button" on:click=move |_| {
                                                        let mut c = copy.clone();
                                                        c.name = format!("{} (kopi)", c.name);
                                                        message.set(None);
                                                        draft.set(Some((c, true)));
                                                    }>"Kopier og rediger"</button>
                                                }
                                            }
                                            {(!builtin).then(|| {
                                                let edit = edit.clone();
                                                view! {
                                                    <button type="button" class="button" on:click=move |_| {
                                                        message.set(None);
                                                        draft.set(Some((edit.clone(), false)));
                                                    }>"Rediger"</button>
                                                }
                                            })}
                                        </div>
                                    </Show>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }>
                <FormEditor draft=draft message=message/>
            </Show>
        </section>
    }
}

/// Edits the draft in place; «Lagre» sends it to the server, which numbers the version.
#[component]
fn FormEditor(
    draft: RwSignal<Option<(RatingTemplate, bool)>>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let core = use_core();
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let new_item = RwSignal::new(String::new());
    let edit = move |f: &dyn Fn(&mut RatingTemplate)| {
        draft.update(|d| {
            if let Some((t, _)) = d {
                f(t);
            }
        })
    };
    let get = move |f: &dyn Fn(&RatingTemplate) -> String| {
        draft.with(|d| d.as_ref().map(|(t, _)| f(t)).unwrap_or_default())
    };
    let is_copy = move || draft.with(|d| d.as_ref().is_some_and(|(_, c)| *c));
    let keys = move || {
        draft.with(|d| {
            d.as_ref()
                .map(|(t, _)| t.items.iter().map(|i| i.key.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let number = |v: String| v.trim().parse::<u8>().ok();
    let save = move |_| {
        let Some((mut t, copy)) = draft.get_untracked() else {
            return;
        };
        if copy {
            t.code = copy_code(&t.name, &core.available_rating_templates());
            t.version = 1;
        }
        if let Err(e) = t.check() {
            error.set(Some(format!("Kan ikke lagre: {e}.")));
            return;
        }
        saving.set(true);
        error.set(None);
        spawn_local(async move {
            match Api::save_rating_template(&t).await {
                Ok(saved) => {
                    let mut team = core.rating_templates.get_untracked();
                    team.retain(|x| x.code != saved.code);
                    team.push(saved.clone());
                    let cloths = core.templates.get_untracked();
                    if let Err(e) = crate::sync::keep_templates(core, cloths, team).await {
                        error.set(Some(crate::text::sentence(&e)));
                    }
                    message.set(Some(format!("Lagret: {}, versjon {}.", saved.name, saved.version)));
                    draft.set(None);
                }
                Err(e) => error.set(Some(format!(
                    "Skjemaet ble ikke lagret: {e}. Endringene står fortsatt her; prøv igjen når du har nett."
                ))),
            }
            saving.set(false);
        });
    };
    view! {
        <form class="form-editor" on:submit=|ev| ev.prevent_default()>
            <h2>{move || if is_copy() { "Ny kopi" } else { "Ny versjon" }}</h2>
            <label>
                <span>"Navn på skjemaet"</span>
                <input name="form-name" maxlength="200" prop:value=move || get(&|t| t.name.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); edit(&|t| t.name = v.clone()) }/>
            </label>
            <label>
                <span>"For"</span>
                <select name="form-audience" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(&|t| if let Some(a) = Audience::parse(&v) { t.audience = a })
                }>
                    {[Audience::Adult, Audience::Child].into_iter().map(|a| view! {
                        <option value=a.code() selected=move || get(&|t| t.audience.code().to_owned()) == a.code()>{a.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <fieldset class="scale-editor">
                <legend>"Skala"</legend>
                <label><span>"Fra"</span><input type="number" name="scale-min" min="0" max="9" prop:value=move || get(&|t| t.scale.min.to_string())
                    on:change=move |ev| { let v = number(event_target_value(&ev)); edit(&|t| if let Some(n) = v { t.scale.min = n }) }/></label>
                <label><span>"Til"</span><input type="number" name="scale-max" min="1" max="10" prop:value=move || get(&|t| t.scale.max.to_string())
                    on:change=move |ev| { let v = number(event_target_value(&ev)); edit(&|t| if let Some(n) = v { t.scale.max = n }) }/></label>
                <label class="inline"><input type="checkbox" name="scale-faces" prop:checked=move || draft.with(|d| d.as_ref().is_some_and(|(t, _)| t.scale.faces))
                    on:change=move |ev| { let on = event_target_checked(&ev); edit(&|t| t.scale.faces = on) }/>" Fjes i stedet for tall (høyst 5 trinn)"</label>
                <label><span>"Lavest betyr"</span><input name="scale-low" maxlength="200" prop:value=move || get(&|t| t.scale.low.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); edit(&|t| t.scale.low = v.clone()) }/></label>
                <label><span>"Høyest betyr"</span><input name="scale-high" maxlength="200" prop:value=move || get(&|t| t.scale.high.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); edit(&|t| t.scale.high = v.clone()) }/></label>
            </fieldset>
            <label>
                <span>"Det personen får lese først"</span>
                <textarea name="form-intro" rows="3" maxlength="600" prop:value=move || get(&|t| t.intro.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); edit(&|t| t.intro = v.clone()) }></textarea>
            </label>
            <label class="inline"><input type="checkbox" name="form-comments" prop:checked=move || draft.with(|d| d.as_ref().is_some_and(|(t, _)| t.comments))
                on:change=move |ev| { let on = event_target_checked(&ev); edit(&|t| t.comments = on) }/>" Kommentarfelt til hvert spørsmål"</label>
            <h3>"Spørsmål"</h3>
            <ol class="item-editor">
                <For each=keys key=|k| k.clone() children=move |key| {
                    let k1 = key.clone();
                    let k2 = key.clone();
                    let k3 = key.clone();
                    let k4 = key.clone();
                    let k5 = key.clone();
                    let k6 = key.clone();
                    let k7 = key.clone();
                    let pos = move |t: &RatingTemplate, k: &str| t.items.iter().position(|i| i.key == k);
                    view! {
                        <li class="item-row" data-item=key.clone()>
                            <input name="item-label" aria-label="Spørsmål" maxlength="200"
                                prop:value=move || get(&|t| t.item(&k1).map(|i| i.label.clone()).unwrap_or_default())
                                on:change=move |ev| { let v = event_target_value(&ev); edit(&|t| if let Some(p) = pos(t, &k2) { t.items[p].label = v.clone() }) }/>
                            <input name="item-group" aria-label="Overskrift (valgfri)" placeholder="Overskrift (valgfri)" maxlength="200"
                                prop:value=move || get(&|t| t.item(&k3).and_then(|i| i.group.clone()).unwrap_or_default())
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    edit(&|t| if let Some(p) = pos(t, &k4) { t.items[p].group = (!v.trim().is_empty()).then(|| v.clone()) })
                                }/>
                            <button type="button" class="button quiet" aria-label="Flytt opp" on:click=move |_| edit(&|t| if let Some(p) = pos(t, &k5).filter(|p| *p > 0) { t.items.swap(p, p - 1) })>"↑"</button>
                            <button type="button" class="button quiet" aria-label="Flytt ned" on:click=move |_| edit(&|t| if let Some(p) = pos(t, &k6).filter(|p| *p + 1 < t.items.len()) { t.items.swap(p, p + 1) })>"↓"</button>
                            <button type="button" class="button danger-inline" on:click=move |_| edit(&|t| t.items.retain(|i| i.key != k7))>"Fjern"</button>
                        </li>
                    }
                }/>
            </ol>
            <div class="row">
                <input name="new-item" aria-label="Nytt spørsmål" placeholder="Nytt spørsmål" maxlength="200" prop:value=move || new_item.get() on:input=move |ev| new_item.set(event_target_value(&ev))/>
                <button type="button" class="button" on:click=move |_| {
                    let label = new_item.get_untracked().trim().to_owned();
                    if label.is_empty() {
                        error.set(Some("Skriv spørsmålet først.".into()));
                        return;
                    }
                    edit(&|t| {
                        let key = t.new_key(&label);
                        let group = t.items.last().and_then(|i| i.group.clone());
                        t.items.push(Item { key, label: label.clone(), group });
                    });
                    new_item.set(String::new());
                    error.set(None);
                }>"Legg til spørsmål"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions">
                <button type="button" class="button primary" disabled=move || saving.get() on:click=save>
                    {move || if saving.get() { "Lagrer …" } else { "Lagre skjemaet" }}
                </button>
                <button type="button" class="button" on:click=move |_| draft.set(None)>"Avbryt"</button>
            </div>
        </form>
    }
}
