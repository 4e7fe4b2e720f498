//! Duken's server: the sync API over a SQLite or PostgreSQL store, and the built app.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod http;
pub mod session;
pub mod storage;
pub mod templates;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::audit::AuditLog;
pub use crate::config::{Limits, ServeOptions};
use crate::storage::Storage;

/// Serves until `shutdown` resolves, then finishes the requests in flight (for at most ten
/// seconds) and signs a last checkpoint of the access log.
///
/// The accept loop is our own rather than `axum::serve`, for the limits a server on the open
/// network needs: a deadline for a request's headers (which also ends idle kept-alive
/// connections), a cap on open connections, and graceful shutdown of the ones that are open.
pub async fn serve(
    listener: TcpListener,
    storage: Arc<dyn Storage>,
    opts: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (audit, writer) = AuditLog::start(storage.clone(), &opts.audit)
        .await
        .map_err(std::io::Error::other)?;
    let app = http::router(storage, audit, &opts);
    let permits = Arc::new(Semaphore::new(opts.limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(opts.limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        // A permit before accepting: past the cap, new clients wait in the listen backlog.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let svc = tower::ServiceExt::map_request(
            app.clone(),
            move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                // The peer address feeds login throttling per address.
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            },
        );
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    drop(app);
    if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open after ten seconds");
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), writer).await;
    Ok(())
}
