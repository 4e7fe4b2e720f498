//! Cloths, notes and agreements through the real sync API, and teams' own cloth templates
//! (added on the command line, served to the team's devices only), on SQLite and PostgreSQL.

#[macro_use]
mod common;

use common::{change, cli, family_change, login_session, Backend, TempDir, TestServer};
use duken_domain::cloth::{builtin_template, Template};
use duken_domain::protocol::TemplatesResponse;
use duken_domain::{Change, Kind};
use duken_server::accounts;
use duken_server::templates::{self, TemplateAddError};
use serde_json::json;
use uuid::Uuid;

on_both!(
    cloth_notes_and_agreements_round_trip,
    a_cloth_with_a_broken_layout_is_refused,
    team_templates_are_versioned_and_served_to_their_team_only,
);

fn team_template(code: &str, version: u32) -> Template {
    let mut t = builtin_template("familielos-first").expect("built in");
    t.code = code.into();
    t.version = version;
    t.name.nb = format!("Vår duk v{version}");
    t.name.nn = format!("Duken vår v{version}");
    t
}

async fn cloth_notes_and_agreements_round_trip(b: Backend) {
    let s = TestServer::start(b).await;
    let family = Uuid::now_v7();
    let cloth = Uuid::now_v7();
    let layout = builtin_template("familielos-team")
        .expect("built in")
        .to_json();
    let changes = vec![
        family_change(family, 1, "Familien Berg"),
        change(
            Kind::Cloth,
            family,
            cloth,
            &[
                ("template", json!("familielos-team")),
                ("layout", json!(layout)),
                ("date", json!("2026-11-20")),
                ("helpers", json!(["Familiepartner Kari", "Lærer Ola"])),
                ("short_by", json!("2026-12-20")),
            ],
        ),
        change(
            Kind::Note,
            family,
            Uuid::now_v7(),
            &[
                ("cloth", json!(cloth.to_string())),
                ("section", json!("works")),
                ("row", json!("economy")),
                ("text", json!("Vi handler etter liste")),
                ("by", json!("together")),
            ],
        ),
        change(
            Kind::Agreement,
            family,
            Uuid::now_v7(),
            &[
                ("cloth", json!(cloth.to_string())),
                ("what", json!("Ringe NAV")),
                ("due", json!("2026-12-01")),
                ("status", json!("open")),
                ("to_plan", json!(true)),
            ],
        ),
    ];
    let (status, body) = s.push(&changes).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stored"], 4);
    let (status, body) = s.pull(0, 100).await;
    assert_eq!(status, 200);
    let pulled: Vec<Change> = serde_json::from_value(body["changes"].clone()).expect("changes");
    assert_eq!(pulled, changes, "stored and returned exactly as pushed");

    // Each field is checked like any other: a bad status, a note without its cloth.
    let bad = [
        (
            change(
                Kind::Agreement,
                family,
                Uuid::now_v7(),
                &[("what", json!("x")), ("status", json!("kanskje"))],
            ),
            "«kanskje» er ikke et gyldig valg for «Status»",
        ),
        (
            change(
                Kind::Note,
                family,
                Uuid::now_v7(),
                &[("cloth", json!("ikke-en-id")), ("text", json!("x"))],
            ),
            "feltet «Duk» har feil type: en id",
        ),
        (
            change(
                Kind::Cloth,
                family,
                cloth,
                &[("helpers", json!(vec!["x"; 21]))],
            ),
            "feltet «Hjelpere til stede» har for mange verdier (høyst 20)",
        ),
    ];
    for (c, message) in bad {
        let (status, body) = s.push(&[c]).await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{body}"
        );
    }
}

async fn a_cloth_with_a_broken_layout_is_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let family = Uuid::now_v7();
    let mut broken = team_template("var-duk", 1);
    broken.sections[1].code = broken.sections[0].code.clone();
    let (status, body) = s
        .push(&[
            family_change(family, 1, "Familien Berg"),
            change(
                Kind::Cloth,
                family,
                Uuid::now_v7(),
                &[
                    ("template", json!("var-duk")),
                    ("layout", json!(broken.to_json())),
                    ("date", json!("2026-11-20")),
                ],
            ),
        ])
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("koden «works» er brukt to ganger")),
        "{body}"
    );
    // Nothing of the batch was stored.
    assert!(s.pull_all().await.is_empty());
}

async fn team_templates_are_versioned_and_served_to_their_team_only(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    for (user, team) in [("ost", "Team Øst"), ("vest", "Team Vest")] {
        accounts::create_user(
            st,
            user,
            user,
            "familiepartner",
            common::PASSWORD,
            Some(team),
        )
        .await
        .expect("user");
    }
    let ost = login_session(st, "ost").await;
    let vest = login_session(st, "vest").await;

    let v1 = templates::add(st, "Team Øst", &team_template("var-duk", 1).to_json())
        .await
        .expect("added");
    assert_eq!(v1.version, 1);
    let (status, body) = s.get_as(&ost, "/templates").await;
    assert_eq!(status, 200);
    let got: TemplatesResponse = serde_json::from_value(body).expect("templates");
    assert_eq!(got.templates, vec![team_template("var-duk", 1)]);
    let (_, body) = s.get_as(&vest, "/templates").await;
    assert_eq!(body["templates"], json!([]), "another team sees none");
    // Without a session: no templates.
    let res = s
        .client
        .get(s.url("/templates"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 401);

    // A new version replaces the old in what devices get; an old or equal one is refused.
    templates::add(st, "Team Øst", &team_template("var-duk", 2).to_json())
        .await
        .expect("v2");
    let again = templates::add(st, "Team Øst", &team_template("var-duk", 2).to_json()).await;
    assert!(
        matches!(again, Err(TemplateAddError::OldVersion { have: 2, .. })),
        "{again:?}"
    );
    let (_, body) = s.get_as(&ost, "/templates").await;
    let got: TemplatesResponse = serde_json::from_value(body).expect("templates");
    assert_eq!(got.templates, vec![team_template("var-duk", 2)]);

    let builtin = templates::add(st, "Team Øst", &team_template("ovre-eiker", 3).to_json()).await;
    assert!(
        matches!(builtin, Err(TemplateAddError::Builtin(_))),
        "{builtin:?}"
    );
    let bad = templates::add(st, "Team Øst", "{\"code\": \"x\"}").await;
    assert!(matches!(bad, Err(TemplateAddError::Invalid(_))), "{bad:?}");
}

#[tokio::test]
async fn command_line_adds_and_lists_team_templates() {
    let dir = TempDir(std::env::temp_dir().join(format!("duken-tpl-{}", Uuid::now_v7())));
    std::fs::create_dir_all(&dir.0).expect("dir");
    let db = format!("sqlite://{}/duken.db", dir.0.display());
    let file = dir.0.join("var-duk.json");
    std::fs::write(&file, team_template("var-duk", 1).to_json()).expect("file");
    let path = file.to_string_lossy().into_owned();

    let (ok, out, err) = cli(&db, &["template", "list", "--team", "Team Øst"], None);
    assert!(ok, "{err}");
    assert!(
        out.contains("Det finnes ikke noe team som heter Team Øst"),
        "{out}"
    );
    let (ok, out, err) = cli(&db, &["template", "add", &path, "--team", "Team Øst"], None);
    assert!(ok, "{err}");
    assert!(
        out.contains("La til malen «Vår duk v1» (var-duk, versjon 1)"),
        "{out}"
    );
    let (ok, out, _) = cli(&db, &["template", "list", "--team", "Team Øst"], None);
    assert!(ok);
    assert_eq!(out.trim(), "var-duk\tversjon 1\tVår duk v1");
    let (ok, _, err) = cli(&db, &["template", "add", &path, "--team", "Team Øst"], None);
    assert!(!ok);
    assert!(err.contains("allerede «var-duk» i versjon 1"), "{err}");
    std::fs::write(&file, "{ ikke json").expect("file");
    let (ok, _, err) = cli(&db, &["template", "add", &path, "--team", "Team Øst"], None);
    assert!(!ok);
    assert!(err.contains("malen kan ikke leses"), "{err}");
}
