-- A team's own cloth templates (JSON, checked by duken_domain::cloth::Template before it is
-- stored). Every version is kept; a cloth carries a copy of the template it was made with.
CREATE TABLE cloth_templates (
    team_id TEXT NOT NULL REFERENCES teams (id),
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, code, version)
);
