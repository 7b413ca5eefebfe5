import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { NewRequestPage } from './NewRequestPage';
import { permissionsOf } from '@/test/permissions';

// A district coordinator: no own town, so the request is opened on behalf of a chosen one.
const coordinator = {
  id: 'u9',
  email: 'koordination@kreis-hoexter.example',
  name: 'Sabine Kramer',
  role: 'coordinator',
  permissions: permissionsOf('coordinator'),
  locale: 'de',
  district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
  municipality: null,
  version: 1,
};

const town = (id: string, name: string) => ({ id, name, ags: `05762${id.length}`, kind: 'town', district_id: 'd1' });
const towns = [town('m-brakel', 'Brakel'), town('m-hoexter', 'Höxter'), town('m-nieheim', 'Nieheim')];

const project = (id: string, title: string, townId: string) => ({ id, title, municipality: { id: townId, name: townId } });
const projects = [
  project('p-brakel', 'Digitales Bürgerbüro', 'm-brakel'),
  project('p-hoexter', 'Ratsinformationssystem', 'm-hoexter'),
  project('p-nieheim', 'Freies WLAN', 'm-nieheim'),
];

const application = (id: string, title: string, lead: string, partners: string[] = []) => ({
  id,
  title,
  programme_name: 'Digitalbonus',
  lead_municipality_id: lead,
  lead_municipality_name: lead,
  shares: [lead, ...partners].map((m) => ({ municipality_id: m, municipality_name: m, role: m === lead ? 'lead' : 'partner', share_cents: 0, can_edit: false })),
});
const applications = [
  application('a-brakel', 'Antrag Brakel', 'm-brakel'),
  application('a-joint', 'Gemeinsamer Antrag', 'm-hoexter', ['m-brakel']),
  application('a-hoexter', 'Antrag Höxter', 'm-hoexter'),
];

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/** Answers like the server: `municipality_id` filters projects and applications; `mine` finds nothing for a user without a town. */
function mockServer() {
  const created: unknown[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url, 'http://localhost');
    const page = (items: unknown[]) => json(200, { items, page: 1, limit: 100, total: items.length });
    switch (url.pathname) {
      case '/api/v1/auth/refresh':
        return json(200, { access_token: 't', token_type: 'Bearer', expires_in: 900, user: coordinator });
      case '/api/v1/municipalities':
        return page(towns);
      case '/api/v1/projects': {
        const townId = url.searchParams.get('municipality_id');
        if (url.searchParams.get('mine') === 'true') return page([]);
        return page(townId ? projects.filter((p) => p.municipality.id === townId) : projects);
      }
      case '/api/v1/funding/applications': {
        // The town filter: applications the town leads or has a share in.
        const town = url.searchParams.get('municipality_id');
        return page(applications.filter((a) => !town || a.shares.some((s) => s.municipality_id === town)));
      }
      case '/api/v1/support/requests':
        if (req.method === 'POST') {
          created.push(await req.json());
          return json(201, { id: 'r1' });
        }
    }
    return json(404, { type: 'not-found', title: 'Nicht gefunden', status: 404 });
  });
  return created;
}

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

function renderForm() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <AuthProvider>
          <Gate>
            <MemoryRouter initialEntries={['/unterstuetzung/neu']}>
              <Routes>
                <Route path="/unterstuetzung/neu" element={<NewRequestPage />} />
                <Route path="/unterstuetzung/:id" element={<p>Anfrage angelegt</p>} />
              </Routes>
            </MemoryRouter>
          </Gate>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const optionsOf = (select: HTMLElement) => within(select).getAllByRole('option').map((o) => o.textContent);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('new support request on behalf of a town', () => {
  it("offers only the chosen town's projects and applications and drops a choice that no longer fits", async () => {
    const created = mockServer();
    renderForm();
    const user = userEvent.setup();
    const townSelect = await screen.findByRole('combobox', { name: 'Kommune' });
    await screen.findByRole('option', { name: 'Brakel' });
    const projectSelect = screen.getByRole('combobox', { name: 'Zugehöriges Projekt – optional' });
    const applicationSelect = screen.getByRole('combobox', { name: 'Förderantrag – optional' });
    // No town yet: nothing of any town is offered.
    expect(optionsOf(projectSelect)).toEqual(['– kein Projekt –']);
    expect(optionsOf(applicationSelect)).toEqual(['– kein Förderantrag –']);

    await user.selectOptions(townSelect, 'Brakel');
    await waitFor(() => expect(optionsOf(projectSelect)).toEqual(['– kein Projekt –', 'Digitales Bürgerbüro']));
    // Brakel leads one application and is a partner in the joint one.
    expect(optionsOf(applicationSelect)).toEqual(['– kein Förderantrag –', 'Antrag Brakel (Digitalbonus)', 'Gemeinsamer Antrag (Digitalbonus)']);
    await user.selectOptions(projectSelect, 'Digitales Bürgerbüro');
    await user.selectOptions(applicationSelect, 'Antrag Brakel (Digitalbonus)');

    // Another town: Brakel's project and application are dropped, Höxter's are offered.
    await user.selectOptions(townSelect, 'Höxter');
    expect(projectSelect).toHaveValue('');
    expect(applicationSelect).toHaveValue('');
    await waitFor(() => expect(optionsOf(projectSelect)).toEqual(['– kein Projekt –', 'Ratsinformationssystem']));
    expect(optionsOf(applicationSelect)).toEqual(['– kein Förderantrag –', 'Antrag Höxter (Digitalbonus)', 'Gemeinsamer Antrag (Digitalbonus)']);

    // The joint application concerns both towns, so it survives the way back to Brakel.
    await user.selectOptions(applicationSelect, 'Gemeinsamer Antrag (Digitalbonus)');
    await user.selectOptions(townSelect, 'Brakel');
    expect(applicationSelect).toHaveValue('a-joint');
    await waitFor(() => expect(optionsOf(projectSelect)).toEqual(['– kein Projekt –', 'Digitales Bürgerbüro']));
    await user.selectOptions(projectSelect, 'Digitales Bürgerbüro');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Kategorie' }), 'Förderantrag');
    await user.type(screen.getByRole('textbox', { name: 'Betreff' }), 'Hilfe beim Finanzierungsplan');
    await user.type(screen.getByRole('textbox', { name: 'Beschreibung' }), 'Wir brauchen Hilfe.');
    await user.click(screen.getByRole('button', { name: 'Anfrage senden' }));
    await screen.findByText('Anfrage angelegt');
    expect(created).toEqual([
      expect.objectContaining({ municipality_id: 'm-brakel', project_id: 'p-brakel', application_id: 'a-joint', category: 'funding_application' }),
    ]);
  });
});
