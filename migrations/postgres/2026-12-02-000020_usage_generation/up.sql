-- A value per district that every write to its usage figures or their sharing replaces
-- in the same transaction. Each server instance keeps the district sums of the heat map
-- and the "Potenzial" ranking in memory and reads this one row per request to know whether
-- they are still current, so several instances behind a balancer never serve stale sums.
CREATE TABLE usage_generations (
    district_id TEXT PRIMARY KEY NOT NULL REFERENCES districts(id),
    generation BIGINT NOT NULL
);
INSERT INTO usage_generations (district_id, generation) SELECT id, 1 FROM districts;
