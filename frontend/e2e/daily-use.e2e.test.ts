// Ready for daily use (#16): legal pages in every footer, a landing page for visitors, the
// navigation behind a menu button on a phone, and an error summary on the project form.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, setupBrowser } from './session';

const { newPage } = setupBrowser();

/** The footer's three links, each pointing at its page. */
async function expectLegalFooter(page: Page) {
  const footer = page.getByRole('contentinfo').getByRole('navigation', { name: 'Rechtliches' });
  await footer.waitFor();
  for (const [name, href] of [
    ['Impressum', '/impressum'],
    ['Datenschutz', '/datenschutz'],
    ['Barrierefreiheit', '/barrierefreiheit'],
  ] as const) {
    expect(await footer.getByRole('link', { name, exact: true }).getAttribute('href')).toBe(href);
  }
}

describe('legal pages and the landing page', () => {
  it('the footer links the legal pages on the sign-in page, the showcase and a signed-in page', async () => {
    const page = await newPage();
    await page.goto('/anmelden');
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await expectLegalFooter(page);

    await page.goto('/oeffentlich/projekte');
    await page.getByRole('heading', { level: 1, name: 'Öffentliche Projekte' }).waitFor();
    await expectLegalFooter(page);
    // The showcase offers the sign-in.
    await page.getByRole('banner').getByRole('link', { name: 'Anmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();

    await signIn(page, 'digital@brakel.example');
    await expectLegalFooter(page);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Barrierefreiheit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Erklärung zur Barrierefreiheit' }).waitFor();
    await page.getByRole('heading', { name: 'Feedback und Kontakt' }).waitFor();
    const text = await page.getByRole('main').innerText();
    expect(text).toContain('Feedback und Kontakt');
    expect(text).toContain('Ombudsstelle für barrierefreie Informationstechnik');
    await expectLegalFooter(page);
  });

  it('a visitor without an account gets a landing page that links the showcase and the sign-in', async () => {
    const page = await newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: /^Digitalnetzwerk/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await expectLegalFooter(page);
    await page.getByRole('main').getByRole('link', { name: 'Öffentliche Projekte ansehen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Öffentliche Projekte' }).waitFor();
    await page.goBack();
    await page.getByRole('main').getByRole('link', { name: 'Anmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await page.goto('/impressum');
    await page.getByRole('heading', { level: 1, name: 'Impressum' }).waitFor();
    await page.getByRole('main').getByRole('heading', { name: 'Angaben gemäß § 5 DDG' }).waitFor();
  });
});

describe('navigation', () => {
  it('at 390 px the navigation waits behind the menu button, which opens and closes it', async () => {
    const page = await newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'koordination@kreis-hoexter.example');
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    const menu = page.getByRole('button', { name: 'Menü' });
    await menu.waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Projekte', exact: true }).count()).toBe(0);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Projekte', exact: true }).waitFor();
    expect(await nav.getByRole('list', { name: 'Arbeit' }).getByRole('link').allInnerTexts()).toEqual([
      'Projekte',
      'EfA-Lösungen',
      'Förderung',
      'Unterstützung (Anfragen)',
      'Strategie',
      'Prozessregister',
    ]);
    // Escape closes it and leaves focus on the button.
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
    // Keyboard only: Enter opens it, a link leads on and the menu closes behind it.
    await page.keyboard.press('Enter');
    await nav.getByRole('link', { name: 'Strategie' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Strategie' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
  });

  it('on a wide screen the skip link comes first and administration is a menu of its own', async () => {
    const page = await newPage();
    await signIn(page, 'koordination@kreis-hoexter.example');
    // The bell is named by what it shows (axe label-content-name-mismatch), and the dashboard's
    // charts, hidden from assistive technology, take no keyboard focus (axe aria-hidden-focus).
    const bell = page.getByTestId('notification-bell');
    expect(await bell.getAttribute('aria-label')).toBeNull();
    await page.getByRole('link', { name: /^Benachrichtigungen (keine|\d+) ungelesen$/ }).waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    const focusableInHidden = await page.evaluate(
      () =>
        document.querySelectorAll(
          '[aria-hidden="true"] :is(a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]))',
        ).length,
    );
    expect(focusableInHidden).toBe(0);
    // A fresh load: the first Tab from the top of the page.
    await page.goto('/projekte');
    await page.getByRole('heading', { level: 1, name: 'Projekte' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    const admin = nav.getByRole('button', { name: 'Verwaltung' });
    const unfocused = await admin.boundingBox();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(first).toBe('Zum Inhalt springen');
    // Focusing the skip link does not push the page down (KERN makes focused links `relative`).
    expect(await admin.boundingBox()).toEqual(unfocused);
    expect(await page.getByRole('button', { name: 'Menü' }).isVisible()).toBe(false);
    expect(await nav.getByRole('link', { name: 'Kommunen' }).count()).toBe(0);
    await admin.click();
    await nav.getByRole('link', { name: 'Kommunen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
  });
});

describe('forms', () => {
  it('submitting the empty project form moves focus to the error summary, whose links jump to the fields', async () => {
    const page = await newPage();
    await signIn(page, 'digital@brakel.example');
    await page.goto('/projekte/neu');
    await page.getByRole('heading', { level: 1, name: 'Neues Projekt' }).waitFor();
    await page.getByRole('button', { name: 'Projekt anlegen' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    const links = summary.getByRole('link');
    expect(await links.allInnerTexts()).toEqual([
      'Titel: Bitte füllen Sie dieses Feld aus.',
      'Kurzbeschreibung: Bitte füllen Sie dieses Feld aus.',
    ]);
    // The summary is at the top of the screen, not off-screen.
    const box = await summary.boundingBox();
    expect(box?.y, JSON.stringify(box)).toBeGreaterThanOrEqual(0);
    expect(box?.y).toBeLessThan(720);

    await links.nth(1).click();
    const summaryField = page.getByRole('textbox', { name: 'Kurzbeschreibung' });
    expect(await summaryField.evaluate((el) => el === document.activeElement)).toBe(true);
    await links.nth(0).click();
    const title = page.getByRole('textbox', { name: 'Titel' });
    expect(await title.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    // The form can be left without saving.
    await page.getByRole('button', { name: 'Abbrechen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Projekte' }).waitFor();
  });
});
