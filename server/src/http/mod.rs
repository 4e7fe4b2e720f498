//! The HTTP surface: `/api/v1/…` for sync, everything else is the built app.

mod assets;
pub mod auth;
mod families;
mod health;
mod json;
mod session;
mod sync;
mod templates;
mod throttle;

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::audit::AuditLog;
use crate::config::ServeOptions;
use crate::error::ApiError;
use crate::storage::Storage;

pub use auth::Session;

pub use json::BODY_LIMIT;

/// Pull pages built at once; the rest wait their turn, in order.
pub const PULLS_AT_ONCE: usize = 8;

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub audit: AuditLog,
    /// Proxies whose `X-Forwarded-For` is believed (login throttling).
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    /// Mark the session cookie `Secure` (when served over TLS).
    pub secure_cookies: bool,
    /// Turns for building pull pages (see `sync::pull`).
    pub pulls: Arc<tokio::sync::Semaphore>,
}

/// Only the app's own files may run: no inline script, no other origin, no framing.
/// `wasm-unsafe-eval` lets the page compile its own WebAssembly and nothing else.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn router(storage: Arc<dyn Storage>, audit: AuditLog, opts: &ServeOptions) -> Router {
    let secure_cookies = opts.secure_cookies;
    let state = AppState {
        storage,
        audit,
        trusted_proxies: Arc::new(opts.trusted_proxies.clone()),
        secure_cookies,
        pulls: Arc::new(tokio::sync::Semaphore::new(PULLS_AT_ONCE)),
    };
    let api = Router::new()
        .merge(health::router())
        .merge(session::router())
        .merge(families::router())
        .merge(sync::router())
        .merge(templates::router())
        .fallback(api_not_found)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .with_state(state)
        // Family data must never sit in a browser's or a proxy's HTTP cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let hsts = secure_cookies.then(|| {
        // Only when served over TLS (the same switch as Secure cookies).
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    Router::new()
        .nest("/api/v1", api)
        .merge(assets::router(opts.dist.clone()))
        .layer(middleware::from_fn(other_api_versions))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(read_body_first))
        .layer(RequestBodyTimeoutLayer::new(opts.limits.body_timeout))
        .layer(tower::util::option_layer(hsts))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound("dette API-endepunktet".into())
}

/// `/api` paths outside `/api/v1` (another version, a typo): JSON 404, never the app's
/// `index.html` with 200, which an upgraded device would take for an answer.
async fn other_api_versions(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path == "/api" || path.starts_with("/api/");
    if api && path != "/api/v1" && !path.starts_with("/api/v1/") {
        return api_not_found().await.into_response();
    }
    next.run(req).await
}

/// Reads the whole request body before the handler runs. A body announced as larger than
/// [`BODY_LIMIT`] is refused before a byte of it is read; one that turns out larger, or comes
/// too slowly, is refused when that shows; either way the connection is closed, so one client
/// cannot tie the server up sending 10 GB it will not take.
///
/// Reading first also means a handler that refuses early (no session, say) never leaves a body
/// unread on the connection: the client gets the answer, not a broken pipe while it writes.
async fn read_body_first(req: Request, next: Next) -> Response {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>());
    let refuse = |e: ApiError| {
        let mut res = e.into_response();
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        res
    };
    match announced {
        Some(Ok(n)) if n > BODY_LIMIT as u64 => {
            return refuse(ApiError::TooLarge { limit: BODY_LIMIT })
        }
        Some(Err(_)) => {
            return refuse(ApiError::BadRequest(
                "Content-Length er ikke et tall".into(),
            ))
        }
        Some(Ok(0)) => return next.run(req).await,
        None if !req.headers().contains_key(header::TRANSFER_ENCODING) => {
            return next.run(req).await
        }
        _ => {}
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Err(e) => refuse(json::body_error(&e)),
    }
}
