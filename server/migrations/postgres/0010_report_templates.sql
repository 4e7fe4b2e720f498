-- A team's own report templates (JSON, checked by duken_domain::report::ReportTemplate before
-- it is stored). Every version is kept; a report carries a copy of the template it was started with.
CREATE TABLE report_templates (
    team_id TEXT NOT NULL REFERENCES teams (id),
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, code, version)
);
