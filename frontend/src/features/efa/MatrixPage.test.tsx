import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { MatrixPage } from './MatrixPage';
import type { AdoptionMatrix } from './types';
import { permissionsOf } from '@/test/permissions';

const matrix: AdoptionMatrix = {
  district_id: 'd1',
  towns: [
    { id: 'brakel', name: 'Brakel', active: 1, live: 1 },
    { id: 'warburg', name: 'Warburg', active: 1, live: 0 },
    { id: 'nieheim', name: 'Nieheim', active: 0, live: 0 },
  ],
  solutions: [{ id: 'ewa', name: 'eWA', active: 2, live: 1 }],
  cells: [
    { municipality_id: 'brakel', solution_id: 'ewa', adoption_id: 'a1', status: 'live' },
    { municipality_id: 'warburg', solution_id: 'ewa', adoption_id: 'a2', status: 'evaluating' },
  ],
};

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

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('adoption matrix page', () => {
  it('shows statuses as text in links, "–" for none, totals, and a focusable scroll region', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url, 'http://localhost').pathname;
      if (path === '/api/v1/auth/refresh') return Promise.resolve(json({ access_token: 't', token_type: 'Bearer', expires_in: 900, user: me }));
      if (path === '/api/v1/efa/matrix') {
        expect(new URL(req.url).searchParams.get('district_id')).toBe('d1');
        return Promise.resolve(json(matrix));
      }
      if (path === '/api/v1/ozg/themenfelder') return Promise.resolve(json({ items: [] }));
      return Promise.resolve(new Response('{}', { status: 404 }));
    });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <I18nProvider locale="de">
          <AuthProvider>
            <Gate>
              <MemoryRouter>
                <MatrixPage />
              </MemoryRouter>
            </Gate>
          </AuthProvider>
        </I18nProvider>
      </QueryClientProvider>,
    );
    const table = await screen.findByRole('table', { name: /Kommunen in Zeilen, Lösungen in Spalten/ });
    const brakel = within(table).getByRole('link', { name: 'Brakel – eWA: In Betrieb' });
    expect(brakel).toHaveAttribute('href', '/efa/ewa');
    expect(within(table).getByRole('link', { name: 'Warburg – eWA: In Prüfung' })).toBeInTheDocument();
    const nieheim = within(table).getByRole('rowheader', { name: 'Nieheim' }).closest('tr');
    expect(nieheim).toHaveTextContent('–keine Nachnutzung');
    expect(within(table).getAllByText('2 (davon 1 in Betrieb)').length).toBeGreaterThan(0);
    const region = screen.getByRole('region', { name: /Nachnutzung der EfA-Lösungen/ });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(screen.getByRole('button', { name: 'CSV exportieren' })).toBeInTheDocument();
  });
});
