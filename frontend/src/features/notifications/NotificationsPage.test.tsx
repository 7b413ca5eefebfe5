import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import type { Notification } from './api';
import { NotificationBell } from './NotificationBell';
import { NotificationsPage, safeLink } from './NotificationsPage';

const items: Notification[] = [
  {
    id: 'n2',
    kind: 'mentions',
    title: 'Jonas Berg hat Sie erwähnt',
    body: 'In „Online-Terminvergabe“',
    link: '/projekte/p1',
    read: false,
    created_at: '2026-11-24T17:00:00Z',
  },
  {
    id: 'n1',
    kind: 'followed_projects',
    title: 'Neuigkeit im Projekt Bürgerportal',
    body: '',
    link: '/projekte/p2',
    read: true,
    created_at: '2026-11-20T08:00:00Z',
  },
];

const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function mockServer() {
  const sent: { method: string; path: string; search: string }[] = [];
  let unread = 1;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url, 'http://localhost');
    sent.push({ method: req.method, path: url.pathname, search: url.search });
    await Promise.resolve();
    if (url.pathname === '/api/v1/notifications/unread-count') return json(200, { unread });
    if (url.pathname === '/api/v1/notifications') {
      const only = url.searchParams.get('unread') === 'true';
      const list = only ? items.filter((n) => !n.read) : items;
      return json(200, { items: list, page: 1, limit: 20, total: list.length });
    }
    if (url.pathname === '/api/v1/notifications/n2/read') {
      unread = 0;
      return json(204, null);
    }
    return json(404, {});
  });
  return sent;
}

function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <MemoryRouter initialEntries={[path]}>
          <NotificationBell />
          <Routes>
            <Route path="/benachrichtigungen" element={<NotificationsPage />} />
            <Route path="/projekte/:id" element={<p>Projektseite</p>} />
          </Routes>
        </MemoryRouter>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('notification feed and bell', () => {
  it('names the bell with the unread count and marks unread items in text', async () => {
    mockServer();
    renderAt('/benachrichtigungen');
    const bell = await screen.findByRole('link', { name: 'Benachrichtigungen 1 ungelesen' });
    expect(bell).toHaveAttribute('href', '/benachrichtigungen');
    // The name starts with what is seen ("Benachrichtigungen 1"); no aria-label replaces it
    // (WCAG 2.5.3, axe label-content-name-mismatch).
    expect(bell).not.toHaveAttribute('aria-label');
    const seen = bell.cloneNode(true) as HTMLElement;
    seen.querySelectorAll('.kern-sr-only').forEach((n) => n.remove());
    expect(seen.textContent.replace(/\s+/g, ' ').trim()).toBe('Benachrichtigungen 1');
    const list = await screen.findByRole('list');
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first).toHaveTextContent('Ungelesen');
    expect(first?.querySelector('.dn-notification--unread')).not.toBeNull();
    expect(second).not.toHaveTextContent('Ungelesen');
  });

  it('filters to unread ones via the URL', async () => {
    const sent = mockServer();
    renderAt('/benachrichtigungen');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Nur ungelesene' }));
    await screen.findByText('1 Benachrichtigung');
    expect(sent.some((s) => s.path === '/api/v1/notifications' && s.search.includes('unread=true'))).toBe(true);
  });

  it('marks an item read and opens its link', async () => {
    const sent = mockServer();
    renderAt('/benachrichtigungen');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: /Jonas Berg hat Sie erwähnt/ }));
    await screen.findByText('Projektseite');
    expect(sent.some((s) => s.method === 'POST' && s.path === '/api/v1/notifications/n2/read')).toBe(true);
    expect(await screen.findByRole('link', { name: 'Benachrichtigungen keine ungelesen' })).toBeInTheDocument();
  });

  it('follows only paths inside the app', () => {
    expect(safeLink('/projekte/p1')).toBe('/projekte/p1');
    expect(safeLink('//evil.example/x')).toBeNull();
    expect(safeLink('https://evil.example/')).toBeNull();
  });
});
