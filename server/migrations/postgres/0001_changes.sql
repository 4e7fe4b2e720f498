-- Every change ever pushed, in arrival order. `seq` is the pull cursor.
CREATE TABLE changes (
    seq BIGSERIAL PRIMARY KEY,
    change_id UUID NOT NULL UNIQUE,
    family_id UUID NOT NULL,
    record_id UUID NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    device_id UUID NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX changes_family_seq ON changes (family_id, seq);

-- Identity of each record (kind and family never change), so a change cannot move a record
-- into another family.
CREATE TABLE records (
    record_id UUID PRIMARY KEY,
    family_id UUID NOT NULL,
    kind TEXT NOT NULL
);
