//! Login throttling per account and per address: after [`MAX_FAILURES`] failed attempts within
//! [`WINDOW`] seconds, further attempts are refused until the oldest failure leaves the window.
//! Kept in memory: one server process serves a municipality; a restart clears it.

use std::collections::HashMap;
use std::sync::Mutex;

pub const MAX_FAILURES: usize = 5;
pub const WINDOW: i64 = 15 * 60;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl Throttle {
    /// Seconds to wait before `keys` may try again, if any of them is locked.
    pub fn wait(&self, keys: &[String], now: i64) -> Option<i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter()
            .filter_map(|k| {
                let list = map.get_mut(k)?;
                list.retain(|t| now - t < WINDOW);
                (list.len() >= MAX_FAILURES)
                    .then(|| list.first().map_or(WINDOW, |t| WINDOW - (now - t)))
            })
            .max()
    }

    pub fn fail(&self, keys: &[String], now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.entry(k.clone()).or_default().push(now);
        }
    }

    pub fn clear(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_five_failures_and_opens_after_the_window() {
        let t = Throttle::default();
        let keys = vec!["user:kari".to_owned()];
        for i in 0..5 {
            assert_eq!(t.wait(&keys, 100 + i), None);
            t.fail(&keys, 100 + i);
        }
        assert_eq!(t.wait(&keys, 110), Some(WINDOW - 10));
        assert_eq!(t.wait(&keys, 100 + WINDOW), None);
    }
}
