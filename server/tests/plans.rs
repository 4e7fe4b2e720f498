//! The timeline issue's records through the real sync API (on SQLite and PostgreSQL): an
//! intake's visits and consents, the network and a child's wishes, a work plan with a goal and
//! a task pulled from an agreement, an extension and a ticked checkpoint on the family; and the
//! server's refusal of values the domain's rules do not allow, with the field named.

#[macro_use]
mod common;

use common::{change, family_change, Backend, TestServer};
use duken_domain::Kind;
use serde_json::json;
use uuid::Uuid;

on_both!(plans_intake_and_network_round_trip_and_bad_values_are_refused,);

async fn plans_intake_and_network_round_trip_and_bad_values_are_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let family = Uuid::now_v7();
    let (parent, child, plan, agreement) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let changes = vec![
        family_change(family, 1, "Familien Berg"),
        change(
            Kind::Family,
            family,
            family,
            &[
                ("start_date", json!("2026-01-05")),
                ("extended", json!(true)),
                (
                    "extension_reason",
                    json!("Besluttet på 6-månedersevalueringen"),
                ),
                ("intake_topics", json!(["information", "consent"])),
                ("done.case_1", json!("2026-02-06")),
            ],
        ),
        change(
            Kind::Visit,
            family,
            Uuid::now_v7(),
            &[("date", json!("2026-01-07")), ("time", json!("17:30"))],
        ),
        change(
            Kind::Consent,
            family,
            Uuid::now_v7(),
            &[
                ("member", json!(parent.to_string())),
                ("scopes", json!(["cooperate", "share"])),
                ("given", json!("2026-01-05")),
                ("withdrawn", json!("2026-07-01")),
            ],
        ),
        change(
            Kind::Contact,
            family,
            Uuid::now_v7(),
            &[
                ("category", json!("school")),
                ("name", json!("Solbakken skole")),
                ("involved", json!("now")),
                (
                    &format!("wish.{child}"),
                    json!("Vil at læreren skal vite det"),
                ),
            ],
        ),
        change(
            Kind::Plan,
            family,
            plan,
            &[("period", json!(0)), ("date", json!("2026-01-05"))],
        ),
        change(
            Kind::Goal,
            family,
            Uuid::now_v7(),
            &[
                ("plan", json!(plan.to_string())),
                ("horizon", json!("short")),
                ("text", json!("Faste leggetider")),
            ],
        ),
        change(
            Kind::Task,
            family,
            Uuid::now_v7(),
            &[
                ("plan", json!(plan.to_string())),
                ("what", json!("Ola ringer NAV")),
                ("owner", json!("family")),
                ("status", json!("continue")),
                ("agreement", json!(agreement.to_string())),
            ],
        ),
    ];
    let (status, body) = s.push(&changes).await;
    assert_eq!(status, 200, "{body}");
    let pulled = s.pull_all().await;
    for c in &changes {
        assert!(pulled.contains(&c.id), "pulled back");
    }

    let refused = [
        (
            change(
                Kind::Family,
                family,
                family,
                &[("placement_kind", json!("fengsel"))],
            ),
            "endring 1: «fengsel» er ikke et gyldig valg for «Type plassering»",
        ),
        (
            // Plans tick themselves off by existing; only work outside Duken is ticked by hand.
            change(
                Kind::Family,
                family,
                family,
                &[("done.plan_1", json!("2026-04-05"))],
            ),
            "endring 1: ukjent felt «done.plan_1» for family",
        ),
        (
            change(
                Kind::Task,
                family,
                Uuid::now_v7(),
                &[("owner", json!("naboen"))],
            ),
            "endring 1: «naboen» er ikke et gyldig valg for «Oppgave for»",
        ),
        (
            change(Kind::Plan, family, Uuid::now_v7(), &[("period", json!(8))]),
            "endring 1: feltet «Periode» må være mellom 0 og 7",
        ),
        (
            change(
                Kind::Contact,
                family,
                Uuid::now_v7(),
                &[("wish.emma", json!("Ja"))],
            ),
            "endring 1: ukjent felt «wish.emma» for contact",
        ),
        (
            change(
                Kind::Visit,
                family,
                Uuid::now_v7(),
                &[("date", json!("2026-02-30"))],
            ),
            "endring 1: feltet «Dato» har feil type: dato (ÅÅÅÅ-MM-DD)",
        ),
        (
            change(
                Kind::Consent,
                family,
                Uuid::now_v7(),
                &[("scopes", json!(["alt"]))],
            ),
            "endring 1: «alt» er ikke et gyldig valg for «Samtykke til»",
        ),
    ];
    for (c, message) in refused {
        let (status, body) = s.push(&[c]).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["message"], message);
    }
}
