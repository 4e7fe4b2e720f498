//! Conflicts: when two devices changed the same field at once, every device shows the same
//! winner and keeps the other value here until someone chooses. Beside them, in [`held`],
//! the changes the server refused for good.

mod held;

pub use held::held_screen;

crate::later::screens! { conflicts:
    conflicts_screen => view! { <ConflictsPage/> },
}

use duken_domain::schema::{spec, FieldType};
use duken_domain::{FieldWrite, Kind, Record, Version};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::core::{save, use_core, Core};
use crate::values::display;

pub fn conflict_count(core: Core) -> usize {
    core.conflicted.with(|s| s.len())
}

/// A date field as Norwegians write it (dd.mm.åååå), or empty.
fn date_of(r: &Record, field: &str) -> String {
    r.text(field)
        .and_then(duken_domain::dates::parse_date)
        .map(crate::ui::norwegian_date)
        .unwrap_or_default()
}

pub(crate) fn describe(core: Core, r: &Record) -> String {
    let family = core
        .record(r.family)
        .and_then(|f| f.text("name").map(str::to_owned))
        .unwrap_or_default();
    match r.kind {
        Kind::Family => family,
        Kind::Member => format!("{} ({family})", r.text("name").unwrap_or("Person")),
        Kind::Meeting => format!("Møte {} ({family})", date_of(r, "date")),
        Kind::Cloth => format!("Duk {} ({family})", date_of(r, "date")),
        Kind::Note => format!("Lapp «{}» ({family})", r.text("text").unwrap_or("")),
        Kind::Agreement => format!("Avtale: {} ({family})", r.text("what").unwrap_or("")),
        Kind::Round => format!("Rangeringsrunde {} ({family})", date_of(r, "date")),
        Kind::Rating => format!("Rangeringsskjema ({family})"),
        Kind::Plan => format!("Arbeidsplan ({family})"),
        Kind::Goal => format!("Mål: {} ({family})", r.text("text").unwrap_or("")),
        Kind::Task => format!("Oppgave: {} ({family})", r.text("what").unwrap_or("")),
        Kind::Contact => format!("{} ({family})", r.text("name").unwrap_or("Kontakt")),
        Kind::Consent => format!("Samtykke ({family})"),
        Kind::Visit => format!("Hjemmebesøk {} ({family})", date_of(r, "date")),
        Kind::Report => format!(
            "Rapport før evaluering {} ({family})",
            r.int("evaluation").unwrap_or(0)
        ),
        Kind::Evaluation => format!(
            "Evaluering av tiltaksplanen {} ({family})",
            date_of(r, "date")
        ),
        Kind::CaseReview => format!("Saksevaluering {} ({family})", date_of(r, "date")),
        Kind::Concern => format!("Bekymring {} ({family})", date_of(r, "date")),
    }
}

#[derive(Clone, PartialEq)]
struct Open {
    record: Record,
    field: String,
    current: (Version, Value),
    others: Vec<(Version, Value)>,
}

fn open_conflicts(core: Core) -> Vec<Open> {
    core.records.with(|m| {
        let mut out = Vec::new();
        for r in m.values().filter(|r| r.has_conflicts()) {
            for (name, f) in &r.fields {
                let others: Vec<(Version, Value)> = f
                    .conflicts()
                    .iter()
                    .map(|w| (w.version, w.value.clone()))
                    .collect();
                if let (Some(cur), false) = (f.current(), others.is_empty()) {
                    out.push(Open {
                        record: r.clone(),
                        field: name.clone(),
                        current: (cur.version, cur.value.clone()),
                        others,
                    });
                }
            }
        }
        out.sort_by(|a, b| a.record.id.cmp(&b.record.id).then(a.field.cmp(&b.field)));
        out
    })
}

/// Settles a conflict with `value`: based on the current winner, resolving every other value.
async fn resolve(core: Core, open: Open, value: Value) -> Result<(), String> {
    let write = FieldWrite {
        field: open.field.clone(),
        value,
        base: Some(open.current.0),
        resolves: open.others.iter().map(|(v, _)| *v).collect(),
    };
    save(
        core,
        open.record.id,
        open.record.kind,
        open.record.family,
        vec![write],
    )
    .await
    .map_err(|e| e.to_string())
}

#[component]
fn ConflictsPage() -> impl IntoView {
    let core = use_core();
    let list = Memo::new(move |_| open_conflicts(core));
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="page narrow">
            <h1>"Konflikter"</h1>
            <p class="lead">"Samme felt ble endret på to enheter samtidig. Alle enheter viser den samme verdien; den andre er tatt vare på her. Velg hva som skal gjelde."</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Show when=move || list.with(|l| !l.is_empty()) fallback=|| view! { <p class="empty">"Ingen konflikter."</p> }>
                <ul class="cards conflicts">
                    {move || list.get().into_iter().map(|open| {
                        let kind = open.record.kind;
                        let field_label = spec(kind, &open.field).map(|s| s.label).unwrap_or("Felt");
                        let is_text = matches!(spec(kind, &open.field).map(|s| s.ty), Some(FieldType::Text { .. }));
                        let current_text = display(core, &open.record, &open.field, &open.current.1);
                        let merged = RwSignal::new({
                            let mut parts = vec![current_text.clone()];
                            parts.extend(open.others.iter().map(|(_, v)| display(core, &open.record, &open.field, v)));
                            parts.join(" / ")
                        });
                        let keep = open.clone();
                        let write_merged = open.clone();
                        view! {
                            <li class="card conflict" data-field=open.field.clone()>
                                <h2>{describe(core, &open.record)}" – "{field_label}</h2>
                                <div class="choice-row">
                                    <span class="value current" data-testid="conflict-current">{current_text.clone()}</span>
                                    <button class="button" on:click=move |_| {
                                        let o = keep.clone();
                                        let v = o.current.1.clone();
                                        spawn_local(async move { if let Err(e) = resolve(core, o, v).await { error.set(Some(e)); } });
                                    }>"Behold denne"</button>
                                </div>
                                {open.others.iter().map(|(_, v)| {
                                    let o = open.clone();
                                    let v = v.clone();
                                    let text = display(core, &open.record, &open.field, &v);
                                    view! {
                                        <div class="choice-row">
                                            <span class="value other" data-testid="conflict-other">{text}</span>
                                            <button class="button" on:click=move |_| {
                                                let o = o.clone();
                                                let v = v.clone();
                                                spawn_local(async move { if let Err(e) = resolve(core, o, v).await { error.set(Some(e)); } });
                                            }>"Bruk denne"</button>
                                        </div>
                                    }
                                }).collect_view()}
                                {is_text.then(|| view! {
                                    <label>"Eller skriv en sammenslått verdi"
                                        <textarea name="merged" rows="2" autocomplete="off" bind:value=merged></textarea>
                                    </label>
                                    <button class="button primary" on:click=move |_| {
                                        let o = write_merged.clone();
                                        let v = Value::String(merged.get_untracked().trim().to_owned());
                                        spawn_local(async move { if let Err(e) = resolve(core, o, v).await { error.set(Some(e)); } });
                                    }>"Lagre sammenslått verdi"</button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
