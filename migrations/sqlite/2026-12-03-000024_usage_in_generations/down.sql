DROP TRIGGER usage_figures_usage_insert;
DROP TRIGGER usage_figures_usage_update;
DROP TRIGGER usage_figures_usage_delete;
DROP TRIGGER usage_sharing_usage_insert;
DROP TRIGGER usage_sharing_usage_update;
DROP TRIGGER usage_sharing_usage_delete;
DROP TRIGGER municipalities_usage_insert;
DROP TRIGGER municipalities_usage_update;
DROP TRIGGER municipalities_usage_delete;
DROP TRIGGER districts_usage_insert;
DROP TRIGGER districts_usage_update;
DROP TRIGGER districts_usage_delete;
DROP TRIGGER leika_services_usage_insert;
DROP TRIGGER leika_services_usage_update;
DROP TRIGGER leika_services_usage_delete;
DELETE FROM generations WHERE scope LIKE 'usage:%' OR scope = 'leika';
CREATE TABLE usage_generations (
    district_id TEXT PRIMARY KEY NOT NULL REFERENCES districts(id),
    generation BIGINT NOT NULL
);
INSERT INTO usage_generations (district_id, generation) SELECT id, 1 FROM districts;
