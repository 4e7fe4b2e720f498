//! Generated hostile requests against the real server on SQLite and PostgreSQL: mutated sync
//! bodies, bad paths, methods, ids and queries, broken and huge bodies, bad or missing
//! sessions. Whatever comes in: no 5xx, and every error is `{error, message}` JSON with a
//! message in bokmål that carries no parser or database internals.
//!
//! `DUKEN_FUZZ_REQUESTS` (default 50,000 per database) and `DUKEN_FUZZ_SEED` (default: the
//! clock, printed) reproduce a run.

#[macro_use]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{family_change, meeting_change, Backend, TestServer};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;
use uuid::Uuid;

on_both!(fifty_thousand_hostile_requests_get_documented_answers);

/// xorshift64*: small, deterministic per seed, no extra crate.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn word(&mut self) -> String {
        let n = 1 + self.below(12);
        (0..n)
            .map(|_| *self.pick(b"abcdefghijklmnopqrstuvwxyz0123456789_-") as char)
            .collect()
    }
}

/// A value of a random JSON type, sometimes extreme.
fn any_value(r: &mut Rng, depth: u32) -> Value {
    match r.below(if depth > 2 { 8 } else { 10 }) {
        0 => Value::Null,
        1 => json!(r.chance(50)),
        2 => json!(r.next() as i64),
        3 => json!(-(r.below(1000) as i64)),
        4 => json!(r.next() as f64 / 3.0),
        5 => json!(r.word()),
        6 => json!(Uuid::now_v7().to_string()),
        7 => json!("x".repeat(r.below(20_000))),
        8 => Value::Array((0..r.below(4)).map(|_| any_value(r, depth + 1)).collect()),
        _ => {
            let mut m = serde_json::Map::new();
            for _ in 0..r.below(4) {
                m.insert(r.word(), any_value(r, depth + 1));
            }
            Value::Object(m)
        }
    }
}

/// Changes that would be accepted, to mutate from.
fn valid_changes(r: &mut Rng, families: &[Uuid]) -> Vec<Value> {
    let fam = *r.pick(families);
    let mut out =
        vec![serde_json::to_value(family_change(fam, 1, "Familien Fuzz")).unwrap_or_default()];
    for _ in 0..r.below(4) {
        out.push(
            serde_json::to_value(meeting_change(fam, "note", json!(r.word()))).unwrap_or_default(),
        );
    }
    out
}

const KINDS: &[&str] = &[
    "family",
    "member",
    "meeting",
    "cloth",
    "note",
    "agreement",
    "round",
    "rating",
    "plan",
    "goal",
    "task",
    "contact",
    "consent",
    "visit",
    "spaceship",
    "",
    "FAMILY",
];

fn mutate_change(r: &mut Rng, c: &mut Value) {
    let fields = ["id", "record", "kind", "family", "clock", "writes"];
    if !c.is_object() || !c["writes"].get(0).is_some_and(Value::is_object) {
        c["clock"] = any_value(r, 0);
        return;
    }
    match r.below(8) {
        0 => {
            if let Some(m) = c.as_object_mut() {
                m.remove(*r.pick(&fields));
            }
        }
        1 => c[*r.pick(&fields)] = any_value(r, 0),
        2 => c["kind"] = json!(*r.pick(KINDS)),
        3 => c["writes"][0]["field"] = json!(r.word()),
        4 => c["writes"][0]["value"] = any_value(r, 0),
        5 => c["writes"][0]["base"] = any_value(r, 0),
        6 => c["record"] = c["family"].clone(),
        _ => c[r.word()] = any_value(r, 0),
    }
}

fn push_body(r: &mut Rng, families: &[Uuid]) -> Vec<u8> {
    let mut changes = valid_changes(r, families);
    let n = changes.len();
    for _ in 0..1 + r.below(3) {
        let i = r.below(n);
        mutate_change(r, &mut changes[i]);
    }
    let mut body = json!({ "protocol": 1, "changes": changes });
    match r.below(10) {
        0 => body["protocol"] = any_value(r, 0),
        1 => {
            if let Some(m) = body.as_object_mut() {
                m.remove("protocol");
            }
        }
        2 => body["changes"] = any_value(r, 0),
        _ => {}
    }
    serde_json::to_vec(&body).unwrap_or_default()
}

fn broken_body(r: &mut Rng, families: &[Uuid]) -> Vec<u8> {
    let good = push_body(r, families);
    match r.below(6) {
        0 => good[..r.below(good.len())].to_vec(),
        1 => vec![0xff, 0xfe, b'{', 0x00],
        2 => "[".repeat(10_000).into_bytes(),
        3 => b"{\"protocol\":1,\"changes\":[{\"id\":\"\xff\xfe\"}]}".to_vec(),
        4 => Vec::new(),
        _ => {
            let mut b = good;
            let i = r.below(b.len());
            b[i] = r.next() as u8;
            b
        }
    }
}

fn query_value(r: &mut Rng) -> String {
    match r.below(9) {
        0 => "-1".into(),
        1 => "0".into(),
        2 => "1001".into(),
        3 => "99999999999999999999".into(),
        4 => "abc".into(),
        5 => "%00".into(),
        6 => "1e3".into(),
        7 => Uuid::now_v7().to_string(),
        _ => r.below(50).to_string(),
    }
}

struct Req {
    method: &'static str,
    path: String,
    body: Option<Vec<u8>>,
    json: bool,
    auth: u8,
}

fn generate(r: &mut Rng, families: &[Uuid]) -> Req {
    let auth = match r.below(10) {
        0 => 0,
        1 => 2,
        _ => 1,
    };
    let mut req = Req {
        method: "GET",
        path: String::new(),
        body: None,
        json: true,
        auth,
    };
    match r.below(20) {
        0..=6 => {
            req.method = "POST";
            req.path = "/api/v1/push".into();
            req.body = Some(push_body(r, families));
        }
        7..=10 => {
            let params = ["since", "limit", "after", "family", "protocol", "x"];
            let q: Vec<String> = (0..r.below(4))
                .map(|_| format!("{}={}", r.pick(&params), query_value(r)))
                .collect();
            req.path = format!("/api/v1/pull?{}", q.join("&"));
        }
        11 => {
            req.method = *r.pick(&["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "GET", "POST"]);
            req.path = r
                .pick(&[
                    "/api/v1/push",
                    "/api/v1/pull",
                    "/api/v1/families",
                    "/api/v1/session",
                    "/api/v1/devices",
                    "/api/v1/templates",
                    "/api/v1/rating-templates",
                    "/api/v1/health",
                    "/index.html",
                    "/",
                ])
                .to_string();
        }
        12 | 13 => {
            let seg = match r.below(8) {
                0 => "%00".to_owned(),
                1 => "..%2f..%2fetc%2fpasswd".to_owned(),
                2 => "%ff%fe".to_owned(),
                3 => "a".repeat(4000),
                4 => "%0a%0d".to_owned(),
                5 => format!("v{}", r.below(5)),
                _ => r.word(),
            };
            req.method = *r.pick(&["GET", "HEAD", "POST"]);
            req.path = r
                .pick(&[
                    format!("/api/{seg}"),
                    format!("/api/v1/{seg}"),
                    format!("/api/v2/{seg}"),
                    format!("/{seg}"),
                    format!("/familie/{seg}"),
                    format!("/{seg}.wasm"),
                ])
                .clone();
        }
        14 => {
            let id = match r.below(4) {
                0 => families[0].to_string(),
                1 => Uuid::now_v7().to_string(),
                2 => r.word(),
                _ => "%00".into(),
            };
            req.path = format!(
                "/api/v1/families/{id}/access-log?after={}&limit={}",
                query_value(r),
                query_value(r)
            );
        }
        15 | 16 => {
            req.method = "POST";
            req.path = "/api/v1/push".into();
            req.body = Some(broken_body(r, families));
            req.json = r.chance(80);
        }
        17 => {
            req.method = "POST";
            req.path = "/api/v1/rating-templates".into();
            req.body = Some(serde_json::to_vec(&any_value(r, 0)).unwrap_or_default());
        }
        18 => {
            req.method = "DELETE";
            req.path = format!(
                "/api/v1/devices/{}",
                r.pick(&[r.clone().word(), Uuid::now_v7().to_string(), "%00".into()])
            );
        }
        _ => {
            // Shapes of a login that never reach the password check (hashing is slow by
            // design; the throttle has its own tests).
            req.method = "POST";
            req.path = "/api/v1/session".into();
            let body = match r.below(4) {
                0 => json!({ "username": any_value(r, 1) }),
                1 => json!({ "password": r.word() }),
                2 => any_value(r, 0),
                _ => json!([]),
            };
            req.body = Some(serde_json::to_vec(&body).unwrap_or_default());
        }
    }
    if req.method == "DELETE" && req.path == "/api/v1/session" {
        // Logging the fuzzer's own session out would turn the rest of the run into 401s.
        req.auth = 2;
    }
    req
}

/// English and internals that must never reach a user.
const INTERNALS: &[&str] = &[
    "expected",
    "invalid type",
    "at line",
    "column",
    "failed to",
    "deserialize",
    "serde",
    "missing field",
    "unknown variant",
    "sqlx",
    "sqlite",
    "postgres",
    "database",
    "panicked",
    "error returned",
    "/tmp",
];

fn check(
    what: &str,
    status: u16,
    content_type: &str,
    body: &[u8],
    head: bool,
    fails: &mut Vec<String>,
) {
    if status >= 500 {
        fails.push(format!(
            "{what}: {status} {}",
            String::from_utf8_lossy(body)
        ));
        return;
    }
    if status < 400 || head {
        return;
    }
    if !content_type.starts_with("application/json") {
        fails.push(format!("{what}: {status} with {content_type:?}"));
        return;
    }
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        fails.push(format!("{what}: {status}, not JSON"));
        return;
    };
    let (Some(_), Some(message)) = (v["error"].as_str(), v["message"].as_str()) else {
        fails.push(format!("{what}: {status} {v}"));
        return;
    };
    // What the server quotes back in «…» is the sender's own input (a field name they made
    // up may well contain "sqlx"); the words around it are the server's.
    let mut own = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '«' => quoted = true,
            '»' => quoted = false,
            c if !quoted => own.push(c),
            _ => {}
        }
    }
    let lower = own.to_lowercase();
    if message.is_empty() || INTERNALS.iter().any(|i| lower.contains(i)) {
        fails.push(format!("{what}: {status} message {message:?}"));
    }
}

async fn fifty_thousand_hostile_requests_get_documented_answers(b: Backend) {
    let total: usize = std::env::var("DUKEN_FUZZ_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let seed: u64 = std::env::var("DUKEN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    println!("fuzz {b:?}: {total} requests, DUKEN_FUZZ_SEED={seed}");
    let s = Arc::new(
        TestServer::start_with(b, |o| {
            o.limits.header_timeout = Duration::from_secs(1);
            o.limits.body_timeout = Duration::from_secs(1);
        })
        .await,
    );
    let families: Vec<Uuid> = (0..8).map(|_| Uuid::now_v7()).collect();
    for f in &families {
        assert_eq!(
            s.push(&[family_change(*f, 1, "Familien Fuzz")]).await.0,
            200
        );
    }
    let families = Arc::new(families);
    let started = Instant::now();
    let limit = Arc::new(Semaphore::new(24));
    let mut rng = Rng(seed);
    let mut tasks = tokio::task::JoinSet::new();
    let raw_share = total / 100; // 1 %: broken framing on raw sockets
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut fails = Vec::new();
    for i in 0..total {
        let permit = limit.clone().acquire_owned().await.expect("semaphore");
        let s = s.clone();
        let families = families.clone();
        let mut r = Rng(rng.next() | 1);
        let raw = i < raw_share;
        tasks.spawn(async move {
            let _permit = permit;
            if raw {
                raw_request(&s, &mut r).await
            } else {
                http_request(&s, generate(&mut r, &families)).await
            }
        });
        while let Some(done) = tasks.try_join_next() {
            let (status, fail) = done.expect("task");
            *statuses.entry(status).or_default() += 1;
            fails.extend(fail);
        }
    }
    while let Some(done) = tasks.join_next().await {
        let (status, fail) = done.expect("task");
        *statuses.entry(status).or_default() += 1;
        fails.extend(fail);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz {b:?}: {total} requests in {secs:.1} s ({:.0}/s); statuses {statuses:?}",
        total as f64 / secs
    );
    // The server still serves a device normally afterwards.
    assert_eq!(s.pull(0, 10).await.0, 200);
    assert!(
        fails.is_empty(),
        "{} of {total} answers broke the contract (seed {seed}); first ones:\n{}",
        fails.len(),
        fails
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(statuses.values().sum::<usize>(), total);
}

async fn http_request(s: &TestServer, req: Req) -> (u16, Option<String>) {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    let client = CLIENT.get_or_init(|| {
        // Idle connections are given up before the server's 1 s idle timeout closes them, as
        // a well-behaved client does (reusing one at the very moment it is closed is a race
        // of HTTP/1.1 itself, which browsers absorb by retrying).
        reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .pool_idle_timeout(Duration::from_millis(300))
            .build()
            .unwrap_or_default()
    });
    let what = format!(
        "{} {}",
        req.method,
        req.path.chars().take(120).collect::<String>()
    );
    let url = format!("http://{}{}", s.addr, req.path);
    let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut b = client.request(method, &url);
    b = match req.auth {
        1 => b.bearer_auth(&s.token),
        2 => b.bearer_auth("not-a-session"),
        _ => b,
    };
    if let Some(body) = req.body {
        if req.json {
            b = b.header("content-type", "application/json");
        }
        b = b.body(body);
    }
    let res = match b.send().await {
        Ok(r) => r,
        Err(e) => return (0, Some(format!("{what}: no answer: {e:?}"))),
    };
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = res.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
    let mut fails = Vec::new();
    check(&what, status, &ct, &body, req.method == "HEAD", &mut fails);
    (status, fails.into_iter().next())
}

/// Framing a normal client would never send: lies about the length, chunks that are not
/// chunks, a body that stops halfway.
async fn raw_request(s: &TestServer, r: &mut Rng) -> (u16, Option<String>) {
    let token = s.token.clone();
    let head = format!("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nConnection: close\r\n");
    let (what, bytes): (&str, Vec<u8>) = match r.below(5) {
        0 => (
            "10 GB announced",
            format!("{head}Content-Length: 10737418240\r\n\r\n{{").into_bytes(),
        ),
        1 => (
            "length not a number",
            format!("{head}Content-Length: lots\r\n\r\n{{}}").into_bytes(),
        ),
        2 => (
            "body stops halfway",
            format!("{head}Content-Length: 1000\r\n\r\n{{\"protocol\":1,").into_bytes(),
        ),
        3 => (
            "broken chunks",
            format!("{head}Transfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n").into_bytes(),
        ),
        _ => ("chunked and too large", {
            let mut b = format!("{head}Transfer-Encoding: chunked\r\n\r\n").into_bytes();
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..5 {
                b.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                b.extend_from_slice(&chunk);
                b.extend_from_slice(b"\r\n");
            }
            b.extend_from_slice(b"0\r\n\r\n");
            b
        }),
    };
    let Ok(mut sock) = tokio::net::TcpStream::connect(s.addr).await else {
        return (0, Some(format!("{what}: could not connect")));
    };
    // The server may answer and close before all is written: that is allowed.
    let _ = sock.write_all(&bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), sock.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status: u16 = text
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if status == 0 {
        // hyper closes a connection it cannot parse without answering: no 5xx, nothing leaks.
        return (0, None);
    }
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let ct = headers
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default();
    let mut fails = Vec::new();
    // hyper's own 400 for unparseable framing (written before any handler runs) has no body.
    if !(status == 400 && body.is_empty()) {
        check(what, status, &ct, body.as_bytes(), false, &mut fails);
    }
    (status, fails.into_iter().next())
}
