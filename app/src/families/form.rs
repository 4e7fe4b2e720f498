//! Create or edit a family and the people in its home.

use chrono::Datelike;
use duken_domain::dates::parse_date;
use duken_domain::family::Role;
use duken_domain::record::DELETED;
use duken_domain::{Kind, Record};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::{json, Value};
use uuid::Uuid;

use super::members_of;
use crate::core::{save, use_core, write_if_changed, Core};
use crate::ui::{today, vocab_options, SingleChoice};
use duken_domain::local::check;

#[derive(Clone)]
struct MemberRow {
    id: Uuid,
    /// The member as it was when the form opened (None: new).
    seen: Option<Record>,
    name: RwSignal<String>,
    /// Empty until chosen or proposed from the birth year: there is no default role.
    role: RwSignal<String>,
    /// The partner picked the role (or it was saved before): a birth year no longer moves it.
    role_chosen: RwSignal<bool>,
    birth_year: RwSignal<String>,
    removed: RwSignal<bool>,
}

impl MemberRow {
    fn blank() -> MemberRow {
        MemberRow {
            id: Uuid::now_v7(),
            seen: None,
            name: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            role_chosen: RwSignal::new(false),
            birth_year: RwSignal::new(String::new()),
            removed: RwSignal::new(false),
        }
    }
}

crate::later::screens! { family_form:
    new_family_screen => view! { <NewFamily/> },
    edit_family_screen => view! { <EditFamily/> },
}

#[component]
fn NewFamily() -> impl IntoView {
    let core = use_core();
    view! {
        <Show when=move || core.may_create_families() fallback=|| view! {
            <section class="page narrow">
                <h1>"Ny familie"</h1>
                <p class="notice read-only" role="note">"Det er familiepartneren som legger inn en ny familie. Med din rolle kan du lese familiene du har tilgang til."</p>
                <p><A href="/">"Til familiene"</A></p>
            </section>
        }>
            <FamilyForm family=None/>
        </Show>
    }
}

#[component]
fn EditFamily() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    view! {
        {move || match id() {
            Some(id) => view! { <FamilyForm family=Some(id)/> }.into_any(),
            None => view! { <p class="error">"Fant ikke familien."</p> }.into_any(),
        }}
    }
}

/// What one save of the form writes: (record, kind, writes).
type Plan = Vec<(Uuid, Kind, Vec<duken_domain::FieldWrite>)>;

fn plan(
    family: Uuid,
    seen: Option<&Record>,
    name: &str,
    start: &str,
    language: Option<&str>,
    rows: &[MemberRow],
) -> Result<Plan, String> {
    if name.trim().is_empty() {
        return Err("Skriv inn et navn på familien.".into());
    }
    let start_value = if start.is_empty() {
        Value::Null
    } else {
        parse_date(start).ok_or("Startdatoen er ikke en gyldig dato.")?;
        json!(start)
    };
    let mut out: Plan = Vec::new();
    let writes: Vec<_> = [
        write_if_changed(seen, "name", json!(name.trim())),
        write_if_changed(seen, "start_date", start_value),
        write_if_changed(seen, "language", language.map_or(Value::Null, |l| json!(l))),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.push((family, Kind::Family, writes));
    for (i, row) in rows.iter().enumerate() {
        let seen = row.seen.as_ref();
        if row.removed.get_untracked() {
            if seen.is_some() {
                out.push((
                    row.id,
                    Kind::Member,
                    write_if_changed(seen, DELETED, json!(true))
                        .into_iter()
                        .collect(),
                ));
            }
            continue;
        }
        let name = row.name.get_untracked();
        if name.trim().is_empty() {
            return Err(format!("Person {} mangler navn.", i + 1));
        }
        let role = row.role.get_untracked();
        if Role::parse(&role).is_none() {
            return Err(format!(
                "Velg rolle for {} (forelder, barn eller annen i hjemmet).",
                name.trim()
            ));
        }
        let year = row.birth_year.get_untracked();
        let year_value = if year.trim().is_empty() {
            Value::Null
        } else {
            let y: i64 = year.trim().parse().map_err(|_| {
                format!(
                    "Fødselsår for {} må være et årstall, f.eks. 2018.",
                    name.trim()
                )
            })?;
            let this_year = i64::from(today().year());
            if !(1900..=this_year).contains(&y) {
                return Err(format!(
                    "Fødselsår for {} må være mellom 1900 og {this_year}.",
                    name.trim()
                ));
            }
            json!(y)
        };
        let writes: Vec<_> = [
            write_if_changed(seen, "name", json!(name.trim())),
            write_if_changed(seen, "role", json!(role)),
            write_if_changed(seen, "birth_year", year_value),
        ]
        .into_iter()
        .flatten()
        .collect();
        out.push((row.id, Kind::Member, writes));
    }
    // Check every record first, so a bad value saves nothing.
    for (record, kind, writes) in &out {
        check(*record, *kind, family, writes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[component]
fn FamilyForm(family: Option<Uuid>) -> impl IntoView {
    let core = use_core();
    let navigate = use_navigate();
    let family_id = family.unwrap_or_else(Uuid::now_v7);
    // Snapshot at open: the base of every write (concurrent edits elsewhere become conflicts,
    // never silent overwrites).
    let seen = family.and_then(|id| core.record(id));
    let name = RwSignal::new(
        seen.as_ref()
            .and_then(|r| r.text("name"))
            .unwrap_or_default()
            .to_owned(),
    );
    let start = RwSignal::new(
        seen.as_ref()
            .and_then(|r| r.text("start_date"))
            .unwrap_or_default()
            .to_owned(),
    );
    let language = RwSignal::new(
        seen.as_ref()
            .and_then(|r| r.text("language"))
            .map(str::to_owned),
    );
    let initial_rows: Vec<MemberRow> = if family.is_some() {
        members_of(core, family_id)
            .into_iter()
            .map(|m| MemberRow {
                id: m.id,
                seen: core.record(m.id),
                name: RwSignal::new(m.name),
                role: RwSignal::new(m.role.code().to_owned()),
                role_chosen: RwSignal::new(true),
                birth_year: RwSignal::new(m.birth_year.map(|y| y.to_string()).unwrap_or_default()),
                removed: RwSignal::new(false),
            })
            .collect()
    } else {
        vec![]
    };
    let rows = RwSignal::new(initial_rows);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let seen_for_save = seen.clone();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let plan = match plan(
            family_id,
            seen_for_save.as_ref(),
            &name.get_untracked(),
            &start.get_untracked(),
            language.get_untracked().as_deref(),
            &rows.get_untracked(),
        ) {
            Ok(p) => p,
            Err(msg) => {
                error.set(Some(msg));
                return;
            }
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match save_all(core, family_id, plan).await {
                Ok(()) => navigate(&format!("/familie/{family_id}"), Default::default()),
                Err(msg) => {
                    error.set(Some(msg));
                    busy.set(false);
                }
            }
        });
    };

    let title = if family.is_some() {
        "Rediger familie"
    } else {
        "Ny familie"
    };
    view! {
        <section class="page narrow">
            <h1>{title}</h1>
            <form on:submit=on_submit novalidate autocomplete="off">
                <label>
                    "Navn på familien"
                    <input name="family-name" type="text" required autocomplete="off" bind:value=name placeholder="F.eks. Familien Hansen"/>
                </label>
                <label>
                    "Startdato (inntakssamtale)"
                    <input name="start-date" type="date" autocomplete="off" bind:value=start/>
                </label>
                <SingleChoice legend="Målform for familiens papirer (rapporter og utskrifter)" name="language" options=vocab_options(duken_domain::vocab::LANGUAGES) selected=language/>
                <h2>"Personer i hjemmet"</h2>
                <ul class="member-rows">
                    <For
                        each=move || rows.get()
                        key=|row| row.id
                        children=move |row: MemberRow| {
                            let removed = row.removed;
                            view! {
                                <li class="member-row" class:removed=move || removed.get()>
                                    <label>"Navn"<input name="member-name" type="text" bind:value=row.name autocomplete="off"/></label>
                                    <label>"Fødselsår"
                                        <input name="member-birth-year" type="text" inputmode="numeric" autocomplete="off" placeholder="F.eks. 2018"
                                            prop:value=move || row.birth_year.get()
                                            on:input=move |ev| {
                                                let year = event_target_value(&ev);
                                                // A role not chosen follows the birth year, and says so below.
                                                if !row.role_chosen.get_untracked() {
                                                    let proposed = year.trim().parse().ok()
                                                        .and_then(|y| Role::proposed(y, today().year()));
                                                    row.role.set(proposed.map(|r| r.code().to_owned()).unwrap_or_default());
                                                }
                                                row.birth_year.set(year);
                                            }/>
                                    </label>
                                    <label>"Rolle"
                                        <select name="member-role" prop:value=move || row.role.get()
                                            on:change=move |ev| {
                                                row.role.set(event_target_value(&ev));
                                                row.role_chosen.set(true);
                                            }>
                                            <option value="" disabled=true>"Velg rolle"</option>
                                            {vocab_options(duken_domain::vocab::ROLES).into_iter().map(|(code, label)| {
                                                view! { <option value=code>{label}</option> }
                                            }).collect_view()}
                                        </select>
                                    </label>
                                    <button type="button" class="link" on:click=move |_| removed.update(|r| *r = !*r)>
                                        {move || if removed.get() { "Angre fjerning" } else { "Fjern" }}
                                    </button>
                                    <RoleNote row=row.clone()/>
                                </li>
                            }
                        }
                    />
                </ul>
                <button type="button" class="button" on:click=move |_| rows.update(|r| r.push(MemberRow::blank()))>
                    "Legg til person"
                </button>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || busy.get()>"Lagre"</button>
                </div>
            </form>
        </section>
    }
}

async fn save_all(core: Core, family: Uuid, plan: Plan) -> Result<(), String> {
    for (record, kind, writes) in plan {
        save(core, record, kind, family, writes)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// What the form says about a person's role: that it was proposed from the birth year (never
/// silently), or that the chosen one and the birth year do not go together.
#[component]
fn RoleNote(row: MemberRow) -> impl IntoView {
    let note = move || {
        let year: i32 = row.birth_year.get().trim().parse().ok()?;
        let role = Role::parse(&row.role.get())?;
        let this_year = today().year();
        if row.role_chosen.get() {
            role.doubt(year, this_year).map(|d| (d, "warning"))
        } else {
            Some((
                format!(
                    "Foreslått ut fra fødselsåret ({} år): {}. Velg en annen rolle om det ikke stemmer.",
                    this_year - year,
                    role.label().to_lowercase()
                ),
                "hint",
            ))
        }
    };
    view! {
        <p class="role-note" aria-live="polite" data-testid="role-note">
            {move || note().map(|(text, class)| view! { <span class=class>{text}</span> })}
        </p>
    }
}
