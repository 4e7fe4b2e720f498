//! Small building blocks shared by the screens: choice chips with large touch targets, dates.

use chrono::NaiveDate;
use leptos::prelude::*;

/// Today's date on this device.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// 2026-11-23 → "23.11.2026", as Norwegians write dates.
pub fn norwegian_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// One choice among several, as buttons (one tap, no dropdown on a phone).
#[component]
pub fn SingleChoice(
    legend: &'static str,
    options: Vec<(String, String)>,
    selected: RwSignal<Option<String>>,
    #[prop(optional)] name: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="chips" data-field=name>
            <legend>{legend}</legend>
            {options
                .into_iter()
                .map(|(code, label)| {
                    let c1 = code.clone();
                    let c2 = code.clone();
                    view! {
                        <button
                            type="button"
                            class="chip"
                            data-code=code
                            aria-pressed=move || (selected.get().as_deref() == Some(c1.as_str())).to_string()
                            on:click=move |_| {
                                let c = c2.clone();
                                selected.update(|s| {
                                    *s = if s.as_deref() == Some(c.as_str()) { None } else { Some(c) };
                                });
                            }
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Any number of choices, as toggle buttons.
#[component]
pub fn MultiChoice(
    legend: &'static str,
    options: Vec<(String, String)>,
    selected: RwSignal<Vec<String>>,
    #[prop(optional)] name: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="chips" data-field=name>
            <legend>{legend}</legend>
            {options
                .into_iter()
                .map(|(code, label)| {
                    let c1 = code.clone();
                    let c2 = code.clone();
                    view! {
                        <button
                            type="button"
                            class="chip"
                            data-code=code
                            aria-pressed=move || selected.with(|s| s.contains(&c1)).to_string()
                            on:click=move |_| {
                                let c = c2.clone();
                                selected.update(|s| {
                                    if let Some(i) = s.iter().position(|x| *x == c) {
                                        s.remove(i);
                                    } else {
                                        s.push(c);
                                    }
                                });
                            }
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

pub fn vocab_options(choices: &[duken_domain::vocab::Choice]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|c| (c.code.to_owned(), c.label.to_owned()))
        .collect()
}
