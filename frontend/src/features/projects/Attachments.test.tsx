import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, useAuth } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { Attachments } from './Attachments';
import type { Attachment, Project } from './types';
import { permissionsOf } from '@/test/permissions';

const me = {
  id: 'u1',
  email: 'digital@brakel.example',
  name: 'Lena Vogt',
  role: 'officer',
  permissions: permissionsOf('officer'),
  locale: 'de',
  district: { id: 'd1', key: '05762', name: 'Kreis Höxter' },
  municipality: { id: 'm1', ags: '05762016', name: 'Brakel', kind: 'town' },
  version: 1,
};

function project(patch: Partial<Project> = {}): Project {
  return {
    id: 'p1',
    title: 'E-Rechnung im Rechnungseingang',
    summary: 'Rechnungen digital.',
    status: 'in_progress',
    visibility: 'district',
    municipality: { id: 'm1', name: 'Brakel', ags: '05762016' },
    district_id: 'd1',
    topics: [],
    tags: [],
    ozg_ids: [],
    partner_count: 0,
    follower_count: 1,
    created_at: '2026-11-25T00:00:00Z',
    updated_at: '2026-11-25T00:00:00Z',
    description: '',
    description_html: '',
    planned_start: null,
    planned_end: null,
    budget_cents: null,
    contact_name: null,
    contact_email: null,
    ozg_services: [],
    partners: [],
    following: false,
    can_edit: true,
    can_manage_partners: true,
    can_ask_partnership: false,
    next_statuses: [],
    version: 1,
    ...patch,
  };
}

const stored: Attachment = {
  id: 'a1',
  update_id: null,
  file_name: 'Konzept.pdf',
  content_type: 'application/pdf',
  size_bytes: Math.round(1.2 * 1024 * 1024),
  can_delete: true,
      uploaded_by_name: 'Lena Vogt',
  created_at: '2026-11-20T09:30:00Z',
};

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const refusal = 'Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, ODT, DOCX, XLSX, PNG und JPEG (geprüft wird der Inhalt, nicht der Name).';

interface Sent {
  method: string;
  path: string;
  auth: string | null;
  contentType: string | null;
  file: File | null;
}

function mockServer(upload: () => Response) {
  const sent: Sent[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(req.url, 'http://localhost').pathname;
    let file: File | null = null;
    if (req.method === 'POST' && path.endsWith('/attachments')) {
      const value = (await req.formData()).get('file');
      file = value instanceof File ? value : null;
    }
    sent.push({ method: req.method, path, auth: req.headers.get('Authorization'), contentType: req.headers.get('Content-Type'), file });
    if (path === '/api/v1/auth/refresh') return json(200, { access_token: 't', token_type: 'Bearer', expires_in: 900, user: me });
    if (path === '/api/v1/projects/p1/attachments' && req.method === 'GET') return json(200, { items: [stored] });
    if (path === '/api/v1/projects/p1/attachments' && req.method === 'POST') return upload();
    return json(404, { type: 'not-found', title: 'not-found', status: 404 }, 'application/problem+json');
  });
  return sent;
}

function Gate({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'authenticated' ? <>{children}</> : null;
}

function renderSection(p: Project) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <AuthProvider>
          <Gate>
            <Attachments project={p} />
          </Gate>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('attachments', () => {
  it('lists files with type, German size, uploader and date', async () => {
    mockServer(() => json(500, {}));
    renderSection(project({ can_edit: false }));
    const list = await screen.findByRole('list', { name: 'Anhänge' });
    const item = within(list).getByRole('listitem');
    expect(item).toHaveTextContent('Konzept.pdf');
    expect(item).toHaveTextContent('PDF, 1,2 MB – Lena Vogt, 20.11.2026, 10:30');
    expect(within(item).getByRole('button', { name: 'Herunterladen: Konzept.pdf' })).toBeInTheDocument();
    expect(within(item).queryByRole('button', { name: /Löschen/ })).toBeNull();
    expect(screen.queryByLabelText('Datei')).toBeNull();
  });

  it('refuses a file over 20 MB before sending it', async () => {
    const sent = mockServer(() => json(500, {}));
    renderSection(project());
    const user = userEvent.setup();
    const input = await screen.findByLabelText('Datei');
    const big = new File(['x'], 'Scan.pdf', { type: 'application/pdf' });
    Object.defineProperty(big, 'size', { value: 25 * 1024 * 1024 });
    await user.upload(input, big);
    expect(input).toHaveAccessibleDescription(/Die Datei ist 25 MB groß. Erlaubt sind höchstens 20 MB./);
    await user.click(screen.getByRole('button', { name: 'Hochladen' }));
    expect(sent.some((s) => s.method === 'POST' && s.path.endsWith('/attachments'))).toBe(false);
  });

  it('shows the server field error next to the input', async () => {
    const sent = mockServer(() =>
      json(
        422,
        { type: 'https://digitalnetzwerk.example/problems/validation', title: 'validation', status: 422, errors: [{ field: 'file', message: refusal }] },
        'application/problem+json',
      ),
    );
    renderSection(project());
    const user = userEvent.setup();
    const input = await screen.findByLabelText('Datei');
    await user.upload(input, new File(['nur Text'], 'notiz.pdf', { type: 'application/pdf' }));
    await user.click(screen.getByRole('button', { name: 'Hochladen' }));
    await waitFor(() => expect(input).toHaveAccessibleDescription(new RegExp(refusal.replace(/[().]/g, '\\$&'))));
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).toBeNull();
    const post = sent.find((s) => s.method === 'POST' && s.path === '/api/v1/projects/p1/attachments');
    expect(post?.auth).toBe('Bearer t');
    expect(post?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(post?.file?.name).toBe('notiz.pdf');
  });

  it('announces a successful upload', async () => {
    mockServer(() => json(201, { ...stored, id: 'a2', file_name: 'Plan.png', content_type: 'image/png' }));
    renderSection(project());
    const user = userEvent.setup();
    const input = await screen.findByLabelText('Datei');
    await user.upload(input, new File(['png'], 'Plan.png', { type: 'image/png' }));
    await user.click(screen.getByRole('button', { name: 'Hochladen' }));
    expect(await screen.findByRole('status')).toHaveTextContent('„Plan.png“ wurde hochgeladen.');
  });
});
