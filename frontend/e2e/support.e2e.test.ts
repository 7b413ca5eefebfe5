// The support desk against the real backend: Nieheim asks for help with a funding
// application and attaches a PDF; the coordinator sees the attachment, takes the request, replies,
// notes something internal and resolves it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfFile } from './files';
import { setupBrowser } from './session';

const TITLE = 'Hilfe beim Förderantrag Digitalisierung Bürgerbüro';
const REPLY = 'Gern! Schicken Sie uns die Projektskizze, wir schauen bis Freitag drüber.';
const NOTE = 'Nieheim hat wenig Personal – Förderlotsen einbinden.';

const { signedIn } = setupBrowser();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Hauptnavigation' });

describe('support desk', () => {
  it('Nieheim asks for help, the coordinator replies with an internal note and resolves it', async () => {
    const officer = await signedIn('digital@nieheim.example');
    await nav(officer).getByRole('link', { name: 'Unterstützung' }).click();
    await officer.getByRole('heading', { level: 1, name: 'Anfragen meiner Kommune' }).waitFor();
    await officer.getByRole('link', { name: 'Unterstützung anfragen' }).click();
    await officer.getByRole('heading', { level: 1, name: 'Unterstützung anfragen' }).waitFor();
    await officer.getByLabel('Kategorie').selectOption({ label: 'Förderantrag' });
    await officer.getByLabel('Betreff').fill(TITLE);
    await officer.getByLabel('Beschreibung').fill('Wir wollen Mittel aus dem Förderaufruf beantragen und brauchen Hilfe beim Finanzierungsplan.');
    await officer.getByLabel('Dringlichkeit').selectOption({ label: 'Hoch' });
    await officer.getByRole('button', { name: 'Anfrage senden' }).click();
    await officer.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const requestUrl = officer.url();

    // Nieheim attaches its draft financing plan.
    const officerFiles = officer.getByRole('region', { name: 'Anhänge', exact: true });
    await officerFiles.getByLabel('Datei', { exact: true }).setInputFiles(pdfFile('Finanzierungsplan.pdf'));
    await officerFiles.getByRole('button', { name: 'Hochladen' }).click();
    await officerFiles.getByRole('status').filter({ hasText: '„Finanzierungsplan.pdf“ wurde hochgeladen.' }).waitFor();
    await officerFiles.getByRole('listitem').filter({ hasText: 'Finanzierungsplan.pdf' }).waitFor();

    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await nav(coordinator).getByRole('link', { name: 'Unterstützung (Anfragen)' }).click();
    await coordinator.getByRole('heading', { level: 1, name: 'Unterstützung: Anfragen der Kommunen' }).waitFor();
    await coordinator.getByLabel('Kategorie').selectOption({ label: 'Förderantrag' });
    await coordinator.waitForURL(/category=funding_application/);
    await coordinator.getByRole('link', { name: TITLE }).click();
    await coordinator.getByRole('heading', { level: 1, name: TITLE }).waitFor();

    // The coordinator sees the town's attachment.
    const attachment = coordinator.getByRole('region', { name: 'Anhänge', exact: true }).getByRole('listitem').filter({ hasText: 'Finanzierungsplan.pdf' });
    await attachment.waitFor();
    expect(await attachment.innerText()).toMatch(/PDF, \d+ Byte – Stefan Kuhlmann/);
    await attachment.getByRole('button', { name: 'Herunterladen: Finanzierungsplan.pdf' }).waitFor();

    await coordinator.getByRole('button', { name: 'Mir zuweisen' }).click();
    await coordinator.getByRole('button', { name: 'Mir zuweisen' }).waitFor({ state: 'detached' });
    expect(await coordinator.getByRole('definition').filter({ hasText: 'Sabine Kramer' }).count()).toBeGreaterThan(0);

    await coordinator.getByLabel('Ihre Antwort').fill(REPLY);
    await coordinator.getByRole('button', { name: 'Antwort senden' }).click();
    await coordinator.getByTestId('message').filter({ hasText: REPLY }).waitFor();

    await coordinator.getByLabel('Als interne Notiz speichern').check();
    await coordinator.getByLabel('Interne Notiz', { exact: true }).fill(NOTE);
    await coordinator.getByRole('button', { name: 'Notiz speichern' }).click();
    const note = coordinator.getByTestId('internal-note').filter({ hasText: NOTE });
    await note.waitFor();
    expect(await note.innerText()).toContain('Intern – nur für die Kreis-Koordination');

    // The town sees the reply, never the internal note.
    await officer.goto(requestUrl);
    await officer.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await officer.getByTestId('message').filter({ hasText: REPLY }).waitFor();
    expect(await officer.getByText(NOTE).count()).toBe(0);
    expect(await officer.getByText('Intern – nur für die Kreis-Koordination').count()).toBe(0);
    expect(await officer.getByRole('button', { name: 'Mir zuweisen' }).count()).toBe(0);

    // The coordinator's public reply put the request in progress; resolving it shows the
    // response time in words.
    await coordinator.getByRole('button', { name: 'Als gelöst markieren' }).click();
    await coordinator.getByTestId('resolution-time').waitFor();
    expect(await coordinator.getByRole('definition').filter({ hasText: 'Erledigt' }).count()).toBeGreaterThan(0);
    expect(await coordinator.getByTestId('response-time').innerText()).toMatch(/^Erste Antwort nach (weniger als 1 Min\.|\d+ Min\.)/);

    await officer.reload();
    await officer.getByTestId('response-time').waitFor();
    expect(await officer.getByTestId('response-time').innerText()).toContain('Erste Antwort nach');
  });

  it('the coordinator’s start page is the district dashboard, each chart also as a table', async () => {
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await coordinator.getByRole('heading', { level: 1, name: 'Willkommen, Sabine Kramer' }).waitFor();
    await coordinator.getByRole('heading', { name: 'Kennzahlen' }).waitFor();
    const chart = coordinator.getByRole('region', { name: 'Projekte nach Kommune und Status' });
    const toggle = chart.getByRole('button', { name: 'Als Tabelle anzeigen: Projekte nach Kommune und Status' });
    await toggle.waitFor();
    // The table is there for screen readers before it is shown.
    expect(await chart.getByRole('table', { includeHidden: true }).count()).toBe(1);
    await toggle.click();
    const table = chart.getByRole('table', { name: 'Projekte nach Kommune und Status' });
    await table.getByRole('rowheader', { name: 'Brakel' }).waitFor();
    const download = coordinator.waitForEvent('download');
    await chart.getByRole('button', { name: 'Daten als CSV: Projekte nach Kommune und Status' }).click();
    expect((await download).suggestedFilename()).toMatch(/^projekte-nach-kommune-\d{4}-\d{2}-\d{2}\.csv$/);
  });
});
