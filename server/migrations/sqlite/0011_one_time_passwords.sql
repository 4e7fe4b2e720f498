-- A password the server generated (user create, reset-password) is one-time: set when it
-- was given, the user must choose their own at the first login, and nothing else is served
-- until then. NULL: the user's own password.
ALTER TABLE users ADD COLUMN one_time_password_at INTEGER;
