-- The usage sums' generation (table usage_generations, migration 000020, which the code
-- bumped in each write path) becomes a scope of `generations` (migration 000023) kept by
-- triggers, so that writes by any path, including by hand, show on the next request:
--   'usage:' || district id: the district's usage figures and their sharing, its towns
--     (names, kind, membership) and its name: what the heat map, the "Potenzial" ranking
--     and the district totals are made of;
--   'leika': the LeiKa catalogue (service names, OZG ids) the views name services with.
-- No rows are seeded: a scope without a row counts as 0 and its first write creates it
-- (so a freshly migrated target of migrate-data stays empty).
DROP TABLE usage_generations;

CREATE TRIGGER usage_figures_usage_insert AFTER INSERT ON usage_figures BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || NEW.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER usage_figures_usage_update AFTER UPDATE ON usage_figures BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || NEW.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || OLD.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER usage_figures_usage_delete AFTER DELETE ON usage_figures BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || OLD.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER usage_sharing_usage_insert AFTER INSERT ON usage_sharing BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || (SELECT district_id FROM municipalities WHERE id = NEW.municipality_id) AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER usage_sharing_usage_update AFTER UPDATE ON usage_sharing BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || (SELECT district_id FROM municipalities WHERE id = NEW.municipality_id) AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || (SELECT district_id FROM municipalities WHERE id = OLD.municipality_id) AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER usage_sharing_usage_delete AFTER DELETE ON usage_sharing BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || (SELECT district_id FROM municipalities WHERE id = OLD.municipality_id) AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_usage_insert AFTER INSERT ON municipalities BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || NEW.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_usage_update AFTER UPDATE ON municipalities BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || NEW.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || OLD.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_usage_delete AFTER DELETE ON municipalities BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || OLD.district_id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER districts_usage_insert AFTER INSERT ON districts BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || NEW.id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER districts_usage_update AFTER UPDATE ON districts BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || NEW.id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || OLD.id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER districts_usage_delete AFTER DELETE ON districts BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'usage:' || OLD.id AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER leika_services_usage_insert AFTER INSERT ON leika_services BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'leika' AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER leika_services_usage_update AFTER UPDATE ON leika_services BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'leika' AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'leika' AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER leika_services_usage_delete AFTER DELETE ON leika_services BEGIN
    INSERT INTO generations (scope, generation)
        SELECT s, random() FROM (SELECT 'leika' AS s) WHERE s IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;
