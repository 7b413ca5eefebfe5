-- A value per district that changes whenever something the district dashboard counts
-- changes: its projects and their topics and OZG services, adoptions, support requests,
-- funding applications and shares, the district strategy's measures, events and towns.
-- Triggers keep it, so every write path (and every server instance, and a write by hand)
-- is covered. Each instance keeps the dashboards it computed in memory together with the
-- value at the time, and reads this one row per request to know whether they are current.
-- The value is random, not a count, so that two databases never share a value for a district.
CREATE TABLE dashboard_generations (
    district_id TEXT PRIMARY KEY NOT NULL,
    generation BIGINT NOT NULL
);
INSERT INTO dashboard_generations (district_id, generation)
    SELECT id, (random() * 9.0e18)::bigint FROM districts;

-- Deferred to the commit, so that the one row is locked last in a transaction and
-- cannot take part in a deadlock with the rows the transaction writes.
CREATE FUNCTION bump_dashboard_generation() RETURNS trigger LANGUAGE plpgsql AS $$
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
            INSERT INTO dashboard_generations (district_id, generation)
                VALUES (d, (random() * 9.0e18)::bigint)
                ON CONFLICT (district_id) DO UPDATE SET generation = EXCLUDED.generation;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER projects_dashboard AFTER INSERT OR UPDATE OR DELETE ON projects
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('district');

CREATE CONSTRAINT TRIGGER project_topics_dashboard AFTER INSERT OR UPDATE OR DELETE ON project_topics
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('project');

CREATE CONSTRAINT TRIGGER project_ozg_services_dashboard AFTER INSERT OR UPDATE OR DELETE ON project_ozg_services
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('project');

CREATE CONSTRAINT TRIGGER adoptions_dashboard AFTER INSERT OR UPDATE OR DELETE ON adoptions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('district');

CREATE CONSTRAINT TRIGGER support_requests_dashboard AFTER INSERT OR UPDATE OR DELETE ON support_requests
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('district');

CREATE CONSTRAINT TRIGGER funding_applications_dashboard AFTER INSERT OR UPDATE OR DELETE ON funding_applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('district');

CREATE CONSTRAINT TRIGGER application_shares_dashboard AFTER INSERT OR UPDATE OR DELETE ON application_shares
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('application');

CREATE CONSTRAINT TRIGGER measures_dashboard AFTER INSERT OR UPDATE OR DELETE ON measures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('goal_field');

CREATE CONSTRAINT TRIGGER goal_fields_dashboard AFTER INSERT OR UPDATE OR DELETE ON goal_fields
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('strategy');

CREATE CONSTRAINT TRIGGER strategies_dashboard AFTER INSERT OR UPDATE OR DELETE ON strategies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('district');

CREATE CONSTRAINT TRIGGER events_dashboard AFTER INSERT OR UPDATE OR DELETE ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('district');

CREATE CONSTRAINT TRIGGER municipalities_dashboard AFTER INSERT OR UPDATE OR DELETE ON municipalities
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_dashboard_generation('district');
