// Long detail pages in sections (#16): the project page and the funding application have an
// in-page navigation whose anchors stay in the URL (a link or a reload lands on the section);
// the application's edit form is closed until "Bearbeiten" and its summary names the call and
// its deadline. axe-core checks both pages, and the Brakel officer’s own support request,
// funding application and process (made through the API first: the demo data has none).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { violations } from './axe';
import { apiClient, setupBrowser } from './session';

const run = Date.now().toString(36);

const { signedIn } = setupBrowser();

/** The id of the focused element's nearest ancestor-or-self with an id. */
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.closest('[id]')?.id ?? null);

/** Waits until the element's top edge lies within the viewport (the page scrolls smoothly); fails after 5 s. */
const scrolledTo = (page: Page, id: string) =>
  page.waitForFunction(
    (target) => {
      const box = document.getElementById(target)?.getBoundingClientRect();
      return box !== undefined && box.top >= 0 && box.top < window.innerHeight / 2;
    },
    id,
    { timeout: 5_000 },
  );

/** A "Frist" value as the page shows it: "15.01.2027, 12:00 Uhr". */
const german = (iso: string) => iso.split('-').reverse().join('.');

function inDays(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe('detail pages in sections', () => {
  it('the project page: the section links keep their anchor, and a reload lands on the section', async () => {
    const page = await signedIn('digital@brakel.example');
    await page.goto('/projekte');
    await page.getByRole('main').getByRole('link').filter({ hasText: /\S/ }).first().waitFor();
    await page.locator('main a[href^="/projekte/"]:not([href="/projekte/neu"])').first().click();
    await page.waitForURL(/\/projekte\/[^/#]+$/);
    const path = new URL(page.url()).pathname;
    // Editing is a page of its own: no form for the project's fields here.
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.dn-loading'), undefined, { timeout: 15_000 });
    expect(await page.getByLabel('Titel', { exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Kurzbeschreibung').count()).toBe(0);

    const sections = page.getByRole('navigation', { name: 'Abschnitte des Projekts' });
    expect(await sections.getByRole('link').allInnerTexts()).toEqual(['Überblick', 'Neuigkeiten & Diskussion', 'Partner', 'Dokumente', 'Verlauf']);
    expect(await sections.getByRole('link', { name: 'Überblick' }).getAttribute('aria-current')).toBe('location');

    // By keyboard: the link is a Tab stop and Enter follows it.
    const partner = sections.getByRole('link', { name: 'Partner', exact: true });
    await partner.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.hash === '#partner');
    expect(new URL(page.url()).pathname).toBe(path);
    await page.waitForFunction(() => document.activeElement?.id === 'partner');
    await scrolledTo(page, 'partner');
    expect(await page.locator('#partner').getByRole('heading', { level: 2, name: 'Mitwirkende Kommunen' }).count()).toBe(1);
    expect(await partner.getAttribute('aria-current')).toBe('location');
    expect(await sections.getByRole('link', { name: 'Überblick' }).getAttribute('aria-current')).toBeNull();
    expect(await violations(page)).toEqual([]);

    // A link from elsewhere (or a reload) with #dokumente lands on the documents.
    await page.goto('about:blank');
    await page.goto(`${path}#dokumente`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'dokumente');
    await page.waitForFunction(() => !document.querySelector('.dn-loading'), undefined, { timeout: 15_000 });
    expect(await focusedId(page)).toBe('dokumente');
    await scrolledTo(page, 'dokumente');
    expect(await sections.getByRole('link', { name: 'Dokumente' }).getAttribute('aria-current')).toBe('location');
    await page.reload();
    await page.waitForFunction(() => document.activeElement?.id === 'dokumente');
    expect(await violations(page)).toEqual([]);
  });

  it('the application: summary with call and deadline, the edit form opened on demand', async () => {
    const coordinatorApi = await apiClient('koordination@kreis-hoexter.example');
    const lena = await apiClient('digital@brakel.example');
    const programmes = (await coordinatorApi.send('GET', '/api/v1/funding/programmes?limit=100')) as { items: { id: string; slug: string }[] };
    const mpsc = programmes.items.find((p) => p.slug === 'mpsc');
    expect(mpsc).toBeDefined();
    const callTitle = `Aufruf Ortskern ${run}`;
    const deadline = inDays(30);
    const programme = (await coordinatorApi.send(
      'POST',
      `/api/v1/funding/programmes/${mpsc?.id}/calls`,
      { title: callTitle, deadline_date: deadline, deadline_time: '12:00:00' },
      { status: 201 },
    )) as { calls: { id: string; title: string }[] };
    const call = programme.calls.find((c) => c.title === callTitle);
    const town = lena.user.municipality?.id ?? '';
    const title = `Digitaler Ortskern Brakel ${run}`;
    const application = await lena.send(
      'POST',
      '/api/v1/funding/applications',
      {
        programme_id: mpsc?.id,
        call_id: call?.id,
        title,
        lead_municipality_id: town,
        total_costs_cents: 300_000,
        requested_cents: 150_000,
        shares: [{ municipality_id: town, share_cents: 300_000 }],
      },
      { status: 201 },
    );

    const page = await signedIn('koordination@kreis-hoexter.example');
    await page.goto(`/foerderung/antraege/${application.id as string}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const row = (label: string) =>
      page.locator('.kern-description-list-item').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
    await row('Förderaufruf').filter({ hasText: callTitle }).waitFor();
    expect(await row('Frist').innerText()).toBe(`${german(deadline)}, 12:00 Uhr`);

    const sections = page.getByRole('navigation', { name: 'Abschnitte des Antrags' });
    expect(await sections.getByRole('link').allInnerTexts()).toEqual(['Überblick', 'Checkliste & Dokumente', 'Verlauf']);

    // Closed: neither the form nor its fields are on the page.
    const form = page.getByRole('form', { name: 'Antrag bearbeiten' });
    expect(await form.count()).toBe(0);
    expect(await page.getByLabel('Titel des Antrags').count()).toBe(0);
    await page.waitForFunction(() => !document.querySelector('.dn-loading'), undefined, { timeout: 15_000 });
    const closedHeight = await page.evaluate(() => document.body.scrollHeight);
    expect(await violations(page)).toEqual([]);

    // "Bearbeiten" opens it; focus moves to its heading.
    const edit = page.getByRole('button', { name: 'Bearbeiten', exact: true });
    await edit.click();
    await form.waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('#application-edit') !== null);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Antrag bearbeiten');
    expect(await page.getByLabel('Titel des Antrags').inputValue()).toBe(title);
    // Programme and lead town are fixed once the application exists.
    expect(await page.getByLabel('Förderprogramm', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Antragstellende Kommune (Konsortialführung)').isDisabled()).toBe(true);
    const openHeight = await page.evaluate(() => document.body.scrollHeight);
    expect(closedHeight, `closed ${closedHeight} px, open ${openHeight} px`).toBeLessThan(openHeight - 600);
    expect(await violations(page)).toEqual([]);

    // "Abbrechen" closes it and gives the focus back to "Bearbeiten".
    await form.getByRole('button', { name: 'Abbrechen' }).click();
    await form.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Bearbeiten');
    expect(await page.getByLabel('Titel des Antrags').count()).toBe(0);

    // Saved: the form closes, the confirmation is announced politely, focus is on "Bearbeiten".
    await edit.click();
    await page.getByLabel('Titel des Antrags').fill(`${title} (neu)`);
    await form.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByRole('heading', { level: 1, name: `${title} (neu)` }).waitFor();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Die Änderungen am Antrag sind gespeichert.' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Bearbeiten');

    // The checklist section by its anchor.
    await sections.getByRole('link', { name: 'Checkliste & Dokumente' }).click();
    await page.waitForURL((url) => url.hash === '#checkliste');
    await page.waitForFunction(() => document.activeElement?.id === 'checkliste');
    await scrolledTo(page, 'checkliste');
  });
  it('the Brakel officer’s own support request, funding application and process: axe finds nothing', async () => {
    // The demo data gives the officer no such objects, so the test makes them first: a request the
    // coordinator has answered, an application with a cost share, a process Brakel maintains.
    const lena = await apiClient('digital@brakel.example');
    const coordinator = await apiClient('koordination@kreis-hoexter.example');
    const town = lena.user.municipality?.id ?? '';
    const request = await lena.send(
      'POST',
      '/api/v1/support/requests',
      { category: 'funding_application', title: `Hilfe beim Finanzierungsplan ${run}`, description: 'Wie teilen wir die Kosten auf?' },
      { status: 201 },
    );
    await coordinator.send(
      'POST',
      `/api/v1/support/requests/${request.id as string}/messages`,
      { body: 'Schicken Sie uns den Entwurf, wir sehen ihn bis Freitag durch.', internal: false },
      { status: 201 },
    );
    const programmes = (await lena.send('GET', '/api/v1/funding/programmes?limit=100')) as { items: { id: string; slug: string }[] };
    const mpsc = programmes.items.find((p) => p.slug === 'mpsc');
    expect(mpsc).toBeDefined();
    const application = await lena.send(
      'POST',
      '/api/v1/funding/applications',
      {
        programme_id: mpsc?.id,
        title: `Digitales Bürgerbüro Brakel ${run}`,
        lead_municipality_id: town,
        total_costs_cents: 1_350_000,
        requested_cents: 450_000,
        shares: [{ municipality_id: town, share_cents: 1_350_000 }],
      },
      { status: 201 },
    );
    const process = await lena.send(
      'POST',
      '/api/v1/processes',
      { name: `Hundesteuer anmelden Brakel ${run}`, owner_municipality_id: town, it_systems: 'OK.FIS' },
      { status: 201 },
    );

    const page = await signedIn('digital@brakel.example');
    const pages: [string, string, string][] = [
      [`/unterstuetzung/${request.id as string}`, request.title as string, 'Schicken Sie uns den Entwurf'],
      [`/foerderung/antraege/${application.id as string}`, application.title as string, '13.500,00 €'],
      [`/prozesse/${process.id as string}`, process.name as string, 'OK.FIS'],
    ];
    for (const [path, heading, shown] of pages) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByRole('main').getByText(shown).first().waitFor();
      expect(await violations(page), `axe on ${path}`).toEqual([]);
    }
  });
});
