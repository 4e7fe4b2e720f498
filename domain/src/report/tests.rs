use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::dates::iso_date;
use crate::record::{Change, FieldWrite};

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

/// Records of one family, made the way devices make them (one change per record).
struct Builder {
    family: Uuid,
    records: Vec<Record>,
}

impl Builder {
    fn new(name: &str, intake: &str) -> Builder {
        let family = Uuid::now_v7();
        let mut b = Builder {
            family,
            records: Vec::new(),
        };
        b.add_as(
            family,
            Kind::Family,
            &[("name", json!(name)), ("start_date", json!(intake))],
        );
        b
    }

    fn add_as(&mut self, id: Uuid, kind: Kind, fields: &[(&str, Value)]) -> Uuid {
        let change = Change {
            id: Uuid::now_v7(),
            record: id,
            kind,
            family: self.family,
            clock: 1,
            writes: fields
                .iter()
                .map(|(f, v)| FieldWrite {
                    field: (*f).to_owned(),
                    value: v.clone(),
                    base: None,
                    resolves: vec![],
                })
                .collect(),
        };
        crate::schema::validate_change(&change).expect("the test's records are valid");
        self.records.push(Record::from_change(&change));
        id
    }

    fn add(&mut self, kind: Kind, fields: &[(&str, Value)]) -> Uuid {
        self.add_as(Uuid::now_v7(), kind, fields)
    }

    fn member(&mut self, name: &str, role: &str, year: i64) -> Uuid {
        self.add(
            Kind::Member,
            &[
                ("name", json!(name)),
                ("role", json!(role)),
                ("birth_year", json!(year)),
            ],
        )
    }

    fn meeting(&mut self, date: &str, minutes: i64, place: &str, themes: &[&str]) -> Uuid {
        self.add(
            Kind::Meeting,
            &[
                ("date", json!(date)),
                ("duration_minutes", json!(minutes)),
                ("place", json!(place)),
                ("focus", json!("guidance")),
                ("themes", json!(themes)),
                ("note", json!("HEMMELIG møtenotat")),
            ],
        )
    }

    fn round(&mut self, point: &str, date: &str) -> Uuid {
        self.add(
            Kind::Round,
            &[("point", json!(point)), ("date", json!(date))],
        )
    }

    /// A delivered rating: `scores` for the form's items in order.
    fn rating(&mut self, round: Uuid, member: Uuid, rater: &str, child: bool, scores: &[i64]) {
        let form = crate::rating::builtin()
            .into_iter()
            .find(|t| (t.audience == crate::rating::Audience::Child) == child)
            .unwrap();
        let mut fields: Vec<(String, Value)> = vec![
            ("round".into(), json!(round.to_string())),
            ("member".into(), json!(member.to_string())),
            ("rater".into(), json!(rater)),
            ("form".into(), json!(form.to_json())),
            ("submitted".into(), json!("2026-01-01")),
        ];
        for (item, s) in form.items.iter().zip(scores) {
            fields.push((crate::rating::score_field(&item.key), json!(s)));
        }
        if child {
            fields.push((
                crate::rating::comment_field(&form.items[0].key),
                json!("Det er fint hjemme nå"),
            ));
        }
        let refs: Vec<(&str, Value)> = fields
            .iter()
            .map(|(f, v)| (f.as_str(), v.clone()))
            .collect();
        self.add(Kind::Rating, &refs);
    }

    fn skipped(&mut self, round: Uuid, member: Uuid, reason: &str) {
        let form = crate::rating::builtin().remove(1);
        self.add(
            Kind::Rating,
            &[
                ("round", json!(round.to_string())),
                ("member", json!(member.to_string())),
                ("rater", json!("member")),
                ("form", json!(form.to_json())),
                ("skipped", json!(reason)),
            ],
        );
    }

    /// The family's records as a device holds them: the changes of one record merged.
    fn file(&self) -> FamilyFile {
        let mut merged: BTreeMap<Uuid, Record> = BTreeMap::new();
        for r in &self.records {
            match merged.get_mut(&r.id) {
                Some(m) => m.merge(r).unwrap(),
                None => {
                    merged.insert(r.id, r.clone());
                }
            }
        }
        FamilyFile::read(self.family, merged.values())
    }
}

#[test]
fn the_builtin_template_reads_and_has_the_six_sections() {
    let t = builtin();
    assert_eq!(t.len(), 1);
    let keys: Vec<&str> = t[0].sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "situation",
            "progress",
            "still_hard",
            "children",
            "services",
            "ahead"
        ]
    );
    assert_eq!(ReportTemplate::parse(&t[0].to_json()), Ok(t[0].clone()));
    let mut bad = t[0].clone();
    bad.sections.push(bad.sections[0].clone());
    assert!(matches!(
        ReportTemplate::parse(&bad.to_json()),
        Err(ReportTemplateError::Duplicate(_))
    ));
    bad.sections.clear();
    assert_eq!(
        ReportTemplate::parse(&bad.to_json()),
        Err(ReportTemplateError::NoSections)
    );
}

#[test]
fn the_period_runs_to_the_evaluation_across_a_month_end() {
    // 30 November + 3 months is 28 February: the last day of period 1 is 27 February.
    let mut b = Builder::new("Familien Berg", "2026-11-30");
    b.meeting("2026-11-29", 60, "home", &["economy"]); // before the intake
    b.meeting("2026-11-30", 45, "home", &["economy", "routines"]);
    b.meeting("2027-02-27", 90, "school", &["school"]);
    b.meeting("2027-02-28", 30, "phone", &[]); // the evaluation day: period 2
    let f = compose(&b.file(), 1).unwrap();
    assert_eq!(
        (f.from, f.to, f.evaluation_day),
        (d("2026-11-30"), d("2027-02-27"), d("2027-02-28"))
    );
    assert_eq!(f.meetings.count, 2);
    assert_eq!(f.meetings.minutes, 135);
    assert_eq!(f.phases, vec![Phase::Start]);
    let f2 = compose(&b.file(), 2).unwrap();
    assert_eq!((f2.from, f2.to), (d("2027-02-28"), d("2027-05-29")));
    assert_eq!(f2.meetings.count, 1);
    assert_eq!(f2.phases, vec![Phase::Work]);
    // Evaluation 3 is at the end (9 months), in the closing phase: the hand-over is asked.
    let f3 = compose(&b.file(), 3).unwrap();
    assert_eq!(f3.phases, vec![Phase::Closing]);
    assert!(f3.handover.is_some());
    assert!(f.handover.is_none());
    assert_eq!(
        compose(&b.file(), 4),
        Err(ComposeError::NoSuchEvaluation(4))
    );
}

#[test]
fn meetings_are_counted_by_place_focus_theme_and_interpreter() {
    let mut b = Builder::new("Familien Lie", "2026-01-05");
    b.meeting("2026-01-07", 60, "home", &["economy", "routines"]);
    b.meeting("2026-01-09", 90, "home", &["economy"]);
    b.meeting("2026-02-02", 45, "school", &["school", "economy"]);
    b.add(
        Kind::Meeting,
        &[
            ("date", json!("2026-02-10")),
            ("place", json!("office")),
            ("interpreter", json!(true)),
        ],
    );
    let deleted = b.meeting("2026-02-11", 600, "home", &["economy"]);
    b.add_as(deleted, Kind::Meeting, &[("deleted", json!(true))]);
    // The tombstone is a second change of the same record, merged as a device would.
    let m = compose(&b.file(), 1).unwrap().meetings;
    assert_eq!(m.count, 4);
    assert_eq!(m.minutes, 195);
    assert_eq!(m.without_duration, 1);
    assert_eq!(m.interpreter, 1);
    let counts = |t: &[Tally]| -> Vec<(String, u32)> {
        t.iter().map(|t| (t.code.clone(), t.count)).collect()
    };
    assert_eq!(
        counts(&m.places),
        vec![
            ("home".into(), 2),
            ("office".into(), 1),
            ("school".into(), 1)
        ]
    );
    assert_eq!(
        counts(&m.themes),
        vec![
            ("economy".into(), 3),
            ("routines".into(), 1),
            ("school".into(), 1)
        ]
    );
    assert_eq!(counts(&m.focuses), vec![("guidance".into(), 3)]);
    assert_eq!(hours_label(m.minutes, Lang::Nb), "3 t 15 min");
    assert_eq!(hours_label(45, Lang::Nn), "45 min");
}

#[test]
fn ratings_compare_the_rounds_of_the_period_in_the_forms_words() {
    let mut b = Builder::new("Familien Moe", "2026-01-05");
    let kari = b.member("Kari Moe", "parent", 1988);
    let start = b.round("start", "2026-01-05");
    let m3 = b.round("m3", "2026-04-01");
    let m6 = b.round("m6", "2026-07-05");
    let adult = crate::rating::builtin().remove(0);
    let n = adult.items.len();
    // Start: item 0 at 2, item 1 at 8, item 2 at 2, the rest 5.
    let mut s0 = vec![5; n];
    s0[0] = 2;
    s0[1] = 8;
    s0[2] = 2;
    // 3 months: item 0 rose to 6, item 1 fell to 4, item 2 stayed low at 3.
    let mut s1 = s0.clone();
    s1[0] = 6;
    s1[1] = 4;
    s1[2] = 3;
    // 6 months (after the period): everything 10; must not count in report 1.
    let s2 = vec![10; n];
    b.rating(start, kari, "member", false, &s0);
    b.rating(m3, kari, "member", false, &s1);
    b.rating(m6, kari, "member", false, &s2);
    b.rating(m3, kari, "partner", false, &s0);
    let f = compose(&b.file(), 1).unwrap();
    let kari = &f.people[0];
    let own = kari.own.as_ref().unwrap();
    assert_eq!(own.form, adult.name);
    assert_eq!(
        own.rounds
            .iter()
            .map(|r| r.point.as_str())
            .collect::<Vec<_>>(),
        ["start", "m3"]
    );
    let label = |i: usize| adult.items[i].label.clone();
    assert_eq!(
        own.rose,
        vec![AreaMove {
            label: label(0),
            before: Some(2),
            now: 6
        }]
    );
    assert_eq!(own.fell[0].label, label(1));
    assert_eq!(own.stayed_low[0].label, label(2));
    assert_eq!(own.unchanged as usize, n - 3);
    // The partner's view, beside: answered once in the period, nothing to compare.
    let partner = kari.partner.as_ref().unwrap();
    assert_eq!(partner.rounds.len(), 1);
    assert!(partner.rose.is_empty() && partner.fell.is_empty());
    assert_eq!(partner.low.len(), 2, "two areas at 2 of 1-10");
    // Report 2 compares the 3-month round with the 6-month one.
    let f2 = compose(&b.file(), 2).unwrap();
    let own2 = f2.people[0].own.as_ref().unwrap();
    assert_eq!(
        own2.rounds
            .iter()
            .map(|r| r.point.as_str())
            .collect::<Vec<_>>(),
        ["m3", "m6"]
    );
    assert_eq!(own2.rose.len(), n);
}

#[test]
fn a_child_without_answers_shows_the_reason_or_that_it_is_missing() {
    let mut b = Builder::new("Familien Vik", "2026-01-05");
    let emma = b.member("Emma Vik", "child", 2016);
    let ola = b.member("Ola Vik", "child", 2024);
    let per = b.member("Per Vik", "child", 2019);
    let start = b.round("start", "2026-01-05");
    let m3 = b.round("m3", "2026-04-05");
    let child = crate::rating::builtin().remove(1);
    b.rating(start, emma, "member", true, &vec![3; child.items.len()]);
    b.rating(m3, emma, "member", true, &vec![4; child.items.len()]);
    b.skipped(start, ola, "For liten til å svare (2 år)");
    b.skipped(m3, ola, "For liten til å svare (2 år)");
    let school = b.add(
        Kind::Contact,
        &[("category", json!("school")), ("name", json!("Vik skole"))],
    );
    b.add_as(
        school,
        Kind::Contact,
        &[(
            crate::network::wish_field(emma).as_str(),
            json!("Vil at læreren skal vite at jeg sover dårlig"),
        )],
    );
    let f = compose(&b.file(), 1).unwrap();
    let person = |name: &str| f.people.iter().find(|p| p.name == name).unwrap();
    match person("Emma Vik").voice.as_ref().unwrap() {
        Voice::Answers { round, answers, .. } => {
            assert_eq!(round.point, "m3");
            assert_eq!(answers.len(), child.items.len());
            assert!(answers.iter().all(|a| a.score == 4));
            assert_eq!(answers[0].comment, "Det er fint hjemme nå");
        }
        other => panic!("Emma's own answers, not {other:?}"),
    }
    assert_eq!(
        person("Emma Vik").wishes,
        vec![Wish {
            service: "Vik skole".into(),
            wish: "Vil at læreren skal vite at jeg sover dårlig".into()
        }]
    );
    assert_eq!(
        person("Ola Vik").voice,
        Some(Voice::Reason {
            round: RoundRef {
                point: "m3".into(),
                date: d("2026-04-05")
            },
            reason: "For liten til å svare (2 år)".into()
        })
    );
    assert_eq!(person("Ola Vik").not_rated.len(), 2);
    assert_eq!(person("Per Vik").voice, Some(Voice::Missing));
    // Children in birth order, the oldest first.
    assert_eq!(
        f.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Emma Vik", "Per Vik", "Ola Vik"]
    );
    assert!(person("Per Vik").own.is_none());
    let _ = per;
}

#[test]
fn plans_agreements_network_and_consents_of_the_period() {
    let mut b = Builder::new("Familien Dahl", "2026-01-05");
    let kari = b.member("Kari Dahl", "parent", 1988);
    let ola = b.member("Ola Dahl", "parent", 1985);
    let plan = b.add(
        Kind::Plan,
        &[
            ("period", json!(0)),
            ("date", json!("2026-01-20")),
            ("present", json!([kari.to_string()])),
        ],
    );
    b.add(
        Kind::Plan,
        &[("period", json!(1)), ("date", json!("2026-04-06"))],
    );
    b.add(
        Kind::Goal,
        &[
            ("plan", json!(plan.to_string())),
            ("horizon", json!("short")),
            ("text", json!("Faste leggetider")),
            ("outcome", json!("reached")),
        ],
    );
    b.add(
        Kind::Task,
        &[
            ("plan", json!(plan.to_string())),
            ("what", json!("Lage ukeplan")),
            ("owner", json!("family")),
            ("status", json!("done")),
        ],
    );
    let cloth = b.add(
        Kind::Cloth,
        &[
            ("template", json!("ovre-eiker")),
            ("layout", json!(crate::cloth::builtin()[0].to_json())),
            ("date", json!("2026-02-01")),
        ],
    );
    let old_cloth = b.add(
        Kind::Cloth,
        &[
            ("template", json!("ovre-eiker")),
            ("layout", json!(crate::cloth::builtin()[0].to_json())),
            ("date", json!("2026-05-01")),
        ],
    );
    b.add(
        Kind::Note,
        &[
            ("cloth", json!(cloth.to_string())),
            ("section", json!("good_at")),
            ("text", json!("HEMMELIG fagnotat")),
            ("worker_only", json!(true)),
        ],
    );
    b.add(
        Kind::Agreement,
        &[
            ("cloth", json!(cloth.to_string())),
            ("what", json!("Ringe NAV sammen")),
            ("who", json!("Kari og familiepartneren")),
            ("status", json!("open")),
        ],
    );
    b.add(
        Kind::Agreement,
        &[
            ("cloth", json!(old_cloth.to_string())),
            ("what", json!("Neste periodes avtale")),
        ],
    );
    b.add(
        Kind::Contact,
        &[
            ("category", json!("person")),
            ("name", json!("Mormor Solveig")),
            ("relation", json!("mormor")),
            ("trusted", json!(true)),
        ],
    );
    b.add(
        Kind::Consent,
        &[
            ("member", json!(kari.to_string())),
            ("scopes", json!(["cooperate", "share"])),
            ("given", json!("2026-01-05")),
        ],
    );
    b.add(
        Kind::Consent,
        &[
            ("member", json!(ola.to_string())),
            ("scopes", json!(["share"])),
            ("given", json!("2026-01-05")),
            ("withdrawn", json!("2026-03-01")),
        ],
    );
    b.add(
        Kind::Concern,
        &[
            ("date", json!("2026-02-03")),
            ("what", json!("HEMMELIG bekymring")),
            ("to", json!("Kontaktpersonen")),
        ],
    );
    let f = compose(&b.file(), 1).unwrap();
    assert_eq!(f.plans.len(), 1);
    assert_eq!(f.plans[0].made_with, vec!["Kari Dahl".to_owned()]);
    assert_eq!(f.plans[0].goals[0].outcome.as_deref(), Some("reached"));
    assert_eq!(f.plans[0].tasks[0].status, "done");
    assert_eq!(f.cloths, vec![d("2026-02-01")]);
    assert_eq!(f.agreements.len(), 1);
    assert_eq!(f.agreements[0].what, "Ringe NAV sammen");
    assert_eq!(f.network[0].name, "Mormor Solveig");
    assert!(f.network[0].trusted);
    let consent = |who: &str| f.consents.iter().find(|c| c.given_by == who).unwrap();
    assert!(consent("Kari Dahl").in_force);
    assert!(!consent("Ola Dahl").in_force);
    assert_eq!(consent("Ola Dahl").withdrawn, Some(d("2026-03-01")));
    // Nothing worker-only reaches the facts.
    let json = serde_json::to_string(&f).unwrap();
    assert!(!json.contains("HEMMELIG"), "{json}");
}

#[test]
fn a_finalised_report_does_not_change_when_a_meeting_is_logged_later() {
    let mut b = Builder::new("Familien Moe", "2026-01-05");
    let kari = b.member("Kari Moe", "parent", 1988);
    b.meeting("2026-01-07", 60, "home", &["economy"]);
    let template = builtin().remove(0);
    let mut fields: Vec<(String, Value)> = vec![
        ("evaluation".into(), json!(1)),
        ("layout".into(), json!(template.to_json())),
        ("read_on".into(), json!("2026-03-30")),
        ("read_present".into(), json!([kari.to_string()])),
        ("family_comment".into(), json!("Vi kjenner oss igjen")),
    ];
    for s in &template.sections {
        fields.push((section_field(&s.key), json!(format!("Tekst om {}", s.key))));
    }
    let refs: Vec<(&str, Value)> = fields
        .iter()
        .map(|(f, v)| (f.as_str(), v.clone()))
        .collect();
    let id = b.add(Kind::Report, &refs);
    let report = Report::from_record(b.records.iter().find(|r| r.id == id).unwrap()).unwrap();
    let file = b.file();
    let facts = compose(&file, 1).unwrap();
    assert_eq!(
        report.finalise(facts.clone(), &file.members, d("2026-03-30")),
        Err(FinaliseError::NoAgreement)
    );
    let mut report = report;
    report.agrees = Some("yes".into());
    let frozen = report
        .finalise(facts.clone(), &file.members, d("2026-03-30"))
        .unwrap();
    assert_eq!(frozen.reading.present, vec!["Kari Moe".to_owned()]);
    assert_eq!(frozen.sections.len(), 6);
    // Stored in the record as the app does, checked by the schema as the server does.
    b.add_as(
        id,
        Kind::Report,
        &[
            ("agrees", json!("yes")),
            ("finalised", json!("2026-03-30")),
            ("frozen", json!(frozen.to_json())),
        ],
    );
    b.meeting("2026-01-20", 120, "school", &["school"]);
    let later = b.file();
    assert_eq!(
        compose(&later, 1).unwrap().meetings.count,
        2,
        "the draft follows"
    );
    let stored = &later.reports[0];
    assert!(stored.is_final());
    assert_eq!(
        stored.frozen.as_ref().unwrap().facts,
        facts,
        "the finished one does not"
    );
    assert_eq!(stored.frozen.as_ref().unwrap().facts.meetings.count, 1);
    assert_eq!(
        stored.finalise(facts, &later.members, d("2026-04-01")),
        Err(FinaliseError::AlreadyFinal)
    );
    assert_eq!(finalised_evaluations(&later.reports), vec![1]);
}

#[test]
fn a_correction_is_a_new_version_and_keeps_the_old() {
    let mut b = Builder::new("Familien Moe", "2026-01-05");
    let template = builtin().remove(0).to_json();
    let v1 = b.add(
        Kind::Report,
        &[("evaluation", json!(1)), ("layout", json!(template))],
    );
    let v2 = b.add(
        Kind::Report,
        &[
            ("evaluation", json!(1)),
            ("layout", json!(template)),
            ("version", json!(2)),
            ("previous", json!(v1.to_string())),
            ("correction", json!("Feil dato for møtet")),
        ],
    );
    let other = b.add(
        Kind::Report,
        &[("evaluation", json!(2)), ("layout", json!(template))],
    );
    let file = b.file();
    let ids: Vec<Uuid> = current_versions(&file.reports)
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, vec![v2, other]);
    assert_eq!(file.reports.len(), 3, "the old version is kept");
    assert!(finalised_evaluations(&file.reports).is_empty());
}

#[test]
fn a_decision_to_extend_moves_the_periods() {
    let mut b = Builder::new("Familien Moe", "2026-01-05");
    b.add(
        Kind::Evaluation,
        &[
            ("number", json!(2)),
            ("date", json!("2026-07-05")),
            ("decision", json!("extend")),
            ("reason", json!("Trenger mer tid med rutinene")),
        ],
    );
    let f = compose(&b.file(), 3).unwrap();
    assert!(f.extended);
    assert_eq!(f.phases, vec![Phase::Work]);
    assert_eq!(f.evaluation_day, d("2026-10-05"));
    assert!(compose(&b.file(), 4).is_ok());
}

fn day_in(year: i32) -> impl Strategy<Value = NaiveDate> {
    (0u32..500).prop_map(move |n| {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .unwrap()
            .checked_add_days(chrono::Days::new(u64::from(n)))
            .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the days and the order records come in: a meeting counts in exactly the
    /// report whose period holds its day, and the facts are the same.
    #[test]
    fn every_meeting_counts_in_the_one_period_that_holds_it(
        intake in day_in(2026),
        days in proptest::collection::vec(day_in(2026), 0..40),
        seed in any::<u64>(),
    ) {
        let mut b = Builder::new("Familien Prop", &iso_date(intake));
        for day in &days {
            b.meeting(&iso_date(*day), 30, "home", &["economy"]);
        }
        let file = b.file();
        let timeline = file.family.as_ref().unwrap().course(&[]).unwrap().timeline();
        let mut counted = 0;
        for n in 1..=timeline.evaluations.len() as u8 {
            let f = compose(&file, n).unwrap();
            let want = days.iter().filter(|d| f.from <= **d && **d <= f.to).count();
            prop_assert_eq!(f.meetings.count as usize, want);
            prop_assert_eq!(f.meetings.minutes as usize, 30 * want);
            counted += want;
        }
        let end = timeline.end;
        let inside = days.iter().filter(|d| intake <= **d && **d < end).count();
        prop_assert_eq!(counted, inside);
        // Another order of the same records: the same facts.
        let mut shuffled = b.records.clone();
        let len = shuffled.len();
        let mut x = seed;
        for i in (1..len).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (x >> 33) as usize % (i + 1));
        }
        let again = FamilyFile::read(b.family, &shuffled);
        prop_assert_eq!(compose(&again, 1), compose(&file, 1));
    }
}
