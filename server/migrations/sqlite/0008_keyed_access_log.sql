-- Which key signed each entry (HMAC-SHA-256, the key kept outside the database; see
-- docs/threat-model.md). '' marks an entry from before keys: only plainly hashed, which a
-- database writer can recompute, so `audit verify` accepts those only up to the first
-- checkpoint written outside the database.
ALTER TABLE access_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
