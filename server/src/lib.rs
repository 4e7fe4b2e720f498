//! Duken's server: the sync API over a SQLite or PostgreSQL store, and the built app.

pub mod accounts;
pub mod cli;
pub mod config;
pub mod error;
pub mod http;
pub mod storage;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::storage::Storage;

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    storage: Arc<dyn Storage>,
    dist: PathBuf,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, http::router(storage, dist))
        .with_graceful_shutdown(shutdown)
        .await
}
