//! Load benchmark (not a test; `./scripts/bench` runs it): the release server as its own
//! process on loopback, on SQLite and on PostgreSQL.
//!
//! 1. 200 devices (100 familiepartnere, a phone and a tablet each) for `DUKEN_LOAD_SECONDS`
//!    (60): each waits 0.5-2 s, pushes 1-5 changes to one of its families, and pulls what is
//!    new. Prints requests/s, p50/p95/p99 of push and pull, and the server's peak RSS.
//! 2. The burst: 200 devices of a team's leaders pull the team's 10,000 changes from the
//!    start at once. Prints the time until the last has all of them, and page p50/p99.
//!
//! 3. The backlog: one partner's 10 families with `DUKEN_LOAD_BACKLOG` (100,000) changes, pulled
//!    from the start by one device in pages of 1,000. Prints the first and the last page's
//!    time: a page must cost what it returns, not what is behind it.
//!
//! Each figure is printed beside its floor measured in the same run (a `GET /health`, which
//! touches no table), since these machines vary by ±50 % between runs.
//! Output: `name: value unit` lines.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use duken_domain::protocol::{MAX_PUSH_BATCH, PROTOCOL_VERSION};
use duken_domain::{Change, FieldWrite, Kind};
use duken_server::accounts;
use duken_server::storage::accounts::SessionRow;
use duken_server::storage::{self, Storage};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;
use uuid::Uuid;

const DEVICES: usize = 200;
const BURST_CHANGES: usize = 10_000;
const PG: &str = "postgres://postgres@127.0.0.1:5432";

fn print(name: &str, value: impl std::fmt::Display, unit: &str) {
    println!("{name}: {value} {unit}");
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Server {
    child: Child,
    base: String,
    pid: u32,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM first: the server finishes, signs its last checkpoint and says how its
        // access-log appends were grouped.
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(url: &str, dir: &std::path::Path) -> Server {
    std::fs::create_dir_all(dir.join("dist")).expect("dist");
    std::fs::write(
        dir.join("dist/index.html"),
        "<!doctype html><title>Duken</title>",
    )
    .expect("index");
    let mut child = Command::new(env!("CARGO_BIN_EXE_duken-server"))
        .env("DATABASE_URL", url)
        .env("DUKEN_ADDR", "127.0.0.1:0")
        .env("DUKEN_DIST", dir.join("dist"))
        .env("DUKEN_AUDIT_KEYS", dir.join("audit-keys"))
        .env("DUKEN_AUDIT_CHECKPOINTS", dir.join("audit-checkpoints"))
        .env("RUST_LOG", "warn,duken_server::audit=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("server starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .expect("line");
        if let Some((_, a)) = line.split_once("http://") {
            break a.trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep reading, so the server never writes into a closed pipe; its last word is how the
    // access log's appends were grouped (the head row every request used to queue on).
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            // Without terminal colours, whatever the logger decided.
            let mut line = line;
            while let Some(start) = line.find('\u{1b}') {
                let end = line[start..]
                    .find('m')
                    .map_or(line.len(), |e| start + e + 1);
                line.replace_range(start..end, "");
            }
            if line.contains("access log appends") {
                let num = |k: &str| {
                    line.split(&format!("{k}="))
                        .nth(1)
                        .and_then(|v| v.split(|c: char| !c.is_ascii_digit()).next())
                        .and_then(|v| v.parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                let (requests, commits) = (num("requests"), num("commits"));
                print("access_log_requests_logged", requests, "requests");
                print("access_log_commits", commits, "commits");
                print(
                    "access_log_requests_per_commit",
                    format!("{:.1}", requests / commits.max(1.0)),
                    "requests",
                );
            }
        }
    });
    let pid = child.id();
    Server {
        child,
        base: format!("http://{addr}/api/v1"),
        pid,
    }
}

/// Resident memory of `pid` now and at its peak, in MiB.
fn rss_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn session(st: &dyn Storage, username: &str) -> String {
    let user = st
        .user_by_username(username)
        .await
        .expect("query")
        .expect("user");
    let (token, hash) = accounts::new_token();
    let t = accounts::now();
    st.create_session(&SessionRow {
        id: Uuid::now_v7().to_string(),
        user_id: user.id,
        token_hash: hash,
        device_name: "bench".into(),
        created_at: t,
        last_seen_at: t,
        expires_at: t + 86_400,
        revoked_at: None,
    })
    .await
    .expect("session");
    token
}

fn change(family: Uuid, record: Uuid, kind: Kind, clock: u64, note: &str) -> Change {
    Change {
        id: Uuid::now_v7(),
        record,
        kind,
        family,
        clock,
        writes: vec![FieldWrite {
            field: if kind == Kind::Family { "name" } else { "note" }.into(),
            value: json!(note),
            base: None,
            resolves: vec![],
        }],
    }
}

#[derive(Deserialize)]
struct Page {
    changes: Vec<serde::de::IgnoredAny>,
    cursor: i64,
    remaining: u64,
}

struct Device {
    token: String,
    families: Vec<Uuid>,
    cursor: i64,
    clock: u64,
}

async fn push(client: &reqwest::Client, base: &str, token: &str, changes: &[Change]) -> u16 {
    client
        .post(format!("{base}/push"))
        .bearer_auth(token)
        .json(&json!({ "protocol": PROTOCOL_VERSION, "changes": changes }))
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

async fn pull(client: &reqwest::Client, base: &str, token: &str, since: i64) -> Option<Page> {
    let res = client
        .get(format!("{base}/pull?since={since}&limit=1000"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?;
    if !res.status().is_success() {
        return None;
    }
    res.json::<Page>().await.ok()
}

/// The floor: round trips of `GET /health` (no table touched) from 200 tasks at once.
async fn floor_ms(client: &reqwest::Client, base: &str) -> f64 {
    let mut handles = Vec::new();
    for _ in 0..DEVICES {
        let (client, base) = (client.clone(), base.to_owned());
        handles.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..5 {
                let t = Instant::now();
                let _ = client.get(format!("{base}/health")).send().await;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap_or_default());
    }
    all.sort_by(f64::total_cmp);
    percentile(&all, 0.99)
}

async fn run(db: &str, url: &str, dir: &std::path::Path, seconds: u64) {
    let st = storage::connect(url).await.expect("database");
    // 100 partners with 5 families each; 2 devices each.
    let mut devices = Vec::new();
    for p in 0..DEVICES / 2 {
        let name = format!("p{p}");
        accounts::create_user(
            st.as_ref(),
            &name,
            &name,
            "familiepartner",
            "bench-passord-1",
            Some("Bench"),
        )
        .await
        .expect("user");
        let families: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
        for _ in 0..2 {
            devices.push(Device {
                token: session(st.as_ref(), &name).await,
                families: families.clone(),
                cursor: 0,
                clock: 1,
            });
        }
    }
    // The burst's team: one partner's 20 families, 10,000 changes; 20 leaders x 10 devices.
    accounts::create_user(
        st.as_ref(),
        "burst",
        "burst",
        "familiepartner",
        "bench-passord-1",
        Some("Burst"),
    )
    .await
    .expect("user");
    let burst_partner = session(st.as_ref(), "burst").await;
    accounts::create_user(
        st.as_ref(),
        "backlog",
        "backlog",
        "familiepartner",
        "bench-passord-1",
        Some("Backlog"),
    )
    .await
    .expect("user");
    let backlog_partner = session(st.as_ref(), "backlog").await;
    let mut leaders = Vec::new();
    for l in 0..20 {
        let name = format!("leder{l}");
        accounts::create_user(
            st.as_ref(),
            &name,
            &name,
            "teamleder",
            "bench-passord-1",
            Some("Burst"),
        )
        .await
        .expect("user");
        for _ in 0..10 {
            leaders.push(session(st.as_ref(), &name).await);
        }
    }
    drop(st);

    let server = start_server(url, dir);
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(DEVICES)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    // Each device's families registered (the first push of a partner's phone).
    for d in devices.iter().step_by(2) {
        let first: Vec<Change> = d
            .families
            .iter()
            .map(|f| change(*f, *f, Kind::Family, 1, "Familien Bench"))
            .collect();
        assert_eq!(push(&client, &base, &d.token, &first).await, 200);
    }
    let floor = floor_ms(&client, &base).await;

    // --- 1. steady load ---------------------------------------------------------------------
    let push_ms = Arc::new(Mutex::new(Vec::<f64>::new()));
    let pull_ms = Arc::new(Mutex::new(Vec::<f64>::new()));
    let failed = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs(seconds);
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let sampler = {
        let peak = peak.clone();
        let pid = server.pid;
        tokio::spawn(async move {
            while Instant::now() < end {
                let (now, _) = rss_mib(pid);
                peak.fetch_max((now * 1024.0) as u64, std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut d) in devices.into_iter().enumerate() {
        let (client, base) = (client.clone(), base.clone());
        let (push_ms, pull_ms, failed) = (push_ms.clone(), pull_ms.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut seed = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut next = move || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed
            };
            let mut requests = 0u64;
            while Instant::now() < end {
                let think = 500 + next() % 1500;
                tokio::time::sleep(Duration::from_millis(think)).await;
                let family = d.families[(next() % 5) as usize];
                d.clock += 1;
                let batch: Vec<Change> = (0..1 + next() % 5)
                    .map(|_| {
                        change(
                            family,
                            Uuid::now_v7(),
                            Kind::Meeting,
                            d.clock,
                            "Hjemmebesøk",
                        )
                    })
                    .collect();
                let t = Instant::now();
                let status = push(&client, &base, &d.token, &batch).await;
                push_ms
                    .lock()
                    .await
                    .push(t.elapsed().as_secs_f64() * 1000.0);
                if status != 200 {
                    failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                let t = Instant::now();
                match pull(&client, &base, &d.token, d.cursor).await {
                    Some(p) => d.cursor = p.cursor,
                    None => {
                        failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
                pull_ms
                    .lock()
                    .await
                    .push(t.elapsed().as_secs_f64() * 1000.0);
                requests += 2;
            }
            requests
        }));
    }
    let mut requests = 0;
    for t in tasks {
        requests += t.await.unwrap_or(0);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let _ = sampler.await;
    let mut push_ms = push_ms.lock().await.clone();
    let mut pull_ms = pull_ms.lock().await.clone();
    push_ms.sort_by(f64::total_cmp);
    pull_ms.sort_by(f64::total_cmp);
    let (_, hwm) = rss_mib(server.pid);
    let sampled_peak = peak.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1024.0;
    print(&format!("load_{db}_devices"), DEVICES, "devices");
    print(&format!("load_{db}_seconds"), format!("{elapsed:.0}"), "s");
    print(
        &format!("load_{db}_req_per_s"),
        format!("{:.0}", requests as f64 / elapsed),
        "req/s",
    );
    print(
        &format!("load_{db}_failed"),
        failed.load(std::sync::atomic::Ordering::Relaxed),
        "requests",
    );
    print(
        &format!("load_{db}_floor_health_p99"),
        format!("{floor:.1}"),
        "ms",
    );
    for (what, times) in [("push", &push_ms), ("pull", &pull_ms)] {
        for (p, q) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
            print(
                &format!("load_{db}_{what}_{p}"),
                format!("{:.1}", percentile(times, q)),
                "ms",
            );
        }
    }
    print(
        &format!("load_{db}_peak_rss"),
        format!("{:.1}", hwm.max(sampled_peak)),
        "MiB",
    );

    // --- 2. the burst -------------------------------------------------------------------------
    let families: Vec<Uuid> = (0..20).map(|_| Uuid::now_v7()).collect();
    let mut seeded = 0;
    let mut clock = 1;
    while seeded < BURST_CHANGES {
        let batch: Vec<Change> = (0..500)
            .map(|i| {
                let f = families[(seeded + i) % families.len()];
                if seeded + i < families.len() {
                    change(f, f, Kind::Family, clock, "Familien Burst")
                } else {
                    change(
                        f,
                        Uuid::now_v7(),
                        Kind::Meeting,
                        clock,
                        "Et møte med en kort merknad om hvordan det gikk.",
                    )
                }
            })
            .collect();
        clock += 1;
        assert_eq!(push(&client, &base, &burst_partner, &batch).await, 200);
        seeded += batch.len();
    }
    let floor = floor_ms(&client, &base).await;
    // The burst's floor, measured now: the same number of pages of the same bytes, as a
    // static file through the same server and client (HTTP, loopback, parsing; no database,
    // no access check, no access log).
    let sample = client
        .get(format!("{base}/pull?since=0&limit=1000"))
        .bearer_auth(&leaders[0])
        .send()
        .await
        .expect("sample page")
        .bytes()
        .await
        .expect("sample bytes");
    std::fs::write(dir.join("dist/page.json"), &sample).expect("sample file");
    let pages = BURST_CHANGES.div_ceil(1000);
    let static_url = base.replace("/api/v1", "/page.json");
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..leaders.len() {
        let (client, url) = (client.clone(), static_url.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..pages {
                let body = client.get(&url).send().await.ok()?.bytes().await.ok()?;
                serde_json::from_slice::<Page>(&body).ok()?;
            }
            Some(())
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let burst_floor = t0.elapsed().as_secs_f64();
    let page_ms = Arc::new(Mutex::new(Vec::<f64>::new()));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for token in leaders {
        let (client, base, page_ms) = (client.clone(), base.clone(), page_ms.clone());
        tasks.push(tokio::spawn(async move {
            let (mut since, mut got) = (0, 0usize);
            loop {
                let t = Instant::now();
                let p = pull(&client, &base, &token, since).await?;
                page_ms
                    .lock()
                    .await
                    .push(t.elapsed().as_secs_f64() * 1000.0);
                got += p.changes.len();
                since = p.cursor;
                if p.remaining == 0 {
                    return Some(got);
                }
            }
        }));
    }
    let mut complete = 0;
    for t in tasks {
        if t.await.ok().flatten() == Some(BURST_CHANGES) {
            complete += 1;
        }
    }
    let burst = t0.elapsed().as_secs_f64();
    let mut page_ms = page_ms.lock().await.clone();
    page_ms.sort_by(f64::total_cmp);
    print(&format!("burst_{db}_devices_complete"), complete, "devices");
    print(
        &format!("burst_{db}_changes_each"),
        BURST_CHANGES,
        "changes",
    );
    print(&format!("burst_{db}_seconds"), format!("{burst:.2}"), "s");
    print(
        &format!("burst_{db}_floor_static_seconds"),
        format!("{burst_floor:.2}"),
        "s",
    );
    print(
        &format!("burst_{db}_over_floor"),
        format!("{:.2}", burst / burst_floor),
        "x",
    );
    print(
        &format!("burst_{db}_page_p50"),
        format!("{:.0}", percentile(&page_ms, 0.5)),
        "ms",
    );
    print(
        &format!("burst_{db}_page_p99"),
        format!("{:.0}", percentile(&page_ms, 0.99)),
        "ms",
    );
    print(
        &format!("burst_{db}_floor_health_p99"),
        format!("{floor:.1}"),
        "ms",
    );
    print(
        &format!("burst_{db}_peak_rss"),
        format!("{:.1}", rss_mib(server.pid).1),
        "MiB",
    );

    // --- 3. the backlog -------------------------------------------------------------------------
    let total: usize = std::env::var("DUKEN_LOAD_BACKLOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let families: Vec<Uuid> = (0..10).map(|_| Uuid::now_v7()).collect();
    let (mut seeded, mut clock) = (0, 1);
    while seeded < total {
        let batch: Vec<Change> = (0..MAX_PUSH_BATCH.min(total - seeded))
            .map(|i| {
                let f = families[(seeded + i) % families.len()];
                if seeded + i < families.len() {
                    change(f, f, Kind::Family, clock, "Familien Backlog")
                } else {
                    change(
                        f,
                        Uuid::now_v7(),
                        Kind::Meeting,
                        clock,
                        "Et møte, kort merknad.",
                    )
                }
            })
            .collect();
        clock += 1;
        assert_eq!(push(&client, &base, &backlog_partner, &batch).await, 200);
        seeded += batch.len();
    }
    let (mut since, mut got) = (0, 0usize);
    let mut times = Vec::new();
    let mut exact = true;
    loop {
        let t = Instant::now();
        let Some(p) = pull(&client, &base, &backlog_partner, since).await else {
            break;
        };
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        got += p.changes.len();
        exact &= p.remaining as usize == total - got;
        since = p.cursor;
        if p.remaining == 0 {
            break;
        }
    }
    let first = times.first().copied().unwrap_or(f64::NAN);
    let last = times.last().copied().unwrap_or(f64::NAN);
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    print(&format!("backlog_{db}_changes"), got, "changes");
    print(&format!("backlog_{db}_pages"), times.len(), "pages");
    print(
        &format!("backlog_{db}_remaining_exact_on_every_page"),
        exact && got == total,
        "",
    );
    print(
        &format!("backlog_{db}_first_page"),
        format!("{first:.1}"),
        "ms",
    );
    print(
        &format!("backlog_{db}_last_page"),
        format!("{last:.1}"),
        "ms",
    );
    print(
        &format!("backlog_{db}_page_p50"),
        format!("{:.1}", percentile(&sorted, 0.5)),
        "ms",
    );
    print(
        &format!("backlog_{db}_last_over_first"),
        format!("{:.2}", last / first),
        "x",
    );
}

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::var("DUKEN_LOAD_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60)
        .clamp(5, 600);
    let only = std::env::var("DUKEN_LOAD_DB").unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("duken-load-{}", Uuid::now_v7()));
    if only.is_empty() || only == "sqlite" {
        let d = dir.join("sqlite");
        std::fs::create_dir_all(&d).expect("dir");
        run(
            "sqlite",
            &format!("sqlite://{}/duken.db", d.display()),
            &d,
            seconds,
        )
        .await;
    }
    if only.is_empty() || only == "postgres" {
        let name = format!("bench_{}", Uuid::now_v7().simple());
        let admin = sqlx::PgPool::connect(&format!("{PG}/test"))
            .await
            .expect("postgres");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create database");
        let d = dir.join("postgres");
        std::fs::create_dir_all(&d).expect("dir");
        run("postgres", &format!("{PG}/{name}"), &d, seconds).await;
        let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
