//! What a partner must do, family by family: the timeline's checkpoints and the booked home
//! visits, each ticked off by what has been recorded (or by hand, for what happens outside
//! Duken). The "Denne uken" screen is this list, across families, cut at a week ahead.

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use crate::intake::{visits_deadline, Visit, FIRST_VISITS};
use crate::point::Point;
use crate::timeline::{Checkpoint, Course};

/// `done.<checkpoint code>` on a family: a checkpoint ticked off by hand.
pub const TICKED_PREFIX: &str = "done.";

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
    /// The day of a visit; the deadline of a checkpoint.
    pub date: NaiveDate,
    /// From when it is on the partner's list: the start's checkpoints from the intake day
    /// (they are what the start meetings are for), everything else a week before its date.
    pub open: NaiveDate,
    pub label: String,
    pub done: bool,
}

/// Where an item stands on a given day. *Due* and *overdue* are different things: a
/// deadline days ahead is due, never overdue, however early it was put on the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Its day has passed and it is not done.
    Overdue,
    /// Its day is today.
    Today,
    /// Its day is coming.
    Due,
    Done,
}

impl Item {
    pub fn state(&self, today: NaiveDate) -> State {
        if self.done {
            State::Done
        } else if self.date < today {
            State::Overdue
        } else if self.date == today {
            State::Today
        } else {
            State::Due
        }
    }

    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.state(today) == State::Overdue
    }

    /// A booked visit happens on its day; every checkpoint is a deadline, done by its day.
    pub fn is_appointment(&self) -> bool {
        matches!(self.what, What::Visit(_))
    }

    /// The order of the start screen, what the partner must do today first: today's visits
    /// (the meeting to log), then what is overdue (oldest first), then what is due today,
    /// then what is coming, by date.
    pub fn urgency(&self, today: NaiveDate) -> (u8, NaiveDate) {
        let rank = match self.state(today) {
            State::Today if self.is_appointment() => 0,
            State::Overdue => 1,
            State::Today => 2,
            State::Due => 3,
            State::Done => 4,
        };
        (rank, self.date)
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
                // Booked at the intake, but due when the visits must have been held by: with
                // one visit booked the day after, it is still days ahead, not overdue.
                Checkpoint::HomeVisits => (
                    visits_deadline(course.intake),
                    "Avtal de tre første hjemmebesøkene".to_owned(),
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
            let open = match c {
                Checkpoint::HomeVisits
                | Checkpoint::RatingRound(Point::Start)
                | Checkpoint::WorkPlan(0) => course.intake.min(date),
                _ => date,
            };
            Item {
                what: What::Checkpoint(c),
                date,
                open,
                label,
                done,
            }
        })
        .collect();
    for v in &progress.visits {
        out.push(Item {
            what: What::Visit(v.id),
            date: v.date,
            open: v.date,
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

/// What is not done and due within the week from `today` (or open already), in
/// [`Item::urgency`] order.
pub fn this_week(items: &[Item], today: NaiveDate) -> Vec<&Item> {
    let until = today
        .checked_add_days(Days::new(WEEK_DAYS - 1))
        .unwrap_or(NaiveDate::MAX);
    let mut week: Vec<&Item> = items
        .iter()
        .filter(|i| !i.done && (i.date <= until || i.open <= today))
        .collect();
    week.sort_by(|a, b| {
        a.urgency(today)
            .cmp(&b.urgency(today))
            .then(a.label.cmp(&b.label))
    });
    week
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

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

    fn course(intake: &str) -> Course {
        Course {
            intake: d(intake),
            extended: false,
            placement: None,
            closing_decided: None,
            end_decided: None,
        }
    }

    fn states(items: &[&Item], today: NaiveDate) -> Vec<(String, State)> {
        items
            .iter()
            .map(|i| (i.label.clone(), i.state(today)))
            .collect()
    }

    #[test]
    fn the_first_week_after_intake() {
        let course = course("2026-01-05");
        let mut p = Progress::default();
        let all = items(&course, &p);
        // On the intake day the start's three checkpoints are on the list, due by day 10.
        let week = this_week(&all, d("2026-01-05"));
        assert_eq!(
            states(&week, d("2026-01-05")),
            [
                ("Arbeidsplan for periode 1".to_owned(), State::Due),
                ("Avtal de tre første hjemmebesøkene".to_owned(), State::Due),
                ("Rangeringsrunde: oppstart".to_owned(), State::Due),
            ]
        );
        assert!(week.iter().all(|i| i.date == d("2026-01-15")));
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
            ["Hjemmebesøk", "Hjemmebesøk", "Rangeringsrunde: oppstart"]
        );
        // Four days later the first visit was logged as a meeting; today's visit comes first.
        p.meetings = vec![d("2026-01-07")];
        let all = items(&course, &p);
        let today = d("2026-01-09");
        let week = this_week(&all, today);
        assert_eq!(
            week.iter()
                .map(|i| (i.date, i.state(today)))
                .collect::<Vec<_>>(),
            [
                (d("2026-01-09"), State::Today),
                (d("2026-01-14"), State::Due),
                (d("2026-01-15"), State::Due),
            ]
        );
        // The day after the round's deadline it is overdue, as are the visits not logged.
        let today = d("2026-01-16");
        let week = this_week(&all, today);
        assert_eq!(
            week.iter()
                .map(|i| (i.date, i.state(today)))
                .collect::<Vec<_>>(),
            [
                (d("2026-01-09"), State::Overdue),
                (d("2026-01-14"), State::Overdue),
                (d("2026-01-15"), State::Overdue),
            ]
        );
        p.rounds_answered = vec![Point::Start];
        p.meetings.extend([d("2026-01-09"), d("2026-01-14")]);
        let all = items(&course, &p);
        assert!(this_week(&all, today).is_empty());
    }

    /// The case: the day after intake, one visit booked, nothing may read as overdue
    /// while its date is still ahead.
    #[test]
    fn due_is_not_overdue() {
        let course = course("2026-11-26");
        let p = Progress {
            visits: vec![visit("2026-11-28")],
            ..Progress::default()
        };
        let all = items(&course, &p);
        let today = d("2026-11-27");
        let week = this_week(&all, today);
        assert!(
            week.iter().all(|i| !i.overdue(today)),
            "{:?}",
            states(&week, today)
        );
        let booking = week
            .iter()
            .find(|i| i.what == What::Checkpoint(Checkpoint::HomeVisits));
        assert_eq!(
            booking.map(|i| (i.date, i.state(today))),
            Some((d("2026-12-06"), State::Due))
        );
        // On its date it is due today; the day after, overdue; done, never either.
        let visits = all
            .iter()
            .find(|i| i.what == What::Checkpoint(Checkpoint::HomeVisits));
        let Some(visits) = visits else {
            panic!("no home visits item")
        };
        assert_eq!(visits.state(d("2026-12-06")), State::Today);
        assert_eq!(visits.state(d("2026-12-07")), State::Overdue);
        let done = Item {
            done: true,
            ..visits.clone()
        };
        assert_eq!(done.state(d("2027-01-01")), State::Done);
        assert!(!done.overdue(d("2027-01-01")));
    }

    /// Today's visit first, then overdue, then due today, then coming, whatever the dates.
    #[test]
    fn the_start_screen_puts_today_first() {
        let course = course("2026-03-01");
        let p = Progress {
            visits: vec![
                visit("2026-03-03"),
                visit("2026-03-05"),
                visit("2026-03-08"),
            ],
            ..Progress::default()
        };
        let all = items(&course, &p);
        // 11 March: the start round and the plan (due the 11th) are due today, the visits of
        // the 3rd and 5th were never logged, the one of the 8th neither.
        let today = d("2026-03-11");
        let week = this_week(&all, today);
        let order: Vec<State> = week.iter().map(|i| i.state(today)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert_eq!(order.first(), Some(&State::Overdue));
        assert!(order.contains(&State::Today));
        // A visit today goes above everything overdue.
        let p = Progress {
            visits: vec![visit("2026-03-03"), visit("2026-03-11")],
            ..p
        };
        let all = items(&course, &p);
        let week = this_week(&all, today);
        assert!(week
            .first()
            .is_some_and(|i| i.is_appointment() && i.state(today) == State::Today));
        assert!(week.get(1).is_some_and(|i| i.overdue(today)));
    }

    #[test]
    fn ticked_checkpoints_and_an_extension_move_what_is_due() {
        let mut course = course("2026-01-05");
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
