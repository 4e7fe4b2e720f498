//! The intake (inntakssamtale, workbook 000): consents given there and the first home visits
//! booked there. Its topics checklist and note are fields of the family record.

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use crate::dates::parse_date;
use crate::record::{Kind, Record};
use crate::timeline::HOME_VISITS_WITHIN_DAYS;
use crate::vocab;

/// How many home visits are booked at intake.
pub const FIRST_VISITS: usize = 3;

/// One person's consent to cooperate with other services and share information. Each parent
/// gives (and may withdraw) their own: in the workbook's case the father withdrew and the
/// mother went on.
#[derive(Clone, Debug, PartialEq)]
pub struct Consent {
    pub id: Uuid,
    pub member: Uuid,
    /// Codes of [`vocab::CONSENT_SCOPES`].
    pub scopes: Vec<String>,
    /// Which services it covers, in the partner's words.
    pub services: String,
    pub given: Option<NaiveDate>,
    pub withdrawn: Option<NaiveDate>,
}

impl Consent {
    pub fn from_record(r: &Record) -> Option<Consent> {
        if r.kind != Kind::Consent || r.is_deleted() {
            return None;
        }
        Some(Consent {
            id: r.id,
            member: r.id_of("member")?,
            scopes: r.strings("scopes"),
            services: r.text("services").unwrap_or_default().to_owned(),
            given: r.text("given").and_then(parse_date),
            withdrawn: r.text("withdrawn").and_then(parse_date),
        })
    }

    /// In force on `date`: given by then and not withdrawn by then.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.given.is_some_and(|g| g <= date) && self.withdrawn.is_none_or(|w| w > date)
    }

    /// "Samarbeide med andre instanser, dele informasjon".
    pub fn scope_labels(&self) -> String {
        let labels: Vec<&str> = self
            .scopes
            .iter()
            .filter_map(|s| vocab::label(vocab::CONSENT_SCOPES, s))
            .collect();
        let text = labels.join(", ").to_lowercase();
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

/// A booked home visit.
#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    pub id: Uuid,
    pub date: NaiveDate,
    /// `HH:MM`, if set.
    pub time: Option<String>,
}

impl Visit {
    pub fn from_record(r: &Record) -> Option<Visit> {
        if r.kind != Kind::Visit || r.is_deleted() {
            return None;
        }
        Some(Visit {
            id: r.id,
            date: r.text("date").and_then(parse_date)?,
            time: r.text("time").map(str::to_owned),
        })
    }
}

/// The last day the first home visits may fall on.
pub fn visits_deadline(intake: NaiveDate) -> NaiveDate {
    intake
        .checked_add_days(Days::new(HOME_VISITS_WITHIN_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// Why a visit's date is not right for one of the first three, if it is not.
pub fn visit_warning(intake: NaiveDate, date: NaiveDate) -> Option<String> {
    let deadline = visits_deadline(intake);
    if date > deadline {
        Some(format!(
            "Etter dag {HOME_VISITS_WITHIN_DAYS}: de tre første hjemmebesøkene skal være innen {}.",
            crate::dates::norwegian_date(deadline)
        ))
    } else if date < intake {
        Some("Før inntakssamtalen.".to_owned())
    } else {
        None
    }
}

/// `HH:MM` with a real hour and minute.
pub fn valid_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && s[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && s.bytes().filter(u8::is_ascii_digit).count() == 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn visits_after_day_ten_are_warned() {
        let intake = d("2026-01-28");
        assert_eq!(visits_deadline(intake), d("2026-02-07"));
        assert_eq!(visit_warning(intake, d("2026-02-07")), None);
        assert_eq!(
            visit_warning(intake, d("2026-02-08")).as_deref(),
            Some("Etter dag 10: de tre første hjemmebesøkene skal være innen 07.02.2026.")
        );
        assert!(visit_warning(intake, d("2026-01-27")).is_some());
    }

    #[test]
    fn a_withdrawn_consent_is_in_force_until_the_day_it_was_withdrawn() {
        let c = Consent {
            id: Uuid::nil(),
            member: Uuid::nil(),
            scopes: vec!["cooperate".into(), "share".into()],
            services: String::new(),
            given: Some(d("2026-01-05")),
            withdrawn: Some(d("2026-03-01")),
        };
        assert!(!c.in_force(d("2026-01-04")));
        assert!(c.in_force(d("2026-02-28")));
        assert!(!c.in_force(d("2026-03-01")));
        assert_eq!(
            c.scope_labels(),
            "Samarbeide med andre instanser, dele informasjon"
        );
    }

    #[test]
    fn times_are_hours_and_minutes() {
        assert!(valid_time("17:30"));
        assert!(valid_time("00:00"));
        assert!(!valid_time("24:00"));
        assert!(!valid_time("7:30"));
        assert!(!valid_time("17.30"));
        assert!(!valid_time("+1:30"));
    }
}
