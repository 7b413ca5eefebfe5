-- Nutzungsmonitor (issue #17): monthly usage figures per town, service (LeiKa key),
-- channel and source; their imports and replaced values; per-service sharing; API
-- tokens for systems that push figures; and the OZG maturity model (Reifegrad) with
-- assessments per town and service.

CREATE TABLE usage_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX usage_tokens_town ON usage_tokens (municipality_id, created_at);

CREATE TABLE usage_imports (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    source TEXT NOT NULL,
    file_name TEXT,
    token_id TEXT REFERENCES usage_tokens(id),
    created_by TEXT REFERENCES users(id),
    row_count INTEGER NOT NULL,
    figure_count INTEGER NOT NULL,
    replaced_count INTEGER NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX usage_imports_town ON usage_imports (municipality_id, created_at);
CREATE INDEX usage_imports_district ON usage_imports (district_id, created_at);

-- One figure per (town, service, month, channel, source); `month` is yyyymm (202503).
-- The LeiKa key is checked against leika_services on import (that key is not unique
-- there, so it cannot be a foreign key).
CREATE TABLE usage_figures (
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    leika_key TEXT NOT NULL,
    month INTEGER NOT NULL,
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    ozg_id INTEGER,
    efa_solution_id TEXT REFERENCES efa_solutions(id),
    count INTEGER NOT NULL CHECK (count >= 0),
    median_days REAL,
    backlog INTEGER CHECK (backlog IS NULL OR backlog >= 0),
    import_id TEXT NOT NULL REFERENCES usage_imports(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, leika_key, month, channel, source)
);
-- The district heat map and totals read a district's figures of a period: a range
-- scan on (district_id, month) that never touches the table (every column it needs
-- is in the index).
CREATE INDEX usage_figures_district_month ON usage_figures
    (district_id, month, municipality_id, leika_key, channel, count);
CREATE INDEX usage_figures_import ON usage_figures (import_id);

-- Values a later import replaced.
CREATE TABLE usage_figure_history (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    leika_key TEXT NOT NULL,
    month INTEGER NOT NULL,
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    count INTEGER NOT NULL,
    median_days REAL,
    backlog INTEGER,
    import_id TEXT NOT NULL REFERENCES usage_imports(id),
    replaced_by_import_id TEXT NOT NULL REFERENCES usage_imports(id),
    replaced_at TIMESTAMP NOT NULL
);
CREATE INDEX usage_figure_history_key ON usage_figure_history (municipality_id, leika_key, month);

-- A town's choice to show a service's figures beyond its district ('network', 'public');
-- no row means 'district'.
CREATE TABLE usage_sharing (
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    leika_key TEXT NOT NULL,
    visibility TEXT NOT NULL,
    updated_by TEXT REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, leika_key)
);
CREATE INDEX usage_sharing_visibility ON usage_sharing (visibility, municipality_id, leika_key);

CREATE TABLE maturity_models (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    max_level INTEGER NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE maturity_levels (
    model_id TEXT NOT NULL REFERENCES maturity_models(id),
    level INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (model_id, level)
);

CREATE TABLE maturity_criteria (
    model_id TEXT NOT NULL REFERENCES maturity_models(id),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (model_id, key)
);

CREATE TABLE maturity_assessments (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    leika_key TEXT NOT NULL,
    model_id TEXT NOT NULL REFERENCES maturity_models(id),
    assessed_on DATE NOT NULL,
    assessor TEXT NOT NULL,
    evidence_url TEXT,
    overall_level INTEGER NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX maturity_assessments_district ON maturity_assessments
    (district_id, model_id, municipality_id, leika_key, created_at);
CREATE INDEX maturity_assessments_town ON maturity_assessments
    (municipality_id, leika_key, created_at);

CREATE TABLE maturity_assessment_criteria (
    assessment_id TEXT NOT NULL REFERENCES maturity_assessments(id),
    criterion_key TEXT NOT NULL,
    level INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, criterion_key)
);

-- The OZG maturity models as data.
INSERT INTO maturity_models (id, name, source, max_level, position) VALUES
 ('ozg_1_1', 'OZG-Reifegradmodell 1.1 (Stufen 0–4)',
  'BMI / IT-Planungsrat, OZG-Leitfaden (leitfaden.ozg-umsetzung.de), Reifegradmodell auf Grundlage des eGovernment Benchmark der EU-Kommission, eingeführt Juni 2020; Kriterien nach dem OZG-Reifegrad-Check (OZG_Reifegrad_Check.xlsx); hinterlegt sind die sechs Kriterien, deren Wortlaut geprüft wurde, die übrigen vier des Checks fehlen noch. Stufenbeschreibungen nach ozg.brandenburg.de (31.05.2023).',
  4, 1),
 ('ozg_2_0', 'OZG-Reifegradmodell 2.0 (Stufen 0–7)',
  'BMI, Reifegradmodell 2.0 (Juli 2025, löst 1.1 ab; 13 Reifegradkriterien), zusammengefasst nach ozg.sachsen-anhalt.de/grundlagen/reifegradmodell (Stand 02-2026). Die 13 Kriterien sind hier noch nicht einzeln hinterlegt: bis dahin wird mit einer Gesamteinstufung bewertet.',
  7, 2);

INSERT INTO maturity_levels (model_id, level, name, description) VALUES
 ('ozg_1_1', 0, 'Offline', 'Auf der Webseite der Behörde sind keine Informationen zur Leistung vorhanden.'),
 ('ozg_1_1', 1, 'Information', 'Auf der Webseite der Behörde sind Informationen zur Leistung vorhanden.'),
 ('ozg_1_1', 2, 'Formular-Assistent', 'Eine Funktion unterstützt beim Ausfüllen des Formulars; eine Online-Beantragung ist nicht möglich.'),
 ('ozg_1_1', 3, 'Online-Leistung', 'Die Beantragung kann einschließlich aller Nachweise online abgewickelt werden (OZG-konform ab dieser Stufe).'),
 ('ozg_1_1', 4, 'Online-Transaktion', 'Die Leistung kann vollständig digital abgewickelt werden; für Nachweise gilt das Once-Only-Prinzip.'),
 ('ozg_2_0', 0, 'Offline', 'Die Leistung ist nur offline verfügbar.'),
 ('ozg_2_0', 1, 'Stufe 1 (Frontend-Digitalisierung)', 'Stufen 1 bis 3 beschreiben die Anforderungen an den Online-Antragsdienst.'),
 ('ozg_2_0', 2, 'Stufe 2 (Frontend-Digitalisierung)', 'Stufen 1 bis 3 beschreiben die Anforderungen an den Online-Antragsdienst.'),
 ('ozg_2_0', 3, 'Stufe 3 (Frontend-Digitalisierung)', 'Stufen 1 bis 3 beschreiben die Anforderungen an den Online-Antragsdienst.'),
 ('ozg_2_0', 4, 'Stufe 4 (Prozessorientierung)', 'Stufen 4 bis 6 beschreiben Prozessorientierung, Datenzentrierung und die durchgängige digitale Umsetzung in der Verwaltung.'),
 ('ozg_2_0', 5, 'Stufe 5 (Prozessorientierung)', 'Stufen 4 bis 6 beschreiben Prozessorientierung, Datenzentrierung und die durchgängige digitale Umsetzung in der Verwaltung.'),
 ('ozg_2_0', 6, 'Stufe 6 (Prozessorientierung)', 'Setzt Basiskomponenten voraus (DeutschlandID, Organisationskonto mit Postfach, NOOTS, Statusmonitor, E-Akte, Zahlungs- und HKR-Systeme).'),
 ('ozg_2_0', 7, 'Ende-zu-Ende digital', 'Die Leistung kann vollständig Ende-zu-Ende digital abgewickelt werden.');

INSERT INTO maturity_criteria (model_id, key, name, description, position) VALUES
 ('ozg_1_1', 'leistungsbeschreibung', 'Leistungsbeschreibung', 'Abgestimmte Leistungsbeschreibung (FIM) und Informationen zur Beantragung auf der Webseite.', 1),
 ('ozg_1_1', 'antragsprozess', 'Antragsprozesse und Kontextintegration', 'Online-Antrag, vollständige Online-Beantragung, Übernahme bereits vorhandener Daten.', 2),
 ('ozg_1_1', 'nutzerkonto', 'Nutzerkonto (falls erforderlich)', 'Nutzerkonto, möglichst innerhalb des Portalverbunds.', 3),
 ('ozg_1_1', 'authentifizierung', 'Authentifizierung (falls erforderlich)', 'Online-Authentifizierung auf dem erforderlichen Vertrauensniveau.', 4),
 ('ozg_1_1', 'bezahlung', 'Bezahlprozess (falls erforderlich)', 'Online-Bezahlung vorab zu entrichtender Gebühren.', 5),
 ('ozg_1_1', 'nachweise', 'Nachweise (falls erforderlich)', 'Nachweise können digital beigefügt oder (Once-Only) abgerufen werden.', 6),
 ('ozg_2_0', 'gesamt', 'Gesamteinstufung', 'Vorläufig: eine Einstufung für die Leistung, bis die 13 Kriterien des Modells 2.0 hinterlegt sind.', 1);
