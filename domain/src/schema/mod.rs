//! What each kind of record may hold: field names, types and limits. The server checks every
//! pushed change against this; the app builds its forms from the same rules.
//!
//! [`field`]: the types a field may have; [`kinds`]: each kind's fields; [`validate`]: a value
//! and a whole change checked against them.

mod field;
mod kinds;
#[cfg(test)]
mod tests;
mod validate;

pub use field::*;
pub use kinds::*;
pub use validate::*;
