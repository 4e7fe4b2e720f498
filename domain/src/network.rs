//! The people and services around a family (nettverk og tjenester): who they are, how to reach
//! them, and, per service, each child's own wishes about it (kartlegging av tjenester overfor
//! barna, workbook 000).

use uuid::Uuid;

use crate::record::{Kind, Record};
use crate::vocab;

/// `wish.<member id>` on a contact: what a child wishes from this person.
pub const WISH_PREFIX: &str = "wish.";

#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    pub id: Uuid,
    /// A code of [`vocab::CONTACT_CATEGORIES`].
    pub category: String,
    pub name: String,
    /// For a person: how they are related to the family ("mormor", "nabo").
    pub relation: String,
    /// A trusted person (tillitsperson): someone the family trusts, not an employee.
    pub trusted: bool,
    /// How to reach them (phone, e-mail, a contact person at the service).
    pub reach: String,
    /// For a service: `now` or `before`.
    pub involved: Option<String>,
    /// For a service: the family's experience of it, in their words.
    pub experience: String,
    /// Each child's wishes about this service: (member id, wishes).
    pub wishes: Vec<(Uuid, String)>,
}

impl Contact {
    pub fn from_record(r: &Record) -> Option<Contact> {
        if r.kind != Kind::Contact || r.is_deleted() {
            return None;
        }
        let wishes = r
            .fields
            .keys()
            .filter_map(|f| {
                let child = Uuid::parse_str(f.strip_prefix(WISH_PREFIX)?).ok()?;
                let text = r.text(f)?.trim();
                (!text.is_empty()).then(|| (child, text.to_owned()))
            })
            .collect();
        Some(Contact {
            id: r.id,
            category: r.text("category").unwrap_or("other").to_owned(),
            name: r.text("name").unwrap_or_default().to_owned(),
            relation: r.text("relation").unwrap_or_default().to_owned(),
            trusted: r.flag("trusted"),
            reach: r.text("reach").unwrap_or_default().to_owned(),
            involved: r.text("involved").map(str::to_owned),
            experience: r.text("experience").unwrap_or_default().to_owned(),
            wishes,
        })
    }

    /// A person in the network rather than a service.
    pub fn is_person(&self) -> bool {
        self.category == "person"
    }

    pub fn category_label(&self) -> &'static str {
        vocab::label(vocab::CONTACT_CATEGORIES, &self.category).unwrap_or("Annen tjeneste")
    }

    pub fn wish_of(&self, child: Uuid) -> Option<&str> {
        self.wishes
            .iter()
            .find(|(c, _)| *c == child)
            .map(|(_, w)| w.as_str())
    }
}

/// The field holding `child`'s wishes about a service.
pub fn wish_field(child: Uuid) -> String {
    format!("{WISH_PREFIX}{child}")
}
