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

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::storage::Storage;

pub use auth::Session;

/// Largest request body accepted (a full push batch of notes fits well within it).
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    pub throttle: Arc<throttle::Throttle>,
    /// Mark the session cookie `Secure` (when served over TLS).
    pub secure_cookies: bool,
}

/// Only the app's own files may run: no inline script, no other origin, no framing.
/// `wasm-unsafe-eval` lets the page compile its own WebAssembly and nothing else.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn router(storage: Arc<dyn Storage>, dist: PathBuf, secure_cookies: bool) -> Router {
    let state = AppState {
        storage,
        throttle: Arc::default(),
        secure_cookies,
    };
    let api = Router::new()
        .merge(health::router())
        .merge(session::router())
        .merge(families::router())
        .merge(sync::router())
        .merge(templates::router())
        .fallback(|| async { crate::error::ApiError::NotFound("dette API-endepunktet".into()) })
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
        .merge(assets::router(dist))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
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
