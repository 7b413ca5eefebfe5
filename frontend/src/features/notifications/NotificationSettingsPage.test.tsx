import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import type { NotificationSettings } from './api';
import { NotificationSettingsPage } from './NotificationSettingsPage';

function settings(version: number, patch: Partial<NotificationSettings['digest']> = {}): NotificationSettings {
  return {
    kinds: {
      mentions: 'immediate',
      assignments: 'immediate',
      followed_projects: 'digest',
      new_projects_district: 'digest',
      new_projects_network: 'off',
      efa_adoptions: 'digest',
      funding_deadlines: 'digest',
      support_requests: 'immediate',
    },
    digest: { frequency: 'weekly', weekday: 1, hour: 8, enabled: true, ...patch },
    topics: ['t1'],
    version,
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

function mockServer(put: (n: number, body: NotificationSettings) => Response, current: () => NotificationSettings) {
  const sent: Sent[] = [];
  let puts = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(req.url, 'http://localhost').pathname;
    const text = req.method === 'GET' ? '' : await req.text();
    const body: unknown = text ? JSON.parse(text) : null;
    sent.push({ method: req.method, path, ifMatch: req.headers.get('If-Match'), body });
    if (path === '/api/v1/me/notification-settings' && req.method === 'GET') return json(200, current());
    if (path === '/api/v1/me/notification-settings' && req.method === 'PUT') {
      return put(++puts, body as NotificationSettings);
    }
    if (path === '/api/v1/topics') return json(200, { items: [{ id: 't1', name: 'E-Government' }, { id: 't2', name: 'Bildung' }] });
    if (path === '/api/v1/me/digest/preview') {
      return json(200, {
        has_content: true,
        item_count: 2,
        subject: 'Ihre Zusammenfassung: 2 Neuigkeiten',
        text: 'Hallo\n\n- Erwähnung in Projekt X',
        html: '<p id="injected">Hallo</p>',
      });
    }
    return problem(404, 'not-found');
  });
  return sent;
}

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <MemoryRouter initialEntries={['/profil/benachrichtigungen']}>
          <Routes>
            <Route path="/profil/benachrichtigungen" element={<NotificationSettingsPage />} />
          </Routes>
        </MemoryRouter>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('notification settings page', () => {
  it('sends the whole settings as PUT body with If-Match and reports success', async () => {
    const sent = mockServer((_, body) => json(200, { ...body, version: 8 }), () => settings(7));
    renderPage();
    const user = userEvent.setup();

    const mentions = await screen.findByRole('group', { name: 'Erwähnungen' });
    expect(within(mentions).getByRole('radio', { name: 'Sofort per E-Mail' })).toBeChecked();
    await user.click(within(mentions).getByRole('radio', { name: 'Aus' }));
    // The weekday is only asked for a weekly digest.
    expect(screen.getByLabelText('Wochentag')).toHaveValue('1');
    await user.click(screen.getByRole('radio', { name: 'Täglich' }));
    expect(screen.queryByLabelText('Wochentag')).not.toBeInTheDocument();
    const hour = screen.getByLabelText('Uhrzeit');
    expect(within(hour).getByRole('option', { name: '18:00 Uhr' })).toBeInTheDocument();
    await user.selectOptions(hour, '18');
    const topics = screen.getByRole('group', { name: 'Themen für „Neu im Netzwerk“' });
    expect(topics).toHaveAccessibleDescription('Keine Auswahl = alle Themen');
    expect(await within(topics).findByRole('checkbox', { name: 'E-Government' })).toBeChecked();
    await user.click(within(topics).getByRole('checkbox', { name: 'Bildung' }));
    await user.click(screen.getByRole('button', { name: 'Speichern' }));

    const saved = await screen.findByText('Ihre Einstellungen für Benachrichtigungen wurden gespeichert.');
    expect(saved.closest('[role="status"]')).not.toBeNull();
    const puts = sent.filter((s) => s.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.ifMatch).toBe('"7"');
    expect(puts[0]?.body).toEqual({
      kinds: { ...settings(7).kinds, mentions: 'off' },
      digest: { frequency: 'daily', weekday: 1, hour: 18, enabled: true },
      topics: ['t1', 't2'],
      version: 7,
    });
    expect(screen.getByLabelText('Uhrzeit')).toHaveValue('18');
  });

  it('on 412 offers a reload that keeps the user choices, then saves with the new version', async () => {
    let server = settings(2);
    const sent = mockServer(
      (n, body) => {
        if (n === 1) {
          server = settings(3, { weekday: 4 });
          return problem(412, 'precondition-failed');
        }
        return json(200, { ...body, version: 4 });
      },
      () => server,
    );
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('radio', { name: 'Täglich' }));
    await user.selectOptions(screen.getByLabelText('Uhrzeit'), '18');
    await user.click(screen.getByRole('button', { name: 'Speichern' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('an anderer Stelle geändert');
    await user.click(within(alert).getByRole('button', { name: 'Aktuellen Stand laden' }));
    await screen.findByText(/Ihre Auswahl übernommen/);
    expect(screen.getByRole('radio', { name: 'Täglich' })).toBeChecked();
    expect(screen.getByLabelText('Uhrzeit')).toHaveValue('18');

    await user.click(screen.getByRole('button', { name: 'Speichern' }));
    await screen.findByText('Ihre Einstellungen für Benachrichtigungen wurden gespeichert.');
    const puts = sent.filter((s) => s.method === 'PUT');
    expect(puts.map((p) => p.ifMatch)).toEqual(['"2"', '"3"']);
    expect(puts[1]?.body).toMatchObject({ digest: { frequency: 'daily', hour: 18, weekday: 4 }, version: 3 });
  });

  it('shows a 422 field error at the hour select', async () => {
    mockServer(() => problem(422, 'validation', [{ field: 'digest.hour', message: 'Stunde muss 0–23 sein' }]), () => settings(1));
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Speichern' }));
    await screen.findByText('Stunde muss 0–23 sein');
    expect(screen.getByLabelText('Uhrzeit')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the digest preview as plain text, never the HTML', async () => {
    mockServer(() => json(500, {}), () => settings(1));
    renderPage();
    const preview = await screen.findByRole('region', { name: 'Vorschau der nächsten Zusammenfassung' });
    await within(preview).findByText('Ihre Zusammenfassung: 2 Neuigkeiten');
    expect(preview.querySelector('pre')?.textContent).toBe('Hallo\n\n- Erwähnung in Projekt X');
    expect(document.getElementById('injected')).toBeNull();
  });
});
