//! Starts the real server on a free port, over a real SQLite file or a real PostgreSQL schema,
//! and talks to it with a real HTTP client.

#![allow(dead_code)]

pub mod device;

/// Runs each scenario on both databases: `mod sqlite` and `mod postgres` with one test each.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Backend::Sqlite).await; })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Backend::Postgres).await; })*
        }
    };
}

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::sync::Arc;

use duken_domain::protocol::PROTOCOL_VERSION;
use duken_domain::{Change, FieldWrite, Kind};
use duken_server::storage::{self, Postgres, Storage};
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use tokio::sync::oneshot;
use uuid::Uuid;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    /// A familiepartner logged in on one device; requests carry this session's token.
    pub token: String,
    pub storage: Arc<dyn Storage>,
    stop: Option<oneshot::Sender<()>>,
    /// The PostgreSQL schema this test made, dropped at the end.
    schema: Option<String>,
    /// For SQLite: the database URL (for raw SQL and the command line).
    pub sqlite_url: Option<String>,
    /// The access log's key and checkpoint files (outside the database).
    pub audit: duken_server::audit::AuditFiles,
    /// The address the server listens on.
    pub addr: std::net::SocketAddr,
    _dir: TempDir,
}

/// A folder removed when the test ends.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

async fn open(backend: Backend, dir: &TempDir) -> (Arc<dyn Storage>, Option<String>) {
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}/duken.db", dir.0.display());
            (storage::connect(&url).await.expect("sqlite opens"), None)
        }
        Backend::Postgres => {
            // Each test gets its own schema, so tests run in parallel without seeing each other.
            let schema = format!("t_{}", Uuid::now_v7().simple());
            let admin = sqlx::PgPool::connect(PG_URL)
                .await
                .expect("postgres on 127.0.0.1:5432");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin)
                .await
                .expect("create schema");
            admin.close().await;
            let opts = PgConnectOptions::from_str(PG_URL)
                .expect("url")
                .options([("search_path", schema.as_str())]);
            let storage: Arc<dyn Storage> =
                Arc::new(Postgres::open_with(opts).await.expect("postgres opens"));
            (storage, Some(schema))
        }
    }
}

impl TestServer {
    pub async fn start(backend: Backend) -> TestServer {
        Self::start_with(backend, |_| {}).await
    }

    /// Starts with the default options changed by `adjust` (short timeouts, a trusted proxy).
    pub async fn start_with(
        backend: Backend,
        adjust: impl FnOnce(&mut duken_server::ServeOptions),
    ) -> TestServer {
        // Server errors show in a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("warn")
            .try_init();
        let dir = TempDir(std::env::temp_dir().join(format!("duken-test-{}", Uuid::now_v7())));
        std::fs::create_dir_all(dir.0.join("dist")).expect("temp dir");
        std::fs::write(
            dir.0.join("dist/index.html"),
            "<!doctype html><title>Duken</title>",
        )
        .expect("index");
        std::fs::write(dir.0.join("dist/duken_bg-0123456789abcdef.wasm"), b"\0asm").expect("asset");
        std::fs::write(dir.0.join("dist/sw.js"), "// service worker").expect("sw");
        let (storage, schema) = open(backend, &dir).await;
        let sqlite_url = matches!(backend, Backend::Sqlite)
            .then(|| format!("sqlite://{}/duken.db", dir.0.display()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let audit = duken_server::audit::AuditFiles {
            keys: dir.0.join("audit-keys"),
            checkpoints: dir.0.join("audit-checkpoints"),
        };
        let mut opts = duken_server::ServeOptions {
            dist: dir.0.join("dist"),
            secure_cookies: false,
            audit: audit.clone(),
            limits: duken_server::Limits::default(),
            trusted_proxies: Vec::new(),
        };
        adjust(&mut opts);
        let served = storage.clone();
        tokio::spawn(async move {
            if let Err(e) = duken_server::serve(listener, served, opts, async {
                let _ = stopped.await;
            })
            .await
            {
                eprintln!("the test server stopped: {e}");
            }
        });
        let token = login_session(storage.as_ref(), "partner").await;
        TestServer {
            base: format!("http://{addr}/api/v1"),
            client: reqwest::Client::new(),
            token,
            storage,
            stop: Some(stop),
            schema,
            sqlite_url,
            audit,
            addr,
            _dir: dir,
        }
    }

    /// Serves the same database from a second server (as after a restart: nothing kept in the
    /// first one's memory), with options changed by `adjust`; returns its `/api/v1` base.
    pub async fn serve_again(
        &self,
        adjust: impl FnOnce(&mut duken_server::ServeOptions),
    ) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut opts = duken_server::ServeOptions {
            dist: self._dir.0.join("dist"),
            secure_cookies: false,
            audit: self.audit.clone(),
            limits: duken_server::Limits::default(),
            trusted_proxies: Vec::new(),
        };
        adjust(&mut opts);
        let served = self.storage.clone();
        tokio::spawn(async move {
            let _ = duken_server::serve(listener, served, opts, std::future::pending()).await;
        });
        format!("http://{addr}/api/v1")
    }

    /// Opens the test's database again (running any migration it has not had), as a server
    /// upgraded in place does.
    pub async fn reopen(&self) -> Arc<dyn Storage> {
        if let Some(url) = &self.sqlite_url {
            storage::connect(url).await.expect("sqlite opens again")
        } else {
            let schema = self.schema.as_deref().expect("a schema");
            let opts = PgConnectOptions::from_str(PG_URL)
                .expect("url")
                .options([("search_path", schema)]);
            Arc::new(
                Postgres::open_with(opts)
                    .await
                    .expect("postgres opens again"),
            )
        }
    }

    /// Runs SQL straight on the test's database, as someone with database access could.
    pub async fn exec_sql(&self, sql: &str) -> Result<(), sqlx::Error> {
        if let Some(url) = &self.sqlite_url {
            let pool = sqlx::SqlitePool::connect(url).await?;
            sqlx::query(sql).execute(&pool).await?;
            pool.close().await;
        } else if let Some(schema) = &self.schema {
            let opts =
                PgConnectOptions::from_str(PG_URL)?.options([("search_path", schema.as_str())]);
            let pool = sqlx::PgPool::connect_with(opts).await?;
            sqlx::query(sql).execute(&pool).await?;
            pool.close().await;
        }
        Ok(())
    }

    /// The session id behind the test's token.
    pub async fn session_id(&self) -> String {
        self.storage
            .session_and_user(&duken_server::accounts::token_hash(&self.token))
            .await
            .expect("query")
            .expect("session")
            .0
            .id
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET `path` as the holder of `token`; returns status and JSON body.
    pub async fn get_as(&self, token: &str, path: &str) -> (u16, Value) {
        let res = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        (res.status().as_u16(), res.json().await.expect("json"))
    }

    /// POST /push with a raw JSON body; returns status and JSON body.
    pub async fn push_raw(&self, body: Value) -> (u16, Value) {
        let res = self
            .client
            .post(self.url("/push"))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.expect("json body"))
    }

    /// POST /push of `changes` as the holder of `token`.
    pub async fn push_as(&self, token: &str, changes: &[Change]) -> (u16, Value) {
        let res = self
            .client
            .post(self.url("/push"))
            .bearer_auth(token)
            .json(&json!({ "protocol": PROTOCOL_VERSION, "changes": changes }))
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.expect("json body"))
    }

    /// Sends `request` as raw bytes on a new connection and reads until the server closes it
    /// (or 10 s pass); returns (status, headers and body as text).
    pub async fn raw(&self, request: &[u8]) -> (u16, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut sock = tokio::net::TcpStream::connect(self.addr)
            .await
            .expect("connect");
        sock.write_all(request).await.expect("write");
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match tokio::time::timeout_at(deadline, sock.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
                Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            }
            // One response is enough when the server keeps the connection open.
            let text = String::from_utf8_lossy(&out);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_owned())
                    })
                    .and_then(|v| v.parse::<usize>().ok());
                if len.is_some_and(|n| body.len() >= n) {
                    break;
                }
            }
        }
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    /// Every entry of the access log, oldest first.
    pub async fn access_entries(
        &self,
        family: Option<Uuid>,
    ) -> Vec<duken_server::storage::access_log::AccessRow> {
        let f = family.map(|f| f.to_string());
        self.storage
            .access_entries(f.as_deref(), 0, i64::MAX)
            .await
            .expect("entries")
    }

    pub async fn push(&self, changes: &[Change]) -> (u16, Value) {
        self.push_raw(json!({ "protocol": PROTOCOL_VERSION, "changes": changes }))
            .await
    }

    pub async fn pull(&self, since: i64, limit: u32) -> (u16, Value) {
        let res = self
            .client
            .get(self.url(&format!("/pull?since={since}&limit={limit}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.expect("json body"))
    }

    /// Pulls everything from the start; returns the change ids in order.
    pub async fn pull_all(&self) -> Vec<Uuid> {
        let mut since = 0;
        let mut ids = Vec::new();
        loop {
            let (status, body) = self.pull(since, 1000).await;
            assert_eq!(status, 200, "{body}");
            for c in body["changes"].as_array().expect("changes") {
                ids.push(Uuid::parse_str(c["id"].as_str().expect("id")).expect("uuid"));
            }
            since = body["cursor"].as_i64().expect("cursor");
            if body["remaining"].as_u64() == Some(0) {
                return ids;
            }
        }
    }
}

pub const PASSWORD: &str = "kaffe på kjøkkenbordet";

/// Makes a user (if new) and a session for them straight in storage; returns the token.
pub async fn login_session(storage: &dyn Storage, username: &str) -> String {
    let user = match storage.user_by_username(username).await.expect("query") {
        Some(u) => u,
        None => duken_server::accounts::create_user(
            storage,
            username,
            username,
            "familiepartner",
            PASSWORD,
            None,
        )
        .await
        .expect("user"),
    };
    let (token, hash) = duken_server::accounts::new_token();
    let t = duken_server::accounts::now();
    storage
        .create_session(&duken_server::storage::accounts::SessionRow {
            id: Uuid::now_v7().to_string(),
            user_id: user.id,
            token_hash: hash,
            device_name: "test".into(),
            created_at: t,
            last_seen_at: t,
            expires_at: t + 3600,
            revoked_at: None,
        })
        .await
        .expect("session");
    token
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(schema) = self.schema.take() {
            // Tests run on the multi-threaded runtime, where blocking here is allowed.
            tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(async {
                    match sqlx::PgPool::connect(PG_URL).await {
                        Ok(admin) => {
                            if let Err(e) = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                                .execute(&admin)
                                .await
                            {
                                eprintln!("could not drop test schema {schema}: {e}");
                            }
                            admin.close().await;
                        }
                        Err(e) => eprintln!("could not drop test schema {schema}: {e}"),
                    }
                });
            });
        }
    }
}

pub fn family_change(family: Uuid, clock: u64, name: &str) -> Change {
    Change {
        id: Uuid::now_v7(),
        record: family,
        kind: Kind::Family,
        family,
        clock,
        writes: vec![FieldWrite {
            field: "name".into(),
            value: json!(name),
            base: None,
            resolves: vec![],
        }],
    }
}

pub fn meeting_change(family: Uuid, field: &str, value: Value) -> Change {
    Change {
        id: Uuid::now_v7(),
        record: Uuid::now_v7(),
        kind: Kind::Meeting,
        family,
        clock: 1,
        writes: vec![FieldWrite {
            field: field.into(),
            value,
            base: None,
            resolves: vec![],
        }],
    }
}

/// Runs the server binary's command line against `db`; returns (success, stdout, stderr).
pub fn cli(db: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    // The access log's files beside a SQLite database; never in the source tree.
    let beside = db
        .strip_prefix("sqlite://")
        .and_then(|p| std::path::Path::new(p).parent().map(|d| d.to_owned()))
        .unwrap_or_else(|| std::env::temp_dir().join(format!("duken-cli-{}", std::process::id())));
    let mut child = Command::new(env!("CARGO_BIN_EXE_duken-server"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("DUKEN_AUDIT_KEYS", beside.join("audit-keys"))
        .env("DUKEN_AUDIT_CHECKPOINTS", beside.join("audit-checkpoints"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A change of `record` writing `writes` (field, value), without bases.
pub fn change(kind: Kind, family: Uuid, record: Uuid, writes: &[(&str, Value)]) -> Change {
    Change {
        id: Uuid::now_v7(),
        record,
        kind,
        family,
        clock: 1,
        writes: writes
            .iter()
            .map(|(f, v)| FieldWrite {
                field: (*f).into(),
                value: v.clone(),
                base: None,
                resolves: vec![],
            })
            .collect(),
    }
}
