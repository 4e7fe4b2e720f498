//! The meetings with the contact person (kontaktperson, the case owner in barneverntjenesten),
//! workbook 000: the 3-monthly evaluation of the intervention plan (tiltaksplanevaluering),
//! which decides how the intervention goes on and so moves the family's timeline; the monthly
//! case evaluation (saksevaluering); and a concern the partner raises with the contact person
//! (their duty to report), which is for workers only.
//!
//! The contact person reads the family and may record the first two themselves (see
//! [`crate::access::may_write`]); a concern is the partner's record.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::dates::parse_date;
use crate::record::{Kind, Record};
use crate::vocab;

/// What the 3-monthly evaluation decided (codes of [`vocab::DECISIONS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// Go on as planned.
    Continue,
    /// Extend the work phase by 3 months (at the 6-month evaluation, workbook 000).
    Extend,
    /// Move to the closing phase from the evaluation's date.
    Closing,
    /// End the intervention on the evaluation's date.
    End,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Continue,
        Decision::Extend,
        Decision::Closing,
        Decision::End,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Decision::Continue => "continue",
            Decision::Extend => "extend",
            Decision::Closing => "closing",
            Decision::End => "end",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.code() == s)
    }

    pub fn label(self) -> &'static str {
        vocab::label(vocab::DECISIONS, self.code()).unwrap_or("")
    }

    /// A decision that changes the plan needs its reason written down; going on does not.
    pub fn needs_reason(self) -> bool {
        self != Decision::Continue
    }
}

/// One 3-monthly evaluation of the intervention plan with the contact person and the family.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub id: Uuid,
    /// Which evaluation (1: at 3 months), as the report it follows.
    pub number: u8,
    pub date: NaiveDate,
    /// The report read at the meeting.
    pub report: Option<Uuid>,
    /// Family members who took part.
    pub present: Vec<Uuid>,
    /// Others who took part (the contact person, the partner, a service), by name.
    pub others: Vec<String>,
    pub decision: Decision,
    pub reason: String,
    pub note: String,
}

impl Evaluation {
    pub fn from_record(r: &Record) -> Option<Evaluation> {
        if r.kind != Kind::Evaluation || r.is_deleted() {
            return None;
        }
        Some(Evaluation {
            id: r.id,
            number: u8::try_from(r.int("number")?).ok()?,
            date: r.text("date").and_then(parse_date)?,
            report: r.id_of("report"),
            present: r.ids("present"),
            others: r.strings("others"),
            decision: r.text("decision").and_then(Decision::parse)?,
            reason: r.text("reason").unwrap_or_default().to_owned(),
            note: r.text("note").unwrap_or_default().to_owned(),
        })
    }
}

/// Why an evaluation cannot be saved as filled in; shown to the user as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    #[error("Skriv inn datoen for evalueringen.")]
    NoDate,
    #[error("Velg hva evalueringen besluttet.")]
    NoDecision,
    #[error("Skriv begrunnelsen for beslutningen «{0}».")]
    NoReason(&'static str),
}

/// The rule a form checks before it saves an evaluation (the fields alone are checked by the
/// schema; this is the rule between them).
pub fn check_evaluation(
    date: Option<NaiveDate>,
    decision: Option<Decision>,
    reason: &str,
) -> Result<(), EvaluationError> {
    date.ok_or(EvaluationError::NoDate)?;
    let decision = decision.ok_or(EvaluationError::NoDecision)?;
    if decision.needs_reason() && reason.trim().is_empty() {
        return Err(EvaluationError::NoReason(decision.label()));
    }
    Ok(())
}

/// The decisions the timeline follows, oldest first: (date, decision).
pub fn decisions(evaluations: &[Evaluation]) -> Vec<(NaiveDate, Decision)> {
    let mut out: Vec<(NaiveDate, Decision, Uuid)> = evaluations
        .iter()
        .map(|e| (e.date, e.decision, e.id))
        .collect();
    out.sort();
    out.into_iter().map(|(d, x, _)| (d, x)).collect()
}

/// One monthly case evaluation (saksevaluering) with the contact person.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseReview {
    pub id: Uuid,
    pub date: NaiveDate,
    /// Which month's checkpoint it is (1: the first month after intake).
    pub month: u8,
    /// Who took part, by name.
    pub present: Vec<String>,
    pub note: String,
    /// What was agreed.
    pub agreed: String,
}

impl CaseReview {
    pub fn from_record(r: &Record) -> Option<CaseReview> {
        if r.kind != Kind::CaseReview || r.is_deleted() {
            return None;
        }
        Some(CaseReview {
            id: r.id,
            date: r.text("date").and_then(parse_date)?,
            month: u8::try_from(r.int("month")?).ok()?,
            present: r.strings("present"),
            note: r.text("note").unwrap_or_default().to_owned(),
            agreed: r.text("agreed").unwrap_or_default().to_owned(),
        })
    }
}

/// A concern the partner raised with the contact person (the duty to report, DOMAIN.md): what,
/// when, to whom. For workers only: never on the shared screen, in a report or in the family's
/// papers.
#[derive(Clone, Debug, PartialEq)]
pub struct Concern {
    pub id: Uuid,
    pub date: NaiveDate,
    pub what: String,
    pub to: String,
}

impl Concern {
    pub fn from_record(r: &Record) -> Option<Concern> {
        if r.kind != Kind::Concern || r.is_deleted() {
            return None;
        }
        Some(Concern {
            id: r.id,
            date: r.text("date").and_then(parse_date)?,
            what: r.text("what").unwrap_or_default().to_owned(),
            to: r.text("to").unwrap_or_default().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_that_changes_the_plan_needs_a_reason() {
        let day = parse_date("2026-07-01");
        assert_eq!(
            check_evaluation(None, Some(Decision::Continue), ""),
            Err(EvaluationError::NoDate)
        );
        assert_eq!(
            check_evaluation(day, None, "x"),
            Err(EvaluationError::NoDecision)
        );
        assert_eq!(check_evaluation(day, Some(Decision::Continue), ""), Ok(()));
        let e = check_evaluation(day, Some(Decision::Extend), "  ").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Skriv begrunnelsen for beslutningen «Forlenge med 3 måneder»."
        );
        assert_eq!(
            check_evaluation(day, Some(Decision::End), "Plassert"),
            Ok(())
        );
    }
}
