//! Serves the built app from `dist/`. File names with a content hash (`name-<hash>.ext`) never
//! change content, so browsers may keep them forever; `index.html` and `sw.js` must always be
//! fetched fresh, or a device would keep an old app (and an old service worker) for good.

use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

pub fn router(dist: PathBuf) -> Router {
    let index = dist.join("index.html");
    // Unknown paths are app routes (e.g. /familier/…): answer with the app shell.
    let files = ServeDir::new(&dist).fallback(ServeFile::new(index));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn(refuse_bad_paths))
}

/// A path that decodes to a NUL, another control character or not UTF-8 names no file: a
/// JSON 400 rather than the file system's error (a 500).
async fn refuse_bad_paths(req: Request, next: Next) -> Response {
    if !plain_path(req.uri().path()) {
        return ApiError::BadRequest("adressen inneholder ugyldige tegn".into()).into_response();
    }
    // No file has a name that long (the file system would refuse it with an error).
    if req.uri().path().split('/').any(|seg| seg.len() > 255) {
        return ApiError::NotFound("filen".into()).into_response();
    }
    // The app's files are only ever fetched.
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return ApiError::MethodNotAllowed.into_response();
    }
    let res = next.run(req).await;
    if res.status().is_server_error() {
        // The file system refused in a way the check above did not foresee: say "not found"
        // in the documented form, and keep the detail in the log.
        tracing::error!(status = %res.status(), "serving a file failed");
        return ApiError::NotFound("filen".into()).into_response();
    }
    res
}

/// Percent-decodes `path` and tells whether it is UTF-8 without control characters.
fn plain_path(path: &str) -> bool {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(v) => {
                    out.push(v);
                    i += 3;
                    continue;
                }
                None => return false,
            }
        }
        out.push(b[i]);
        i += 1;
    }
    std::str::from_utf8(&out).is_ok_and(|s| !s.chars().any(char::is_control))
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
    use super::{is_hashed, plain_path};

    #[test]
    fn nul_and_control_characters_are_not_paths() {
        assert!(plain_path("/familier/abc"));
        assert!(plain_path("/%C3%A6%C3%B8"));
        assert!(!plain_path("/index.html%00"));
        assert!(!plain_path("/a%0a"));
        assert!(!plain_path("/%ff"));
        assert!(!plain_path("/%zz"));
    }

    #[test]
    fn only_hashed_names_count_as_hashed() {
        assert!(is_hashed("/duken-0123456789abcdef.wasm"));
        assert!(is_hashed("/duken_bg-0123456789abcdef.js"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/familier/0190-abc"));
    }
}
