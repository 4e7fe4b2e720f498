//! Duken's domain: what a family partner records, and how edits from many devices merge.
//!
//! This crate has no I/O and builds for both the server (x86_64) and the app (wasm32), so
//! every rule lives here once: record and field types ([`record`]), what each kind of record
//! may hold ([`schema`]), the words of the forms ([`vocab`]), typed views of records
//! ([`family`], [`meeting`], [`cloth`]) and the sync protocol ([`protocol`]).
//!
//! Norwegian terms kept where English has no equivalent:
//! - *Duk* / *samtaleduk*: the conversation cloth the family fills in with its helpers.
//! - *Møteskjema*: the meeting form a partner logs after every meeting.
//! - *Rangeringsskjema*: the rating form every family member fills in, see [`rating`].

pub mod access;
pub mod account;
pub mod agenda;
pub mod cloth;
pub mod codes;
pub mod dates;
pub mod evaluation;
pub mod family;
pub mod intake;
pub mod lang;
pub mod local;
pub mod meeting;
pub mod network;
pub mod phase;
pub mod plan;
pub mod point;
pub mod protocol;
pub mod rating;
pub mod record;
pub mod report;
pub mod schema;
pub mod sync;
pub mod timeline;
pub mod vocab;
pub mod waiting;

#[cfg(test)]
mod memory;

pub use record::{Change, Field, FieldWrite, Kind, MergeError, Record, Version, Write};
