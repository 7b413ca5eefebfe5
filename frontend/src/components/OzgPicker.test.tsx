import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { OzgPicker, type OzgChoice } from './OzgPicker';

afterEach(() => {
  vi.restoreAllMocks();
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const service = (ozg_id: number, name: string) => ({ ozg_id, name, themenfeld_id: 1, themenfeld: 'Familie & Kind' });

function mockApi() {
  const searches: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url);
    if (url.pathname === '/api/v1/ozg/services') {
      const q = url.searchParams.get('q') ?? '';
      searches.push(q);
      const items = q === 'Elterngeld' ? [service(101, 'Elterngeld'), service(102, 'Elterngeld Plus')] : [];
      return Promise.resolve(json(200, { items, page: 1, limit: 8, total: items.length }));
    }
    return Promise.resolve(json(404, { type: 'not-found', title: 'Nicht gefunden', status: 404 }));
  });
  return { searches };
}

function Harness({ onSubmit }: { onSubmit: (ids: number[]) => void }) {
  const [value, setValue] = useState<OzgChoice[]>([{ ozg_id: 102, name: 'Elterngeld Plus' }]);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(value.map((v) => v.ozg_id));
      }}
    >
      <OzgPicker value={value} onChange={setValue} hint="Welche Leistungen deckt es ab?" />
      <button type="submit">Absenden</button>
    </form>
  );
}

function renderPicker() {
  const submitted: number[][] = [];
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <I18nProvider locale="de">
        <Harness onSubmit={(ids) => submitted.push(ids)} />
      </I18nProvider>
    </QueryClientProvider>,
  );
  return submitted;
}

describe('OZG picker', () => {
  it('searches the catalogue, adds a service once and removes one; Enter does not submit the form', async () => {
    const { searches } = mockApi();
    const submitted = renderPicker();
    const user = userEvent.setup();
    expect(screen.getByRole('group', { name: 'OZG-Leistungen' })).toHaveTextContent('Welche Leistungen deckt es ab?');
    const chosen = screen.getByRole('list', { name: 'Gewählte OZG-Leistungen' });
    expect(within(chosen).getByText('Elterngeld Plus (OZG-ID 102)')).toBeInTheDocument();

    await user.type(screen.getByRole('searchbox', { name: 'OZG-Leistung suchen' }), 'Elterngeld{Enter}');
    expect(submitted).toEqual([]);
    const results = await screen.findByRole('list', { name: 'Suchergebnisse' });
    await waitFor(() => expect(searches).toContain('Elterngeld'));
    // The chosen one cannot be added twice.
    expect(within(results).getByRole('button', { name: 'Gewählt: Elterngeld Plus (102)' })).toBeDisabled();
    await user.click(within(results).getByRole('button', { name: 'Hinzufügen: Elterngeld (101)' }));
    expect(within(results).getByRole('button', { name: 'Gewählt: Elterngeld (101)' })).toBeDisabled();
    expect(within(chosen).getByText('Elterngeld (OZG-ID 101)')).toBeInTheDocument();

    await user.click(within(chosen).getByRole('button', { name: 'Entfernen: Elterngeld Plus' }));
    expect(within(chosen).queryByText('Elterngeld Plus (OZG-ID 102)')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Absenden' }));
    expect(submitted).toEqual([[101]]);
  });

  it('says when nothing matches', async () => {
    mockApi();
    renderPicker();
    await userEvent.setup().type(screen.getByRole('searchbox', { name: 'OZG-Leistung suchen' }), 'Xyz');
    expect(await screen.findByText('Keine passende OZG-Leistung gefunden.')).toBeInTheDocument();
  });
});
