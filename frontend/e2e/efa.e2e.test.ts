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

/**
 * Words of the table's header and cells that a line break splits inside: each run of letters
 * between spaces, hyphens and soft hyphens (where a break is allowed) must lie on one line.
 */
function splitWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const table = document.querySelector('table');
    if (!table) return ['no table'];
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let next = walker.nextNode(); next; next = walker.nextNode()) {
      const node = next;
      const text = node.textContent ?? '';
      if (node.parentElement?.closest('.kern-sr-only, caption')) continue;
      const word = /[^\s\-\u00ad]+/g;
      // The line of one character: its last box (Chromium adds the rendered hyphen of a soft
      // hyphen just before it to the first character of the next line).
      const line = (at: number) => {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        const boxes = Array.from(range.getClientRects());
        return Math.round(boxes[boxes.length - 1]?.top ?? -1);
      };
      for (let m = word.exec(text); m; m = word.exec(text)) {
        if (line(m.index) !== line(m.index + m[0].length - 1)) broken.push(m[0]);
      }
    }
    return broken;
  });
}

describe('EfA reuse', () => {
  it('the matrix fits a 1280 px screen: no horizontal scrolling, no word broken inside', async () => {
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await coordinator.setViewportSize({ width: 1280, height: 800 });
    await openMatrix(coordinator);
    const region = coordinator.getByRole('region', { name: /Nachnutzung der EfA-Lösungen/ });
    const widths = await region.evaluate((el) => ({
      region: [el.scrollWidth, el.clientWidth],
      page: [document.scrollingElement?.scrollWidth ?? 0, document.scrollingElement?.clientWidth ?? 0],
      columns: el.querySelectorAll('thead th').length,
    }));
    // The demo district's eight solutions, the town and the total column.
    expect(widths.columns).toBe(10);
    expect(widths.region[0], `matrix ${widths.region.join(' > ')}`).toBeLessThanOrEqual(widths.region[1]);
    expect(widths.page[0], `page ${widths.page.join(' > ')}`).toBeLessThanOrEqual(widths.page[1]);
    expect(await splitWords(coordinator)).toEqual([]);
    // Some header and the "Vertragsabschluss" badge did wrap (the check above looked at real breaks).
    const wrapped = await region.evaluate((el) =>
      Array.from(el.querySelectorAll('thead th a, .dn-adoption--compact .kern-label')).filter((e) => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 30).length,
    );
    expect(wrapped).toBeGreaterThan(0);
  });


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
