//! The access log on SQLite and PostgreSQL: reads and writes leave entries, the log is
//! append-only, and altering an entry in the database makes verification fail.

#[macro_use]
mod common;

use common::{family_change, login_session, meeting_change, Backend, TestServer, PASSWORD};
use duken_server::accounts;
use duken_server::audit::{self, Broken};
use serde_json::json;
use serde_json::Value;
use uuid::Uuid;

on_both!(
    reads_and_writes_are_logged_and_tampering_shows,
    the_familys_partner_and_admins_read_its_log,
);

async fn reads_and_writes_are_logged_and_tampering_shows(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let changes = vec![
        family_change(fam, 1, "Familien Lie"),
        meeting_change(fam, "date", json!("2026-11-20")),
        meeting_change(fam, "date", json!("2026-11-21")),
    ];
    assert_eq!(s.push(&changes).await.0, 200);
    assert_eq!(s.pull(0, 100).await.0, 200);

    let log = s
        .storage
        .access_entries(Some(&fam.to_string()))
        .await
        .expect("entries");
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
        .all(|e| e.user_id == user.id && e.session_id == session));

    let all = s.storage.access_entries(None).await.expect("entries");
    let head = s.storage.access_head().await.expect("head");
    assert_eq!(audit::verify(&all, &head), Ok(4));

    // The log refuses changes...
    let sql_update = format!("UPDATE access_log SET count = 1 WHERE seq = {}", all[1].seq);
    assert!(s.exec_sql(&sql_update).await.is_err(), "append-only");
    assert!(
        s.exec_sql("DELETE FROM access_log").await.is_err(),
        "append-only"
    );
    // ...and someone who gets around that is caught by the chain.
    let drop = match b {
        Backend::Sqlite => "DROP TRIGGER access_log_no_update",
        Backend::Postgres => "DROP TRIGGER access_log_append_only ON access_log",
    };
    s.exec_sql(drop).await.expect("drop trigger");
    s.exec_sql(&sql_update).await.expect("tamper");
    let all = s.storage.access_entries(None).await.expect("entries");
    assert_eq!(
        audit::verify(&all, &head),
        Err(Broken::Entry { seq: all[1].seq })
    );
}

#[tokio::test]
async fn command_line_verifies_and_exports_in_plain_language() {
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
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_duken-server"))
            .args(args)
            .env("DATABASE_URL", &db)
            .env("RUST_LOG", "warn")
            .output()
            .expect("runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
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
    assert!(
        out.contains("partner (familiepartner) hentet 1 opplysning om familien"),
        "{out}"
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

async fn the_familys_partner_and_admins_read_its_log(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    assert_eq!(
        s.push(&[family_change(fam, 1, "Familien Lie")]).await.0,
        200
    );
    let st = s.storage.as_ref();
    accounts::create_user(st, "other", "Other", "familiepartner", PASSWORD, None)
        .await
        .expect("user");
    accounts::create_user(st, "root", "Root", "admin", PASSWORD, None)
        .await
        .expect("user");
    let other = login_session(st, "other").await;
    let admin = login_session(st, "root").await;
    let get = |token: String| {
        let req = s
            .client
            .get(s.url(&format!("/families/{fam}/access-log")))
            .bearer_auth(token);
        async move {
            let res = req.send().await.expect("send");
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.expect("json"))
        }
    };
    let (status, body) = get(s.token.clone()).await;
    assert_eq!(status, 200, "{body}");
    let lines = body["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0]
            .as_str()
            .unwrap_or_default()
            .contains("partner (familiepartner) endret eller la til 1 opplysning om familien"),
        "{body}"
    );
    assert_eq!(
        get(other).await.0,
        404,
        "another partner learns nothing, not even that it exists"
    );
    assert_eq!(get(admin).await.0, 200);
}
