// Sign-in against the real backend with the seeded demo users.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, signIn as submitSignIn, setupBrowser } from './session';

const { newPage } = setupBrowser();

let page: Page;
let cspViolations: string[];

beforeEach(async () => {
  page = await newPage();
  cspViolations = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
});

/** Submits the form only: the tests wait for what they expect (the header, or the error). */
const signIn = (email: string, password: string) => submitSignIn(page, email, { password, waitForUser: false });

describe('sign-in', () => {
  it('the Brakel officer signs in and sees her name and town', async () => {
    await signIn('digital@brakel.example', PASSWORD);
    const user = page.getByTestId('current-user');
    await user.waitFor();
    const text = await user.innerText();
    expect(text).toContain('Lena Vogt');
    expect(text).toContain('Brakel');
    await page.getByRole('heading', { level: 1, name: 'Willkommen, Lena Vogt' }).waitFor();
    expect(cspViolations).toEqual([]);
  });

  it('a wrong password shows the German error and stays on the sign-in page', async () => {
    await signIn('digital@brakel.example', 'falsches-Passwort-1');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.count()).toBe(1);
    expect((await alert.innerText()).trim()).toBe('E-Mail-Adresse oder Passwort ist falsch.');
    expect(new URL(page.url()).pathname).toBe('/anmelden');
  });

  it('the Warburg officer does not see the towns administration', async () => {
    await signIn('digital@warburg.example', PASSWORD);
    const user = page.getByTestId('current-user');
    await user.waitFor();
    expect(await user.innerText()).toContain('Tobias Schröder');
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await nav.getByRole('link', { name: 'OZG-Katalog' }).waitFor();
    // Administration is a menu of its own: an officer may invite, so it is there.
    await nav.getByRole('button', { name: 'Verwaltung' }).click();
    expect(await nav.getByRole('link', { name: 'Kommunen' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Protokoll' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Einladungen' }).count()).toBe(1);
  });

  it('the sign-in form works with the keyboard only', async () => {
    await page.goto('/anmelden');
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    const email = page.getByLabel('E-Mail-Adresse');
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await email.evaluate((el) => el === document.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.type('digital@brakel.example');
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('Passwort', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user').innerText()).toContain('Lena Vogt');
  });
});
