//! One person's filled form in a round, where it stands, and who has not answered yet.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;

use crate::dates::parse_date;
use crate::family::Member;
use crate::record::{Kind, Record};

use super::round::Rater;
use super::template::{check_key, RatingTemplate};
use super::{COMMENT_PREFIX, SCORE_PREFIX};

/// Which part of an answer a rating field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerPart {
    Score,
    Comment,
}

/// `score.<key>` / `comment.<key>` → the part and the item key.
pub fn answer_field(field: &str) -> Option<(AnswerPart, &str)> {
    let (part, key) = if let Some(k) = field.strip_prefix(SCORE_PREFIX) {
        (AnswerPart::Score, k)
    } else {
        (AnswerPart::Comment, field.strip_prefix(COMMENT_PREFIX)?)
    };
    check_key(key).ok().map(|()| (part, key))
}

pub fn score_field(key: &str) -> String {
    format!("{SCORE_PREFIX}{key}")
}

pub fn comment_field(key: &str) -> String {
    format!("{COMMENT_PREFIX}{key}")
}

/// One person's filled form in one round (or the partner's view of them).
#[derive(Clone, Debug, PartialEq)]
pub struct Rating {
    pub id: Uuid,
    pub family: Uuid,
    pub round: Uuid,
    pub member: Uuid,
    pub rater: Rater,
    /// The template as it was when the form was given.
    pub form: RatingTemplate,
    pub scores: BTreeMap<String, u8>,
    pub comments: BTreeMap<String, String>,
    /// When the person said they were done. Drafts count nowhere.
    pub submitted: Option<NaiveDate>,
    /// Why this person does not rate this round (a baby; away), so the lack of their voice is
    /// documented rather than silent.
    pub skipped: Option<String>,
}

impl Rating {
    pub fn from_record(r: &Record) -> Option<Rating> {
        if r.kind != Kind::Rating || r.is_deleted() {
            return None;
        }
        let form = RatingTemplate::parse(r.text("form")?).ok()?;
        let mut scores = BTreeMap::new();
        let mut comments = BTreeMap::new();
        for name in r.fields.keys() {
            match answer_field(name) {
                Some((AnswerPart::Score, key)) => {
                    if let Some(s) = r.int(name).and_then(|n| u8::try_from(n).ok()) {
                        scores.insert(key.to_owned(), s);
                    }
                }
                Some((AnswerPart::Comment, key)) => {
                    if let Some(c) = r.text(name).filter(|c| !c.trim().is_empty()) {
                        comments.insert(key.to_owned(), c.to_owned());
                    }
                }
                None => {}
            }
        }
        Some(Rating {
            id: r.id,
            family: r.family,
            round: r.id_of("round")?,
            member: r.id_of("member")?,
            rater: r.text("rater").and_then(Rater::parse)?,
            form,
            scores,
            comments,
            submitted: r.text("submitted").and_then(parse_date),
            skipped: r
                .text("skipped")
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned),
        })
    }

    /// A score that fits this rating's own scale (an out-of-scale value from another version
    /// of the form reads as unanswered rather than as a wrong level).
    pub fn score(&self, key: &str) -> Option<u8> {
        self.scores
            .get(key)
            .copied()
            .filter(|s| self.form.scale.contains(*s))
    }

    pub fn level(&self, key: &str) -> Option<f32> {
        self.score(key).map(|s| self.form.scale.level(s))
    }

    /// Items of the form not answered yet.
    pub fn unanswered(&self) -> usize {
        self.form
            .items
            .iter()
            .filter(|i| self.score(&i.key).is_none())
            .count()
    }

    /// The mean level over the answered items (for the family chart).
    pub fn mean_level(&self) -> Option<f32> {
        let levels: Vec<f32> = self
            .form
            .items
            .iter()
            .filter_map(|i| self.level(&i.key))
            .collect();
        (!levels.is_empty()).then(|| levels.iter().sum::<f32>() / levels.len() as f32)
    }

    /// Delivered: «Ferdig» was pressed with at least one answer. An empty form is not an
    /// answer, whatever its date says.
    pub fn delivered(&self) -> bool {
        self.submitted.is_some() && self.form.items.iter().any(|i| self.score(&i.key).is_some())
    }

    pub fn counts(&self) -> bool {
        self.delivered() && self.skipped.is_none()
    }

    /// Whether «Ferdig» may deliver the form now, and what is left to point out first.
    pub fn finish(&self) -> Finish {
        let open: Vec<String> = self
            .form
            .items
            .iter()
            .filter(|i| self.score(&i.key).is_none())
            .map(|i| i.label.clone())
            .collect();
        if open.len() == self.form.items.len() {
            Finish::Empty
        } else if open.is_empty() {
            Finish::Ready
        } else {
            Finish::Partial(open)
        }
    }
}

/// What pressing «Ferdig» on a form means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Every question answered.
    Ready,
    /// Some answered: these (labels) are not; deliver only once the person has seen that.
    Partial(Vec<String>),
    /// Nothing answered: not a delivery.
    Empty,
}

/// The submitted rating of `member` by `rater` in `round`, if there is one.
pub fn find(ratings: &[Rating], round: Uuid, member: Uuid, rater: Rater) -> Option<&Rating> {
    ratings
        .iter()
        .filter(|r| r.round == round && r.member == member && r.rater == rater)
        // Two devices may each have started a copy offline; the one with more answers wins
        // the chart, and both stay stored.
        .max_by_key(|r| (r.submitted.is_some(), r.scores.len(), r.id))
}

/// Where a rating stands, read without parsing its form: cheap enough for lists that look at
/// every family on the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub round: Uuid,
    pub member: Uuid,
    pub rater: Rater,
    pub submitted: bool,
    pub skipped: bool,
}

impl Standing {
    pub fn from_record(r: &Record) -> Option<Standing> {
        if r.kind != Kind::Rating || r.is_deleted() {
            return None;
        }
        Some(Standing {
            round: r.id_of("round")?,
            member: r.id_of("member")?,
            rater: r.text("rater").and_then(Rater::parse)?,
            // Delivered, as `Rating::delivered`: dated, and with at least one score. (Any
            // score field counts here; whether it fits the form's scale is not read, to keep
            // this cheap. The app writes only scores of the form's own scale.)
            submitted: r.text("submitted").and_then(parse_date).is_some()
                && r.fields.iter().any(|(name, f)| {
                    name.starts_with(SCORE_PREFIX) && f.value().is_some_and(Value::is_number)
                }),
            skipped: r.text("skipped").is_some_and(|s| !s.trim().is_empty()),
        })
    }
}

impl Rating {
    pub fn standing(&self) -> Standing {
        Standing {
            round: self.round,
            member: self.member,
            rater: self.rater,
            submitted: self.delivered(),
            skipped: self.skipped.is_some(),
        }
    }
}

/// Members who have neither rated (submitted) nor been marked as not rating in `round`.
pub fn missing_raters(members: &[Member], round: Uuid, standings: &[Standing]) -> Vec<Uuid> {
    members
        .iter()
        .filter(|m| {
            !standings.iter().any(|s| {
                s.round == round
                    && s.member == m.id
                    && s.rater == Rater::Member
                    && (s.submitted || s.skipped)
            })
        })
        .map(|m| m.id)
        .collect()
}
