import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { EditProjectPage } from './ProjectEditorPage';
import type { Project } from './types';
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

function project(version: number, patch: Partial<Project> = {}): Project {
  return {
    id: 'p1',
    title: 'Online-Terminvergabe',
    summary: 'Termine online buchen.',
    status: 'idea',
    visibility: 'district',
    municipality: { id: 'm1', name: 'Brakel', ags: '05762016' },
    district_id: 'd1',
    topics: [],
    tags: [],
    ozg_ids: [],
    partner_count: 0,
    follower_count: 1,
    created_at: '2026-11-25T00:00:00Z',
    updated_at: '2026-11-25T00:00:00Z',
    description: 'Alt',
    description_html: '<p>Alt</p>',
    planned_start: null,
    planned_end: null,
    budget_cents: 100000,
    contact_name: null,
    contact_email: null,
    ozg_services: [],
    partners: [],
    following: true,
    can_edit: true,
    can_manage_partners: true,
    can_ask_partnership: false,
    next_statuses: ['draft', 'cancelled'],
    version,
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

function mockServer(patch: (n: number) => Response, current: () => Project) {
  const sent: Sent[] = [];
  let patches = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(req.url, 'http://localhost').pathname;
    const text = req.method === 'GET' ? '' : await req.text();
    sent.push({ method: req.method, path, ifMatch: req.headers.get('If-Match'), body: text ? JSON.parse(text) : null });
    if (path === '/api/v1/auth/refresh') return json(200, { access_token: 't', token_type: 'Bearer', expires_in: 900, user: me });
    if (path === '/api/v1/topics') return json(200, { items: [{ id: 'buergerservice', name: 'Bürgerservice' }] });
    if (path === '/api/v1/projects/similar') return json(200, { items: [] });
    if (path === '/api/v1/projects/p1' && req.method === 'GET') return json(200, current());
    if (path === '/api/v1/projects/p1' && req.method === 'PATCH') return patch(++patches);
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
            <MemoryRouter initialEntries={['/projekte/p1/bearbeiten']}>
              <Routes>
                <Route path="/projekte/:id/bearbeiten" element={<EditProjectPage />} />
                <Route path="/projekte/:id" element={<p>Projektseite</p>} />
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

describe('project editor', () => {
  it('on 412 reloads the server version and keeps the user text on top', async () => {
    let server = project(1);
    const sent = mockServer(
      (n) => {
        if (n === 1) {
          // Meanwhile a colleague changed the title and the description.
          server = project(2, { title: 'Titel vom Kollegen', description: 'Text vom Kollegen' });
          return problem(412, 'precondition-failed');
        }
        return json(200, project(3));
      },
      () => server,
    );
    renderEditor();
    const user = userEvent.setup();
    const summary = await screen.findByLabelText('Kurzbeschreibung');
    await user.clear(summary);
    await user.type(summary, 'Mein neuer Text');
    await user.click(screen.getByRole('button', { name: 'Speichern' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Jemand anderes hat das Projekt inzwischen geändert');
    await user.click(screen.getByRole('button', { name: 'Neu laden und meine Änderungen behalten' }));

    await waitFor(() => expect(screen.getByLabelText('Titel')).toHaveValue('Titel vom Kollegen'));
    expect(screen.getByLabelText('Kurzbeschreibung')).toHaveValue('Mein neuer Text');
    expect(screen.getByLabelText(/^Beschreibung/)).toHaveValue('Text vom Kollegen');
    expect(screen.queryByRole('alert')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Speichern' }));
    await screen.findByText('Projektseite');
    const patches = sent.filter((s) => s.method === 'PATCH');
    expect(patches.map((p) => p.ifMatch)).toEqual(['"1"', '"2"']);
    expect(patches[1]?.body).toMatchObject({ title: 'Titel vom Kollegen', summary: 'Mein neuer Text', budget_cents: 100000 });
  });

  it('shows problem+json field errors next to their inputs and checks the budget', async () => {
    mockServer(() => problem(422, 'validation', [{ field: 'contact_email', message: 'Keine gültige E-Mail-Adresse.' }]), () =>
      project(1),
    );
    renderEditor();
    const user = userEvent.setup();
    const budget = await screen.findByLabelText(/^Budget in Euro/);
    await user.clear(budget);
    await user.type(budget, '12,345');
    await user.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(budget).toHaveAccessibleDescription(/Bitte geben Sie einen Betrag wie 1.234,56 ein./);

    await user.clear(budget);
    await user.type(budget, '1.234,56');
    await user.type(screen.getByLabelText('E-Mail der Ansprechperson'), 'kein-mail');
    await user.click(screen.getByRole('button', { name: 'Speichern' }));
    const email = screen.getByLabelText('E-Mail der Ansprechperson');
    await waitFor(() => expect(email).toHaveAccessibleDescription('Keine gültige E-Mail-Adresse.'));
    expect(email).toHaveAttribute('aria-invalid', 'true');
  });
});
