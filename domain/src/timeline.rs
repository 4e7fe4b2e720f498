//! The intervention's clock (workbook 000; DOMAIN.md, "The intervention's timeline"): its phases
//! and the fixed points a partner must not miss, computed from the intake date with chrono's
//! calendar months (31 January + 1 month is 28 or 29 February).
//!
//! A first step of the timeline issue: the rules, tested. The screens that use them come next.
//!
//! Rules, as read from the workbook:
//! - start phase months 0-3, work phase 3-6, closing phase the last 3 months; an extension
//!   decided at the 6-month evaluation makes the work phase 3-9 and the closing phase 9-12;
//! - a placement moves the family into the closing phase from its date, and the intervention
//!   ends 3 months later (a placement already in the closing phase changes nothing);
//! - the 3-monthly evaluation with the contact person decides too ([`crate::evaluation`]): an
//!   extension as above, the closing phase from its date (as a placement), or the end on its
//!   date (the closing phase, if not reached, is cut there);
//! - the first three home visits are booked within 10 days of intake;
//! - rating rounds at the start, at 3 and 6 months while the family is not yet in the closing
//!   phase (the 6-month round is at its start when there is no extension), and at the end;
//! - a work plan for every 3-month period, made at its start;
//! - a report one week before each 3-monthly evaluation and before the end;
//! - a case evaluation with the contact person every month;
//! - a follow-up call once a month for 3 months after the end.

use chrono::{Days, NaiveDate};

use crate::dates::add_months;
use crate::phase::Phase;
use crate::point::Point;

/// Days after intake by which the first three home visits must have happened.
pub const HOME_VISITS_WITHIN_DAYS: u64 = 10;
/// How long before an evaluation its report is due.
pub const REPORT_DAYS_BEFORE: u64 = 7;

/// What is known about one family's course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    pub intake: NaiveDate,
    /// Extended by 3 months at the 6-month evaluation.
    pub extended: bool,
    /// The date of a placement, if there was one.
    pub placement: Option<NaiveDate>,
    /// An evaluation decided to move to the closing phase from this date.
    pub closing_decided: Option<NaiveDate>,
    /// An evaluation decided to end the intervention on this date.
    pub end_decided: Option<NaiveDate>,
}

/// A phase from one date up to (not including) another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub phase: Phase,
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// Something due on the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Checkpoint {
    /// The first three home visits, all done by this date.
    HomeVisits,
    RatingRound(Point),
    /// The work plan for period `n` (0: the first 3 months).
    WorkPlan(u8),
    /// The report before evaluation `n` (1: at 3 months; the last one before the end).
    Report(u8),
    /// The monthly case evaluation `n` with the contact person.
    CaseEvaluation(u8),
    /// Follow-up call `n` (1-3) after the end.
    FollowUpCall(u8),
}

impl Checkpoint {
    /// A stable code, kept in the family's `done.<code>` field when ticked off by hand.
    pub fn code(self) -> String {
        match self {
            Checkpoint::HomeVisits => "home_visits".to_owned(),
            Checkpoint::RatingRound(p) => format!("round_{}", p.code()),
            Checkpoint::WorkPlan(n) => format!("plan_{n}"),
            Checkpoint::Report(n) => format!("report_{n}"),
            Checkpoint::CaseEvaluation(n) => format!("case_{n}"),
            Checkpoint::FollowUpCall(n) => format!("call_{n}"),
        }
    }

    pub fn parse(code: &str) -> Option<Checkpoint> {
        if code == "home_visits" {
            return Some(Checkpoint::HomeVisits);
        }
        let (kind, rest) = code.split_once('_')?;
        if kind == "round" {
            return Point::parse(rest).map(Checkpoint::RatingRound);
        }
        // Digits only: "+1" or " 1" would parse as numbers but are not codes we write.
        if rest.is_empty() || rest.len() > 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u8 = rest.parse().ok()?;
        match kind {
            "plan" => Some(Checkpoint::WorkPlan(n)),
            "report" => Some(Checkpoint::Report(n)),
            "case" => Some(Checkpoint::CaseEvaluation(n)),
            "call" => Some(Checkpoint::FollowUpCall(n)),
            _ => None,
        }
    }

    /// Done outside Duken (a report, a meeting with the contact person, a phone call), so the
    /// partner ticks it off; the others are ticked off by what is recorded (visits booked,
    /// rounds answered, plans made).
    pub fn by_hand(self) -> bool {
        matches!(
            self,
            Checkpoint::Report(_) | Checkpoint::CaseEvaluation(_) | Checkpoint::FollowUpCall(_)
        )
    }

    /// What a partner reads in a due list.
    pub fn label(self) -> String {
        match self {
            Checkpoint::HomeVisits => "De tre første hjemmebesøkene".to_owned(),
            Checkpoint::RatingRound(p) => format!("Rangeringsrunde: {}", p.label().to_lowercase()),
            Checkpoint::WorkPlan(n) => format!("Arbeidsplan for periode {}", n + 1),
            Checkpoint::Report(n) => format!("Rapport før evaluering {n}"),
            Checkpoint::CaseEvaluation(n) => {
                format!("Saksevaluering med kontaktpersonen ({n}. måned)")
            }
            Checkpoint::FollowUpCall(n) => format!("Oppfølgingssamtale {n} av 3"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    pub checkpoint: Checkpoint,
    pub date: NaiveDate,
}

/// A family's phases and what is due, in date order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub spans: Vec<Span>,
    /// The day the closing phase starts.
    pub closing: NaiveDate,
    /// The day the intervention ends (the follow-up starts).
    pub end: NaiveDate,
    /// The days of the 3-monthly evaluations with the contact person, in order (the last one
    /// at the end): evaluation `n` is `evaluations[n - 1]`, and its report covers the days
    /// from the one before (or the intake) up to it.
    pub evaluations: Vec<NaiveDate>,
    pub due: Vec<Due>,
}

fn add_days(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_add_days(Days::new(n))
        .unwrap_or(NaiveDate::MAX)
}

fn sub_days(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(n))
        .unwrap_or(NaiveDate::MIN)
}

impl Course {
    pub fn timeline(&self) -> Timeline {
        let month = |n: u32| add_months(self.intake, n);
        let planned = if self.extended { month(9) } else { month(6) };
        // A placement and a decision to close early act alike: the earlier one counts.
        let early = match (self.placement, self.closing_decided) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let (mut closing, mut end) = match early {
            Some(p) if p < planned => {
                let p = p.max(self.intake);
                (p, add_months(p, 3))
            }
            _ => (planned, add_months(planned, 3)),
        };
        if let Some(e) = self.end_decided {
            let e = e.max(self.intake);
            if e < end {
                end = e;
                closing = closing.min(e);
            }
        }
        let follow_up_end = add_months(end, 3);

        let mut spans = Vec::new();
        let mut push = |phase, from: NaiveDate, until: NaiveDate| {
            if from < until {
                spans.push(Span { phase, from, until });
            }
        };
        push(Phase::Start, self.intake, month(3).min(closing));
        push(Phase::Work, month(3).min(closing), closing);
        push(Phase::Closing, closing, end);
        push(Phase::FollowUp, end, follow_up_end);

        // The workbook: three home visits within 10 days of the intake, "i løpet av møtene"
        // everyone fills their first rating form, and "oppstartsmøtene skal ende i en plan".
        // So the start round and the first plan are due when those visits are, not on the
        // intake day (which made them overdue the morning after).
        let start_meetings = add_days(self.intake, HOME_VISITS_WITHIN_DAYS);
        let mut due = vec![
            Due {
                checkpoint: Checkpoint::HomeVisits,
                date: start_meetings,
            },
            Due {
                checkpoint: Checkpoint::RatingRound(Point::Start),
                date: start_meetings.min(end),
            },
        ];
        for (point, at) in [(Point::ThreeMonths, month(3)), (Point::SixMonths, month(6))] {
            if at <= closing && at < end {
                due.push(Due {
                    checkpoint: Checkpoint::RatingRound(point),
                    date: at,
                });
            }
        }
        due.push(Due {
            checkpoint: Checkpoint::RatingRound(Point::End),
            date: end,
        });
        // Work plans and evaluations every 3 months from intake, while the course runs; the
        // first plan always (even a course an evaluation ended on its first day had one).
        let mut n: u8 = 0;
        while n == 0 || month(3 * u32::from(n)) < end {
            due.push(Due {
                checkpoint: Checkpoint::WorkPlan(n),
                date: if n == 0 {
                    start_meetings.min(end)
                } else {
                    month(3 * u32::from(n))
                },
            });
            n += 1;
        }
        let mut evaluations: Vec<NaiveDate> = (1..n).map(|k| month(3 * u32::from(k))).collect();
        evaluations.push(end);
        for (k, at) in evaluations.iter().enumerate() {
            due.push(Due {
                checkpoint: Checkpoint::Report(k as u8 + 1),
                date: sub_days(*at, REPORT_DAYS_BEFORE).max(self.intake),
            });
        }
        let mut k: u8 = 1;
        while month(u32::from(k)) < end {
            due.push(Due {
                checkpoint: Checkpoint::CaseEvaluation(k),
                date: month(u32::from(k)),
            });
            k += 1;
        }
        for call in 1..=3u8 {
            due.push(Due {
                checkpoint: Checkpoint::FollowUpCall(call),
                date: add_months(end, u32::from(call)),
            });
        }
        due.sort_by_key(|d| (d.date, d.checkpoint));
        Timeline {
            spans,
            closing,
            end,
            evaluations,
            due,
        }
    }
}

impl Timeline {
    /// The phase on `date`.
    pub fn phase_on(&self, date: NaiveDate) -> Phase {
        match (self.spans.first(), self.spans.last()) {
            (Some(first), _) if date < first.from => Phase::NotStarted,
            (_, Some(last)) if date >= last.until => Phase::FollowUp,
            _ => self
                .spans
                .iter()
                .find(|s| s.from <= date && date < s.until)
                .map_or(Phase::NotStarted, |s| s.phase),
        }
    }

    /// The days a report for evaluation `n` covers: from the evaluation before (or the
    /// intake) up to, not including, evaluation `n`'s day.
    pub fn report_period(&self, n: u8) -> Option<(NaiveDate, NaiveDate)> {
        let i = usize::from(n).checked_sub(1)?;
        let until = *self.evaluations.get(i)?;
        let from = match i.checked_sub(1) {
            Some(j) => self.evaluations[j],
            None => self.spans.first().map_or(until, |s| s.from),
        };
        Some((from, until))
    }

    pub fn due_date(&self, checkpoint: Checkpoint) -> Option<NaiveDate> {
        self.due
            .iter()
            .find(|d| d.checkpoint == checkpoint)
            .map(|d| d.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn course(intake: &str) -> Course {
        Course {
            intake: d(intake),
            extended: false,
            placement: None,
            closing_decided: None,
            end_decided: None,
        }
    }

    #[test]
    fn nine_months_in_three_phases_then_three_calls() {
        let t = course("2026-01-15").timeline();
        let phases: Vec<(Phase, NaiveDate, NaiveDate)> =
            t.spans.iter().map(|s| (s.phase, s.from, s.until)).collect();
        assert_eq!(
            phases,
            vec![
                (Phase::Start, d("2026-01-15"), d("2026-04-15")),
                (Phase::Work, d("2026-04-15"), d("2026-07-15")),
                (Phase::Closing, d("2026-07-15"), d("2026-10-15")),
                (Phase::FollowUp, d("2026-10-15"), d("2027-01-15")),
            ]
        );
        assert_eq!(t.due_date(Checkpoint::HomeVisits), Some(d("2026-01-25")));
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::ThreeMonths)),
            Some(d("2026-04-15"))
        );
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::SixMonths)),
            Some(d("2026-07-15"))
        );
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::End)),
            Some(d("2026-10-15"))
        );
        assert_eq!(t.due_date(Checkpoint::WorkPlan(2)), Some(d("2026-07-15")));
        assert_eq!(t.due_date(Checkpoint::WorkPlan(3)), None);
        assert_eq!(t.due_date(Checkpoint::Report(1)), Some(d("2026-04-08")));
        assert_eq!(t.due_date(Checkpoint::Report(3)), Some(d("2026-10-08")));
        assert_eq!(
            t.due_date(Checkpoint::CaseEvaluation(8)),
            Some(d("2026-09-15"))
        );
        assert_eq!(t.due_date(Checkpoint::CaseEvaluation(9)), None);
        assert_eq!(
            t.due_date(Checkpoint::FollowUpCall(3)),
            Some(d("2027-01-15"))
        );
        assert_eq!(t.phase_on(d("2026-01-14")), Phase::NotStarted);
        assert_eq!(t.phase_on(d("2026-07-14")), Phase::Work);
        assert_eq!(t.phase_on(d("2027-06-01")), Phase::FollowUp);
    }

    #[test]
    fn due_items_read_in_norwegian() {
        assert_eq!(
            Checkpoint::RatingRound(Point::ThreeMonths).label(),
            "Rangeringsrunde: etter 3 måneder"
        );
        assert_eq!(Checkpoint::WorkPlan(0).label(), "Arbeidsplan for periode 1");
        assert_eq!(
            Checkpoint::FollowUpCall(2).label(),
            "Oppfølgingssamtale 2 av 3"
        );
    }

    #[test]
    fn month_ends_and_leap_years_clamp() {
        let t = course("2027-11-30").timeline();
        // 30 Nov + 3 months: 29 Feb in the leap year 2028.
        assert_eq!(t.spans[0].until, d("2028-02-29"));
        assert_eq!(
            t.due_date(Checkpoint::CaseEvaluation(3)),
            Some(d("2028-02-29"))
        );
        let t = course("2028-02-29").timeline();
        assert_eq!(t.due_date(Checkpoint::CaseEvaluation(12)), None);
        assert_eq!(t.end, d("2028-11-29"));
        assert_eq!(
            t.due_date(Checkpoint::FollowUpCall(3)),
            Some(d("2029-02-28"))
        );
        let t = course("2026-01-31").timeline();
        assert_eq!(
            t.due_date(Checkpoint::CaseEvaluation(1)),
            Some(d("2026-02-28"))
        );
        assert_eq!(t.due_date(Checkpoint::HomeVisits), Some(d("2026-02-10")));
    }

    #[test]
    fn an_extension_makes_the_work_phase_six_months() {
        let mut c = course("2026-01-15");
        c.extended = true;
        let t = c.timeline();
        assert_eq!(t.closing, d("2026-10-15"));
        assert_eq!(t.end, d("2027-01-15"));
        assert_eq!(t.phase_on(d("2026-08-01")), Phase::Work);
        assert_eq!(t.due_date(Checkpoint::WorkPlan(3)), Some(d("2026-10-15")));
        assert_eq!(t.due_date(Checkpoint::Report(4)), Some(d("2027-01-08")));
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::SixMonths)),
            Some(d("2026-07-15"))
        );
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::End)),
            Some(d("2027-01-15"))
        );
    }

    #[test]
    fn a_placement_starts_the_closing_phase_in_any_phase() {
        let mut c = course("2026-01-15");
        // In the start phase: closing from the placement, the end 3 months later.
        c.placement = Some(d("2026-02-20"));
        let t = c.timeline();
        assert_eq!(
            t.spans.iter().map(|s| s.phase).collect::<Vec<_>>(),
            vec![Phase::Start, Phase::Closing, Phase::FollowUp]
        );
        assert_eq!((t.closing, t.end), (d("2026-02-20"), d("2026-05-20")));
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::ThreeMonths)),
            None
        );
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::End)),
            Some(d("2026-05-20"))
        );
        assert_eq!(t.phase_on(d("2026-03-01")), Phase::Closing);
        // In the work phase.
        c.placement = Some(d("2026-05-02"));
        let t = c.timeline();
        assert_eq!((t.closing, t.end), (d("2026-05-02"), d("2026-08-02")));
        assert_eq!(
            t.due_date(Checkpoint::RatingRound(Point::ThreeMonths)),
            Some(d("2026-04-15"))
        );
        assert_eq!(t.due_date(Checkpoint::RatingRound(Point::SixMonths)), None);
        // In the closing phase: nothing moves.
        c.placement = Some(d("2026-08-01"));
        assert_eq!(c.timeline(), course("2026-01-15").timeline());
        // In an extended work phase.
        c.extended = true;
        c.placement = Some(d("2026-08-01"));
        let t = c.timeline();
        assert_eq!((t.closing, t.end), (d("2026-08-01"), d("2026-11-01")));
    }

    #[test]
    fn an_evaluation_may_close_early_or_end_the_intervention() {
        let mut c = course("2026-01-15");
        // Decided at the 3-month evaluation: the closing phase from then, the end 3 months on.
        c.closing_decided = Some(d("2026-04-15"));
        let t = c.timeline();
        assert_eq!((t.closing, t.end), (d("2026-04-15"), d("2026-07-15")));
        assert_eq!(t.phase_on(d("2026-05-01")), Phase::Closing);
        // A placement before that decision counts first.
        c.placement = Some(d("2026-03-01"));
        assert_eq!(c.timeline().closing, d("2026-03-01"));
        // Ended at an evaluation: the follow-up starts that day.
        let mut c = course("2026-01-15");
        c.end_decided = Some(d("2026-04-15"));
        let t = c.timeline();
        assert_eq!((t.closing, t.end), (d("2026-04-15"), d("2026-04-15")));
        assert_eq!(t.phase_on(d("2026-04-14")), Phase::Start);
        assert_eq!(t.phase_on(d("2026-04-15")), Phase::FollowUp);
        assert_eq!(t.evaluations, vec![d("2026-04-15")]);
        assert_eq!(
            t.due_date(Checkpoint::FollowUpCall(1)),
            Some(d("2026-05-15"))
        );
        // Ended on the intake day itself: still one plan, one report, no case evaluation.
        let mut c = course("2026-01-15");
        c.end_decided = Some(d("2026-01-15"));
        let t = c.timeline();
        assert_eq!(t.due_date(Checkpoint::WorkPlan(0)), Some(d("2026-01-15")));
        assert_eq!(t.due_date(Checkpoint::Report(1)), Some(d("2026-01-15")));
        assert_eq!(t.due_date(Checkpoint::CaseEvaluation(1)), None);
        // An end decided after the planned end changes nothing.
        let mut c = course("2026-01-15");
        c.end_decided = Some(d("2027-01-01"));
        assert_eq!(c.timeline(), course("2026-01-15").timeline());
    }

    #[test]
    fn report_periods_run_from_evaluation_to_evaluation_across_month_ends() {
        let t = course("2026-11-30").timeline();
        // 30 Nov + 3 months is 28 Feb (2027 is no leap year); + 6 months is 30 May.
        assert_eq!(t.report_period(1), Some((d("2026-11-30"), d("2027-02-28"))));
        assert_eq!(t.report_period(2), Some((d("2027-02-28"), d("2027-05-30"))));
        assert_eq!(t.report_period(3), Some((d("2027-05-30"), d("2027-08-30"))));
        assert_eq!(t.report_period(4), None);
        assert_eq!(t.report_period(0), None);
        // The report is due a week before the evaluation that ends its period.
        assert_eq!(t.due_date(Checkpoint::Report(1)), Some(d("2027-02-21")));
    }
}
