import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { ProgrammeEditPage } from './ProgrammeEditPage';
import { ProgrammePage } from './ProgrammePage';
import type { ProgrammeDetail } from './types';
import { permissionsOf } from '@/test/permissions';

const me = {
  id: 'u1',
  email: 'kreis@hoexter.example',
  name: 'Kai Kreis',
  role: 'coordinator',
  permissions: permissionsOf('coordinator'),
  locale: 'de',
  district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
  municipality: null,
  version: 1,
};

function programme(version: number, patch: Partial<ProgrammeDetail> = {}): ProgrammeDetail {
  return {
    id: 'pr1',
    slug: 'digitale-kommune',
    name: 'Digitale Kommune',
    funder: 'Land NRW',
    administering_body: 'Bezirksregierung Detmold',
    level: 'Land',
    region: 'NRW',
    eligible_applicants: 'Kommunen',
    funding_type: 'Zuschuss',
    rate_bp: 6500,
    increased_rate_bp: null,
    increased_rate_condition: '',
    min_amount_cents: null,
    max_amount_cents: 50_000_000,
    max_amount_note: '',
    description: 'Alt',
    website: 'https://example.org',
    status: 'open',
    version,
    calls: [],
    topics: [],
    can_edit: true,
    interested: [],
    ...patch,
  };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const problem = (status: number, kind: string, errors: { field: string; message: string }[] = []) =>
  json(status, { type: `https://digitalnetzwerk.example/problems/${kind}`, title: kind, status, errors }, 'application/problem+json');

interface Sent {
  method: string;
  path: string;
  ifMatch: string | null;
  body: unknown;
}

function mockServer(patch: (n: number) => Response, current: () => ProgrammeDetail) {
  const sent: Sent[] = [];
  let patches = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(req.url, 'http://localhost').pathname;
    const text = req.method === 'GET' ? '' : await req.text();
    sent.push({ method: req.method, path, ifMatch: req.headers.get('If-Match'), body: text ? JSON.parse(text) : null });
    if (path === '/api/v1/auth/refresh') return json(200, { access_token: 't', token_type: 'Bearer', expires_in: 900, user: me });
    if (path === '/api/v1/topics') return json(200, { items: [{ id: 't1', name: 'E-Government' }, { id: 't2', name: 'Bildung' }] });
    if (path === '/api/v1/funding/programmes/pr1' && req.method === 'GET') return json(200, current());
    if (path === '/api/v1/funding/programmes/pr1' && req.method === 'PATCH') return patch(++patches);
    return problem(404, 'not-found');
  });
  return sent;
}

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

function renderEditor() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <AuthProvider>
          <Gate>
            <MemoryRouter initialEntries={['/foerderung/programme/pr1/bearbeiten']}>
              <Routes>
                <Route path="/foerderung/programme/:id/bearbeiten" element={<ProgrammeEditPage />} />
                <Route path="/foerderung/programme/:id" element={<ProgrammePage />} />
              </Routes>
            </MemoryRouter>
          </Gate>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('programme editor', () => {
  it('sends If-Match and only the changed values, then shows the saved message on the programme page', async () => {
    let server = programme(3);
    const sent = mockServer(
      () => {
        server = programme(4, { rate_bp: 6250, max_amount_cents: 60_000_000, status: 'closed' });
        return json(200, server);
      },
      () => server,
    );
    renderEditor();
    const user = userEvent.setup();
    const rate = await screen.findByLabelText(/^Förderquote in Prozent/);
    expect(rate).toHaveValue('65');
    await user.clear(rate);
    await user.type(rate, '62,5');
    const max = screen.getByLabelText(/^Höchstbetrag in Euro/);
    expect(max).toHaveValue('500.000,00');
    await user.clear(max);
    await user.type(max, '600.000');
    await user.selectOptions(screen.getByLabelText('Status'), 'Geschlossen');
    await user.click(screen.getByRole('button', { name: 'Änderungen speichern' }));

    // Announced politely: the text lands in a live region (role=status).
    const saved = await screen.findByText('Das Förderprogramm wurde gespeichert.');
    expect(saved.closest('[role="status"]')).not.toBeNull();
    const patches = sent.filter((s) => s.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.ifMatch).toBe('"3"');
    expect(patches[0]?.body).toEqual({ rate_bp: 6250, max_amount_cents: 60_000_000, status: 'closed' });
  });

  it('edits the topics as a checkbox group and sends them as ids', async () => {
    let server = programme(3, { topics: ['t1'] });
    const sent = mockServer(
      () => {
        server = programme(4, { topics: ['t2'] });
        return json(200, server);
      },
      () => server,
    );
    renderEditor();
    const user = userEvent.setup();
    const group = await screen.findByRole('group', { name: 'Themen' });
    const egov = await within(group).findByRole('checkbox', { name: 'E-Government' });
    expect(egov).toBeChecked();
    await user.click(egov);
    await user.click(within(group).getByRole('checkbox', { name: 'Bildung' }));
    await user.click(screen.getByRole('button', { name: 'Änderungen speichern' }));
    await screen.findByText('Das Förderprogramm wurde gespeichert.');
    expect(sent.filter((s) => s.method === 'PATCH')[0]?.body).toEqual({ topics: ['t2'] });
    // The programme page shows the saved topics as tags.
    const tags = await screen.findByRole('list', { name: 'Themen' });
    expect(await within(tags).findByText('Bildung')).toBeInTheDocument();
  });

  it('checks rates locally and shows problem+json field errors next to the inputs', async () => {
    const sent = mockServer(() => problem(422, 'validation', [{ field: 'funder', message: 'Höchstens 500 Zeichen.' }]), () => programme(3));
    renderEditor();
    const user = userEvent.setup();
    const rate = await screen.findByLabelText(/^Förderquote in Prozent/);
    await user.clear(rate);
    await user.type(rate, '62,555');
    await user.click(screen.getByRole('button', { name: 'Änderungen speichern' }));
    expect(rate).toHaveAccessibleDescription(/zwischen 0 und 100/);
    expect(sent.filter((s) => s.method === 'PATCH')).toHaveLength(0);

    await user.clear(rate);
    await user.type(rate, '70');
    await user.type(screen.getByLabelText('Fördergeber'), ' und Bund');
    await user.click(screen.getByRole('button', { name: 'Änderungen speichern' }));
    const funder = screen.getByLabelText('Fördergeber');
    await waitFor(() => expect(funder).toHaveAccessibleDescription('Höchstens 500 Zeichen.'));
    expect(funder).toHaveAttribute('aria-invalid', 'true');
    expect(sent.filter((s) => s.method === 'PATCH')[0]?.body).toEqual({ rate_bp: 7000, funder: 'Land NRW und Bund' });
  });

  it('on 412 reloads the server version and keeps the changed fields', async () => {
    let server = programme(3);
    const sent = mockServer(
      (n) => {
        if (n === 1) {
          server = programme(4, { name: 'Digitale Kommune 2027', description: 'Vom Kollegen' });
          return problem(412, 'precondition-failed');
        }
        return json(200, programme(5));
      },
      () => server,
    );
    renderEditor();
    const user = userEvent.setup();
    const rate = await screen.findByLabelText(/^Förderquote in Prozent/);
    await user.clear(rate);
    await user.type(rate, '80');
    await user.click(screen.getByRole('button', { name: 'Änderungen speichern' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Jemand anderes hat das Programm inzwischen geändert.');
    await user.click(screen.getByRole('button', { name: 'Neu laden und meine Eingaben behalten' }));

    await waitFor(() => expect(screen.getByLabelText(/^Name des Programms/)).toHaveValue('Digitale Kommune 2027'));
    expect(screen.getByLabelText(/^Förderquote in Prozent/)).toHaveValue('80');
    expect(screen.getByLabelText('Beschreibung')).toHaveValue('Vom Kollegen');
    expect(screen.queryByRole('alert')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Änderungen speichern' }));
    await screen.findByText('Das Förderprogramm wurde gespeichert.');
    const patches = sent.filter((s) => s.method === 'PATCH');
    expect(patches.map((p) => p.ifMatch)).toEqual(['"3"', '"4"']);
    expect(patches[1]?.body).toEqual({ rate_bp: 8000 });
  });
});
