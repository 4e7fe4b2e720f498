//! A value, and a whole change, checked against the fields of its kind.

use serde_json::Value;

use crate::record::{Change, Kind};
use crate::vocab::Choice;

use super::field::{FieldSpec, FieldType};
use super::kinds::spec;

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
            crate::dates::parse_date(s).ok_or_else(|| wrong(name, "dato (ÅÅÅÅ-MM-DD)"))?;
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
