//! The report issue's records through the real sync API, on SQLite and PostgreSQL: a report
//! (drafted, then finalised with its frozen facts), the 3-monthly evaluation, a monthly case
//! evaluation and a concern go through push and pull; bad values are refused with the field
//! named; a contact person who reads the family records the evaluations and nothing else (not
//! the report, not a concern), a team leader records neither; and the same evaluation sent
//! twice at once is stored once.

#[macro_use]
mod common;

use common::{change, Backend, TestServer, PASSWORD};
use duken_domain::report::{builtin, compose, section_field, FamilyFile, Report};
use duken_domain::{Change, Kind, Record};
use duken_server::accounts;
use serde_json::{json, Value};
use uuid::Uuid;

on_both!(
    reports_and_evaluations_round_trip_and_bad_values_are_refused,
    a_contact_person_records_the_evaluation_but_not_the_report,
    a_team_adjusts_its_report_sections,
);

async fn pull_ids(s: &TestServer, token: &str) -> Vec<Uuid> {
    let mut since = 0;
    let mut ids = Vec::new();
    loop {
        let (status, body) = s
            .get_as(token, &format!("/pull?since={since}&limit=1000"))
            .await;
        assert_eq!(status, 200, "{body}");
        for c in body["changes"].as_array().expect("changes") {
            ids.push(Uuid::parse_str(c["id"].as_str().expect("id")).expect("uuid"));
        }
        since = body["cursor"].as_i64().expect("cursor");
        if body["remaining"].as_u64() == Some(0) {
            return ids;
        }
    }
}

/// A family three months in, as a partner's device sends it: the family, two members, a
/// meeting, a report with every section written and read with the family.
struct Family {
    id: Uuid,
    report: Uuid,
    changes: Vec<Change>,
}

fn family_three_months_in() -> Family {
    let id = Uuid::now_v7();
    let (kari, emma, report) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let template = builtin().remove(0);
    let mut report_fields: Vec<(String, Value)> = vec![
        ("evaluation".into(), json!(1)),
        ("layout".into(), json!(template.to_json())),
        ("read_on".into(), json!("2026-03-30")),
        ("read_present".into(), json!([kari.to_string()])),
        ("family_comment".into(), json!("Vi kjenner oss igjen")),
        ("agrees".into(), json!("yes")),
    ];
    for s in &template.sections {
        report_fields.push((section_field(&s.key), json!(format!("Om {}", s.key))));
    }
    let refs: Vec<(&str, Value)> = report_fields
        .iter()
        .map(|(f, v)| (f.as_str(), v.clone()))
        .collect();
    let changes = vec![
        change(
            Kind::Family,
            id,
            id,
            &[
                ("name", json!("Familien Moe")),
                ("start_date", json!("2026-01-05")),
                ("language", json!("nn")),
            ],
        ),
        change(
            Kind::Member,
            id,
            kari,
            &[("name", json!("Kari Moe")), ("role", json!("parent"))],
        ),
        change(
            Kind::Member,
            id,
            emma,
            &[("name", json!("Emma Moe")), ("role", json!("child"))],
        ),
        change(
            Kind::Meeting,
            id,
            Uuid::now_v7(),
            &[
                ("date", json!("2026-01-07")),
                ("duration_minutes", json!(60)),
                ("themes", json!(["economy"])),
            ],
        ),
        change(Kind::Report, id, report, &refs),
    ];
    Family {
        id,
        report,
        changes,
    }
}

/// The change that finalises the report: its facts composed from the records, frozen.
fn finalising(f: &Family) -> Change {
    let records: Vec<Record> = f.changes.iter().map(Record::from_change).collect();
    let file = FamilyFile::read(f.id, &records);
    let facts = compose(&file, 1).expect("composes");
    let report = Report::from_record(
        records
            .iter()
            .find(|r| r.id == f.report)
            .expect("report record"),
    )
    .expect("report");
    let parse = |s: &str| duken_domain::dates::parse_date(s).expect("date");
    let frozen = report
        .finalise(facts, &file.members, parse("2026-03-30"))
        .expect("may be finalised");
    change(
        Kind::Report,
        f.id,
        f.report,
        &[
            ("finalised", json!("2026-03-30")),
            ("frozen", json!(frozen.to_json())),
        ],
    )
}

fn evaluation(family: Uuid, decision: &str, reason: &str) -> Change {
    change(
        Kind::Evaluation,
        family,
        Uuid::now_v7(),
        &[
            ("number", json!(1)),
            ("date", json!("2026-04-05")),
            ("decision", json!(decision)),
            ("reason", json!(reason)),
            ("others", json!(["Kontaktperson Kim"])),
        ],
    )
}

fn case_review(family: Uuid) -> Change {
    change(
        Kind::CaseReview,
        family,
        Uuid::now_v7(),
        &[
            ("date", json!("2026-02-05")),
            ("month", json!(1)),
            ("note", json!("Gjennomgått arbeidsplanen")),
            ("agreed", json!("Møtes igjen om en måned")),
        ],
    )
}

async fn reports_and_evaluations_round_trip_and_bad_values_are_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let f = family_three_months_in();
    let mut changes = f.changes.clone();
    changes.push(finalising(&f));
    changes.push(evaluation(f.id, "extend", "Trenger mer tid"));
    changes.push(case_review(f.id));
    changes.push(change(
        Kind::Concern,
        f.id,
        Uuid::now_v7(),
        &[
            ("date", json!("2026-02-10")),
            ("what", json!("Barnet fortalte om uro hjemme")),
            ("to", json!("Kontaktperson Kim")),
        ],
    ));
    let (status, body) = s.push(&changes).await;
    assert_eq!(status, 200, "{body}");
    let pulled = s.pull_all().await;
    for c in &changes {
        assert!(pulled.contains(&c.id), "{:?} pulled back", c.kind);
    }

    let refused = [
        (
            change(
                Kind::Report,
                f.id,
                Uuid::now_v7(),
                &[("evaluation", json!(9))],
            ),
            "endring 1: feltet «Evaluering» må være mellom 1 og 8",
        ),
        (
            change(
                Kind::Report,
                f.id,
                f.report,
                &[("section.Ikke kode", json!("tekst"))],
            ),
            "endring 1: ukjent felt «section.Ikke kode» for report",
        ),
        (
            change(
                Kind::Report,
                f.id,
                f.report,
                &[("frozen", json!("{\"format\":1}"))],
            ),
            "",
        ),
        (
            change(
                Kind::Report,
                f.id,
                f.report,
                &[("agrees", json!("kanskje"))],
            ),
            "endring 1: «kanskje» er ikke et gyldig valg for «Er familien enig»",
        ),
        (
            evaluation(f.id, "pause", ""),
            "endring 1: «pause» er ikke et gyldig valg for «Beslutning»",
        ),
        (
            change(
                Kind::CaseReview,
                f.id,
                Uuid::now_v7(),
                &[("month", json!(0))],
            ),
            "endring 1: feltet «Måned» må være mellom 1 og 15",
        ),
        (
            change(
                Kind::Concern,
                f.id,
                Uuid::now_v7(),
                &[("what", json!("  "))],
            ),
            "endring 1: feltet «Hva gjelder bekymringen» må fylles ut",
        ),
        (
            change(Kind::Family, f.id, f.id, &[("language", json!("se"))]),
            "endring 1: «se» er ikke et gyldig valg for «Målform for familiens papirer»",
        ),
    ];
    for (c, message) in refused {
        let (status, body) = s.push(&[c]).await;
        assert_eq!(status, 422, "{body}");
        let got = body["message"].as_str().unwrap_or_default();
        if message.is_empty() {
            // A frozen report that is not one: refused with the field named.
            assert!(
                got.starts_with("endring 1: feltet «Ferdig rapport» er ikke en gyldig mal"),
                "{got}"
            );
        } else {
            assert_eq!(got, message);
        }
    }
}

async fn a_contact_person_records_the_evaluation_but_not_the_report(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    for (name, role, team) in [
        ("fp", "familiepartner", Some("Team Nord")),
        ("kp", "kontaktperson", None),
        ("tl", "teamleder", Some("Team Nord")),
    ] {
        accounts::create_user(st, name, name, role, PASSWORD, team)
            .await
            .expect("user");
    }
    let fp = common::login_session(st, "fp").await;
    let kp = common::login_session(st, "kp").await;
    let tl = common::login_session(st, "tl").await;
    let f = family_three_months_in();
    let mut first = f.changes.clone();
    first.push(finalising(&f));
    let (status, body) = s.push_as(&fp, &first).await;
    assert_eq!(status, 200, "{body}");
    accounts::grant(st, f.id, "kp", "reader")
        .await
        .expect("grant");

    // The contact person reads the report and records the evaluation and a case evaluation.
    let kp_pulls = pull_ids(&s, &kp).await;
    assert!(first.iter().all(|c| kp_pulls.contains(&c.id)));
    let extend = evaluation(f.id, "extend", "Familien trenger mer tid med rutinene");
    let review = case_review(f.id);
    let (status, body) = s.push_as(&kp, &[extend.clone(), review.clone()]).await;
    assert_eq!(status, 200, "{body}");

    // Not the report: a mixed batch is refused for the report's change alone.
    let edit = change(
        Kind::Report,
        f.id,
        f.report,
        &[("section.situation", json!("Kontaktpersonen skriver om"))],
    );
    let again = evaluation(f.id, "continue", "");
    let (status, body) = s.push_as(&kp, &[again.clone(), edit.clone()]).await;
    assert_eq!(status, 403, "{body}");
    let refused: Vec<&str> = body["refused"]
        .as_array()
        .expect("refused")
        .iter()
        .map(|r| r["change"].as_str().expect("id"))
        .collect();
    assert_eq!(refused, vec![edit.id.to_string().as_str()]);
    assert_eq!(
        body["refused"][0]["message"],
        "endring 2: du har lesetilgang til denne familien og kan ikke endre dette"
    );
    // The rest, sent again as the device does, goes through; the edit never was stored.
    let (status, body) = s.push_as(&kp, std::slice::from_ref(&again)).await;
    assert_eq!(status, 200, "{body}");
    let concern = change(
        Kind::Concern,
        f.id,
        Uuid::now_v7(),
        &[
            ("date", json!("2026-04-05")),
            ("what", json!("x")),
            ("to", json!("y")),
        ],
    );
    let meeting = change(
        Kind::Meeting,
        f.id,
        Uuid::now_v7(),
        &[("date", json!("2026-04-05"))],
    );
    for c in [&concern, &meeting] {
        let (status, body) = s.push_as(&kp, std::slice::from_ref(c)).await;
        assert_eq!(status, 403, "{:?}: {body}", c.kind);
    }
    // A team leader reads the family but records no evaluation.
    let (status, body) = s
        .push_as(&tl, &[evaluation(f.id, "end", "Avsluttes")])
        .await;
    assert_eq!(status, 403, "{body}");

    // The same evaluation sent twice at once (a retry while the first is in flight): both
    // answered, stored once.
    for _ in 0..5 {
        let twice = evaluation(f.id, "continue", "");
        let batch = [twice.clone()];
        let (a, b) = tokio::join!(s.push_as(&kp, &batch), s.push_as(&kp, &batch));
        assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
        let seen = pull_ids(&s, &fp).await;
        assert_eq!(seen.iter().filter(|id| **id == twice.id).count(), 1);
    }

    // The partner's device gets what the contact person recorded; nothing of the refused.
    let fp_pulls = pull_ids(&s, &fp).await;
    for c in [&extend, &review, &again] {
        assert!(fp_pulls.contains(&c.id), "{:?} reaches the partner", c.kind);
    }
    for c in [&edit, &concern, &meeting] {
        assert!(!fp_pulls.contains(&c.id), "{:?} never stored", c.kind);
    }
}

/// The team's own report template: Duken's sections with one of its own, as a team leader
/// would adjust them.
fn team_report_template(version: u32) -> duken_domain::report::ReportTemplate {
    let mut t = builtin().remove(0);
    t.code = "var-rapport".into();
    t.version = version;
    t.name.nb = format!("Vår rapport v{version}");
    t.sections.push(duken_domain::report::ReportSection {
        key: "school".into(),
        title: duken_domain::cloth::Label {
            nb: "Skolen".into(),
            nn: "Skulen".into(),
        },
        help: None,
    });
    t
}

async fn a_team_adjusts_its_report_sections(b: Backend) {
    use duken_server::templates::{add_report, TemplateAddError};
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    for (name, team) in [("ost", "Team Øst"), ("vest", "Team Vest")] {
        accounts::create_user(st, name, name, "familiepartner", PASSWORD, Some(team))
            .await
            .expect("user");
    }
    let ost = common::login_session(st, "ost").await;
    let vest = common::login_session(st, "vest").await;
    add_report(st, "Team Øst", &team_report_template(1).to_json())
        .await
        .expect("added");
    let (status, body) = s.get_as(&ost, "/templates").await;
    assert_eq!(status, 200, "{body}");
    let got: duken_domain::protocol::TemplatesResponse =
        serde_json::from_value(body).expect("templates");
    assert_eq!(got.report_templates, vec![team_report_template(1)]);
    let (_, body) = s.get_as(&vest, "/templates").await;
    assert_eq!(
        body["report_templates"],
        json!([]),
        "another team sees none"
    );
    // A new version replaces the old; the same again, Duken's own code, or a broken one not.
    add_report(st, "Team Øst", &team_report_template(2).to_json())
        .await
        .expect("v2");
    let again = add_report(st, "Team Øst", &team_report_template(2).to_json()).await;
    assert!(
        matches!(again, Err(TemplateAddError::OldVersion { have: 2, .. })),
        "{again:?}"
    );
    let mut own = team_report_template(3);
    own.code = "rapport".into();
    let builtin_code = add_report(st, "Team Øst", &own.to_json()).await;
    assert!(
        matches!(builtin_code, Err(TemplateAddError::Builtin(_))),
        "{builtin_code:?}"
    );
    let mut twice = team_report_template(3);
    twice.sections.push(twice.sections[0].clone());
    let bad = add_report(st, "Team Øst", &twice.to_json()).await;
    assert!(
        matches!(bad, Err(TemplateAddError::InvalidReport(_))),
        "{bad:?}"
    );
    let (_, body) = s.get_as(&ost, "/templates").await;
    let got: duken_domain::protocol::TemplatesResponse =
        serde_json::from_value(body).expect("templates");
    assert_eq!(got.report_templates, vec![team_report_template(2)]);
    // A report started with it carries its sections; its own section is a field the server
    // accepts.
    let f = family_three_months_in();
    let (status, body) = s.push_as(&ost, &f.changes[..1]).await;
    assert_eq!(status, 200, "{body}");
    let report = change(
        Kind::Report,
        f.id,
        Uuid::now_v7(),
        &[
            ("evaluation", json!(1)),
            ("layout", json!(team_report_template(2).to_json())),
            ("section.school", json!("Skolen følger opp Emma tett.")),
        ],
    );
    let (status, body) = s.push_as(&ost, &[report]).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_command_line_adds_and_lists_report_templates() {
    let dir = std::env::temp_dir().join(format!("duken-rtpl-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = format!("sqlite://{}/duken.db", dir.display());
    let file = dir.join("var-rapport.json");
    std::fs::write(&file, team_report_template(1).to_json()).expect("file");
    let path = file.to_string_lossy().into_owned();
    let (ok, out, err) = common::cli(
        &db,
        &["report-template", "add", &path, "--team", "Team Øst"],
        None,
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("La til rapportmalen «Vår rapport v1» (var-rapport, versjon 1)"),
        "{out}"
    );
    let (ok, out, _) = common::cli(
        &db,
        &["report-template", "list", "--team", "Team Øst"],
        None,
    );
    assert!(ok);
    assert_eq!(out.trim(), "var-rapport\tversjon 1\tVår rapport v1");
    std::fs::write(&file, "{ ikke json").expect("file");
    let (ok, _, err) = common::cli(
        &db,
        &["report-template", "add", &path, "--team", "Team Øst"],
        None,
    );
    assert!(!ok);
    assert!(err.contains("rapportmalen kan ikke leses"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
