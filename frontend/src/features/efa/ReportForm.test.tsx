import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import { ReportForm } from './AdoptionSection';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('experience report form', () => {
  it('asks for a rating before sending, then sends text and rating', async () => {
    const sent: unknown[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      sent.push(JSON.parse(await req.text()));
      return new Response(
        JSON.stringify({ id: 'r1', municipality_name: 'Brakel', body: 'x', body_html: '<p>x</p>', rating: 4, created_at: '2026-11-25T00:00:00Z' }),
        { status: 201, headers: { 'Content-Type': 'application/json' } },
      );
    });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
        <I18nProvider locale="de">
          <ReportForm solutionId="s1" />
        </I18nProvider>
      </QueryClientProvider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Ihre Erfahrungen'), 'Läuft stabil, Bürger sind zufrieden.');
    await user.click(screen.getByRole('button', { name: 'Bericht veröffentlichen' }));
    expect(screen.getByRole('group', { name: 'Bewertung' })).toHaveAccessibleDescription(/Bitte wählen Sie eine Bewertung von 1 bis 5./);
    expect(sent).toHaveLength(0);

    await user.click(screen.getByRole('radio', { name: '4 von 5' }));
    await user.click(screen.getByRole('button', { name: 'Bericht veröffentlichen' }));
    await waitFor(() => expect(sent).toEqual([{ body: 'Läuft stabil, Bürger sind zufrieden.', rating: 4 }]));
    await screen.findByText('Danke! Ihr Erfahrungsbericht ist veröffentlicht.');
  });
});
