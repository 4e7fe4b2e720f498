//! Configuration: flags, each with an environment variable as the alternative.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::audit::AuditFiles;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "duken-server",
    about = "Duken: sync server and app host",
    version
)]
pub struct Config {
    /// Address to listen on (host:port).
    #[arg(long, env = "DUKEN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,

    /// sqlite://path or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/duken.db")]
    pub database_url: String,

    /// Folder holding the built app (index.html, hashed assets, sw.js).
    #[arg(long, env = "DUKEN_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Mark the session cookie Secure; set this when Duken is served over HTTPS.
    #[arg(long, env = "DUKEN_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// The keys that sign the access log (made on first start). Keep it outside the database
    /// and its backups: whoever has both can rewrite the log undetected.
    #[arg(long, env = "DUKEN_AUDIT_KEYS", default_value = "data/audit-keys")]
    pub audit_keys: PathBuf,

    /// Append-only file of signed checkpoints of the access log's head.
    #[arg(
        long,
        env = "DUKEN_AUDIT_CHECKPOINTS",
        default_value = "data/audit-checkpoints"
    )]
    pub audit_checkpoints: PathBuf,

    /// A reverse proxy whose X-Forwarded-For is believed (repeat for several). Requests from
    /// any other address are throttled by that address.
    #[arg(
        long = "trusted-proxy",
        env = "DUKEN_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,

    /// Seconds a client gets to send a request's headers; an idle kept-alive connection is
    /// closed after as long.
    #[arg(long, env = "DUKEN_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,

    /// Seconds a client gets to send a request's body.
    #[arg(long, env = "DUKEN_BODY_TIMEOUT", default_value_t = 30)]
    pub body_timeout: u64,

    /// Most connections open at once; more wait to be accepted.
    #[arg(long, env = "DUKEN_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
}

/// How long clients may take, and how many may be connected.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// Everything `serve` needs besides the listener and the database.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub dist: PathBuf,
    pub secure_cookies: bool,
    pub audit: AuditFiles,
    pub limits: Limits,
    pub trusted_proxies: Vec<IpAddr>,
}

impl Config {
    pub fn audit_files(&self) -> AuditFiles {
        AuditFiles {
            keys: self.audit_keys.clone(),
            checkpoints: self.audit_checkpoints.clone(),
        }
    }

    pub fn serve_options(&self) -> ServeOptions {
        ServeOptions {
            dist: self.dist.clone(),
            secure_cookies: self.secure_cookies,
            audit: self.audit_files(),
            limits: Limits {
                header_timeout: Duration::from_secs(self.header_timeout.max(1)),
                body_timeout: Duration::from_secs(self.body_timeout.max(1)),
                max_connections: self.max_connections.max(1),
            },
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }
}
