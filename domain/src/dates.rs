//! Dates as Duken stores and shows them: `YYYY-MM-DD` on disk and on the wire, `DD.MM.YYYY`
//! on screen, and calendar months for the intervention's clock. Below every feature: families,
//! cloths, ratings, plans and the timeline all read dates the same way.

use chrono::{Datelike, Months, NaiveDate};

/// Parses `YYYY-MM-DD`, the only date format stored. Written by hand rather than with chrono's
/// format parser, which would add its whole formatting machinery to the app's download.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// `YYYY-MM-DD`, as stored.
pub fn iso_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `DD.MM.YYYY`, as Norwegians write dates.
pub fn norwegian_date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// `date` plus `n` calendar months, clamped to the month's last day. Saturates at chrono's
/// last date rather than fail (no course runs that long).
pub fn add_months(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_print_without_chrono_formats() {
        let d = parse_date("2028-02-29").unwrap();
        assert_eq!(iso_date(d), "2028-02-29");
        assert_eq!(norwegian_date(d), "29.02.2028");
        for bad in [
            "2027-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01xx",
            "2026/01/01",
            "+202-01-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
