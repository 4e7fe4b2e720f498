//! The two written forms of Norwegian (the seeds use both). Below every feature: the words of
//! the forms, the phases, the cloth's labels and the papers all come in both.

use serde::{Deserialize, Serialize};

/// A written form of Norwegian.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Bokmål.
    #[default]
    Nb,
    /// Nynorsk.
    Nn,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "nb" => Some(Lang::Nb),
            "nn" => Some(Lang::Nn),
            _ => None,
        }
    }
}
