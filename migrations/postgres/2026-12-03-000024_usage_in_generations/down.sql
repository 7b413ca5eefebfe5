DROP TRIGGER usage_figures_usage ON usage_figures;
DROP TRIGGER usage_sharing_usage ON usage_sharing;
DROP TRIGGER municipalities_usage ON municipalities;
DROP TRIGGER districts_usage ON districts;
DROP TRIGGER leika_services_usage ON leika_services;
DROP FUNCTION bump_usage_generation();
DROP FUNCTION bump_generation_once(text);
DELETE FROM generations WHERE scope LIKE 'usage:%' OR scope = 'leika';
CREATE TABLE usage_generations (
    district_id TEXT PRIMARY KEY NOT NULL REFERENCES districts(id),
    generation BIGINT NOT NULL
);
INSERT INTO usage_generations (district_id, generation) SELECT id, 1 FROM districts;
