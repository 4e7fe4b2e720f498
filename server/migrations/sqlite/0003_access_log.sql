-- Who read or wrote which family's data, when, from which device: append-only, hash-chained.
-- Each entry's hash covers the previous entry's hash, so changing or removing an entry breaks
-- every hash after it (`duken-server audit verify`).
CREATE TABLE access_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    family_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    count BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX access_log_family ON access_log (family_id, seq);

-- The newest hash. Updating this row first serialises appends (and catches a cut-off tail).
CREATE TABLE access_log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    hash TEXT NOT NULL
);
INSERT INTO access_log_head (id, hash) VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
