import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { permissionsOf } from '@/test/permissions';
import { CandidatesPage } from './CandidatesPage';
import type { CandidateRanking } from './types';

const brakel = { id: 'm1', name: 'Brakel', ags: '05762008' };

function ranking(canWeight: boolean): CandidateRanking {
  return {
    district_id: 'd1',
    year: 2025,
    weights: { weight_cases: 1, weight_minutes: 1, weight_offline: 1 },
    formula: 'Punktzahl = Summe über die Kommunen von Fälle^a × Minuten je Fall^b × (1 − Onlinequote)^c',
    can_weight: canWeight,
    page: 1,
    limit: 20,
    total: 1,
    items: [
      {
        rank: 1,
        process_id: 'p1',
        name: 'Hundesteuer anmelden',
        leika_key: null,
        ozg_id: null,
        score: 24000,
        offline_hours: 400,
        annual_cases: 1200,
        staff_fte_hundredths: 50,
        towns: [
          {
            municipality: brakel,
            annual_cases: 1200,
            minutes_per_case: 20,
            staff_fte_hundredths: 50,
            effective_online_share: 0,
            online_share_source: 'none',
            score: 24000,
          },
        ],
        efa_solution: { id: 'e1', name: 'Hundesteuer online' },
        running_towns: [brakel],
        running_elsewhere: 2,
      },
    ],
  };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

function setup(role: 'coordinator' | 'member', canWeight: boolean) {
  const me = {
    id: 'u1',
    email: 'x@example.org',
    name: 'Sabine Kramer',
    role,
    permissions: permissionsOf(role),
    locale: 'de',
    district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
    municipality: null,
    version: 1,
  };
  const asked: URLSearchParams[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/api/v1/auth/refresh') return Promise.resolve(json({ access_token: 't', token_type: 'Bearer', expires_in: 900, user: me }));
    if (url.pathname === '/api/v1/processes/candidates') {
      asked.push(url.searchParams);
      return Promise.resolve(json(ranking(canWeight)));
    }
    return Promise.resolve(new Response('{}', { status: 404 }));
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <AuthProvider>
          <Gate>
            <MemoryRouter>
              <CandidatesPage />
            </MemoryRouter>
          </Gate>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
  return asked;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('candidate ranking page', () => {
  it('lets a coordinator weight the factors (German decimal comma) and offers the project draft', async () => {
    const asked = setup('coordinator', true);
    const list = await screen.findByRole('list', { name: 'Kandidaten, der stärkste zuerst' });
    const item = within(list).getByRole('listitem');
    expect(item).toHaveTextContent('400 Stunden im Jahr noch nicht online');
    expect(item).toHaveTextContent('im Einsatz in Brakel');
    expect(within(item).getByRole('button', { name: 'Projektentwurf anlegen: Hundesteuer anmelden' })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Gewicht Minuten je Fall'));
    await user.type(screen.getByLabelText('Gewicht Minuten je Fall'), '1,5');
    await user.click(screen.getByRole('button', { name: 'Neu berechnen' }));
    await vi.waitFor(() => expect(asked.at(-1)?.get('weight_minutes')).toBe('1.5'));
    expect(asked.at(-1)?.get('weight_cases')).toBe('1');
  });

  it('shows no weights where the server says so, and no draft action without the permission', async () => {
    setup('member', false);
    await screen.findByRole('list', { name: 'Kandidaten, der stärkste zuerst' });
    expect(screen.queryByLabelText('Gewicht Fälle')).toBeNull();
    expect(screen.queryByRole('button', { name: /Projektentwurf anlegen/ })).toBeNull();
  });
});
