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

pub use duken_domain::dates::norwegian_date;

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

/// Which family members were there: a checkbox per member (`name` is the inputs' name, each
/// input's value the member's name).
#[component]
pub fn MembersPresent(
    legend: &'static str,
    name: &'static str,
    members: Vec<duken_domain::family::Member>,
    present: RwSignal<Vec<uuid::Uuid>>,
) -> impl IntoView {
    view! {
        <fieldset class="checks">
            <legend>{legend}</legend>
            {members.into_iter().map(|m| {
                let mid = m.id;
                view! {
                    <label class="check">
                        <input type="checkbox" name=name value=m.name.clone()
                            prop:checked=move || present.with(|p| p.contains(&mid))
                            on:change=move |_| present.update(|p| match p.iter().position(|x| *x == mid) {
                                Some(i) => { p.remove(i); }
                                None => p.push(mid),
                            })/>
                        {m.name.clone()}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

pub fn vocab_options(choices: &[duken_domain::vocab::Choice]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|c| (c.code.to_owned(), c.label.to_owned()))
        .collect()
}

/// Shows a page about the record named by the address parameter `param` once that record is
/// on this device, and follows it as it arrives: a link opened on a fresh device shows the
/// page as soon as the first sync brings the record, without a reload.
#[component]
pub fn OnDevice(param: &'static str, children: ChildrenFn) -> impl IntoView {
    use leptos::prelude::*;
    let core = crate::core::use_core();
    let sync = crate::sync::use_sync();
    let id = param_uuid(param);
    // Only whether it is here: the page below is built once, when it arrives.
    let here = Memo::new(move |_| {
        id().is_some_and(|id| {
            core.records
                .with(|m| m.get(&id).is_some_and(|r| !r.is_deleted()))
        })
    });
    let children = StoredValue::new(children);
    view! {
        <Show when=move || here.get() fallback=move || view! {
            <section class="page" data-testid="not-here">
                {move || if matches!(sync.activity.get(), crate::sync::Activity::Syncing { .. }) {
                    view! { <p class="empty" role="status">"Henter fra serveren … Siden vises når den er kommet til denne enheten."</p> }.into_any()
                } else {
                    view! { <p class="error" role="status">"Finnes ikke på denne enheten (ennå). Den kommer med neste synkronisering hvis du har tilgang til den."</p> }.into_any()
                }}
                <leptos_router::components::A href="/">"Til familiene"</leptos_router::components::A>
            </section>
        }>
            {children.with_value(|c| c())}
        </Show>
    }
}

/// A moment (Unix seconds) as «27.11.2026 kl. 17:30» in the device's own time zone (in
/// Norway, Norwegian time, summer time included): the browser knows the zone, the server not.
pub fn local_time(at: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64 * 1000.0));
    format!(
        "{:02}.{:02}.{:04} kl. {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Shows `children` once every record is in memory after an unlock, and until then how far the
/// reading has come: the family list shows from its own records first, every other screen
/// waits for the rest (decision 65), so none of them says "nothing here" about a meeting that
/// is only not read yet.
#[component]
pub fn AllRead(children: ChildrenFn) -> impl IntoView {
    use leptos::prelude::*;
    let core = crate::core::use_core();
    // Only whether, not how far: the page below is built once, when all is read.
    let reading = Memo::new(move |_| core.reading.with(Option::is_some));
    let children = StoredValue::new(children);
    view! {
        <Show when=move || !reading.get() fallback=|| view! { <section class="page"><ReadingRest/></section> }>
            {children.with_value(|c| c())}
        </Show>
    }
}

/// How far reading the records after an unlock has come, in words and as a bar.
#[component]
pub fn ReadingRest() -> impl IntoView {
    use leptos::prelude::*;
    let core = crate::core::use_core();
    let words = move || match core.reading.get() {
        Some((done, total)) if total > 0 => {
            format!("Åpner resten av dataene på enheten … {done} av {total}")
        }
        _ => "Åpner resten av dataene på enheten …".to_owned(),
    };
    view! {
        <div class="reading-rest" data-testid="reading-rest">
            <p class="empty" role="status">{words}</p>
            <progress
                aria-label="Åpner dataene på enheten"
                max=move || core.reading.get().map_or(1, |(_, total)| total.max(1))
                value=move || core.reading.get().map_or(0, |(done, _)| done)
            ></progress>
        </div>
    }
}
