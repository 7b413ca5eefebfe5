import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, type Locale } from '@/lib/i18n';
import type { Today } from './api';
import { daysBetween, formatDay, TodayLists, TodaySection } from './TodaySection';

const empty = { items: [], total: 0 };

const today: Today = {
  today: '2027-01-04',
  days: 60,
  deadlines: {
    items: [
      {
        kind: 'funding_application',
        id: 'a1',
        title: 'Modellprojekte Smart Cities – Förderaufruf 2027',
        context: 'Smarte Dorfmitte Brakel',
        due_date: '2027-01-25',
        due_time: '12:00:00',
      },
      { kind: 'funding_programme', id: 'p1', title: 'LEADER – Aufruf 3', due_date: '2027-01-05' },
    ],
    total: 2,
  },
  checklist: {
    items: [{ kind: 'funding_application', id: 'a1', title: 'Ratsbeschluss', context: 'Smarte Dorfmitte Brakel', due_date: '2027-01-01' }],
    total: 13,
  },
  requests: { items: [{ kind: 'support_request', id: 'r1', title: 'Hilfe beim Finanzierungsplan', status: 'waiting' }], total: 1 },
  measures: empty,
  followed: { items: [], total: 0 },
  district: null,
};

function renderLists(data: Today, locale: Locale = 'de') {
  render(
    <I18nProvider locale={locale}>
      <MemoryRouter>
        <TodayLists data={data} />
      </MemoryRouter>
    </I18nProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TodayLists', () => {
  it('lists deadlines, checklist items and requests with German dates and links', () => {
    renderLists(today);
    const deadlines = within(screen.getByTestId('today-deadlines'));
    expect(deadlines.getByRole('heading', { name: 'Förderfristen (2)' })).toBeInTheDocument();
    const call = deadlines.getByRole('link', { name: 'Modellprojekte Smart Cities – Förderaufruf 2027' });
    expect(call).toHaveAttribute('href', '/foerderung/antraege/a1');
    expect(call.closest('li')).toHaveTextContent('Smarte Dorfmitte Brakel · Frist 25.01.2027, 12:00 Uhr (noch 21 Tage)');
    expect(deadlines.getByRole('link', { name: 'LEADER – Aufruf 3' })).toHaveAttribute('href', '/foerderung/programme/p1');
    expect(deadlines.getByText('Frist 05.01.2027 (noch 1 Tag)')).toBeInTheDocument();

    const checklist = within(screen.getByTestId('today-checklist'));
    const item = checklist.getByRole('link', { name: 'Ratsbeschluss' });
    expect(item).toHaveAttribute('href', '/foerderung/antraege/a1');
    expect(item.closest('li')).toHaveTextContent('fällig am 01.01.2027 (überfällig)');
    // 13 in all, one shown: a link to the rest.
    expect(checklist.getByRole('link', { name: '12 weitere anzeigen' })).toHaveAttribute('href', '/foerderung/antraege');

    const requests = within(screen.getByTestId('today-requests'));
    const request = requests.getByRole('link', { name: 'Hilfe beim Finanzierungsplan' });
    expect(request).toHaveAttribute('href', '/unterstuetzung/r1');
    expect(request.closest('li')).not.toHaveTextContent('waiting');

    expect(within(screen.getByTestId('today-measures')).getByText('Keine Maßnahme fällig in den nächsten 60 Tagen.')).toBeInTheDocument();
  });

  it('says so when nothing is due', () => {
    renderLists({ ...today, deadlines: empty, checklist: empty, requests: empty });
    expect(screen.getByText('Nichts fällig in den nächsten 60 Tagen.')).toBeInTheDocument();
    expect(screen.getByText('Keine offenen Checklistenpunkte für Sie.')).toBeInTheDocument();
    expect(screen.getByText('Keine Unterstützungsanfrage wartet auf Sie.')).toBeInTheDocument();
    expect(screen.queryAllByRole('link')).toHaveLength(0);
  });

  it('speaks English to English users', () => {
    renderLists({ ...today, deadlines: empty }, 'en');
    expect(screen.getByText('Nothing due in the next 60 days.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'My open checklist items (13)' })).toBeInTheDocument();
  });
});

describe('TodaySection', () => {
  function renderSection() {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <I18nProvider locale="de">
          <MemoryRouter>
            <TodaySection />
          </MemoryRouter>
        </I18nProvider>
      </QueryClientProvider>,
    );
  }

  it('shows loading, then the lists', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify(today), { status: 200, headers: { 'Content-Type': 'application/json' } }),
    );
    renderSection();
    expect(screen.getByRole('heading', { name: 'Heute wichtig' })).toBeInTheDocument();
    expect(screen.getByText('Wird geladen …', { exact: false })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Ratsbeschluss' })).toBeInTheDocument();
  });

  it('shows an error with a retry button when the request fails', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ type: 'about:blank', title: 'Interner Fehler', status: 500 }), {
        status: 500,
        headers: { 'Content-Type': 'application/problem+json' },
      }),
    );
    renderSection();
    expect(await screen.findByRole('button', { name: 'Erneut versuchen' })).toBeInTheDocument();
  });
});

describe('date helpers', () => {
  it('formats calendar dates and counts days across the change to summer time', () => {
    expect(formatDay('2027-03-29', 'de')).toBe('29.03.2027');
    expect(daysBetween('2027-03-27', '2027-03-29')).toBe(2);
    expect(daysBetween('2027-01-04', '2027-01-01')).toBe(-3);
  });
});
