//! The meeting log (møteskjema): logged on a phone right after a meeting, in a few taps.

mod form;

pub use form::{EditMeeting, NewMeeting};
