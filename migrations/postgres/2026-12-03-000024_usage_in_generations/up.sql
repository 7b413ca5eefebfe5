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

-- Gives scope `s` a new value once per transaction. The triggers are deferred to the
-- commit (as in 000023: the row is locked last), so when one runs every write of the
-- transaction is done and a row this transaction already wrote (its xmin is ours) is
-- current for all of them: an import of thousands of figures writes the row once.
CREATE FUNCTION bump_generation_once(s text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF s IS NULL THEN
        RETURN;
    END IF;
    PERFORM 1 FROM generations
        WHERE scope = s AND xmin::text = (txid_current() % 4294967296)::text;
    IF NOT FOUND THEN
        INSERT INTO generations (scope, generation)
            VALUES (s, (random() * 9.0e18)::bigint)
            ON CONFLICT (scope) DO UPDATE SET generation = EXCLUDED.generation;
    END IF;
END
$$;

-- One branch per kind of table: a statement naming a column the table lacks is only
-- planned when its branch runs.
CREATE FUNCTION bump_usage_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_ARGV[0] = 'district' THEN
        IF TG_OP <> 'DELETE' THEN
            PERFORM bump_generation_once('usage:' || NEW.district_id);
        END IF;
        IF TG_OP <> 'INSERT' THEN
            PERFORM bump_generation_once('usage:' || OLD.district_id);
        END IF;
    ELSIF TG_ARGV[0] = 'town' THEN
        IF TG_OP <> 'DELETE' THEN
            PERFORM bump_generation_once('usage:' ||
                (SELECT district_id FROM municipalities WHERE id = NEW.municipality_id));
        END IF;
        IF TG_OP <> 'INSERT' THEN
            PERFORM bump_generation_once('usage:' ||
                (SELECT district_id FROM municipalities WHERE id = OLD.municipality_id));
        END IF;
    ELSIF TG_ARGV[0] = 'self' THEN
        IF TG_OP <> 'DELETE' THEN
            PERFORM bump_generation_once('usage:' || NEW.id);
        END IF;
        IF TG_OP <> 'INSERT' THEN
            PERFORM bump_generation_once('usage:' || OLD.id);
        END IF;
    ELSE
        PERFORM bump_generation_once('leika');
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER usage_figures_usage AFTER INSERT OR UPDATE OR DELETE ON usage_figures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_usage_generation('district');

CREATE CONSTRAINT TRIGGER usage_sharing_usage AFTER INSERT OR UPDATE OR DELETE ON usage_sharing
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_usage_generation('town');

CREATE CONSTRAINT TRIGGER municipalities_usage AFTER INSERT OR UPDATE OR DELETE ON municipalities
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_usage_generation('district');

CREATE CONSTRAINT TRIGGER districts_usage AFTER INSERT OR UPDATE OR DELETE ON districts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_usage_generation('self');

CREATE CONSTRAINT TRIGGER leika_services_usage AFTER INSERT OR UPDATE OR DELETE ON leika_services
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_usage_generation('leika');
