import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Schemas } from '@/lib/api';
import { I18nProvider } from '@/lib/i18n';
import { filtersFromSearch, filtersToSearch } from './filters';
import { OutboxPage } from './OutboxPage';

type Entry = Schemas['OutboxEntry'];
type State = 'pending' | 'sent' | 'failed' | 'unconfirmed';

const base = {
  kind: 'system',
  attempts: 7,
  created_at: '2026-11-20T08:00:00Z',
  next_attempt_at: '2026-11-24T17:00:00Z',
  sent_at: null,
  failed_at: null,
  last_error: null,
  smtp_response: null,
} satisfies Partial<Entry>;

const failedOne: Entry = {
  ...base,
  id: 'm1',
  to_email: 'anna.becker@example.org',
  subject: 'Einladung zum Digitalnetzwerk',
  failed_at: '2026-11-24T17:00:00Z',
  last_error: '421 4.7.0 Try again later',
};
const failedTwo: Entry = {
  ...base,
  id: 'm2',
  kind: 'digest',
  to_email: 'jonas.berg@example.org',
  subject: 'Ihre Zusammenfassung',
  failed_at: '2026-11-23T09:30:00Z',
  last_error: 'connection refused',
};
const sentOne: Entry = {
  ...base,
  id: 'm3',
  kind: 'instant',
  to_email: 'lena.vogt@example.org',
  subject: 'Neuigkeit im Projekt',
  attempts: 1,
  sent_at: '2026-11-24T10:00:00Z',
  smtp_response: '250 2.0.0 Ok: queued as 4XyZ',
};

const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

interface Sent {
  method: string;
  path: string;
  params: URLSearchParams;
}

/** A fake backend: `boxes` holds the rows per state; a retry moves a failed row to pending. */
function mockServer(boxes: Partial<Record<State, Entry[]>>, opts: { total?: number; retryStatus?: number } = {}) {
  const sent: Sent[] = [];
  const box = (s: State) => (boxes[s] ??= []);
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url, 'http://localhost');
    sent.push({ method: req.method, path: url.pathname, params: url.searchParams });
    await Promise.resolve();
    if (req.method === 'GET' && url.pathname === '/api/v1/admin/outbox') {
      const items = box((url.searchParams.get('status') ?? 'failed') as State);
      const page = Number(url.searchParams.get('page') ?? 1);
      const limit = Number(url.searchParams.get('limit') ?? 25);
      return json(200, { items, page, limit, total: opts.total ?? items.length });
    }
    const retry = /^\/api\/v1\/admin\/outbox\/([^/]+)\/retry$/.exec(url.pathname);
    if (req.method === 'POST' && retry) {
      if (opts.retryStatus) {
        return json(opts.retryStatus, { type: 'conflict', title: 'Conflict', status: opts.retryStatus });
      }
      const mail = box('failed').find((e) => e.id === retry[1]);
      if (!mail) return json(404, { type: 'not-found', title: 'Not found', status: 404 });
      boxes.failed = box('failed').filter((e) => e !== mail);
      box('pending').push({ ...mail, failed_at: null, attempts: 0 });
      return json(204, null);
    }
    return json(404, { type: 'not-found', title: 'Not found', status: 404 });
  });
  return sent;
}

const outboxGets = (sent: Sent[]) => sent.filter((s) => s.method === 'GET' && s.path === '/api/v1/admin/outbox');

function Search() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route
              path="/verwaltung/postausgang"
              element={
                <>
                  <OutboxPage />
                  <Search />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const retryButtons = () => screen.queryAllByRole('button', { name: /^Erneut senden/ });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('mail outbox page', () => {
  it('asks for failed mails by default and shows when and why they were given up', async () => {
    const sent = mockServer({ failed: [failedOne] });
    renderAt('/verwaltung/postausgang');
    expect(await screen.findByRole('heading', { level: 1, name: 'Mail-Postausgang' })).toBeInTheDocument();
    const row = (await screen.findByRole('rowheader', { name: /^anna\.becker@example\.org/ })).closest('tr');
    expect(row).not.toBeNull();
    // 17:00 UTC is 18:00 in Berlin in November.
    expect(row).toHaveTextContent('24.11.2026, 18:00');
    expect(row).toHaveTextContent('421 4.7.0 Try again later');
    expect(row).toHaveTextContent('Systemmail');
    expect(screen.getByRole('columnheader', { name: 'Aufgegeben am' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Zustand' })).toHaveValue('failed');
    const gets = outboxGets(sent);
    expect(gets).toHaveLength(1);
    expect(gets[0]?.params.get('status')).toBe('failed');
    expect(gets[0]?.params.get('page')).toBe('1');
  });

  it('offers "Erneut senden" on failed mails only, posts the retry and refreshes the list', async () => {
    const sent = mockServer({ failed: [failedOne, failedTwo], sent: [sentOne] });
    renderAt('/verwaltung/postausgang');
    const user = userEvent.setup();
    await screen.findByRole('rowheader', { name: /^anna\.becker@example\.org/ });
    expect(retryButtons()).toHaveLength(2);

    await user.click(
      screen.getByRole('button', { name: 'Erneut senden: anna.becker@example.org – Einladung zum Digitalnetzwerk' }),
    );
    expect(await screen.findByText(/Die Mail an anna\.becker@example\.org steht wieder im Postausgang/)).toBeInTheDocument();
    expect(sent.filter((s) => s.method === 'POST').map((s) => s.path)).toEqual(['/api/v1/admin/outbox/m1/retry']);
    // The list was invalidated and fetched again: the retried mail has left "Fehlgeschlagen".
    await screen.findByText('Mails im Zustand „Fehlgeschlagen“ (1)');
    expect(screen.queryByRole('rowheader', { name: /^anna\.becker@example\.org/ })).toBeNull();
    expect(retryButtons()).toHaveLength(1);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Zustand' }), 'pending');
    await screen.findByRole('rowheader', { name: /^anna\.becker@example\.org/ });
    expect(screen.getByRole('columnheader', { name: 'Nächster Versuch' })).toBeInTheDocument();
    expect(retryButtons()).toHaveLength(0);
    expect(screen.getByTestId('search')).toHaveTextContent('?status=pending');
    expect(outboxGets(sent).at(-1)?.params.get('status')).toBe('pending');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Zustand' }), 'sent');
    const row = (await screen.findByRole('rowheader', { name: /^lena\.vogt@example\.org/ })).closest('tr');
    expect(row).toHaveTextContent('250 2.0.0 Ok: queued as 4XyZ');
    expect(retryButtons()).toHaveLength(0);
  });

  it('says so when the mail is no longer failed (409)', async () => {
    mockServer({ failed: [failedOne] }, { retryStatus: 409 });
    renderAt('/verwaltung/postausgang');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /^Erneut senden/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Diese Mail ist nicht mehr fehlgeschlagen');
  });

  it('keeps the state and the page in the URL', async () => {
    const sent = mockServer({ sent: [sentOne] }, { total: 60 });
    renderAt('/verwaltung/postausgang?status=sent&page=2');
    await screen.findByRole('rowheader', { name: /^lena\.vogt@example\.org/ });
    expect(outboxGets(sent)[0]?.params.toString()).toBe('status=sent&page=2&limit=25');
    const user = userEvent.setup();
    await user.click(within(screen.getByRole('navigation', { name: 'Seitennavigation' })).getByRole('button', { name: 'Weiter' }));
    await screen.findByText('Seite 3 von 3');
    expect(screen.getByTestId('search')).toHaveTextContent('?status=sent&page=3');
    expect(outboxGets(sent).at(-1)?.params.get('page')).toBe('3');
  });

  it('moves to the last page when the shown one became empty (its last mail was requeued)', async () => {
    const sent = mockServer({ failed: [] }, { total: 25 });
    renderAt('/verwaltung/postausgang?page=2');
    await waitFor(() => expect(outboxGets(sent).at(-1)?.params.get('page')).toBe('1'));
    expect(screen.getByTestId('search')).toHaveTextContent(/^$/);
  });

  it('shows the empty state', async () => {
    mockServer({ unconfirmed: [] });
    renderAt('/verwaltung/postausgang?status=unconfirmed');
    expect(await screen.findByText('Keine Mails in diesem Zustand.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByRole('combobox', { name: 'Zustand' })).toHaveValue('unconfirmed');
  });
});

describe('outbox filters in the URL', () => {
  it('defaults to failed, page 1, and leaves defaults out of the URL', () => {
    expect(filtersFromSearch(new URLSearchParams('status=bogus&page=-3'))).toEqual({ status: 'failed', page: 1 });
    expect(filtersToSearch({ status: 'failed', page: 1 }).toString()).toBe('');
    expect(filtersToSearch(filtersFromSearch(new URLSearchParams('status=pending&page=4'))).toString()).toBe(
      'status=pending&page=4',
    );
  });
});
