//! Typed views of family and member records, for screens and lists.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::dates::parse_date;
use crate::evaluation::{decisions, Decision, Evaluation};
use crate::phase::Phase;
use crate::record::{Kind, Record};
use crate::timeline::{Checkpoint, Course};
use crate::vocab;

/// A family followed by a partner. Its id is also its `family` id.
#[derive(Clone, Debug, PartialEq)]
pub struct Family {
    pub id: Uuid,
    pub name: String,
    /// The intake date: the intervention's clock starts here.
    pub start_date: Option<NaiveDate>,
    /// Extended by 3 months at the 6-month evaluation.
    pub extended: bool,
    pub extension_reason: String,
    pub placement: Option<Placement>,
    /// The written form the family chose for its papers.
    pub language: crate::lang::Lang,
    /// Checkpoints done outside Duken and ticked off by hand (`done.<code>` fields).
    pub ticked: Vec<Checkpoint>,
}

/// A placement of the children (any of the four forms moves the family into closing).
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub date: NaiveDate,
    /// A code of [`vocab::PLACEMENTS`], if chosen.
    pub kind: Option<String>,
}

impl Placement {
    pub fn label(&self) -> &'static str {
        self.kind
            .as_deref()
            .and_then(|k| vocab::label(vocab::PLACEMENTS, k))
            .unwrap_or("Plassering")
    }
}

impl Family {
    pub fn from_record(r: &Record) -> Option<Family> {
        if r.kind != Kind::Family || r.is_deleted() {
            return None;
        }
        let ticked = r
            .fields
            .keys()
            // Unticking writes null: the field stays, the tick does not.
            .filter(|f| r.get(f).is_some())
            .filter_map(|f| f.strip_prefix(crate::agenda::TICKED_PREFIX))
            .filter_map(Checkpoint::parse)
            .collect();
        Some(Family {
            id: r.id,
            name: r.text("name").unwrap_or_default().to_owned(),
            start_date: r.text("start_date").and_then(parse_date),
            extended: r.flag("extended"),
            extension_reason: r.text("extension_reason").unwrap_or_default().to_owned(),
            placement: r
                .text("placement_date")
                .and_then(parse_date)
                .map(|date| Placement {
                    date,
                    kind: r.text("placement_kind").map(str::to_owned),
                }),
            language: r
                .text("language")
                .and_then(crate::lang::Lang::parse)
                .unwrap_or_default(),
            ticked,
        })
    }

    /// The family's course: from the intake, with its extension and placement, and what the
    /// 3-monthly evaluations with the contact person decided (oldest first; the first decision
    /// to close early or to end counts).
    pub fn course(&self, evaluations: &[Evaluation]) -> Option<Course> {
        let mut course = Course {
            intake: self.start_date?,
            extended: self.extended,
            placement: self.placement.as_ref().map(|p| p.date),
            closing_decided: None,
            end_decided: None,
        };
        for (date, decision) in decisions(evaluations) {
            match decision {
                Decision::Continue => {}
                Decision::Extend => course.extended = true,
                Decision::Closing => {
                    course.closing_decided.get_or_insert(date);
                }
                Decision::End => {
                    course.end_decided.get_or_insert(date);
                }
            }
        }
        Some(course)
    }

    pub fn phase(&self, evaluations: &[Evaluation], today: NaiveDate) -> Option<Phase> {
        self.course(evaluations)
            .map(|c| c.timeline().phase_on(today))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Parent,
    Child,
    Other,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Parent => "parent",
            Role::Child => "child",
            Role::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "parent" => Some(Role::Parent),
            "child" => Some(Role::Child),
            "other" => Some(Role::Other),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        vocab::label(vocab::ROLES, self.code()).unwrap_or("")
    }

    /// The role a birth year suggests: 18 this year or older a parent, younger a child. Only
    /// a proposal, shown as one: an adult sibling or a grandparent is "Annen i hjemmet".
    /// `None` for a year that is no age (in the future, or over 120 years ago).
    pub fn proposed(birth_year: i32, this_year: i32) -> Option<Role> {
        match this_year.checked_sub(birth_year)? {
            age if !(0..=MAX_AGE).contains(&age) => None,
            age if age >= ADULT_AGE => Some(Role::Parent),
            _ => Some(Role::Child),
        }
    }

    /// Why a chosen role and a birth year do not go together, if they do not: a child of 18
    /// or more (gets the child's form, cannot consent), or a parent under 18. Said, never
    /// changed: the partner may know better (a young mother), so it does not block saving.
    pub fn doubt(self, birth_year: i32, this_year: i32) -> Option<String> {
        let proposed = Role::proposed(birth_year, this_year)?;
        let age = this_year - birth_year;
        match (self, proposed) {
            (Role::Child, Role::Parent) => Some(format!(
                "{age} år og registrert som barn: får barnas skjema og kan ikke gi samtykke. Stemmer det?"
            )),
            (Role::Parent, Role::Child) => Some(format!(
                "{age} år og registrert som forelder. Stemmer det?"
            )),
            _ => None,
        }
    }
}

/// The age from which a person is proposed as a parent rather than a child.
pub const ADULT_AGE: i32 = 18;
/// Older than this, a birth year is taken as a typing error, not an age.
const MAX_AGE: i32 = 120;

/// A person in the family's home.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub id: Uuid,
    pub family: Uuid,
    pub name: String,
    pub role: Role,
    pub birth_year: Option<i32>,
}

impl Member {
    pub fn from_record(r: &Record) -> Option<Member> {
        if r.kind != Kind::Member || r.is_deleted() {
            return None;
        }
        Some(Member {
            id: r.id,
            family: r.family,
            name: r.text("name").unwrap_or_default().to_owned(),
            role: r.text("role").and_then(Role::parse).unwrap_or(Role::Other),
            birth_year: r.int("birth_year").and_then(|y| i32::try_from(y).ok()),
        })
    }

    /// Age reached this calendar year (what a partner says: "a 7-year-old").
    pub fn age_in(&self, today: NaiveDate) -> Option<i32> {
        self.birth_year
            .map(|y| today.year() - y)
            .filter(|a| *a >= 0)
    }
}

/// "2 barn (3 og 7 år)" for the family list.
pub fn children_summary(members: &[Member], today: NaiveDate) -> String {
    let children: Vec<&Member> = members.iter().filter(|m| m.role == Role::Child).collect();
    match children.len() {
        0 => "Ingen barn registrert".to_owned(),
        n => {
            let mut ages: Vec<i32> = children.iter().filter_map(|c| c.age_in(today)).collect();
            ages.sort_unstable();
            if ages.is_empty() {
                format!("{n} barn")
            } else {
                let list: Vec<String> = ages.iter().map(i32::to_string).collect();
                let joined = match list.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} og {last}", rest.join(", "))
                    }
                    _ => list.join(""),
                };
                format!("{n} barn ({joined} år)")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_is_proposed_from_the_birth_year() {
        // The case: born 1984, in 2026 he is 42 and a parent, not a child.
        assert_eq!(Role::proposed(1984, 2026), Some(Role::Parent));
        assert_eq!(Role::proposed(2008, 2026), Some(Role::Parent));
        assert_eq!(Role::proposed(2009, 2026), Some(Role::Child));
        assert_eq!(Role::proposed(2026, 2026), Some(Role::Child));
        assert_eq!(Role::proposed(2027, 2026), None);
        assert_eq!(Role::proposed(1900, 2026), None);
        assert_eq!(Role::proposed(i32::MIN, 2026), None);
        let doubt = Role::Child.doubt(1984, 2026);
        assert!(
            doubt.as_deref().is_some_and(|d| d.starts_with("42 år")),
            "{doubt:?}"
        );
        assert!(Role::Parent.doubt(2012, 2026).is_some());
        assert_eq!(Role::Parent.doubt(1984, 2026), None);
        assert_eq!(Role::Child.doubt(2018, 2026), None);
        // An adult "other" (a grandmother) and a young one are both fine.
        assert_eq!(Role::Other.doubt(1950, 2026), None);
        assert_eq!(Role::Other.doubt(2015, 2026), None);
    }
}
