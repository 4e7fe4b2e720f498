//! Typed views of family and member records, for screens and lists.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::phase::Phase;
use crate::record::{Kind, Record};
use crate::vocab;

/// A family followed by a partner. Its id is also its `family` id.
#[derive(Clone, Debug, PartialEq)]
pub struct Family {
    pub id: Uuid,
    pub name: String,
    pub start_date: Option<NaiveDate>,
}

impl Family {
    pub fn from_record(r: &Record) -> Option<Family> {
        if r.kind != Kind::Family || r.is_deleted() {
            return None;
        }
        Some(Family {
            id: r.id,
            name: r.text("name").unwrap_or_default().to_owned(),
            start_date: r.text("start_date").and_then(parse_date),
        })
    }

    pub fn phase(&self, today: NaiveDate) -> Option<Phase> {
        self.start_date.map(|s| Phase::on(s, today))
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
}

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

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
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
