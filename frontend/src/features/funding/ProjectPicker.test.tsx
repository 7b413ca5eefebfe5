import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { ProjectPicker } from './ProjectPicker';

afterEach(() => {
  vi.restoreAllMocks();
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const summary = (id: string, title: string, town: string) => ({ id, title, municipality: { id: `m-${town}`, name: town } });

function mockApi() {
  const searches: string[] = [];
  const paths: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url);
    paths.push(url.pathname);
    if (url.pathname === '/api/v1/projects') {
      searches.push(url.searchParams.get('q') ?? '');
      return Promise.resolve(
        json(200, { items: [summary('p-new', 'Digitales Bürgerbüro', 'Brakel'), summary('p-old', 'Ratsinformationssystem', 'Höxter')], page: 1, limit: 10, total: 2 }),
      );
    }
    return Promise.resolve(json(404, { type: 'not-found', title: 'Nicht gefunden', status: 404 }));
  });
  return { searches, paths };
}

const linked = [{ id: 'p-old', title: 'Ratsinformationssystem', status: 'live' as const }];

function Harness({ onSubmit }: { onSubmit: (ids: string[]) => void }) {
  const [ids, setIds] = useState(linked.map((p) => p.id));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(ids);
      }}
    >
      <ProjectPicker value={ids} onChange={setIds} linked={linked} />
      <button type="submit">Absenden</button>
    </form>
  );
}

function renderPicker() {
  const submitted: string[][] = [];
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <I18nProvider locale="de">
        <Harness onSubmit={(ids) => submitted.push(ids)} />
      </I18nProvider>
    </QueryClientProvider>,
  );
  return submitted;
}

describe('project picker of an application', () => {
  it('shows the existing links with the titles the application sent, without asking again, and keeps them', async () => {
    const { paths } = mockApi();
    const submitted = renderPicker();
    const chosen = screen.getByRole('list', { name: 'Verknüpfte Projekte des Antrags' });
    expect(within(chosen).getByText('Ratsinformationssystem')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Absenden' }));
    expect(submitted).toEqual([['p-old']]);
    expect(paths).toEqual([]);
  });

  it('searches, adds without duplicates and removes with the keyboard', async () => {
    const { searches } = mockApi();
    const submitted = renderPicker();
    const user = userEvent.setup();
    const search = screen.getByRole('searchbox', { name: 'Projekt suchen' });
    await user.type(search, 'Bürger{Enter}');
    expect(submitted).toEqual([]);
    const results = await screen.findByRole('list', { name: 'Gefundene Projekte' });
    await waitFor(() => expect(searches).toContain('Bürger'));

    // The already linked project offers removal instead of a second link.
    expect(within(results).getByRole('button', { name: 'Entfernen: Ratsinformationssystem' })).toBeInTheDocument();
    await user.click(within(results).getByRole('button', { name: 'Hinzufügen: Digitales Bürgerbüro' }));
    expect(screen.getByRole('status')).toHaveTextContent('„Digitales Bürgerbüro“ wurde verknüpft.');
    const chosen = screen.getByRole('list', { name: 'Verknüpfte Projekte des Antrags' });
    expect(within(chosen).getByText('Digitales Bürgerbüro (Brakel)')).toBeInTheDocument();
    // The same button now removes it again; focus stays on it.
    const toggle = within(results).getByRole('button', { name: 'Entfernen: Digitales Bürgerbüro' });
    expect(toggle).toHaveFocus();

    // Remove the old link from the chosen list: focus moves to the next remove button.
    within(chosen).getByRole('button', { name: 'Entfernen: Ratsinformationssystem' }).focus();
    await user.keyboard('{Enter}');
    expect(within(chosen).getByRole('button', { name: 'Entfernen: Digitales Bürgerbüro' })).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent('„Ratsinformationssystem“ wurde entfernt.');

    await user.click(screen.getByRole('button', { name: 'Absenden' }));
    expect(submitted).toEqual([['p-new']]);
  });
});
