//! Properties of the intervention's clock over many intake dates (month ends and leap years
//! included), with and without an extension and a placement at any point.

use chrono::{Days, NaiveDate};
use duken_domain::dates::add_months;
use duken_domain::phase::Phase;
use duken_domain::point::Point;
use duken_domain::timeline::{Checkpoint, Course};
use proptest::prelude::*;

fn date(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.checked_add_days(Days::new(offset)))
        .expect("in range")
}

fn rank(p: Phase) -> u8 {
    match p {
        Phase::NotStarted => 0,
        Phase::Start => 1,
        Phase::Work => 2,
        Phase::Closing => 3,
        Phase::FollowUp => 4,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_clock_holds_together(
        intake in 0u64..4000,
        extended in any::<bool>(),
        placement in proptest::option::of(0u64..500),
        closing_decided in proptest::option::of(0u64..500),
        end_decided in proptest::option::of(0u64..500),
    ) {
        let intake = date(intake);
        let after = |n: Option<u64>| n.and_then(|p| intake.checked_add_days(Days::new(p)));
        let (placement, closing_decided, end_decided) =
            (after(placement), after(closing_decided), after(end_decided));
        let t = Course { intake, extended, placement, closing_decided, end_decided }.timeline();
        let planned = add_months(intake, if extended { 9 } else { 6 });

        // Phases: contiguous, in order, from intake to three months of follow-up.
        prop_assert_eq!(t.spans.first().map(|s| s.from), Some(intake));
        prop_assert_eq!(t.spans.last().map(|s| s.until), Some(add_months(t.end, 3)));
        for w in t.spans.windows(2) {
            prop_assert_eq!(w[0].until, w[1].from);
            prop_assert!(rank(w[0].phase) < rank(w[1].phase));
        }
        prop_assert!(t.spans.iter().all(|s| s.from < s.until));
        // Closing: at the planned point, or from an earlier placement or decision; three
        // months long unless an evaluation ended the intervention sooner.
        let early = [placement, closing_decided].into_iter().flatten().min();
        let closing = match early {
            Some(p) if p < planned => p,
            _ => planned,
        };
        let end = match end_decided {
            Some(e) if e < add_months(closing, 3) => e,
            _ => add_months(closing, 3),
        };
        prop_assert_eq!(t.end, end);
        prop_assert_eq!(t.closing, closing.min(end));
        if t.closing < t.end {
            prop_assert_eq!(t.phase_on(t.closing), Phase::Closing);
        }
        prop_assert_eq!(t.phase_on(t.end), Phase::FollowUp);

        // Report periods: from the intake to the end, each starting where the last one ended,
        // one report for each.
        prop_assert_eq!(t.evaluations.last().copied(), Some(t.end));
        let mut from = intake;
        for n in 1..=t.evaluations.len() as u8 {
            let (a, b) = t.report_period(n).unwrap();
            prop_assert_eq!(a, from);
            prop_assert!(a <= b);
            from = b;
            prop_assert!(t.due_date(Checkpoint::Report(n)).is_some());
        }
        prop_assert_eq!(from, t.end);
        prop_assert!(t.report_period(t.evaluations.len() as u8 + 1).is_none());

        // Due items: in date order, within the course and its follow-up.
        for w in t.due.windows(2) {
            prop_assert!(w[0].date <= w[1].date);
        }
        let last = add_months(t.end, 3);
        prop_assert!(t.due.iter().all(|d| intake <= d.date && d.date <= last));
        // The start round and the first plan are what the start meetings (within 10 days)
        // are for: due then, or at the end if the course ends sooner; never on intake day.
        let start_meetings = (intake + chrono::Days::new(10)).min(t.end);
        prop_assert_eq!(t.due_date(Checkpoint::RatingRound(Point::Start)), Some(start_meetings));
        prop_assert_eq!(t.due_date(Checkpoint::WorkPlan(0)), Some(start_meetings));
        prop_assert_eq!(t.due_date(Checkpoint::HomeVisits), Some(intake + chrono::Days::new(10)));
        prop_assert_eq!(t.due_date(Checkpoint::RatingRound(Point::End)), Some(t.end));
        let calls: Vec<NaiveDate> = t.due.iter().filter(|d| matches!(d.checkpoint, Checkpoint::FollowUpCall(_))).map(|d| d.date).collect();
        prop_assert_eq!(calls.len(), 3);
        prop_assert!(calls.iter().all(|c| *c > t.end));
        // Case evaluations: one per month, all before the end.
        let evals: Vec<NaiveDate> = t.due.iter().filter(|d| matches!(d.checkpoint, Checkpoint::CaseEvaluation(_))).map(|d| d.date).collect();
        for (k, e) in evals.iter().enumerate() {
            prop_assert_eq!(*e, add_months(intake, k as u32 + 1));
            prop_assert!(*e < t.end);
        }
        prop_assert!(add_months(intake, evals.len() as u32 + 1) >= t.end);
        // A work plan per started 3-month period, each with a report before its evaluation.
        let plans = t.due.iter().filter(|d| matches!(d.checkpoint, Checkpoint::WorkPlan(_))).count();
        let reports = t.due.iter().filter(|d| matches!(d.checkpoint, Checkpoint::Report(_))).count();
        prop_assert_eq!(reports, plans);
        prop_assert!(plans >= 1);
    }
}
