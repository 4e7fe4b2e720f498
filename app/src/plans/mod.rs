//! The work plan (arbeidsplan): one per 3-month period, made with the family (also on the
//! shared screen), with short- and long-term goals and concrete tasks for the family and the
//! partner. Agreements sent from a cloth are pulled in; at the end of the period each goal and
//! task is evaluated, and the next plan starts from what is not done. Rules in
//! `duken_domain::plan`.

mod board;
mod data;
mod items;
mod pages;

pub use board::shared_plan;
pub use data::plans_of;
pub use pages::{plan_screen, plans_screen};
