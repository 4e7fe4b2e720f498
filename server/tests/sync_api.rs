//! The sync API against a real server on a free port, on SQLite and on PostgreSQL.

#[macro_use]
mod common;

use common::{family_change, login_session, meeting_change, Backend, TestServer, PASSWORD};
use duken_domain::Change;
use duken_server::accounts;
use serde_json::{json, Value};
use uuid::Uuid;

on_both!(
    push_then_pull_round_trip,
    repeated_push_changes_nothing,
    failing_batch_leaves_nothing_behind,
    record_cannot_move_to_another_family,
    pull_pages_with_remaining_count,
    a_database_from_before_the_family_ordinal_counts_what_remains,
    pages_are_in_order_where_the_viewer_is_sparse_then_dense,
    bad_input_gets_clear_4xx,
    health_answers,
    caching_keeps_family_data_out_of_http_caches,
);

fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_default()
}

async fn push_then_pull_round_trip(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let sent = vec![
        family_change(fam, 1, "Familien Hansen"),
        meeting_change(fam, "date", json!("2026-11-20")),
    ];
    let (status, body) = s.push(&sent).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stored"], 2);
    assert_eq!(body["acknowledged"].as_array().map(Vec::len), Some(2));

    let (status, body) = s.pull(0, 100).await;
    assert_eq!(status, 200, "{body}");
    let got: Vec<Change> = serde_json::from_value(body["changes"].clone()).expect("changes parse");
    assert_eq!(got, sent, "pulled changes equal pushed ones, in order");
    assert_eq!(body["remaining"], 0);
}

async fn repeated_push_changes_nothing(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let batch = vec![
        family_change(fam, 1, "Familien Lie"),
        meeting_change(fam, "note", json!("Kaffe")),
    ];
    let (status, first) = s.push(&batch).await;
    assert_eq!((status, first["stored"].clone()), (200, json!(2)));
    let before = s.pull_all().await;
    let (status, again) = s.push(&batch).await;
    assert_eq!(status, 200, "a repeated push is acknowledged: {again}");
    assert_eq!(again["stored"], 0);
    assert_eq!(again["acknowledged"].as_array().map(Vec::len), Some(2));
    assert_eq!(s.pull_all().await, before);
}

async fn failing_batch_leaves_nothing_behind(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    // Third change has a field of the wrong type: the whole batch is refused.
    let batch = vec![
        family_change(fam, 1, "Familien Berg"),
        meeting_change(fam, "date", json!("2026-11-20")),
        meeting_change(fam, "duration_minutes", json!("en time")),
    ];
    let (status, body) = s.push(&batch).await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("endring 3"), "{body}");
    assert!(
        s.pull_all().await.is_empty(),
        "nothing of the batch was stored"
    );
}

async fn record_cannot_move_to_another_family(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let meeting = meeting_change(fam, "date", json!("2026-11-20"));
    assert_eq!(s.push(std::slice::from_ref(&meeting)).await.0, 200);
    // A valid new change first, then one that would move the meeting: the database refuses in
    // the middle of the batch, and the first change must be rolled back with it.
    let other = Uuid::now_v7();
    let mut moved = meeting_change(other, "note", json!("flyttet"));
    moved.record = meeting.record;
    let fresh = family_change(other, 2, "Familien Dahl");
    let (status, body) = s.push(&[fresh, moved]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(s.pull_all().await, vec![meeting.id]);
}

async fn pull_pages_with_remaining_count(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let mut all = vec![family_change(fam, 1, "Familien Nilsen")];
    for i in 0..24 {
        all.push(meeting_change(fam, "note", json!(format!("møte {i}"))));
    }
    assert_eq!(s.push(&all).await.0, 200);
    let (_, p1) = s.pull(0, 10).await;
    assert_eq!(p1["changes"].as_array().map(Vec::len), Some(10));
    assert_eq!(p1["remaining"], 15);
    let c1 = p1["cursor"].as_i64().expect("cursor");
    let (_, p2) = s.pull(c1, 10).await;
    assert_eq!(p2["remaining"], 5);
    let c2 = p2["cursor"].as_i64().expect("cursor");
    let (_, p3) = s.pull(c2, 10).await;
    assert_eq!(p3["changes"].as_array().map(Vec::len), Some(5));
    assert_eq!(p3["remaining"], 0);
    let ids = s.pull_all().await;
    let sent: Vec<Uuid> = all.iter().map(|c| c.id).collect();
    assert_eq!(ids, sent);
    // Past the end: an empty page with the same cursor.
    let c3 = p3["cursor"].as_i64().expect("cursor");
    let (_, p4) = s.pull(c3, 10).await;
    assert_eq!(p4["changes"], json!([]));
    assert_eq!(p4["cursor"], c3);
}

async fn bad_input_gets_clear_4xx(b: Backend) {
    let s = TestServer::start(b).await;
    let fam = Uuid::now_v7();
    let push = s.url("/push");
    let mut seen: Vec<Value> = Vec::new();

    // Malformed JSON.
    let res = s
        .client
        .post(&push)
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body("{\"protocol\": 1, \"changes\": [")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 400);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"], "bad_request");
    assert_eq!(message(&body), "ugyldig JSON i forespørselen");
    seen.push(body);

    // Unknown kind.
    let mut c = serde_json::to_value(family_change(fam, 1, "X")).expect("json");
    c["kind"] = json!("spaceship");
    let (status, body) = s.push_raw(json!({"protocol": 1, "changes": [c]})).await;
    assert_eq!(status, 422, "{body}");
    assert!(message(&body).contains("spaceship"), "{body}");
    seen.push(body);

    // Unknown protocol version.
    let (status, body) = s.push_raw(json!({"protocol": 99, "changes": []})).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_protocol");
    assert!(message(&body).contains("99"), "{body}");
    seen.push(body);

    // A field of the wrong type.
    let (status, body) = s
        .push(&[meeting_change(fam, "themes", json!("økonomi"))])
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        message(&body),
        "endring 1: feltet «Tema» har feil type: en liste med valg"
    );
    seen.push(body);

    // Oversize body: refused from its Content-Length, before a byte of it is read (so a raw
    // socket that sends only the headers gets the answer).
    let token = s.token.clone();
    let (status, text) = s
        .raw(
            format!(
                "POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"protocol\":1,",
                5 * 1024 * 1024
            )
            .as_bytes(),
        )
        .await;
    assert_eq!(status, 413, "{text}");
    let body: Value =
        serde_json::from_str(text.split_once("\r\n\r\n").map_or("", |p| p.1)).expect("json");
    assert_eq!(body["error"], "too_large");
    seen.push(body);

    // No session.
    let res = s.client.get(s.url("/pull")).send().await.expect("send");
    assert_eq!(res.status().as_u16(), 401);
    seen.push(res.json().await.expect("json"));

    // Every refusal is JSON with a code and a message, and none carries internals.
    assert_eq!(seen.len(), 6);
    for body in &seen {
        assert!(body["error"].is_string(), "{body}");
        let m = message(body).to_lowercase();
        assert!(
            !m.is_empty() && !m.contains("sql") && !m.contains("/tmp") && !m.contains("serde"),
            "{m}"
        );
    }
    assert!(s.pull_all().await.is_empty());
}

async fn health_answers(b: Backend) {
    let s = TestServer::start(b).await;
    let res = s.client.get(s.url("/health")).send().await.expect("send");
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

async fn caching_keeps_family_data_out_of_http_caches(b: Backend) {
    let s = TestServer::start(b).await;
    let cache = |res: &reqwest::Response| {
        res.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let res = s
        .client
        .get(s.url("/pull"))
        .bearer_auth(&s.token)
        .send()
        .await
        .expect("send");
    assert_eq!(cache(&res), "no-store", "API answers are never cached");
    let origin = s.base.trim_end_matches("/api/v1");
    for path in ["/", "/index.html", "/familie/123", "/sw.js"] {
        let res = s
            .client
            .get(format!("{origin}{path}"))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status().as_u16(), 200, "{path} is served");
        assert_eq!(cache(&res), "no-store", "{path}");
    }
    let res = s
        .client
        .get(format!("{origin}/duken_bg-0123456789abcdef.wasm"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(cache(&res), "public, max-age=31536000, immutable");
}

/// A viewer whose changes are few among others' at first (the family index finds the page) and
/// then all there is (read in seq order): every page, across that turn, holds the next of their
/// changes in push order, says what remains, and is logged as what it held.
/// Migration 0012 numbers each family's changes so a pull counts what remains by family, not by
/// counting the backlog. A database with changes from before it must count exactly as well: the
/// column is dropped and its migration forgotten, as on a server that never had it, then the
/// database is opened again (the migration numbers what is there) and paged through, with a
/// family and its changes added after the upgrade.
async fn a_database_from_before_the_family_ordinal_counts_what_remains(b: Backend) {
    let mut s = TestServer::start(b).await;
    let (a, c) = (Uuid::now_v7(), Uuid::now_v7());
    let mut sent = vec![
        family_change(a, 1, "Familien Berg"),
        family_change(c, 1, "Familien Dahl"),
    ];
    for i in 0..20 {
        let fam = if i % 3 == 0 { c } else { a };
        sent.push(meeting_change(fam, "note", json!(format!("før {i}"))));
    }
    assert_eq!(s.push(&sent).await.0, 200);
    s.exec_sql("ALTER TABLE changes DROP COLUMN fseq")
        .await
        .expect("drop the column");
    s.exec_sql("DELETE FROM _sqlx_migrations WHERE version = 12")
        .await
        .expect("forget the migration");
    s.storage = s.reopen().await;
    s.base = s.serve_again(|_| {}).await;

    // After the upgrade: more changes in both, and a third family.
    let d = Uuid::now_v7();
    let mut after = vec![family_change(d, 1, "Familien Eide")];
    for i in 0..9 {
        let fam = [a, c, d][i % 3];
        after.push(meeting_change(fam, "note", json!(format!("etter {i}"))));
    }
    assert_eq!(s.push(&after).await.0, 200);
    sent.extend(after);

    let (mut since, mut got, mut pages) = (0, 0usize, 0);
    loop {
        let (status, page) = s.pull(since, 7).await;
        assert_eq!(status, 200, "{page}");
        got += page["changes"].as_array().map_or(0, Vec::len);
        pages += 1;
        assert_eq!(
            page["remaining"].as_u64(),
            Some((sent.len() - got) as u64),
            "page {pages}: what remains"
        );
        since = page["cursor"].as_i64().expect("cursor");
        if page["remaining"] == 0 {
            break;
        }
    }
    assert_eq!(got, sent.len());
    let ids = s.pull_all().await;
    assert_eq!(ids, sent.iter().map(|c| c.id).collect::<Vec<_>>());
}

async fn pages_are_in_order_where_the_viewer_is_sparse_then_dense(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    accounts::create_user(
        st,
        "annen",
        "annen",
        "familiepartner",
        PASSWORD,
        Some("Nord"),
    )
    .await
    .expect("user");
    let other = login_session(st, "annen").await;
    let (mine, theirs) = (Uuid::now_v7(), Uuid::now_v7());
    let mut sent = vec![family_change(mine, 1, "Familien Dahl")];
    assert_eq!(s.push(&sent).await.0, 200);
    let (status, _) = s
        .push_as(&other, &[family_change(theirs, 1, "Familien Lie")])
        .await;
    assert_eq!(status, 200);
    // Sparse: one of mine after 40 of theirs, five times; then dense: 30 of mine.
    for round in 0..5 {
        let noise: Vec<Change> = (0..40)
            .map(|i| meeting_change(theirs, "note", json!(format!("deres {round}.{i}"))))
            .collect();
        assert_eq!(s.push_as(&other, &noise).await.0, 200);
        let one = meeting_change(mine, "note", json!(format!("mitt {round}")));
        assert_eq!(s.push(std::slice::from_ref(&one)).await.0, 200);
        sent.push(one);
    }
    let dense: Vec<Change> = (0..30)
        .map(|i| meeting_change(mine, "note", json!(format!("tett {i}"))))
        .collect();
    assert_eq!(s.push(&dense).await.0, 200);
    sent.extend(dense);

    let logged_before = s.access_entries(Some(mine)).await.len();
    let (mut since, mut got, mut pages) = (0, Vec::<Change>::new(), 0);
    loop {
        let (status, page) = s.pull(since, 4).await;
        assert_eq!(status, 200, "{page}");
        let changes: Vec<Change> =
            serde_json::from_value(page["changes"].clone()).expect("changes parse");
        got.extend(changes.iter().cloned());
        pages += 1;
        assert_eq!(
            page["remaining"].as_u64(),
            Some((sent.len() - got.len()) as u64),
            "page {pages}: what remains"
        );
        since = page["cursor"].as_i64().expect("cursor");
        if page["remaining"] == 0 {
            break;
        }
        assert_eq!(changes.len(), 4, "page {pages} is full while more remains");
    }
    assert_eq!(
        got, sent,
        "every change of mine once, in push order, none of theirs"
    );
    let reads: Vec<_> = s
        .access_entries(Some(mine))
        .await
        .into_iter()
        .skip(logged_before)
        .filter(|e| e.action == "read")
        .collect();
    let by_kind = |kind: &str| -> i64 {
        reads
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.count)
            .sum()
    };
    assert_eq!(by_kind("family"), 1, "the family record, read once");
    assert_eq!(
        by_kind("meeting"),
        (sent.len() - 1) as i64,
        "each meeting change, read once"
    );
    assert!(
        s.access_entries(Some(theirs))
            .await
            .iter()
            .all(|e| e.action != "read"),
        "nothing of theirs was read"
    );
}
