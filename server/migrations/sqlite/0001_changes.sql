-- Every change ever pushed, in arrival order. `seq` is the pull cursor.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT NOT NULL UNIQUE,
    family_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    device_id TEXT NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX changes_family_seq ON changes (family_id, seq);

-- Identity of each record (kind and family never change), so a change cannot move a record
-- into another family.
CREATE TABLE records (
    record_id TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    kind TEXT NOT NULL
);
