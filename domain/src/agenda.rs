//! What a partner must do, family by family: the timeline's checkpoints and the booked home
//! visits, each ticked off by what has been recorded (or by hand, for what happens outside
//! Duken). The "Denne uken" screen is this list, across families, cut at a week ahead.

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use crate::family::norwegian_date;
use crate::intake::{visits_deadline, Visit, FIRST_VISITS};
use crate::rating::Point;
use crate::timeline::{Checkpoint, Course};

/// How far ahead "this week" looks, today included.
pub const WEEK_DAYS: u64 = 7;

/// What a family has recorded that ticks items off.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub visits: Vec<Visit>,
    /// Days a meeting was logged.
    pub meetings: Vec<NaiveDate>,
    /// Rounds in which every member has answered or has a reason for not answering.
    pub rounds_answered: Vec<Point>,
    /// Periods with a work plan.
    pub plans: Vec<u8>,
    /// Evaluations whose report is finalised.
    pub reports: Vec<u8>,
    /// Months whose case evaluation with the contact person is recorded.
    pub case_reviews: Vec<u8>,
    /// Checkpoints ticked off by hand.
    pub ticked: Vec<Checkpoint>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum What {
    Checkpoint(Checkpoint),
    /// A booked home visit (its record id).
    Visit(Uuid),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub what: What,
    pub date: NaiveDate,
    pub label: String,
    pub done: bool,
}

impl Item {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        !self.done && self.date < today
    }
}

/// Every item of one family's course, in date order, with whether it is done.
pub fn items(course: &Course, progress: &Progress) -> Vec<Item> {
    let timeline = course.timeline();
    let mut out: Vec<Item> = timeline
        .due
        .iter()
        .map(|due| {
            let c = due.checkpoint;
            let (date, label, done) = match c {
                // Booked at the intake itself; the visits are then items of their own.
                Checkpoint::HomeVisits => (
                    course.intake,
                    format!(
                        "Avtal de tre første hjemmebesøkene (innen {})",
                        norwegian_date(visits_deadline(course.intake))
                    ),
                    progress.visits.len() >= FIRST_VISITS,
                ),
                Checkpoint::RatingRound(p) => {
                    (due.date, c.label(), progress.rounds_answered.contains(&p))
                }
                Checkpoint::WorkPlan(n) => (due.date, c.label(), progress.plans.contains(&n)),
                // Recorded in Duken, or (done elsewhere) ticked off by hand.
                Checkpoint::Report(n) => (
                    due.date,
                    c.label(),
                    progress.reports.contains(&n) || progress.ticked.contains(&c),
                ),
                Checkpoint::CaseEvaluation(n) => (
                    due.date,
                    c.label(),
                    progress.case_reviews.contains(&n) || progress.ticked.contains(&c),
                ),
                _ => (due.date, c.label(), progress.ticked.contains(&c)),
            };
            Item {
                what: What::Checkpoint(c),
                date,
                label,
                done,
            }
        })
        .collect();
    for v in &progress.visits {
        out.push(Item {
            what: What::Visit(v.id),
            date: v.date,
            label: match &v.time {
                Some(t) => format!("Hjemmebesøk kl. {t}"),
                None => "Hjemmebesøk".to_owned(),
            },
            // A meeting logged that day is the visit.
            done: progress.meetings.contains(&v.date),
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.label.cmp(&b.label)));
    out
}

/// What is not done and due within the week from `today`, overdue first (by date).
pub fn this_week(items: &[Item], today: NaiveDate) -> Vec<&Item> {
    let until = today
        .checked_add_days(Days::new(WEEK_DAYS - 1))
        .unwrap_or(NaiveDate::MAX);
    items
        .iter()
        .filter(|i| !i.done && i.date <= until)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::family::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn labels(items: &[&Item]) -> Vec<String> {
        items.iter().map(|i| i.label.clone()).collect()
    }

    fn visit(date: &str) -> Visit {
        Visit {
            id: Uuid::now_v7(),
            date: d(date),
            time: None,
        }
    }

    #[test]
    fn the_first_week_after_intake() {
        let course = Course {
            intake: d("2026-01-05"),
            extended: false,
            placement: None,
            closing_decided: None,
            end_decided: None,
        };
        let mut p = Progress::default();
        let all = items(&course, &p);
        let week = this_week(&all, d("2026-01-05"));
        assert_eq!(
            labels(&week),
            [
                "Arbeidsplan for periode 1",
                "Avtal de tre første hjemmebesøkene (innen 15.01.2026)",
                "Rangeringsrunde: oppstart",
            ]
        );
        // Booking three visits ticks the booking off; the visits this week show instead.
        p.visits = vec![
            visit("2026-01-07"),
            visit("2026-01-09"),
            visit("2026-01-14"),
        ];
        p.plans = vec![0];
        let all = items(&course, &p);
        let week = this_week(&all, d("2026-01-05"));
        assert_eq!(
            labels(&week),
            ["Rangeringsrunde: oppstart", "Hjemmebesøk", "Hjemmebesøk"]
        );
        // Two days later the round is overdue and the first visit was logged as a meeting.
        p.meetings = vec![d("2026-01-07")];
        let all = items(&course, &p);
        let week = this_week(&all, d("2026-01-09"));
        assert_eq!(
            week.iter()
                .map(|i| (i.label.as_str(), i.overdue(d("2026-01-09"))))
                .collect::<Vec<_>>(),
            [
                ("Rangeringsrunde: oppstart", true),
                ("Hjemmebesøk", false),
                ("Hjemmebesøk", false),
            ]
        );
        p.rounds_answered = vec![Point::Start];
        let all = items(&course, &p);
        assert_eq!(this_week(&all, d("2026-01-09")).len(), 2);
    }

    #[test]
    fn ticked_checkpoints_and_an_extension_move_what_is_due() {
        let mut course = Course {
            intake: d("2026-01-05"),
            extended: false,
            placement: None,
            closing_decided: None,
            end_decided: None,
        };
        let p = Progress {
            visits: vec![
                visit("2026-01-06"),
                visit("2026-01-07"),
                visit("2026-01-08"),
            ],
            meetings: vec![d("2026-01-06"), d("2026-01-07"), d("2026-01-08")],
            rounds_answered: vec![Point::Start, Point::ThreeMonths],
            plans: vec![0, 1],
            ticked: (1..=5)
                .map(Checkpoint::CaseEvaluation)
                .chain([Checkpoint::Report(1)])
                .collect(),
            ..Progress::default()
        };
        let all = items(&course, &p);
        let week = this_week(&all, d("2026-07-01"));
        assert_eq!(
            labels(&week),
            [
                "Rapport før evaluering 2",
                "Arbeidsplan for periode 3",
                "Rangeringsrunde: etter 6 måneder",
                "Saksevaluering med kontaktpersonen (6. måned)",
            ]
        );
        // Extended at the 6-month evaluation: the end and its round move 3 months on.
        course.extended = true;
        let all = items(&course, &p);
        let end = all
            .iter()
            .find(|i| i.what == What::Checkpoint(Checkpoint::RatingRound(Point::End)));
        assert_eq!(end.map(|i| i.date), Some(d("2027-01-05")));
        // Recorded in Duken: a finalised report and a case evaluation tick themselves.
        let mut p = p;
        p.case_reviews.push(6);
        p.reports.push(2);
        let all = items(&course, &p);
        assert_eq!(
            labels(&this_week(&all, d("2026-07-01"))),
            [
                "Arbeidsplan for periode 3",
                "Rangeringsrunde: etter 6 måneder"
            ]
        );
    }
}
