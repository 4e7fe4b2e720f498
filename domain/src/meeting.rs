//! The meeting log (møteskjema): where, focus, themes, duration, who was present.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::dates::parse_date;
use crate::record::{Kind, Record};

#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    pub id: Uuid,
    pub family: Uuid,
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    pub focus: Option<String>,
    pub themes: Vec<String>,
    pub duration_minutes: Option<i64>,
    pub present: Vec<Uuid>,
    pub interpreter: bool,
    pub note: String,
}

impl Meeting {
    pub fn from_record(r: &Record) -> Option<Meeting> {
        if r.kind != Kind::Meeting || r.is_deleted() {
            return None;
        }
        Some(Meeting {
            id: r.id,
            family: r.family,
            date: r.text("date").and_then(parse_date),
            place: r.text("place").map(str::to_owned),
            focus: r.text("focus").map(str::to_owned),
            themes: r.strings("themes"),
            duration_minutes: r.int("duration_minutes"),
            present: r.ids("present"),
            interpreter: r.flag("interpreter"),
            note: r.text("note").unwrap_or_default().to_owned(),
        })
    }
}

/// "1 t 30 min" for lists.
pub fn duration_label(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} t"),
        (h, m) => format!("{h} t {m} min"),
    }
}
