//! Login throttling per account and per client address: after [`MAX_FAILURES`] failed attempts
//! within [`WINDOW`] seconds, further attempts are refused until the oldest failure leaves the
//! window. Kept in the database, so a restart does not clear it.
//!
//! Behind a reverse proxy every request comes from the proxy's address; throttling by it would
//! let five wrong passwords from anyone lock every login. The client's address is taken from
//! `X-Forwarded-For` only when the request comes from a configured proxy (`--trusted-proxy`),
//! since anyone else can write that header.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

use crate::storage::{Storage, StorageError};

pub const MAX_FAILURES: i64 = 5;
pub const WINDOW: i64 = 15 * 60;

/// Seconds to wait before `keys` may try again, if any of them is locked.
pub async fn wait(
    storage: &dyn Storage,
    keys: &[String],
    now: i64,
) -> Result<Option<i64>, StorageError> {
    let mut longest = None;
    for k in keys {
        let (count, oldest) = storage.login_failures(k, now - WINDOW).await?;
        if count >= MAX_FAILURES {
            let wait = oldest.map_or(WINDOW, |t| WINDOW - (now - t)).max(1);
            longest = longest.max(Some(wait));
        }
    }
    Ok(longest)
}

pub async fn fail(storage: &dyn Storage, keys: &[String], now: i64) -> Result<(), StorageError> {
    storage.add_login_failure(keys, now, now - WINDOW).await
}

pub async fn clear(storage: &dyn Storage, key: &str) -> Result<(), StorageError> {
    storage.clear_login_failures(key).await
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address
/// in `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.contains(ip);
    if !is_trusted(&peer.ip()) {
        return peer.ip();
    }
    // Proxies append: the rightmost entries are the ones nearest to us.
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().expect("header"),
        );
        let from_proxy = SocketAddr::new(proxy, 4000);
        let from_elsewhere = SocketAddr::from(([192, 0, 2, 1], 4000));
        assert_eq!(
            client_ip(from_proxy, &h, &[proxy]),
            "198.51.100.7".parse::<IpAddr>().expect("ip")
        );
        assert_eq!(client_ip(from_elsewhere, &h, &[proxy]), from_elsewhere.ip());
        assert_eq!(client_ip(from_proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
