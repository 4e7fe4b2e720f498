//! What `docs/sync-protocol.md` promises under concurrency and after accidents: a retried push,
//! two devices and two teams racing for one new family, a grant in the middle of a sync, a
//! reused change id, a record taking its family's id, a server restored from a backup. On
//! SQLite and PostgreSQL, against the real server; the reader's device runs the domain's pull
//! driver, the same code as the app.

#[macro_use]
mod common;

use std::collections::BTreeSet;

use common::device::Device;
use common::{change, family_change, login_session, meeting_change, Backend, TestServer, PASSWORD};
use duken_domain::{Change, Kind};
use duken_server::accounts;
use serde_json::{json, Value};
use uuid::Uuid;

on_both!(
    the_same_new_family_batch_twice_at_once_is_stored_once,
    two_devices_of_one_partner_register_a_family_at_once,
    two_teams_racing_for_one_family_id_get_200_and_403,
    a_record_taking_its_familys_id_is_refused,
    a_reused_change_id_with_other_content_is_refused,
    refusals_name_the_changes_they_are_about,
    pull_limits_are_bounds,
    a_family_granted_after_the_cursor_passed_it_arrives_whole,
    a_grant_in_the_middle_of_concurrent_pushes_loses_nothing,
    a_cursor_from_before_a_restore_is_detected_and_healed,
    two_devices_running_their_rounds_at_once_end_alike,
);

async fn push_as(s: &TestServer, token: &str, changes: &[Change]) -> (u16, Value) {
    let res = s
        .client
        .post(s.url("/push"))
        .bearer_auth(token)
        .json(&json!({ "protocol": 1, "changes": changes }))
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.expect("json"))
}

async fn user(s: &TestServer, name: &str, role: &str, team: Option<&str>) -> String {
    accounts::create_user(s.storage.as_ref(), name, name, role, PASSWORD, team)
        .await
        .expect("user");
    login_session(s.storage.as_ref(), name).await
}

fn member(family: Uuid, name: &str) -> Change {
    change(
        Kind::Member,
        family,
        Uuid::now_v7(),
        &[("name", json!(name))],
    )
}

/// A partner's phone and tablet, each with edits made offline (a family registered on the
/// phone, meetings in it from both, one change in another team's family), run the sync round
/// the app runs at the same moment, three times. Every change is stored once, the one the
/// server refuses for good is set aside on its device with the server's words (not sent again,
/// not lost), and both devices end holding the same records.
async fn two_devices_running_their_rounds_at_once_end_alike(b: Backend) {
    let s = TestServer::start(b).await;
    let other_team = user(&s, "annen", "familiepartner", Some("Team B")).await;
    let theirs = Uuid::now_v7();
    assert_eq!(
        push_as(
            &s,
            &other_team,
            &[family_change(theirs, 1, "Familien Berg")]
        )
        .await
        .0,
        200
    );
    let base = s.base.clone();
    let phone = Device::new(&base, &s.token);
    let tablet = Device::new(&base, &login_session(s.storage.as_ref(), "partner").await);
    let fam = Uuid::now_v7();
    let mut made = vec![family_change(fam, 1, "Familien Lie")];
    made.extend((0..700).map(|i| meeting_change(fam, "note", json!(format!("telefon {i}")))));
    phone.make(&made).expect("phone edits");
    let from_tablet: Vec<Change> = (0..300)
        .map(|i| meeting_change(fam, "note", json!(format!("nettbrett {i}"))))
        .collect();
    let stray = meeting_change(theirs, "note", json!("i feil familie"));
    tablet.make(&from_tablet).expect("tablet edits");
    tablet
        .make(std::slice::from_ref(&stray))
        .expect("tablet edit");
    for _ in 0..3 {
        let (p, t) = tokio::join!(phone.round(), tablet.round());
        // A round may fail while the other device has not registered the family yet; the
        // outbox keeps what was not acknowledged and the next round sends it.
        let _ = (p, t);
    }
    let (p, t) = tokio::join!(phone.round(), tablet.round());
    assert!(p.is_ok() && t.is_ok(), "{p:?} / {t:?}");
    for d in [&phone, &tablet] {
        assert!(d.held.borrow().outbox.is_empty(), "nothing left waiting");
    }
    let refused = tablet.held.borrow().refused.clone();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].0.id, stray.id);
    assert!(!refused[0].1.is_empty(), "with the server's words");
    let on_server = s.pull_all().await;
    let unique: BTreeSet<Uuid> = on_server.iter().copied().collect();
    assert_eq!(on_server.len(), unique.len(), "each change stored once");
    let sent: BTreeSet<Uuid> = made.iter().chain(&from_tablet).map(|c| c.id).collect();
    assert_eq!(unique, sent);
    let records = |d: &Device| {
        let mut r: Vec<_> = d
            .held
            .borrow()
            .records
            .values()
            .filter(|r| r.family == fam)
            .cloned()
            .collect();
        r.sort_by_key(|r| r.id);
        r
    };
    assert_eq!(
        records(&phone),
        records(&tablet),
        "both devices hold the same"
    );
    assert_eq!(records(&phone).len(), 1001);
}

/// A device that timed out retries: the same batch twice, at once. Both answers are 200, the
/// batch is stored once.
async fn the_same_new_family_batch_twice_at_once_is_stored_once(b: Backend) {
    let s = TestServer::start(b).await;
    for round in 0..20 {
        let fam = Uuid::now_v7();
        let batch = vec![
            family_change(fam, 1, &format!("Familie {round}")),
            member(fam, "Lars"),
        ];
        let (a, b2) = tokio::join!(push_as(&s, &s.token, &batch), push_as(&s, &s.token, &batch));
        assert_eq!((a.0, b2.0), (200, 200), "round {round}: {} / {}", a.1, b2.1);
        let stored = a.1["stored"].as_u64().unwrap_or(9) + b2.1["stored"].as_u64().unwrap_or(9);
        assert_eq!(stored, 2, "round {round}: stored once in all");
    }
    assert_eq!(s.pull_all().await.len(), 40);
}

/// Two devices of one partner: one pushes the new family, the other a member of it, at once.
async fn two_devices_of_one_partner_register_a_family_at_once(b: Backend) {
    let s = TestServer::start(b).await;
    let second = login_session(s.storage.as_ref(), "partner").await;
    for round in 0..20 {
        let fam = Uuid::now_v7();
        let (first, other) = (
            [family_change(fam, 1, "Familien Dahl")],
            [member(fam, "Siri")],
        );
        let (a, b2) = tokio::join!(push_as(&s, &s.token, &first), push_as(&s, &second, &other));
        assert_eq!((a.0, b2.0), (200, 200), "round {round}: {} / {}", a.1, b2.1);
    }
    assert_eq!(s.pull_all().await.len(), 40);
}

/// Two partners of different teams name one new family id at once: one registers it, the
/// other is refused (403), and nothing of the refused push is stored.
async fn two_teams_racing_for_one_family_id_get_200_and_403(b: Backend) {
    let s = TestServer::start(b).await;
    let a = user(&s, "pa", "familiepartner", Some("Team A")).await;
    let bb = user(&s, "pb", "familiepartner", Some("Team B")).await;
    for round in 0..20 {
        let fam = Uuid::now_v7();
        let from_a = [family_change(fam, 1, "Fra A")];
        let from_b = [family_change(fam, 1, "Fra B")];
        let (ra, rb) = tokio::join!(push_as(&s, &a, &from_a), push_as(&s, &bb, &from_b));
        let mut got = [ra.0, rb.0];
        got.sort_unstable();
        assert_eq!(got, [200, 403], "round {round}: {} / {}", ra.1, rb.1);
        let loser = if ra.0 == 403 { &ra.1 } else { &rb.1 };
        assert_eq!(loser["error"], "forbidden", "{loser}");
        let winner_change = if ra.0 == 200 {
            from_a[0].id
        } else {
            from_b[0].id
        };
        let loser_change = if ra.0 == 200 {
            from_b[0].id
        } else {
            from_a[0].id
        };
        let winner = if ra.0 == 200 { &a } else { &bb };
        let (_, page) = s
            .get_as(winner, &format!("/pull?since=0&family={fam}"))
            .await;
        let ids: Vec<&str> = page["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter_map(|c| c["id"].as_str())
            .collect();
        assert_eq!(ids, vec![winner_change.to_string()], "round {round}");
        assert!(!ids.contains(&loser_change.to_string().as_str()));
    }
}

/// A member with its family's id would take the family's identity, and the family's own
/// record would be refused for ever after: refused at validation.
async fn a_record_taking_its_familys_id_is_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let thief = change(Kind::Member, fam, fam, &[("name", json!("Lars"))]);
    let (status, body) = s.push(std::slice::from_ref(&thief)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["refused"][0]["change"], thief.id.to_string(), "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("samme id som familien"),
        "{body}"
    );
    // The family itself still goes through.
    let (status, body) = s.push(&[family_change(fam, 1, "Familien Berg")]).await;
    assert_eq!(status, 200, "{body}");
}

/// Acknowledge only what is stored: a change id stored earlier with other content is refused
/// (409), and the stored change stays as it was.
async fn a_reused_change_id_with_other_content_is_refused(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let first = family_change(fam, 1, "Familien Lie");
    assert_eq!(s.push(std::slice::from_ref(&first)).await.0, 200);
    let mut other = family_change(fam, 2, "Familien Lie-Hansen");
    other.id = first.id;
    let (status, body) = s.push(std::slice::from_ref(&other)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "change_id_reused");
    assert_eq!(body["refused"][0]["change"], first.id.to_string());
    // The very same change again is still a harmless retry.
    let (status, body) = s.push(std::slice::from_ref(&first)).await;
    assert_eq!((status, body["stored"].clone()), (200, json!(0)), "{body}");
    let (_, page) = s.pull(0, 10).await;
    let got: Vec<Change> = serde_json::from_value(page["changes"].clone()).expect("changes");
    assert_eq!(got, vec![first]);
}

/// The device sets aside exactly what a refusal names: every bad change of a batch (422),
/// every change of a family it may not write (403).
async fn refusals_name_the_changes_they_are_about(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let good = family_change(fam, 1, "Familien Moe");
    let bad1 = meeting_change(fam, "duration_minutes", json!("en time"));
    let bad2 = meeting_change(fam, "themes", json!("økonomi"));
    let (status, body) = s.push(&[good.clone(), bad1.clone(), bad2.clone()]).await;
    assert_eq!(status, 422, "{body}");
    let named: Vec<&str> = body["refused"]
        .as_array()
        .expect("refused")
        .iter()
        .filter_map(|r| r["change"].as_str())
        .collect();
    assert_eq!(named, vec![bad1.id.to_string(), bad2.id.to_string()]);
    assert!(body["refused"][1]["message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("endring 3:"));
    assert_eq!(s.push(std::slice::from_ref(&good)).await.0, 200);

    // Another team's family in the batch: its changes are named, the own family's are not.
    let other = user(&s, "pb", "familiepartner", Some("Team B")).await;
    let theirs = Uuid::now_v7();
    assert_eq!(
        push_as(&s, &other, &[family_change(theirs, 1, "Familien Vik")])
            .await
            .0,
        200
    );
    let mine = meeting_change(fam, "note", json!("egen"));
    let intrude = [
        meeting_change(theirs, "note", json!("fremmed 1")),
        meeting_change(theirs, "note", json!("fremmed 2")),
    ];
    let (status, body) = s
        .push(&[mine.clone(), intrude[0].clone(), intrude[1].clone()])
        .await;
    assert_eq!(status, 403, "{body}");
    let named: BTreeSet<String> = body["refused"]
        .as_array()
        .expect("refused")
        .iter()
        .filter_map(|r| r["change"].as_str().map(str::to_owned))
        .collect();
    let want: BTreeSet<String> = intrude.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(named, want);
}

async fn pull_limits_are_bounds(b: Backend) {
    let s = TestServer::start(b).await;
    assert_eq!(
        s.push(&[family_change(Uuid::now_v7(), 1, "F")]).await.0,
        200
    );
    for limit in [0, 1001] {
        let (status, body) = s.pull(0, limit).await;
        assert_eq!(status, 400, "limit={limit}: {body}");
        assert_eq!(body["error"], "bad_request");
    }
    let (status, body) = s.pull(0, 1).await;
    assert_eq!(status, 200);
    assert_eq!(body["changes"].as_array().map(Vec::len), Some(1));
}

/// The reproducer: partner A pushes F5 with a member; reader K pulls to the end; F5 is granted
/// to K; A pushes a meeting. K's next sync must bring the family record and the member too.
async fn a_family_granted_after_the_cursor_passed_it_arrives_whole(b: Backend) {
    let s = TestServer::start(b).await;
    let a = user(&s, "pa", "familiepartner", Some("Team A")).await;
    let k = user(&s, "kp", "kontaktperson", None).await;
    let f5 = Uuid::now_v7();
    let early = vec![family_change(f5, 1, "Familien Fem"), member(f5, "Ola")];
    assert_eq!(push_as(&s, &a, &early).await.0, 200);
    // Something K may see, so K's cursor moves past F5's changes.
    let f6 = Uuid::now_v7();
    assert_eq!(
        push_as(&s, &a, &[family_change(f6, 1, "Familien Seks")])
            .await
            .0,
        200
    );
    accounts::grant(s.storage.as_ref(), f6, "kp", "reader")
        .await
        .expect("grant");
    let device = Device::new(&s.base, &k);
    device.sync().await.expect("sync");
    assert!(device.held.borrow().cursor.seq >= 3, "K's cursor passed F5");
    assert!(device.changes_of(f5).is_empty());

    accounts::grant(s.storage.as_ref(), f5, "kp", "reader")
        .await
        .expect("grant");
    let meeting = meeting_change(f5, "note", json!("Første møte"));
    assert_eq!(push_as(&s, &a, std::slice::from_ref(&meeting)).await.0, 200);
    let report = device.sync().await.expect("sync");
    assert_eq!(report.backfilled, vec![f5], "F5 is back-filled");
    let want: BTreeSet<Uuid> = early.iter().chain([&meeting]).map(|c| c.id).collect();
    assert_eq!(device.changes_of(f5), want);
    // Once: the next sync does not fetch it again.
    assert!(device.sync().await.expect("sync").backfilled.is_empty());
    // Revoked; A writes while K may not see; granted again: K gets what it missed.
    accounts::revoke(s.storage.as_ref(), f5, "kp")
        .await
        .expect("revoke");
    let (status, _) = s.get_as(&k, &format!("/pull?since=0&family={f5}")).await;
    assert_eq!(status, 200);
    let gap = meeting_change(f5, "note", json!("Mens K ikke hadde tilgang"));
    assert_eq!(push_as(&s, &a, std::slice::from_ref(&gap)).await.0, 200);
    assert!(device.sync().await.expect("sync").backfilled.is_empty());
    assert!(
        !device.changes_of(f5).contains(&gap.id),
        "not while revoked"
    );
    // The device saw the family leave the listing and forgot its back-fill.
    assert!(!device.held.borrow().coverage.backfilled.contains_key(&f5));
    accounts::grant(s.storage.as_ref(), f5, "kp", "reader")
        .await
        .expect("grant again");
    let report = device.sync().await.expect("sync");
    assert_eq!(report.backfilled, vec![f5]);
    assert!(device.changes_of(f5).contains(&gap.id), "the gap arrives");
    // The listing says what K may do: read.
    let (_, listing) = s.get_as(&k, "/families").await;
    let f5_entry = listing["access"]
        .as_array()
        .expect("access")
        .iter()
        .find(|e| e["family"] == f5.to_string())
        .cloned()
        .expect("F5 listed");
    assert_eq!(f5_entry["access"], "read");
    assert!(f5_entry["history"].as_i64().unwrap_or(0) > 0);
    let (_, own) = s.get_as(&a, "/families").await;
    assert!(own["access"]
        .as_array()
        .expect("access")
        .iter()
        .all(|e| e["access"] == "write" && e["history"] == 0));
}

/// Partner A keeps pushing to F5 (and another family) from two devices while reader K syncs
/// in a loop; F5 is granted to K somewhere in the middle. Whatever the timing, K ends with
/// every change of F5.
async fn a_grant_in_the_middle_of_concurrent_pushes_loses_nothing(b: Backend) {
    let s = TestServer::start(b).await;
    let a1 = user(&s, "pa", "familiepartner", Some("Team A")).await;
    let a2 = login_session(s.storage.as_ref(), "pa").await;
    let k = user(&s, "kp", "kontaktperson", None).await;
    for run in 0..3u32 {
        let (f5, other) = (Uuid::now_v7(), Uuid::now_v7());
        let start = vec![
            family_change(f5, 1, "Familien Fem"),
            member(f5, "Kari"),
            family_change(other, 1, "Familien Annen"),
        ];
        assert_eq!(push_as(&s, &a1, &start).await.0, 200);
        accounts::grant(s.storage.as_ref(), other, "kp", "reader")
            .await
            .expect("grant");
        let device = Device::new(&s.base, &k);
        device.sync().await.expect("first sync");

        let pushers = [a1.clone(), a2.clone()].map(|token| {
            let (base, client) = (s.base.clone(), s.client.clone());
            tokio::spawn(async move {
                for i in 0..30 {
                    let batch: Vec<Change> = (0..5)
                        .map(|j| {
                            let fam = if j % 2 == 0 { f5 } else { other };
                            meeting_change(fam, "note", json!(format!("{i}.{j}")))
                        })
                        .collect();
                    let res = client
                        .post(format!("{base}/push"))
                        .bearer_auth(&token)
                        .json(&json!({ "protocol": 1, "changes": batch }))
                        .send()
                        .await
                        .expect("push");
                    assert_eq!(res.status().as_u16(), 200);
                }
            })
        });
        let granter = {
            let storage = s.storage.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(40 + 60 * u64::from(run)))
                    .await;
                accounts::grant(storage.as_ref(), f5, "kp", "reader")
                    .await
                    .expect("grant");
            })
        };
        // K syncs over and over while the others push and the grant lands.
        let mut rounds = 0;
        while !pushers.iter().all(|p| p.is_finished()) || !granter.is_finished() {
            device.sync().await.expect("sync while pushing");
            rounds += 1;
        }
        for p in pushers {
            p.await.expect("pusher");
        }
        granter.await.expect("granter");
        device.sync().await.expect("last sync");

        let (_, page) = s
            .get_as(&a1, &format!("/pull?since=0&family={f5}&limit=1000"))
            .await;
        let all: BTreeSet<Uuid> = page["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter_map(|c| c["id"].as_str().and_then(|i| Uuid::parse_str(i).ok()))
            .collect();
        assert_eq!(all.len(), 2 + 2 * 30 * 3, "run {run}");
        let held = device.changes_of(f5);
        let missing = all.difference(&held).count();
        assert_eq!(
            missing, 0,
            "run {run}: K missed {missing} of F5's changes ({rounds} rounds)"
        );
        let others = device.changes_of(other).len();
        assert_eq!(others, 1 + 2 * 30 * 2, "run {run}: the other family whole");
    }
}

/// The server is restored from a backup taken before the device's last pull. Restoring is
/// done here as a restore does it: the changes (and record identities) after the backup's
/// point are gone and the sequence is back where it was, so new changes reuse the device's
/// cursor positions. The device must notice, pull everything again, and end with exactly
/// what the server holds, its outbox untouched.
async fn a_cursor_from_before_a_restore_is_detected_and_healed(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let before = vec![family_change(fam, 1, "Familien Ås"), member(fam, "Per")];
    assert_eq!(s.push(&before).await.0, 200);
    let (_, page) = s.pull(0, 10).await;
    let backup_point = page["cursor"].as_i64().expect("cursor");
    let lost = vec![
        meeting_change(fam, "note", json!("etter kopien 1")),
        meeting_change(fam, "note", json!("etter kopien 2")),
    ];
    assert_eq!(s.push(&lost).await.0, 200);
    let device = Device::new(&s.base, &s.token);
    device.sync().await.expect("sync");
    assert_eq!(device.changes_of(fam).len(), 4);
    let ahead = device.held.borrow().cursor;

    // The restore.
    let lost_ids: Vec<String> = lost.iter().map(|c| format!("'{}'", c.record)).collect();
    s.exec_sql(&format!("DELETE FROM changes WHERE seq > {backup_point}"))
        .await
        .expect("delete");
    s.exec_sql(&format!(
        "DELETE FROM records WHERE record_id IN ({})",
        lost_ids.join(",")
    ))
    .await
    .expect("delete records");
    match b {
        Backend::Sqlite => s
            .exec_sql(&format!(
                "UPDATE sqlite_sequence SET seq = {backup_point} WHERE name = 'changes'"
            ))
            .await
            .expect("sequence"),
        Backend::Postgres => s
            .exec_sql(&format!(
                "SELECT setval(pg_get_serial_sequence('changes', 'seq'), {backup_point})"
            ))
            .await
            .expect("sequence"),
    }
    // Written after the restore: they take the seqs the device's cursor has passed.
    let after = vec![
        meeting_change(fam, "note", json!("etter gjenopprettingen 1")),
        meeting_change(fam, "note", json!("etter gjenopprettingen 2")),
        meeting_change(fam, "note", json!("etter gjenopprettingen 3")),
    ];
    assert_eq!(s.push(&after).await.0, 200);

    // The raw answer to the device's cursor.
    let (status, body) = s
        .get_as(
            &s.token,
            &format!(
                "/pull?since={}&after={}",
                ahead.seq,
                ahead.at.expect("cursor stands on a change")
            ),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "cursor_reset");
    // A cursor past the end, without the change it stands on (an older app), too.
    let (status, _) = s.get_as(&s.token, "/pull?since=999999").await;
    assert_eq!(status, 409);

    let report = device.sync().await.expect("sync after restore");
    assert!(report.reset, "the device noticed");
    let held = device.changes_of(fam);
    for c in before.iter().chain(&after) {
        assert!(held.contains(&c.id), "has {}", c.id);
    }
    // The next sync is an ordinary one.
    let again = device.sync().await.expect("sync");
    assert!(!again.reset && again.changes == 0, "{again:?}");
}
