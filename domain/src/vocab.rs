//! The words of the forms: stable codes stored in records, with labels from the workbook
//! (`shared/seeds/000_…`, via DOMAIN.md). Codes never change; labels may.

/// A choice on a form: its stored code, its bokmål label (the app's screens) and its nynorsk
/// one (the family's papers, in the written form the family chose).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
    pub nn: &'static str,
}

const fn c(code: &'static str, label: &'static str, nn: &'static str) -> Choice {
    Choice { code, label, nn }
}

/// A member's role in the home.
pub const ROLES: &[Choice] = &[
    c("parent", "Forelder", "Forelder"),
    c("child", "Barn", "Barn"),
    c("other", "Annen i hjemmet", "Annan i heimen"),
];

/// Møteskjema: where the partner met the family.
pub const PLACES: &[Choice] = &[
    c("home", "Hjemme", "Heime"),
    c("office", "Kontoret", "Kontoret"),
    c("school", "Skole / barnehage", "Skule / barnehage"),
    c("car", "I bilen", "I bilen"),
    c("outdoors", "Ute / aktivitet", "Ute / aktivitet"),
    c("phone", "Telefon / video", "Telefon / video"),
    c("other", "Annet", "Anna"),
];

/// Møteskjema: the focus of the meeting.
pub const FOCUSES: &[Choice] = &[
    c("relation", "Relasjonsbygging", "Relasjonsbygging"),
    c("practical", "Praktisk hjelp", "Praktisk hjelp"),
    c("guidance", "Veiledning", "Rettleiing"),
    c("coordination", "Koordinering", "Koordinering"),
    c("evaluation", "Evaluering", "Evaluering"),
];

/// Møteskjema: the themes worked on (several may apply).
pub const THEMES: &[Choice] = &[
    c("economy", "Økonomi og budsjett", "Økonomi og budsjett"),
    c("routines", "Rutiner og ukeplan", "Rutinar og vekeplan"),
    c(
        "home",
        "Hus og hjem, rengjøring",
        "Hus og heim, reingjering",
    ),
    c("food", "Innkjøp, mat og måltider", "Innkjøp, mat og måltid"),
    c("hygiene", "Hygiene og stell", "Hygiene og stell"),
    c(
        "activities",
        "Aktiviteter for barna",
        "Aktivitetar for borna",
    ),
    c("logistics", "Dagens logistikk", "Logistikken i kvardagen"),
    c("clothes", "Klær", "Klede"),
    c(
        "letters",
        "Avtaler, brev og dokumenter",
        "Avtalar, brev og dokument",
    ),
    c("job", "Jobbsøknad og CV", "Jobbsøknad og CV"),
    c(
        "network",
        "Nettverk og familieråd",
        "Nettverk og familieråd",
    ),
    c("school", "Skole / barnehage", "Skule / barnehage"),
    c(
        "health",
        "Helse (fastlege, NAV, helsestasjon)",
        "Helse (fastlege, NAV, helsestasjon)",
    ),
    c("parenting", "Foreldreveiledning", "Foreldrerettleiing"),
    c("conflict", "Konfliktløsning", "Konfliktløysing"),
    c("child_talk", "Barnesamtale", "Barnesamtale"),
    c(
        "cooperation",
        "Samarbeidsmøte med tjenester",
        "Samarbeidsmøte med tenester",
    ),
    c(
        "transition",
        "Overgang og overlevering",
        "Overgang og overlevering",
    ),
];

/// Where an agreement made on a cloth stands. At the next cloth, the previous one is the
/// evaluation: each agreement is marked done, continue, change or drop.
pub const AGREEMENT_STATUSES: &[Choice] = &[
    c("open", "Åpen", "Open"),
    c("done", "Gjort", "Gjort"),
    c("continue", "Fortsetter", "Held fram"),
    c("change", "Endres", "Blir endra"),
    c("dropped", "Droppes", "Blir droppa"),
];

/// The written forms of Norwegian; the seeds' cloths come in both.
pub const LANGUAGES: &[Choice] = &[c("nb", "Bokmål", "Bokmål"), c("nn", "Nynorsk", "Nynorsk")];

/// Rangeringsskjema: the points in the intervention where everyone rates (workbook, 000).
pub const ROUND_POINTS: &[Choice] = &[
    c("start", "Oppstart", "Oppstart"),
    c("m3", "Etter 3 måneder", "Etter 3 månader"),
    c("m6", "Etter 6 måneder", "Etter 6 månader"),
    c("end", "Avslutning", "Avslutning"),
];

/// Whose view a filled rating form holds: the member's own, or the partner's view of them.
pub const RATERS: &[Choice] = &[
    c("member", "Eget svar", "Eige svar"),
    c(
        "partner",
        "Familiepartnerens vurdering",
        "Vurderinga til familiepartnaren",
    ),
];

/// The four forms of placement (workbook, 000). Any of them moves the family into the closing
/// phase from its date.
pub const PLACEMENTS: &[Choice] = &[
    c("acute", "Akuttplassering", "Akuttplassering"),
    c("voluntary", "Frivillig plassering", "Frivillig plassering"),
    c(
        "conversation",
        "Samtaleprosess med plassering",
        "Samtaleprosess med plassering",
    ),
    c("tribunal", "Full nemndsbehandling", "Full nemndshandsaming"),
];

/// Mal for inntakssamtale: what the intake goes through (workbook, 000, "Inntakssamtale").
pub const INTAKE_TOPICS: &[Choice] = &[
    c(
        "information",
        "Informasjon om tiltaket: bakgrunn, innhold og formål",
        "Informasjon om tiltaket: bakgrunn, innhald og formål",
    ),
    c(
        "history",
        "Historie og muligheter",
        "Historie og moglegheiter",
    ),
    c(
        "services",
        "Tjenester familien er i kontakt med nå og før",
        "Tenester familien er i kontakt med no og før",
    ),
    c(
        "consent",
        "Samtykke til samarbeid og deling av informasjon",
        "Samtykke til samarbeid og deling av informasjon",
    ),
    c(
        "visits",
        "Tre hjemmebesøk avtalt innen 10 dager",
        "Tre heimebesøk avtalte innan 10 dagar",
    ),
    c(
        "rating",
        "Første rangeringsskjema forklart",
        "Første rangeringsskjema forklart",
    ),
];

/// What a consent covers.
pub const CONSENT_SCOPES: &[Choice] = &[
    c(
        "cooperate",
        "Samarbeide med andre instanser",
        "Samarbeide med andre instansar",
    ),
    c("share", "Dele informasjon", "Dele informasjon"),
];

/// Who or what is around the family: a person in its network, or a service.
pub const CONTACT_CATEGORIES: &[Choice] = &[
    c("person", "Person i nettverket", "Person i nettverket"),
    c("school", "Skole", "Skule"),
    c("kindergarten", "Barnehage", "Barnehage"),
    c("nav", "NAV", "NAV"),
    c("health_clinic", "Helsestasjon", "Helsestasjon"),
    c("gp", "Fastlege", "Fastlege"),
    c("housing", "Boligkontor", "Bustadkontor"),
    c("other", "Annen tjeneste", "Anna teneste"),
];

/// Whether a service is involved with the family now or was before.
pub const INVOLVEMENT: &[Choice] = &[c("now", "Nå", "No"), c("before", "Tidligere", "Tidlegare")];

/// Arbeidsplan: a goal for the period or for the longer run.
pub const GOAL_HORIZONS: &[Choice] = &[
    c("short", "Kortsiktig mål", "Kortsiktig mål"),
    c("long", "Langsiktig mål", "Langsiktig mål"),
];

/// How a goal went, judged at the end of its period.
pub const GOAL_OUTCOMES: &[Choice] = &[
    c("reached", "Nådd", "Nådd"),
    c("partly", "Delvis nådd", "Delvis nådd"),
    c("not_reached", "Ikke nådd", "Ikkje nådd"),
];

/// Whose task in a work plan: the family's or the partner's.
pub const TASK_OWNERS: &[Choice] = &[
    c("family", "Familien", "Familien"),
    c("partner", "Familiepartner", "Familiepartnar"),
];

/// What the 3-monthly evaluation of the intervention plan decided (workbook 000: at the
/// 6-month evaluation, whether to extend by 3 months).
pub const DECISIONS: &[Choice] = &[
    c(
        "continue",
        "Fortsette som planlagt",
        "Halde fram som planlagt",
    ),
    c(
        "extend",
        "Forlenge med 3 måneder",
        "Forlengje med 3 månader",
    ),
    c(
        "closing",
        "Gå over i avslutningsfasen",
        "Gå over i avslutningsfasen",
    ),
    c("end", "Avslutte tiltaket", "Avslutte tiltaket"),
];

/// Whether the family agrees with the report it read.
pub const AGREES: &[Choice] = &[
    c("yes", "Ja, familien er enig", "Ja, familien er samd"),
    c("partly", "Delvis enig", "Delvis samd"),
    c(
        "no",
        "Nei, familien er ikke enig",
        "Nei, familien er ikkje samd",
    ),
];

/// Usual meeting lengths, offered as one-tap choices (minutes).
pub const DURATIONS: &[u32] = &[30, 45, 60, 90, 120];

pub fn label(choices: &[Choice], code: &str) -> Option<&'static str> {
    choices.iter().find(|c| c.code == code).map(|c| c.label)
}

/// The label in the written form `lang` (the family's papers).
pub fn label_in(choices: &[Choice], code: &str, lang: crate::lang::Lang) -> Option<&'static str> {
    choices.iter().find(|c| c.code == code).map(|c| match lang {
        crate::lang::Lang::Nb => c.label,
        crate::lang::Lang::Nn => c.nn,
    })
}

pub fn codes(choices: &'static [Choice]) -> impl Iterator<Item = &'static str> {
    choices.iter().map(|c| c.code)
}
