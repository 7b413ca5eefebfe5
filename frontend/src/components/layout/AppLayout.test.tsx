import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Me, Role } from '@/lib/api';
import { can } from '@/lib/auth';
import { AuthContext, type AuthValue } from '@/lib/auth/context';
import { I18nProvider } from '@/lib/i18n';
import { AppLayout } from './AppLayout';
import { RequireRole } from './guards';

function renderAs(role: Role) {
  const me: Me = { id: 'u1', name: 'Lena Vogt', email: 'lena@example.org', locale: 'de', role, version: 1 };
  const auth: AuthValue = {
    status: 'authenticated',
    me,
    signIn: () => Promise.resolve(me),
    signOut: () => Promise.resolve(),
    clearSession: () => undefined,
    setMe: () => undefined,
  };
  render(
    <AuthContext.Provider value={auth}>
      <I18nProvider locale="de">
        <MemoryRouter initialEntries={['/verwaltung/postausgang']}>
          <Routes>
            <Route element={<AppLayout />}>
              <Route
                path="/verwaltung/postausgang"
                element={
                  <RequireRole allowed={can.viewOutbox}>
                    <p>Postausgang</p>
                  </RequireRole>
                }
              />
            </Route>
          </Routes>
        </MemoryRouter>
      </I18nProvider>
    </AuthContext.Provider>,
  );
}

describe('the mail outbox in the admin navigation', () => {
  it('is linked for admins', () => {
    renderAs('admin');
    expect(screen.getByRole('link', { name: 'Mail-Postausgang' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByText('Postausgang')).toBeInTheDocument();
  });

  it.each<Role>(['coordinator', 'officer', 'member'])('is neither linked nor shown for %s', (role) => {
    renderAs(role);
    expect(screen.queryByRole('link', { name: 'Mail-Postausgang' })).toBeNull();
    expect(screen.queryByText('Postausgang')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Kein Zugriff' })).toBeInTheDocument();
  });
});
