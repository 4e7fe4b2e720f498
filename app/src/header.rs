//! The shell's header: its sync indicator: saved on device / syncing / N waiting / offline / conflict.

use duken_domain::waiting;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::conflicts::conflict_count;
use crate::core::use_core;
use crate::sync::{now, use_sync, Activity};

#[component]
pub fn SyncStatus() -> impl IntoView {
    let sync = use_sync();
    let core = use_core();
    let conflicts = Memo::new(move |_| conflict_count(core));
    let state = move || match (sync.activity.get(), sync.waiting.get()) {
        (Activity::Syncing { .. }, _) => "syncing",
        (Activity::Offline, _) => "offline",
        (Activity::Refused(_), _) => "refused",
        (Activity::LoggedOut, _) => "logged-out",
        (Activity::Idle, 0) => "saved",
        (Activity::Idle, _) => "waiting",
    };
    // The waiting changes as the things the user made ("4 skjema og 1 duk"): a later change
    // of a note or a goal names its cloth or plan only in the records.
    let things = Memo::new(move |_| {
        let mut all = sync.waiting_things.get();
        for w in &mut all {
            if w.parent.is_none() {
                let Some(field) = waiting::parent_field(w.kind) else {
                    continue;
                };
                w.parent = core
                    .record(w.record)
                    .and_then(|r| r.text(field).and_then(|s| uuid::Uuid::parse_str(s).ok()));
            }
        }
        waiting::words(&all)
    });
    let text = move || {
        let waiting = sync.waiting.get();
        let what = match (waiting, things.get()) {
            (0, _) => None,
            (_, Some(words)) => Some(words),
            (1, None) => Some("1 endring".to_owned()),
            (n, None) => Some(format!("{n} endringer")),
        };
        let venter = what
            .as_ref()
            .map(|w| format!(" · {w} venter"))
            .unwrap_or_default();
        match sync.activity.get() {
            Activity::Syncing { done, total } if total > 0 => {
                format!("Synkroniserer … {} %", done * 100 / total.max(1))
            }
            Activity::Syncing { .. } => "Synkroniserer …".to_owned(),
            Activity::Offline => format!("Frakoblet{venter}"),
            Activity::Refused(msg) => format!("Serveren avviste en endring: {msg}"),
            Activity::LoggedOut => format!("Logg inn for å synkronisere{venter}"),
            Activity::Idle if waiting > 0 => format!("{} venter", what.unwrap_or_default()),
            Activity::Idle => "Lagret på enheten og synkronisert".to_owned(),
        }
    };
    let progress = move || match sync.activity.get() {
        Activity::Syncing { done, total } if total > 0 => Some(view! {
            <progress max=total.to_string() value=done.to_string() aria-label="Synkronisering"></progress>
        }),
        _ => None,
    };
    view! {
        <div class="sync" data-sync=state data-waiting=move || sync.waiting.get().to_string() role="status" aria-live="polite">
            <button class="sync-text" on:click=move |_| now() title=move || format!("{} (trykk for å synkronisere nå)", text())>
                <span class="dot" aria-hidden="true"></span>
                <span class="sync-words">{text}</span>
            </button>
            {progress}
            <Show when=move || { sync.held.get() > 0 }>
                <A href="/ikke-sendt" attr:class="conflict-badge held-badge" attr:data-held=move || sync.held.get().to_string()>
                    {move || match sync.held.get() { 1 => "1 endring ikke sendt".to_owned(), n => format!("{n} endringer ikke sendt") }}
                </A>
            </Show>
            <Show when=move || { conflicts.get() > 0 }>
                <A href="/konflikter" attr:class="conflict-badge" attr:data-conflicts=move || conflicts.get().to_string()>
                    {move || match conflicts.get() { 1 => "1 konflikt".to_owned(), n => format!("{n} konflikter") }}
                </A>
            </Show>
        </div>
    }
}
