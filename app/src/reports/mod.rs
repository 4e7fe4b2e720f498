//! The report before each 3-monthly evaluation (rapportmal): drafted from the family's records
//! (`duken_domain::report::compose`), the partner writes the sections, reads it with the family
//! (also on the shared screen), records their comment, and finalises it, which freezes what it
//! says. A correction is a new version; the old one is kept. The contact person reads it on
//! their own device and records the evaluation below it.

pub mod document;
pub mod words;

use duken_domain::dates::{iso_date, parse_date};
use duken_domain::family::Family;
use duken_domain::report::{builtin, compose, current_versions, section_field, FamilyFile, Report};
use duken_domain::vocab;
use duken_domain::Kind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::core::{list_of, new_writes, save, save_fields, text_or_null, use_core, Core};
use crate::evaluations::{evaluations_of, EvaluationForm};
use crate::families::members_of;
use crate::ui::{norwegian_date, param_uuid, today, vocab_options, MembersPresent, SingleChoice};
use document::{report_document, Document};

crate::later::screens! { reports:
    reports_screen => view! { <ReportsPage/> },
    report_screen => view! { <ReportPage/> },
}

/// A report as the family reads it on the shared screen, in the family's language.
#[crate::later::wasm_split(reports, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn shared_report(family: Uuid, report: Uuid) -> crate::later::Screen {
    Ok(crate::later::Build::new(move || {
        shared_report_view(family, report).into_any()
    }))
}

fn shared_report_view(family: Uuid, report: Uuid) -> impl IntoView {
    let core = use_core();
    move || {
        let lang = core
            .record(family)
            .as_ref()
            .and_then(Family::from_record)
            .map(|f| f.language)
            .unwrap_or_default();
        let doc = core
            .record(report)
            .as_ref()
            .and_then(Report::from_record)
            .filter(|x| x.family == family)
            .map(|x| document_of(core, &x));
        match doc {
            Some(Ok(d)) => report_document(&d, lang).into_any(),
            Some(Err(e)) => view! { <p class="error">{e}</p> }.into_any(),
            None => view! { <p class="empty">"Fant ikke rapporten."</p> }.into_any(),
        }
    }
}

/// Everything of one family the report is composed from (tracked: a draft follows the records).
pub fn family_file(core: Core, family: Uuid) -> FamilyFile {
    core.records.with(|m| FamilyFile::read(family, m.values()))
}

/// The family's reports, every version.
pub fn reports_of(core: Core, family: Uuid) -> Vec<Report> {
    let mut all = list_of(core, family, Report::from_record);
    all.sort_by_key(|r| (r.evaluation, r.version, r.id));
    all
}

/// What the document shows for `report`: what it said when finalised, or the draft as the
/// records stand now (with the time the composition took, for the benchmark's mark).
pub fn document_of(core: Core, report: &Report) -> Result<Document, String> {
    if let Some(f) = &report.frozen {
        return Ok(Document {
            name: f.name.clone(),
            facts: f.facts.clone(),
            sections: f.sections.clone(),
            reading: f.reading.clone(),
            finalised: Some(f.finalised),
            version: f.version,
        });
    }
    let (file, facts) = timed_compose(core, report.family, report.evaluation);
    let facts = facts?;
    Ok(Document {
        name: report.layout.name.clone(),
        facts,
        sections: report.sections_now(),
        reading: report.reading(&file.members),
        finalised: None,
        version: report.version,
    })
}

/// Gathers the family's records from the device and composes the draft; keeps how long both
/// took (milliseconds) in the page's `dukenReportComposeMs` list, which the benchmark reads.
fn timed_compose(
    core: Core,
    family: Uuid,
    evaluation: u8,
) -> (FamilyFile, Result<duken_domain::report::Facts, String>) {
    let window = web_sys::window();
    let perf = window.as_ref().and_then(web_sys::Window::performance);
    let start = perf.as_ref().map(web_sys::Performance::now);
    let file = family_file(core, family);
    let facts = compose(&file, evaluation).map_err(|e| e.to_string());
    if let (Some(w), Some(p), Some(t0)) = (window, perf, start) {
        let key = wasm_bindgen::JsValue::from_str("dukenReportComposeMs");
        let list = js_sys::Reflect::get(&w, &key)
            .ok()
            .filter(|v| v.is_object())
            .map(wasm_bindgen::JsCast::unchecked_into::<js_sys::Array>)
            .unwrap_or_else(|| {
                let a = js_sys::Array::new();
                let _ = js_sys::Reflect::set(&w, &key, &a);
                a
            });
        list.push(&(p.now() - t0).into());
    }
    (file, facts)
}

/// Starts the report for `evaluation` with the team's newest report template, or Duken's own.
async fn start_report(core: Core, family: Uuid, evaluation: u8) -> Result<Uuid, String> {
    let template = core
        .report_templates
        .get_untracked()
        .pop()
        .or_else(|| builtin().into_iter().next())
        .ok_or_else(|| "Fant ingen rapportmal.".to_owned())?;
    let id = Uuid::now_v7();
    save(
        core,
        id,
        Kind::Report,
        family,
        new_writes(vec![
            ("evaluation", json!(evaluation)),
            ("layout", json!(template.to_json())),
            ("version", json!(1)),
        ]),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(id)
}

/// A correction of a finished report: a new version with the same sections to edit.
async fn correct(core: Core, old: &Report, why: &str) -> Result<Uuid, String> {
    if why.trim().is_empty() {
        return Err("Skriv kort hva som skal rettes.".to_owned());
    }
    let id = Uuid::now_v7();
    let mut writes: Vec<(String, Value)> = vec![
        ("evaluation".into(), json!(old.evaluation)),
        ("layout".into(), json!(old.layout.to_json())),
        ("version".into(), json!(old.version + 1)),
        ("previous".into(), json!(old.id.to_string())),
        ("correction".into(), json!(why.trim())),
    ];
    // The text as it was finalised, to start the correction from.
    if let Some(f) = &old.frozen {
        for s in &f.sections {
            if !s.text.is_empty() {
                writes.push((section_field(&s.key), json!(s.text)));
            }
        }
    }
    let refs: Vec<(&str, Value)> = writes
        .iter()
        .map(|(f, v)| (f.as_str(), v.clone()))
        .collect();
    save(core, id, Kind::Report, old.family, new_writes(refs))
        .await
        .map_err(|e| e.to_string())?;
    Ok(id)
}

/// Where a report stands, in a word.
fn status(r: &Report) -> String {
    match (r.finalised, r.read_on) {
        (Some(d), _) => format!("Ferdigstilt {} (versjon {})", norwegian_date(d), r.version),
        (None, Some(d)) => format!("Lest med familien {}, ikke ferdigstilt", norwegian_date(d)),
        (None, None) => "Utkast".to_owned(),
    }
}

/// `/familie/:id/rapport`: a report per evaluation of the family's course.
#[component]
fn ReportsPage() -> impl IntoView {
    let core = use_core();
    let family = param_uuid("id");
    let query = use_query_map();
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    view! {
        {move || {
            let Some(f) = family() else {
                return view! { <section class="page"><p class="error">"Fant ikke familien."</p></section> }.into_any();
            };
            let fam = Memo::new(move |_| core.record(f).as_ref().and_then(Family::from_record));
            let timeline = Memo::new(move |_| {
                fam.get().and_then(|x| x.course(&evaluations_of(core, f))).map(|c| c.timeline())
            });
            let reports = Memo::new(move |_| reports_of(core, f));
            let wanted = move || query.read().get("evaluering").and_then(|s| s.parse::<u8>().ok());
            let navigate = navigate.clone();
            view! {
                <section class="page reports">
                    <h1>"Rapporter"</h1>
                    <p class="meta"><A href=format!("/familie/{f}")>{move || fam.get().map(|x| x.name)}</A></p>
                    <p class="hint">"Rapporten skrives før hver evaluering av tiltaksplanen, leses med familien og ferdigstilles før møtet med kontaktpersonen."</p>
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    {move || match timeline.get() {
                        None => view! { <p class="empty">"Familien har ingen startdato ennå, så rapportperiodene kan ikke regnes ut. Sett den under «Rediger» på familien."</p> }.into_any(),
                        Some(t) => {
                            let navigate = navigate.clone();
                            view! {
                                <ul class="cards" data-testid="reports">
                                    {(1..=t.evaluations.len() as u8).map(|n| {
                                        let (from, until) = t.report_period(n).unwrap_or((t.end, t.end));
                                        let last = until.pred_opt().unwrap_or(until).max(from);
                                        let navigate = navigate.clone();
                                        let current = Memo::new(move |_| {
                                            reports.with(|all| {
                                                let mine: Vec<Report> = all.iter().filter(|r| r.evaluation == n).cloned().collect();
                                                current_versions(&mine).first().map(|r| (*r).clone())
                                            })
                                        });
                                        let start = move |_| {
                                            if busy.get_untracked() { return; }
                                            busy.set(true);
                                            let navigate = navigate.clone();
                                            spawn_local(async move {
                                                match start_report(core, f, n).await {
                                                    Ok(id) => navigate(&format!("/familie/{f}/rapport/{id}"), Default::default()),
                                                    Err(e) => error.set(Some(e)),
                                                }
                                                busy.set(false);
                                            });
                                        };
                                        view! {
                                            <li class="card" class:wanted=move || wanted() == Some(n) data-evaluation=n.to_string()>
                                                <h2>{format!("Rapport før evaluering {n}")}</h2>
                                                <p class="meta">{format!("Perioden {} – {} · evaluering {}", norwegian_date(from), norwegian_date(last), norwegian_date(until))}</p>
                                                {move || match current.get() {
                                                    Some(r) => view! {
                                                        <p class="meta" data-testid="report-state">{status(&r)}</p>
                                                        <A href=format!("/familie/{f}/rapport/{}", r.id) attr:class="button">"Åpne rapporten"</A>
                                                    }.into_any(),
                                                    None if core.may_write(f, Kind::Report) => view! {
                                                        <p class="meta" data-testid="report-state">"Ikke startet"</p>
                                                        <button type="button" class="button primary" disabled=move || busy.get() on:click=start.clone()>"Start rapporten"</button>
                                                    }.into_any(),
                                                    None => view! { <p class="meta" data-testid="report-state">"Ikke startet"</p> }.into_any(),
                                                }}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </section>
            }.into_any()
        }}
    }
}

/// `/familie/:id/rapport/:rid`.
#[component]
fn ReportPage() -> impl IntoView {
    let family = param_uuid("id");
    let rid = param_uuid("rid");
    view! {
        {move || match (family(), rid()) {
            (Some(f), Some(r)) => view! { <ReportView family=f id=r/> }.into_any(),
            _ => view! { <section class="page"><p class="error">"Fant ikke rapporten."</p></section> }.into_any(),
        }}
    }
}

#[component]
fn ReportView(family: Uuid, id: Uuid) -> impl IntoView {
    let core = use_core();
    let report = Memo::new(move |_| core.record(id).as_ref().and_then(Report::from_record));
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<&'static str>);
    let writes = Memo::new(move |_| core.may_write(family, Kind::Report));
    let newer = Memo::new(move |_| {
        reports_of(core, family)
            .into_iter()
            .find(|r| r.previous == Some(id))
            .map(|r| (r.id, r.version))
    });
    let doc = Memo::new(move |_| report.get().map(|r| document_of(core, &r)));
    let lang = Memo::new(move |_| {
        core.record(family)
            .as_ref()
            .and_then(Family::from_record)
            .map(|f| f.language)
            .unwrap_or_default()
    });
    let finalise = move |_| {
        let Some(r) = report.get_untracked() else {
            return;
        };
        let file = family_file(core, family);
        let facts = match compose(&file, r.evaluation) {
            Ok(f) => f,
            Err(e) => {
                error.set(Some(crate::text::sentence(&e)));
                return;
            }
        };
        match r.finalise(facts, &file.members, today()) {
            Err(e) => error.set(Some(crate::text::sentence(&e))),
            Ok(frozen) => {
                let Some(seen) = core.record(id) else { return };
                spawn_local(async move {
                    let values = vec![
                        ("finalised", json!(iso_date(frozen.finalised))),
                        ("frozen", json!(frozen.to_json())),
                    ];
                    match save_fields(core, &seen, values).await {
                        Ok(()) => {
                            error.set(None);
                            saved.set(Some("Rapporten er ferdigstilt. Det den sier nå, endres ikke av senere registreringer."));
                        }
                        Err(e) => error.set(Some(crate::text::sentence(&e))),
                    }
                });
            }
        }
    };
    let why = RwSignal::new(String::new());
    let navigate_fix = navigate.clone();
    let make_correction = move |_| {
        let Some(r) = report.get_untracked() else {
            return;
        };
        let reason = why.get_untracked();
        let navigate = navigate_fix.clone();
        spawn_local(async move {
            match correct(core, &r, &reason).await {
                Ok(new) => navigate(
                    &format!("/familie/{family}/rapport/{new}"),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page report-page">
            {move || report.get().map(|r| view! {
                <h1>{format!("Rapport før evaluering {}", r.evaluation)}</h1>
                <p class="meta">
                    <A href=format!("/familie/{family}")>{move || core.record(family).and_then(|x| x.text("name").map(str::to_owned))}</A>
                    " · "<A href=format!("/familie/{family}/rapport")>"Alle rapporter"</A>
                    " · "<span data-testid="report-page-state">{status(&r)}</span>
                </p>
                {(r.previous.is_some()).then(|| view! {
                    <p class="notice" role="note">{format!("Rettet versjon {}: {}", r.version, r.correction)}</p>
                })}
            })}
            {move || newer.get().map(|(nid, v)| view! {
                <p class="notice" role="note">"Denne versjonen er rettet. "<A href=format!("/familie/{family}/rapport/{nid}")>{format!("Se versjon {v}")}</A></p>
            })}
            {move || saved.get().map(|s| view! { <p class="saved" role="status">{s}</p> })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            // A reader (team leader, contact person) reads the draft below; the partner writes.
            {move || report.get().filter(|r| !r.is_final() && writes.get()).map(|r| view! {
                <SectionsForm family=family report=r.clone() saved=saved error=error/>
                <ReadingForm family=family report=r saved=saved error=error/>
                <fieldset class="plain" disabled=move || !writes.get()>
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| crate::modes::share_report(core, family, id)>"Les med familien på delt skjerm"</button>
                        <button type="button" class="button primary" on:click=finalise>"Ferdigstill rapporten"</button>
                    </div>
                </fieldset>
            })}
            {move || report.get().filter(|r| r.is_final()).map(|_| view! {
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| crate::modes::share_report(core, family, id)>"Vis på delt skjerm"</button>
                    <A href=format!("/familie/{family}/papirer/rapport/{id}") attr:class="button">"Skriv ut eller lagre som PDF"</A>
                </div>
            })}
            <div class="report-preview">
                {move || match doc.get() {
                    Some(Ok(d)) => report_document(&d, lang.get()).into_any(),
                    Some(Err(e)) => view! { <p class="error">{e}</p> }.into_any(),
                    None => view! { <p class="empty">"Fant ikke rapporten på denne enheten."</p> }.into_any(),
                }}
            </div>
            {move || report.get().filter(|r| r.is_final() && newer.get().is_none() && writes.get()).map(|_| view! {
                <fieldset class="plain correction">
                    <legend>"Rette rapporten"</legend>
                    <p class="hint">"En ferdig rapport endres ikke. En rettet versjon lages ved siden av, og den gamle beholdes."</p>
                    <label>"Hva skal rettes?"<textarea name="correction" rows="2" bind:value=why></textarea></label>
                    <button type="button" class="button" on:click=make_correction.clone()>"Lag rettet versjon"</button>
                </fieldset>
            })}
            {move || report.get().filter(Report::is_final).map(|r| view! {
                <EvaluationForm family=family number=r.evaluation report=Some(r.id)/>
            })}
        </section>
    }
}

/// Saves what changed of `values` in the report `seen`, then says `done` (or why not).
fn spawn_save(
    core: Core,
    seen: duken_domain::Record,
    values: Vec<(String, Value)>,
    done: &'static str,
    saved: RwSignal<Option<&'static str>>,
    error: RwSignal<Option<String>>,
) {
    spawn_local(async move {
        let refs: Vec<(&str, Value)> = values
            .iter()
            .map(|(f, v)| (f.as_str(), v.clone()))
            .collect();
        match save_fields(core, &seen, refs).await {
            Ok(()) => {
                error.set(None);
                saved.set(Some(done));
            }
            Err(e) => error.set(Some(crate::text::sentence(&e))),
        }
    });
}

/// The partner's narrative, a textarea per section of the report's own template.
#[component]
fn SectionsForm(
    family: Uuid,
    report: Report,
    saved: RwSignal<Option<&'static str>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let core = use_core();
    let id = report.id;
    let fields: Vec<(String, String, Option<String>, RwSignal<String>)> = report
        .layout
        .sections
        .iter()
        .map(|s| {
            (
                s.key.clone(),
                s.title.nb.clone(),
                s.help.as_ref().map(|h| h.nb.clone()),
                RwSignal::new(report.text_of(&s.key).to_owned()),
            )
        })
        .collect();
    let values: Vec<(String, RwSignal<String>)> =
        fields.iter().map(|(k, _, _, v)| (k.clone(), *v)).collect();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(seen) = core.record(id) else { return };
        let writes: Vec<(String, Value)> = values
            .iter()
            .map(|(k, v)| (section_field(k), text_or_null(&v.get_untracked())))
            .collect();
        spawn_save(
            core,
            seen,
            writes,
            "Teksten er lagret på enheten.",
            saved,
            error,
        );
    };
    view! {
        <form class="report-sections" on:submit=on_submit autocomplete="off">
            <fieldset class="plain" disabled=move || !core.may_write(family, Kind::Report)>
                <h2>"Familiepartnerens vurdering"</h2>
                {fields.into_iter().map(|(key, title, help, value)| view! {
                    <label class="section-text">
                        <span class="label">{title}</span>
                        {help.map(|h| view! { <span class="hint">{h}</span> })}
                        <textarea name=section_field(&key) rows="5" bind:value=value></textarea>
                    </label>
                }).collect_view()}
                <div class="actions"><button type="submit" class="button primary">"Lagre teksten"</button></div>
            </fieldset>
        </form>
    }
}

/// When the report was read with the family, who was there, the family's comment and whether
/// they agree.
#[component]
fn ReadingForm(
    family: Uuid,
    report: Report,
    saved: RwSignal<Option<&'static str>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let core = use_core();
    let id = report.id;
    let members = members_of(core, family);
    let date = RwSignal::new(iso_date(report.read_on.unwrap_or_else(today)));
    let present = RwSignal::new(report.read_present.clone());
    let others = RwSignal::new(report.read_others.join(", "));
    let comment = RwSignal::new(report.family_comment.clone());
    let agrees = RwSignal::new(report.agrees.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(day) = parse_date(&date.get_untracked()) else {
            error.set(Some(
                "Skriv inn datoen rapporten ble lest med familien.".into(),
            ));
            return;
        };
        let Some(seen) = core.record(id) else { return };
        let others: Vec<String> = others
            .get_untracked()
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let values = vec![
            ("read_on", json!(iso_date(day))),
            (
                "read_present",
                json!(present
                    .get_untracked()
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()),
            ),
            ("read_others", json!(others)),
            ("family_comment", text_or_null(&comment.get_untracked())),
            (
                "agrees",
                agrees.get_untracked().map_or(Value::Null, Value::String),
            ),
        ];
        let values = values.into_iter().map(|(f, v)| (f.to_owned(), v)).collect();
        spawn_save(
            core,
            seen,
            values,
            "Lesingen med familien er lagret på enheten.",
            saved,
            error,
        );
    };
    view! {
        <form class="report-reading" on:submit=on_submit autocomplete="off">
            <fieldset class="plain" disabled=move || !core.may_write(family, Kind::Report)>
                <h2>"Lest med familien"</h2>
                <label>"Dato"<input name="read-on" type="date" bind:value=date/></label>
                <MembersPresent legend="Hvem fra familien var til stede?" name="read-present" members=members present=present/>
                <label>"Andre til stede (skill med komma)"<input name="read-others" type="text" bind:value=others/></label>
                <label>"Familiens kommentar, med deres egne ord"<textarea name="family-comment" rows="3" bind:value=comment></textarea></label>
                <SingleChoice legend="Er familien enig i rapporten?" name="agrees" options=vocab_options(vocab::AGREES) selected=agrees/>
                <div class="actions"><button type="submit" class="button primary">"Lagre lesingen"</button></div>
            </fieldset>
        </form>
    }
}
