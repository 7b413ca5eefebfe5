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
INSERT INTO generations (scope, generation) SELECT id, random() FROM districts;

CREATE TRIGGER projects_dashboard_insert AFTER INSERT ON projects BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER projects_dashboard_update AFTER UPDATE ON projects BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER projects_dashboard_delete AFTER DELETE ON projects BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_topics_dashboard_insert AFTER INSERT ON project_topics BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = NEW.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_topics_dashboard_update AFTER UPDATE ON project_topics BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = NEW.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = OLD.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_topics_dashboard_delete AFTER DELETE ON project_topics BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = OLD.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_ozg_services_dashboard_insert AFTER INSERT ON project_ozg_services BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = NEW.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_ozg_services_dashboard_update AFTER UPDATE ON project_ozg_services BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = NEW.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = OLD.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_ozg_services_dashboard_delete AFTER DELETE ON project_ozg_services BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM projects WHERE id = OLD.project_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER adoptions_dashboard_insert AFTER INSERT ON adoptions BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER adoptions_dashboard_update AFTER UPDATE ON adoptions BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER adoptions_dashboard_delete AFTER DELETE ON adoptions BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER support_requests_dashboard_insert AFTER INSERT ON support_requests BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER support_requests_dashboard_update AFTER UPDATE ON support_requests BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER support_requests_dashboard_delete AFTER DELETE ON support_requests BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER funding_applications_dashboard_insert AFTER INSERT ON funding_applications BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER funding_applications_dashboard_update AFTER UPDATE ON funding_applications BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER funding_applications_dashboard_delete AFTER DELETE ON funding_applications BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER application_shares_dashboard_insert AFTER INSERT ON application_shares BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM funding_applications WHERE id = NEW.application_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER application_shares_dashboard_update AFTER UPDATE ON application_shares BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM funding_applications WHERE id = NEW.application_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM funding_applications WHERE id = OLD.application_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER application_shares_dashboard_delete AFTER DELETE ON application_shares BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM funding_applications WHERE id = OLD.application_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER measures_dashboard_insert AFTER INSERT ON measures BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT s.district_id FROM goal_fields g JOIN strategies s ON s.id = g.strategy_id WHERE g.id = NEW.goal_field_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER measures_dashboard_update AFTER UPDATE ON measures BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT s.district_id FROM goal_fields g JOIN strategies s ON s.id = g.strategy_id WHERE g.id = NEW.goal_field_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT s.district_id FROM goal_fields g JOIN strategies s ON s.id = g.strategy_id WHERE g.id = OLD.goal_field_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER measures_dashboard_delete AFTER DELETE ON measures BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT s.district_id FROM goal_fields g JOIN strategies s ON s.id = g.strategy_id WHERE g.id = OLD.goal_field_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER goal_fields_dashboard_insert AFTER INSERT ON goal_fields BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM strategies WHERE id = NEW.strategy_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER goal_fields_dashboard_update AFTER UPDATE ON goal_fields BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM strategies WHERE id = NEW.strategy_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM strategies WHERE id = OLD.strategy_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER goal_fields_dashboard_delete AFTER DELETE ON goal_fields BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT (SELECT district_id FROM strategies WHERE id = OLD.strategy_id) AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER strategies_dashboard_insert AFTER INSERT ON strategies BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER strategies_dashboard_update AFTER UPDATE ON strategies BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER strategies_dashboard_delete AFTER DELETE ON strategies BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER events_dashboard_insert AFTER INSERT ON events BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER events_dashboard_update AFTER UPDATE ON events BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER events_dashboard_delete AFTER DELETE ON events BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_dashboard_insert AFTER INSERT ON municipalities BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_dashboard_update AFTER UPDATE ON municipalities BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT NEW.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_dashboard_delete AFTER DELETE ON municipalities BEGIN
    INSERT INTO generations (scope, generation)
        SELECT d, random() FROM (SELECT OLD.district_id AS d) WHERE d IS NOT NULL
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

-- The scope 'projects': everything a project list shows (projects, their topics, OZG
-- services, partners and followers, the names of towns and topics). Lists without a search
-- text are kept per viewer kind while this value stays the same.
-- (No row yet means 0, like a district without one: the first write creates it.)

CREATE TRIGGER projects_lists_insert AFTER INSERT ON projects BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER projects_lists_update AFTER UPDATE ON projects BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER projects_lists_delete AFTER DELETE ON projects BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_topics_lists_insert AFTER INSERT ON project_topics BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_topics_lists_update AFTER UPDATE ON project_topics BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_topics_lists_delete AFTER DELETE ON project_topics BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_ozg_services_lists_insert AFTER INSERT ON project_ozg_services BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_ozg_services_lists_update AFTER UPDATE ON project_ozg_services BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_ozg_services_lists_delete AFTER DELETE ON project_ozg_services BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_partners_lists_insert AFTER INSERT ON project_partners BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_partners_lists_update AFTER UPDATE ON project_partners BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER project_partners_lists_delete AFTER DELETE ON project_partners BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER follows_lists_insert AFTER INSERT ON follows BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER follows_lists_update AFTER UPDATE ON follows BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER follows_lists_delete AFTER DELETE ON follows BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_lists_insert AFTER INSERT ON municipalities BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_lists_update AFTER UPDATE ON municipalities BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER municipalities_lists_delete AFTER DELETE ON municipalities BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER topics_lists_insert AFTER INSERT ON topics BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER topics_lists_update AFTER UPDATE ON topics BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;

CREATE TRIGGER topics_lists_delete AFTER DELETE ON topics BEGIN
    INSERT INTO generations (scope, generation) VALUES ('projects', random())
        ON CONFLICT (scope) DO UPDATE SET generation = excluded.generation;
END;
