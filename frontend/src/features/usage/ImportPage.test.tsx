import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { ImportPage } from './ImportPage';
import { permissionsOf } from '@/test/permissions';

const me = {
  id: 'u1',
  email: 'digital@brakel.example',
  name: 'Lena Vogt',
  role: 'officer',
  permissions: permissionsOf('officer'),
  locale: 'de',
  district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
  municipality: { id: 'brakel', name: 'Brakel', ags: '05762008' },
  version: 1,
};

const csv = 'Leistungsschlüssel;Monat;Kanal;Anzahl;Bemerkung\n99123456789012;03/2025;online;12;\n99123456789012;03/2025;Papier;30;\n';

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

afterEach(() => {
  vi.restoreAllMocks();
});

function mockApi() {
  const imports: unknown[] = [];
  let refuse = true;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path === '/api/v1/auth/refresh') return json(200, { access_token: 't', token_type: 'Bearer', expires_in: 900, user: me });
    if (path === '/api/v1/usage/import/preview' && req.method === 'POST') {
      const body = (await req.json()) as { csv: string };
      expect(body.csv).toBe(csv);
      return json(200, {
        delimiter: ';',
        headers: ['Leistungsschlüssel', 'Monat', 'Kanal', 'Anzahl', 'Bemerkung'],
        suggested_mapping: { leika_key: 'Leistungsschlüssel', month: 'Monat', channel: 'Kanal', count: 'Anzahl', ozg_id: null },
        rows: [
          ['99123456789012', '03/2025', 'online', '12', ''],
          ['99123456789012', '03/2025', 'Papier', '30', ''],
        ],
        row_count: 2,
      });
    }
    if (path === '/api/v1/usage/imports' && req.method === 'POST') {
      const body: unknown = await req.json();
      imports.push(body);
      if (refuse) {
        refuse = false;
        return json(422, {
          type: 'validation',
          title: 'Ungültige Eingabe',
          status: 422,
          errors: [{ field: 'csv', message: 'Zeile 3, Spalte „Monat“: „13/2025“ ist kein gültiger Monat.' }],
        });
      }
      return json(201, {
        id: 'i1',
        municipality_id: 'brakel',
        municipality_name: 'Brakel',
        source: 'csv',
        file_name: 'brakel.csv',
        row_count: 2,
        figure_count: 2,
        replaced_count: 0,
        created_by_name: 'Lena Vogt',
        created_at: '2026-12-02T06:00:00Z',
        is_demo: false,
      });
    }
    if (path === '/api/v1/usage/imports') return json(200, { items: [], total: 0, page: 1, limit: 10 });
    return json(404, { type: 'not-found', title: 'Nicht gefunden', status: 404 });
  });
  return imports;
}

describe('CSV import wizard', () => {
  it('prefills the mapping, previews, shows the refusal with focus and then the success politely', async () => {
    const imports = mockApi();
    const user = userEvent.setup();
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider locale="de">
          <AuthProvider>
            <Gate>
              <MemoryRouter>
                <ImportPage />
              </MemoryRouter>
            </Gate>
          </AuthProvider>
        </I18nProvider>
      </QueryClientProvider>,
    );

    // Without a file there is nothing to send: the button waits for one.
    expect(await screen.findByRole('button', { name: 'Weiter: Spalten zuordnen' })).toBeDisabled();

    await user.upload(screen.getByLabelText('CSV-Datei'), new File([csv], 'brakel.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Weiter: Spalten zuordnen' }));

    const leika = await screen.findByLabelText(/Leistungsschlüssel \(LeiKa\)/);
    expect(leika).toHaveValue('Leistungsschlüssel');
    expect(screen.getByLabelText(/^Monat/)).toHaveValue('Monat');
    expect(screen.getByRole('radio', { name: /Eine Zeile je Kanal/ })).toBeChecked();
    expect(screen.getByLabelText(/^Kanal/)).toHaveValue('Kanal');
    expect(screen.getByLabelText(/^Anzahl/)).toHaveValue('Anzahl');
    expect(screen.getByLabelText(/^OZG-ID/)).toHaveValue('');

    // One column for two meanings is refused before anything is sent.
    await user.selectOptions(screen.getByLabelText(/^Anzahl/), 'Monat');
    await user.click(screen.getByRole('button', { name: 'Weiter: Vorschau' }));
    const problems = await screen.findByRole('alert');
    expect(problems).toHaveTextContent('Diese Spalte ist schon anders zugeordnet.');
    await waitFor(() => expect(problems).toHaveFocus());
    await user.selectOptions(screen.getByLabelText(/^Anzahl/), 'Anzahl');
    await user.click(screen.getByRole('button', { name: 'Weiter: Vorschau' }));

    const table = await screen.findByRole('table', { name: /Vorschau: die ersten 2 von 2 Datenzeilen/ });
    expect(within(table).getByRole('columnheader', { name: /Bemerkung.*wird nicht übernommen/ })).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: /Kanal.*als Kanal/ })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Importieren' }));
    const refused = await screen.findByRole('alert');
    expect(refused).toHaveTextContent('Die Datei wurde nicht importiert');
    expect(refused).toHaveTextContent('Zeile 3, Spalte „Monat“: „13/2025“ ist kein gültiger Monat.');
    await waitFor(() => expect(refused).toHaveFocus());
    expect(imports[0]).toEqual({
      municipality_id: 'brakel',
      file_name: 'brakel.csv',
      csv,
      mapping: { leika_key: 'Leistungsschlüssel', month: 'Monat', channel: 'Kanal', count: 'Anzahl' },
    });

    await user.click(screen.getByRole('button', { name: 'Importieren' }));
    const status = (await screen.findByText('Import für Brakel abgeschlossen')).closest('[role="status"]');
    expect(status).not.toBeNull();
    expect(status).toHaveTextContent('2 Zeilen übernommen, 2 Fallzahlen gespeichert, davon 0 ersetzt.');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await waitFor(() => expect(status?.parentElement).toHaveFocus());
  });
});
