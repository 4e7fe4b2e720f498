//! What each kind of record may hold: field names, types and limits. The server checks every
//! pushed change against this; the app builds its forms from the same rules.

use serde_json::Value;

use crate::record::{Change, Kind, DELETED};
use crate::vocab::{self, Choice};

#[derive(Clone, Copy, Debug)]
pub enum FieldType {
    /// Free text up to `max` characters.
    Text {
        max: usize,
    },
    /// A code from data rather than from a fixed list (a cloth's section, who said a note): a
    /// short string, never merged as free text.
    Code {
        max: usize,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Int {
        min: i64,
        max: i64,
    },
    /// One code from the list.
    Choice(&'static [Choice]),
    /// Any number of distinct codes from the list.
    Choices(&'static [Choice]),
    /// A set of record ids (e.g. members present).
    Ids,
    /// One record id (e.g. the cloth a note is on).
    Id,
    /// A cloth template as JSON, checked by [`crate::cloth::Template::parse`].
    Layout,
    /// A rating template as JSON, checked by [`crate::rating::RatingTemplate::parse`].
    RatingForm,
    /// A report template as JSON, checked by [`crate::report::ReportTemplate::parse`].
    ReportForm,
    /// A finalised report as JSON, checked by [`crate::report::Frozen::parse`].
    FrozenReport,
    /// A list of short texts (e.g. helpers present).
    Texts {
        max_items: usize,
        max: usize,
    },
    Bool,
}

#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    /// Bokmål label, used on forms and in error messages.
    pub label: &'static str,
    pub ty: FieldType,
    /// Required fields may not be cleared (null or empty).
    pub required: bool,
}

const fn f(name: &'static str, label: &'static str, ty: FieldType, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        label,
        ty,
        required,
    }
}

const FAMILY: &[FieldSpec] = &[
    f(
        "name",
        "Navn på familien",
        FieldType::Text { max: 200 },
        true,
    ),
    // The intake date: the intervention's clock starts here (see `timeline`).
    f("start_date", "Startdato", FieldType::Date, false),
    f(
        "extended",
        "Forlenget med 3 måneder",
        FieldType::Bool,
        false,
    ),
    f(
        "extension_reason",
        "Begrunnelse for forlengelsen",
        FieldType::Text { max: 2000 },
        false,
    ),
    f(
        "placement_date",
        "Dato for plassering",
        FieldType::Date,
        false,
    ),
    f(
        "placement_kind",
        "Type plassering",
        FieldType::Choice(vocab::PLACEMENTS),
        false,
    ),
    f(
        "intake_topics",
        "Gjennomgått i inntakssamtalen",
        FieldType::Choices(vocab::INTAKE_TOPICS),
        false,
    ),
    f(
        "intake_note",
        "Notat fra inntakssamtalen",
        FieldType::Text { max: 4000 },
        false,
    ),
    // The written form of the family's papers.
    f(
        "language",
        "Målform for familiens papirer",
        FieldType::Choice(vocab::LANGUAGES),
        false,
    ),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const MEMBER: &[FieldSpec] = &[
    f("name", "Navn", FieldType::Text { max: 200 }, true),
    f("role", "Rolle", FieldType::Choice(vocab::ROLES), true),
    f(
        "birth_year",
        "Fødselsår",
        FieldType::Int {
            min: 1900,
            max: 2100,
        },
        false,
    ),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const MEETING: &[FieldSpec] = &[
    f("date", "Dato", FieldType::Date, true),
    f("place", "Hvor", FieldType::Choice(vocab::PLACES), false),
    f("focus", "Fokus", FieldType::Choice(vocab::FOCUSES), false),
    f("themes", "Tema", FieldType::Choices(vocab::THEMES), false),
    f(
        "duration_minutes",
        "Varighet (minutter)",
        FieldType::Int { min: 1, max: 1440 },
        false,
    ),
    f("present", "Til stede", FieldType::Ids, false),
    f("interpreter", "Tolk brukt", FieldType::Bool, false),
    f("note", "Notat", FieldType::Text { max: 4000 }, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const CLOTH: &[FieldSpec] = &[
    f("template", "Mal", FieldType::Code { max: 60 }, true),
    // The template as it was when the cloth was made, so a cloth keeps its layout when a
    // template changes or was a team's own.
    f("layout", "Oppsett", FieldType::Layout, true),
    f("date", "Dato", FieldType::Date, true),
    f("owner", "Planen til", FieldType::Text { max: 200 }, false),
    f("present", "Til stede", FieldType::Ids, false),
    f(
        "helpers",
        "Hjelpere til stede",
        FieldType::Texts {
            max_items: 20,
            max: 100,
        },
        false,
    ),
    f(
        "language",
        "Målform",
        FieldType::Choice(vocab::LANGUAGES),
        false,
    ),
    f("short_by", "Kort sikt, innen", FieldType::Date, false),
    f("long_by", "Lang sikt, innen", FieldType::Date, false),
    f("previous", "Forrige duk", FieldType::Id, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const NOTE: &[FieldSpec] = &[
    f("cloth", "Duk", FieldType::Id, true),
    f(
        "section",
        "Felt på duken",
        FieldType::Text { max: 60 },
        true,
    ),
    f("row", "Livsområde", FieldType::Text { max: 60 }, false),
    f("text", "Tekst", FieldType::Text { max: 2000 }, true),
    f("by", "Hvem sa det", FieldType::Code { max: 160 }, false),
    f(
        "worker_only",
        "Bare for fagpersoner",
        FieldType::Bool,
        false,
    ),
    f("carried_from", "Tatt med fra", FieldType::Id, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const AGREEMENT: &[FieldSpec] = &[
    f("cloth", "Duk", FieldType::Id, false),
    f("what", "Hva", FieldType::Text { max: 1000 }, true),
    f("who", "Hvem", FieldType::Text { max: 200 }, false),
    f("due", "Innen", FieldType::Date, false),
    f(
        "status",
        "Status",
        FieldType::Choice(vocab::AGREEMENT_STATUSES),
        false,
    ),
    f("to_plan", "Til arbeidsplanen", FieldType::Bool, false),
    f("carried_from", "Tatt med fra", FieldType::Id, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const ROUND: &[FieldSpec] = &[
    f(
        "point",
        "Runde",
        FieldType::Choice(vocab::ROUND_POINTS),
        true,
    ),
    f("date", "Dato", FieldType::Date, true),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const RATING: &[FieldSpec] = &[
    f("round", "Runde", FieldType::Id, true),
    f("member", "Person", FieldType::Id, true),
    f(
        "rater",
        "Hvem svarer",
        FieldType::Choice(vocab::RATERS),
        true,
    ),
    // The template as it was when the form was given, so an answer keeps its question.
    f("form", "Skjema", FieldType::RatingForm, true),
    f("submitted", "Levert", FieldType::Date, false),
    f(
        "skipped",
        "Svarer ikke denne runden fordi",
        FieldType::Text { max: 300 },
        false,
    ),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const PLAN: &[FieldSpec] = &[
    f("period", "Periode", FieldType::Int { min: 0, max: 7 }, true),
    f("date", "Laget", FieldType::Date, true),
    f("present", "Laget sammen med", FieldType::Ids, false),
    f("previous", "Forrige plan", FieldType::Id, false),
    f("evaluated", "Evaluert", FieldType::Date, false),
    f(
        "evaluation",
        "Evaluering av perioden",
        FieldType::Text { max: 4000 },
        false,
    ),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const GOAL: &[FieldSpec] = &[
    f("plan", "Arbeidsplan", FieldType::Id, true),
    f(
        "horizon",
        "Kort eller lang sikt",
        FieldType::Choice(vocab::GOAL_HORIZONS),
        true,
    ),
    f("text", "Mål", FieldType::Text { max: 1000 }, true),
    f(
        "outcome",
        "Hvordan gikk det",
        FieldType::Choice(vocab::GOAL_OUTCOMES),
        false,
    ),
    f("comment", "Kommentar", FieldType::Text { max: 2000 }, false),
    f("carried_from", "Tatt med fra", FieldType::Id, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const TASK: &[FieldSpec] = &[
    f("plan", "Arbeidsplan", FieldType::Id, true),
    f("goal", "Mål", FieldType::Id, false),
    f("what", "Hva", FieldType::Text { max: 1000 }, true),
    f(
        "owner",
        "Oppgave for",
        FieldType::Choice(vocab::TASK_OWNERS),
        true,
    ),
    f("who", "Hvem", FieldType::Text { max: 200 }, false),
    f("due", "Innen", FieldType::Date, false),
    f(
        "status",
        "Status",
        FieldType::Choice(vocab::AGREEMENT_STATUSES),
        false,
    ),
    f("agreement", "Fra avtale på duken", FieldType::Id, false),
    f("carried_from", "Tatt med fra", FieldType::Id, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const CONTACT: &[FieldSpec] = &[
    f(
        "category",
        "Hvem",
        FieldType::Choice(vocab::CONTACT_CATEGORIES),
        true,
    ),
    f("name", "Navn", FieldType::Text { max: 200 }, true),
    f("relation", "Relasjon", FieldType::Text { max: 200 }, false),
    f("trusted", "Tillitsperson", FieldType::Bool, false),
    f("reach", "Kontakt", FieldType::Text { max: 300 }, false),
    f(
        "involved",
        "Involvert",
        FieldType::Choice(vocab::INVOLVEMENT),
        false,
    ),
    f(
        "experience",
        "Familiens erfaring",
        FieldType::Text { max: 2000 },
        false,
    ),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const CONSENT: &[FieldSpec] = &[
    f("member", "Gitt av", FieldType::Id, true),
    f(
        "scopes",
        "Samtykke til",
        FieldType::Choices(vocab::CONSENT_SCOPES),
        true,
    ),
    f("services", "Gjelder", FieldType::Text { max: 500 }, false),
    f("given", "Gitt", FieldType::Date, true),
    f("withdrawn", "Trukket tilbake", FieldType::Date, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const VISIT: &[FieldSpec] = &[
    f("date", "Dato", FieldType::Date, true),
    f("time", "Klokkeslett", FieldType::Code { max: 5 }, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const REPORT: &[FieldSpec] = &[
    f(
        "evaluation",
        "Evaluering",
        FieldType::Int { min: 1, max: 8 },
        true,
    ),
    // The template as it was when the report was started, so its sections stay.
    f("layout", "Rapportmal", FieldType::ReportForm, true),
    f("read_on", "Lest med familien", FieldType::Date, false),
    f(
        "read_present",
        "Til stede da rapporten ble lest",
        FieldType::Ids,
        false,
    ),
    f(
        "read_others",
        "Andre til stede",
        FieldType::Texts {
            max_items: 20,
            max: 100,
        },
        false,
    ),
    f(
        "family_comment",
        "Familiens kommentar",
        FieldType::Text { max: 4000 },
        false,
    ),
    f(
        "agrees",
        "Er familien enig",
        FieldType::Choice(vocab::AGREES),
        false,
    ),
    f("finalised", "Ferdigstilt", FieldType::Date, false),
    f("frozen", "Ferdig rapport", FieldType::FrozenReport, false),
    f(
        "version",
        "Versjon",
        FieldType::Int { min: 1, max: 99 },
        false,
    ),
    f("previous", "Retter versjonen", FieldType::Id, false),
    f(
        "correction",
        "Hva er rettet",
        FieldType::Text { max: 2000 },
        false,
    ),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const EVALUATION: &[FieldSpec] = &[
    f(
        "number",
        "Evaluering",
        FieldType::Int { min: 1, max: 8 },
        true,
    ),
    f("date", "Dato", FieldType::Date, true),
    f("report", "Rapport", FieldType::Id, false),
    f("present", "Familien til stede", FieldType::Ids, false),
    f(
        "others",
        "Andre til stede",
        FieldType::Texts {
            max_items: 20,
            max: 100,
        },
        false,
    ),
    f(
        "decision",
        "Beslutning",
        FieldType::Choice(vocab::DECISIONS),
        true,
    ),
    f(
        "reason",
        "Begrunnelse",
        FieldType::Text { max: 2000 },
        false,
    ),
    f("note", "Notat", FieldType::Text { max: 4000 }, false),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const CASE_REVIEW: &[FieldSpec] = &[
    f("date", "Dato", FieldType::Date, true),
    f("month", "Måned", FieldType::Int { min: 1, max: 15 }, true),
    f(
        "present",
        "Til stede",
        FieldType::Texts {
            max_items: 20,
            max: 100,
        },
        false,
    ),
    f("note", "Notat", FieldType::Text { max: 4000 }, false),
    f(
        "agreed",
        "Hva ble avtalt",
        FieldType::Text { max: 4000 },
        false,
    ),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

const CONCERN: &[FieldSpec] = &[
    f("date", "Dato", FieldType::Date, true),
    f(
        "what",
        "Hva gjelder bekymringen",
        FieldType::Text { max: 4000 },
        true,
    ),
    f("to", "Meldt til", FieldType::Text { max: 200 }, true),
    f(DELETED, "Slettet", FieldType::Bool, false),
];

/// Every `section.<key>` field of a report (the keys come from the report's own template).
const SECTION: FieldSpec = f(
    "section",
    "Del av rapporten",
    FieldType::Text {
        max: crate::report::MAX_SECTION_CHARS,
    },
    false,
);

/// Every `done.<checkpoint>` field of a family: the day a checkpoint done outside Duken (a
/// report, a case evaluation, a follow-up call) was ticked off.
const TICKED: FieldSpec = f("done", "Gjort", FieldType::Date, false);
/// Every `wish.<child>` field of a contact: that child's own wishes about the service.
const WISH: FieldSpec = f(
    "wish",
    "Barnets ønsker",
    FieldType::Text { max: 2000 },
    false,
);

/// Every `score.<item>` field of a rating (the item keys come from the rating's own form).
const SCORE: FieldSpec = f(
    "score",
    "Svar",
    FieldType::Int {
        min: 0,
        max: crate::rating::SCALE_CEILING as i64,
    },
    false,
);
/// Every `comment.<item>` field of a rating.
const COMMENT: FieldSpec = f("comment", "Kommentar", FieldType::Text { max: 1000 }, false);

/// `done.<checkpoint code>` on a family.
pub const TICKED_PREFIX: &str = "done.";
/// `wish.<member id>` on a contact.
pub const WISH_PREFIX: &str = "wish.";

pub fn fields(kind: Kind) -> &'static [FieldSpec] {
    match kind {
        Kind::Family => FAMILY,
        Kind::Member => MEMBER,
        Kind::Meeting => MEETING,
        Kind::Cloth => CLOTH,
        Kind::Note => NOTE,
        Kind::Agreement => AGREEMENT,
        Kind::Round => ROUND,
        Kind::Rating => RATING,
        Kind::Plan => PLAN,
        Kind::Goal => GOAL,
        Kind::Task => TASK,
        Kind::Contact => CONTACT,
        Kind::Consent => CONSENT,
        Kind::Visit => VISIT,
        Kind::Report => REPORT,
        Kind::Evaluation => EVALUATION,
        Kind::CaseReview => CASE_REVIEW,
        Kind::Concern => CONCERN,
    }
}

pub fn spec(kind: Kind, field: &str) -> Option<&'static FieldSpec> {
    fields(kind).iter().find(|s| s.name == field).or_else(|| {
        use crate::rating::{answer_field, AnswerPart};
        match (kind, answer_field(field)) {
            (Kind::Rating, Some((AnswerPart::Score, _))) => Some(&SCORE),
            (Kind::Rating, Some((AnswerPart::Comment, _))) => Some(&COMMENT),
            (Kind::Family, _) => field
                .strip_prefix(TICKED_PREFIX)
                .and_then(crate::timeline::Checkpoint::parse)
                .filter(|c| c.by_hand())
                .map(|_| &TICKED),
            (Kind::Contact, _) => field
                .strip_prefix(WISH_PREFIX)
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
                .map(|_| &WISH),
            (Kind::Report, _) => field
                .strip_prefix(crate::report::SECTION_PREFIX)
                .filter(|key| crate::cloth::check_code(key).is_ok())
                .map(|_| &SECTION),
            _ => None,
        }
    })
}

/// Why a change was refused. The messages are shown to users as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("ukjent felt «{field}» for {kind}")]
    UnknownField { kind: &'static str, field: String },
    #[error("feltet «{field}» har feil type: {expected}")]
    WrongType {
        field: String,
        expected: &'static str,
    },
    #[error("feltet «{field}» må fylles ut")]
    Required { field: String },
    #[error("feltet «{field}» er for langt (høyst {max} tegn)")]
    TooLong { field: String, max: usize },
    #[error("feltet «{field}» er ikke en gyldig mal: {reason}")]
    Layout { field: String, reason: String },
    #[error("feltet «{field}» har for mange verdier (høyst {max})")]
    TooMany { field: String, max: usize },
    #[error("feltet «{field}» må være mellom {min} og {max}")]
    OutOfRange { field: String, min: i64, max: i64 },
    #[error("«{value}» er ikke et gyldig valg for «{field}»")]
    UnknownChoice { field: String, value: String },
    #[error("en familie må ha sin egen id som familie-id")]
    FamilyId,
    /// A record of another kind with its family's id would take the family's identity, and
    /// the family's own record would be refused for good after it.
    #[error("posten har samme id som familien sin; bare familien selv kan ha den")]
    TakesFamilyId,
    #[error("endringen har ingen felt")]
    Empty,
    #[error("feltet «{field}» er satt to ganger i samme endring")]
    Duplicate { field: String },
}

fn wrong(field: &str, expected: &'static str) -> ValidationError {
    ValidationError::WrongType {
        field: field.to_owned(),
        expected,
    }
}

pub fn validate_value(spec: &FieldSpec, value: &Value) -> Result<(), ValidationError> {
    let name = spec.label;
    if value.is_null() {
        return if spec.required {
            Err(ValidationError::Required { field: name.into() })
        } else {
            Ok(())
        };
    }
    match spec.ty {
        FieldType::Text { max } | FieldType::Code { max } => {
            let s = value.as_str().ok_or_else(|| wrong(name, "tekst"))?;
            if spec.required && s.trim().is_empty() {
                return Err(ValidationError::Required { field: name.into() });
            }
            if s.chars().count() > max {
                return Err(ValidationError::TooLong {
                    field: name.into(),
                    max,
                });
            }
        }
        FieldType::Date => {
            let s = value
                .as_str()
                .ok_or_else(|| wrong(name, "dato (ÅÅÅÅ-MM-DD)"))?;
            crate::family::parse_date(s).ok_or_else(|| wrong(name, "dato (ÅÅÅÅ-MM-DD)"))?;
        }
        FieldType::Int { min, max } => {
            let n = value.as_i64().ok_or_else(|| wrong(name, "heltall"))?;
            if n < min || n > max {
                return Err(ValidationError::OutOfRange {
                    field: name.into(),
                    min,
                    max,
                });
            }
        }
        FieldType::Choice(choices) => {
            let s = value.as_str().ok_or_else(|| wrong(name, "et valg"))?;
            check_choice(name, choices, s)?;
        }
        FieldType::Choices(choices) => {
            let list = value
                .as_array()
                .ok_or_else(|| wrong(name, "en liste med valg"))?;
            for item in list {
                let s = item
                    .as_str()
                    .ok_or_else(|| wrong(name, "en liste med valg"))?;
                check_choice(name, choices, s)?;
            }
        }
        FieldType::Ids => {
            let list = value
                .as_array()
                .ok_or_else(|| wrong(name, "en liste med id-er"))?;
            for item in list {
                let ok = item
                    .as_str()
                    .is_some_and(|s| uuid::Uuid::parse_str(s).is_ok());
                if !ok {
                    return Err(wrong(name, "en liste med id-er"));
                }
            }
        }
        FieldType::Layout => {
            let s = value.as_str().ok_or_else(|| wrong(name, "tekst"))?;
            crate::cloth::Template::parse(s).map_err(|e| ValidationError::Layout {
                field: name.into(),
                reason: e.to_string(),
            })?;
        }
        FieldType::RatingForm => {
            let s = value.as_str().ok_or_else(|| wrong(name, "tekst"))?;
            crate::rating::RatingTemplate::parse(s).map_err(|e| ValidationError::Layout {
                field: name.into(),
                reason: e.to_string(),
            })?;
        }
        FieldType::ReportForm => {
            let s = value.as_str().ok_or_else(|| wrong(name, "tekst"))?;
            crate::report::ReportTemplate::parse(s).map_err(|e| ValidationError::Layout {
                field: name.into(),
                reason: e.to_string(),
            })?;
        }
        FieldType::FrozenReport => {
            let s = value.as_str().ok_or_else(|| wrong(name, "tekst"))?;
            crate::report::Frozen::parse(s).map_err(|e| ValidationError::Layout {
                field: name.into(),
                reason: e.to_string(),
            })?;
        }
        FieldType::Id => {
            let ok = value
                .as_str()
                .is_some_and(|s| uuid::Uuid::parse_str(s).is_ok());
            if !ok {
                return Err(wrong(name, "en id"));
            }
        }
        FieldType::Texts { max_items, max } => {
            let list = value
                .as_array()
                .ok_or_else(|| wrong(name, "en liste med tekster"))?;
            if list.len() > max_items {
                return Err(ValidationError::TooMany {
                    field: name.into(),
                    max: max_items,
                });
            }
            for item in list {
                let s = item
                    .as_str()
                    .ok_or_else(|| wrong(name, "en liste med tekster"))?;
                if s.chars().count() > max {
                    return Err(ValidationError::TooLong {
                        field: name.into(),
                        max,
                    });
                }
            }
        }
        FieldType::Bool => {
            value.as_bool().ok_or_else(|| wrong(name, "ja/nei"))?;
        }
    }
    Ok(())
}

fn check_choice(field: &str, choices: &[Choice], s: &str) -> Result<(), ValidationError> {
    if choices.iter().any(|c| c.code == s) {
        Ok(())
    } else {
        Err(ValidationError::UnknownChoice {
            field: field.into(),
            value: s.chars().take(60).collect(),
        })
    }
}

/// Checks a change against its kind's fields. The server refuses a batch holding one bad change.
pub fn validate_change(change: &Change) -> Result<(), ValidationError> {
    if change.writes.is_empty() {
        return Err(ValidationError::Empty);
    }
    if change.kind == Kind::Family && change.family != change.record {
        return Err(ValidationError::FamilyId);
    }
    if change.kind != Kind::Family && change.family == change.record {
        return Err(ValidationError::TakesFamilyId);
    }
    for (i, w) in change.writes.iter().enumerate() {
        if change.writes[..i].iter().any(|o| o.field == w.field) {
            return Err(ValidationError::Duplicate {
                field: w.field.chars().take(60).collect(),
            });
        }
        let spec = spec(change.kind, &w.field).ok_or_else(|| ValidationError::UnknownField {
            kind: change.kind.as_str(),
            field: w.field.chars().take(60).collect(),
        })?;
        validate_value(spec, &w.value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::FieldWrite;
    use serde_json::json;
    use uuid::Uuid;

    fn meeting(field: &str, value: Value) -> Change {
        Change {
            id: Uuid::now_v7(),
            record: Uuid::now_v7(),
            kind: Kind::Meeting,
            family: Uuid::now_v7(),
            clock: 1,
            writes: vec![FieldWrite {
                field: field.into(),
                value,
                base: None,
                resolves: vec![],
            }],
        }
    }

    #[test]
    fn a_record_may_not_take_its_familys_id() {
        let mut member = meeting("date", json!("2026-02-28"));
        member.kind = Kind::Member;
        member.writes[0].field = "name".into();
        member.writes[0].value = json!("Lars");
        validate_change(&member).unwrap();
        member.record = member.family;
        assert_eq!(
            validate_change(&member),
            Err(ValidationError::TakesFamilyId)
        );
    }

    #[test]
    fn accepts_good_values() {
        validate_change(&meeting("date", json!("2026-02-28"))).unwrap();
        validate_change(&meeting("themes", json!(["economy", "routines"]))).unwrap();
        validate_change(&meeting("duration_minutes", json!(45))).unwrap();
        validate_change(&meeting("note", Value::Null)).unwrap();
    }

    #[test]
    fn refuses_bad_values_with_clear_messages() {
        let e = validate_change(&meeting("duration_minutes", json!("lang"))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "feltet «Varighet (minutter)» har feil type: heltall"
        );
        assert!(matches!(
            validate_change(&meeting("date", json!("2026-02-30"))),
            Err(ValidationError::WrongType { .. })
        ));
        assert!(matches!(
            validate_change(&meeting("date", Value::Null)),
            Err(ValidationError::Required { .. })
        ));
        assert!(matches!(
            validate_change(&meeting("themes", json!(["astrologi"]))),
            Err(ValidationError::UnknownChoice { .. })
        ));
        assert!(matches!(
            validate_change(&meeting("shoe_size", json!(42))),
            Err(ValidationError::UnknownField { .. })
        ));
    }

    #[test]
    fn rating_answers_are_fields_named_by_item() {
        let mut c = meeting("score.routines", json!(7));
        c.kind = Kind::Rating;
        validate_change(&c).unwrap();
        c.writes[0].value = json!(11);
        assert_eq!(
            validate_change(&c).unwrap_err().to_string(),
            "feltet «Svar» må være mellom 0 og 10"
        );
        c.writes[0].field = "comment.routines".into();
        c.writes[0].value = json!("Bedre enn i fjor");
        validate_change(&c).unwrap();
        for bad in ["score.Ikke Kode", "score.", "routines"] {
            c.writes[0].field = bad.into();
            assert!(
                matches!(
                    validate_change(&c),
                    Err(ValidationError::UnknownField { .. })
                ),
                "{bad}"
            );
        }
        // Only ratings have answers.
        let c = meeting("score.routines", json!(7));
        assert!(matches!(
            validate_change(&c),
            Err(ValidationError::UnknownField { .. })
        ));
        let mut form = meeting("form", json!("{}"));
        form.kind = Kind::Rating;
        assert!(matches!(
            validate_change(&form),
            Err(ValidationError::Layout { .. })
        ));
        form.writes[0].value = json!(crate::rating::builtin()[0].to_json());
        validate_change(&form).unwrap();
    }

    #[test]
    fn ticks_and_wishes_are_fields_named_by_what_they_are_about() {
        let mut c = meeting("done.case_3", json!("2026-04-05"));
        c.kind = Kind::Family;
        c.family = c.record;
        validate_change(&c).unwrap();
        // Only what is done outside Duken is ticked by hand; plans and rounds tick themselves.
        for bad in [
            "done.plan_1",
            "done.round_m3",
            "done.case_x",
            "done.",
            "done.call_+1",
        ] {
            c.writes[0].field = bad.into();
            assert!(
                matches!(
                    validate_change(&c),
                    Err(ValidationError::UnknownField { .. })
                ),
                "{bad}"
            );
        }
        let child = Uuid::now_v7();
        let mut c = meeting(
            &crate::network::wish_field(child),
            json!("Vil ikke at læreren skal vite"),
        );
        c.kind = Kind::Contact;
        validate_change(&c).unwrap();
        c.writes[0].field = "wish.emma".into();
        assert!(validate_change(&c).is_err());
    }

    #[test]
    fn checkpoint_codes_read_back() {
        use crate::rating::Point;
        use crate::timeline::Checkpoint;
        for c in [
            Checkpoint::HomeVisits,
            Checkpoint::RatingRound(Point::SixMonths),
            Checkpoint::WorkPlan(0),
            Checkpoint::Report(4),
            Checkpoint::CaseEvaluation(11),
            Checkpoint::FollowUpCall(3),
        ] {
            assert_eq!(Checkpoint::parse(&c.code()), Some(c));
        }
    }
}
