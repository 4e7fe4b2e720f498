-- Each change's place among its family's changes (1, 2, 3, … in seq order), so that a pull
-- counts what a viewer has left to fetch with two index seeks per family, not by counting
-- every change after the cursor on every page (a first sync of N changes counted about
-- N²/2000 rows). Changes are never deleted, so for a family f and a cursor c,
-- "changes of f after c" = fseq of f's newest change − fseq of f's newest change at or before c.
-- Assigned by the push, which is serialised by its advisory lock.
ALTER TABLE changes ADD COLUMN fseq BIGINT NOT NULL DEFAULT 0;
UPDATE changes SET fseq = r.n
FROM (SELECT seq, row_number() OVER (PARTITION BY family_id ORDER BY seq) AS n FROM changes) AS r
WHERE r.seq = changes.seq;
