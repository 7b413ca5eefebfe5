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
  solutions: [
    { id: 'ewa', name: 'eWA', active: 2, live: 1 },
    { id: 'wg', name: 'Wohngeld (Online-Wohngeldantrag)', active: 1, live: 0 },
    { id: 'gew', name: 'Gewerbeanmeldung / -ummeldung über Portal.NRW', active: 0, live: 0 },
  ],
  cells: [
    { municipality_id: 'brakel', solution_id: 'ewa', adoption_id: 'a1', status: 'live' },
    { municipality_id: 'warburg', solution_id: 'ewa', adoption_id: 'a2', status: 'evaluating' },
    { municipality_id: 'brakel', solution_id: 'wg', adoption_id: 'a3', status: 'contracting' },
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

/** The text a sighted user sees in `el`: without screen-reader-only parts and soft hyphens. */
function visibleText(el: HTMLElement): string {
  const copy = el.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('.kern-sr-only').forEach((n) => n.remove());
  return copy.textContent.replace(/\u00ad/g, '').trim();
}

/** Lower-case words without punctuation, as axe compares them. */
const words = (text: string) =>
  text
    .replace(/\u00ad/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

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

    // Narrow columns: the header shows the name before its parenthesised long form; the rest is
    // read out (screen-reader-only) and in the tooltip, so the name starts with what is seen.
    const header = within(table).getByRole('columnheader', { name: 'Wohngeld (Online-Wohngeldantrag)' });
    const headerLink = within(header).getByRole('link', { name: 'Wohngeld (Online-Wohngeldantrag)' });
    expect(visibleText(headerLink)).toBe('Wohngeld');
    expect(headerLink).toHaveAttribute('title', 'Wohngeld (Online-Wohngeldantrag)');
    // A suspended hyphen stays with its word.
    const gewerbe = within(table).getByRole('link', { name: 'Gewerbeanmeldung / -ummeldung über Portal.NRW' });
    expect(within(gewerbe).getByText('-ummeldung')).toHaveClass('dn-nowrap');
    // The cell's badge shows the whole status word, breakable only at its soft hyphen.
    const contract = within(table).getByRole('link', { name: /^Brakel – Wohngeld \(Online-Wohngeldantrag\): Vertrags\u00ad?abschluss$/ });
    expect(visibleText(contract)).toBe('Vertragsabschluss');
    expect(contract.querySelector('.dn-adoption')?.textContent).toBe('Vertrags\u00adabschluss');
    // The name comes from the content (no aria-label to drift from what is seen).
    expect(contract).not.toHaveAttribute('aria-label');
    // Every link's accessible name contains its visible words, in order (WCAG 2.5.3, axe
    // label-content-name-mismatch): no short word in the cell that the name does not say.
    for (const link of within(table).getAllByRole('link')) {
      const name = link.getAttribute('aria-label') ?? link.textContent;
      expect(words(name).join(' '), `link "${name}"`).toContain(words(visibleText(link)).join(' '));
    }

    const region = screen.getByRole('region', { name: /Nachnutzung der EfA-Lösungen/ });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(screen.getByRole('button', { name: 'CSV exportieren' })).toBeInTheDocument();
  });
});
