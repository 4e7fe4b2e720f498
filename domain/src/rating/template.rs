//! How a rating form looks: a [`RatingTemplate`] (data, versioned), its scale and items, and the built-in ones.

use serde::{Deserialize, Serialize};

use crate::family::{Member, Role};

use super::{MAX_FACES, MAX_TEMPLATE_CHARS, SCALE_CEILING};

const MAX_ITEMS: usize = 40;
const MAX_LABEL: usize = 200;
const MAX_TEXT: usize = 600;

/// Who a template is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Adult,
    Child,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Adult => "adult",
            Audience::Child => "child",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "adult" => Some(Audience::Adult),
            "child" => Some(Audience::Child),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Adult => "Voksne",
            Audience::Child => "Barn",
        }
    }

    /// The form a person is given unless the partner picks another.
    pub fn of(member: &Member) -> Audience {
        match member.role {
            Role::Child => Audience::Child,
            Role::Parent | Role::Other => Audience::Adult,
        }
    }
}

/// The answer scale: whole numbers from `min` to `max`, optionally drawn as faces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub min: u8,
    pub max: u8,
    /// Faces instead of numbers, for the youngest (at most [`MAX_FACES`] steps).
    #[serde(default)]
    pub faces: bool,
    /// What the lowest step means ("Svært vanskelig").
    pub low: String,
    /// What the highest step means ("Svært bra").
    pub high: String,
}

impl Scale {
    pub fn steps(&self) -> std::ops::RangeInclusive<u8> {
        self.min..=self.max
    }

    /// Where `score` lies on the scale, 0.0 (lowest) to 1.0 (highest), so answers on different
    /// scales can be compared.
    pub fn level(&self, score: u8) -> f32 {
        let span = f32::from(self.max.saturating_sub(self.min)).max(1.0);
        (f32::from(score.clamp(self.min, self.max) - self.min) / span).clamp(0.0, 1.0)
    }

    pub fn contains(&self, score: u8) -> bool {
        self.steps().contains(&score)
    }
}

/// One question of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stored in answers and kept across versions, so an area's answers line up over time.
    pub key: String,
    pub label: String,
    /// A heading over consecutive items ("Foreldrerollen").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// How a rating form looks: its questions and scale. Data, not code; see the module doc.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTemplate {
    pub code: String,
    pub version: u32,
    pub name: String,
    pub audience: Audience,
    /// Said to the person before the questions.
    #[serde(default)]
    pub intro: String,
    pub scale: Scale,
    /// Whether each item takes an optional comment.
    #[serde(default)]
    pub comments: bool,
    pub items: Vec<Item>,
}

/// Why a template was refused. Shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingTemplateError {
    #[error("skjemaet kan ikke leses: {0}")]
    Json(String),
    #[error("skjemaet er for stort (høyst {MAX_TEMPLATE_CHARS} tegn)")]
    TooLarge,
    #[error("skjemaet må ha minst ett spørsmål")]
    NoItems,
    #[error("skjemaet kan ha høyst {MAX_ITEMS} spørsmål")]
    TooMany,
    #[error("koden «{0}» kan bare ha små bokstaver, tall, - og _ (høyst 60 tegn)")]
    BadCode(String),
    #[error("spørsmålet «{0}» finnes to ganger i skjemaet")]
    Duplicate(String),
    #[error("en tekst i skjemaet er tom eller for lang: «{0}»")]
    BadLabel(String),
    #[error("skalaen må gå fra et lavere til et høyere tall, mellom 0 og {SCALE_CEILING}")]
    BadScale,
    #[error("en skala med fjes kan ha høyst {MAX_FACES} trinn")]
    TooManyFaces,
}

fn check_label(s: &str, max: usize, may_be_empty: bool) -> Result<(), RatingTemplateError> {
    if (!may_be_empty && s.trim().is_empty()) || s.chars().count() > max {
        return Err(RatingTemplateError::BadLabel(s.chars().take(60).collect()));
    }
    Ok(())
}

pub(super) fn check_key(code: &str) -> Result<(), RatingTemplateError> {
    if crate::codes::is_code(code) {
        Ok(())
    } else {
        Err(RatingTemplateError::BadCode(crate::codes::shown(code)))
    }
}

impl RatingTemplate {
    /// Reads and checks a template (a built-in one, a team's own, or a rating's copy).
    pub fn parse(json: &str) -> Result<RatingTemplate, RatingTemplateError> {
        if json.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(RatingTemplateError::TooLarge);
        }
        let t: RatingTemplate =
            serde_json::from_str(json).map_err(|e| RatingTemplateError::Json(e.to_string()))?;
        t.check()?;
        Ok(t)
    }

    pub fn check(&self) -> Result<(), RatingTemplateError> {
        check_key(&self.code)?;
        check_label(&self.name, MAX_LABEL, false)?;
        check_label(&self.intro, MAX_TEXT, true)?;
        let s = &self.scale;
        if s.min >= s.max || s.max > SCALE_CEILING {
            return Err(RatingTemplateError::BadScale);
        }
        if s.faces && s.max - s.min + 1 > MAX_FACES {
            return Err(RatingTemplateError::TooManyFaces);
        }
        check_label(&s.low, MAX_LABEL, false)?;
        check_label(&s.high, MAX_LABEL, false)?;
        if self.items.is_empty() {
            return Err(RatingTemplateError::NoItems);
        }
        if self.items.len() > MAX_ITEMS {
            return Err(RatingTemplateError::TooMany);
        }
        for (i, item) in self.items.iter().enumerate() {
            check_key(&item.key)?;
            check_label(&item.label, MAX_LABEL, false)?;
            if let Some(g) = &item.group {
                check_label(g, MAX_LABEL, false)?;
            }
            if self.items[..i].iter().any(|o| o.key == item.key) {
                return Err(RatingTemplateError::Duplicate(item.label.clone()));
            }
        }
        Ok(())
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }

    /// A key for a new item from its label ("Daglige rutiner" → "daglige-rutiner"), unique in
    /// this template. Keys never change once answers use them.
    pub fn new_key(&self, label: &str) -> String {
        unique_code(label, |k| self.item(k).is_some())
    }
}

/// A code from a label (lowercase ASCII, digits and `-`; æøå folded), made unique against
/// `taken` with a number.
pub fn unique_code(label: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base: String = label
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' => 'e',
            'ø' => 'o',
            'å' => 'a',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    base.truncate(40);
    if base.is_empty() {
        base = "sporsmal".into();
    }
    let mut key = base.clone();
    let mut n = 2;
    while taken(&key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

pub(super) const BUILTIN: [&str; 2] = [
    include_str!("../../templates/rating_adult.json"),
    include_str!("../../templates/rating_child.json"),
];

/// The rating templates that come with Duken (DOMAIN.md's default areas).
pub fn builtin() -> Vec<RatingTemplate> {
    // The files are checked by this crate's tests, so none is skipped in a release.
    BUILTIN
        .iter()
        .filter_map(|s| RatingTemplate::parse(s).ok())
        .collect()
}

pub fn builtin_template(code: &str) -> Option<RatingTemplate> {
    builtin().into_iter().find(|t| t.code == code)
}

/// The template a person is given by default: the team's newest for their audience, else
/// Duken's own. `available` is built-in first, then the team's in the order they were made.
pub fn default_for(available: &[RatingTemplate], audience: Audience) -> Option<&RatingTemplate> {
    available.iter().rev().find(|t| t.audience == audience)
}
