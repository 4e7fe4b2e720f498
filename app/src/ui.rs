//! Small building blocks shared by the screens: choice chips with large touch targets, dates.

use chrono::NaiveDate;
use leptos::prelude::*;

/// A UUID route parameter (`None` when missing or malformed: the page says it found nothing).
pub fn param_uuid(key: &'static str) -> impl Fn() -> Option<uuid::Uuid> + Copy {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get(key)
            .and_then(|s| uuid::Uuid::parse_str(&s).ok())
    }
}

/// Today's date on this device.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub use duken_domain::family::norwegian_date;

/// Choices as toggle buttons with large touch targets (one tap, no dropdown on a phone).
fn chips(
    legend: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    is_on: impl Fn(&str) -> bool + Copy + Send + Sync + 'static,
    toggle: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <fieldset class="chips" data-field=name>
            <legend>{legend}</legend>
            {options
                .into_iter()
                .map(|(code, label)| {
                    let on = code.clone();
                    let tap = code.clone();
                    view! {
                        <button
                            type="button"
                            class="chip"
                            data-code=code
                            aria-pressed=move || is_on(&on).to_string()
                            on:click=move |_| toggle(tap.clone())
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// One choice among several; tapping the chosen one again clears it.
#[component]
pub fn SingleChoice(
    legend: &'static str,
    options: Vec<(String, String)>,
    selected: RwSignal<Option<String>>,
    #[prop(optional)] name: &'static str,
) -> impl IntoView {
    chips(
        legend,
        name,
        options,
        move |c| selected.with(|s| s.as_deref() == Some(c)),
        move |c| {
            selected.update(|s| {
                *s = if s.as_deref() == Some(c.as_str()) {
                    None
                } else {
                    Some(c)
                }
            })
        },
    )
}

/// Any number of choices.
#[component]
pub fn MultiChoice(
    legend: &'static str,
    options: Vec<(String, String)>,
    selected: RwSignal<Vec<String>>,
    #[prop(optional)] name: &'static str,
) -> impl IntoView {
    chips(
        legend,
        name,
        options,
        move |c| selected.with(|s| s.iter().any(|x| x == c)),
        move |c| {
            selected.update(|s| match s.iter().position(|x| *x == c) {
                Some(i) => {
                    s.remove(i);
                }
                None => s.push(c),
            })
        },
    )
}

pub fn vocab_options(choices: &[duken_domain::vocab::Choice]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|c| (c.code.to_owned(), c.label.to_owned()))
        .collect()
}
