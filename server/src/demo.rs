//! A first run with something to see: `duken-server demo` fills an empty database with a demo
//! team and the workbook's own case family (`000_…`, "Case fra en kommune": a mother, a father,
//! two children; the father's drinking, the start with relationship building and COS-P, the
//! father moving out at the end of the start, network meetings, NAV and the kindergarten in the
//! work phase, the father withdrawing his consent, the mother going on, phone calls and driving
//! in the closing phase). Everything is marked as practice data. It refuses a database that has
//! any user, so it can never mix into real work.

use chrono::{Days, Months, NaiveDate};
use duken_domain::dates::iso_date;
use duken_domain::record::{Change, FieldWrite, Kind};
use duken_domain::schema::validate_change;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::accounts::{self, AccountError};
use crate::storage::{Pusher, Storage, StorageError};

/// The demo accounts' password (printed; practice data only).
pub const DEMO_PASSWORD: &str = "prøv duken med øvingsdata";
pub const DEMO_TEAM: &str = "Demoteam (øvingsdata)";
pub const DEMO_FAMILY: &str = "Familien Demo (øvingsdata)";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("databasen har allerede brukere: demodata legges bare inn i en tom database (bruk en egen, f.eks. DATABASE_URL=sqlite://data/demo.db)")]
    NotEmpty,
    #[error("demodataene er ugyldige ({0}); dette er en feil i Duken")]
    Invalid(String),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Builds one family's records as changes, the way a device would have made them.
struct Builder {
    family: Uuid,
    clock: u64,
    changes: Vec<Change>,
}

impl Builder {
    fn add(&mut self, kind: Kind, record: Uuid, writes: &[(&str, Value)]) -> Uuid {
        self.clock += 1;
        self.changes.push(Change {
            id: Uuid::now_v7(),
            record,
            kind,
            family: self.family,
            clock: self.clock,
            writes: writes
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(field, value)| FieldWrite {
                    field: (*field).to_owned(),
                    value: value.clone(),
                    base: None,
                    resolves: vec![],
                })
                .collect(),
        });
        record
    }

    fn make(&mut self, kind: Kind, writes: &[(&str, Value)]) -> Uuid {
        self.add(kind, Uuid::now_v7(), writes)
    }
}

/// A meeting of the case: days after intake, place, focus, themes, minutes, who was there, note.
type MeetingLine = (
    u64,
    &'static str,
    &'static str,
    &'static [&'static str],
    i64,
    Value,
    &'static str,
);

fn day(d: NaiveDate) -> Value {
    json!(iso_date(d))
}

/// The case family's records, the intake `months_ago` months before `today`.
pub fn case_family(today: NaiveDate, family: Uuid) -> Result<Vec<Change>, DemoError> {
    // Seven months in: the closing phase began at six (the evaluation decided so).
    let intake = today
        .checked_sub_months(Months::new(7))
        .ok_or_else(|| DemoError::Invalid("datoen".into()))?;
    let at = |days: u64| intake.checked_add_days(Days::new(days)).unwrap_or(intake);
    let month = |n: u32| intake.checked_add_months(Months::new(n)).unwrap_or(intake);
    let mut b = Builder {
        family,
        clock: 0,
        changes: Vec::new(),
    };
    b.add(
        Kind::Family,
        family,
        &[
            ("name", json!(DEMO_FAMILY)),
            ("start_date", day(intake)),
            ("language", json!("nb")),
        ],
    );
    let person = |b: &mut Builder, name: &str, role: &str, year: i32| {
        b.make(
            Kind::Member,
            &[
                ("name", json!(name)),
                ("role", json!(role)),
                ("birth_year", json!(year)),
            ],
        )
    };
    let linn = person(&mut b, "Linn (mor)", "parent", 1992);
    let tom = person(&mut b, "Tom (far)", "parent", 1989);
    let emma = person(&mut b, "Emma", "child", 2017);
    let jonas = person(&mut b, "Jonas", "child", 2021);
    let everyone = json!([linn, tom, emma, jonas]);

    // The intake: three home visits within ten days, both parents' consent.
    for (d, time) in [(2, "17:30"), (5, "17:30"), (8, "16:00")] {
        b.make(Kind::Visit, &[("date", day(at(d))), ("time", json!(time))]);
    }
    for (who, withdrawn) in [(linn, None), (tom, Some(month(4)))] {
        b.make(
            Kind::Consent,
            &[
                ("member", json!(who)),
                ("scopes", json!(["cooperate", "share"])),
                (
                    "services",
                    json!("Barnehagen, skolen, NAV, rusteamet, familievernkontoret"),
                ),
                ("given", day(intake)),
                ("withdrawn", withdrawn.map_or(Value::Null, day)),
            ],
        );
    }
    // The network and the services around the family.
    for (category, name, relation, trusted, involved, experience) in [
        (
            "person",
            "Mormor og morfar",
            "Linns foreldre",
            true,
            "now",
            "Trakk seg unna en periode, hjelper nå med lånet og kjøring.",
        ),
        (
            "kindergarten",
            "Solsikken barnehage",
            "Jonas' barnehage",
            false,
            "now",
            "Det var barnehagen som meldte bekymring; samarbeidet er godt nå.",
        ),
        (
            "school",
            "Bakken skole",
            "Emmas skole, 3. trinn",
            false,
            "now",
            "",
        ),
        (
            "nav",
            "NAV",
            "Gjeld og økonomisk rådgivning",
            false,
            "now",
            "Fikk en fast saksbehandler etter nettverksmøtet.",
        ),
        (
            "other",
            "Rusteamet i kommunen",
            "Toms oppfølging",
            false,
            "before",
            "Tom møtte ikke til de anbefalte prøvene.",
        ),
        (
            "other",
            "Familievernkontoret",
            "Samtaler om samvær",
            false,
            "before",
            "",
        ),
    ] {
        b.make(
            Kind::Contact,
            &[
                ("category", json!(category)),
                ("name", json!(name)),
                ("relation", json!(relation)),
                ("trusted", json!(trusted)),
                ("involved", json!(involved)),
                (
                    "experience",
                    if experience.is_empty() {
                        Value::Null
                    } else {
                        json!(experience)
                    },
                ),
            ],
        );
    }

    // Meetings, phase by phase, as the case tells them.
    let meetings: [MeetingLine; 14] = [
        (2, "home", "relation", &["routines", "child_talk"], 90, everyone.clone(), "Første hjemmebesøk. Ble kjent med hele familien; foreldrene vil samarbeide med familiepartner."),
        (5, "home", "relation", &["parenting", "routines"], 90, everyone.clone(), "Fylte ut rangeringsskjemaene, hver for seg. Emma tegnet huset sitt."),
        (8, "home", "guidance", &["parenting"], 60, json!([linn, tom]), "Gikk gjennom COS-P-veiledningen foreldrene har startet på."),
        (20, "home", "practical", &["economy", "letters"], 60, json!([linn]), "Åpnet regninger sammen; oversikt over gjelden."),
        (45, "office", "coordination", &["health", "cooperation"], 60, json!([tom]), "Samtale om rus og hvordan det påvirker familien. Anbefalt eget bosted i en periode."),
        (80, "home", "practical", &["home", "logistics"], 120, json!([linn, emma, jonas]), "Tom har flyttet i egen bolig. Hjalp med ukeplan for levering og henting."),
        (95, "other", "coordination", &["network", "cooperation"], 90, json!([linn]), "Nettverksmøte med mormor og morfar, barnehagen og NAV."),
        (110, "school", "coordination", &["school", "cooperation"], 45, json!([]), "Møte med barnehagen og skolen: barna er tryggere og i bedre humør."),
        (125, "phone", "relation", &["parenting"], 30, json!([linn]), "Linn møtte ikke på COS-P. Samtale på telefon i hennes tempo."),
        (140, "car", "practical", &["logistics"], 45, json!([linn, jonas]), "Kjørte til barnehagen; Linn fortalte om det som har vært vanskelig."),
        (160, "home", "guidance", &["conflict", "parenting"], 90, json!([linn]), "Laget kriseplan for Linn og barna; snakket om å melde fra."),
        (175, "home", "practical", &["home"], 60, json!([linn]), "Hjalp Linn å flytte ut Toms siste ting; han møtte ikke opp."),
        (190, "phone", "evaluation", &["job", "activities"], 30, json!([linn]), "Linn tar førerkort og fullfører utdanningen. Ser lyst på framtiden."),
        (205, "phone", "relation", &["network"], 30, json!([linn]), "Linn vil flytte nær familien sin; snakket om overgang til andre tjenester."),
    ];
    for (d, place, focus, themes, minutes, present, note) in meetings {
        b.make(
            Kind::Meeting,
            &[
                ("date", day(at(d))),
                ("place", json!(place)),
                ("focus", json!(focus)),
                ("themes", json!(themes)),
                ("duration_minutes", json!(minutes)),
                ("present", present),
                ("interpreter", json!(false)),
                ("note", json!(note)),
            ],
        );
    }

    // A cloth from the start: the family's own words, and what they agreed.
    let template = duken_domain::cloth::builtin_template("ovre-eiker")
        .ok_or_else(|| DemoError::Invalid("dukmalen".into()))?;
    let layout = serde_json::to_string(&template).map_err(|e| DemoError::Invalid(e.to_string()))?;
    let cloth = b.make(
        Kind::Cloth,
        &[
            ("template", json!("ovre-eiker")),
            ("layout", json!(layout)),
            ("date", day(at(8))),
            ("present", everyone.clone()),
        ],
    );
    for (section, who, text) in [
        ("good_at", linn, "Vi er gode til å lage mat sammen"),
        ("good_at", emma, "Jeg er god til å tegne"),
        ("dream_of", linn, "Ro hjemme og en hverdag som går i hop"),
        ("dream_of", emma, "At mamma og pappa ikke krangler"),
        ("people", linn, "Mormor og morfar, når de orker"),
        ("people", jonas, "Bestevennen i barnehagen"),
    ] {
        b.make(
            Kind::Note,
            &[
                ("cloth", json!(cloth)),
                ("section", json!(section)),
                ("text", json!(text)),
                ("by", json!(format!("member:{who}"))),
            ],
        );
    }
    for (what, who, due, status) in [
        (
            "Ta kontakt med NAV om gjelden",
            "Familiepartner",
            at(30),
            "done",
        ),
        (
            "Nettverksmøte med besteforeldrene",
            "Linn og familiepartner",
            at(95),
            "done",
        ),
        (
            "Faste leggetider for barna",
            "Linn og Tom",
            at(40),
            "continue",
        ),
    ] {
        b.make(
            Kind::Agreement,
            &[
                ("cloth", json!(cloth)),
                ("what", json!(what)),
                ("who", json!(who)),
                ("due", day(due)),
                ("status", json!(status)),
                ("to_plan", json!(true)),
            ],
        );
    }

    // Rating rounds at the start, 3 and 6 months: Linn and the children rise; Tom answered
    // the first two and then withdrew.
    let adult = duken_domain::rating::builtin_template("voksen")
        .ok_or_else(|| DemoError::Invalid("voksenskjemaet".into()))?;
    let child = duken_domain::rating::builtin()
        .into_iter()
        .find(|t| t.audience == duken_domain::rating::Audience::Child)
        .ok_or_else(|| DemoError::Invalid("barneskjemaet".into()))?;
    let rounds = [("start", at(5)), ("m3", month(3)), ("m6", month(6))];
    for (n, (point, date)) in rounds.iter().enumerate() {
        let round = b.make(
            Kind::Round,
            &[("point", json!(point)), ("date", day(*date))],
        );
        for (who, form, base, step) in [
            (linn, &adult, 3, 2),
            (tom, &adult, 5, 0),
            (emma, &child, 2, 1),
            (jonas, &child, 3, 1),
        ] {
            let form_json =
                serde_json::to_string(form).map_err(|e| DemoError::Invalid(e.to_string()))?;
            for rater in ["member", "partner"] {
                let mut writes: Vec<(String, Value)> = vec![
                    ("round".into(), json!(round)),
                    ("member".into(), json!(who)),
                    ("rater".into(), json!(rater)),
                    ("form".into(), json!(form_json)),
                ];
                if who == tom && n == 2 {
                    writes.push((
                        "skipped".into(),
                        json!("Trakk samtykket og vil ikke ha kontakt med familiepartner"),
                    ));
                } else {
                    writes.push(("submitted".into(), day(*date)));
                    let (min, max) = (i64::from(form.scale.min), i64::from(form.scale.max));
                    for (k, item) in form.items.iter().enumerate() {
                        let score = (base + step * n as i64 + (k as i64 % 3) - 1
                            + i64::from(rater == "partner"))
                        .clamp(min, max);
                        writes.push((format!("score.{}", item.key), json!(score)));
                    }
                }
                let writes: Vec<(&str, Value)> = writes
                    .iter()
                    .map(|(f, v)| (f.as_str(), v.clone()))
                    .collect();
                b.make(Kind::Rating, &writes);
            }
        }
    }

    // A work plan per period, each from the one before.
    let mut previous: Option<Uuid> = None;
    for (period, made, goals, tasks, evaluation) in [
        (
            0u8,
            at(9),
            vec![
                ("short", "Faste rutiner for legging", "reached"),
                ("long", "Oversikt over gjelden", "partly"),
            ],
            vec![
                ("partner", "Ringe NAV sammen med Linn", "done"),
                ("family", "Starte på COS-P", "done"),
            ],
            Some("Rutinene sitter; gjelden er kartlagt, ikke løst."),
        ),
        (
            1u8,
            month(3),
            vec![
                ("short", "Trygg levering og henting", "reached"),
                ("long", "Linn har et nettverk hun kan spørre", "reached"),
            ],
            vec![
                ("partner", "Kjøre til barnehagen tirsdag og torsdag", "done"),
                ("family", "Invitere mormor og morfar", "done"),
            ],
            Some("Barna er tryggere; Linn spør foreldrene om hjelp."),
        ),
        (
            2u8,
            month(6),
            vec![
                ("short", "Førerkort", "partly"),
                ("long", "Egen jobb og bolig nær familien", "partly"),
            ],
            vec![
                ("family", "Ta teoriprøven", "open"),
                (
                    "partner",
                    "Overgang til helsestasjon og skole i ny kommune",
                    "open",
                ),
            ],
            None,
        ),
    ] {
        let plan = b.make(
            Kind::Plan,
            &[
                ("period", json!(period)),
                ("date", day(made)),
                ("present", json!([linn])),
                ("previous", previous.map_or(Value::Null, |p| json!(p))),
                (
                    "evaluated",
                    evaluation.map_or(Value::Null, |_| day(month(3 * (u32::from(period) + 1)))),
                ),
                ("evaluation", evaluation.map_or(Value::Null, |e| json!(e))),
            ],
        );
        for (horizon, text, outcome) in goals {
            b.make(
                Kind::Goal,
                &[
                    ("plan", json!(plan)),
                    ("horizon", json!(horizon)),
                    ("text", json!(text)),
                    (
                        "outcome",
                        if evaluation.is_some() {
                            json!(outcome)
                        } else {
                            Value::Null
                        },
                    ),
                ],
            );
        }
        for (owner, what, status) in tasks {
            b.make(
                Kind::Task,
                &[
                    ("plan", json!(plan)),
                    ("what", json!(what)),
                    ("owner", json!(owner)),
                    ("status", json!(status)),
                ],
            );
        }
        previous = Some(plan);
    }

    // The contact person's evaluations: go on at 3 months, into the closing phase at 6; the
    // monthly case evaluations until now.
    for (number, date, decision, note) in [
        (
            1,
            month(3),
            "continue",
            "Relasjonen er god; Tom har flyttet ut. Arbeidsfasen begynner.",
        ),
        (
            2,
            month(6),
            "closing",
            "Linn er tryggere og har nettverket sitt; avslutningsfasen begynner.",
        ),
    ] {
        b.make(
            Kind::Evaluation,
            &[
                ("number", json!(number)),
                ("date", day(date)),
                ("present", json!([linn])),
                ("decision", json!(decision)),
                ("note", json!(note)),
            ],
        );
    }
    for m in 1..=6u32 {
        b.make(
            Kind::CaseReview,
            &[
                ("date", day(month(m))),
                ("month", json!(m)),
                ("note", json!("Gikk gjennom måneden med kontaktpersonen.")),
            ],
        );
    }

    // The two reports were written outside Duken (before it was used): ticked by hand.
    b.add(
        Kind::Family,
        family,
        &[
            (
                "done.report_1",
                day(month(3).checked_sub_days(Days::new(8)).unwrap_or(intake)),
            ),
            (
                "done.report_2",
                day(month(6).checked_sub_days(Days::new(8)).unwrap_or(intake)),
            ),
        ],
    );
    for c in &b.changes {
        validate_change(c).map_err(|e| DemoError::Invalid(format!("{:?}: {e}", c.kind)))?;
    }
    Ok(b.changes)
}

/// Fills an empty database with the demo team, its users and the case family; returns what
/// to tell the person who ran it.
pub async fn seed(storage: &dyn Storage, today: NaiveDate) -> Result<String, DemoError> {
    if !storage
        .users()
        .await
        .map_err(AccountError::from)?
        .is_empty()
    {
        return Err(DemoError::NotEmpty);
    }
    let partner = accounts::create_user(
        storage,
        "kari",
        "Kari Demo (øvingsbruker)",
        "familiepartner",
        DEMO_PASSWORD,
        Some(DEMO_TEAM),
    )
    .await?;
    accounts::create_user(
        storage,
        "tone",
        "Tone Demo (teamleder)",
        "teamleder",
        DEMO_PASSWORD,
        Some(DEMO_TEAM),
    )
    .await?;
    let contact = accounts::create_user(
        storage,
        "kim",
        "Kim Demo (kontaktperson)",
        "kontaktperson",
        DEMO_PASSWORD,
        None,
    )
    .await?;
    let family = Uuid::now_v7();
    let changes = case_family(today, family)?;
    let pusher = Pusher {
        device: Uuid::now_v7(),
        user_id: partner.id.clone(),
        role: duken_domain::account::Role::Familiepartner,
        team_id: partner.team_id.clone(),
        at: accounts::now(),
    };
    for batch in changes.chunks(500) {
        storage.push(&pusher, batch).await?;
    }
    accounts::grant(storage, family, &contact.username, "reader").await?;
    Ok(format!(
        "Demodata lagt inn ({n} endringer): {DEMO_FAMILY} i {DEMO_TEAM}.\n\
         Logg inn som kari (familiepartner), tone (teamleder) eller kim (kontaktperson), passord: {DEMO_PASSWORD}\n\
         Dette er øvingsdata. Bruk aldri en demodatabase til ekte familier.",
        n = changes.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_family_is_valid_and_as_the_case_tells_it() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let family = Uuid::now_v7();
        let changes = case_family(today, family).expect("valid demo data");
        let count = |k: Kind| changes.iter().filter(|c| c.kind == k).count();
        // One family record: made, then its two reports ticked off by hand.
        assert_eq!(count(Kind::Family), 2);
        assert!(changes
            .iter()
            .filter(|c| c.kind == Kind::Family)
            .all(|c| c.record == family));
        assert_eq!(count(Kind::Member), 4);
        assert_eq!(count(Kind::Meeting), 14);
        assert_eq!(count(Kind::Round), 3);
        assert_eq!(count(Kind::Rating), 3 * 4 * 2);
        assert_eq!(count(Kind::Plan), 3);
        assert!(changes.iter().all(|c| c.family == family));
        // The father withdrew his consent: one consent has a withdrawal.
        let withdrawn = changes
            .iter()
            .filter(|c| c.kind == Kind::Consent)
            .filter(|c| c.writes.iter().any(|w| w.field == "withdrawn"))
            .count();
        assert_eq!(withdrawn, 1);
    }
}
