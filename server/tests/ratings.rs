//! Rating rounds and filled forms through the real sync API, and a team's own rating forms
//! (saved by a team leader, versioned by the server, served to the team), on SQLite and
//! PostgreSQL.

#[macro_use]
mod common;

use common::{change, family_change, login_session, Backend, TestServer};
use duken_domain::protocol::TemplatesResponse;
use duken_domain::rating::{builtin_template, Item, RatingTemplate};
use duken_domain::Kind;
use duken_server::accounts;
use serde_json::{json, Value};
use uuid::Uuid;

on_both!(
    rounds_and_answers_round_trip_and_bad_answers_are_refused,
    team_leaders_save_rating_forms_as_new_versions,
);

async fn rounds_and_answers_round_trip_and_bad_answers_are_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let family = Uuid::now_v7();
    let (round, rating, member) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let form = builtin_template("barn").expect("built in").to_json();
    let changes = vec![
        family_change(family, 1, "Familien Dahl"),
        change(
            Kind::Round,
            family,
            round,
            &[("point", json!("start")), ("date", json!("2026-11-02"))],
        ),
        change(
            Kind::Rating,
            family,
            rating,
            &[
                ("round", json!(round.to_string())),
                ("member", json!(member.to_string())),
                ("rater", json!("member")),
                ("form", json!(form)),
                ("score.home", json!(4)),
                ("comment.home", json!("Mest bra")),
                ("submitted", json!("2026-11-02")),
            ],
        ),
    ];
    let (status, body) = s.push(&changes).await;
    assert_eq!(status, 200, "{body}");
    let pulled = s.pull_all().await;
    for c in &changes {
        assert!(pulled.contains(&c.id), "pulled back");
    }

    // A score above any scale, a form that is not one, or an unknown field: refused, named.
    let too_high = change(Kind::Rating, family, rating, &[("score.home", json!(11))]);
    let (status, body) = s.push(&[too_high]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["message"],
        "endring 1: feltet «Svar» må være mellom 0 og 10"
    );
    let broken = change(
        Kind::Rating,
        family,
        Uuid::now_v7(),
        &[("form", json!("{\"code\": \"x\"}"))],
    );
    let (status, body) = s.push(&[broken]).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("«Skjema»")),
        "{body}"
    );
    let unknown = change(Kind::Round, family, round, &[("score.home", json!(3))]);
    let (status, _) = s.push(&[unknown]).await;
    assert_eq!(status, 422);
}

async fn post_form(s: &TestServer, token: &str, form: &Value) -> (u16, Value) {
    let res = s
        .client
        .post(s.url("/rating-templates"))
        .bearer_auth(token)
        .json(form)
        .send()
        .await
        .expect("request");
    (res.status().as_u16(), res.json().await.expect("json"))
}

async fn team_forms(s: &TestServer, token: &str) -> Vec<RatingTemplate> {
    let (status, body) = s.get_as(token, "/templates").await;
    assert_eq!(status, 200);
    let body: TemplatesResponse = serde_json::from_value(body).expect("templates");
    body.rating_templates
}

async fn team_leaders_save_rating_forms_as_new_versions(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    for (user, role, team) in [
        ("leder", "teamleder", Some("Team Nord")),
        ("kari", "familiepartner", Some("Team Nord")),
        ("sor", "familiepartner", Some("Team Sør")),
        ("ingen", "teamleder", None),
    ] {
        accounts::create_user(st, user, user, role, common::PASSWORD, team)
            .await
            .expect("user");
    }
    let leader = login_session(st, "leder").await;
    let partner = login_session(st, "kari").await;
    let other_team = login_session(st, "sor").await;
    let teamless = login_session(st, "ingen").await;

    // A copy of the adult form, with one question renamed and one added.
    let mut copy = builtin_template("voksen").expect("built in");
    copy.code = "voksen-nord".into();
    copy.name = "Voksenskjema, Team Nord".into();
    copy.version = 7; // the server numbers versions, whatever the app sent
    copy.items[0].label = "Rutiner i hverdagen".into();
    copy.items.push(Item {
        key: "sleep".into(),
        label: "Søvn".into(),
        group: None,
    });
    let body = serde_json::to_value(&copy).expect("json");

    let (status, saved) = post_form(&s, &leader, &body).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["version"], 1);
    let (status, saved) = post_form(&s, &leader, &body).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["version"], 2);

    let forms = team_forms(&s, &partner).await;
    assert_eq!(forms.len(), 1, "newest version only");
    assert_eq!(forms[0].version, 2);
    assert_eq!(forms[0].items[0].label, "Rutiner i hverdagen");
    assert_eq!(forms[0].items.last().map(|i| i.key.as_str()), Some("sleep"));
    assert!(team_forms(&s, &other_team).await.is_empty());

    // A partner may not; a leader without a team has nowhere to save; a built-in code is
    // refused; a form that does not check is refused with the domain's message.
    let (status, err) = post_form(&s, &partner, &body).await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(
        err["message"],
        "bare teamledere kan endre rangeringsskjemaer"
    );
    let (status, _) = post_form(&s, &teamless, &body).await;
    assert_eq!(status, 403);
    let mut builtin = copy.clone();
    builtin.code = "voksen".into();
    let (status, err) =
        post_form(&s, &leader, &serde_json::to_value(&builtin).expect("json")).await;
    assert_eq!(status, 422, "{err}");
    let mut empty = copy.clone();
    empty.items.clear();
    let (status, err) = post_form(&s, &leader, &serde_json::to_value(&empty).expect("json")).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["message"], "skjemaet må ha minst ett spørsmål");
    let (status, _) = post_form(&s, &leader, &json!({"code": "x"})).await;
    assert_eq!(status, 422);
    let res = s
        .client
        .post(s.url("/rating-templates"))
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 401, "no session");
    assert_eq!(team_forms(&s, &partner).await[0].version, 2);
}
