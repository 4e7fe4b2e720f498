//! Configuration: flags, each with an environment variable as the alternative.

use std::path::PathBuf;

use clap::Parser;

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
}
