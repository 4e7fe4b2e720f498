//! Duken's front end: Leptos (CSR) on wasm32. See docs/architecture.md for the map.

mod account;
mod agenda;
mod app;
mod cloth;
mod conflicts;
mod core;
mod evaluations;
mod families;
mod header;
mod intake;
mod later;
mod lock;
mod meetings;
mod modes;
mod network;
mod papers;
mod plans;
mod ratings;
mod reports;
mod shared_screen;
mod sync;
mod text;
mod timeline;
mod ui;
mod values;
mod wipe;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
