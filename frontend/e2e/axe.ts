// axe-core in the browser tests (#16, acceptance 6): WCAG 2.1 A/AA on a page once it has loaded.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The rule sets the tests hold every page to. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Waits until the page has its heading and no loading indicator, then runs axe; one line per
 * violated rule (id, impact, help and the first five elements), so `toEqual([])` shows them all.
 */
export async function violations(page: Page): Promise<string[]> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.dn-loading'), undefined, { timeout: 15_000 });
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact ?? '?'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`,
  );
}
