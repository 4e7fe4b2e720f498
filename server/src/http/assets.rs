//! Serves the built app from `dist/`. File names with a content hash (`name-<hash>.ext`) never
//! change content, so browsers may keep them forever; `index.html` and `sw.js` must always be
//! fetched fresh, or a device would keep an old app (and an old service worker) for good.

use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(dist: PathBuf) -> Router {
    let index = dist.join("index.html");
    // Unknown paths are app routes (e.g. /familier/…): answer with the app shell.
    let files = ServeDir::new(&dist).fallback(ServeFile::new(index));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
}

/// `app-3f2a9c1b.wasm` → hashed; `index.html`, `sw.js`, `manifest.webmanifest` → not.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let value = if is_hashed(&path) && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else if html || path == "/sw.js" {
        // The shell and the service worker: never from an HTTP cache (the service worker's own
        // cache is what serves them offline).
        "no-store"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_hashed_names_count_as_hashed() {
        assert!(is_hashed("/duken-0123456789abcdef.wasm"));
        assert!(is_hashed("/duken_bg-0123456789abcdef.js"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/familier/0190-abc"));
    }
}
