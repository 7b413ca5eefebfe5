// "Heute wichtig" (#16, acceptance 5): the Brakel officer's start page lists the funding
// deadline of her application in preparation, the open checklist item assigned to her and
// the request the district answered. The data is made through the API first.
import { describe, expect, it } from 'vitest';
import { apiClient, setupBrowser } from './session';

const run = Date.now().toString(36);

const { signedIn } = setupBrowser();

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
    const coordinator = await apiClient('koordination@kreis-hoexter.example');
    const lena = await apiClient('digital@brakel.example');
    const programmes = (await coordinator.send('GET', '/api/v1/funding/programmes?limit=100')) as { items: { id: string; slug: string }[] };
    const mpsc = programmes.items.find((p) => p.slug === 'mpsc');
    expect(mpsc).toBeDefined();
    const callTitle = `Aufruf Dorfmitte ${run}`;
    const deadline = inDays(21);
    const programme = (await coordinator.send(
      'POST',
      `/api/v1/funding/programmes/${mpsc?.id}/calls`,
      { title: callTitle, deadline_date: deadline, deadline_time: '12:00:00' },
      { status: 201 },
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
      { status: 201 },
    )) as { id: string; checklist: { id: string; title: string; version: number }[] };
    const item = application.checklist.find((c) => c.title === 'Ratsbeschluss');
    if (!item) throw new Error('the new application has no "Ratsbeschluss" item');
    const due = inDays(7);
    await coordinator.send('PATCH', `/api/v1/funding/checklist/${item.id}`, { assignee_id: lena.user.id, due_date: due }, { version: item.version });
    const requestTitle = `Hilfe beim Kostenplan ${run}`;
    const request = await lena.send(
      'POST',
      '/api/v1/support/requests',
      { category: 'funding_application', title: requestTitle, description: 'Bitte um Unterstützung beim Kostenplan.' },
      { status: 201 },
    );
    await coordinator.send(
      'POST',
      `/api/v1/support/requests/${request.id}/messages`,
      { body: 'Bitte schicken Sie mir die Kostenaufstellung.', internal: false },
      { status: 201 },
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
