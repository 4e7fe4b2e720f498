-- A team's own rating forms (JSON, checked by duken_domain::rating::RatingTemplate before it is
-- stored). Every version is kept; a filled rating carries a copy of the form it was given with.
CREATE TABLE rating_templates (
    team_id TEXT NOT NULL REFERENCES teams (id),
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, code, version)
);
