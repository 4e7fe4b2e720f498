//! `duken-server demo`: practice data only in an empty database, readable by each demo role
//! through the real API, on SQLite and PostgreSQL.

#[macro_use]
mod common;

use common::{login_session, Backend, TestServer};
use duken_server::demo;

on_both!(the_demo_fills_an_empty_database_and_refuses_a_used_one,);

async fn the_demo_fills_an_empty_database_and_refuses_a_used_one(b: Backend) {
    let s = TestServer::start(b).await;
    // The test server comes with a user of its own: an empty database has none.
    let refused = demo::seed(s.storage.as_ref(), chrono::NaiveDate::MIN).await;
    assert!(
        matches!(refused, Err(demo::DemoError::NotEmpty)),
        "{refused:?}"
    );
    s.exec_sql("DELETE FROM sessions").await.expect("sql");
    s.exec_sql("DELETE FROM users").await.expect("sql");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
    let said = demo::seed(s.storage.as_ref(), today).await.expect("seeded");
    let expected = demo::case_family(today, uuid::Uuid::now_v7())
        .expect("valid")
        .len();
    assert!(said.contains("øvingsdata"), "{said}");
    // Each role sees the family as its access allows: the partner and the team leader (its
    // team), the contact person (a reader grant).
    for user in ["kari", "tone", "kim"] {
        let token = login_session(s.storage.as_ref(), user).await;
        let (status, body) = s
            .get_as(&token, "/pull?since=0&limit=1000&protocol=1")
            .await;
        assert_eq!(status, 200, "{user}: {body}");
        let changes = body["changes"].as_array().cloned().unwrap_or_default();
        assert_eq!(changes.len(), expected, "{user} sees the whole case family");
        assert!(
            changes
                .iter()
                .any(|c| c["kind"] == "family"
                    && c["writes"].to_string().contains(demo::DEMO_FAMILY)),
            "{user}"
        );
    }
    // Never mixed into real work: a database with users is refused, and nothing is added.
    let again = demo::seed(s.storage.as_ref(), today).await;
    assert!(matches!(again, Err(demo::DemoError::NotEmpty)), "{again:?}");
    let token = login_session(s.storage.as_ref(), "kari").await;
    let (_, body) = s.get_as(&token, "/families").await;
    assert_eq!(body["families"].as_array().map(Vec::len), Some(1), "{body}");
}
