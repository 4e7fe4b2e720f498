//! The access log on SQLite and PostgreSQL: reads and writes leave entries; someone who can
//! write the database but has not the key cannot edit, rewrite or cut it undetected; and the
//! log is readable by exactly those who may read the family, each read logged itself.

#[macro_use]
mod common;

use common::{family_change, login_session, meeting_change, Backend, TestServer, PASSWORD};
use duken_server::accounts;
use duken_server::audit::{self, Broken, VerifyError};
use duken_server::storage::access_log::entry_hash;
use serde_json::json;
use serde_json::Value;
use uuid::Uuid;

on_both!(
    reads_and_writes_are_logged_and_verify,
    an_edited_entry_is_named,
    a_chain_recomputed_with_plain_sha256_is_named,
    a_cut_tail_with_its_head_recomputed_is_named,
    the_log_is_read_by_whoever_may_read_the_family_and_each_read_is_logged,
);

/// Pushes a family with two meetings and pulls them: 4 entries.
async fn some_traffic(s: &TestServer) -> Uuid {
    let fam = Uuid::now_v7();
    let changes = vec![
        family_change(fam, 1, "Familien Lie"),
        meeting_change(fam, "date", json!("2026-11-20")),
        meeting_change(fam, "date", json!("2026-11-21")),
    ];
    assert_eq!(s.push(&changes).await.0, 200);
    assert_eq!(s.pull(0, 100).await.0, 200);
    fam
}

async fn verify(s: &TestServer) -> Result<audit::Verified, Broken> {
    match audit::verify(s.storage.as_ref(), &s.audit).await {
        Ok(v) => Ok(v),
        Err(VerifyError::Broken(b)) => Err(b),
        Err(e) => panic!("verify could not run: {e}"),
    }
}

/// What someone with write access to the database does first: the append-only triggers go.
async fn drop_triggers(s: &TestServer, b: Backend) {
    let sql: &[&str] = match b {
        Backend::Sqlite => &[
            "DROP TRIGGER access_log_no_update",
            "DROP TRIGGER access_log_no_delete",
        ],
        Backend::Postgres => &["DROP TRIGGER access_log_append_only ON access_log"],
    };
    for q in sql {
        s.exec_sql(q).await.expect("drop trigger");
    }
}

/// The writer signs a checkpoint once the log has been quiet for a second.
async fn wait_for_checkpoint() {
    tokio::time::sleep(audit::CHECKPOINT_EVERY + std::time::Duration::from_millis(700)).await;
}

async fn reads_and_writes_are_logged_and_verify(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = some_traffic(&s).await;
    let log = s.access_entries(Some(fam)).await;
    let summary: Vec<(&str, &str, i64)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.kind.as_str(), e.count))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("write", "family", 1),
            ("write", "meeting", 2),
            ("read", "family", 1),
            ("read", "meeting", 2)
        ]
    );
    let user = s
        .storage
        .user_by_username("partner")
        .await
        .expect("q")
        .expect("user");
    let session = s.session_id().await;
    assert!(log
        .iter()
        .all(|e| e.user_id == user.id && e.session_id == session && e.key_id == "1"));
    assert_eq!(verify(&s).await.map(|v| v.entries), Ok(4));
    // The log refuses changes through the database's own rules...
    let sql_update = format!("UPDATE access_log SET count = 1 WHERE seq = {}", log[1].seq);
    assert!(s.exec_sql(&sql_update).await.is_err(), "append-only");
    assert!(
        s.exec_sql("DELETE FROM access_log").await.is_err(),
        "append-only"
    );
    // ...and the key file is not in the database.
    let keys = std::fs::read_to_string(&s.audit.keys).expect("key file");
    assert!(keys.lines().any(|l| l.starts_with("1 ")), "{keys}");
}

async fn an_edited_entry_is_named(b: Backend) {
    let s = TestServer::start(b).await;
    some_traffic(&s).await;
    let all = s.access_entries(None).await;
    drop_triggers(&s, b).await;
    s.exec_sql(&format!(
        "UPDATE access_log SET count = 1 WHERE seq = {}",
        all[1].seq
    ))
    .await
    .expect("tamper");
    assert_eq!(verify(&s).await, Err(Broken::Entry { seq: all[1].seq }));
}

/// Rewrites the whole chain from `from` on as the threat model says an attacker without the key
/// can: plain SHA-256 over the same fields, the head row set to match. `unkeyed`: also marks
/// the entries as from before keys.
async fn recompute_plainly(s: &TestServer, from: usize, unkeyed: bool) {
    let all = s.access_entries(None).await;
    let mut prev = if from == 0 {
        audit_genesis()
    } else {
        all[from - 1].hash.clone()
    };
    for e in &all[from..] {
        let hash = entry_hash(None, &prev, &e.event());
        let key = if unkeyed { "" } else { e.key_id.as_str() };
        s.exec_sql(&format!(
            "UPDATE access_log SET prev_hash = '{prev}', hash = '{hash}', key_id = '{key}' WHERE seq = {}",
            e.seq
        ))
        .await
        .expect("rewrite");
        prev = hash;
    }
    s.exec_sql(&format!(
        "UPDATE access_log_head SET hash = '{prev}' WHERE id = 1"
    ))
    .await
    .expect("head");
}

fn audit_genesis() -> String {
    duken_server::storage::access_log::GENESIS.to_owned()
}

async fn a_chain_recomputed_with_plain_sha256_is_named(b: Backend) {
    let s = TestServer::start(b).await;
    some_traffic(&s).await;
    let all = s.access_entries(None).await;
    drop_triggers(&s, b).await;
    // Edit entry 2 and recompute from there, keeping the key ids.
    s.exec_sql(&format!(
        "UPDATE access_log SET count = 9 WHERE seq = {}",
        all[1].seq
    ))
    .await
    .expect("tamper");
    recompute_plainly(&s, 1, false).await;
    assert_eq!(verify(&s).await, Err(Broken::Entry { seq: all[1].seq }));
    // Recompute the whole log as if it were from before keys.
    recompute_plainly(&s, 0, true).await;
    assert_eq!(verify(&s).await, Err(Broken::Unkeyed { seq: all[0].seq }));
}

async fn a_cut_tail_with_its_head_recomputed_is_named(b: Backend) {
    let s = TestServer::start(b).await;
    some_traffic(&s).await;
    wait_for_checkpoint().await;
    let all = s.access_entries(None).await;
    assert_eq!(all.len(), 4);
    drop_triggers(&s, b).await;
    s.exec_sql(&format!(
        "DELETE FROM access_log WHERE seq >= {}",
        all[2].seq
    ))
    .await
    .expect("cut");
    s.exec_sql(&format!(
        "UPDATE access_log_head SET hash = '{}' WHERE id = 1",
        all[1].hash
    ))
    .await
    .expect("head");
    assert_eq!(verify(&s).await, Err(Broken::Missing { seq: all[3].seq }));
    // An edited checkpoint file is named too.
    let text = std::fs::read_to_string(&s.audit.checkpoints).expect("checkpoints");
    let forged = text.replacen(&all[3].seq.to_string(), &all[1].seq.to_string(), 1);
    std::fs::write(&s.audit.checkpoints, forged).expect("write");
    assert!(
        matches!(verify(&s).await, Err(Broken::Checkpoint { .. })),
        "a checkpoint moved by hand fails its signature"
    );
}

async fn get_log(s: &TestServer, token: &str, fam: Uuid, query: &str) -> (u16, Value) {
    s.get_as(token, &format!("/families/{fam}/access-log{query}"))
        .await
}

async fn the_log_is_read_by_whoever_may_read_the_family_and_each_read_is_logged(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    let mk = |name: &'static str, role: &'static str, team: Option<&'static str>| async move {
        accounts::create_user(st, name, name, role, PASSWORD, team)
            .await
            .expect("user");
        login_session(st, name).await
    };
    let partner = mk("pa", "familiepartner", Some("Nord")).await;
    let other_partner = mk("pb", "familiepartner", Some("Nord")).await;
    let leader = mk("leder", "teamleder", Some("Nord")).await;
    let other_leader = mk("leder2", "teamleder", Some("Sør")).await;
    let contact = mk("kontakt", "kontaktperson", None).await;
    let admin = mk("admin", "admin", None).await;
    let team_admin = mk("admin2", "admin", Some("Nord")).await;
    let granted_admin = mk("admin3", "admin", None).await;
    let fam = Uuid::now_v7();
    let changes = [
        family_change(fam, 1, "Familien Berg"),
        meeting_change(fam, "note", json!("x")),
    ];
    assert_eq!(s.push_as(&partner, &changes).await.0, 200);
    for who in ["kontakt", "admin3", "leder2"] {
        accounts::grant(st, fam, who, "reader")
            .await
            .expect("grant");
    }
    let cases: [(&str, &str, u16); 10] = [
        ("partner", &partner, 200),
        ("another partner of the team", &other_partner, 404),
        ("the team's leader", &leader, 200),
        ("another team's leader, granted", &other_leader, 200),
        ("contact person, granted", &contact, 200),
        ("admin without a team or grant", &admin, 404),
        ("admin in the team, no grant", &team_admin, 404),
        ("admin, granted", &granted_admin, 200),
        ("nobody", "no-such-token", 401),
        ("partner again", &partner, 200),
    ];
    for (who, token, want) in cases {
        let (status, body) = get_log(&s, token, fam, "").await;
        assert_eq!(status, want, "{who}: {body}");
        assert!(body["error"].is_string() || status == 200, "{who}: {body}");
        assert!(
            body["message"].is_string() || status == 200,
            "{who}: {body}"
        );
    }
    // Each of the 6 allowed reads above is an entry of its own, naming the reader.
    let reads: Vec<_> = s
        .access_entries(Some(fam))
        .await
        .into_iter()
        .filter(|e| e.kind == audit::ACCESS_LOG_KIND)
        .collect();
    assert_eq!(reads.len(), 6);
    assert!(reads.iter().all(|e| e.action == "read" && e.count > 0));
    let (_, body) = get_log(&s, &partner, fam, "").await;
    let lines: Vec<&str> = body["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("admin3 (administrator) hentet") && l.contains("tilgangsloggen")),
        "{lines:?}"
    );
    // Paged: two at a time, oldest first, until `next` is absent.
    let mut after = 0;
    let mut paged = Vec::new();
    loop {
        let (status, body) = get_log(&s, &partner, fam, &format!("?after={after}&limit=2")).await;
        assert_eq!(status, 200, "{body}");
        let page = body["lines"].as_array().expect("lines").clone();
        assert!(page.len() <= 2);
        paged.extend(page);
        match body["next"].as_i64() {
            Some(n) => after = n,
            None => break,
        }
    }
    // Everything that was there at the first page, plus the paging reads themselves.
    assert!(
        paged.len() >= lines.len(),
        "{} < {}",
        paged.len(),
        lines.len()
    );
    for bad in ["?limit=0", "?limit=x", "?after=-1", "?limit=501"] {
        let (status, body) = get_log(&s, &partner, fam, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| m.contains('«')),
            "{bad}: {body}"
        );
    }
    let (status, body) = s.get_as(&partner, "/families/not-a-uuid/access-log").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );
}

#[tokio::test]
async fn command_line_verifies_rotates_and_exports_in_plain_language() {
    let s = TestServer::start(Backend::Sqlite).await;
    let fam = Uuid::now_v7();
    assert_eq!(
        s.push(&[
            family_change(fam, 1, "Familien Dahl"),
            meeting_change(fam, "note", json!("x"))
        ])
        .await
        .0,
        200
    );
    assert_eq!(s.pull(0, 100).await.0, 200);
    let db = s.sqlite_url.clone().expect("sqlite");
    let run = |args: &[&str]| {
        let (ok, out, err) = common::cli(&db, args, None);
        (ok, out + &err)
    };
    let (ok, out) = run(&["audit", "verify"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("Tilgangsloggen er hel: 4 oppføringer"),
        "{out}"
    );
    let (ok, out) = run(&["audit", "export", &fam.to_string()]);
    assert!(ok, "{out}");
    assert!(
        out.contains("partner (familiepartner) endret eller la til 1 møtelogg på enheten «test»."),
        "{out}"
    );
    let (ok, out) = run(&["audit", "rotate-key"]);
    assert!(ok && out.contains("La til nøkkel 2"), "{out}");
    let (ok, out) = run(&["audit", "verify"]);
    assert!(
        ok,
        "old entries verify with the old key after a rotation: {out}"
    );

    s.exec_sql("DROP TRIGGER access_log_no_delete")
        .await
        .expect("drop");
    s.exec_sql("DELETE FROM access_log WHERE seq = (SELECT MAX(seq) FROM access_log)")
        .await
        .expect("cut");
    let (ok, out) = run(&["audit", "verify"]);
    assert!(!ok);
    assert!(out.contains("tilgangsloggen er IKKE hel"), "{out}");
}
