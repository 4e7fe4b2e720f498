//! The IndexedDB layer in a real headless Chromium.

use duken_domain::sync::{Coverage, Cursor};
use duken_domain::{FieldWrite, Kind};
use duken_store::{CryptoError, DataKey, Edit, Store, StoreError};
use serde_json::json;
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn name_edit(family: Uuid, name: &str) -> Edit {
    edit(Kind::Family, family, family, "name", json!(name))
}

/// A local edit setting one field.
fn edit(kind: Kind, record: Uuid, family: Uuid, field: &str, value: serde_json::Value) -> Edit {
    Edit {
        id: Uuid::now_v7(),
        record,
        kind,
        family,
        writes: vec![FieldWrite {
            field: field.into(),
            value,
            base: None,
            resolves: vec![],
        }],
    }
}

/// A change from another device setting one field, as a pull brings it.
fn pulled(
    kind: Kind,
    record: Uuid,
    family: Uuid,
    clock: u64,
    field: &str,
    value: serde_json::Value,
) -> duken_domain::Change {
    let e = edit(kind, record, family, field, value);
    duken_domain::Change {
        id: e.id,
        record,
        kind,
        family,
        clock,
        writes: e.writes,
    }
}

fn db_name() -> String {
    format!("duken-test-{}", Uuid::now_v7())
}

const PASSWORD: &str = "kaffe på kjøkkenbordet";

/// Opens a store and unlocks it with a new data key (as a first login does).
async fn open_unlocked(name: &str) -> Store {
    let store = Store::open(name).await.unwrap();
    let (key, material) = DataKey::create(PASSWORD).unwrap();
    store.set_key_material(&material).await.unwrap();
    store.unlock(key).await;
    store
}

/// Reopens a store and unlocks it with the password, as the lock screen does.
async fn reopen(name: &str) -> Store {
    let store = Store::open(name).await.unwrap();
    let material = store.key_material().await.unwrap().unwrap();
    store
        .unlock(DataKey::unlock(PASSWORD, &material).unwrap())
        .await;
    store
}

#[wasm_bindgen_test]
async fn edit_writes_record_and_outbox_together() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let fam = Uuid::now_v7();
    let (change, record) = store
        .commit(name_edit(fam, "Familien Hansen"))
        .await
        .unwrap();
    assert_eq!(change.clock, 1);
    assert_eq!(record.text("name"), Some("Familien Hansen"));
    assert_eq!(store.record(fam).await.unwrap().as_ref(), Some(&record));
    let outbox = store.outbox(10).await.unwrap();
    assert_eq!(outbox, vec![change.clone()]);

    // An edit that cannot merge (same record id, another family) must leave neither its
    // outbox entry nor any change to the record behind.
    let mut bad = name_edit(fam, "Feil");
    bad.family = Uuid::now_v7();
    assert!(store.commit(bad).await.is_err());
    assert_eq!(
        store.outbox_len().await.unwrap(),
        1,
        "the failed edit's outbox entry rolled back"
    );
    assert_eq!(store.record(fam).await.unwrap().as_ref(), Some(&record));

    store.acknowledge(&[change.id]).await.unwrap();
    assert_eq!(store.outbox_len().await.unwrap(), 0);
    assert_eq!(
        store.record(fam).await.unwrap().as_ref(),
        Some(&record),
        "ack keeps the record"
    );
    store.close();
    Store::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn data_survives_closing_and_reopening() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let meta = store.meta().await.unwrap();
    let fam = Uuid::now_v7();
    let (first, _) = store.commit(name_edit(fam, "Familien Berg")).await.unwrap();
    let mut second = name_edit(fam, "Familien Berg-Lie");
    second.writes[0].base = Some(first.version());
    let (second, _) = store.commit(second).await.unwrap();
    store.close();

    let store = reopen(&name).await;
    assert_eq!(store.setting("user").await.unwrap(), None);
    store
        .set_setting("user", Some("{\"name\":\"kari\"}"))
        .await
        .unwrap();
    let again = store.meta().await.unwrap();
    assert_eq!(again.device, meta.device, "device id is kept");
    assert_eq!(again.clock, 2, "clock is kept");
    let records = store.all_records().await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].text("name"), Some("Familien Berg-Lie"));
    assert_eq!(
        records[0].fields["name"].history().len(),
        1,
        "old value stays in history"
    );
    let ids: Vec<Uuid> = store
        .outbox(10)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        ids,
        vec![first.id, second.id],
        "outbox keeps creation order"
    );
    store.close();
    let store = reopen(&name).await;
    assert_eq!(
        store.setting("user").await.unwrap().as_deref(),
        Some("{\"name\":\"kari\"}")
    );
    store.set_setting("user", None).await.unwrap();
    assert_eq!(store.setting("user").await.unwrap(), None);
    store.close();
    Store::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn pulled_page_merges_tracks_conflicts_and_moves_cursor() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let fam = Uuid::now_v7();
    let (mine, _) = store.commit(name_edit(fam, "Hansen")).await.unwrap();
    // Another device edited the same field concurrently, with a higher clock.
    let theirs = duken_domain::Change {
        id: Uuid::now_v7(),
        record: fam,
        kind: Kind::Family,
        family: fam,
        clock: 5,
        writes: vec![FieldWrite {
            field: "name".into(),
            value: json!("Hansen-Berg"),
            base: None,
            resolves: vec![],
        }],
    };
    let touched = store
        .apply_pulled(
            &[theirs.clone(), mine.clone(), theirs.clone()],
            Some(Cursor {
                seq: 42,
                at: Some(theirs.id),
            }),
        )
        .await
        .unwrap();
    assert_eq!(touched.len(), 1);
    let meta = store.meta().await.unwrap();
    assert_eq!(
        (meta.cursor.seq, meta.cursor.at, meta.clock),
        (42, Some(theirs.id), 5)
    );
    let rec = store.record(fam).await.unwrap().unwrap();
    assert_eq!(rec.text("name"), Some("Hansen-Berg"));
    assert_eq!(rec.fields["name"].conflicts().len(), 1);
    assert_eq!(store.conflicted().await.unwrap(), vec![fam]);

    // A pulled write that settles both versions takes the record off the conflict list.
    let settled = duken_domain::Change {
        id: Uuid::now_v7(),
        record: fam,
        kind: Kind::Family,
        family: fam,
        clock: 7,
        writes: vec![FieldWrite {
            field: "name".into(),
            value: json!("Hansen"),
            base: None,
            resolves: vec![
                duken_domain::Version {
                    clock: mine.clock,
                    change: mine.id,
                },
                duken_domain::Version {
                    clock: theirs.clock,
                    change: theirs.id,
                },
            ],
        }],
    };
    store.apply_pulled(&[settled], None).await.unwrap();
    let rec = store.record(fam).await.unwrap().unwrap();
    assert_eq!(rec.text("name"), Some("Hansen"));
    assert!(!rec.has_conflicts());
    assert_eq!(store.conflicted().await.unwrap(), Vec::<Uuid>::new());
    store.close();
    Store::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn locked_store_reads_nothing_and_the_wrong_password_opens_nothing() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let fam = Uuid::now_v7();
    store.commit(name_edit(fam, "Familien Vik")).await.unwrap();
    store.lock();
    assert!(matches!(
        store.all_records().await,
        Err(StoreError::Crypto(CryptoError::Locked))
    ));
    assert!(matches!(
        store.commit(name_edit(fam, "X")).await,
        Err(StoreError::Crypto(CryptoError::Locked))
    ));
    let material = store.key_material().await.unwrap().unwrap();
    assert!(matches!(
        DataKey::unlock("feil passord her", &material),
        Err(CryptoError::WrongPassword)
    ));
    store
        .unlock(DataKey::unlock(PASSWORD, &material).unwrap())
        .await;
    assert_eq!(
        store.all_records().await.unwrap()[0].text("name"),
        Some("Familien Vik")
    );
    // Sealed values carry a fresh nonce each time: the same text never looks the same twice.
    let key = DataKey::unlock(PASSWORD, &material).unwrap();
    let (a, b) = (
        key.seal("Familien Vik").unwrap(),
        key.seal("Familien Vik").unwrap(),
    );
    assert_ne!(a, b);
    assert!(!a.contains("Vik"));
    store.close();
    Store::delete(&name).await.unwrap();
}

/// The app stamps an edit before writing it (so it shows at once): the clock must still be
/// above everything this device has seen, after pulls and after a reopen.
#[wasm_bindgen_test]
async fn stamped_edits_stay_above_everything_seen() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let fam = Uuid::now_v7();
    let pulled = duken_domain::Change {
        id: Uuid::now_v7(),
        record: fam,
        kind: Kind::Family,
        family: fam,
        clock: 40,
        writes: vec![FieldWrite {
            field: "name".into(),
            value: json!("Hansen"),
            base: None,
            resolves: vec![],
        }],
    };
    store
        .apply_pulled(&[pulled], Some(Cursor { seq: 1, at: None }))
        .await
        .unwrap();
    let seen = store.record(fam).await.unwrap().unwrap();
    let mut edit = name_edit(fam, "Hansen-Berg");
    edit.writes[0].base = seen.version_of("name");
    let change = store.stamp(edit, Some(&seen));
    assert_eq!(change.clock, 41, "above the pulled write");
    let stored = store.commit_change(&change).await.unwrap();
    assert_eq!(stored.text("name"), Some("Hansen-Berg"));
    assert!(
        stored.fields["name"].conflicts().is_empty(),
        "a replacement, not a conflict"
    );
    assert_eq!(store.meta().await.unwrap().clock, 41);
    store.close();

    // A reopened store carries on from the stored clock, even for an edit of a new record.
    let store = reopen(&name).await;
    let other = Uuid::now_v7();
    let change = store.stamp(name_edit(other, "Olsen"), None);
    assert_eq!(change.clock, 42);
    store.commit_change(&change).await.unwrap();
    assert_eq!(store.outbox(10).await.unwrap().len(), 2);
    store.close();
    Store::delete(&name).await.unwrap();
}

/// A change the server refused for good is set aside, not lost and not blocking: it leaves the
/// outbox with its reason, survives a reopen, can be sent again, or discarded on purpose, which
/// takes its writes out of the record. A cursor reset keeps all of it.
#[wasm_bindgen_test]
async fn refused_changes_are_held_then_released_or_discarded() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let fam = Uuid::now_v7();
    let (first, _) = store.commit(name_edit(fam, "Familien Moe")).await.unwrap();
    let mut second = name_edit(fam, "Familien Moe-Vik");
    second.writes[0].base = Some(first.version());
    let (second, _) = store.commit(second).await.unwrap();
    let (third, _) = store.commit(name_edit(fam, "Familien Vik")).await.unwrap();
    assert_eq!(store.outbox_len().await.unwrap(), 3);

    let moved = store
        .hold(&[
            (second.id, "endring 2: for lang".into()),
            (Uuid::now_v7(), "finnes ikke".into()),
        ])
        .await
        .unwrap();
    assert_eq!(moved, 1);
    let outbox: Vec<Uuid> = store
        .outbox(10)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(outbox, vec![first.id, third.id], "the rest still goes");
    store.set_coverage(&Coverage::default()).await.unwrap();
    store.reset_cursor().await.unwrap();
    store.close();

    let store = reopen(&name).await;
    let held = store.held().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].change, second);
    assert_eq!(held[0].reason, "endring 2: for lang");
    assert_eq!(store.meta().await.unwrap().cursor, Cursor::default());

    store.release(second.id).await.unwrap();
    assert_eq!(store.held_len().await.unwrap(), 0);
    assert_eq!(store.outbox_len().await.unwrap(), 3);

    store.hold(&[(third.id, "avvist".into())]).await.unwrap();
    let record = store
        .discard(third.id)
        .await
        .unwrap()
        .expect("record stays");
    assert!(!record.change_ids().contains(&third.id));
    assert_eq!(record.text("name"), Some("Familien Moe-Vik"));
    assert_eq!(store.record(fam).await.unwrap(), Some(record));
    assert_eq!(store.held_len().await.unwrap(), 0);
    assert_eq!(store.outbox_len().await.unwrap(), 2);
    store.close();
    Store::delete(&name).await.unwrap();
}

/// A password change re-wraps the data key: the records stay sealed as they were, the new
/// password opens them after a reopen (offline, no server), the old one no longer does.
#[wasm_bindgen_test]
async fn a_new_password_rewraps_the_key_and_the_old_one_stops_working() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let fam = Uuid::now_v7();
    store
        .commit(name_edit(fam, "Familien Hansen"))
        .await
        .unwrap();
    let material = store.key_material().await.unwrap().unwrap();
    assert!(matches!(
        DataKey::rewrap("feil passord", "nytt passord her", &material),
        Err(CryptoError::WrongPassword)
    ));
    let new = DataKey::rewrap(PASSWORD, "et helt nytt passord", &material).unwrap();
    assert_ne!(new.salt, material.salt);
    store.set_key_material(&new).await.unwrap();
    store.close();

    let store = Store::open(&name).await.unwrap();
    let stored = store.key_material().await.unwrap().unwrap();
    assert!(matches!(
        DataKey::unlock(PASSWORD, &stored),
        Err(CryptoError::WrongPassword)
    ));
    store
        .unlock(DataKey::unlock("et helt nytt passord", &stored).unwrap())
        .await;
    assert_eq!(
        store
            .record(fam)
            .await
            .unwrap()
            .and_then(|r| r.text("name").map(str::to_owned)),
        Some("Familien Hansen".to_owned())
    );
    store.close();
    Store::delete(&name).await.unwrap();
}

/// Unlocking opens every record at once in WebCrypto: it must read exactly what the software
/// cipher sealed (same AES-GCM layout), keep the order, and refuse a value that was altered.
#[wasm_bindgen_test]
async fn webcrypto_opens_what_the_software_cipher_sealed() {
    let (soft, material) = DataKey::create(PASSWORD).unwrap();
    let mut fast = DataKey::unlock(PASSWORD, &material).unwrap();
    fast.speed_up().await;
    let texts: Vec<String> = (0..300)
        .map(|i| format!("møte {i}: {}", "æøå ".repeat(i % 40)))
        .collect();
    let sealed: Vec<String> = texts.iter().map(|t| soft.seal(t).unwrap()).collect();
    let opened = fast.open_many(&sealed).await.unwrap();
    assert_eq!(opened.len(), texts.len());
    for (plain, text) in opened.iter().zip(&texts) {
        assert_eq!(std::str::from_utf8(plain).unwrap(), text);
    }
    // The same values open one by one in software too (the path without WebCrypto).
    assert_eq!(
        soft.open_many(&sealed[..5]).await.unwrap()[4].as_slice(),
        texts[4].as_bytes()
    );
    // One flipped character in one value of many: nothing is returned.
    let mut altered = sealed.clone();
    let mut bytes = altered[150].clone().into_bytes();
    let at = bytes.len() - 5;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    altered[150] = String::from_utf8(bytes).unwrap();
    assert!(matches!(
        fast.open_many(&altered).await,
        Err(CryptoError::Damaged)
    ));
    // Another key does not open them.
    let (mut other, _) = DataKey::create("et annet passord her").unwrap();
    other.speed_up().await;
    assert!(other.open_many(&sealed[..3]).await.is_err());
}

fn ids(records: &[duken_domain::Record]) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    ids.sort();
    ids
}

#[wasm_bindgen_test]
async fn the_family_list_is_read_first_and_kept_by_every_write() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    store.commit(name_edit(a, "Familien Berg")).await.unwrap();
    store
        .commit(edit(
            Kind::Meeting,
            Uuid::now_v7(),
            a,
            "date",
            json!("2026-12-01"),
        ))
        .await
        .unwrap();
    // No list before the first full read: everything is read first.
    assert_eq!(store.front_records().await.unwrap(), None);

    let seen = std::cell::RefCell::new(Vec::new());
    let all = store
        .all_records_with(|done, total| seen.borrow_mut().push((done, total)))
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        seen.borrow().last(),
        Some(&(2, 2)),
        "progress ends at the total"
    );
    store.keep_front(&all).await.unwrap();
    let front = store.front_records().await.unwrap().unwrap();
    assert_eq!(ids(&front), vec![a], "the family, not its meeting");

    // A family made here and one pulled from the server (with a member and a meeting) join
    // the list in the transaction that stores them.
    store.commit(name_edit(b, "Familien Dahl")).await.unwrap();
    let member = Uuid::now_v7();
    let pulled = [
        (Kind::Family, c, "name", json!("Familien Lie")),
        (Kind::Member, member, "name", json!("Ola")),
        (Kind::Meeting, Uuid::now_v7(), "date", json!("2026-11-30")),
    ]
    .map(|(kind, record, field, value)| pulled(kind, record, c, 9, field, value));
    store.apply_pulled(&pulled, None).await.unwrap();
    let mut want = vec![a, b, c, member];
    want.sort();
    let front = store.front_records().await.unwrap().unwrap();
    assert_eq!(ids(&front), want);
    assert_eq!(
        front
            .iter()
            .find(|r| r.id == c)
            .and_then(|r| r.text("name")),
        Some("Familien Lie"),
        "read as stored"
    );

    // The list survives closing and reopening, and says nothing while locked.
    store.close();
    let store = reopen(&name).await;
    assert_eq!(ids(&store.front_records().await.unwrap().unwrap()), want);
    assert_eq!(store.all_records().await.unwrap().len(), 6);
    store.lock();
    assert!(matches!(
        store.front_records().await,
        Err(StoreError::Crypto(CryptoError::Locked))
    ));
    store.close();
    Store::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_big_pulled_page_merges_into_the_records_already_here() {
    let name = db_name();
    let store = open_unlocked(&name).await;
    let fam = Uuid::now_v7();
    // Ten meetings written here, then a page of 100 changes (more than a small page): ninety
    // new meetings and a second field for each of the ten.
    let mut mine = Vec::new();
    for i in 0..10 {
        let id = Uuid::now_v7();
        store
            .commit(edit(
                Kind::Meeting,
                id,
                fam,
                "note",
                json!(format!("her {i}")),
            ))
            .await
            .unwrap();
        mine.push(id);
    }
    let change = |record, field, value| pulled(Kind::Meeting, record, fam, 3, field, value);
    let mut page: Vec<_> = (0..90)
        .map(|i| change(Uuid::now_v7(), "note", json!(format!("der {i}"))))
        .collect();
    page.extend(
        mine.iter()
            .map(|id| change(*id, "date", json!("2026-12-01"))),
    );
    let touched = store.apply_pulled(&page, None).await.unwrap();
    assert_eq!(touched.len(), 100);
    for (i, id) in mine.iter().enumerate() {
        let r = store.record(*id).await.unwrap().unwrap();
        assert_eq!(
            r.text("note"),
            Some(format!("her {i}").as_str()),
            "kept what was here"
        );
        assert_eq!(
            r.text("date"),
            Some("2026-12-01"),
            "and took the pulled field"
        );
    }
    assert_eq!(store.all_records().await.unwrap().len(), 100);
    store.close();
    Store::delete(&name).await.unwrap();
}
