import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/lib/i18n';
import type { Notification } from './api';
import { NotificationBell } from './NotificationBell';
import { objectPath } from './readOnOpen';

const unreadItems: Notification[] = [
  { id: 'n1', kind: 'mentions', title: 'Erwähnt', body: '', link: '/projekte/p1#kommentare', read: false, created_at: '2026-11-24T17:00:00Z' },
  { id: 'n2', kind: 'followed_projects', title: 'Neu', body: '', link: '/projekte/p2', read: false, created_at: '2026-11-24T16:00:00Z' },
  { id: 'n3', kind: 'support_requests', title: 'Antwort', body: '', link: '/projekte/p1', read: false, created_at: '2026-11-24T15:00:00Z' },
];

const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function mockServer() {
  const sent: { method: string; path: string }[] = [];
  let unread = new Set(unreadItems.map((n) => n.id));
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(req.url, 'http://localhost');
    sent.push({ method: req.method, path: url.pathname });
    await Promise.resolve();
    if (url.pathname === '/api/v1/notifications/unread-count') return json(200, { unread: unread.size });
    if (url.pathname === '/api/v1/notifications') {
      const items = unreadItems.filter((n) => unread.has(n.id));
      return json(200, { items, page: 1, limit: 100, total: items.length });
    }
    const read = /^\/api\/v1\/notifications\/([^/]+)\/read$/.exec(url.pathname);
    if (read?.[1]) {
      unread = new Set([...unread].filter((id) => id !== read[1]));
      return json(204, null);
    }
    return json(404, {});
  });
  return sent;
}

function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <MemoryRouter initialEntries={[path]}>
          <NotificationBell />
        </MemoryRouter>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('opening an object marks its notifications read', () => {
  it('knows which paths are object pages', () => {
    expect(objectPath('/projekte/p1#kommentare')).toBe('/projekte/p1');
    expect(objectPath('/efa/s1?x=1')).toBe('/efa/s1');
    expect(objectPath('/foerderung/antraege/a1')).toBe('/foerderung/antraege/a1');
    expect(objectPath('/unterstuetzung/r1')).toBe('/unterstuetzung/r1');
    expect(objectPath('/efa/matrix')).toBeNull();
    expect(objectPath('/projekte/neu')).toBeNull();
    expect(objectPath('/projekte/p1/bearbeiten')).toBeNull();
    expect(objectPath('/foerderung')).toBeNull();
    expect(objectPath('//evil.example/projekte/p1')).toBeNull();
  });

  it('marks the unread notifications about the opened project read, and no others', async () => {
    const sent = mockServer();
    renderAt('/projekte/p1');
    expect(await screen.findByRole('link', { name: 'Benachrichtigungen 1 ungelesen' })).toBeInTheDocument();
    const marked = sent.filter((s) => s.method === 'POST').map((s) => s.path);
    expect(marked.sort()).toEqual(['/api/v1/notifications/n1/read', '/api/v1/notifications/n3/read']);
  });

  it('leaves notifications alone on a list page', async () => {
    const sent = mockServer();
    renderAt('/projekte');
    expect(await screen.findByRole('link', { name: 'Benachrichtigungen 3 ungelesen' })).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.some((s) => s.method === 'POST' || s.path === '/api/v1/notifications')).toBe(false);
  });
});
