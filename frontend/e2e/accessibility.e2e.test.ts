// axe-core over every main page (#16, acceptance 6): each page is opened as the person who
// uses it, in a state with data (lists filled, charts drawn, notifications unread, a form
// showing its errors), and axe must report no violation of WCAG 2.1 A/AA.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { violations } from './axe';
import { apiClient, setupBrowser } from './session';

const { newPage, signedIn } = setupBrowser({ closeContexts: 'afterAll' });

/** WCAG relative luminance of an `rgb(…)`/`rgba(…)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every chart legend label on the page against the background behind it: at least 4.5:1. */
async function expectReadableLegends(page: Page, path: string) {
  await page.goto(path);
  await page.locator('.recharts-legend-item-text').first().waitFor();
  const pairs = await page.$$eval('.recharts-legend-item-text', (els) => {
    // Computed colours may be oklch(); a canvas pixel gives them as sRGB.
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    const rgb = (css: string) => {
      if (!ctx) return css;
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
      return `rgb(${r}, ${g}, ${b})`;
    };
    const transparent = (c: string) => c === 'transparent' || /^rgba\(0, 0, 0, 0\)$/.test(c) || / \/ 0\)$/.test(c);
    return els.map((el) => {
      let bg = 'rgb(255, 255, 255)';
      for (let n: Element | null = el; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c && !transparent(c)) {
          bg = c;
          break;
        }
      }
      return { text: el.textContent, fg: rgb(getComputedStyle(el).color), bg: rgb(bg) };
    });
  });
  expect(pairs.length, `legends on ${path}`).toBeGreaterThan(0);
  for (const p of pairs) {
    expect(contrast(p.fg, p.bg), `legend "${p.text}" on ${path}: ${p.fg} on ${p.bg}`).toBeGreaterThanOrEqual(4.5);
  }
}

async function expectClean(page: Page, path: string) {
  await page.goto(path);
  const found = await violations(page);
  expect(found, `axe on ${path}`).toEqual([]);
}

describe('axe-core reports no violation', () => {
  it('on the pages a visitor sees', async () => {
    const page = await newPage();
    for (const path of ['/', '/anmelden', '/impressum', '/datenschutz', '/barrierefreiheit', '/oeffentlich/projekte']) {
      await expectClean(page, path);
    }
  });

  it('on the pages a town officer works with', async () => {
    const page = await signedIn('digital@brakel.example');
    for (const path of [
      '/',
      '/projekte',
      '/efa',
      '/efa/matrix',
      '/efa/abdeckung',
      '/foerderung',
      '/foerderung/antraege',
      '/foerderung/kalender',
      '/unterstuetzung',
      '/strategie',
      '/nutzung',
      '/nutzung/reifegrad',
      '/ozg',
      '/benachrichtigungen',
      '/profil',
      '/profil/benachrichtigungen',
    ]) {
      await expectClean(page, path);
    }
    // A project's detail page, reached as a user gets there.
    await page.goto('/projekte');
    await page.getByRole('main').getByRole('link').filter({ hasText: /\S/ }).first().waitFor();
    const first = page.locator('main a[href^="/projekte/"]:not([href="/projekte/neu"])').first();
    await first.click();
    await page.waitForURL(/\/projekte\/[^/]+$/);
    expect(await violations(page)).toEqual([]);
  });

  it('on the detail pages, reached from their lists', async () => {
    const officer = await signedIn('digital@brakel.example');
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    const details: [Page, string, RegExp][] = [
      [officer, '/efa', /^\/efa\/(?!neu$|matrix$|abdeckung$)[^/]+$/],
      [officer, '/foerderung', /^\/foerderung\/programme\/[^/]+$/],
      [coordinator, '/strategie', /^\/strategie\/kommune\/[^/]+$/],
    ];
    for (const [page, list, detail] of details) {
      await expectClean(page, list);
      const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      const target = hrefs.find((h) => detail.test(h));
      expect(target, `a detail link on ${list}`).toBeTruthy();
      await expectClean(page, target ?? list);
    }
    // The public showcase's project page, as a visitor reaches it.
    const visitor = await newPage();
    await expectClean(visitor, '/oeffentlich/projekte');
    const shown = await visitor.$$eval('main a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    const project = shown.find((h) => /^\/oeffentlich\/projekte\/[^/]+$/.test(h));
    expect(project, 'a project on the showcase').toBeTruthy();
    await expectClean(visitor, project ?? "/oeffentlich/projekte");
  });

  it('with unread notifications: the bell is named by its visible text and the count', async () => {
    // Someone answers the Brakel officer: the reply notifies them (the notification is written
    // shortly after the request, so the test waits for the count the API reports).
    const lena = await apiClient('digital@brakel.example');
    const coordinator = await apiClient('koordination@kreis-hoexter.example');
    const unread = async () => ((await lena.send('GET', '/api/v1/notifications/unread-count')) as { unread: number }).unread;
    const before = await unread();
    const request = await lena.send(
      'POST',
      '/api/v1/support/requests',
      { category: 'other', title: `Frage zur Barrierefreiheit ${Date.now().toString(36)}`, description: 'Wie prüfen wir unsere Formulare?' },
      { status: 201 },
    );
    await coordinator.send(
      'POST',
      `/api/v1/support/requests/${request.id as string}/messages`,
      { body: 'Wir schicken Ihnen unsere Prüfliste.', internal: false },
      { status: 201 },
    );
    await expect.poll(unread, { timeout: 15_000 }).toBeGreaterThan(before);

    const page = await signedIn('digital@brakel.example');
    const bell = page.getByTestId('notification-bell');
    await page.getByRole('link', { name: /^Benachrichtigungen \d+ ungelesen$/ }).waitFor();
    // What is seen ("Benachrichtigungen 2") starts the name; only "ungelesen" is for screen readers.
    const seen = await bell.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.kern-sr-only').forEach((n) => n.remove());
      return copy.textContent.replace(/\s+/g, ' ').trim();
    });
    expect(seen).toMatch(/^Benachrichtigungen \d+$/);
    expect(await bell.getAttribute('aria-label')).toBeNull();
    const named = await page.getByRole('link', { name: `${seen} ungelesen`, exact: true }).count();
    expect(named, `a link named "${seen} ungelesen"`).toBe(1);
    for (const path of ['/', '/benachrichtigungen', '/projekte', '/efa/matrix']) {
      await page.goto(path);
      await page.getByRole('link', { name: /^Benachrichtigungen \d+ ungelesen$/ }).waitFor();
      expect(await violations(page), `axe on ${path} with unread notifications`).toEqual([]);
    }
  });

  it('charts: hidden from assistive technology without a Tab stop, axis numbers grouped in German', async () => {
    const officer = await signedIn('digital@brakel.example');
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    for (const [page, path] of [
      [officer, '/nutzung'],
      [coordinator, '/'],
    ] as const) {
      await page.goto(path);
      await page.locator('.dn-chart__canvas .recharts-surface').first().waitFor();
      const found = await page.evaluate(() => {
        const hidden = Array.from(document.querySelectorAll('[aria-hidden="true"]'));
        const charts = hidden.filter((h) => h.querySelector('.recharts-surface')).length;
        const tabbable = hidden.flatMap((h) =>
          [h, ...Array.from(h.querySelectorAll('*'))]
            .filter((e) => (e as HTMLElement | SVGElement).tabIndex >= 0 && !(e as HTMLButtonElement).disabled)
            .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''}`),
        );
        return { charts, tabbable };
      });
      expect(found.charts, `hidden charts on ${path}`).toBeGreaterThan(0);
      expect(found.tabbable, `Tab stops inside aria-hidden on ${path}`).toEqual([]);
      // "4.500 €" beside "13.500 €", never "4500 €": no run of four digits without a separator.
      const ticks = await page.$$eval('.recharts-cartesian-axis-tick-value', (els) => els.map((e) => e.textContent));
      expect(ticks.filter((v) => /\d/.test(v)).length, `axis numbers on ${path}`).toBeGreaterThan(0);
      expect(ticks.filter((v) => /\d{4}/.test(v) && !/^(Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}$/.test(v)), `ungrouped on ${path}`).toEqual([]);
    }
  });

  it('chart legends are readable (contrast at least 4.5:1)', async () => {
    const officer = await signedIn('digital@brakel.example');
    await expectReadableLegends(officer, '/nutzung');
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    await expectReadableLegends(coordinator, '/');
  });

  it('on a form that shows its errors', async () => {
    const page = await signedIn('digital@brakel.example');
    await page.goto('/projekte/neu');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.getByRole('button', { name: /speichern|anlegen/i }).first().click();
    await page.getByTestId('error-summary').waitFor();
    expect(await violations(page)).toEqual([]);
  });

  it('on the pages of the district coordinator and the administrator', async () => {
    const coordinator = await signedIn('koordination@kreis-hoexter.example');
    for (const path of [
      '/',
      '/nutzung/kreis',
      '/foerderung/uebersicht',
      '/verwaltung/benutzer',
      '/verwaltung/einladungen',
      '/verwaltung/protokoll',
    ]) {
      await expectClean(coordinator, path);
    }
    const admin = await signedIn('admin@digitalnetzwerk.example');
    for (const path of ['/verwaltung/kommunen', '/verwaltung/postausgang']) {
      await expectClean(admin, path);
    }
  });
});
