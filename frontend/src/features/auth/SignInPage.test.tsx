import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider } from '@/lib/auth';
import { I18nProvider } from '@/lib/i18n';
import { SignInPage } from './SignInPage';

function problem(status: number, kind: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ type: `https://digitalnetzwerk.example/problems/${kind}`, title: kind, status }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

function mockServer(login: () => Response, extra: Record<string, () => Response> = {}) {
  const calls: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    const path = new URL(url, 'http://localhost').pathname;
    calls.push(path);
    if (path === '/api/v1/auth/refresh') return Promise.resolve(problem(401, 'unauthorized'));
    if (path === '/api/v1/auth/login') return Promise.resolve(login());
    const other = extra[path];
    if (other) return Promise.resolve(other());
    return Promise.resolve(problem(404, 'not-found'));
  });
  return calls;
}

function json(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

function renderSignIn(entry = '/anmelden', emergency = false) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <AuthProvider>
          <MemoryRouter initialEntries={[entry]}>
            <Routes>
              <Route path="/anmelden" element={<SignInPage emergency={emergency} />} />
              <Route path="/" element={<p>Startseite</p>} />
            </Routes>
          </MemoryRouter>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SignInPage', () => {
  it('offers a button per provider and hides the form without local sign-in', async () => {
    mockServer(() => problem(401, 'unauthorized'), {
      '/api/v1/auth/methods': () => json({ local: false, providers: [{ id: 'landesportal', label: 'Landesportal' }] }),
    });
    renderSignIn();
    const button = await screen.findByRole('link', { name: 'Anmelden mit Landesportal' });
    expect(button).toHaveAttribute('href', '/api/v1/auth/oidc/landesportal/start');
    expect(screen.queryByLabelText('Passwort')).not.toBeInTheDocument();
  });

  it('keeps the form on the break-glass page', async () => {
    mockServer(() => problem(401, 'unauthorized'), {
      '/api/v1/auth/methods': () => json({ local: false, providers: [{ id: 'landesportal', label: 'Landesportal' }] }),
    });
    renderSignIn('/anmelden', true);
    expect(await screen.findByLabelText('Passwort')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Anmelden mit Landesportal' })).not.toBeInTheDocument();
  });

  it('shows the German reason of a refused provider sign-in', async () => {
    mockServer(() => problem(401, 'unauthorized'), {
      '/api/v1/auth/oidc/attempts/a-1': () =>
        json({
          id: 'a-1',
          provider: 'landesportal',
          provider_label: 'Landesportal',
          status: 'refused',
          message: 'Anmeldung über Landesportal abgelehnt: keine Gemeinde',
          missing: ['town'],
        }),
    });
    renderSignIn('/anmelden?sso_fehler=a-1');
    expect(await screen.findByText('Anmeldung über Landesportal abgelehnt: keine Gemeinde')).toBeInTheDocument();
  });

  it('shows exactly one German error on wrong credentials', async () => {
    const calls = mockServer(() => problem(401, 'unauthorized'));
    renderSignIn();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('E-Mail-Adresse'), 'digital@brakel.example');
    await user.type(screen.getByLabelText('Passwort'), 'falsch');
    await user.click(screen.getByRole('button', { name: 'Anmelden' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('E-Mail-Adresse oder Passwort ist falsch.');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByLabelText('E-Mail-Adresse')).not.toHaveAttribute('aria-invalid');
    expect(calls).toContain('/api/v1/auth/login');
  });

  it('shows the throttling message with Retry-After', async () => {
    mockServer(() => problem(429, 'too-many-requests', { 'Retry-After': '60' }));
    renderSignIn();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('E-Mail-Adresse'), 'a@b.example');
    await user.type(screen.getByLabelText('Passwort'), 'x');
    await user.click(screen.getByRole('button', { name: 'Anmelden' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Zu viele Versuche, bitte später erneut versuchen (in 60 Sekunden).',
    );
  });

  it('ties missing-field errors to their inputs', async () => {
    const calls = mockServer(() => problem(401, 'unauthorized'));
    renderSignIn();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Anmelden' }));
    const email = screen.getByLabelText('E-Mail-Adresse');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Bitte geben Sie Ihre E-Mail-Adresse ein.');
    expect(calls).not.toContain('/api/v1/auth/login');
  });
});
