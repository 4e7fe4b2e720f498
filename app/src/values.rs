//! How stored values read to a person, and the history of a record's fields.

use duken_domain::cloth::{Cloth, Speaker, Template};
use duken_domain::record::DELETED;
use duken_domain::schema::{fields, spec, FieldType};
use duken_domain::vocab::label;
use duken_domain::{Kind, Record};
use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use crate::cloth::speaker_name;
use crate::core::{use_core, Core};
use crate::families::members_of;

/// A value of `record`'s `field` as a person reads it.
pub fn display(core: Core, record: &Record, field: &str, value: &Value) -> String {
    if value.is_null() {
        return "(tomt)".into();
    }
    if let Some(text) = cloth_value(core, record, field, value) {
        return text;
    }
    let Some(spec) = spec(record.kind, field) else {
        return value.to_string();
    };
    match spec.ty {
        FieldType::Choice(choices) => value
            .as_str()
            .and_then(|c| label(choices, c))
            .unwrap_or("?")
            .into(),
        FieldType::Choices(choices) => value
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().and_then(|c| label(choices, c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        FieldType::Ids => value
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|id| id.as_str().and_then(|s| Uuid::parse_str(s).ok()))
                    .filter_map(|id| {
                        core.record(id)
                            .and_then(|r| r.text("name").map(str::to_owned))
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        FieldType::Texts { .. } => value
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        FieldType::Bool => if value.as_bool() == Some(true) {
            "Ja"
        } else {
            "Nei"
        }
        .into(),
        _ => value
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string()),
    }
}

/// Where a note sits and who said it, in the words of its cloth (not the stored codes).
fn cloth_value(core: Core, record: &Record, field: &str, value: &Value) -> Option<String> {
    let code = value.as_str()?;
    match (record.kind, field) {
        (Kind::Note, "section" | "row") => {
            let cloth = core
                .record(record.id_of("cloth")?)
                .as_ref()
                .and_then(Cloth::from_record)?;
            let lang = cloth.language;
            let label = if field == "section" {
                cloth
                    .layout
                    .section(code)
                    .map(|s| s.label.get(lang).to_owned())
            } else {
                cloth.layout.row(code).map(|r| r.label.get(lang).to_owned())
            };
            label.or_else(|| Some(code.to_owned()))
        }
        (Kind::Note, "by") => {
            let speaker = Speaker::parse(code)?;
            Some(speaker_name(&members_of(core, record.family), &speaker))
        }
        (Kind::Cloth, "layout") => Template::parse(code).ok().map(|t| t.name.nb),
        (Kind::Rating, "form") => duken_domain::rating::RatingTemplate::parse(code)
            .ok()
            .map(|t| format!("{}, versjon {}", t.name, t.version)),
        _ => None,
    }
}

/// Every value that was replaced in this record, so a person can see that nothing was lost.
#[component]
pub fn FieldHistory(record: Uuid) -> impl IntoView {
    let core = use_core();
    let rows = Memo::new(move |_| {
        let Some(r) = core.record(record) else {
            return Vec::new();
        };
        fields(r.kind)
            .iter()
            .filter(|spec| spec.name != DELETED)
            .filter_map(|spec| r.fields.get(spec.name).map(|f| (spec, f)))
            .flat_map(|(spec, f)| {
                f.history()
                    .into_iter()
                    .map(|w| (spec.label, display(core, &r, spec.name, &w.value)))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    });
    view! {
        <Show when=move || rows.with(|r| !r.is_empty())>
            <details class="history">
                <summary>{move || format!("Tidligere verdier ({})", rows.with(Vec::len))}</summary>
                <ul>
                    {move || rows.get().into_iter().map(|(field, value)| view! {
                        <li><span class="meta">{field}": "</span>{value}</li>
                    }).collect_view()}
                </ul>
            </details>
        </Show>
    }
}
