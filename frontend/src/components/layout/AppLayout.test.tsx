import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Me, Role } from '@/lib/api';
import { can } from '@/lib/auth';
import { AuthContext, type AuthValue } from '@/lib/auth/context';
import { I18nProvider } from '@/lib/i18n';
import { AppLayout } from './AppLayout';
import { RequireRole } from './guards';
import { permissionsOf } from '@/test/permissions';

function renderAs(role: Role) {
  const me: Me = { id: 'u1', name: 'Lena Vogt', email: 'lena@example.org', locale: 'de', role, version: 1, permissions: permissionsOf(role) };
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
  it('is linked for admins, in the administration menu', async () => {
    renderAs('admin');
    expect(screen.queryByRole('link', { name: 'Mail-Postausgang' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Verwaltung' }));
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

describe('the grouped navigation', () => {
  it('groups work and overview, and keeps administration out for members', () => {
    renderAs('member');
    const work = screen.getByRole('list', { name: 'Arbeit' });
    const names = (list: HTMLElement) => [...list.querySelectorAll('a')].map((a) => a.textContent);
    expect(names(work)).toEqual(['Projekte', 'EfA-Lösungen', 'Förderung', 'Unterstützung', 'Strategie', 'Prozessregister']);
    const overview = names(screen.getByRole('list', { name: 'Überblick' }));
    expect(overview.slice(0, 3)).toEqual(['Dashboard', 'Nachnutzungsmatrix', 'OZG-Abdeckung']);
    expect(screen.queryByRole('button', { name: 'Verwaltung' })).toBeNull();
  });

  it('opens the menu with its button and closes it with Escape, focus back on the button', async () => {
    renderAs('admin');
    const menu = screen.getByRole('button', { name: 'Menü' });
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    await userEvent.keyboard('{Escape}');
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveFocus();

    const admin = screen.getByRole('button', { name: 'Verwaltung' });
    admin.focus();
    await userEvent.keyboard('{Enter}');
    expect(admin).toHaveAttribute('aria-expanded', 'true');
    await userEvent.keyboard('{Escape}');
    expect(admin).toHaveAttribute('aria-expanded', 'false');
    expect(admin).toHaveFocus();
  });
});
