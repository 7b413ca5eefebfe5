// Funding coordination against the real backend: the coordinator prepares a joint
// application of Höxter, Brakel and Warburg; the shares must add up; Brakel ticks its
// checklist item and uploads the council resolution to it; the application moves to "Eingereicht"
// on the board.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfFile } from './files';
import { setupBrowser } from './session';

const TITLE = 'Smarte Nahversorgung – gemeinsamer Antrag';

const { signedIn } = setupBrowser();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Hauptnavigation' });
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('funding', () => {
  it('a joint application: shares must add up, Brakel ticks its task, the application is submitted', async () => {
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await nav(coordinator).getByRole('link', { name: 'Förderung' }).click();
    await coordinator.getByRole('heading', { level: 1, name: 'Förderprogramme' }).waitFor();
    const mpsc = coordinator.getByTestId('programme').filter({ hasText: 'Modellprojekte Smart Cities' });
    expect(plain(await mpsc.innerText())).toContain('Förderquote: 65 % (bis 90 %)');
    const deadlines = await coordinator.getByTestId('next-deadline').allInnerTexts();
    expect(deadlines.some((d) => /^Frist \d{2}\.\d{2}\.\d{4}(, \d{2}:\d{2} Uhr)? – (noch \d+ Tage?|heute)$/.test(d))).toBe(true);
    await mpsc.getByRole('link', { name: /Modellprojekte Smart Cities/ }).click();
    await coordinator.getByRole('heading', { level: 1, name: /Modellprojekte Smart Cities/ }).waitFor();
    await coordinator.getByRole('link', { name: 'Antrag anlegen' }).click();
    await coordinator.getByRole('heading', { level: 1, name: 'Förderantrag anlegen' }).waitFor();

    expect(await coordinator.getByLabel('Förderprogramm', { exact: true }).inputValue()).not.toBe('');
    await coordinator.getByLabel('Titel des Antrags').fill(TITLE);
    await coordinator.getByLabel('Antragstellende Kommune (Konsortialführung)').selectOption({ label: 'Höxter' });
    await coordinator.getByLabel('Gesamtkosten').fill('3.000.000,00');
    await coordinator.getByLabel('Beantragte Förderung').fill('1.950.000,00');
    for (const town of ['Brakel', 'Warburg']) {
      await coordinator.getByLabel('Partnerkommune', { exact: true }).selectOption({ label: town });
      await coordinator.getByRole('button', { name: 'Partnerkommune hinzufügen' }).click();
    }
    await coordinator.getByLabel('Anteil Höxter').fill('1.500.000,00');
    await coordinator.getByLabel('Anteil Brakel').fill('675.000,00');
    await coordinator.getByLabel('Anteil Warburg').fill('750.000,00');
    expect(plain(await coordinator.getByTestId('share-sum').innerText())).toBe(
      'Summe der Anteile: 2.925.000,00 € – es fehlen 75.000,00 €',
    );
    expect(plain(await coordinator.getByTestId('own-contribution').innerText())).toBe('Eigenanteil: 1.050.000,00 €');

    // The server refuses shares that do not add up, in German, next to the table.
    await coordinator.getByRole('button', { name: 'Antrag anlegen' }).click();
    const error = coordinator.locator('.kern-error').filter({ hasText: 'Gesamtkosten sind 3.000.000,00 €' });
    await error.waitFor();
    expect(plain(await error.innerText())).toContain('Die Anteile ergeben 2.925.000,00 €');
    expect(coordinator.url()).toMatch(/\/foerderung\/antraege\/neu/);

    await coordinator.getByLabel('Anteil Brakel').fill('750.000,00');
    expect(plain(await coordinator.getByTestId('share-sum').innerText())).toBe(
      'Summe der Anteile: 3.000.000,00 € – entspricht den Gesamtkosten',
    );
    await coordinator.getByRole('button', { name: 'Antrag anlegen' }).click();
    await coordinator.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const applicationUrl = coordinator.url();
    expect(applicationUrl).toMatch(/\/foerderung\/antraege\/[^/]+$/);
    expect(await coordinator.getByTestId('application-status').innerText()).toContain('Idee');

    // Assign "Ratsbeschluss" to the Brakel officer (the form is folded away below the item).
    await coordinator.getByText('Aufgabe „Ratsbeschluss“ zuweisen', { exact: true }).click();
    await coordinator.getByLabel('Zuständig für „Ratsbeschluss“').selectOption({ label: 'Lena Vogt (Brakel)' });
    await coordinator.getByRole('button', { name: '„Ratsbeschluss“ zuweisen' }).click();
    await coordinator.getByTestId('checklist-item').filter({ hasText: 'Zuständig: Lena Vogt' }).waitFor();

    // Brakel ticks it; Warburg's and Brakel's officers see no private notes field.
    const lena = await signedIn('digital@brakel.example');
    await lena.goto(applicationUrl);
    await lena.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const tick = lena.getByLabel('Ratsbeschluss', { exact: true });
    expect(await tick.isEnabled()).toBe(true);
    await tick.check();
    await lena.getByTestId('checklist-item').filter({ hasText: 'erledigt' }).waitFor();
    expect(await lena.getByLabel('Ratsbeschluss', { exact: true }).isChecked()).toBe(true);
    expect(await lena.getByLabel('Interne Notizen').count()).toBe(0);

    // Brakel uploads the council resolution to its checklist item and sees it listed under the item.
    const item = lena.getByTestId('checklist-item').filter({ has: lena.getByLabel('Ratsbeschluss', { exact: true }) });
    await item.getByText('Datei zu „Ratsbeschluss“ hochladen', { exact: true }).click();
    const upload = item.getByRole('form', { name: 'Datei zu „Ratsbeschluss“ hochladen' });
    await upload.getByLabel('Datei für „Ratsbeschluss“').setInputFiles(pdfFile('Ratsbeschluss.pdf'));
    await upload.getByRole('button', { name: 'Hochladen' }).click();
    await upload.getByRole('status').filter({ hasText: '„Ratsbeschluss.pdf“ wurde hochgeladen.' }).waitFor();
    const resolution = item.getByRole('list', { name: 'Dokumente zu „Ratsbeschluss“' }).getByRole('listitem').filter({ hasText: 'Ratsbeschluss.pdf' });
    await resolution.waitFor();
    expect(await resolution.innerText()).toMatch(/PDF, \d+ Byte – Lena Vogt/);

    // The coordinator moves it on the board: Idee → In Vorbereitung → Eingereicht.
    await coordinator.getByRole('navigation', { name: 'Förderung – Bereiche' }).getByRole('link', { name: 'Anträge' }).click();
    await coordinator.getByRole('heading', { level: 1, name: 'Förderanträge' }).waitFor();
    await coordinator.getByTestId('column-idea').getByRole('link', { name: TITLE }).waitFor();
    await coordinator.getByRole('button', { name: `„${TITLE}“ verschieben nach: In Vorbereitung` }).click();
    await coordinator.getByTestId('column-preparing').getByRole('link', { name: TITLE }).waitFor();
    await coordinator.getByRole('button', { name: `„${TITLE}“ verschieben nach: Eingereicht` }).click();
    await coordinator.getByTestId('column-submitted').getByRole('link', { name: TITLE }).waitFor();

    await coordinator.getByTestId('column-submitted').getByRole('link', { name: TITLE }).click();
    await coordinator.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await coordinator.getByTestId('application-status').innerText()).toContain('Eingereicht');
    expect(await coordinator.getByTestId('history-entry').filter({ hasText: 'In Vorbereitung → Eingereicht' }).count()).toBe(1);
    expect(await coordinator.getByLabel('Ratsbeschluss', { exact: true }).isChecked()).toBe(true);
    // The coordinator finds Brakel's upload among the documents, marked with its checklist item.
    const documents = coordinator.getByRole('region', { name: 'Dokumente', exact: true });
    const uploaded = documents.getByRole('listitem').filter({ hasText: 'Ratsbeschluss.pdf' });
    await uploaded.waitFor();
    expect(await uploaded.innerText()).toContain('zu „Ratsbeschluss“');
  });

  it('the overview sums up the district and the deadline calendar can be subscribed', async () => {
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await coordinator.goto('/foerderung/uebersicht');
    await coordinator.getByRole('heading', { level: 1, name: 'Förderung im Kreis: Übersicht' }).waitFor();
    await coordinator.getByRole('button', { name: 'CSV exportieren' }).waitFor();
    const download = coordinator.waitForEvent('download');
    await coordinator.getByRole('button', { name: 'CSV exportieren' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^foerderung-uebersicht-\d{4}-\d{2}-\d{2}\.csv$/);
    // The file holds the district: a row per town and programme, then the district's sum.
    const csv = await readFile(await file.path(), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Kommune;Förderprogramm;Kosten (EUR);Beantragt (EUR);Bewilligt (EUR);Eigenanteil (EUR)');
    expect(lines.some((l) => l.startsWith('Brakel;'))).toBe(true);
    const sum = lines.find((l) => l.startsWith('Summe Kreis;'));
    expect(sum?.split(';')[2]).toMatch(/^[1-9][\d.]*,\d\d$/);

    await coordinator.getByRole('navigation', { name: 'Förderung – Bereiche' }).getByRole('link', { name: 'Fristenkalender' }).click();
    await coordinator.getByRole('heading', { level: 1, name: 'Fristenkalender' }).waitFor();
    await coordinator.getByRole('button', { name: 'In Outlook/Thunderbird abonnieren' }).click();
    const url = await coordinator.getByLabel('Adresse Ihres Fristenkalenders').inputValue();
    expect(url).toMatch(/^https?:\/\/.+/);
    const webcal = await coordinator.getByRole('link', { name: 'Im Kalenderprogramm öffnen (webcal://)' }).getAttribute('href');
    expect(webcal).toBe(url.replace(/^https?:\/\//, 'webcal://'));
    const ics = await coordinator.request.get(url);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  });
});
