import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { DistrictUsagePage } from './DistrictUsagePage';
import { permissionsOf } from '@/test/permissions';

const me = {
  id: 'u1',
  email: 'koordination@kreis-hoexter.example',
  name: 'Sabine Kramer',
  role: 'coordinator',
  permissions: permissionsOf('coordinator'),
  locale: 'de',
  district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
  municipality: null,
  version: 1,
};

const heatmap = {
  district_id: 'd1',
  district_name: 'Kreis Höxter',
  from: '2025-01',
  to: '2025-12',
  towns: [
    { id: 'brakel', name: 'Brakel' },
    { id: 'nieheim', name: 'Nieheim' },
    { id: 'warburg', name: 'Warburg' },
  ],
  services: [{ leika_key: '99102013000000', name: 'Hundesteuer' }],
  total: 1,
  page: 1,
  limit: 50,
  cells: [
    { municipality_id: 'brakel', leika_key: '99102013000000', total: 1200, total_masked: false, online: 900, online_masked: false, online_share: 0.75 },
    { municipality_id: 'nieheim', leika_key: '99102013000000', total: null, total_masked: true, online: null, online_masked: true, online_share: null },
  ],
};

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('district usage page', () => {
  it('colours cells by share with the count as text, "< 5" where masked, "–" without figures, and has a list alternative', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url, 'http://localhost').pathname;
      if (path === '/api/v1/auth/refresh') return Promise.resolve(json({ access_token: 't', token_type: 'Bearer', expires_in: 900, user: me }));
      if (path === '/api/v1/usage/districts/d1/heatmap') return Promise.resolve(json(heatmap));
      if (path === '/api/v1/usage/districts/d1/potential')
        return Promise.resolve(
          json({
            items: [{ leika_key: '99102013000000', service_name: 'Hundesteuer', paper: 300, total: 1200, paper_share: 0.25, online_share: 0.75, towns: 1, town_names: ['Brakel'] }],
            total: 1,
            page: 1,
            limit: 10,
          }),
        );
      if (path === '/api/v1/usage/districts/d1/anomalies') return Promise.resolve(json({ items: [], total: 0, page: 1, limit: 25 }));
      if (path === '/api/v1/usage/districts/d1/totals')
        return Promise.resolve(
          json({
            district_id: 'd1',
            from: '2025-01',
            to: '2025-12',
            months: [{ month: '2025-01', online: 900, paper: 300, counter: 0, email: 0, phone: 0, total: 1200, online_share: 0.75, towns_reporting: 1 }],
            sum: { online: 900, paper: 300, counter: 0, email: 0, phone: 0, total: 1200, online_share: 0.75 },
          }),
        );
      return Promise.resolve(new Response('{}', { status: 404 }));
    });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider locale="de">
          <AuthProvider>
            <Gate>
              <MemoryRouter>
                <DistrictUsagePage />
              </MemoryRouter>
            </Gate>
          </AuthProvider>
        </I18nProvider>
      </QueryClientProvider>,
    );
    const table = await screen.findByRole('table', { name: /Leistungen in Zeilen, Kommunen in Spalten/ });
    const row = within(table).getByRole('rowheader', { name: 'Hundesteuer' }).closest('tr');
    if (!row) throw new Error('no row');
    const cells = within(row).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('75 %1.200 Fälle');
    expect(cells[0]).toHaveStyle({ background: '#2C6AA8' });
    expect(cells[1]).toHaveTextContent('–< 5 Fälle');
    expect(cells[1]?.textContent).not.toMatch(/[1-4] Fälle/);
    expect(cells[2]).toHaveTextContent('keine Zahlen');
    expect(screen.getByText('60 bis unter 80 % online')).toBeInTheDocument();

    const potential = screen.getByRole('region', { name: /Potenzial/ });
    expect(await within(potential).findByText(/25 % auf Papier \(300 von 1.200 Fällen\)/)).toBeInTheDocument();
    expect(within(potential).getByText('Kommunen: Brakel')).toBeInTheDocument();
    expect(await screen.findByTestId('usage-totals')).toHaveTextContent('Im Zeitraum 1.200 Fälle, davon 900 online (75 %).');

    await userEvent.click(screen.getByRole('button', { name: 'Als Liste anzeigen' }));
    const list = screen.getByRole('table', { name: 'Onlinequote und Fälle je Leistung und Kommune' });
    expect(within(list).getAllByRole('row')).toHaveLength(3);
    expect(within(list).getByRole('row', { name: /Nieheim/ })).toHaveTextContent('< 5');
  });
});
