-- Back to the seed of 000016 (the same rows, their earlier wording).

UPDATE maturity_models SET source =
 'BMI / IT-Planungsrat, OZG-Leitfaden (leitfaden.ozg-umsetzung.de), Reifegradmodell auf Grundlage des eGovernment Benchmark der EU-Kommission, eingeführt Juni 2020; Kriterien nach dem OZG-Reifegrad-Check (OZG_Reifegrad_Check.xlsx); hinterlegt sind die sechs Kriterien, deren Wortlaut geprüft wurde, die übrigen vier des Checks fehlen noch. Stufenbeschreibungen nach ozg.brandenburg.de (31.05.2023).'
WHERE id = 'ozg_1_1';
UPDATE maturity_models SET source =
 'BMI, Reifegradmodell 2.0 (Juli 2025, löst 1.1 ab; 13 Reifegradkriterien), zusammengefasst nach ozg.sachsen-anhalt.de/grundlagen/reifegradmodell (Stand 02-2026). Die 13 Kriterien sind hier noch nicht einzeln hinterlegt: bis dahin wird mit einer Gesamteinstufung bewertet.'
WHERE id = 'ozg_2_0';
UPDATE maturity_levels SET description =
 'Eine Funktion unterstützt beim Ausfüllen des Formulars; eine Online-Beantragung ist nicht möglich.'
WHERE model_id = 'ozg_1_1' AND level = 2;
UPDATE maturity_levels SET description =
 'Die Beantragung kann einschließlich aller Nachweise online abgewickelt werden (OZG-konform ab dieser Stufe).'
WHERE model_id = 'ozg_1_1' AND level = 3;
UPDATE maturity_levels SET description =
 'Die Leistung kann vollständig digital abgewickelt werden; für Nachweise gilt das Once-Only-Prinzip.'
WHERE model_id = 'ozg_1_1' AND level = 4;
UPDATE maturity_levels SET description =
 'Setzt Basiskomponenten voraus (DeutschlandID, Organisationskonto mit Postfach, NOOTS, Statusmonitor, E-Akte, Zahlungs- und HKR-Systeme).'
WHERE model_id = 'ozg_2_0' AND level = 6;
UPDATE maturity_criteria SET description =
 'Abgestimmte Leistungsbeschreibung (FIM) und Informationen zur Beantragung auf der Webseite.'
WHERE model_id = 'ozg_1_1' AND key = 'leistungsbeschreibung';
UPDATE maturity_criteria SET description =
 'Online-Antrag, vollständige Online-Beantragung, Übernahme bereits vorhandener Daten.'
WHERE model_id = 'ozg_1_1' AND key = 'antragsprozess';
UPDATE maturity_criteria SET description =
 'Nutzerkonto, möglichst innerhalb des Portalverbunds.'
WHERE model_id = 'ozg_1_1' AND key = 'nutzerkonto';
UPDATE maturity_criteria SET description =
 'Online-Authentifizierung auf dem erforderlichen Vertrauensniveau.'
WHERE model_id = 'ozg_1_1' AND key = 'authentifizierung';
UPDATE maturity_criteria SET description =
 'Online-Bezahlung vorab zu entrichtender Gebühren.'
WHERE model_id = 'ozg_1_1' AND key = 'bezahlung';
UPDATE maturity_criteria SET description =
 'Nachweise können digital beigefügt oder (Once-Only) abgerufen werden.'
WHERE model_id = 'ozg_1_1' AND key = 'nachweise';
UPDATE maturity_criteria SET description =
 'Vorläufig: eine Einstufung für die Leistung, bis die 13 Kriterien des Modells 2.0 hinterlegt sind.'
WHERE model_id = 'ozg_2_0' AND key = 'gesamt';
