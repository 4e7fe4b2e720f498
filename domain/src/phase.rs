//! The intervention's phases (workbook, 000). When each one runs for a family is computed by
//! [`crate::timeline`].

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not started yet (start date in the future).
    NotStarted,
    /// Oppstartsfase, months 0-3.
    Start,
    /// Arbeidsfase, months 3-6.
    Work,
    /// Avslutningsfase, months 6-9.
    Closing,
    /// After month 9: follow-up calls.
    FollowUp,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::NotStarted => "Ikke startet",
            Phase::Start => "Oppstartsfase",
            Phase::Work => "Arbeidsfase",
            Phase::Closing => "Avslutningsfase",
            Phase::FollowUp => "Oppfølging etter avslutning",
        }
    }

    /// The label in the written form `lang` (the family's papers).
    pub fn label_in(self, lang: crate::lang::Lang) -> &'static str {
        match (lang, self) {
            (crate::lang::Lang::Nn, Phase::NotStarted) => "Ikkje starta",
            (crate::lang::Lang::Nn, Phase::FollowUp) => "Oppfølging etter avslutninga",
            _ => self.label(),
        }
    }
}
