//! *Duken* (the conversation cloth, *samtaleduk*): a large sheet the family and its helpers fill
//! in together, on the kitchen table or the living-room TV, in the family's own words. It ends
//! in agreements about who does what by when.
//!
//! A cloth is laid out by a [`Template`], which is data (JSON), not code: the three built-in
//! ones come from the seeds (`templates/*.json`), and a team can add its own. Each cloth keeps a
//! copy of the template it was made with, so it looks the same years later.
//!
//! Records: a [`Cloth`] (date, who was present), its [`Note`]s (each its own record, so two
//! devices adding notes never collide) and its [`Agreement`]s.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dates::parse_date;
use crate::lang::Lang;
use crate::record::{Kind, Record};

/// Longest template JSON a cloth may carry.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;
const MAX_SECTIONS: usize = 40;
const MAX_ROWS: usize = 20;
const MAX_LABEL: usize = 200;

/// A label in both written forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub nb: String,
    pub nn: String,
}

impl Label {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => &self.nb,
            Lang::Nn => &self.nn,
        }
    }
}

/// A section that ends by a date the family sets on the cloth ("På kort sikt, innan …").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deadline {
    Short,
    Long,
}

impl Deadline {
    /// The cloth field holding this date.
    pub fn field(self) -> &'static str {
        match self {
            Deadline::Short => "short_by",
            Deadline::Long => "long_by",
        }
    }
}

/// One field of the cloth where notes go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Stored in notes; never changes once notes use it.
    pub code: String,
    pub label: Label,
    /// A heading over consecutive sections ("Slik vi har det i dag").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Label>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
}

/// A row across all sections (the family-team cloth has one per life area).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub label: Label,
}

/// How a cloth is laid out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub code: String,
    pub version: u32,
    pub name: Label,
    /// Where the template comes from (a municipality's paper cloth, a team).
    #[serde(default)]
    pub source: String,
    /// The form the source is written in; a new cloth starts in it.
    #[serde(default)]
    pub language: Lang,
    /// The "whose plan" header (*Planen til*), if the template has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Label>,
    pub sections: Vec<Section>,
    /// Rows crossing every section; empty for a cloth of plain sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Area>,
    /// Heading of the agreements under the cloth.
    pub agreements: Label,
}

/// Why a template was refused. Shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("malen kan ikke leses: {0}")]
    Json(String),
    #[error("malen er for stor (høyst {MAX_TEMPLATE_CHARS} tegn)")]
    TooLarge,
    #[error("malen må ha minst ett felt")]
    NoSections,
    #[error("malen har for mange felt eller rader")]
    TooMany,
    #[error("koden «{0}» er brukt to ganger i malen")]
    Duplicate(String),
    #[error("koden «{0}» kan bare ha små bokstaver, tall, - og _")]
    BadCode(String),
    #[error("en tekst i malen er tom eller for lang: «{0}»")]
    BadLabel(String),
}

fn check_code(code: &str) -> Result<(), TemplateError> {
    if crate::codes::is_code(code) {
        Ok(())
    } else {
        Err(TemplateError::BadCode(crate::codes::shown(code)))
    }
}

fn check_label(label: &Label) -> Result<(), TemplateError> {
    for s in [&label.nb, &label.nn] {
        if s.trim().is_empty() || s.chars().count() > MAX_LABEL {
            return Err(TemplateError::BadLabel(s.chars().take(60).collect()));
        }
    }
    Ok(())
}

impl Template {
    /// Reads and checks a template (a built-in one, a team's own, or a cloth's copy).
    pub fn parse(json: &str) -> Result<Template, TemplateError> {
        if json.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(TemplateError::TooLarge);
        }
        let t: Template =
            serde_json::from_str(json).map_err(|e| TemplateError::Json(e.to_string()))?;
        t.check()?;
        Ok(t)
    }

    fn check(&self) -> Result<(), TemplateError> {
        check_code(&self.code)?;
        check_label(&self.name)?;
        check_label(&self.agreements)?;
        if let Some(owner) = &self.owner {
            check_label(owner)?;
        }
        if self.sections.is_empty() {
            return Err(TemplateError::NoSections);
        }
        if self.sections.len() > MAX_SECTIONS || self.rows.len() > MAX_ROWS {
            return Err(TemplateError::TooMany);
        }
        let sections = self.sections.iter().map(|s| (&s.code, &s.label, &s.group));
        let rows = self.rows.iter().map(|r| (&r.code, &r.label));
        for (i, (code, label, group)) in sections.clone().enumerate() {
            check_code(code)?;
            check_label(label)?;
            if let Some(g) = group {
                check_label(g)?;
            }
            if sections.clone().take(i).any(|(c, _, _)| c == code) {
                return Err(TemplateError::Duplicate(code.clone()));
            }
        }
        for (i, (code, label)) in rows.clone().enumerate() {
            check_code(code)?;
            check_label(label)?;
            if rows.clone().take(i).any(|(c, _)| c == code) {
                return Err(TemplateError::Duplicate(code.clone()));
            }
        }
        Ok(())
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn section(&self, code: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.code == code)
    }

    pub fn row(&self, code: &str) -> Option<&Area> {
        self.rows.iter().find(|r| r.code == code)
    }

    /// Sections in runs that share a group heading, in order (for the cloth's header band).
    pub fn groups(&self) -> Vec<(Option<&Label>, Vec<&Section>)> {
        let mut out: Vec<(Option<&Label>, Vec<&Section>)> = Vec::new();
        for s in &self.sections {
            match out.last_mut() {
                Some((g, list)) if *g == s.group.as_ref() => list.push(s),
                _ => out.push((s.group.as_ref(), vec![s])),
            }
        }
        out
    }

    /// Where a note goes on this layout. A section or row this layout does not know (a note
    /// moved on a device with another version of the template) lands in "other", never lost.
    pub fn place(&self, section: &str, row: Option<&str>) -> Placement {
        if self.section(section).is_none() {
            return Placement::Other;
        }
        let row = if self.rows.is_empty() {
            None
        } else {
            match row {
                Some(r) if self.row(r).is_some() => Some(r.to_owned()),
                // A note without a row in a grid goes to the row for the whole family.
                _ => None,
            }
        };
        Placement::Cell {
            section: section.to_owned(),
            row,
        }
    }
}

/// A note's place on a cloth's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    Cell {
        section: String,
        row: Option<String>,
    },
    Other,
}

const BUILTIN: [&str; 3] = [
    include_str!("../templates/ovre_eiker.json"),
    include_str!("../templates/familielos_first.json"),
    include_str!("../templates/familielos_team.json"),
];

/// The templates that come with Duken, from the seeds.
pub fn builtin() -> Vec<Template> {
    // The files are checked by this crate's tests, so none is skipped in a release.
    BUILTIN
        .iter()
        .filter_map(|s| Template::parse(s).ok())
        .collect()
}

pub fn builtin_template(code: &str) -> Option<Template> {
    builtin().into_iter().find(|t| t.code == code)
}

/// Who said a note: a family member, a helper present (by name), or everyone together.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Speaker {
    Member(Uuid),
    Helper(String),
    Together,
}

impl Speaker {
    /// How it is stored in a note's `by` field.
    pub fn encode(&self) -> String {
        match self {
            Speaker::Member(id) => format!("member:{id}"),
            Speaker::Helper(name) => format!("helper:{name}"),
            Speaker::Together => "together".to_owned(),
        }
    }

    pub fn parse(s: &str) -> Option<Speaker> {
        if s == "together" {
            return Some(Speaker::Together);
        }
        if let Some(id) = s.strip_prefix("member:") {
            return Uuid::parse_str(id).ok().map(Speaker::Member);
        }
        s.strip_prefix("helper:")
            .filter(|n| !n.trim().is_empty())
            .map(|n| Speaker::Helper(n.to_owned()))
    }
}

/// Number of distinct person colours; "together" has its own.
pub const PERSON_COLOURS: usize = 8;

/// The colour slot of a speaker on a cloth: 0 for "together", else 1 + the speaker's place
/// among the cloth's speakers (so everyone present has their own colour on every device).
pub fn colour_slot(speakers: &[Speaker], speaker: &Speaker) -> usize {
    if *speaker == Speaker::Together {
        return 0;
    }
    speakers
        .iter()
        .filter(|s| **s != Speaker::Together)
        .position(|s| s == speaker)
        .map(|i| 1 + i % PERSON_COLOURS)
        .unwrap_or(0)
}

/// A cloth: one sitting with the family.
#[derive(Clone, Debug, PartialEq)]
pub struct Cloth {
    pub id: Uuid,
    pub family: Uuid,
    pub layout: Template,
    pub date: Option<NaiveDate>,
    pub owner: String,
    pub present: Vec<Uuid>,
    pub helpers: Vec<String>,
    pub language: Lang,
    pub short_by: Option<NaiveDate>,
    pub long_by: Option<NaiveDate>,
    /// The cloth this one was started from (its evaluation).
    pub previous: Option<Uuid>,
}

impl Cloth {
    pub fn from_record(r: &Record) -> Option<Cloth> {
        if r.kind != Kind::Cloth || r.is_deleted() {
            return None;
        }
        // The cloth's own copy first; a built-in of the same code if the copy is unreadable.
        let layout = r
            .text("layout")
            .and_then(|s| Template::parse(s).ok())
            .or_else(|| r.text("template").and_then(builtin_template))?;
        Some(Cloth {
            id: r.id,
            family: r.family,
            language: r
                .text("language")
                .and_then(Lang::parse)
                .unwrap_or(layout.language),
            layout,
            date: r.text("date").and_then(parse_date),
            owner: r.text("owner").unwrap_or_default().to_owned(),
            present: r.ids("present"),
            helpers: r.strings("helpers"),
            short_by: r.text("short_by").and_then(parse_date),
            long_by: r.text("long_by").and_then(parse_date),
            previous: r.id_of("previous"),
        })
    }

    /// Everyone who can say something on this cloth: members present, helpers, together.
    pub fn speakers(&self) -> Vec<Speaker> {
        let mut out: Vec<Speaker> = self.present.iter().copied().map(Speaker::Member).collect();
        out.extend(self.helpers.iter().cloned().map(Speaker::Helper));
        out.push(Speaker::Together);
        out
    }

    pub fn deadline(&self, d: Deadline) -> Option<NaiveDate> {
        match d {
            Deadline::Short => self.short_by,
            Deadline::Long => self.long_by,
        }
    }
}

/// One note on a cloth.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub id: Uuid,
    pub family: Uuid,
    pub cloth: Uuid,
    pub section: String,
    pub row: Option<String>,
    pub text: String,
    pub by: Option<Speaker>,
    /// Seen by professionals only: never on the shared screen or in the family's print.
    pub worker_only: bool,
}

impl Note {
    pub fn from_record(r: &Record) -> Option<Note> {
        if r.kind != Kind::Note || r.is_deleted() {
            return None;
        }
        Some(Note {
            id: r.id,
            family: r.family,
            cloth: r.id_of("cloth")?,
            section: r.text("section").unwrap_or_default().to_owned(),
            row: r.text("row").map(str::to_owned),
            text: r.text("text").unwrap_or_default().to_owned(),
            by: r.text("by").and_then(Speaker::parse),
            worker_only: r.flag("worker_only"),
        })
    }
}

/// Where an agreement stands (codes of [`crate::vocab::AGREEMENT_STATUSES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Open,
    Done,
    Continue,
    Change,
    Dropped,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Done,
        Status::Continue,
        Status::Change,
        Status::Dropped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::Continue => "continue",
            Status::Change => "change",
            Status::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label(self) -> &'static str {
        crate::vocab::label(crate::vocab::AGREEMENT_STATUSES, self.code()).unwrap_or("")
    }

    /// Still to be worked on: goes with the family into the next cloth and the work plan.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Open | Status::Continue | Status::Change)
    }
}

/// An agreement: what, who, by when.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    pub id: Uuid,
    pub family: Uuid,
    pub cloth: Option<Uuid>,
    pub what: String,
    pub who: String,
    pub due: Option<NaiveDate>,
    pub status: Status,
    /// Sent to the family's work plan; until the plan exists, one of the family's open
    /// agreements on its page.
    pub to_plan: bool,
    /// The agreement on an earlier cloth this one continues.
    pub carried_from: Option<Uuid>,
}

impl Agreement {
    pub fn from_record(r: &Record) -> Option<Agreement> {
        if r.kind != Kind::Agreement || r.is_deleted() {
            return None;
        }
        Some(Agreement {
            id: r.id,
            family: r.family,
            cloth: r.id_of("cloth"),
            what: r.text("what").unwrap_or_default().to_owned(),
            who: r.text("who").unwrap_or_default().to_owned(),
            due: r.text("due").and_then(parse_date),
            status: r
                .text("status")
                .and_then(Status::parse)
                .unwrap_or(Status::Open),
            to_plan: r.flag("to_plan"),
            carried_from: r.id_of("carried_from"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_all_parse_with_seed_labels() {
        let all = builtin();
        assert_eq!(all.len(), BUILTIN.len());
        let eiker = builtin_template("ovre-eiker").unwrap();
        assert_eq!(eiker.sections.len(), 3 + 8);
        assert_eq!(eiker.owner.as_ref().unwrap().nb, "Planen til");
        assert_eq!(
            eiker.section("good_at").unwrap().label.nb,
            "Det er jeg/vi god på"
        );
        let first = builtin_template("familielos-first").unwrap();
        assert_eq!(first.language, Lang::Nn);
        assert_eq!(
            first.section("help").unwrap().label.get(Lang::Nn),
            "Kva kan vi gjera for å hjelpa meg, og kven skal gjera det?"
        );
        assert_eq!(first.agreements.nn, "Har vi gjort nokon avtale?");
        let team = builtin_template("familielos-team").unwrap();
        assert_eq!(team.rows.len(), 8);
        let groups = team.groups();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0.unwrap().nn, "Slik vi har det i dag");
        assert_eq!(groups[1].1.len(), 6);
        assert_eq!(
            team.section("short_term").unwrap().deadline,
            Some(Deadline::Short)
        );
        // A cloth's copy reads back as the same template.
        assert_eq!(Template::parse(&team.to_json()).unwrap(), team);
    }

    #[test]
    fn bad_templates_are_refused_with_reasons() {
        let mut t = builtin_template("familielos-first").unwrap();
        t.sections[1].code = t.sections[0].code.clone();
        assert_eq!(
            Template::parse(&t.to_json()),
            Err(TemplateError::Duplicate("works".into()))
        );
        let mut t = builtin_template("familielos-first").unwrap();
        t.sections.clear();
        assert_eq!(
            Template::parse(&t.to_json()),
            Err(TemplateError::NoSections)
        );
        let mut t = builtin_template("familielos-first").unwrap();
        t.sections[0].code = "Bad Code".into();
        assert!(matches!(
            Template::parse(&t.to_json()),
            Err(TemplateError::BadCode(_))
        ));
        let mut t = builtin_template("familielos-first").unwrap();
        t.sections[0].label.nn = "  ".into();
        assert!(matches!(
            Template::parse(&t.to_json()),
            Err(TemplateError::BadLabel(_))
        ));
        assert!(matches!(
            Template::parse("{\"code\": 3}"),
            Err(TemplateError::Json(_))
        ));
    }

    #[test]
    fn unknown_places_land_in_other() {
        let team = builtin_template("familielos-team").unwrap();
        assert_eq!(
            team.place("works", Some("economy")),
            Placement::Cell {
                section: "works".into(),
                row: Some("economy".into())
            }
        );
        assert_eq!(
            team.place("works", Some("astrology")),
            Placement::Cell {
                section: "works".into(),
                row: None
            }
        );
        assert_eq!(team.place("gone", None), Placement::Other);
        let first = builtin_template("familielos-first").unwrap();
        assert_eq!(
            first.place("works", Some("economy")),
            Placement::Cell {
                section: "works".into(),
                row: None
            }
        );
    }

    #[test]
    fn speakers_round_trip_and_get_their_own_colours() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        for s in [
            Speaker::Member(a),
            Speaker::Helper("Lærer Kari".into()),
            Speaker::Together,
        ] {
            assert_eq!(Speaker::parse(&s.encode()), Some(s));
        }
        assert_eq!(Speaker::parse("helper:  "), None);
        assert_eq!(Speaker::parse("member:nope"), None);
        let speakers = vec![
            Speaker::Member(a),
            Speaker::Member(b),
            Speaker::Helper("Kari".into()),
            Speaker::Together,
        ];
        let slots: Vec<usize> = speakers.iter().map(|s| colour_slot(&speakers, s)).collect();
        assert_eq!(slots, vec![1, 2, 3, 0]);
        // Someone who is no longer listed as present falls back to the neutral colour.
        assert_eq!(colour_slot(&speakers, &Speaker::Helper("Ola".into())), 0);
    }

    #[test]
    fn open_statuses_carry_over() {
        let open: Vec<&str> = Status::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(Status::code)
            .collect();
        assert_eq!(open, vec!["open", "continue", "change"]);
        assert_eq!(Status::Done.label(), "Gjort");
    }
}
