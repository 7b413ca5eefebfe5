// EfA reuse against the real backend: the coordinator's adoption matrix, and a Nieheim
// officer declaring interest in eWA, which then shows up in the matrix.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupBrowser } from './session';

const EWA = /Elektronische Wohnsitzanmeldung/;

const { signedIn } = setupBrowser({ viewport: { width: 1366, height: 768 } });

async function openMatrix(page: Page) {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Nachnutzungsmatrix' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nachnutzungsmatrix' }).waitFor();
  await page.getByRole('table').waitFor();
}

/** The text of the matrix cell of `town` in the column of the solution `solution`. */
async function cell(page: Page, town: string, solution: RegExp): Promise<string> {
  const headers = await page.getByRole('table').locator('thead th').allInnerTexts();
  const column = headers.findIndex((h) => solution.test(h));
  expect(column).toBeGreaterThan(0);
  const row = page.getByRole('table').locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: town, exact: true }) });
  return (await row.locator('th, td').nth(column).innerText()).trim();
}

describe('EfA reuse', () => {
  it('the coordinator sees who runs eWA, and Nieheim’s interest appears in the matrix', async () => {
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await openMatrix(coordinator);
    expect(await cell(coordinator, 'Brakel', EWA)).toContain('In Betrieb');
    expect(await cell(coordinator, 'Warburg', EWA)).toContain('In Prüfung');
    expect(await cell(coordinator, 'Nieheim', EWA)).toMatch(/^–/);
    // The cell is a link with the whole statement as its name; the region scrolls and is focusable.
    await coordinator.getByRole('link', { name: /^Brakel – Elektronische Wohnsitzanmeldung.*: In Betrieb$/ }).waitFor();
    expect(await coordinator.getByRole('region', { name: /Nachnutzung der EfA-Lösungen/ }).getAttribute('tabindex')).toBe('0');

    const nieheim = await signedIn('digital@nieheim.example');
    await nieheim.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'EfA-Lösungen' }).click();
    await nieheim.getByRole('heading', { level: 1, name: 'EfA-Lösungen' }).waitFor();
    await nieheim.getByLabel('Suchbegriff').fill('Wohnsitz');
    await nieheim.getByRole('button', { name: 'Suchen' }).click();
    await nieheim.getByRole('link', { name: EWA }).click();
    await nieheim.getByRole('heading', { level: 1, name: EWA }).waitFor();
    await nieheim.getByRole('button', { name: 'Wir sind interessiert' }).click();
    await nieheim.getByText('Aktueller Stand:').waitFor();
    const adoptions = nieheim.getByRole('table', { name: /Nachnutzung von/ });
    await adoptions.getByRole('row', { name: /Nieheim.*Interesse/ }).waitFor();

    await coordinator.reload();
    await coordinator.getByRole('table').waitFor();
    expect(await cell(coordinator, 'Nieheim', EWA)).toContain('Interesse');
  });
});
