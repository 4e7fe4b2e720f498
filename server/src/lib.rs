//! Duken's server: the sync API over a SQLite or PostgreSQL store, and the built app.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod cli;
pub mod config;
pub mod error;
pub mod http;
pub mod storage;
pub mod templates;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::storage::Storage;

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    storage: Arc<dyn Storage>,
    dist: PathBuf,
    secure_cookies: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = http::router(storage, dist, secure_cookies);
    // The peer address feeds login throttling per address.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
