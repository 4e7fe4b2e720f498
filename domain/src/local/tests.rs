//! `save` against the in-memory store: what the screen shows, what the disk holds and what
//! waits to be sent, after each kind of edit and each way it can fail.

use serde_json::{json, Value};
use uuid::Uuid;

use super::*;
use crate::memory::{block_on, Device, Screen};

fn write(field: &str, value: Value, base: Option<&Record>) -> FieldWrite {
    FieldWrite {
        field: field.to_owned(),
        value,
        base: base.and_then(|r| r.version_of(field)),
        resolves: vec![],
    }
}

fn edit(record: Uuid, family: Uuid, writes: Vec<FieldWrite>) -> Edit {
    Edit {
        id: Uuid::now_v7(),
        record,
        kind: Kind::Meeting,
        family,
        writes,
    }
}

#[test]
fn an_edit_is_on_screen_on_disk_and_waiting_to_be_sent() {
    let (device, screen) = (Device::default(), Screen::default());
    let (meeting, family) = (Uuid::now_v7(), Uuid::now_v7());
    let e = edit(
        meeting,
        family,
        vec![write("note", json!("Godt møte"), None)],
    );
    let change_id = e.id;
    let stored = block_on(save(&device, &screen, e, Ok(())))
        .expect("saved")
        .expect("a record");
    assert_eq!(stored.text("note"), Some("Godt møte"));
    assert_eq!(screen.record(meeting), Some(stored.clone()));
    let disk = device.disk.borrow();
    assert_eq!(disk.records.get(&meeting), Some(&stored));
    assert_eq!(
        disk.outbox.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![change_id]
    );
}

#[test]
fn a_later_edit_gets_a_higher_clock_than_what_it_replaces() {
    let (device, screen) = (Device::default(), Screen::default());
    let (meeting, family) = (Uuid::now_v7(), Uuid::now_v7());
    // The record came from another device with a high clock.
    let theirs = Change {
        id: Uuid::now_v7(),
        record: meeting,
        kind: Kind::Meeting,
        family,
        clock: 40,
        writes: vec![write("note", json!("Fra nettbrettet"), None)],
    };
    let mut seen = Record::new(meeting, Kind::Meeting, family);
    seen.apply(&theirs).expect("applies");
    screen.absorb(vec![seen.clone()]);
    device
        .disk
        .borrow_mut()
        .records
        .insert(meeting, seen.clone());
    let e = edit(
        meeting,
        family,
        vec![write("note", json!("Rettet"), Some(&seen))],
    );
    let stored = block_on(save(&device, &screen, e, Ok(())))
        .expect("saved")
        .expect("a record");
    assert_eq!(stored.text("note"), Some("Rettet"), "the edit wins");
    assert!(!stored.has_conflicts(), "it replaced what it saw");
    assert!(device.disk.borrow().outbox[0].clock > 40);
}

#[test]
fn a_bad_value_is_refused_and_nothing_is_written() {
    let (device, screen) = (Device::default(), Screen::default());
    let (meeting, family) = (Uuid::now_v7(), Uuid::now_v7());
    let e = edit(
        meeting,
        family,
        vec![write("date", json!("31.12.2026"), None)],
    );
    let err = block_on(save(&device, &screen, e, Ok(()))).expect_err("refused");
    assert!(matches!(err, SaveError::Invalid(_)), "{err}");
    assert!(screen.record(meeting).is_none());
    assert!(device.disk.borrow().records.is_empty());
    assert!(device.disk.borrow().outbox.is_empty());
}

#[test]
fn an_edit_the_server_would_refuse_for_access_is_refused_here() {
    let (device, screen) = (Device::default(), Screen::default());
    let (meeting, family) = (Uuid::now_v7(), Uuid::now_v7());
    for (denied, words) in [
        (Denied::ReadOnly, "lesetilgang"),
        (Denied::NoAccess, "ikke lenger tilgang"),
    ] {
        let e = edit(meeting, family, vec![write("note", json!("Ny"), None)]);
        let err = block_on(save(&device, &screen, e, Err(denied))).expect_err("refused");
        assert!(err.to_string().contains(words), "{err}");
    }
    assert!(screen.record(meeting).is_none());
    assert!(device.disk.borrow().outbox.is_empty());
}

#[test]
fn when_the_disk_refuses_the_screen_goes_back_to_what_the_disk_holds() {
    let (device, screen) = (Device::default(), Screen::default());
    let (meeting, family) = (Uuid::now_v7(), Uuid::now_v7());
    let first = edit(meeting, family, vec![write("note", json!("Lagret"), None)]);
    let stored = block_on(save(&device, &screen, first, Ok(())))
        .expect("saved")
        .expect("a record");

    device.failing.set(true);
    let second = edit(
        meeting,
        family,
        vec![write("note", json!("Ikke lagret"), Some(&stored))],
    );
    let err = block_on(save(&device, &screen, second, Ok(()))).expect_err("disk full");
    assert!(matches!(err, SaveError::Store(_)), "{err}");
    assert_eq!(
        screen.record(meeting).as_ref().and_then(|r| r.text("note")),
        Some("Lagret")
    );
    assert_eq!(device.disk.borrow().outbox.len(), 1, "only the first waits");

    // A new record the disk refused is not left on screen.
    let other = Uuid::now_v7();
    let new = edit(other, family, vec![write("note", json!("Borte"), None)]);
    assert!(block_on(save(&device, &screen, new, Ok(()))).is_err());
    assert!(screen.record(other).is_none());
}

#[test]
fn an_untouched_form_writes_nothing() {
    let (device, screen) = (Device::default(), Screen::default());
    let e = edit(Uuid::now_v7(), Uuid::now_v7(), vec![]);
    assert_eq!(
        block_on(save(&device, &screen, e, Err(Denied::NoAccess))).ok(),
        Some(None)
    );
    assert!(device.disk.borrow().outbox.is_empty());
}
