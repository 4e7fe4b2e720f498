//! A rating round, and whose view a rating holds.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::dates::parse_date;
use crate::point::Point;
use crate::record::{Kind, Record};

/// One rating round in a family.
#[derive(Clone, Debug, PartialEq)]
pub struct Round {
    pub id: Uuid,
    pub family: Uuid,
    pub point: Point,
    pub date: NaiveDate,
}

impl Round {
    pub fn from_record(r: &Record) -> Option<Round> {
        if r.kind != Kind::Round || r.is_deleted() {
            return None;
        }
        Some(Round {
            id: r.id,
            family: r.family,
            point: r.text("point").and_then(Point::parse)?,
            date: r.text("date").and_then(parse_date)?,
        })
    }

    pub fn label(&self) -> String {
        format!(
            "{} ({})",
            self.point.label(),
            crate::dates::norwegian_date(self.date)
        )
    }
}

/// Rounds in the order of the intervention (by point, then date).
pub fn in_order(mut rounds: Vec<Round>) -> Vec<Round> {
    rounds.sort_by_key(|r| (r.point, r.date, r.id));
    rounds
}

/// Whose view a rating holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rater {
    /// The member's own answers, given privately.
    Member,
    /// The partner's view of the member, kept beside theirs, never over it.
    Partner,
}

impl Rater {
    pub fn code(self) -> &'static str {
        match self {
            Rater::Member => "member",
            Rater::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Option<Rater> {
        match s {
            "member" => Some(Rater::Member),
            "partner" => Some(Rater::Partner),
            _ => None,
        }
    }
}
