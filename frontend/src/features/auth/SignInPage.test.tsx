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

function mockServer(login: () => Response) {
  const calls: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    const path = new URL(url, 'http://localhost').pathname;
    calls.push(path);
    if (path === '/api/v1/auth/refresh') return Promise.resolve(problem(401, 'unauthorized'));
    if (path === '/api/v1/auth/login') return Promise.resolve(login());
    return Promise.resolve(problem(404, 'not-found'));
  });
  return calls;
}

function renderSignIn() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <I18nProvider locale="de">
        <AuthProvider>
          <MemoryRouter initialEntries={['/anmelden']}>
            <Routes>
              <Route path="/anmelden" element={<SignInPage />} />
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
