-- Per-family access. A family belongs to a team; its partners (1-2) may read and write it; a
-- contact person may be given read access; the team's leaders may read it.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
ALTER TABLE users ADD COLUMN team_id TEXT REFERENCES teams (id);

-- A family is registered by the first push that names it, made by a familiepartner.
CREATE TABLE families (
    family_id TEXT PRIMARY KEY,
    team_id TEXT REFERENCES teams (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE family_access (
    family_id TEXT NOT NULL REFERENCES families (family_id),
    user_id TEXT NOT NULL REFERENCES users (id),
    -- 'partner' (read and write) or 'reader' (read only)
    access TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (family_id, user_id)
);
CREATE INDEX family_access_user ON family_access (user_id);
