//! The fields of each kind of record, with their bokmål labels and limits.

use crate::record::{Kind, DELETED};
use crate::vocab::{self};

use super::field::{f, FieldSpec, FieldType};

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
                .strip_prefix(crate::agenda::TICKED_PREFIX)
                .and_then(crate::timeline::Checkpoint::parse)
                .filter(|c| c.by_hand())
                .map(|_| &TICKED),
            (Kind::Contact, _) => field
                .strip_prefix(crate::network::WISH_PREFIX)
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
                .map(|_| &WISH),
            (Kind::Report, _) => field
                .strip_prefix(crate::report::SECTION_PREFIX)
                .filter(|key| crate::codes::is_code(key))
                .map(|_| &SECTION),
            _ => None,
        }
    })
}
