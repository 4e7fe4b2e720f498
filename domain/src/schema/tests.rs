use serde_json::Value;

use super::*;
use crate::record::FieldWrite;
use crate::record::{Change, Kind};
use serde_json::json;
use uuid::Uuid;

fn meeting(field: &str, value: Value) -> Change {
    Change {
        id: Uuid::now_v7(),
        record: Uuid::now_v7(),
        kind: Kind::Meeting,
        family: Uuid::now_v7(),
        clock: 1,
        writes: vec![FieldWrite {
            field: field.into(),
            value,
            base: None,
            resolves: vec![],
        }],
    }
}

#[test]
fn a_record_may_not_take_its_familys_id() {
    let mut member = meeting("date", json!("2026-02-28"));
    member.kind = Kind::Member;
    member.writes[0].field = "name".into();
    member.writes[0].value = json!("Lars");
    validate_change(&member).unwrap();
    member.record = member.family;
    assert_eq!(
        validate_change(&member),
        Err(ValidationError::TakesFamilyId)
    );
}

#[test]
fn accepts_good_values() {
    validate_change(&meeting("date", json!("2026-02-28"))).unwrap();
    validate_change(&meeting("themes", json!(["economy", "routines"]))).unwrap();
    validate_change(&meeting("duration_minutes", json!(45))).unwrap();
    validate_change(&meeting("note", Value::Null)).unwrap();
}

#[test]
fn refuses_bad_values_with_clear_messages() {
    let e = validate_change(&meeting("duration_minutes", json!("lang"))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "feltet «Varighet (minutter)» har feil type: heltall"
    );
    assert!(matches!(
        validate_change(&meeting("date", json!("2026-02-30"))),
        Err(ValidationError::WrongType { .. })
    ));
    assert!(matches!(
        validate_change(&meeting("date", Value::Null)),
        Err(ValidationError::Required { .. })
    ));
    assert!(matches!(
        validate_change(&meeting("themes", json!(["astrologi"]))),
        Err(ValidationError::UnknownChoice { .. })
    ));
    assert!(matches!(
        validate_change(&meeting("shoe_size", json!(42))),
        Err(ValidationError::UnknownField { .. })
    ));
}

#[test]
fn rating_answers_are_fields_named_by_item() {
    let mut c = meeting("score.routines", json!(7));
    c.kind = Kind::Rating;
    validate_change(&c).unwrap();
    c.writes[0].value = json!(11);
    assert_eq!(
        validate_change(&c).unwrap_err().to_string(),
        "feltet «Svar» må være mellom 0 og 10"
    );
    c.writes[0].field = "comment.routines".into();
    c.writes[0].value = json!("Bedre enn i fjor");
    validate_change(&c).unwrap();
    for bad in ["score.Ikke Kode", "score.", "routines"] {
        c.writes[0].field = bad.into();
        assert!(
            matches!(
                validate_change(&c),
                Err(ValidationError::UnknownField { .. })
            ),
            "{bad}"
        );
    }
    // Only ratings have answers.
    let c = meeting("score.routines", json!(7));
    assert!(matches!(
        validate_change(&c),
        Err(ValidationError::UnknownField { .. })
    ));
    let mut form = meeting("form", json!("{}"));
    form.kind = Kind::Rating;
    assert!(matches!(
        validate_change(&form),
        Err(ValidationError::Layout { .. })
    ));
    form.writes[0].value = json!(crate::rating::builtin()[0].to_json());
    validate_change(&form).unwrap();
}

#[test]
fn ticks_and_wishes_are_fields_named_by_what_they_are_about() {
    let mut c = meeting("done.case_3", json!("2026-04-05"));
    c.kind = Kind::Family;
    c.family = c.record;
    validate_change(&c).unwrap();
    // Only what is done outside Duken is ticked by hand; plans and rounds tick themselves.
    for bad in [
        "done.plan_1",
        "done.round_m3",
        "done.case_x",
        "done.",
        "done.call_+1",
    ] {
        c.writes[0].field = bad.into();
        assert!(
            matches!(
                validate_change(&c),
                Err(ValidationError::UnknownField { .. })
            ),
            "{bad}"
        );
    }
    let child = Uuid::now_v7();
    let mut c = meeting(
        &crate::network::wish_field(child),
        json!("Vil ikke at læreren skal vite"),
    );
    c.kind = Kind::Contact;
    validate_change(&c).unwrap();
    c.writes[0].field = "wish.emma".into();
    assert!(validate_change(&c).is_err());
}

#[test]
fn checkpoint_codes_read_back() {
    use crate::point::Point;
    use crate::timeline::Checkpoint;
    for c in [
        Checkpoint::HomeVisits,
        Checkpoint::RatingRound(Point::SixMonths),
        Checkpoint::WorkPlan(0),
        Checkpoint::Report(4),
        Checkpoint::CaseEvaluation(11),
        Checkpoint::FollowUpCall(3),
    ] {
        assert_eq!(Checkpoint::parse(&c.code()), Some(c));
    }
}
