use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::dates::parse_date;
use crate::family::{Member, Role};
use crate::point::Point;
use crate::record::{Kind, Record};

fn date(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn round(point: Point, d: &str) -> Round {
    Round {
        id: Uuid::now_v7(),
        family: Uuid::nil(),
        point,
        date: date(d),
    }
}

fn rating(form: &RatingTemplate, round: &Round, member: Uuid, scores: &[(&str, u8)]) -> Rating {
    Rating {
        id: Uuid::now_v7(),
        family: Uuid::nil(),
        round: round.id,
        member,
        rater: Rater::Member,
        form: form.clone(),
        scores: scores.iter().map(|(k, s)| ((*k).to_owned(), *s)).collect(),
        comments: BTreeMap::new(),
        submitted: Some(round.date),
        skipped: None,
    }
}

fn member(name: &str, role: Role) -> Member {
    Member {
        id: Uuid::now_v7(),
        family: Uuid::nil(),
        name: name.into(),
        role,
        birth_year: None,
    }
}

fn adult() -> RatingTemplate {
    builtin_template("voksen").unwrap()
}

fn child() -> RatingTemplate {
    builtin_template("barn").unwrap()
}

#[test]
fn builtin_templates_parse_and_have_the_default_areas() {
    let all = builtin();
    assert_eq!(all.len(), template::BUILTIN.len());
    let a = adult();
    assert_eq!(a.audience, Audience::Adult);
    assert_eq!((a.scale.min, a.scale.max, a.scale.faces), (1, 10, false));
    assert_eq!(a.items.len(), 18);
    assert!(a.comments);
    let c = builtin_template("barn").unwrap();
    assert_eq!(c.audience, Audience::Child);
    assert!(c.scale.faces);
    assert!(c.items.len() < a.items.len());
    for t in all {
        assert_eq!(RatingTemplate::parse(&t.to_json()), Ok(t));
    }
}

#[test]
fn bad_templates_are_refused_with_clear_messages() {
    let mut t = adult();
    t.scale.max = 11;
    assert_eq!(t.check(), Err(RatingTemplateError::BadScale));
    let mut t = adult();
    t.scale.faces = true;
    assert_eq!(t.check(), Err(RatingTemplateError::TooManyFaces));
    let mut t = adult();
    t.items[1].key = t.items[0].key.clone();
    assert!(matches!(t.check(), Err(RatingTemplateError::Duplicate(_))));
    let mut t = adult();
    t.items.clear();
    assert_eq!(t.check(), Err(RatingTemplateError::NoItems));
    let mut t = adult();
    t.items[0].label = " ".into();
    assert!(matches!(t.check(), Err(RatingTemplateError::BadLabel(_))));
    assert!(matches!(
        RatingTemplate::parse("{"),
        Err(RatingTemplateError::Json(_))
    ));
}

#[test]
fn new_keys_are_codes_and_unique() {
    let t = adult();
    assert_eq!(t.new_key("Søvn og hvile!"), "sovn-og-hvile");
    let taken = t.items[0].key.clone();
    let again = t.new_key(&taken);
    assert_ne!(again, taken);
    assert!(answer_field(&score_field(&again)).is_some());
    assert_eq!(t.new_key("???"), "sporsmal");
}

#[test]
fn answer_fields_name_part_and_item() {
    assert_eq!(
        answer_field("score.routines"),
        Some((AnswerPart::Score, "routines"))
    );
    assert_eq!(
        answer_field("comment.routines"),
        Some((AnswerPart::Comment, "routines"))
    );
    assert_eq!(answer_field("score.Bad Key"), None);
    assert_eq!(answer_field("round"), None);
}

#[test]
fn progress_computes_changes_per_area_and_highlights() {
    let form = adult();
    let (start, m3) = (
        round(Point::Start, "2026-01-05"),
        round(Point::ThreeMonths, "2026-04-05"),
    );
    let kari = Uuid::now_v7();
    let ratings = vec![
        rating(
            &form,
            &start,
            kari,
            &[
                ("routines", 4),
                ("economy", 2),
                ("housing", 8),
                ("network", 5),
            ],
        ),
        rating(
            &form,
            &m3,
            kari,
            &[("routines", 7), ("economy", 3), ("housing", 6)],
        ),
    ];
    let p = progress(&[start.clone(), m3.clone()], &ratings, kari, Rater::Member);
    let area = |k: &str| p.areas.iter().find(|a| a.key == k).unwrap();
    assert_eq!(area("routines").scores, vec![Some(4), Some(7)]);
    assert_eq!(area("routines").change, Some(3));
    assert!(!area("routines").needs_attention());
    assert_eq!(area("housing").change, Some(-2));
    assert!(area("housing").fell && !area("housing").low);
    assert!(area("economy").low && area("economy").stayed_low);
    assert_eq!(area("economy").change, Some(1));
    // Answered only at the start: no change, but still charted.
    assert_eq!(area("network").scores, vec![Some(5), None]);
    assert_eq!(area("network").change, None);
    // Never answered: no highlight.
    assert!(!area("violence").needs_attention());
    assert_eq!(p.areas.len(), form.items.len());
    assert_eq!(p.areas[0].key, form.items[0].key);

    let lowest: Vec<&str> = lowest_areas(&p, 2).iter().map(|a| a.key.as_str()).collect();
    assert_eq!(lowest, vec!["economy", "network"]);
}

#[test]
fn progress_follows_the_form_each_answer_was_given_with() {
    let old = adult();
    let mut new = adult();
    new.version = 2;
    new.items.retain(|i| i.key != "housing");
    new.items.insert(
        0,
        Item {
            key: "sleep".into(),
            label: "Søvn".into(),
            group: None,
        },
    );
    new.items[1].label = "Rutiner i hverdagen".into();
    let (a, b) = (
        round(Point::Start, "2026-01-05"),
        round(Point::ThreeMonths, "2026-04-05"),
    );
    let m = Uuid::now_v7();
    let ratings = vec![
        rating(&old, &a, m, &[("housing", 3), ("routines", 5)]),
        rating(&new, &b, m, &[("sleep", 6), ("routines", 6)]),
    ];
    let p = progress(&[a, b], &ratings, m, Rater::Member);
    assert_eq!(p.areas[0].key, "sleep");
    assert_eq!(p.areas[1].label, "Rutiner i hverdagen");
    let housing = p.areas.iter().find(|x| x.key == "housing").unwrap();
    assert_eq!(housing.scores, vec![Some(3), None]);
    assert!(housing.low && !housing.stayed_low);
}

#[test]
fn changes_across_scales_are_counted_in_the_newer_scale() {
    let child = builtin_template("barn").unwrap();
    let mut ten = child.clone();
    ten.scale = adult().scale;
    ten.scale.faces = false;
    let (a, b) = (
        round(Point::Start, "2026-01-05"),
        round(Point::ThreeMonths, "2026-04-05"),
    );
    let m = Uuid::now_v7();
    let ratings = vec![
        rating(&child, &a, m, &[("home", 1)]),
        rating(&ten, &b, m, &[("home", 10)]),
    ];
    let p = progress(&[a, b], &ratings, m, Rater::Member);
    assert_eq!(p.areas[0].change, Some(9));
    assert_eq!(p.areas[0].levels, vec![Some(0.0), Some(1.0)]);
}

#[test]
fn drafts_skips_and_the_partners_view_stay_apart() {
    let form = adult();
    let r = round(Point::Start, "2026-01-05");
    let (kari, ola, emma, baby) = (
        member("Kari", Role::Parent),
        member("Ola", Role::Parent),
        member("Emma", Role::Child),
        member("Lille", Role::Child),
    );
    let members = vec![kari.clone(), ola.clone(), emma.clone(), baby.clone()];
    let mut draft = rating(&form, &r, ola.id, &[("routines", 2)]);
    draft.submitted = None;
    let mut skipped = rating(&form, &r, baby.id, &[]);
    skipped.submitted = None;
    skipped.skipped = Some("For ung til å svare".into());
    let mut partner = rating(&form, &r, emma.id, &[("routines", 3)]);
    partner.rater = Rater::Partner;
    let ratings = vec![
        rating(&form, &r, kari.id, &[("routines", 6)]),
        draft,
        skipped,
        partner,
    ];
    let standings: Vec<Standing> = ratings.iter().map(Rating::standing).collect();
    assert_eq!(
        missing_raters(&members, r.id, &standings),
        vec![ola.id, emma.id]
    );
    let p = progress(std::slice::from_ref(&r), &ratings, ola.id, Rater::Member);
    assert!(p.areas.iter().all(|a| a.scores == vec![None]));
    let own = progress(std::slice::from_ref(&r), &ratings, emma.id, Rater::Member);
    let theirs = progress(std::slice::from_ref(&r), &ratings, emma.id, Rater::Partner);
    assert!(own.areas.iter().all(|a| a.scores == vec![None]));
    assert_eq!(theirs.areas[0].scores, vec![Some(3)]);
    // Another round: everyone is missing again.
    let next = round(Point::ThreeMonths, "2026-04-05");
    assert_eq!(missing_raters(&members, next.id, &standings).len(), 4);
}

#[test]
fn a_rating_record_reads_as_a_rating_and_as_a_standing() {
    use crate::record::{Change, FieldWrite};
    use serde_json::json;
    let (round, member) = (Uuid::now_v7(), Uuid::now_v7());
    let write = |field: &str, value: serde_json::Value| FieldWrite {
        field: field.into(),
        value,
        base: None,
        resolves: vec![],
    };
    let change = Change {
        id: Uuid::now_v7(),
        record: Uuid::now_v7(),
        kind: Kind::Rating,
        family: Uuid::now_v7(),
        clock: 1,
        writes: vec![
            write("round", json!(round.to_string())),
            write("member", json!(member.to_string())),
            write("rater", json!("member")),
            write("form", json!(adult().to_json())),
            write("score.routines", json!(7)),
            write("score.economy", json!(12)),
            write("comment.routines", json!("Bedre nå")),
            write("submitted", json!("2026-04-05")),
        ],
    };
    let record = Record::from_change(&change);
    let rating = Rating::from_record(&record).unwrap();
    assert_eq!(rating.score("routines"), Some(7));
    // Outside the form's own scale: read as unanswered.
    assert_eq!(rating.score("economy"), None);
    assert_eq!(rating.comments["routines"], "Bedre nå");
    assert_eq!(rating.unanswered(), 17);
    assert_eq!(Standing::from_record(&record), Some(rating.standing()));
    assert!(rating.standing().submitted && !rating.standing().skipped);
}

#[test]
fn an_empty_form_is_not_delivered_and_a_partial_one_is_pointed_out() {
    let form = child();
    let r = round(Point::Start, "2026-01-05");
    let emma = member("Emma", Role::Child);
    // «Ferdig» pressed with nothing answered (an older app allowed it): not delivered.
    let empty = rating(&form, &r, emma.id, &[]);
    assert!(empty.submitted.is_some());
    assert!(!empty.delivered() && !empty.counts());
    assert_eq!(empty.finish(), Finish::Empty);
    let standings = vec![empty.standing()];
    assert_eq!(
        missing_raters(std::slice::from_ref(&emma), r.id, &standings),
        vec![emma.id]
    );
    // The same read from its record, as the lists that do not parse forms do.
    let first = &form.items[0].key;
    let partial = rating(&form, &r, emma.id, &[(first.as_str(), 3)]);
    assert!(partial.delivered());
    match partial.finish() {
        Finish::Partial(open) => {
            assert_eq!(open.len(), form.items.len() - 1);
            assert_eq!(open[0], form.items[1].label);
        }
        other => panic!("{other:?}"),
    }
    let all: Vec<(&str, u8)> = form.items.iter().map(|i| (i.key.as_str(), 2)).collect();
    assert_eq!(rating(&form, &r, emma.id, &all).finish(), Finish::Ready);
}

#[test]
fn an_empty_submitted_record_is_no_standing_delivery() {
    use crate::record::{Change, FieldWrite};
    use serde_json::json;
    let write = |field: &str, value: serde_json::Value| FieldWrite {
        field: field.into(),
        value,
        base: None,
        resolves: vec![],
    };
    let mut change = Change {
        id: Uuid::now_v7(),
        record: Uuid::now_v7(),
        kind: Kind::Rating,
        family: Uuid::now_v7(),
        clock: 1,
        writes: vec![
            write("round", json!(Uuid::now_v7().to_string())),
            write("member", json!(Uuid::now_v7().to_string())),
            write("rater", json!("member")),
            write("form", json!(child().to_json())),
            write("submitted", json!("2026-04-05")),
        ],
    };
    let empty = Record::from_change(&change);
    assert_eq!(
        Standing::from_record(&empty).map(|s| s.submitted),
        Some(false)
    );
    // A score taken back (tapped again) is no answer either.
    change
        .writes
        .push(write("score.home", serde_json::Value::Null));
    let taken_back = Record::from_change(&change);
    assert_eq!(
        Standing::from_record(&taken_back).map(|s| s.submitted),
        Some(false)
    );
}

#[test]
fn the_star_chart_compares_the_last_three_rounds_by_default() {
    let form = adult();
    let rounds = in_order(vec![
        round(Point::End, "2026-10-01"),
        round(Point::Start, "2026-01-05"),
        round(Point::SixMonths, "2026-07-05"),
        round(Point::ThreeMonths, "2026-04-05"),
    ]);
    assert_eq!(rounds[0].point, Point::Start);
    let m = Uuid::now_v7();
    let ratings: Vec<Rating> = rounds
        .iter()
        .map(|r| rating(&form, r, m, &[("routines", 5)]))
        .collect();
    let shown = default_compared(&rounds, &ratings, m, Rater::Member);
    let points: Vec<Point> = shown.iter().map(|r| r.point).collect();
    assert_eq!(
        points,
        vec![Point::ThreeMonths, Point::SixMonths, Point::End]
    );
}

#[test]
fn scales_give_levels_and_children_get_the_child_form() {
    let s = adult().scale;
    assert_eq!(s.level(1), 0.0);
    assert_eq!(s.level(10), 1.0);
    assert!((s.level(3) - 2.0 / 9.0).abs() < 1e-6);
    let all = builtin();
    let kid = member("Emma", Role::Child);
    assert_eq!(
        default_for(&all, Audience::of(&kid)).map(|t| t.code.as_str()),
        Some("barn")
    );
    let mut team = adult();
    team.code = "voksen-nord".into();
    let mut with_team = all.clone();
    with_team.push(team);
    assert_eq!(
        default_for(&with_team, Audience::Adult).map(|t| t.code.as_str()),
        Some("voksen-nord")
    );
}
