//! *Rangeringsskjema* (the rating form): every family member, children too, says how things
//! are in each area of life, at the start, after 3 and 6 months and at the end. It gives each
//! person a room to speak, the work plan starts from it, and it shows progress.
//!
//! A form is laid out by a [`RatingTemplate`], which is data (JSON), versioned: two built-in
//! ones (adults, children; `templates/rating_*.json`) and the team's own copies, edited by a
//! team leader in the app. Each filled [`Rating`] keeps a copy of the template it was given with,
//! so editing a template never changes an old answer.
//!
//! Records: a [`Round`] (which point, opened when) and one [`Rating`] per person and rater in
//! it. Answers are fields of their own (`score.<item>`, `comment.<item>`), so two devices
//! editing different items never collide, and a changed answer keeps its history.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::family::{parse_date, Member, Role};
use crate::record::{Kind, Record};

/// Longest template JSON a rating may carry.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;
const MAX_ITEMS: usize = 40;
const MAX_LABEL: usize = 200;
const MAX_TEXT: usize = 600;
/// Highest value on any scale: the stored answers are checked against it before the form is
/// known (a change carries its fields, not the form).
pub const SCALE_CEILING: u8 = 10;
/// Most steps a faces scale can have: one drawn face per step.
pub const MAX_FACES: u8 = 5;
/// At or below this share of the scale an area counts as low (3 of 1-10, 2 of 1-5 faces).
pub const LOW_LEVEL: f32 = 0.3;
/// Most rounds a star chart compares, so it stays readable.
pub const MAX_COMPARED: usize = 3;

/// Field-name prefix of an answer's score.
pub const SCORE_PREFIX: &str = "score.";
/// Field-name prefix of an answer's comment.
pub const COMMENT_PREFIX: &str = "comment.";

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

fn check_key(code: &str) -> Result<(), RatingTemplateError> {
    crate::cloth::check_code(code)
        .map_err(|_| RatingTemplateError::BadCode(code.chars().take(60).collect()))
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

const BUILTIN: [&str; 2] = [
    include_str!("../templates/rating_adult.json"),
    include_str!("../templates/rating_child.json"),
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

/// A point in the intervention where everyone rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Point {
    Start,
    ThreeMonths,
    SixMonths,
    End,
}

impl Point {
    pub const ALL: [Point; 4] = [
        Point::Start,
        Point::ThreeMonths,
        Point::SixMonths,
        Point::End,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Point::Start => "start",
            Point::ThreeMonths => "m3",
            Point::SixMonths => "m6",
            Point::End => "end",
        }
    }

    pub fn parse(s: &str) -> Option<Point> {
        Point::ALL.into_iter().find(|p| p.code() == s)
    }

    pub fn label(self) -> &'static str {
        crate::vocab::label(crate::vocab::ROUND_POINTS, self.code()).unwrap_or("")
    }

    /// For chart axes.
    pub fn short(self) -> &'static str {
        match self {
            Point::Start => "Start",
            Point::ThreeMonths => "3 mnd",
            Point::SixMonths => "6 mnd",
            Point::End => "Slutt",
        }
    }
}

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
            crate::family::norwegian_date(self.date)
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

/// One area (item) of one person across the rounds compared.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaProgress {
    pub key: String,
    pub label: String,
    pub group: Option<String>,
    /// One per round compared; `None` where the area was not answered (or not asked).
    pub scores: Vec<Option<u8>>,
    /// The same answers as a share of their scale (0.0-1.0).
    pub levels: Vec<Option<f32>>,
    /// The latest answer minus the one before it, in steps of the latest answer's scale.
    pub change: Option<i32>,
    /// The latest answer is lower than the one before.
    pub fell: bool,
    /// The latest answer is in the lowest part of the scale.
    pub low: bool,
    /// Low now and in the answer before.
    pub stayed_low: bool,
}

impl AreaProgress {
    /// Shown highlighted: it fell, or it is low.
    pub fn needs_attention(&self) -> bool {
        self.fell || self.low
    }

    pub fn latest_level(&self) -> Option<f32> {
        self.levels.iter().rev().find_map(|l| *l)
    }
}

/// One person's answers (by one rater) across rounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub member: Uuid,
    pub rater: Rater,
    /// The rounds compared, in order; every series below has one entry per round.
    pub rounds: Vec<Round>,
    /// The scale of the newest answer (for axes).
    pub scale: Option<Scale>,
    pub areas: Vec<AreaProgress>,
}

/// Lines up `member`'s submitted answers by `rater` over `rounds` (in the order given).
/// Areas are the newest form's items in its order, then items only older forms asked.
pub fn progress(rounds: &[Round], ratings: &[Rating], member: Uuid, rater: Rater) -> Progress {
    let per_round: Vec<Option<&Rating>> = rounds
        .iter()
        .map(|round| find(ratings, round.id, member, rater).filter(|r| r.counts()))
        .collect();
    let mut areas: Vec<(String, String, Option<String>)> = Vec::new();
    for rating in per_round.iter().rev().flatten() {
        for item in &rating.form.items {
            if !areas.iter().any(|(k, _, _)| *k == item.key) {
                areas.push((item.key.clone(), item.label.clone(), item.group.clone()));
            }
        }
    }
    let newest = per_round.iter().rev().flatten().next();
    let scale = newest.map(|r| r.form.scale.clone());
    let areas = areas
        .into_iter()
        .map(|(key, label, group)| {
            let scores: Vec<Option<u8>> = per_round
                .iter()
                .map(|r| r.and_then(|r| r.score(&key)))
                .collect();
            let levels: Vec<Option<f32>> = per_round
                .iter()
                .map(|r| r.and_then(|r| r.level(&key)))
                .collect();
            let answered: Vec<(usize, f32)> = levels
                .iter()
                .enumerate()
                .filter_map(|(i, l)| l.map(|l| (i, l)))
                .collect();
            let latest = answered.last().copied();
            let before = answered.len().checked_sub(2).map(|i| answered[i]);
            let change = match (latest, before) {
                (Some((i, _)), Some((j, _))) => {
                    let (a, b) = (per_round[i], per_round[j]);
                    match (a, b) {
                        (Some(a), Some(b)) if a.form.scale == b.form.scale => {
                            let now = a.score(&key).map(i32::from);
                            let then = b.score(&key).map(i32::from);
                            now.zip(then).map(|(n, t)| n - t)
                        }
                        (Some(a), _) => {
                            // Different scales: compare shares, count in the newer scale.
                            let span = f32::from(a.form.scale.max - a.form.scale.min);
                            latest
                                .zip(before)
                                .map(|((_, n), (_, t))| ((n - t) * span).round() as i32)
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            let is_low = |l: f32| l <= LOW_LEVEL + f32::EPSILON;
            let low = latest.is_some_and(|(_, l)| is_low(l));
            AreaProgress {
                key,
                label,
                group,
                scores,
                levels,
                change,
                fell: change.is_some_and(|c| c < 0),
                low,
                stayed_low: low && before.is_some_and(|(_, l)| is_low(l)),
            }
        })
        .collect();
    Progress {
        member,
        rater,
        rounds: rounds.to_vec(),
        scale,
        areas,
    }
}

/// The `n` areas with the lowest latest answer, lowest first (ties in form order).
pub fn lowest_areas(progress: &Progress, n: usize) -> Vec<&AreaProgress> {
    let mut answered: Vec<(usize, &AreaProgress)> = progress
        .areas
        .iter()
        .enumerate()
        .filter(|(_, a)| a.latest_level().is_some())
        .collect();
    answered.sort_by(|(i, a), (j, b)| {
        a.latest_level()
            .partial_cmp(&b.latest_level())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(i.cmp(j))
    });
    answered.into_iter().take(n).map(|(_, a)| a).collect()
}

/// The last [`MAX_COMPARED`] of `rounds` (in order) in which `member` has a submitted answer
/// by `rater`: what the star chart shows unless the user picks others.
pub fn default_compared(
    rounds: &[Round],
    ratings: &[Rating],
    member: Uuid,
    rater: Rater,
) -> Vec<Round> {
    let with: Vec<Round> = rounds
        .iter()
        .filter(|r| find(ratings, r.id, member, rater).is_some_and(Rating::counts))
        .cloned()
        .collect();
    let skip = with.len().saturating_sub(MAX_COMPARED);
    with.into_iter().skip(skip).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn round(point: Point, d: &str) -> Round {
        Round {
            id: Uuid::now_v7(),
            family: Uuid::nil(),
            point,
            date: date(d),
        }
    }

    fn rating(form: &RatingTemplate, round: &Round, member: Uuid, scores: &[(&str, u8)]) -> Rating {
        Rating {
            id: Uuid::now_v7(),
            family: Uuid::nil(),
            round: round.id,
            member,
            rater: Rater::Member,
            form: form.clone(),
            scores: scores.iter().map(|(k, s)| ((*k).to_owned(), *s)).collect(),
            comments: BTreeMap::new(),
            submitted: Some(round.date),
            skipped: None,
        }
    }

    fn member(name: &str, role: Role) -> Member {
        Member {
            id: Uuid::now_v7(),
            family: Uuid::nil(),
            name: name.into(),
            role,
            birth_year: None,
        }
    }

    fn adult() -> RatingTemplate {
        builtin_template("voksen").unwrap()
    }

    fn child() -> RatingTemplate {
        builtin_template("barn").unwrap()
    }

    #[test]
    fn builtin_templates_parse_and_have_the_default_areas() {
        let all = builtin();
        assert_eq!(all.len(), BUILTIN.len());
        let a = adult();
        assert_eq!(a.audience, Audience::Adult);
        assert_eq!((a.scale.min, a.scale.max, a.scale.faces), (1, 10, false));
        assert_eq!(a.items.len(), 18);
        assert!(a.comments);
        let c = builtin_template("barn").unwrap();
        assert_eq!(c.audience, Audience::Child);
        assert!(c.scale.faces);
        assert!(c.items.len() < a.items.len());
        for t in all {
            assert_eq!(RatingTemplate::parse(&t.to_json()), Ok(t));
        }
    }

    #[test]
    fn bad_templates_are_refused_with_clear_messages() {
        let mut t = adult();
        t.scale.max = 11;
        assert_eq!(t.check(), Err(RatingTemplateError::BadScale));
        let mut t = adult();
        t.scale.faces = true;
        assert_eq!(t.check(), Err(RatingTemplateError::TooManyFaces));
        let mut t = adult();
        t.items[1].key = t.items[0].key.clone();
        assert!(matches!(t.check(), Err(RatingTemplateError::Duplicate(_))));
        let mut t = adult();
        t.items.clear();
        assert_eq!(t.check(), Err(RatingTemplateError::NoItems));
        let mut t = adult();
        t.items[0].label = " ".into();
        assert!(matches!(t.check(), Err(RatingTemplateError::BadLabel(_))));
        assert!(matches!(
            RatingTemplate::parse("{"),
            Err(RatingTemplateError::Json(_))
        ));
    }

    #[test]
    fn new_keys_are_codes_and_unique() {
        let t = adult();
        assert_eq!(t.new_key("Søvn og hvile!"), "sovn-og-hvile");
        let taken = t.items[0].key.clone();
        let again = t.new_key(&taken);
        assert_ne!(again, taken);
        assert!(answer_field(&score_field(&again)).is_some());
        assert_eq!(t.new_key("???"), "sporsmal");
    }

    #[test]
    fn answer_fields_name_part_and_item() {
        assert_eq!(
            answer_field("score.routines"),
            Some((AnswerPart::Score, "routines"))
        );
        assert_eq!(
            answer_field("comment.routines"),
            Some((AnswerPart::Comment, "routines"))
        );
        assert_eq!(answer_field("score.Bad Key"), None);
        assert_eq!(answer_field("round"), None);
    }

    #[test]
    fn progress_computes_changes_per_area_and_highlights() {
        let form = adult();
        let (start, m3) = (
            round(Point::Start, "2026-01-05"),
            round(Point::ThreeMonths, "2026-04-05"),
        );
        let kari = Uuid::now_v7();
        let ratings = vec![
            rating(
                &form,
                &start,
                kari,
                &[
                    ("routines", 4),
                    ("economy", 2),
                    ("housing", 8),
                    ("network", 5),
                ],
            ),
            rating(
                &form,
                &m3,
                kari,
                &[("routines", 7), ("economy", 3), ("housing", 6)],
            ),
        ];
        let p = progress(&[start.clone(), m3.clone()], &ratings, kari, Rater::Member);
        let area = |k: &str| p.areas.iter().find(|a| a.key == k).unwrap();
        assert_eq!(area("routines").scores, vec![Some(4), Some(7)]);
        assert_eq!(area("routines").change, Some(3));
        assert!(!area("routines").needs_attention());
        assert_eq!(area("housing").change, Some(-2));
        assert!(area("housing").fell && !area("housing").low);
        assert!(area("economy").low && area("economy").stayed_low);
        assert_eq!(area("economy").change, Some(1));
        // Answered only at the start: no change, but still charted.
        assert_eq!(area("network").scores, vec![Some(5), None]);
        assert_eq!(area("network").change, None);
        // Never answered: no highlight.
        assert!(!area("violence").needs_attention());
        assert_eq!(p.areas.len(), form.items.len());
        assert_eq!(p.areas[0].key, form.items[0].key);

        let lowest: Vec<&str> = lowest_areas(&p, 2).iter().map(|a| a.key.as_str()).collect();
        assert_eq!(lowest, vec!["economy", "network"]);
    }

    #[test]
    fn progress_follows_the_form_each_answer_was_given_with() {
        let old = adult();
        let mut new = adult();
        new.version = 2;
        new.items.retain(|i| i.key != "housing");
        new.items.insert(
            0,
            Item {
                key: "sleep".into(),
                label: "Søvn".into(),
                group: None,
            },
        );
        new.items[1].label = "Rutiner i hverdagen".into();
        let (a, b) = (
            round(Point::Start, "2026-01-05"),
            round(Point::ThreeMonths, "2026-04-05"),
        );
        let m = Uuid::now_v7();
        let ratings = vec![
            rating(&old, &a, m, &[("housing", 3), ("routines", 5)]),
            rating(&new, &b, m, &[("sleep", 6), ("routines", 6)]),
        ];
        let p = progress(&[a, b], &ratings, m, Rater::Member);
        assert_eq!(p.areas[0].key, "sleep");
        assert_eq!(p.areas[1].label, "Rutiner i hverdagen");
        let housing = p.areas.iter().find(|x| x.key == "housing").unwrap();
        assert_eq!(housing.scores, vec![Some(3), None]);
        assert!(housing.low && !housing.stayed_low);
    }

    #[test]
    fn changes_across_scales_are_counted_in_the_newer_scale() {
        let child = builtin_template("barn").unwrap();
        let mut ten = child.clone();
        ten.scale = adult().scale;
        ten.scale.faces = false;
        let (a, b) = (
            round(Point::Start, "2026-01-05"),
            round(Point::ThreeMonths, "2026-04-05"),
        );
        let m = Uuid::now_v7();
        let ratings = vec![
            rating(&child, &a, m, &[("home", 1)]),
            rating(&ten, &b, m, &[("home", 10)]),
        ];
        let p = progress(&[a, b], &ratings, m, Rater::Member);
        assert_eq!(p.areas[0].change, Some(9));
        assert_eq!(p.areas[0].levels, vec![Some(0.0), Some(1.0)]);
    }

    #[test]
    fn drafts_skips_and_the_partners_view_stay_apart() {
        let form = adult();
        let r = round(Point::Start, "2026-01-05");
        let (kari, ola, emma, baby) = (
            member("Kari", Role::Parent),
            member("Ola", Role::Parent),
            member("Emma", Role::Child),
            member("Lille", Role::Child),
        );
        let members = vec![kari.clone(), ola.clone(), emma.clone(), baby.clone()];
        let mut draft = rating(&form, &r, ola.id, &[("routines", 2)]);
        draft.submitted = None;
        let mut skipped = rating(&form, &r, baby.id, &[]);
        skipped.submitted = None;
        skipped.skipped = Some("For ung til å svare".into());
        let mut partner = rating(&form, &r, emma.id, &[("routines", 3)]);
        partner.rater = Rater::Partner;
        let ratings = vec![
            rating(&form, &r, kari.id, &[("routines", 6)]),
            draft,
            skipped,
            partner,
        ];
        let standings: Vec<Standing> = ratings.iter().map(Rating::standing).collect();
        assert_eq!(
            missing_raters(&members, r.id, &standings),
            vec![ola.id, emma.id]
        );
        let p = progress(std::slice::from_ref(&r), &ratings, ola.id, Rater::Member);
        assert!(p.areas.iter().all(|a| a.scores == vec![None]));
        let own = progress(std::slice::from_ref(&r), &ratings, emma.id, Rater::Member);
        let theirs = progress(std::slice::from_ref(&r), &ratings, emma.id, Rater::Partner);
        assert!(own.areas.iter().all(|a| a.scores == vec![None]));
        assert_eq!(theirs.areas[0].scores, vec![Some(3)]);
        // Another round: everyone is missing again.
        let next = round(Point::ThreeMonths, "2026-04-05");
        assert_eq!(missing_raters(&members, next.id, &standings).len(), 4);
    }

    #[test]
    fn a_rating_record_reads_as_a_rating_and_as_a_standing() {
        use crate::record::{Change, FieldWrite};
        use serde_json::json;
        let (round, member) = (Uuid::now_v7(), Uuid::now_v7());
        let write = |field: &str, value: serde_json::Value| FieldWrite {
            field: field.into(),
            value,
            base: None,
            resolves: vec![],
        };
        let change = Change {
            id: Uuid::now_v7(),
            record: Uuid::now_v7(),
            kind: Kind::Rating,
            family: Uuid::now_v7(),
            clock: 1,
            writes: vec![
                write("round", json!(round.to_string())),
                write("member", json!(member.to_string())),
                write("rater", json!("member")),
                write("form", json!(adult().to_json())),
                write("score.routines", json!(7)),
                write("score.economy", json!(12)),
                write("comment.routines", json!("Bedre nå")),
                write("submitted", json!("2026-04-05")),
            ],
        };
        let record = Record::from_change(&change);
        let rating = Rating::from_record(&record).unwrap();
        assert_eq!(rating.score("routines"), Some(7));
        // Outside the form's own scale: read as unanswered.
        assert_eq!(rating.score("economy"), None);
        assert_eq!(rating.comments["routines"], "Bedre nå");
        assert_eq!(rating.unanswered(), 17);
        assert_eq!(Standing::from_record(&record), Some(rating.standing()));
        assert!(rating.standing().submitted && !rating.standing().skipped);
    }

    #[test]
    fn an_empty_form_is_not_delivered_and_a_partial_one_is_pointed_out() {
        let form = child();
        let r = round(Point::Start, "2026-01-05");
        let emma = member("Emma", Role::Child);
        // «Ferdig» pressed with nothing answered (an older app allowed it): not delivered.
        let empty = rating(&form, &r, emma.id, &[]);
        assert!(empty.submitted.is_some());
        assert!(!empty.delivered() && !empty.counts());
        assert_eq!(empty.finish(), Finish::Empty);
        let standings = vec![empty.standing()];
        assert_eq!(
            missing_raters(std::slice::from_ref(&emma), r.id, &standings),
            vec![emma.id]
        );
        // The same read from its record, as the lists that do not parse forms do.
        let first = &form.items[0].key;
        let partial = rating(&form, &r, emma.id, &[(first.as_str(), 3)]);
        assert!(partial.delivered());
        match partial.finish() {
            Finish::Partial(open) => {
                assert_eq!(open.len(), form.items.len() - 1);
                assert_eq!(open[0], form.items[1].label);
            }
            other => panic!("{other:?}"),
        }
        let all: Vec<(&str, u8)> = form.items.iter().map(|i| (i.key.as_str(), 2)).collect();
        assert_eq!(rating(&form, &r, emma.id, &all).finish(), Finish::Ready);
    }

    #[test]
    fn an_empty_submitted_record_is_no_standing_delivery() {
        use crate::record::{Change, FieldWrite};
        use serde_json::json;
        let write = |field: &str, value: serde_json::Value| FieldWrite {
            field: field.into(),
            value,
            base: None,
            resolves: vec![],
        };
        let mut change = Change {
            id: Uuid::now_v7(),
            record: Uuid::now_v7(),
            kind: Kind::Rating,
            family: Uuid::now_v7(),
            clock: 1,
            writes: vec![
                write("round", json!(Uuid::now_v7().to_string())),
                write("member", json!(Uuid::now_v7().to_string())),
                write("rater", json!("member")),
                write("form", json!(child().to_json())),
                write("submitted", json!("2026-04-05")),
            ],
        };
        let empty = Record::from_change(&change);
        assert_eq!(
            Standing::from_record(&empty).map(|s| s.submitted),
            Some(false)
        );
        // A score taken back (tapped again) is no answer either.
        change
            .writes
            .push(write("score.home", serde_json::Value::Null));
        let taken_back = Record::from_change(&change);
        assert_eq!(
            Standing::from_record(&taken_back).map(|s| s.submitted),
            Some(false)
        );
    }

    #[test]
    fn the_star_chart_compares_the_last_three_rounds_by_default() {
        let form = adult();
        let rounds = in_order(vec![
            round(Point::End, "2026-10-01"),
            round(Point::Start, "2026-01-05"),
            round(Point::SixMonths, "2026-07-05"),
            round(Point::ThreeMonths, "2026-04-05"),
        ]);
        assert_eq!(rounds[0].point, Point::Start);
        let m = Uuid::now_v7();
        let ratings: Vec<Rating> = rounds
            .iter()
            .map(|r| rating(&form, r, m, &[("routines", 5)]))
            .collect();
        let shown = default_compared(&rounds, &ratings, m, Rater::Member);
        let points: Vec<Point> = shown.iter().map(|r| r.point).collect();
        assert_eq!(
            points,
            vec![Point::ThreeMonths, Point::SixMonths, Point::End]
        );
    }

    #[test]
    fn scales_give_levels_and_children_get_the_child_form() {
        let s = adult().scale;
        assert_eq!(s.level(1), 0.0);
        assert_eq!(s.level(10), 1.0);
        assert!((s.level(3) - 2.0 / 9.0).abs() < 1e-6);
        let all = builtin();
        let kid = member("Emma", Role::Child);
        assert_eq!(
            default_for(&all, Audience::of(&kid)).map(|t| t.code.as_str()),
            Some("barn")
        );
        let mut team = adult();
        team.code = "voksen-nord".into();
        let mut with_team = all.clone();
        with_team.push(team);
        assert_eq!(
            default_for(&with_team, Audience::Adult).map(|t| t.code.as_str()),
            Some("voksen-nord")
        );
    }
}
