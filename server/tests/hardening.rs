//! A server on the open network, on SQLite and PostgreSQL: slow and half-open clients are cut
//! off while devices keep syncing; a body over the limit is refused from its announced size;
//! every /api answer is the documented JSON; the login throttle survives a restart and sees
//! the client behind a trusted proxy; concurrent saves of one rating form each get a version.

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::{family_change, login_session, meeting_change, Backend, TestServer, PASSWORD};
use duken_domain::rating::builtin_template;
use duken_server::accounts;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

on_both!(
    ten_concurrent_saves_of_one_rating_form_get_ten_versions,
    half_open_connections_are_closed_while_a_device_syncs,
    a_huge_announced_body_is_refused_before_it_is_read,
    every_api_answer_is_documented_json,
    the_login_throttle_survives_a_restart_and_sees_through_a_trusted_proxy,
);

async fn ten_concurrent_saves_of_one_rating_form_get_ten_versions(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    accounts::create_user(st, "leder", "Leder", "teamleder", PASSWORD, Some("Nord"))
        .await
        .expect("user");
    let leader = login_session(st, "leder").await;
    let mut form = builtin_template("voksen").expect("built in");
    form.code = "voksen-nord".into();
    form.name = "Voksenskjema, Team Nord".into();
    let body = serde_json::to_value(&form).expect("json");
    let saves = (0..10).map(|i| {
        let mut body = body.clone();
        body["name"] = json!(format!("Voksenskjema, utgave {i}"));
        let req = s
            .client
            .post(s.url("/rating-templates"))
            .bearer_auth(&leader)
            .json(&body);
        async move {
            let res = req.send().await.expect("send");
            (
                res.status().as_u16(),
                res.json::<Value>().await.expect("json"),
            )
        }
    });
    let answers = futures_join_all(saves).await;
    let mut versions: Vec<i64> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 200, "{body}");
            body["version"].as_i64().expect("version")
        })
        .collect();
    versions.sort_unstable();
    assert_eq!(versions, (1..=10).collect::<Vec<_>>());
    // The newest served is version 10, and it is the body saved as version 10.
    let (_, t) = s.get_as(&leader, "/templates").await;
    let newest = &t["rating_templates"][0];
    assert_eq!(newest["version"], 10);
    let winner = answers
        .iter()
        .find(|(_, b)| b["version"] == 10)
        .map(|(_, b)| b["name"].clone());
    assert_eq!(Some(newest["name"].clone()), winner);
}

/// Runs the futures at once and waits for all (tokio only, no extra crate).
async fn futures_join_all<F, T>(futures: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

async fn half_open_connections_are_closed_while_a_device_syncs(b: Backend) {
    let timeout = Duration::from_secs(2);
    let s = TestServer::start_with(b, |o| o.limits.header_timeout = timeout).await;
    // 200 clients that send half a request's headers and then nothing.
    let mut hanging = Vec::new();
    for _ in 0..200 {
        let mut sock = tokio::net::TcpStream::connect(s.addr)
            .await
            .expect("connect");
        sock.write_all(b"POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-")
            .await
            .expect("write");
        hanging.push(sock);
    }
    let opened = Instant::now();
    // Meanwhile a device pushes and pulls as usual.
    let fam = Uuid::now_v7();
    for i in 0..5 {
        let t = Instant::now();
        let (status, body) = s
            .push(&[
                family_change(fam, i + 1, "Familien Lie"),
                meeting_change(fam, "note", json!("i dag")),
            ])
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, _) = s.pull(0, 100).await;
        assert_eq!(status, 200);
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "a sync took {:?} with 200 clients hanging",
            t.elapsed()
        );
    }
    // Every hanging client is closed by the server, soon after the header timeout.
    let mut closed = 0;
    for mut sock in hanging {
        let mut buf = [0u8; 512];
        let deadline = opened + timeout + Duration::from_secs(3);
        let read = tokio::time::timeout_at(deadline.into(), async {
            loop {
                match sock.read(&mut buf).await {
                    Ok(0) | Err(_) => return true,
                    // hyper may answer 408 before closing; keep reading until it closes.
                    Ok(_) => continue,
                }
            }
        })
        .await;
        if read == Ok(true) {
            closed += 1;
        }
    }
    assert_eq!(
        closed,
        200,
        "closed within {:?}",
        timeout + Duration::from_secs(3)
    );
    // An idle kept-alive connection is closed too: one request, then nothing.
    let mut sock = tokio::net::TcpStream::connect(s.addr)
        .await
        .expect("connect");
    sock.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let t = Instant::now();
    let mut buf = vec![0u8; 4096];
    let ended = tokio::time::timeout(timeout + Duration::from_secs(3), async {
        loop {
            match sock.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "an idle connection stayed open");
    assert!(t.elapsed() >= timeout - Duration::from_millis(200));
}

async fn a_huge_announced_body_is_refused_before_it_is_read(b: Backend) {
    let s = TestServer::start(b).await;
    let token = s.token.clone();
    let t = Instant::now();
    let (status, text) = s
        .raw(format!("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{{").as_bytes())
        .await;
    assert_eq!(status, 413, "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );
    assert!(text.contains("\"error\":\"too_large\""), "{text}");
    assert!(t.elapsed() < Duration::from_secs(2));
    // Without a session too: the size is checked before anything else.
    let (status, _) = s
        .raw(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n")
        .await;
    assert_eq!(status, 413);
}

/// The answer's body as JSON, when the server says it is JSON.
fn error_body(text: &str) -> Option<Value> {
    let (head, body) = text.split_once("\r\n\r\n")?;
    head.to_ascii_lowercase()
        .contains("content-type: application/json")
        .then(|| serde_json::from_str(body).ok())?
}

async fn every_api_answer_is_documented_json(b: Backend) {
    let s = TestServer::start(b).await;
    let token = s.token.clone();
    let cases: Vec<(String, u16, &str)> = vec![
        ("GET /api/v2/x".into(), 404, "not_found"),
        ("GET /api/v1/nothing-here".into(), 404, "not_found"),
        ("GET /api".into(), 404, "not_found"),
        ("GET /api/".into(), 404, "not_found"),
        ("PUT /api/v1/push".into(), 405, "method_not_allowed"),
        ("GET /api/v1/push".into(), 405, "method_not_allowed"),
        ("DELETE /api/v1/pull".into(), 405, "method_not_allowed"),
        (
            "GET /api/v1/families/not-a-uuid/access-log".into(),
            400,
            "bad_request",
        ),
        ("DELETE /api/v1/devices/123".into(), 400, "bad_request"),
        ("GET /api/v1/pull?limit=abc".into(), 400, "bad_request"),
        ("GET /api/v1/pull?family=x".into(), 400, "bad_request"),
        ("GET /api/v1/pull?since=1e9999".into(), 400, "bad_request"),
        ("GET /index.html%00".into(), 400, "bad_request"),
        ("HEAD /index.html%00".into(), 400, ""),
        ("GET /%ff%fe".into(), 400, "bad_request"),
    ];
    for (line, want, code) in cases {
        let req = format!("{line} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");
        let (status, text) = s.raw(req.as_bytes()).await;
        assert_eq!(status, want, "{line}: {text}");
        if line.starts_with("HEAD") {
            continue;
        }
        let body = error_body(&text).unwrap_or_else(|| panic!("{line}: not JSON: {text}"));
        assert_eq!(body["error"], code, "{line}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{line}: {body}"
        );
    }
    // A change that does not parse (unknown kind) is named like one that fails validation.
    let mut bad =
        serde_json::to_value(meeting_change(Uuid::now_v7(), "note", json!("x"))).expect("json");
    bad["kind"] = json!("spaceship");
    let id = bad["id"].clone();
    let (status, body) = s
        .push_raw(json!({ "protocol": 1, "changes": [family_change(Uuid::now_v7(), 1, "A"), bad] }))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["refused"][0]["change"], id, "{body}");
    assert_eq!(
        body["message"],
        "endring 2: «kind» har en ukjent verdi («spaceship»)"
    );
    let (status, body) = s
        .push_raw(json!({ "protocol": 1, "changes": [{"id": id}] }))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["message"], "endring 1: feltet «record» mangler");
    let (status, body) = s.push_raw(json!({ "protocol": 1, "changes": 5 })).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("«changes»")));
}

async fn login_status(
    base: &str,
    username: &str,
    password: &str,
    forwarded: Option<&str>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/session"))
        .json(&json!({ "username": username, "password": password, "device_name": "x" }));
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    let res = req.send().await.expect("send");
    (res.status().as_u16(), res.json().await.expect("json"))
}

async fn the_login_throttle_survives_a_restart_and_sees_through_a_trusted_proxy(b: Backend) {
    let s = TestServer::start(b).await;
    let st = s.storage.as_ref();
    for name in ["kari", "ola"] {
        accounts::create_user(st, name, name, "familiepartner", PASSWORD, None)
            .await
            .expect("user");
    }
    // Behind a proxy on 127.0.0.1: someone at 203.0.113.5 guesses five times, for two accounts.
    let proxied = s
        .serve_again(|o| o.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")])
        .await;
    for user in ["kari", "nobody", "kari", "nobody", "kari"] {
        let (status, _) = login_status(&proxied, user, "feil", Some("203.0.113.5")).await;
        assert_eq!(status, 401);
    }
    // That address is locked out now, for any account...
    let (status, body) = login_status(&proxied, "ola", PASSWORD, Some("203.0.113.5")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("too_many_attempts")),
        "{body}"
    );
    // ...but another client behind the same proxy logs in.
    let (status, body) = login_status(&proxied, "ola", PASSWORD, Some("198.51.100.7")).await;
    assert_eq!(status, 200, "{body}");
    // A server that does not trust the proxy ignores the header: the peer is what counts,
    // and a forged header does not get around a lock.
    let direct = s.base.clone();
    for _ in 0..2 {
        let (status, _) = login_status(&direct, "kari", "feil", Some("192.0.2.1")).await;
        assert_eq!(status, 401);
    }
    // kari has failed 5 times in all: locked, on a freshly started server too.
    let restarted = s.serve_again(|_| {}).await;
    let (status, body) = login_status(&restarted, "kari", PASSWORD, None).await;
    assert_eq!(status, 429, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains("min")),
        "{body}"
    );
}
