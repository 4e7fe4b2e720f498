//! The access log (Normen: the person the data is about may see who looked at it): every read
//! and write of a family's data through the API, who did it from which device, chained by hashes
//! so that an altered or removed entry shows.

use std::collections::BTreeMap;

use chrono::DateTime;
use duken_domain::{Change, Kind};

use crate::accounts::now;
use crate::http::Session;
use crate::storage::access_log::{entry_hash, AccessEvent, AccessRow, GENESIS};
use crate::storage::{Storage, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
        }
    }
}

/// Logs what a request did: one entry per family and kind of record, with the count.
pub async fn record(
    storage: &dyn Storage,
    session: &Session,
    changes: &[Change],
    action: Action,
) -> Result<(), StorageError> {
    let mut counts: BTreeMap<(uuid::Uuid, Kind), i64> = BTreeMap::new();
    for c in changes {
        *counts.entry((c.family, c.kind)).or_default() += 1;
    }
    let at = now();
    let events: Vec<AccessEvent> = counts
        .into_iter()
        .map(|((family, kind), count)| AccessEvent {
            at,
            user_id: session.user.id.clone(),
            session_id: session.id.to_string(),
            family_id: family.to_string(),
            kind: kind.as_str().to_owned(),
            action: action.as_str().to_owned(),
            count,
        })
        .collect();
    storage.append_access(&events).await
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("oppføring {seq} er endret eller står på feil plass (hashen stemmer ikke)")]
    Entry { seq: i64 },
    #[error("de siste oppføringene mangler (loggens hode peker på en hash som ikke finnes)")]
    Tail,
}

/// Recomputes the chain. Returns how many entries were checked, or where it breaks.
pub fn verify(entries: &[AccessRow], head: &str) -> Result<usize, Broken> {
    let mut prev = GENESIS.to_owned();
    for e in entries {
        if e.prev_hash != prev || entry_hash(&prev, &e.event()) != e.hash {
            return Err(Broken::Entry { seq: e.seq });
        }
        prev = e.hash.clone();
    }
    if prev != head {
        return Err(Broken::Tail);
    }
    Ok(entries.len())
}

fn noun(kind: &str, count: i64) -> &'static str {
    match duken_domain::Kind::parse(kind) {
        Some(k) => k.noun(count),
        None if count == 1 => "opplysning",
        None => "opplysninger",
    }
}

/// One entry as a sentence a family can read.
pub fn describe(e: &AccessRow, who: &str, device: &str) -> String {
    let when = DateTime::from_timestamp(e.at, 0)
        .map(|t| t.format("%d.%m.%Y kl. %H:%M UTC").to_string())
        .unwrap_or_default();
    let did = if e.action == "write" {
        "endret eller la til"
    } else {
        "hentet"
    };
    format!(
        "{when}: {who} {did} {} {} på enheten «{device}».",
        e.count,
        noun(&e.kind, e.count)
    )
}

/// One family's log as sentences the family can read, oldest first.
pub async fn export(
    storage: &dyn Storage,
    family: uuid::Uuid,
) -> Result<Vec<String>, StorageError> {
    let entries = storage.access_entries(Some(&family.to_string())).await?;
    let mut names = std::collections::HashMap::new();
    let mut devices = std::collections::HashMap::new();
    let mut lines = Vec::with_capacity(entries.len());
    for e in &entries {
        if !names.contains_key(&e.user_id) {
            let who = match storage.user_by_id(&e.user_id).await? {
                Some(u) => {
                    let role = u.role().map_or("ukjent rolle", |r| r.label());
                    format!("{} ({})", u.display_name, role.to_lowercase())
                }
                None => "en slettet bruker".to_owned(),
            };
            names.insert(e.user_id.clone(), who);
            for s in storage.sessions_of(&e.user_id).await? {
                devices.insert(s.id, s.device_name);
            }
        }
        let who = names.get(&e.user_id).map_or("?", String::as_str);
        let device = devices.get(&e.session_id).map_or("ukjent", String::as_str);
        lines.push(describe(e, who, device));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, prev: &str, count: i64) -> AccessRow {
        let e = AccessEvent {
            at: 1_790_000_000 + seq,
            user_id: "u".into(),
            session_id: "s".into(),
            family_id: "f".into(),
            kind: "meeting".into(),
            action: "read".into(),
            count,
        };
        AccessRow {
            seq,
            hash: entry_hash(prev, &e),
            prev_hash: prev.into(),
            at: e.at,
            user_id: e.user_id,
            session_id: e.session_id,
            family_id: e.family_id,
            kind: e.kind,
            action: e.action,
            count: e.count,
        }
    }

    #[test]
    fn a_changed_entry_or_a_cut_tail_breaks_the_chain() {
        let a = row(1, GENESIS, 3);
        let b = row(2, &a.hash, 1);
        let log = vec![a.clone(), b.clone()];
        assert_eq!(verify(&log, &b.hash), Ok(2));
        let mut forged = log.clone();
        forged[0].count = 1;
        assert_eq!(verify(&forged, &b.hash), Err(Broken::Entry { seq: 1 }));
        assert_eq!(verify(&log[..1], &b.hash), Err(Broken::Tail));
        assert!(describe(&a, "Kari", "Nettbrett")
            .ends_with("hentet 3 møtelogger på enheten «Nettbrett»."));
    }
}
