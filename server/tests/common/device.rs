//! A device for tests: the domain's sync round (`duken_domain::sync::round`, the code the app
//! runs: push the outbox, then pull) over the real HTTP API, with the records and the outbox
//! kept in memory instead of IndexedDB.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use duken_domain::protocol::{
    ErrorBody, FamiliesResponse, PullResponse, PushRequest, PushResponse, CURSOR_RESET,
    PROTOCOL_VERSION,
};
use duken_domain::sync::{
    self, Coverage, Cursor, Outbox, Pulled, Pulling, Pushed, Remote, Replica,
};
use duken_domain::{Change, Record};
use uuid::Uuid;

/// One device: a session token and what it holds.
pub struct Device {
    pub base: String,
    pub token: String,
    pub client: reqwest::Client,
    pub held: RefCell<Held>,
}

#[derive(Default)]
pub struct Held {
    pub records: HashMap<Uuid, Record>,
    /// Every change id applied, for exact comparisons.
    pub changes: BTreeSet<Uuid>,
    pub cursor: Cursor,
    pub coverage: Coverage,
    /// Changes made on this device, waiting to be pushed.
    pub outbox: Vec<Change>,
    /// Changes the server refused for good, with its words.
    pub refused: Vec<(Change, String)>,
}

impl Device {
    pub fn new(base: &str, token: &str) -> Device {
        Device {
            base: base.to_owned(),
            token: token.to_owned(),
            client: reqwest::Client::new(),
            held: RefCell::new(Held::default()),
        }
    }

    /// One sync round as the app runs it: the outbox pushed, then pulled.
    pub async fn sync(&self) -> Result<Pulling, String> {
        Ok(self.round().await?.pulled)
    }

    /// One sync round, with what the push did too.
    pub async fn round(&self) -> Result<sync::Synced, String> {
        sync::round(self, self, || {}, |_, _| {}).await
    }

    /// Changes made on this device: merged into its records at once and waiting to be pushed.
    pub fn make(&self, changes: &[Change]) -> Result<(), String> {
        let mut h = self.held.borrow_mut();
        for c in changes {
            h.records
                .entry(c.record)
                .or_insert_with(|| Record::new(c.record, c.kind, c.family))
                .apply(c)
                .map_err(|e| e.to_string())?;
            h.outbox.push(c.clone());
        }
        Ok(())
    }

    /// The change ids this device holds of `family`.
    pub fn changes_of(&self, family: Uuid) -> BTreeSet<Uuid> {
        let held = self.held.borrow();
        held.records
            .values()
            .filter(|r| r.family == family)
            .flat_map(|r| r.change_ids())
            .collect()
    }
}

impl Remote for Device {
    type Error = String;

    async fn pull(
        &self,
        since: Cursor,
        limit: u32,
        family: Option<Uuid>,
    ) -> Result<Pulled, String> {
        let mut url = format!("{}/pull?since={}&limit={limit}", self.base, since.seq);
        match family {
            Some(f) => url.push_str(&format!("&family={f}")),
            None => {
                if let Some(at) = since.at {
                    url.push_str(&format!("&after={at}"));
                }
            }
        }
        let res = self
            .client
            .get(url)
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        if status == 409 {
            let body: ErrorBody = res.json().await.map_err(|e| e.to_string())?;
            if body.error == CURSOR_RESET {
                return Ok(Pulled::Reset);
            }
            return Err(body.message);
        }
        if status != 200 {
            return Err(format!("pull answered {status}"));
        }
        let page: PullResponse = res.json().await.map_err(|e| e.to_string())?;
        Ok(Pulled::Page(page))
    }

    async fn families(&self) -> Result<FamiliesResponse, String> {
        let res = self
            .client
            .get(format!("{}/families", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if res.status().as_u16() != 200 {
            return Err(format!("families answered {}", res.status()));
        }
        res.json().await.map_err(|e| e.to_string())
    }

    async fn push(&self, batch: &[Change]) -> Result<Pushed, String> {
        let res = self
            .client
            .post(format!("{}/push", self.base))
            .bearer_auth(&self.token)
            .json(&PushRequest {
                protocol: PROTOCOL_VERSION,
                changes: batch.to_vec(),
            })
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        if status == 200 {
            let ack: PushResponse = res.json().await.map_err(|e| e.to_string())?;
            return Ok(Pushed::Acknowledged(ack.acknowledged));
        }
        if (400..500).contains(&status) && status != 401 && status != 409 {
            let body: ErrorBody = res.json().await.map_err(|e| e.to_string())?;
            return Ok(Pushed::Refused {
                message: body.message,
                changes: body
                    .refused
                    .into_iter()
                    .map(|r| (r.change, r.message))
                    .collect(),
            });
        }
        Err(format!("push answered {status}"))
    }
}

impl Outbox for Device {
    type Error = String;

    async fn waiting(&self, limit: u32) -> Result<Vec<Change>, String> {
        let h = self.held.borrow();
        Ok(h.outbox.iter().take(limit as usize).cloned().collect())
    }

    async fn acknowledge(&self, ids: &[Uuid]) -> Result<(), String> {
        self.held
            .borrow_mut()
            .outbox
            .retain(|c| !ids.contains(&c.id));
        Ok(())
    }

    async fn hold(&self, refused: &[(Uuid, String)]) -> Result<u32, String> {
        let mut h = self.held.borrow_mut();
        let mut n = 0;
        for (id, why) in refused {
            if let Some(i) = h.outbox.iter().position(|c| c.id == *id) {
                let c = h.outbox.remove(i);
                h.refused.push((c, why.clone()));
                n += 1;
            }
        }
        Ok(n)
    }
}

impl Replica for Device {
    type Error = String;

    async fn position(&self) -> Result<(Cursor, Coverage), String> {
        let h = self.held.borrow();
        Ok((h.cursor, h.coverage.clone()))
    }

    async fn apply(&self, changes: &[Change], cursor: Option<Cursor>) -> Result<(), String> {
        let mut h = self.held.borrow_mut();
        for c in changes {
            h.records
                .entry(c.record)
                .or_insert_with(|| Record::new(c.record, c.kind, c.family))
                .apply(c)
                .map_err(|e| e.to_string())?;
            h.changes.insert(c.id);
        }
        if let Some(cursor) = cursor {
            h.cursor = cursor;
        }
        Ok(())
    }

    async fn set_coverage(&self, coverage: &Coverage) -> Result<(), String> {
        self.held.borrow_mut().coverage = coverage.clone();
        Ok(())
    }

    async fn reset(&self) -> Result<(), String> {
        let mut h = self.held.borrow_mut();
        h.cursor = Cursor::default();
        h.coverage = Coverage::default();
        Ok(())
    }
}
