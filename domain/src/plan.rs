//! The work plan (arbeidsplan, workbook 000): made with the family every 3 months, with short-
//! and long-term goals and concrete tasks for the family and for the partner. At the end of the
//! period each goal and task is evaluated, and the next plan starts from what is not done.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::cloth::{Agreement, Status};
use crate::dates::add_months;
use crate::dates::parse_date;
use crate::record::{Kind, Record};
use crate::vocab;

/// One period's plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub id: Uuid,
    /// 0: the first 3 months after intake.
    pub period: u8,
    pub date: Option<NaiveDate>,
    /// Who made it with the partner.
    pub present: Vec<Uuid>,
    pub previous: Option<Uuid>,
    pub evaluated: Option<NaiveDate>,
    pub evaluation: String,
}

impl Plan {
    pub fn from_record(r: &Record) -> Option<Plan> {
        if r.kind != Kind::Plan || r.is_deleted() {
            return None;
        }
        Some(Plan {
            id: r.id,
            period: u8::try_from(r.int("period")?).ok()?,
            date: r.text("date").and_then(parse_date),
            present: r.ids("present"),
            previous: r.id_of("previous"),
            evaluated: r.text("evaluated").and_then(parse_date),
            evaluation: r.text("evaluation").unwrap_or_default().to_owned(),
        })
    }

    /// "Arbeidsplan 2 (05.04.2026 – 04.07.2026)" needs the intake; this is the short form.
    pub fn title(&self) -> String {
        format!("Arbeidsplan for periode {}", self.period + 1)
    }
}

/// The dates a period covers: from `intake + 3·n` months up to (not including) the next.
pub fn period_span(intake: NaiveDate, period: u8) -> (NaiveDate, NaiveDate) {
    let n = u32::from(period);
    (add_months(intake, 3 * n), add_months(intake, 3 * (n + 1)))
}

/// The period `date` falls in (0 before and during the first three months).
pub fn period_on(intake: NaiveDate, date: NaiveDate) -> u8 {
    let mut n: u8 = 0;
    while n < 7 && add_months(intake, 3 * (u32::from(n) + 1)) <= date {
        n += 1;
    }
    n
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Horizon {
    Short,
    Long,
}

impl Horizon {
    pub const ALL: [Horizon; 2] = [Horizon::Short, Horizon::Long];

    pub fn code(self) -> &'static str {
        match self {
            Horizon::Short => "short",
            Horizon::Long => "long",
        }
    }

    pub fn parse(s: &str) -> Option<Horizon> {
        Horizon::ALL.into_iter().find(|h| h.code() == s)
    }

    pub fn label(self) -> &'static str {
        vocab::label(vocab::GOAL_HORIZONS, self.code()).unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Reached,
    Partly,
    NotReached,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Reached, Outcome::Partly, Outcome::NotReached];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::Partly => "partly",
            Outcome::NotReached => "not_reached",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == s)
    }

    pub fn label(self) -> &'static str {
        vocab::label(vocab::GOAL_OUTCOMES, self.code()).unwrap_or("")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    pub id: Uuid,
    pub plan: Uuid,
    pub horizon: Horizon,
    pub text: String,
    pub outcome: Option<Outcome>,
    pub comment: String,
    pub carried_from: Option<Uuid>,
}

impl Goal {
    pub fn from_record(r: &Record) -> Option<Goal> {
        if r.kind != Kind::Goal || r.is_deleted() {
            return None;
        }
        Some(Goal {
            id: r.id,
            plan: r.id_of("plan")?,
            horizon: r.text("horizon").and_then(Horizon::parse)?,
            text: r.text("text").unwrap_or_default().to_owned(),
            outcome: r.text("outcome").and_then(Outcome::parse),
            comment: r.text("comment").unwrap_or_default().to_owned(),
            carried_from: r.id_of("carried_from"),
        })
    }

    /// Goes on into the next plan: not reached, or not judged yet.
    pub fn carries_over(&self) -> bool {
        self.outcome != Some(Outcome::Reached)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Family,
    Partner,
}

impl Owner {
    pub const ALL: [Owner; 2] = [Owner::Family, Owner::Partner];

    pub fn code(self) -> &'static str {
        match self {
            Owner::Family => "family",
            Owner::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Option<Owner> {
        Owner::ALL.into_iter().find(|o| o.code() == s)
    }

    pub fn label(self) -> &'static str {
        vocab::label(vocab::TASK_OWNERS, self.code()).unwrap_or("")
    }
}

/// A concrete task in a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub id: Uuid,
    pub plan: Uuid,
    pub goal: Option<Uuid>,
    pub what: String,
    pub owner: Owner,
    pub who: String,
    pub due: Option<NaiveDate>,
    pub status: Status,
    /// The agreement on a cloth it was pulled in from.
    pub agreement: Option<Uuid>,
    pub carried_from: Option<Uuid>,
}

impl Task {
    pub fn from_record(r: &Record) -> Option<Task> {
        if r.kind != Kind::Task || r.is_deleted() {
            return None;
        }
        Some(Task {
            id: r.id,
            plan: r.id_of("plan")?,
            goal: r.id_of("goal"),
            what: r.text("what").unwrap_or_default().to_owned(),
            owner: r
                .text("owner")
                .and_then(Owner::parse)
                .unwrap_or(Owner::Family),
            who: r.text("who").unwrap_or_default().to_owned(),
            due: r.text("due").and_then(parse_date),
            status: r
                .text("status")
                .and_then(Status::parse)
                .unwrap_or(Status::Open),
            agreement: r.id_of("agreement"),
            carried_from: r.id_of("carried_from"),
        })
    }
}

/// Agreements sent to the work plan from a cloth that no plan has taken in yet and that are
/// still open.
pub fn agreements_to_pull<'a>(agreements: &'a [Agreement], tasks: &[Task]) -> Vec<&'a Agreement> {
    agreements
        .iter()
        .filter(|a| a.to_plan && a.status.is_open())
        .filter(|a| !tasks.iter().any(|t| t.agreement == Some(a.id)))
        .collect()
}

/// What the next plan starts from: the goals not reached and the tasks still open.
pub fn carried_over<'a>(goals: &'a [Goal], tasks: &'a [Task]) -> (Vec<&'a Goal>, Vec<&'a Task>) {
    (
        goals.iter().filter(|g| g.carries_over()).collect(),
        tasks.iter().filter(|t| t.status.is_open()).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn periods_are_three_calendar_months_from_intake() {
        let intake = d("2026-01-31");
        assert_eq!(period_on(intake, d("2026-01-31")), 0);
        assert_eq!(period_on(intake, d("2026-04-29")), 0);
        assert_eq!(period_on(intake, d("2026-04-30")), 1);
        assert_eq!(period_on(intake, d("2026-10-30")), 2);
        assert_eq!(period_on(intake, d("2026-10-31")), 3);
        assert_eq!(period_span(intake, 1), (d("2026-04-30"), d("2026-07-31")));
    }

    fn goal(outcome: Option<Outcome>) -> Goal {
        Goal {
            id: Uuid::now_v7(),
            plan: Uuid::nil(),
            horizon: Horizon::Short,
            text: "Faste leggetider".into(),
            outcome,
            comment: String::new(),
            carried_from: None,
        }
    }

    fn task(status: Status, agreement: Option<Uuid>) -> Task {
        Task {
            id: Uuid::now_v7(),
            plan: Uuid::nil(),
            goal: None,
            what: "Ringe NAV".into(),
            owner: Owner::Family,
            who: "Kari".into(),
            due: None,
            status,
            agreement,
            carried_from: None,
        }
    }

    #[test]
    fn the_next_plan_starts_from_what_is_not_done() {
        let goals = vec![
            goal(Some(Outcome::Reached)),
            goal(Some(Outcome::Partly)),
            goal(Some(Outcome::NotReached)),
            goal(None),
        ];
        let tasks = vec![
            task(Status::Done, None),
            task(Status::Continue, None),
            task(Status::Open, None),
            task(Status::Dropped, None),
            task(Status::Change, None),
        ];
        let (g, t) = carried_over(&goals, &tasks);
        assert_eq!(g.len(), 3);
        assert!(g.iter().all(|g| g.outcome != Some(Outcome::Reached)));
        let kept: Vec<Status> = t.iter().map(|t| t.status).collect();
        assert_eq!(kept, [Status::Continue, Status::Open, Status::Change]);
    }

    #[test]
    fn an_agreement_is_pulled_in_once() {
        let a = |to_plan, status| Agreement {
            id: Uuid::now_v7(),
            family: Uuid::nil(),
            cloth: Some(Uuid::nil()),
            what: "Handle sammen på lørdag".into(),
            who: "Ola".into(),
            due: None,
            status,
            to_plan,
            carried_from: None,
        };
        let agreements = vec![
            a(true, Status::Open),
            a(true, Status::Done),
            a(false, Status::Open),
            a(true, Status::Continue),
        ];
        let pulled = task(Status::Open, Some(agreements[0].id));
        let left = agreements_to_pull(&agreements, &[pulled]);
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].id, agreements[3].id);
    }
}
