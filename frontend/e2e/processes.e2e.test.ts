// Prozessregister against the real backend (issue #18, acceptance 6): the coordinator creates a
// process and uploads the reference model; Brakel uploads its variant; the model viewer (bpmn-js)
// draws both diagrams and highlights exactly the changed activities; Brakel gives a reason.
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowser } from './session';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/bpmn');
const PROCESS = 'Hundesteuer anmelden (Browsertest)';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const { signedIn } = setupBrowser({ viewport: { width: 1366, height: 900 } });

function bpmn(name: string): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'application/xml', buffer: readFileSync(resolve(fixtures, name)) };
}

/** The BPMN element ids that carry a marker class inside one diagram. */
async function marked(diagram: Locator, className: string): Promise<string[]> {
  const ids = await diagram.locator(`.djs-element.${className}`).evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id') ?? ''));
  return ids.sort();
}

async function openProcess(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Prozessregister' }).click();
  await page.getByRole('heading', { level: 1, name: 'Prozessregister' }).waitFor();
  await page.getByLabel(/^Suche/).fill('Hundesteuer');
  await page.getByRole('button', { name: 'Suchen' }).click();
  await page.getByRole('link', { name: PROCESS }).click();
  await page.getByRole('heading', { level: 1, name: PROCESS }).waitFor();
}

/** axe-core (WCAG 2.1 A/AA) on the page as it is now, once nothing is loading any more. */
async function axe(page: Page): Promise<string[]> {
  await page.waitForFunction(() => !document.querySelector('.dn-loading'), undefined, { timeout: 15_000 });
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

describe('Prozessregister', () => {
  it('draws a reference and a variant with bpmn-js and highlights exactly the changed activities', async () => {
    // The coordinator creates the process and uploads the district's reference model.
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await coordinator.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Prozessregister' }).click();
    await coordinator.getByRole('link', { name: 'Neuer Prozess' }).click();
    await coordinator.getByRole('textbox', { name: 'Prozess', exact: true }).fill(PROCESS);
    await coordinator.getByLabel(/^IT-Verfahren/).fill('OK.FIS, Lämmkom');
    await coordinator.getByRole('button', { name: 'Prozess anlegen' }).click();
    await coordinator.getByRole('heading', { level: 1, name: PROCESS }).waitFor();

    const upload = coordinator.getByRole('form', { name: 'BPMN-Modell hochladen' });
    // A file that is not BPMN is refused with a German message, and nothing is stored.
    await upload.getByLabel('BPMN-Datei').setInputFiles({ name: 'notiz.bpmn', mimeType: 'application/xml', buffer: Buffer.from('kein XML', 'utf8') });
    await upload.getByRole('button', { name: 'Modell hochladen' }).click();
    const summary = upload.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/Das Modell wurde nicht gespeichert[\s\S]*BPMN-Datei: \S/);
    expect(await coordinator.getByText('Noch kein Modell hochgeladen.').count()).toBe(1);

    await upload.getByRole('radio', { name: 'Referenzmodell des Kreises' }).check();
    await upload.getByLabel('BPMN-Datei').setInputFiles(bpmn('hundesteuer-referenz.bpmn'));
    await upload.getByRole('button', { name: 'Modell hochladen' }).click();
    await upload.getByText('Hochgeladen: Referenzmodell, Version 1').waitFor();
    const models = coordinator.getByRole('region', { name: 'Modelle' });
    await models.getByRole('link', { name: 'Referenzmodell, Version 1' }).waitFor();

    // The reference alone in the viewer: a real diagram, nothing highlighted.
    await models.getByRole('link', { name: 'Referenzmodell, Version 1' }).click();
    const single = coordinator.getByTestId('bpmn-model');
    await coordinator.locator('[data-testid="bpmn-model"][data-state="done"]').waitFor();
    expect(await single.locator('svg .djs-element[data-element-id="t_marke"]').count()).toBe(1);
    expect(await single.locator('.dn-bpmn-added, .dn-bpmn-renamed, .dn-bpmn-removed').count()).toBe(0);

    // Brakel derives its variant from that reference version.
    const brakel = await signedIn('digital@brakel.example');
    await openProcess(brakel);
    const brakelUpload = brakel.getByRole('form', { name: 'BPMN-Modell hochladen' });
    await brakelUpload.getByLabel('Abgeleitet von').selectOption({ label: 'Referenzmodell, Version 1' });
    await brakelUpload.getByLabel('BPMN-Datei').setInputFiles(bpmn('hundesteuer-brakel.bpmn'));
    await brakelUpload.getByRole('button', { name: 'Modell hochladen' }).click();
    await brakelUpload.getByText('Hochgeladen: Variante Brakel, Version 1').waitFor();
    await brakel.getByRole('region', { name: 'Modelle' }).getByRole('link', { name: 'Variante Brakel, Version 1' }).click();

    // Both diagrams are drawn (SVG from bpmn-js) …
    const local = brakel.getByTestId('bpmn-local');
    const reference = brakel.getByTestId('bpmn-reference');
    await brakel.locator('[data-testid="bpmn-local"][data-state="done"]').waitFor();
    await brakel.locator('[data-testid="bpmn-reference"][data-state="done"]').waitFor();
    expect(await local.locator('svg').count()).toBeGreaterThan(0);
    expect(await reference.locator('svg').count()).toBeGreaterThan(0);
    expect(await local.locator('.djs-element[data-element-id="t_register"] .djs-visual').count()).toBe(1);
    expect(await reference.locator('.djs-element[data-element-id="t_register"]').count()).toBe(0);
    expect(await reference.locator('.djs-element[data-element-id="t_pruefen"] .djs-visual').count()).toBe(1);

    // … and exactly the changed activities carry a marker: Brakel added t_register and renamed
    // t_pruefen; it removed nothing, so the reference has no marker.
    expect(await marked(local, 'dn-bpmn-added')).toEqual(['t_register']);
    expect(await marked(local, 'dn-bpmn-renamed')).toEqual(['t_pruefen']);
    expect(await local.locator('.dn-bpmn-removed').count()).toBe(0);
    expect(await reference.locator('.dn-bpmn-added, .dn-bpmn-renamed, .dn-bpmn-removed').count()).toBe(0);

    expect(await axe(brakel), 'axe on the variant comparison').toEqual([]);

    // The table lists the same two changes; Brakel records a reason and a state.
    expect(await brakel.getByTestId('difference-counts').innerText()).toBe('1 hinzugefügt, 1 umbenannt, 0 entfernt');
    expect(await brakel.locator('[data-testid^="difference-t_"]').count()).toBe(2);
    const renamed = brakel.getByTestId('difference-t_pruefen');
    expect(await renamed.innerText()).toContain('„Angaben prüfen“ → „Angaben und Sachkundenachweis prüfen“');
    await renamed.getByLabel('Begründung', { exact: true }).fill('Wir prüfen auch den Sachkundenachweis.');
    await renamed.getByLabel('Stand', { exact: true }).selectOption({ label: 'angepasst' });
    await renamed.getByRole('button', { name: 'Speichern' }).click();
    await renamed.getByRole('status').filter({ hasText: 'Gespeichert.' }).waitFor();

    // Stored: after a reload the reason and the state are still there.
    await brakel.reload();
    const again = brakel.getByTestId('difference-t_pruefen');
    await again.waitFor();
    expect(await again.getByLabel('Begründung', { exact: true }).inputValue()).toBe('Wir prüfen auch den Sachkundenachweis.');
    expect(await again.getByLabel('Stand', { exact: true }).inputValue()).toBe('adapted');

    // Nieheim's variant drops a step: the reference shows it as removed, the variant marks nothing.
    const nieheim = await signedIn('digital@nieheim.example');
    await openProcess(nieheim);
    const nieheimUpload = nieheim.getByRole('form', { name: 'BPMN-Modell hochladen' });
    await nieheimUpload.getByLabel('BPMN-Datei').setInputFiles(bpmn('hundesteuer-nieheim.bpmn'));
    await nieheimUpload.getByRole('button', { name: 'Modell hochladen' }).click();
    await nieheimUpload.getByText('Hochgeladen: Variante Nieheim, Version 1').waitFor();
    await nieheim.getByRole('region', { name: 'Modelle' }).getByRole('link', { name: 'Variante Nieheim, Version 1' }).click();
    await nieheim.locator('[data-testid="bpmn-local"][data-state="done"]').waitFor();
    await nieheim.locator('[data-testid="bpmn-reference"][data-state="done"]').waitFor();
    const nieheimLocal = nieheim.getByTestId('bpmn-local');
    const nieheimReference = nieheim.getByTestId('bpmn-reference');
    expect(await nieheimLocal.locator('.djs-element[data-element-id="t_versand"] .djs-visual').count()).toBe(1);
    expect(await nieheimLocal.locator('.djs-element[data-element-id="t_marke"]').count()).toBe(0);
    expect(await marked(nieheimReference, 'dn-bpmn-removed')).toEqual(['t_marke']);
    expect(await nieheimReference.locator('.dn-bpmn-added, .dn-bpmn-renamed').count()).toBe(0);
    expect(await nieheimLocal.locator('.dn-bpmn-added, .dn-bpmn-renamed, .dn-bpmn-removed').count()).toBe(0);
    expect(await nieheim.getByTestId('difference-counts').innerText()).toBe('0 hinzugefügt, 0 umbenannt, 1 entfernt');

    // The district sees which steps the towns change.
    await coordinator.goto('/prozesse/abweichungen');
    const deviations = coordinator.getByRole('table', { name: 'Geänderte Schritte, die häufigsten zuerst' });
    await deviations.waitFor();
    const rows = await deviations.locator('tbody tr').filter({ hasText: PROCESS }).allInnerTexts();
    expect(rows).toHaveLength(3);

    // "Wer baut das schon?" on a new project draft names the documented process.
    await nieheim.goto('/projekte/neu');
    await nieheim.getByLabel('Titel').fill('Hundesteuer online anmelden');
    const hint = nieheim.getByTestId('similar-processes');
    await hint.waitFor();
    await hint.getByRole('link', { name: PROCESS }).waitFor();
    expect(await hint.getByRole('link', { name: PROCESS }).getAttribute('href')).toMatch(/^\/prozesse\/[^/]+$/);
  });

  // Builds on the process above.
  it('Brakel enters figures and a continuity sheet; the coordinator ranks, weights and drafts a project; the offline export holds the sheet; a CSV register is imported all or nothing', async () => {
    const brakel = await signedIn('digital@brakel.example');
    await openProcess(brakel);
    expect(await axe(brakel), 'axe on the process page').toEqual([]);

    // Profile: cases, minutes, staff; the online share comes from the usage monitor (none: 0 %).
    const profiles = brakel.getByRole('region', { name: 'Fallzahlen und Aufwand' });
    const form = profiles.getByRole('form', { name: 'Zahlen eintragen' });
    await form.getByLabel('Jahr', { exact: true }).fill('2025');
    await form.getByLabel('Fälle im Jahr').fill('1.200');
    await form.getByLabel('Minuten je Fall').fill('abc');
    await form.getByRole('button', { name: 'Zahlen speichern' }).click();
    expect(await form.getByTestId('error-summary').innerText()).toContain('Minuten je Fall: Bitte eine ganze Zahl ab 0 angeben.');
    await form.getByLabel('Minuten je Fall').fill('20');
    await form.getByLabel(/^Personal/).fill('0,5');
    await form.getByRole('button', { name: 'Zahlen speichern' }).click();
    const row = profiles.getByRole('row').filter({ has: brakel.getByRole('rowheader', { name: 'Brakel' }) });
    await row.waitFor();
    expect((await row.innerText()).replace(/\s+/g, ' ')).toContain('2025 1.200 20 0,5');

    // Continuity sheet: saved, contacts confirmed, an exercise recorded.
    await brakel.getByRole('link', { name: 'Notfallkarte Brakel öffnen' }).click();
    await brakel.getByRole('heading', { level: 1, name: `Notfallkarte: ${PROCESS} (Brakel)` }).waitFor();
    const sheet = brakel.getByRole('form', { name: 'Notfallkarte' });
    await sheet.getByRole('radio', { name: 'A – kritisch' }).check();
    await sheet.getByLabel(/^Maximal tolerierbare Ausfallzeit/).fill('48');
    await sheet.getByRole('radio', { name: 'Papierformular' }).check();
    await sheet.getByLabel(/^So wird gearbeitet/).fill('Vordruck HS-1 liegt im Bürgerbüro, Schrank 3.');
    await sheet.getByLabel(/^Ansprechpersonen/).fill('Frau Beispiel, Steueramt, 05272 000-123');
    await sheet.getByLabel('Benötigte Systeme').fill('OK.FIS');
    await sheet.getByRole('button', { name: 'Notfallkarte speichern' }).click();
    await brakel.getByRole('status').filter({ hasText: 'Die Notfallkarte ist gespeichert.' }).waitFor();
    await brakel.getByRole('button', { name: 'Kontakte bestätigen' }).click();
    await brakel.getByTestId('confirmed-at').filter({ hasText: 'Zuletzt bestätigt:' }).waitFor();
    const exercise = brakel.getByRole('form', { name: 'Übung eintragen' });
    await exercise.getByLabel('Datum').fill('2026-11-20');
    await exercise.getByLabel(/^Notiz/).fill('Stromausfall geübt');
    await exercise.getByRole('button', { name: 'Übung eintragen' }).click();
    await brakel.getByRole('list', { name: 'Übungen' }).getByText('Stromausfall geübt', { exact: false }).waitFor();
    expect(await axe(brakel), 'axe on the continuity sheet').toEqual([]);

    // The offline export: one HTML file with the sheet, nothing loaded from elsewhere.
    await brakel.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Prozessregister' }).click();
    const [download] = await Promise.all([brakel.waitForEvent('download'), brakel.getByRole('button', { name: 'Offline-Export (HTML)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^notfallkarten-brakel-\d{4}-\d{2}-\d{2}\.html$/);
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).toContain(PROCESS);
    expect(html).toContain('Frau Beispiel, Steueramt, 05272 000-123');
    expect(html).not.toMatch(/<script|(src|href)=["']?(https?:)?\/\//i);

    // The coordinator's ranking: a weight out of range is refused in German; then a draft project.
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await coordinator.goto('/prozesse/kandidaten');
    await coordinator.getByRole('heading', { level: 1, name: 'Kandidaten für gemeinsame Digitalisierung' }).waitFor();
    const weights = coordinator.getByRole('form', { name: 'Rangliste berechnen' });
    await weights.getByLabel('Jahr', { exact: true }).fill('2025');
    await weights.getByLabel('Gewicht Fälle').fill('4');
    await weights.getByRole('button', { name: 'Neu berechnen' }).click();
    expect(await weights.getByTestId('error-summary').innerText()).toContain('Gewicht Fälle: Bitte eine Zahl von 0 bis 3 angeben (z. B. 1,5).');
    await weights.getByLabel('Gewicht Fälle').fill('2');
    await weights.getByRole('button', { name: 'Neu berechnen' }).click();
    await coordinator.getByRole('heading', { level: 2, name: 'Rangliste 2025 (Gewichte 2 / 1 / 1)' }).waitFor();
    const candidate = coordinator.getByRole('listitem').filter({ has: coordinator.getByRole('link', { name: PROCESS }) });
    await candidate.waitFor();
    expect(await candidate.innerText()).toContain('400 Stunden im Jahr noch nicht online');
    expect(await axe(coordinator), 'axe on the ranking').toEqual([]);
    await candidate.getByRole('button', { name: `Projektentwurf anlegen: ${PROCESS}` }).click();
    const draft = candidate.getByRole('form', { name: `Projektentwurf für „${PROCESS}“` });
    expect(await draft.getByRole('checkbox', { name: 'Brakel' }).isChecked()).toBe(true);
    await draft.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await candidate.getByRole('link', { name: 'Zum Projektentwurf' }).click();
    await coordinator.getByRole('heading', { level: 1 }).waitFor();
    expect(coordinator.url()).toMatch(/\/projekte\/[^/]+$/);

    // A town's register as CSV: all or nothing, every wrong line named in German.
    await brakel.goto('/prozesse/import');
    await brakel.getByRole('heading', { level: 1, name: 'Register importieren (CSV)' }).waitFor();
    const csv = (body: string) => ({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(`Name;Leistungsschlüssel;Amt;Fallzahl;Minuten je Fall\r\n${body}`, 'utf8') });
    const importForm = brakel.getByRole('form', { name: 'Register importieren (CSV)' });
    await importForm.getByLabel('CSV-Datei').setInputFiles(csv('Gewerbe anmelden (Browsertest);123;Ordnungsamt;300;15\r\n'));
    await importForm.getByRole('button', { name: 'Importieren' }).click();
    const failed = brakel.getByRole('alert').filter({ hasText: 'Nichts importiert' });
    await failed.waitFor();
    expect(await failed.innerText()).toMatch(/Zeile \d+, Spalte „Leistungsschlüssel“: „123“ ist kein Leistungsschlüssel/);
    await importForm.getByLabel('CSV-Datei').setInputFiles(csv('Gewerbe anmelden (Browsertest);;Ordnungsamt;300;15\r\n'));
    await importForm.getByRole('button', { name: 'Importieren' }).click();
    await brakel.getByRole('status').filter({ hasText: 'Import abgeschlossen – Zeilen: 1, neue Prozesse: 1' }).waitFor();
    await brakel.getByRole('link', { name: 'Register', exact: true }).click();
    await brakel.getByRole('link', { name: 'Gewerbe anmelden (Browsertest)' }).waitFor();
  });
});
