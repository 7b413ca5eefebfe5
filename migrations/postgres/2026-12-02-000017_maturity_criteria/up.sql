-- Reifegrad (issue #17): the seeded OZG maturity models name their sources exactly
-- (title, publisher, date, address), and the criteria and levels say what those
-- sources state. Only rows of 000016 are changed: model ids and criterion keys stay,
-- so assessments keep pointing at them.
--
-- Not added, because no source at hand states them: criteria 7 to 10 of model 1.1
-- (the Reifegrad-Check names ten criteria; the available text of the check ends with
-- criterion 6) and the 13 criteria of model 2.0 (the sources give their number, not
-- their wording). Model 2.0 keeps its single overall criterion until they are known.

UPDATE maturity_models SET source =
 'OZG-Reifegradmodell 1.1 von BMI und IT-Planungsrat (eingeführt Juni 2020, auf Grundlage des eGovernment Benchmark 2018 der EU-Kommission). Stufen: „Schon gewusst? Das Reifegradmodell nach dem OZG“, OZG Brandenburg, 31.05.2023 (https://ozg.brandenburg.de), und OZG-Leitfaden, Kapitel Reifegradmodell, Stand 18.05.2022 (https://leitfaden.ozg-umsetzung.de). Kriterien: OZG-Reifegrad-Check des OZG-Leitfadens (https://leitfaden.ozg-umsetzung.de/pages/worddav/preview.action?fileName=OZG_Reifegrad_Check.xlsx&pageId=4621478). Das Modell bewertet zehn Kriterien; das Kriterium mit der niedrigsten Stufe bestimmt die Gesamtstufe. Hinterlegt sind die Kriterien 1 bis 6, deren Wortlaut vorlag; die Kriterien 7 bis 10 fehlen noch, die Gesamtstufe beruht daher auf sechs Kriterien.'
WHERE id = 'ozg_1_1';

UPDATE maturity_models SET source =
 'OZG-Reifegradmodell 2.0 des BMI (Juli 2025, löst das Modell 1.1 ab und gilt zunächst als Orientierungshilfe; Stufen 0 bis 7, 13 Reifegradkriterien), zusammengefasst nach „Reifegradmodell“, OZG Sachsen-Anhalt, Stand 02-2026 (https://ozg.sachsen-anhalt.de/grundlagen/reifegradmodell); das Modell selbst veröffentlicht der Bund auf https://www.digitale-verwaltung.de (Reifegradmodell). Die 13 Kriterien sind nicht einzeln hinterlegt, weil ihr Wortlaut nicht vorlag: bis dahin wird mit einer Gesamteinstufung bewertet.'
WHERE id = 'ozg_2_0';

-- Model 1.1: the levels as the OZG-Leitfaden and the Länder pages describe them.
UPDATE maturity_levels SET description =
 'Eine Funktion unterstützt beim Ausfüllen des Formulars; eine Online-Beantragung ist nicht möglich. Bis zu dieser Stufe werden keine Daten digital an die Verwaltung übermittelt.'
WHERE model_id = 'ozg_1_1' AND level = 2;
UPDATE maturity_levels SET description =
 'Die Beantragung kann einschließlich aller Nachweise online abgewickelt werden; der Bescheid wird digital zugestellt, wenn die antragstellende Person einen digitalen Rückkanal eröffnet hat. Ab dieser Stufe gilt die Leistung als OZG-konform.'
WHERE model_id = 'ozg_1_1' AND level = 3;
UPDATE maturity_levels SET description =
 'Die Leistung kann vollständig digital abgewickelt werden. Nachweise, die in der Verwaltung schon vorliegen, müssen nicht mehr erbracht werden: Mit Einverständnis der Nutzenden werden sie wiederverwendet (Once-Only-Prinzip).'
WHERE model_id = 'ozg_1_1' AND level = 4;

-- Model 2.0: stage 6 depends on the basic components, as the source puts it.
UPDATE maturity_levels SET description =
 'Vor allem diese Stufe ist erst erreichbar, wenn die Basiskomponenten verfügbar sind: DeutschlandID, Organisationskonto mit Postfächern, NOOTS, Statusmonitor, E-Akte, Zahlungs- und HKR-Systeme.'
WHERE model_id = 'ozg_2_0' AND level = 6;

-- Model 1.1: criteria 1 to 6 with what the Reifegrad-Check asks for each. A criterion
-- marked „falls erforderlich“ limits the level only where the service needs it (the
-- check then skips its questions).
UPDATE maturity_criteria SET description =
 'Es gibt eine mit der Bundesredaktion und dem Fachressort abgestimmte Leistungsbeschreibung nach dem Föderalen Informationsmanagement (FIM), und die eigene Webseite informiert über die Beantragung.'
WHERE model_id = 'ozg_1_1' AND key = 'leistungsbeschreibung';
UPDATE maturity_criteria SET description =
 'Ein Antragsformular ist online verfügbar und die Beantragung kann vollständig online erfolgen; ohne Antragspflicht wird die Leistung bei erfüllten Voraussetzungen von selbst gewährt. Stammdaten und schon eingegebene Daten können mit Einwilligung aus dem Portalverbund und aus früheren oder verwandten Anträgen übernommen werden.'
WHERE model_id = 'ozg_1_1' AND key = 'antragsprozess';
UPDATE maturity_criteria SET description =
 'Wo ein Nutzerkonto aus Sicht der Nutzenden sinnvoll ist: Es gibt eines, und es gehört zum Portalverbund. Ist keines nötig, begrenzt das Kriterium die Stufe nicht – dann die höchste Stufe wählen.'
WHERE model_id = 'ozg_1_1' AND key = 'nutzerkonto';
UPDATE maturity_criteria SET description =
 'Wo sich die Nutzenden ausweisen müssen: Die Authentifizierung ist online auf dem erforderlichen Vertrauensniveau möglich. Ist keine nötig, begrenzt das Kriterium die Stufe nicht – dann die höchste Stufe wählen.'
WHERE model_id = 'ozg_1_1' AND key = 'authentifizierung';
UPDATE maturity_criteria SET description =
 'Wo vorab Gebühren zu zahlen sind: Sie können online bezahlt werden. Ist keine Bezahlung nötig, begrenzt das Kriterium die Stufe nicht – dann die höchste Stufe wählen.'
WHERE model_id = 'ozg_1_1' AND key = 'bezahlung';
UPDATE maturity_criteria SET description =
 'Wo dem Antrag Nachweise beizufügen sind: Sie können digital beigefügt werden (Stufe 3); für Stufe 4 müssen vorhandene Nachweise nicht mehr beigebracht werden (Once-Only). Sind keine Nachweise nötig, begrenzt das Kriterium die Stufe nicht – dann die höchste Stufe wählen.'
WHERE model_id = 'ozg_1_1' AND key = 'nachweise';

UPDATE maturity_criteria SET description =
 'Vorläufig eine Einstufung der ganzen Leistung auf den Stufen 0 bis 7, bis der Wortlaut der 13 Kriterien des Modells 2.0 vorliegt und sie einzeln hinterlegt sind.'
WHERE model_id = 'ozg_2_0' AND key = 'gesamt';
