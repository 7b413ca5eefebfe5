// Single sign-on in the browser: „Anmelden mit Landesportal“ → the provider's login → back as the
// Brakel officer with managed, read-only fields; a role changed at the provider follows at the next
// sign-in. Against the real test OpenID provider (tests/oidc-provider) started by global-setup.
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { setupBrowser } from './session';

const opUrl = inject('opUrl');

// Registered before setupBrowser's hook, so it fails before Chromium is launched.
beforeAll(() => {
  if (!opUrl) throw new Error('Der Test-Anmeldedienst fehlt: `make oidc-deps` ausführen (tests/oidc-provider).');
});

const { newPage } = setupBrowser();

let page: Page;

beforeEach(async () => {
  page = await newPage();
});

async function setProviderUser(roles: string[]) {
  const res = await fetch(`${opUrl}/test/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      login: 'e.ebbers',
      password: 'Landesportal-2026',
      sub: 'e2e-brakel-officer',
      claims: {
        email: 'e.ebbers@landesportal.example',
        email_verified: true,
        name: 'Eva Ebbers',
        groups: ['/kreis-hoexter/brakel'],
        realm_access: { roles },
      },
    }),
  });
  expect(res.status).toBe(200);
}

describe('single sign-on', () => {
  it('signs in through the provider with the mapped town and role, and follows a role change', async () => {
    await setProviderUser(['dn-officer']);
    await page.goto('/anmelden');
    await page.getByRole('link', { name: 'Anmelden mit Landesportal' }).click();
    // The provider's own login page.
    await page.getByLabel('Benutzername').fill('e.ebbers');
    await page.getByLabel('Passwort').fill('Landesportal-2026');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    // Back in the platform as the Brakel officer.
    const who = page.getByTestId('current-user');
    await expect.poll(() => who.textContent(), { timeout: 20_000 }).toContain('Eva Ebbers');
    expect(await who.textContent()).toContain('Brakel');
    await who.click();
    await expect.poll(() => page.getByLabel('Rolle').inputValue()).toBe('Digitalisierungsbeauftragte/r');
    const name = page.getByLabel('Name', { exact: true });
    expect(await name.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByText('verwaltet durch Landesportal').count()).toBeGreaterThanOrEqual(3);

    // The role changes at the provider; sign out here, sign in again (provider session: no form).
    await setProviderUser(['dn-member']);
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByRole('link', { name: 'Anmelden mit Landesportal' }).click();
    await expect.poll(() => who.textContent(), { timeout: 20_000 }).toContain('Eva Ebbers');
    await who.click();
    await expect.poll(() => page.getByLabel('Rolle').inputValue()).toBe('Mitarbeitende');
  });

  it('shows the German reason when the provider sends no known town', async () => {
    const res = await fetch(`${opUrl}/test/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        login: 'o.ortlos',
        password: 'Landesportal-2026',
        sub: 'e2e-no-town',
        claims: { email: 'o.ortlos@landesportal.example', email_verified: true, groups: [], realm_access: { roles: ['dn-officer'] } },
      }),
    });
    expect(res.status).toBe(200);
    await page.goto('/anmelden');
    await page.getByRole('link', { name: 'Anmelden mit Landesportal' }).click();
    await page.getByLabel('Benutzername').fill('o.ortlos');
    await page.getByLabel('Passwort').fill('Landesportal-2026');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain('keine Gemeinde');
    expect(await alert.textContent()).toContain('Anmeldung über Landesportal abgelehnt');
  });
});
