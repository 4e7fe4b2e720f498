//! *Rangeringsskjema* (the rating form): every family member, children too, says how things
//! are in each area of life, at the start, after 3 and 6 months and at the end. It gives each
//! person a room to speak, the work plan starts from it, and it shows progress.
//!
//! A form is laid out by a [`RatingTemplate`], which is data (JSON), versioned: two built-in
//! ones (adults, children; `templates/rating_*.json`) and the team's own copies, edited by a
//! team leader in the app. Each filled [`Rating`] keeps a copy of the template it was given with,
//! so editing a template never changes an old answer.
//!
//! Records: a [`Round`] (which point, opened when) and one [`Rating`] per person and rater in
//! it. Answers are fields of their own (`score.<item>`, `comment.<item>`), so two devices
//! editing different items never collide, and a changed answer keeps its history.
//!
//! The parts: [`template`] (how a form looks, the built-in ones), [`round`] (a round and whose
//! view a rating holds), [`answer`] (one filled form, where it stands, who is missing) and
//! [`progress`] (answers lined up over rounds, for the charts).

mod answer;
mod progress;
mod round;
mod template;
#[cfg(test)]
mod tests;

pub use answer::*;
pub use progress::*;
pub use round::*;
pub use template::*;

/// Longest template JSON a rating may carry.
pub const MAX_TEMPLATE_CHARS: usize = 20_000;
/// Highest value on any scale: the stored answers are checked against it before the form is
/// known (a change carries its fields, not the form).
pub const SCALE_CEILING: u8 = 10;
/// Most steps a faces scale can have: one drawn face per step.
pub const MAX_FACES: u8 = 5;
/// At or below this share of the scale an area counts as low (3 of 1-10, 2 of 1-5 faces).
pub const LOW_LEVEL: f32 = 0.3;
/// Most rounds a star chart compares, so it stays readable.
pub const MAX_COMPARED: usize = 3;

/// Field-name prefix of an answer's score.
pub const SCORE_PREFIX: &str = "score.";
/// Field-name prefix of an answer's comment.
pub const COMMENT_PREFIX: &str = "comment.";
