-- The district generations of 000023 are written once per transaction, as the usage
-- scopes of 000024 are: a transaction that writes many rows of one district (an import,
-- `migrate-data`'s copy of 50,000 projects) gave the one `generations` row a new version
-- per written row, each a dead tuple the next update had to step over. The deferred
-- trigger still runs per row, but `bump_generation_once` writes the row only the first time.
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
        PERFORM bump_generation_once(d);
    END LOOP;
    RETURN NULL;
END
$$;
