-- Where a family's history stood when a user's access to it began (the cursor of its newest
-- change then; 0 for the partner who registered it). A device back-fills a family once per
-- value: its cursor had already passed those changes. Grants made before this column get the
-- family's newest change now, so devices back-fill them once more (harmless: merging is union).
ALTER TABLE family_access ADD COLUMN history BIGINT NOT NULL DEFAULT 0;
UPDATE family_access SET history = COALESCE(
    (SELECT MAX(seq) FROM changes WHERE changes.family_id = family_access.family_id), 0)
WHERE user_id <> (SELECT created_by FROM families WHERE families.family_id = family_access.family_id);
