// Attachments against the real backend: Brakel uploads a PDF to its project, sees it listed and
// downloads it; a text file named .pdf is refused with the server's German message (checked by
// content); deleting asks once more.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBrowser } from './session';

const TITLE = 'E-Rechnung im Rechnungseingang';

const { signedIn } = setupBrowser({ closeContexts: 'afterAll' });
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dn-attachments-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('project attachments', () => {
  it('Brakel uploads and downloads a PDF, a text file named .pdf is refused, and the PDF is deleted', async () => {
    const pdf = join(dir, 'Leistungsbeschreibung.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
    const fake = join(dir, 'Notiz.pdf');
    writeFileSync(fake, 'Das ist nur Text, kein PDF.\n');

    const page = await signedIn('digital@brakel.example');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Projekte', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Projekte' }).waitFor();
    await page.getByLabel('Suchbegriff').fill('E-Rechnung');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/q=E-Rechnung/);
    await page.getByRole('link', { name: TITLE }).first().click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();

    const section = page.getByRole('region', { name: 'Anhänge' });
    const input = section.getByLabel('Datei', { exact: true });
    await input.setInputFiles(pdf);
    await section.getByRole('button', { name: 'Hochladen' }).click();
    await section.getByRole('status').filter({ hasText: '„Leistungsbeschreibung.pdf“ wurde hochgeladen.' }).waitFor();
    const item = section.getByRole('listitem').filter({ hasText: 'Leistungsbeschreibung.pdf' });
    await item.waitFor();
    expect(await item.innerText()).toMatch(/PDF, \d+ Byte – Lena Vogt/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item.getByRole('button', { name: 'Herunterladen: Leistungsbeschreibung.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Leistungsbeschreibung.pdf');

    await input.setInputFiles(fake);
    await section.getByRole('button', { name: 'Hochladen' }).click();
    await section.getByText('Dieser Dateityp ist nicht erlaubt.', { exact: false }).waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await section.getByRole('listitem').filter({ hasText: 'Notiz.pdf' }).count()).toBe(0);

    // Delete asks once more, then the file is gone from the list.
    await item.getByRole('button', { name: 'Löschen: Leistungsbeschreibung.pdf' }).click();
    await item.getByRole('button', { name: 'Ja, löschen' }).click();
    await item.waitFor({ state: 'detached' });
  });
});
