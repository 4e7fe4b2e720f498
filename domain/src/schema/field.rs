//! The types a record field may have, and its spec (name, label, type, required).

use crate::vocab::Choice;

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

pub(super) const fn f(
    name: &'static str,
    label: &'static str,
    ty: FieldType,
    required: bool,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        ty,
        required,
    }
}
