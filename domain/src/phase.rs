//! The intervention's phases (workbook, 000). A first, simple reading from the start date;
//! the full timeline (extension, placement, follow-up) comes with the timeline issue.

use chrono::{Months, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// The phase on `today` for an intervention that started on `start` (no extension).
    pub fn on(start: NaiveDate, today: NaiveDate) -> Phase {
        let after = |m: u32| {
            start
                .checked_add_months(Months::new(m))
                .is_some_and(|d| today >= d)
        };
        if today < start {
            Phase::NotStarted
        } else if after(9) {
            Phase::FollowUp
        } else if after(6) {
            Phase::Closing
        } else if after(3) {
            Phase::Work
        } else {
            Phase::Start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn phases_follow_months_from_start_including_month_ends() {
        let start = d("2026-11-30");
        assert_eq!(Phase::on(start, d("2026-11-29")), Phase::NotStarted);
        assert_eq!(Phase::on(start, d("2026-11-30")), Phase::Start);
        // 30 Nov + 3 months clamps to 28 Feb.
        assert_eq!(Phase::on(start, d("2027-02-27")), Phase::Start);
        assert_eq!(Phase::on(start, d("2027-02-28")), Phase::Work);
        assert_eq!(Phase::on(start, d("2027-05-30")), Phase::Closing);
        assert_eq!(Phase::on(start, d("2027-08-30")), Phase::FollowUp);
    }
}
