// Nutzungsmonitor against the real backend (issue #17, acceptance 6): the Brakel officer imports
// a CSV through the mapping step; the coordinator then sees Brakel in the district heat map and
// in the "Potenzial" list (the service is almost all on paper).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setupBrowser } from './session';

/** A real LeiKa service the demo data does not use. */
const KEY = '99042004006000';
const SERVICE = 'Ausnahmen von der Fischereischeinpflicht Genehmigung';

const { signedIn } = setupBrowser({ viewport: { width: 1366, height: 900 } });

/** The three months before the current one as "MM/YYYY" (a German portal export's format). */
function recentMonths(): string[] {
  const now = new Date();
  return [3, 2, 1].map((back) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  });
}

/** Long format with column names no system would guess: the mapping step has to be used. */
function csvFile(): { name: string; mimeType: string; buffer: Buffer } {
  const lines = ['Schlüssel der Leistung;Berichtsmonat;Eingangsweg;Vorgänge;Hinweis'];
  for (const month of recentMonths()) {
    lines.push(`${KEY};${month};online;10;`);
    lines.push(`${KEY};${month};Papier;990;Formular per Post`);
  }
  return { name: 'brakel-fischerei.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8') };
}

describe('Nutzungsmonitor', () => {
  it('Brakel imports a CSV with the mapping step; the coordinator sees it in the heat map and the Potenzial list', async () => {
    const brakel = await signedIn('digital@brakel.example');
    await brakel.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Nutzung', exact: true }).click();
    await brakel.getByRole('heading', { level: 1, name: 'Nutzung in Brakel' }).waitFor();
    await brakel.getByRole('navigation', { name: 'Bereiche der Nutzung' }).getByRole('link', { name: 'CSV-Import' }).click();
    await brakel.getByRole('heading', { level: 1, name: 'Fallzahlen importieren' }).waitFor();

    await brakel.getByLabel('CSV-Datei').setInputFiles(csvFile());
    await brakel.getByRole('button', { name: 'Weiter: Spalten zuordnen' }).click();

    // Mapping step: the officer sets every column (whatever the suggestion was).
    await brakel.getByLabel(/Leistungsschlüssel \(LeiKa\)/).selectOption('Schlüssel der Leistung');
    await brakel.getByLabel(/^Monat/).selectOption('Berichtsmonat');
    await brakel.getByRole('radio', { name: /Eine Zeile je Kanal/ }).check();
    await brakel.getByLabel(/^Kanal/).selectOption('Eingangsweg');
    await brakel.getByLabel(/^Anzahl/).selectOption('Vorgänge');
    await brakel.getByRole('button', { name: 'Weiter: Vorschau' }).click();

    const preview = brakel.getByRole('table', { name: /Vorschau: die ersten 6 von 6 Datenzeilen/ });
    await preview.waitFor();
    expect(await preview.getByRole('columnheader', { name: /Hinweis/ }).innerText()).toContain('wird nicht übernommen');
    await brakel.getByRole('button', { name: 'Importieren' }).click();
    const done = brakel.getByRole('status').filter({ hasText: 'Import für Brakel abgeschlossen' });
    await done.waitFor();
    expect(await done.innerText()).toContain('6 Zeilen übernommen');

    // The town's own page shows the service with its share.
    await brakel.getByRole('link', { name: 'Zur Nutzung der Kommune' }).click();
    const card = brakel.getByTestId(`series-${KEY}`);
    await card.waitFor();
    expect(await card.innerText()).toContain('1 % online (30 von 3.000 Fällen)');

    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    // The dashboard has the district's online share and the way to the comparison.
    expect(await coordinator.getByTestId('dashboard-usage').innerText()).toMatch(/\d+(,\d)? % der Fälle online/);
    await coordinator.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Nutzung', exact: true }).click();
    await coordinator.getByRole('navigation', { name: 'Bereiche der Nutzung' }).getByRole('link', { name: 'Kreisvergleich' }).click();
    await coordinator.getByRole('heading', { level: 1, name: /Nutzung im Kreis Höxter/ }).waitFor();

    // Heat map: Brakel's column, the service's row; the share and the count are text in the cell.
    const heat = coordinator.getByRole('table', { name: /Onlinequote und Fälle, Leistungen in Zeilen/ });
    await heat.waitFor();
    const headers = await heat.locator('thead th').allInnerTexts();
    const column = headers.findIndex((h) => h.trim() === 'Brakel');
    expect(column).toBeGreaterThan(0);
    const row = heat.locator('tbody tr').filter({ has: coordinator.getByRole('rowheader', { name: SERVICE, exact: true }) });
    const cell = (await row.locator('th, td').nth(column).innerText()).replace(/\s+/g, ' ').trim();
    expect(cell).toBe('1 % 3.000 Fälle');

    // The same figures as CSV for Excel (semicolon, BOM).
    const [download] = await Promise.all([
      coordinator.waitForEvent('download'),
      coordinator.getByRole('button', { name: /^CSV herunterladen: Heatmap/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^nutzung-heatmap-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await download.path();
    const content = readFileSync(file, 'utf8');
    expect(content.charCodeAt(0)).toBe(0xfeff);
    const line = content.split(/\r?\n/).find((l) => l.includes('Brakel') && l.includes(KEY));
    expect(line).toBeDefined();
    expect(line).toContain(';3000;');

    // Potenzial: the service is 99 % on paper, and Brakel is named.
    const potential = coordinator.getByRole('region', { name: /Potenzial/ });
    const item = potential.getByRole('listitem').filter({ hasText: SERVICE });
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain('99 % auf Papier (2.970 von 3.000 Fällen)');
    expect(text).toContain('Brakel');
  });

  // Builds on the import above (the grid offers the services with figures).
  it('Brakel rates a service (the weakest criterion sets the level), enters paper cases and creates and revokes an API token', async () => {
    const brakel = await signedIn('digital@brakel.example');
    await brakel.goto('/nutzung/reifegrad');
    await brakel.getByRole('heading', { level: 1, name: 'Reifegrad' }).waitFor();
    const form = brakel.getByRole('form', { name: 'Reifegrad bewerten' });
    await form.getByLabel('Reifegradmodell').selectOption({ label: 'OZG-Reifegradmodell 1.1 (Stufen 0–4)' });
    await form.getByLabel('Leistung suchen').fill('Fischereischein');
    await form.getByRole('button', { name: 'Suchen' }).click();
    await form.getByRole('button', { name: `${SERVICE} (${KEY}) wählen` }).click();
    const criteria = form.getByRole('group', { name: 'Stufe je Kriterium' }).getByRole('combobox');
    const count = await criteria.count();
    expect(count).toBeGreaterThan(1);
    for (let i = 0; i < count; i++) await criteria.nth(i).selectOption('3');
    await form.getByLabel(/^Bezahlprozess/).selectOption('1');
    expect(await form.getByTestId('maturity-overall').innerText()).toBe('Gesamt: Stufe 1 (Information) – bestimmt durch: Bezahlprozess (falls erforderlich)');
    await form.getByRole('button', { name: 'Bewertung speichern' }).click();
    await form.getByRole('status').filter({ hasText: `Bewertung gespeichert: ${SERVICE}, Gesamtstufe 1` }).waitFor();

    // The grid offers the imported service for the previous month; paper cases are saved.
    await brakel.getByRole('navigation', { name: 'Bereiche der Nutzung' }).getByRole('link', { name: 'Fallzahlen erfassen' }).click();
    await brakel.getByRole('heading', { level: 1, name: 'Fallzahlen erfassen' }).waitFor();
    await brakel.getByLabel(`${SERVICE}: Schalter`).fill('7');
    await brakel.getByRole('button', { name: 'Zahlen speichern' }).click();
    await brakel.getByRole('status').filter({ hasText: /Fallzahlen für .* gespeichert/ }).waitFor();

    await brakel.getByRole('navigation', { name: 'Bereiche der Nutzung' }).getByRole('link', { name: /Schnittstelle/ }).click();
    await brakel.getByRole('heading', { level: 1, name: 'Schnittstelle für Fachverfahren' }).waitFor();
    await brakel.getByLabel('Bezeichnung').fill('Fachverfahren Fischerei');
    await brakel.getByRole('button', { name: 'Token erstellen' }).click();
    const secret = await brakel.getByTestId('token-secret').innerText();
    expect(secret).toMatch(/^dnu_/);
    const row = brakel.getByRole('row', { name: /Fachverfahren Fischerei/ });
    await row.waitFor();
    expect(await row.innerText()).not.toContain(secret);
    await brakel.getByRole('button', { name: 'Fertig, Token ausblenden' }).click();
    expect(await brakel.getByTestId('token-secret').count()).toBe(0);
    await row.getByRole('button', { name: 'Widerrufen: Fachverfahren Fischerei' }).click();
    await row.getByRole('button', { name: 'Ja, widerrufen' }).click();
    await row.getByText(/widerrufen am/).waitFor();
  });
});
