// "Heute wichtig" (#16, acceptance 5): the Brakel officer's start page lists the funding
// deadline of her application in preparation, the open checklist item assigned to her and
// the request the district answered. The data is made through the API first.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './chromium';

const PASSWORD = 'Demo-Passwort-2026!';
const baseUrl = inject('baseUrl');
const run = Date.now().toString(36);

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function signedIn(email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'de-DE' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

type Json = Record<string, unknown> & { id?: string };

/** A signed-in API client (outside the browser). */
async function client(email: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const { access_token, user } = (await login.json()) as { access_token: string; user: { id: string; municipality?: { id: string } } };
  const send = async (method: string, path: string, body?: unknown, version?: number, status = 200) => {
    const headers: Record<string, string> = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    if (version !== undefined) headers['if-match'] = `"${version}"`;
    const resp = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await resp.text();
    expect(resp.status, `${method} ${path}: ${text}`).toBe(status);
    return (text ? JSON.parse(text) : {}) as Json;
  };
  return { user, send };
}

/** A date `days` from today in Berlin, as "2027-01-15". */
function inDays(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const german = (iso: string) => iso.split('-').reverse().join('.');

describe('start page "Heute wichtig"', () => {
  it('the Brakel officer sees the funding deadline, her checklist item and the request waiting for her', async () => {
    const coordinator = await client('koordination@kreis-hoexter.example');
    const lena = await client('digital@brakel.example');
    const programmes = (await coordinator.send('GET', '/api/v1/funding/programmes?limit=100')) as { items: { id: string; slug: string }[] };
    const mpsc = programmes.items.find((p) => p.slug === 'mpsc');
    expect(mpsc).toBeDefined();
    const callTitle = `Aufruf Dorfmitte ${run}`;
    const deadline = inDays(21);
    const programme = (await coordinator.send(
      'POST',
      `/api/v1/funding/programmes/${mpsc?.id}/calls`,
      { title: callTitle, deadline_date: deadline, deadline_time: '12:00:00' },
      undefined,
      201,
    )) as { calls: { id: string; title: string }[] };
    const call = programme.calls.find((c) => c.title === callTitle);
    const town = lena.user.municipality?.id ?? '';
    const appTitle = `Smarte Dorfmitte Brakel ${run}`;
    const application = (await lena.send(
      'POST',
      '/api/v1/funding/applications',
      {
        programme_id: mpsc?.id,
        call_id: call?.id,
        title: appTitle,
        lead_municipality_id: town,
        total_costs_cents: 200_000,
        requested_cents: 100_000,
        shares: [{ municipality_id: town, share_cents: 200_000 }],
      },
      undefined,
      201,
    )) as { id: string; checklist: { id: string; title: string; version: number }[] };
    const item = application.checklist.find((c) => c.title === 'Ratsbeschluss');
    if (!item) throw new Error('the new application has no "Ratsbeschluss" item');
    const due = inDays(7);
    await coordinator.send('PATCH', `/api/v1/funding/checklist/${item.id}`, { assignee_id: lena.user.id, due_date: due }, item.version);
    const requestTitle = `Hilfe beim Kostenplan ${run}`;
    const request = await lena.send(
      'POST',
      '/api/v1/support/requests',
      { category: 'funding_application', title: requestTitle, description: 'Bitte um Unterstützung beim Kostenplan.' },
      undefined,
      201,
    );
    await coordinator.send(
      'POST',
      `/api/v1/support/requests/${request.id}/messages`,
      { body: 'Bitte schicken Sie mir die Kostenaufstellung.', internal: false },
      undefined,
      201,
    );

    const page = await signedIn('digital@brakel.example');
    const today = page.getByTestId('today');
    await today.getByRole('heading', { level: 2, name: 'Heute wichtig' }).waitFor();

    const deadlines = today.getByTestId('today-deadlines');
    const callLink = deadlines.getByRole('link', { name: callTitle, exact: false });
    await callLink.waitFor();
    const callEntry = deadlines.getByRole('listitem').filter({ hasText: callTitle });
    expect(await callEntry.innerText()).toContain(`${appTitle} · Frist ${german(deadline)}, 12:00 Uhr (noch 21 Tage)`);

    const checklist = today.getByTestId('today-checklist');
    const itemEntry = checklist.getByRole('listitem').filter({ hasText: appTitle });
    expect(await itemEntry.innerText()).toContain(`${item.title} – ${appTitle} · fällig am ${german(due)} (noch 7 Tage)`);

    const requests = today.getByTestId('today-requests');
    const requestLink = requests.getByRole('link', { name: requestTitle });
    await requestLink.waitFor();

    // The links open the objects.
    await requestLink.click();
    await page.getByRole('heading', { level: 1, name: requestTitle }).waitFor();
    await page.goBack();
    await page.getByTestId('today-deadlines').getByRole('link', { name: callTitle, exact: false }).click();
    await page.getByRole('heading', { level: 1, name: appTitle }).waitFor();

    // Warburg's officer sees none of it.
    const warburg = await signedIn('digital@warburg.example');
    await warburg.getByTestId('today-deadlines').waitFor();
    const text = await warburg.getByTestId('today').innerText();
    expect(text).not.toContain(run);
  });
});
