import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { TownUsagePage } from './TownUsagePage';
import type { Role } from '@/lib/api';
import { permissionsOf } from '@/test/permissions';

const user = (role: Role) => ({
  id: 'u1',
  email: 'digital@brakel.example',
  name: 'Lena Vogt',
  role,
  permissions: permissionsOf(role),
  locale: 'de',
  district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
  municipality: { id: 'brakel', name: 'Brakel', ags: '05762008' },
  version: 1,
});

const point = (month: string, p: Record<string, unknown>) => ({
  month,
  online: null,
  online_masked: false,
  paper: null,
  paper_masked: false,
  counter: null,
  counter_masked: false,
  email: null,
  email_masked: false,
  phone: null,
  phone_masked: false,
  total: null,
  total_masked: false,
  online_share: null,
  ...p,
});

const series = (items: unknown[]) => ({
  municipality_id: 'brakel',
  municipality_name: 'Brakel',
  from: '2025-01',
  to: '2025-02',
  months: ['2025-01', '2025-02'],
  total: items.length,
  page: 1,
  limit: 10,
  items,
});

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

function renderPage(role: Role, body: unknown) {
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path === '/api/v1/auth/refresh') return Promise.resolve(json({ access_token: 't', token_type: 'Bearer', expires_in: 900, user: user(role) }));
    if (path === '/api/v1/usage/towns/brakel/series') return Promise.resolve(json(body));
    return Promise.resolve(new Response('{}', { status: 404 }));
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <I18nProvider locale="de">
        <AuthProvider>
          <Gate>
            <MemoryRouter>
              <TownUsagePage />
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

describe('town usage page', () => {
  it('without figures, points the officer to the import', async () => {
    renderPage('officer', series([]));
    const link = await screen.findByRole('link', { name: 'Fallzahlen aus einer CSV-Datei importieren' });
    expect(link).toHaveAttribute('href', '/nutzung/import');
  });

  it('without figures, has no import link for members', async () => {
    renderPage('member', series([]));
    expect(await screen.findByText(/noch keine Fallzahlen/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /importieren/ })).not.toBeInTheDocument();
  });

  it('sums the period and lists the months in a table, "< 5" where masked and "–" for a missing month', async () => {
    renderPage(
      'member',
      series([
        {
          leika_key: '99102013000000',
          service_name: 'Hundesteuer',
          ozg_id: 10160,
          visibility: 'district',
          points: [point('2025-01', { online: 30, paper: null, paper_masked: true, total: 33, online_share: 0.91 }), point('2025-02', {})],
        },
      ]),
    );
    const card = await screen.findByRole('region', { name: 'Hundesteuer' });
    expect(card).toHaveTextContent('Im Zeitraum 91 % online (30 von 33 Fällen).');
    const table = await within(card).findByRole('table', {}, { timeout: 5000 });
    const jan = within(table).getByRole('rowheader', { name: 'Januar 2025' }).closest('tr');
    expect(jan).toHaveTextContent('Januar 202530< 5');
    const feb = within(table).getByRole('rowheader', { name: 'Februar 2025' }).closest('tr');
    expect(feb?.textContent).toBe('Februar 2025–––––––');
    expect(within(card).queryByLabelText(/Wer sieht die Zahlen/)).not.toBeInTheDocument();
  });
});
