import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { ProjectsPage } from './ProjectsPage';
import { permissionsOf } from '@/test/permissions';

const me = {
  id: 'u1',
  email: 'digital@brakel.example',
  name: 'Lena Vogt',
  role: 'officer',
  permissions: permissionsOf('officer'),
  locale: 'de',
  district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
  municipality: { id: 'm1', ags: '05762016', name: 'Brakel', kind: 'town' },
  version: 1,
};

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

function mockServer() {
  const lists: URLSearchParams[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost');
    switch (url.pathname) {
      case '/api/v1/auth/refresh':
        return Promise.resolve(json({ access_token: 't', token_type: 'Bearer', expires_in: 900, user: me }));
      case '/api/v1/topics':
        return Promise.resolve(json({ items: [{ id: 'smart-city', name: 'Smart City' }] }));
      case '/api/v1/municipalities':
        return Promise.resolve(json({ items: [], page: 1, limit: 100, total: 0 }));
      case '/api/v1/projects':
        lists.push(url.searchParams);
        return Promise.resolve(json({ items: [], page: 1, limit: 20, total: 0 }));
      default:
        return Promise.resolve(new Response('{}', { status: 404 }));
    }
  });
  return lists;
}

function Gate({ children }: { children: ReactNode }) {
  return useAuth().status === 'authenticated' ? <>{children}</> : null;
}

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

function renderAt(url: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <AuthProvider>
          <Gate>
            <MemoryRouter initialEntries={[url]}>
              <Routes>
                <Route path="/projekte" element={<><ProjectsPage /><Where /></>} />
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

describe('projects list', () => {
  it('reads the filters from the URL and asks the API with them', async () => {
    const lists = mockServer();
    renderAt('/projekte?q=Termin&status=live&sort=title&page=2');
    expect(await screen.findByLabelText('Suchbegriff')).toHaveValue('Termin');
    expect(screen.getByLabelText('Status')).toHaveValue('live');
    expect(screen.getByLabelText('Sortierung')).toHaveValue('title');
    await waitFor(() => expect(lists.length).toBeGreaterThan(0));
    expect(Object.fromEntries(lists[0] ?? [])).toEqual({ q: 'Termin', status: 'live', sort: 'title', page: '2', limit: '20' });
    expect(await screen.findByText(/Keine Projekte gefunden/)).toBeInTheDocument();
  });

  it('writes filter changes to the URL and starts again at page 1', async () => {
    const lists = mockServer();
    renderAt('/projekte?page=3');
    const user = userEvent.setup();
    await screen.findByRole('option', { name: 'Smart City' });
    await user.selectOptions(screen.getByLabelText('Thema'), 'smart-city');
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/projekte?topic=smart-city'));
    await user.click(screen.getByLabelText('Nur meine Kommune'));
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/projekte?topic=smart-city&mine=true'));
    await user.type(screen.getByLabelText('Suchbegriff'), 'Schule{Enter}');
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/projekte?q=Schule&topic=smart-city&mine=true'));
    await waitFor(() =>
      expect(Object.fromEntries(lists.at(-1) ?? [])).toEqual({
        q: 'Schule',
        topic: 'smart-city',
        mine: 'true',
        sort: 'relevance',
        page: '1',
        limit: '20',
      }),
    );
  });
});
