//! The words of the forms: stable codes stored in records, with labels from the workbook
//! (`shared/seeds/000_…`, via DOMAIN.md). Codes never change; labels may.

/// A choice on a form: its stored code and its bokmål label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
}

const fn c(code: &'static str, label: &'static str) -> Choice {
    Choice { code, label }
}

/// A member's role in the home.
pub const ROLES: &[Choice] = &[
    c("parent", "Forelder"),
    c("child", "Barn"),
    c("other", "Annen i hjemmet"),
];

/// Møteskjema: where the partner met the family.
pub const PLACES: &[Choice] = &[
    c("home", "Hjemme"),
    c("office", "Kontoret"),
    c("school", "Skole / barnehage"),
    c("car", "I bilen"),
    c("outdoors", "Ute / aktivitet"),
    c("phone", "Telefon / video"),
    c("other", "Annet"),
];

/// Møteskjema: the focus of the meeting.
pub const FOCUSES: &[Choice] = &[
    c("relation", "Relasjonsbygging"),
    c("practical", "Praktisk hjelp"),
    c("guidance", "Veiledning"),
    c("coordination", "Koordinering"),
    c("evaluation", "Evaluering"),
];

/// Møteskjema: the themes worked on (several may apply).
pub const THEMES: &[Choice] = &[
    c("economy", "Økonomi og budsjett"),
    c("routines", "Rutiner og ukeplan"),
    c("home", "Hus og hjem, rengjøring"),
    c("food", "Innkjøp, mat og måltider"),
    c("hygiene", "Hygiene og stell"),
    c("activities", "Aktiviteter for barna"),
    c("logistics", "Dagens logistikk"),
    c("clothes", "Klær"),
    c("letters", "Avtaler, brev og dokumenter"),
    c("job", "Jobbsøknad og CV"),
    c("network", "Nettverk og familieråd"),
    c("school", "Skole / barnehage"),
    c("health", "Helse (fastlege, NAV, helsestasjon)"),
    c("parenting", "Foreldreveiledning"),
    c("conflict", "Konfliktløsning"),
    c("child_talk", "Barnesamtale"),
    c("cooperation", "Samarbeidsmøte med tjenester"),
    c("transition", "Overgang og overlevering"),
];

/// Where an agreement made on a cloth stands. At the next cloth, the previous one is the
/// evaluation: each agreement is marked done, continue, change or drop.
pub const AGREEMENT_STATUSES: &[Choice] = &[
    c("open", "Åpen"),
    c("done", "Gjort"),
    c("continue", "Fortsetter"),
    c("change", "Endres"),
    c("dropped", "Droppes"),
];

/// The written forms of Norwegian; the seeds' cloths come in both.
pub const LANGUAGES: &[Choice] = &[c("nb", "Bokmål"), c("nn", "Nynorsk")];

/// Rangeringsskjema: the points in the intervention where everyone rates (workbook, 000).
pub const ROUND_POINTS: &[Choice] = &[
    c("start", "Oppstart"),
    c("m3", "Etter 3 måneder"),
    c("m6", "Etter 6 måneder"),
    c("end", "Avslutning"),
];

/// Whose view a filled rating form holds: the member's own, or the partner's view of them.
pub const RATERS: &[Choice] = &[
    c("member", "Eget svar"),
    c("partner", "Familiepartnerens vurdering"),
];

/// The four forms of placement (workbook, 000). Any of them moves the family into the closing
/// phase from its date.
pub const PLACEMENTS: &[Choice] = &[
    c("acute", "Akuttplassering"),
    c("voluntary", "Frivillig plassering"),
    c("conversation", "Samtaleprosess med plassering"),
    c("tribunal", "Full nemndsbehandling"),
];

/// Mal for inntakssamtale: what the intake goes through (workbook, 000, "Inntakssamtale").
pub const INTAKE_TOPICS: &[Choice] = &[
    c(
        "information",
        "Informasjon om tiltaket: bakgrunn, innhold og formål",
    ),
    c("history", "Historie og muligheter"),
    c("services", "Tjenester familien er i kontakt med nå og før"),
    c("consent", "Samtykke til samarbeid og deling av informasjon"),
    c("visits", "Tre hjemmebesøk avtalt innen 10 dager"),
    c("rating", "Første rangeringsskjema forklart"),
];

/// What a consent covers.
pub const CONSENT_SCOPES: &[Choice] = &[
    c("cooperate", "Samarbeide med andre instanser"),
    c("share", "Dele informasjon"),
];

/// Who or what is around the family: a person in its network, or a service.
pub const CONTACT_CATEGORIES: &[Choice] = &[
    c("person", "Person i nettverket"),
    c("school", "Skole"),
    c("kindergarten", "Barnehage"),
    c("nav", "NAV"),
    c("health_clinic", "Helsestasjon"),
    c("gp", "Fastlege"),
    c("housing", "Boligkontor"),
    c("other", "Annen tjeneste"),
];

/// Whether a service is involved with the family now or was before.
pub const INVOLVEMENT: &[Choice] = &[c("now", "Nå"), c("before", "Tidligere")];

/// Arbeidsplan: a goal for the period or for the longer run.
pub const GOAL_HORIZONS: &[Choice] = &[c("short", "Kortsiktig mål"), c("long", "Langsiktig mål")];

/// How a goal went, judged at the end of its period.
pub const GOAL_OUTCOMES: &[Choice] = &[
    c("reached", "Nådd"),
    c("partly", "Delvis nådd"),
    c("not_reached", "Ikke nådd"),
];

/// Whose task in a work plan: the family's or the partner's.
pub const TASK_OWNERS: &[Choice] = &[c("family", "Familien"), c("partner", "Familiepartner")];

/// Usual meeting lengths, offered as one-tap choices (minutes).
pub const DURATIONS: &[u32] = &[30, 45, 60, 90, 120];

pub fn label(choices: &[Choice], code: &str) -> Option<&'static str> {
    choices.iter().find(|c| c.code == code).map(|c| c.label)
}

pub fn codes(choices: &'static [Choice]) -> impl Iterator<Item = &'static str> {
    choices.iter().map(|c| c.code)
}
