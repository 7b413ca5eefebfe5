-- Back to a write per row (000023).
CREATE OR REPLACE FUNCTION bump_district_generation() RETURNS trigger LANGUAGE plpgsql AS $$
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
