//! One page header line for every family page: where you are, with the family's name
//! (Familier › Familien Berg › Duk 02.12.2026), and the same way back everywhere (on a phone
//! only the way back shows: «← Familien Berg»). The pages no longer invent their own back
//! links. Words for the places are here, together.

use duken_domain::dates::parse_date;
use duken_domain::family::Family;
use duken_domain::point::Point;
use duken_domain::Record;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::core::{use_core, Core};
use crate::ui::norwegian_date;

/// Which family page this is; pages under another (a round under the ratings) name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Here {
    #[default]
    Family,
    EditFamily,
    AccessLog,
    NewMeeting,
    Meeting,
    NewCloth,
    Cloth,
    EditCloth,
    Ratings,
    Round,
    PartnerView,
    Course,
    Intake,
    Network,
    Plans,
    Plan,
    Reports,
    Report,
    CaseReviews,
    Concerns,
    Papers,
    Paper,
}

/// One step of the trail: its words, and where it leads (none for the page you are on).
type Crumb = (String, Option<String>);

fn record_date(r: &Record) -> String {
    r.text("date")
        .and_then(parse_date)
        .map(norwegian_date)
        .unwrap_or_default()
}

/// The words for a record of the address (`param`), or `fallback` while it is not on the device.
fn named(core: Core, id: Option<Uuid>, fallback: &str, name: impl Fn(&Record) -> String) -> String {
    id.and_then(|id| core.record(id))
        .map(|r| name(&r))
        .unwrap_or_else(|| fallback.to_owned())
}

fn trail(core: Core, here: Here, family: Uuid, param: impl Fn(&str) -> Option<Uuid>) -> Vec<Crumb> {
    let to = |path: &str| Some(format!("/familie/{family}{path}"));
    let name = core
        .record(family)
        .as_ref()
        .and_then(Family::from_record)
        .map_or_else(|| "Familien".to_owned(), |f| f.name);
    let mut out: Vec<Crumb> = vec![("Familier".into(), Some("/".into())), (name, to(""))];
    let round = |core: Core| {
        named(core, param("rid"), "Runde", |r| {
            let point = r
                .text("point")
                .and_then(Point::parse)
                .map_or("Runde", |p| p.label());
            format!("Runde: {} {}", point.to_lowercase(), record_date(r))
        })
    };
    let cloth = |core: Core| {
        named(core, param("cid"), "Duk", |r| {
            format!("Duk {}", record_date(r))
        })
    };
    let mut push = |words: String, href: Option<String>| out.push((words, href));
    match here {
        Here::Family => {}
        Here::EditFamily => push("Rediger familien".into(), None),
        Here::AccessLog => push("Tilgangslogg".into(), None),
        Here::NewMeeting => push("Logg møte".into(), None),
        Here::Meeting => push(
            named(core, param("mid"), "Møte", |r| {
                format!("Møte {}", record_date(r))
            }),
            None,
        ),
        Here::NewCloth => push("Ny duk".into(), None),
        Here::Cloth => push(cloth(core), None),
        Here::EditCloth => {
            let cid = param("cid").map(|c| c.to_string()).unwrap_or_default();
            push(cloth(core), to(&format!("/duk/{cid}")));
            push("Rediger".into(), None);
        }
        Here::Ratings => push("Rangering og fremgang".into(), None),
        Here::Round => {
            push("Rangering og fremgang".into(), to("/rangering"));
            push(round(core), None);
        }
        Here::PartnerView => {
            let rid = param("rid").map(|c| c.to_string()).unwrap_or_default();
            push("Rangering og fremgang".into(), to("/rangering"));
            push(round(core), to(&format!("/rangering/{rid}")));
            push("Din vurdering".into(), None);
        }
        Here::Course => push("Forlengelse og plassering".into(), None),
        Here::Intake => push("Inntakssamtale".into(), None),
        Here::Network => push("Nettverk og tjenester".into(), None),
        Here::Plans => push("Arbeidsplaner".into(), None),
        Here::Plan => {
            push("Arbeidsplaner".into(), to("/arbeidsplan"));
            push(
                named(core, param("pid"), "Arbeidsplan", |r| {
                    r.int("period").map_or_else(
                        || "Arbeidsplan".to_owned(),
                        |p| format!("Arbeidsplan for periode {}", p + 1),
                    )
                }),
                None,
            );
        }
        Here::Reports => push("Rapporter".into(), None),
        Here::Report => {
            push("Rapporter".into(), to("/rapport"));
            push(
                named(core, param("rid"), "Rapport", |r| {
                    r.int("evaluation").map_or_else(
                        || "Rapport".to_owned(),
                        |n| format!("Rapport før evaluering {n}"),
                    )
                }),
                None,
            );
        }
        Here::CaseReviews => push("Saksevalueringer".into(), None),
        Here::Concerns => push("Bekymringer".into(), None),
        Here::Papers => push("Familiens papirer".into(), None),
        Here::Paper => {
            push("Familiens papirer".into(), to("/papirer"));
            push("Papir".into(), None);
        }
    }
    // The family page itself is the last step there: not a link to itself.
    if here == Here::Family {
        if let Some(last) = out.last_mut() {
            last.1 = None;
        }
    }
    out
}

/// The trail for the family in the address (`:id`).
#[component]
pub fn FamilyCrumbs(here: Here) -> impl IntoView {
    let core = use_core();
    let params = use_params_map();
    let param = move |key: &str| {
        params
            .read()
            .get(key)
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let crumbs = Memo::new(move |_| {
        param("id")
            .map(|family| trail(core, here, family, param))
            .unwrap_or_default()
    });
    view! {
        <nav class="crumbs no-print" aria-label="Du er her" data-testid="crumbs">
            <ol>
                {move || {
                    let all = crumbs.get();
                    // The way back: the last step with a link (on a phone the only one shown).
                    let back = all.iter().rposition(|c| c.1.is_some());
                    all.into_iter().enumerate().map(|(i, (words, href))| {
                        let is_back = Some(i) == back;
                        match href {
                            Some(href) => view! { <li class:back=is_back><A href=href>{words}</A></li> }.into_any(),
                            None => view! { <li aria-current="page">{words}</li> }.into_any(),
                        }
                    }).collect_view()
                }}
            </ol>
        </nav>
    }
}
