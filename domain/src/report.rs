//! The report before each 3-monthly evaluation of the intervention plan (*rapportmal*,
//! workbook 000): "fylles ut før hver evaluering av tiltaksplanen hver tredje måned", gone
//! through with the family before the meeting with the contact person.
//!
//! A report has two parts:
//! - **the facts**, composed here from the family's records ([`compose`]): the period and its
//!   phases, the meetings (how many, hours, where, focus, themes, interpreter), the work plan
//!   with its goals and tasks, each member's ratings over the period (what rose, fell or stayed
//!   low, in the form's own words) with the partner's view beside, the children's own voice or
//!   the reason it is missing, the cloths' agreements, the network and services, the consents,
//!   and in the closing phase the hand-over;
//! - **the partner's sections**, laid out by a [`ReportTemplate`] (data, like the cloth
//!   templates; each report keeps a copy of the one it was started with).
//!
//! Until it is finalised a report is a draft and its facts follow the records. Finalising
//! freezes facts, sections and the reading with the family into the record ([`Frozen`]), so a
//! meeting logged later does not change a finished report; a correction is a new version that
//! points to the one it corrects, and the old one is kept.
//!
//! Nothing worker-only goes into the facts: no meeting notes, no cloth notes, no concerns.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cloth::{Agreement, Label};
use crate::dates::parse_date;
use crate::evaluation::Evaluation;
use crate::family::{Family, Member, Role};
use crate::intake::Consent;
use crate::lang::Lang;
use crate::meeting::Meeting;
use crate::network::Contact;
use crate::phase::Phase;
use crate::plan::{Goal, Plan, Task};
use crate::rating::{in_order, progress, Rater, Rating, Round};
use crate::record::{Kind, Record};

/// Longest template JSON a report may carry.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;
/// Longest frozen report (facts, sections and reading) a record may carry.
pub const MAX_FROZEN_CHARS: usize = 400_000;
/// Longest text of one section.
pub const MAX_SECTION_CHARS: usize = 10_000;
const MAX_SECTIONS: usize = 20;
const MAX_LABEL: usize = 200;
const MAX_HELP: usize = 600;
/// The format of [`Frozen`], so a finished report stays readable after an upgrade.
pub const FROZEN_FORMAT: u32 = 1;

/// Field-name prefix of a section's text (`section.<key>`).
pub const SECTION_PREFIX: &str = "section.";

pub fn section_field(key: &str) -> String {
    format!("{SECTION_PREFIX}{key}")
}

/// One narrative section the partner writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSection {
    /// Stored in the report's `section.<key>` field.
    pub key: String,
    pub title: Label,
    /// What to write about, shown under the title while writing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Label>,
}

/// How a report's narrative is laid out: data, not code (`templates/report_default.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTemplate {
    pub code: String,
    pub version: u32,
    pub name: Label,
    /// Where the template comes from (for people; not shown to families).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub sections: Vec<ReportSection>,
}

/// Why a report template was refused. Shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportTemplateError {
    #[error("rapportmalen kan ikke leses: {0}")]
    Json(String),
    #[error("rapportmalen er for stor (høyst {MAX_TEMPLATE_CHARS} tegn)")]
    TooLarge,
    #[error("rapportmalen må ha minst én del")]
    NoSections,
    #[error("rapportmalen kan ha høyst {MAX_SECTIONS} deler")]
    TooMany,
    #[error("koden «{0}» kan bare ha små bokstaver, tall, - og _ (høyst 60 tegn)")]
    BadCode(String),
    #[error("delen «{0}» finnes to ganger i rapportmalen")]
    Duplicate(String),
    #[error("en tekst i rapportmalen er tom eller for lang: «{0}»")]
    BadLabel(String),
}

fn check_label(label: &Label, max: usize) -> Result<(), ReportTemplateError> {
    for s in [&label.nb, &label.nn] {
        if s.trim().is_empty() || s.chars().count() > max {
            return Err(ReportTemplateError::BadLabel(s.chars().take(60).collect()));
        }
    }
    Ok(())
}

impl ReportTemplate {
    pub fn parse(json: &str) -> Result<ReportTemplate, ReportTemplateError> {
        if json.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(ReportTemplateError::TooLarge);
        }
        let t: ReportTemplate =
            serde_json::from_str(json).map_err(|e| ReportTemplateError::Json(e.to_string()))?;
        t.check()?;
        Ok(t)
    }

    pub fn check(&self) -> Result<(), ReportTemplateError> {
        let code = |c: &str| {
            if crate::codes::is_code(c) {
                Ok(())
            } else {
                Err(ReportTemplateError::BadCode(crate::codes::shown(c)))
            }
        };
        code(&self.code)?;
        check_label(&self.name, MAX_LABEL)?;
        if self.sections.is_empty() {
            return Err(ReportTemplateError::NoSections);
        }
        if self.sections.len() > MAX_SECTIONS {
            return Err(ReportTemplateError::TooMany);
        }
        for (i, s) in self.sections.iter().enumerate() {
            code(&s.key)?;
            check_label(&s.title, MAX_LABEL)?;
            if let Some(h) = &s.help {
                check_label(h, MAX_HELP)?;
            }
            if self.sections[..i].iter().any(|o| o.key == s.key) {
                return Err(ReportTemplateError::Duplicate(s.key.clone()));
            }
        }
        Ok(())
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

const BUILTIN: [&str; 1] = [include_str!("../templates/report_default.json")];

/// The report templates that come with Duken.
pub fn builtin() -> Vec<ReportTemplate> {
    // The files are checked by this crate's tests, so none is skipped in a release.
    BUILTIN
        .iter()
        .filter_map(|s| ReportTemplate::parse(s).ok())
        .collect()
}

/// A count of one code (a place, a focus, a theme), most frequent first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub code: String,
    pub count: u32,
}

/// The meetings of the period (møteskjema), summed up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meetings {
    pub count: u32,
    /// Minutes of the meetings with a duration.
    pub minutes: u32,
    /// Meetings logged without a duration (not in `minutes`).
    pub without_duration: u32,
    pub places: Vec<Tally>,
    pub focuses: Vec<Tally>,
    pub themes: Vec<Tally>,
    /// Meetings with an interpreter.
    pub interpreter: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalFacts {
    /// `short` or `long`.
    pub horizon: String,
    pub text: String,
    pub outcome: Option<String>,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFacts {
    pub what: String,
    /// `family` or `partner`.
    pub owner: String,
    pub who: String,
    pub due: Option<NaiveDate>,
    pub status: String,
}

/// A work plan of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFacts {
    /// 0: the first period.
    pub period: u8,
    pub made: Option<NaiveDate>,
    /// Family members it was made with, by name.
    pub made_with: Vec<String>,
    pub evaluated: Option<NaiveDate>,
    pub evaluation: String,
    pub goals: Vec<GoalFacts>,
    pub tasks: Vec<TaskFacts>,
}

/// An area's answers in a comparison: where it was, where it is now (on the form's scale).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaMove {
    /// The form's own words for the area.
    pub label: String,
    pub before: Option<u8>,
    pub now: u8,
}

/// A round as a report names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRef {
    /// A code of [`crate::vocab::ROUND_POINTS`].
    pub point: String,
    pub date: NaiveDate,
}

/// One person's answers (by one rater) over the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingFacts {
    /// The newest form's name and scale.
    pub form: String,
    pub min: u8,
    pub max: u8,
    /// The rounds answered that were compared, in order (the last one is "now").
    pub rounds: Vec<RoundRef>,
    pub rose: Vec<AreaMove>,
    pub fell: Vec<AreaMove>,
    /// Low now and in the answer before.
    pub stayed_low: Vec<AreaMove>,
    /// Low now, for the first time (or answered once).
    pub low: Vec<AreaMove>,
    /// Areas answered twice with the same answer.
    pub unchanged: u32,
}

/// One answer in a person's own words: what a child said in the latest round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub label: String,
    pub score: u8,
    pub comment: String,
}

/// A child's voice in the period: their own answers, or why they have none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Voice {
    /// Their own answers in the latest round they answered, in the form's words.
    Answers {
        round: RoundRef,
        min: u8,
        max: u8,
        answers: Vec<Answer>,
    },
    /// Not answered, with the reason the partner recorded.
    Reason { round: RoundRef, reason: String },
    /// Neither answers nor a reason: the report says so plainly.
    Missing,
}

/// One member in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFacts {
    pub name: String,
    /// A code of [`crate::vocab::ROLES`].
    pub role: String,
    pub own: Option<RatingFacts>,
    /// The partner's view of them, kept beside their own.
    pub partner: Option<RatingFacts>,
    /// Rounds of the period they did not rate, with the reason: (round, reason).
    pub not_rated: Vec<(RoundRef, String)>,
    /// For a child: their voice (answers or the reason), and their wishes about services.
    pub voice: Option<Voice>,
    pub wishes: Vec<Wish>,
}

/// A child's own wish about a service (kartlegging av tjenester overfor barna).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wish {
    pub service: String,
    pub wish: String,
}

/// An agreement from a cloth of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementFacts {
    pub what: String,
    pub who: String,
    pub due: Option<NaiveDate>,
    pub status: String,
    pub cloth_date: Option<NaiveDate>,
}

/// Someone around the family.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFacts {
    pub name: String,
    /// A code of [`crate::vocab::CONTACT_CATEGORIES`].
    pub category: String,
    /// For a person: how they are related.
    pub relation: String,
    pub trusted: bool,
    /// For a service: `now` or `before`.
    pub involved: Option<String>,
    /// The family's experience of a service, in their words.
    pub experience: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentFacts {
    pub given_by: String,
    /// Codes of [`crate::vocab::CONSENT_SCOPES`].
    pub scopes: Vec<String>,
    pub services: String,
    pub given: Option<NaiveDate>,
    pub withdrawn: Option<NaiveDate>,
    /// In force on the evaluation day.
    pub in_force: bool,
}

/// The hand-over to other services, in a period that reaches the closing phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// Services involved now, who carry on after the partner.
    pub services: Vec<String>,
    /// Days of meetings about transition and hand-over.
    pub meetings: Vec<NaiveDate>,
}

/// Everything a report states from the records: its facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub family: String,
    pub evaluation: u8,
    /// The period: `from` up to and including `to`; the evaluation is on `evaluation_day`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub evaluation_day: NaiveDate,
    /// The phases the period covers, in order.
    pub phases: Vec<Phase>,
    pub extended: bool,
    pub meetings: Meetings,
    pub plans: Vec<PlanFacts>,
    pub people: Vec<PersonFacts>,
    /// Days of the cloths made in the period.
    pub cloths: Vec<NaiveDate>,
    pub agreements: Vec<AgreementFacts>,
    pub network: Vec<ContactFacts>,
    pub consents: Vec<ConsentFacts>,
    pub handover: Option<Handover>,
}

/// Why a report cannot be drafted. Shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("familien finnes ikke på enheten")]
    NoFamily,
    #[error("familien har ingen startdato, så perioden for rapporten kan ikke regnes ut")]
    NoIntake,
    #[error("forløpet har ingen evaluering {0}")]
    NoSuchEvaluation(u8),
}

/// One family's records as typed views, read once: what a report and the papers are made from.
#[derive(Clone, Debug, Default)]
pub struct FamilyFile {
    pub family: Option<Family>,
    pub members: Vec<Member>,
    pub meetings: Vec<Meeting>,
    pub plans: Vec<Plan>,
    pub goals: Vec<Goal>,
    pub tasks: Vec<Task>,
    pub rounds: Vec<Round>,
    pub ratings: Vec<Rating>,
    /// Cloths as (id, date): the report needs no layout.
    pub cloths: Vec<(Uuid, Option<NaiveDate>)>,
    pub agreements: Vec<Agreement>,
    pub contacts: Vec<Contact>,
    pub consents: Vec<Consent>,
    pub evaluations: Vec<Evaluation>,
    pub reports: Vec<Report>,
}

impl FamilyFile {
    /// Reads the records of one family (records of other families are skipped).
    pub fn read<'a>(family: Uuid, records: impl IntoIterator<Item = &'a Record>) -> FamilyFile {
        let mut f = FamilyFile::default();
        for r in records {
            if r.family != family {
                continue;
            }
            match r.kind {
                Kind::Family => f.family = Family::from_record(r),
                Kind::Member => f.members.extend(Member::from_record(r)),
                Kind::Meeting => f.meetings.extend(Meeting::from_record(r)),
                Kind::Plan => f.plans.extend(Plan::from_record(r)),
                Kind::Goal => f.goals.extend(Goal::from_record(r)),
                Kind::Task => f.tasks.extend(Task::from_record(r)),
                Kind::Round => f.rounds.extend(Round::from_record(r)),
                Kind::Rating => f.ratings.extend(Rating::from_record(r)),
                Kind::Cloth if !r.is_deleted() => {
                    f.cloths.push((r.id, r.text("date").and_then(parse_date)));
                }
                Kind::Agreement => f.agreements.extend(Agreement::from_record(r)),
                Kind::Contact => f.contacts.extend(Contact::from_record(r)),
                Kind::Consent => f.consents.extend(Consent::from_record(r)),
                Kind::Evaluation => f.evaluations.extend(Evaluation::from_record(r)),
                Kind::Report => f.reports.extend(Report::from_record(r)),
                _ => {}
            }
        }
        // Record order is the store's; everything below reads in a stable order.
        f.members
            .sort_by_key(|m| (role_order(m.role), m.birth_year, m.name.clone(), m.id));
        f.meetings.sort_by_key(|m| (m.date, m.id));
        f.plans.sort_by_key(|p| (p.period, p.date, p.id));
        f.goals.sort_by_key(|g| g.id);
        f.tasks.sort_by_key(|t| t.id);
        f.rounds = in_order(std::mem::take(&mut f.rounds));
        f.cloths.sort_by_key(|(id, d)| (*d, *id));
        f.agreements.sort_by_key(|a| (a.due, a.id));
        f.contacts
            .sort_by_key(|c| (!c.is_person(), c.name.clone(), c.id));
        f.consents.sort_by_key(|c| (c.given, c.id));
        f
    }

    fn name_of(&self, member: Uuid) -> String {
        self.members
            .iter()
            .find(|m| m.id == member)
            .map_or_else(|| "Ukjent person".to_owned(), |m| m.name.clone())
    }
}

fn role_order(role: Role) -> u8 {
    match role {
        Role::Parent => 0,
        Role::Other => 1,
        Role::Child => 2,
    }
}

fn tally<'a>(codes: impl Iterator<Item = &'a str>, order: &[crate::vocab::Choice]) -> Vec<Tally> {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for c in codes {
        *counts.entry(c).or_default() += 1;
    }
    let rank = |c: &str| order.iter().position(|o| o.code == c).unwrap_or(usize::MAX);
    let mut out: Vec<Tally> = counts
        .into_iter()
        .map(|(code, count)| Tally {
            code: code.to_owned(),
            count,
        })
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(rank(&a.code).cmp(&rank(&b.code)))
    });
    out
}

fn round_ref(r: &Round) -> RoundRef {
    RoundRef {
        point: r.point.code().to_owned(),
        date: r.date,
    }
}

/// One person's answers by `rater` over `compared` (in order), summed up; `None` if they
/// answered none of them.
fn rating_facts(
    file: &FamilyFile,
    compared: &[Round],
    member: Uuid,
    rater: Rater,
) -> Option<RatingFacts> {
    let p = progress(compared, &file.ratings, member, rater);
    let scale = p.scale.clone()?;
    let answered: Vec<RoundRef> = compared
        .iter()
        .zip(0..)
        .filter(|(_, i)| p.areas.iter().any(|a| a.scores[*i].is_some()))
        .map(|(r, _)| round_ref(r))
        .collect();
    let form = p
        .rounds
        .iter()
        .rev()
        .find_map(|r| crate::rating::find(&file.ratings, r.id, member, rater))
        .filter(|r| r.counts())
        .map(|r| r.form.name.clone())
        .unwrap_or_default();
    let mut facts = RatingFacts {
        form,
        min: scale.min,
        max: scale.max,
        rounds: answered,
        rose: Vec::new(),
        fell: Vec::new(),
        stayed_low: Vec::new(),
        low: Vec::new(),
        unchanged: 0,
    };
    for area in &p.areas {
        let answered: Vec<u8> = area.scores.iter().flatten().copied().collect();
        let Some(&now) = answered.last() else {
            continue;
        };
        let before = answered.len().checked_sub(2).map(|i| answered[i]);
        let moved = AreaMove {
            label: area.label.clone(),
            before,
            now,
        };
        if area.stayed_low {
            facts.stayed_low.push(moved);
        } else if area.change.is_some_and(|c| c > 0) {
            facts.rose.push(moved);
        } else if area.fell {
            facts.fell.push(moved);
        } else if area.low {
            facts.low.push(moved);
        } else if area.change == Some(0) {
            facts.unchanged += 1;
        }
    }
    Some(facts)
}

/// A child's voice over the period's rounds: the latest answers, else the latest reason.
fn voice(file: &FamilyFile, in_period: &[Round], member: Uuid) -> Voice {
    for round in in_period.iter().rev() {
        let mine = file
            .ratings
            .iter()
            .filter(|r| r.round == round.id && r.member == member && r.rater == Rater::Member);
        let mut reason = None;
        for rating in mine {
            if rating.counts() {
                let answers = rating
                    .form
                    .items
                    .iter()
                    .filter_map(|i| {
                        rating.score(&i.key).map(|score| Answer {
                            label: i.label.clone(),
                            score,
                            comment: rating.comments.get(&i.key).cloned().unwrap_or_default(),
                        })
                    })
                    .collect();
                return Voice::Answers {
                    round: round_ref(round),
                    min: rating.form.scale.min,
                    max: rating.form.scale.max,
                    answers,
                };
            }
            if let Some(why) = &rating.skipped {
                reason = Some(why.clone());
            }
        }
        if let Some(reason) = reason {
            return Voice::Reason {
                round: round_ref(round),
                reason,
            };
        }
    }
    Voice::Missing
}

/// Drafts the facts of the report for evaluation `evaluation` from one family's records.
///
/// The period runs from the evaluation before (or the intake) up to the day of this one.
/// Meetings, cloths and agreements count when dated inside it. Ratings compare the rounds
/// dated inside it (the day of the evaluation included, as its round is due that day) with
/// the answers before them: when the period holds fewer than two rounds, the last round
/// before it is where the comparison starts. Rounds after the period never count.
pub fn compose(file: &FamilyFile, evaluation: u8) -> Result<Facts, ComposeError> {
    let family = file.family.as_ref().ok_or(ComposeError::NoFamily)?;
    let course = family
        .course(&file.evaluations)
        .ok_or(ComposeError::NoIntake)?;
    let timeline = course.timeline();
    let (from, until) = timeline
        .report_period(evaluation)
        .ok_or(ComposeError::NoSuchEvaluation(evaluation))?;
    let inside = |d: NaiveDate| from <= d && d < until;
    let to = until.pred_opt().unwrap_or(until).max(from);

    let mut phases: Vec<Phase> = Vec::new();
    for s in &timeline.spans {
        if s.from < until && from < s.until && !phases.contains(&s.phase) {
            phases.push(s.phase);
        }
    }
    if phases.is_empty() {
        phases.push(timeline.phase_on(from));
    }

    let meetings: Vec<&Meeting> = file
        .meetings
        .iter()
        .filter(|m| m.date.is_some_and(inside))
        .collect();
    let minutes: i64 = meetings.iter().filter_map(|m| m.duration_minutes).sum();
    let summary = Meetings {
        count: meetings.len() as u32,
        minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
        without_duration: meetings
            .iter()
            .filter(|m| m.duration_minutes.is_none())
            .count() as u32,
        places: tally(
            meetings.iter().filter_map(|m| m.place.as_deref()),
            crate::vocab::PLACES,
        ),
        focuses: tally(
            meetings.iter().filter_map(|m| m.focus.as_deref()),
            crate::vocab::FOCUSES,
        ),
        themes: tally(
            meetings
                .iter()
                .flat_map(|m| m.themes.iter().map(String::as_str)),
            crate::vocab::THEMES,
        ),
        interpreter: meetings.iter().filter(|m| m.interpreter).count() as u32,
    };

    let plans = file
        .plans
        .iter()
        .filter(|p| u16::from(p.period) + 1 == u16::from(evaluation))
        .map(|p| PlanFacts {
            period: p.period,
            made: p.date,
            made_with: p.present.iter().map(|m| file.name_of(*m)).collect(),
            evaluated: p.evaluated,
            evaluation: p.evaluation.clone(),
            goals: file
                .goals
                .iter()
                .filter(|g| g.plan == p.id)
                .map(|g| GoalFacts {
                    horizon: g.horizon.code().to_owned(),
                    text: g.text.clone(),
                    outcome: g.outcome.map(|o| o.code().to_owned()),
                    comment: g.comment.clone(),
                })
                .collect(),
            tasks: file
                .tasks
                .iter()
                .filter(|t| t.plan == p.id)
                .map(|t| TaskFacts {
                    what: t.what.clone(),
                    owner: t.owner.code().to_owned(),
                    who: t.who.clone(),
                    due: t.due,
                    status: t.status.code().to_owned(),
                })
                .collect(),
        })
        .collect();

    let in_period: Vec<Round> = file
        .rounds
        .iter()
        .filter(|r| from <= r.date && r.date <= until)
        .cloned()
        .collect();
    let people = file
        .members
        .iter()
        .map(|m| {
            // Per person: the period's rounds they answered, and the answer before them when
            // the period holds only one of theirs.
            let answered_in = |rounds: &[Round], rater| -> Vec<Round> {
                rounds
                    .iter()
                    .filter(|r| {
                        crate::rating::find(&file.ratings, r.id, m.id, rater)
                            .is_some_and(Rating::counts)
                    })
                    .cloned()
                    .collect()
            };
            let compared = |rater| -> Vec<Round> {
                let mut rounds = answered_in(&in_period, rater);
                if rounds.len() < 2 {
                    let earlier: Vec<Round> = file
                        .rounds
                        .iter()
                        .filter(|r| r.date < from)
                        .cloned()
                        .collect();
                    if let Some(last) = answered_in(&earlier, rater).pop() {
                        rounds.insert(0, last);
                    }
                }
                rounds
            };
            let not_rated = in_period
                .iter()
                .filter_map(|r| {
                    let mine: Vec<&Rating> = file
                        .ratings
                        .iter()
                        .filter(|x| x.round == r.id && x.member == m.id && x.rater == Rater::Member)
                        .collect();
                    if mine.iter().any(|x| x.counts()) {
                        return None;
                    }
                    mine.iter()
                        .find_map(|x| x.skipped.clone())
                        .map(|why| (round_ref(r), why))
                })
                .collect();
            let child = m.role == Role::Child;
            PersonFacts {
                name: m.name.clone(),
                role: m.role.code().to_owned(),
                own: rating_facts(file, &compared(Rater::Member), m.id, Rater::Member),
                partner: rating_facts(file, &compared(Rater::Partner), m.id, Rater::Partner),
                not_rated,
                voice: child.then(|| voice(file, &in_period, m.id)),
                wishes: if child {
                    file.contacts
                        .iter()
                        .filter_map(|c| {
                            c.wish_of(m.id).map(|w| Wish {
                                service: c.name.clone(),
                                wish: w.to_owned(),
                            })
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();

    let cloth_days: Vec<(Uuid, NaiveDate)> = file
        .cloths
        .iter()
        .filter_map(|(id, d)| d.filter(|d| inside(*d)).map(|d| (*id, d)))
        .collect();
    let agreements = file
        .agreements
        .iter()
        .filter_map(|a| {
            let day = cloth_days.iter().find(|(id, _)| Some(*id) == a.cloth)?.1;
            Some(AgreementFacts {
                what: a.what.clone(),
                who: a.who.clone(),
                due: a.due,
                status: a.status.code().to_owned(),
                cloth_date: Some(day),
            })
        })
        .collect();

    let network = file
        .contacts
        .iter()
        .map(|c| ContactFacts {
            name: c.name.clone(),
            category: c.category.clone(),
            relation: c.relation.clone(),
            trusted: c.trusted,
            involved: c.involved.clone(),
            experience: c.experience.clone(),
        })
        .collect();
    let consents = file
        .consents
        .iter()
        .map(|c| ConsentFacts {
            given_by: file.name_of(c.member),
            scopes: c.scopes.clone(),
            services: c.services.clone(),
            given: c.given,
            withdrawn: c.withdrawn,
            in_force: c.in_force(until),
        })
        .collect();
    let handover = phases.contains(&Phase::Closing).then(|| Handover {
        services: file
            .contacts
            .iter()
            .filter(|c| !c.is_person() && c.involved.as_deref() == Some("now"))
            .map(|c| c.name.clone())
            .collect(),
        meetings: meetings
            .iter()
            .filter(|m| m.themes.iter().any(|t| t == "transition"))
            .filter_map(|m| m.date)
            .collect(),
    });

    Ok(Facts {
        family: family.name.clone(),
        evaluation,
        from,
        to,
        evaluation_day: until,
        phases,
        extended: course.extended,
        meetings: summary,
        plans,
        people,
        cloths: cloth_days.iter().map(|(_, d)| *d).collect(),
        agreements,
        network,
        consents,
        handover,
    })
}

/// The reading of the report with the family, as recorded by the partner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub date: Option<NaiveDate>,
    /// Family members present, by name (ids in the record, names once frozen).
    pub present: Vec<String>,
    /// Others present.
    pub others: Vec<String>,
    /// The family's own comment, in their words.
    pub comment: String,
    /// A code of [`crate::vocab::AGREES`].
    pub agrees: Option<String>,
}

/// A section as finalised: its title in both written forms, and the partner's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenSection {
    pub key: String,
    pub title: Label,
    pub text: String,
}

/// A finished report: everything it said when it was finalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frozen {
    pub format: u32,
    pub finalised: NaiveDate,
    pub version: u32,
    pub name: Label,
    pub facts: Facts,
    pub sections: Vec<FrozenSection>,
    pub reading: Reading,
}

/// Why a stored frozen report was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrozenError {
    #[error("den ferdige rapporten kan ikke leses: {0}")]
    Json(String),
    #[error("den ferdige rapporten er for stor (høyst {MAX_FROZEN_CHARS} tegn)")]
    TooLarge,
    #[error("den ferdige rapporten har et ukjent format")]
    Format,
}

impl Frozen {
    pub fn parse(json: &str) -> Result<Frozen, FrozenError> {
        if json.len() > MAX_FROZEN_CHARS {
            return Err(FrozenError::TooLarge);
        }
        let f: Frozen = serde_json::from_str(json).map_err(|e| FrozenError::Json(e.to_string()))?;
        if f.format != FROZEN_FORMAT {
            return Err(FrozenError::Format);
        }
        Ok(f)
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A report record, typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub id: Uuid,
    pub family: Uuid,
    /// Which evaluation it is written for (1: at 3 months).
    pub evaluation: u8,
    pub layout: ReportTemplate,
    /// The partner's text per section key.
    pub sections: BTreeMap<String, String>,
    /// The reading with the family; `present` holds member ids as text until frozen.
    pub read_on: Option<NaiveDate>,
    pub read_present: Vec<Uuid>,
    pub read_others: Vec<String>,
    pub family_comment: String,
    pub agrees: Option<String>,
    pub finalised: Option<NaiveDate>,
    pub frozen: Option<Frozen>,
    /// 1 for the first; a correction is the next number and names the one it corrects.
    pub version: u32,
    pub previous: Option<Uuid>,
    /// Why a correction was made.
    pub correction: String,
}

impl Report {
    pub fn from_record(r: &Record) -> Option<Report> {
        if r.kind != Kind::Report || r.is_deleted() {
            return None;
        }
        let layout = r
            .text("layout")
            .and_then(|s| ReportTemplate::parse(s).ok())?;
        let sections = r
            .fields
            .keys()
            .filter_map(|f| {
                let key = f.strip_prefix(SECTION_PREFIX)?;
                r.text(f).map(|t| (key.to_owned(), t.to_owned()))
            })
            .collect();
        Some(Report {
            id: r.id,
            family: r.family,
            evaluation: u8::try_from(r.int("evaluation")?).ok()?,
            layout,
            sections,
            read_on: r.text("read_on").and_then(parse_date),
            read_present: r.ids("read_present"),
            read_others: r.strings("read_others"),
            family_comment: r.text("family_comment").unwrap_or_default().to_owned(),
            agrees: r.text("agrees").map(str::to_owned),
            finalised: r.text("finalised").and_then(parse_date),
            frozen: r.text("frozen").and_then(|s| Frozen::parse(s).ok()),
            version: r
                .int("version")
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(1),
            previous: r.id_of("previous"),
            correction: r.text("correction").unwrap_or_default().to_owned(),
        })
    }

    /// Finished: finalised, with what it said kept.
    pub fn is_final(&self) -> bool {
        self.finalised.is_some() && self.frozen.is_some()
    }

    pub fn text_of(&self, key: &str) -> &str {
        self.sections.get(key).map_or("", String::as_str)
    }

    /// The reading, with member names as they are now.
    pub fn reading(&self, members: &[Member]) -> Reading {
        Reading {
            date: self.read_on,
            present: self
                .read_present
                .iter()
                .filter_map(|id| members.iter().find(|m| m.id == *id))
                .map(|m| m.name.clone())
                .collect(),
            others: self.read_others.clone(),
            comment: self.family_comment.clone(),
            agrees: self.agrees.clone(),
        }
    }

    /// What finalising this report on `today` would freeze, given the facts drafted now; or
    /// why it cannot be finalised yet.
    pub fn finalise(
        &self,
        facts: Facts,
        members: &[Member],
        today: NaiveDate,
    ) -> Result<Frozen, FinaliseError> {
        if self.is_final() {
            return Err(FinaliseError::AlreadyFinal);
        }
        if self.read_on.is_none() {
            return Err(FinaliseError::NotRead);
        }
        if self.agrees.is_none() {
            return Err(FinaliseError::NoAgreement);
        }
        let empty: Vec<&str> = self
            .layout
            .sections
            .iter()
            .filter(|s| self.text_of(&s.key).trim().is_empty())
            .map(|s| s.title.nb.as_str())
            .collect();
        if !empty.is_empty() {
            return Err(FinaliseError::Unwritten(empty.join(", ")));
        }
        Ok(Frozen {
            format: FROZEN_FORMAT,
            finalised: today,
            version: self.version,
            name: self.layout.name.clone(),
            facts,
            sections: self.sections_now(),
            reading: self.reading(members),
        })
    }

    /// The sections of its template with the partner's text as it is now (trimmed).
    pub fn sections_now(&self) -> Vec<FrozenSection> {
        self.layout
            .sections
            .iter()
            .map(|s| FrozenSection {
                key: s.key.clone(),
                title: s.title.clone(),
                text: self.text_of(&s.key).trim().to_owned(),
            })
            .collect()
    }
}

/// Why a report cannot be finalised yet. Shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FinaliseError {
    #[error("Rapporten er allerede ferdigstilt. Lag en rettet versjon for å endre den.")]
    AlreadyFinal,
    #[error("Les rapporten med familien og skriv inn datoen før den ferdigstilles.")]
    NotRead,
    #[error("Skriv inn om familien er enig i rapporten før den ferdigstilles.")]
    NoAgreement,
    #[error("Disse delene er ikke skrevet ennå: {0}.")]
    Unwritten(String),
}

/// The newest version of each evaluation's report (a correction replaces what it corrects).
pub fn current_versions(reports: &[Report]) -> Vec<&Report> {
    let mut out: Vec<&Report> = reports
        .iter()
        .filter(|r| !reports.iter().any(|o| o.previous == Some(r.id)))
        .collect();
    out.sort_by_key(|r| (r.evaluation, r.version, r.id));
    out
}

/// The evaluations whose report is finalised (any version): their checkpoint is done.
pub fn finalised_evaluations(reports: &[Report]) -> Vec<u8> {
    let mut out: Vec<u8> = reports
        .iter()
        .filter(|r| r.is_final())
        .map(|r| r.evaluation)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The evaluation a report record is finalised for, read without parsing its template or its
/// frozen facts: cheap enough for lists that look at every family on the device.
pub fn finalised_evaluation(r: &Record) -> Option<u8> {
    if r.kind != Kind::Report || r.is_deleted() {
        return None;
    }
    r.text("finalised").and_then(parse_date)?;
    r.text("frozen")?;
    u8::try_from(r.int("evaluation")?).ok()
}

/// "14 t 30 min" of meetings, "45 min", or "0 t".
pub fn hours_label(minutes: u32, lang: Lang) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let t = match lang {
        Lang::Nb | Lang::Nn => "t",
    };
    match (h, m) {
        (0, 0) => format!("0 {t}"),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} {t}"),
        (h, m) => format!("{h} {t} {m} min"),
    }
}

#[cfg(test)]
mod tests;
