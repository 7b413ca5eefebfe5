-- A value per scope that changes whenever something answers of that scope are made of
-- changes. A district's id as scope: what its dashboard counts, that is its projects and their topics and OZG services, adoptions, support requests,
-- funding applications and shares, the district strategy's measures, events and towns.
-- Triggers keep it, so every write path (and every server instance, and a write by hand)
-- is covered. Each instance keeps the dashboards it computed in memory together with the
-- value at the time, and reads this one row per request to know whether they are current
-- (src/kept.rs). The value is random, not a count, so that two databases never share one.
CREATE TABLE generations (
    scope TEXT PRIMARY KEY NOT NULL,
    generation BIGINT NOT NULL
);
INSERT INTO generations (scope, generation)
    SELECT id, (random() * 9.0e18)::bigint FROM districts;

-- Deferred to the commit, so that the one row is locked last in a transaction and
-- cannot take part in a deadlock with the rows the transaction writes.
CREATE FUNCTION bump_district_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
    d text;
BEGIN
    FOREACH r IN ARRAY ARRAY[
        CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
        CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END
    ] LOOP
        CONTINUE WHEN r IS NULL;
        d := CASE TG_ARGV[0]
            WHEN 'district' THEN r->>'district_id'
            WHEN 'project' THEN (SELECT district_id FROM projects WHERE id = r->>'project_id')
            WHEN 'application' THEN
                (SELECT district_id FROM funding_applications WHERE id = r->>'application_id')
            WHEN 'goal_field' THEN
                (SELECT s.district_id FROM goal_fields g JOIN strategies s ON s.id = g.strategy_id
                 WHERE g.id = r->>'goal_field_id')
            WHEN 'strategy' THEN (SELECT district_id FROM strategies WHERE id = r->>'strategy_id')
        END;
        IF d IS NOT NULL THEN
            INSERT INTO generations (scope, generation)
                VALUES (d, (random() * 9.0e18)::bigint)
                ON CONFLICT (scope) DO UPDATE SET generation = EXCLUDED.generation;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER projects_dashboard AFTER INSERT OR UPDATE OR DELETE ON projects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('district');

CREATE CONSTRAINT TRIGGER project_topics_dashboard AFTER INSERT OR UPDATE OR DELETE ON project_topics
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('project');

CREATE CONSTRAINT TRIGGER project_ozg_services_dashboard AFTER INSERT OR UPDATE OR DELETE ON project_ozg_services
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('project');

CREATE CONSTRAINT TRIGGER adoptions_dashboard AFTER INSERT OR UPDATE OR DELETE ON adoptions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('district');

CREATE CONSTRAINT TRIGGER support_requests_dashboard AFTER INSERT OR UPDATE OR DELETE ON support_requests
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('district');

CREATE CONSTRAINT TRIGGER funding_applications_dashboard AFTER INSERT OR UPDATE OR DELETE ON funding_applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('district');

CREATE CONSTRAINT TRIGGER application_shares_dashboard AFTER INSERT OR UPDATE OR DELETE ON application_shares
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('application');

CREATE CONSTRAINT TRIGGER measures_dashboard AFTER INSERT OR UPDATE OR DELETE ON measures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('goal_field');

CREATE CONSTRAINT TRIGGER goal_fields_dashboard AFTER INSERT OR UPDATE OR DELETE ON goal_fields
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('strategy');

CREATE CONSTRAINT TRIGGER strategies_dashboard AFTER INSERT OR UPDATE OR DELETE ON strategies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('district');

CREATE CONSTRAINT TRIGGER events_dashboard AFTER INSERT OR UPDATE OR DELETE ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('district');

CREATE CONSTRAINT TRIGGER municipalities_dashboard AFTER INSERT OR UPDATE OR DELETE ON municipalities
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_district_generation('district');

-- The scope 'projects': everything a project list shows (projects, their topics, OZG
-- services, partners and followers, the names of towns and topics). Lists without a search
-- text are kept per viewer kind while this value stays the same.
-- (No row yet means 0, like a district without one: the first write creates it.)

CREATE FUNCTION bump_projects_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', (random() * 9.0e18)::bigint)
        ON CONFLICT (scope) DO UPDATE SET generation = EXCLUDED.generation;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER projects_lists AFTER INSERT OR UPDATE OR DELETE ON projects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_projects_generation();

CREATE CONSTRAINT TRIGGER project_topics_lists AFTER INSERT OR UPDATE OR DELETE ON project_topics
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_projects_generation();

CREATE CONSTRAINT TRIGGER project_ozg_services_lists AFTER INSERT OR UPDATE OR DELETE ON project_ozg_services
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_projects_generation();

CREATE CONSTRAINT TRIGGER project_partners_lists AFTER INSERT OR UPDATE OR DELETE ON project_partners
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_projects_generation();

CREATE CONSTRAINT TRIGGER follows_lists AFTER INSERT OR UPDATE OR DELETE ON follows
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_projects_generation();

CREATE CONSTRAINT TRIGGER municipalities_lists AFTER INSERT OR UPDATE OR DELETE ON municipalities
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_projects_generation();

CREATE CONSTRAINT TRIGGER topics_lists AFTER INSERT OR UPDATE OR DELETE ON topics
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_projects_generation();
