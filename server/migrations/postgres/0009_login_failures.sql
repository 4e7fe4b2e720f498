-- Failed logins, per account and per client address, for throttling. In the database so a
-- restart does not clear it and several server processes share it.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
