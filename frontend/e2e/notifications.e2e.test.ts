// Notifications against the real backend: the header bell, the feed, and the settings page
// (digest daily at 18:00 survives a reload; the digest preview is shown).
import { describe, expect, it } from 'vitest';
import { api, apiToken, setupBrowser } from './session';

const { signedIn } = setupBrowser();

/** The digest preview as the API gives it to `email` (signed in outside the browser). */
async function serverPreview(email: string): Promise<{ has_content: boolean; subject?: string; text?: string }> {
  const resp = await api('/api/v1/me/digest/preview', await apiToken(email));
  expect(resp.status).toBe(200);
  return (await resp.json()) as { has_content: boolean; subject?: string; text?: string };
}

describe('notifications', () => {
  it('Warburg opens the feed from the bell and sets a daily digest at 18:00 that survives a reload', async () => {
    const page = await signedIn('digital@warburg.example');

    // The bell names the unread count.
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    await page.getByRole('link', { name: /^Benachrichtigungen (keine|\d+) ungelesen$/ }).waitFor();
    await bell.click();
    await page.getByRole('heading', { level: 1, name: 'Benachrichtigungen' }).waitFor();
    await page.getByRole('checkbox', { name: 'Nur ungelesene' }).waitFor();

    // Settings, reached from the feed.
    await page.getByRole('link', { name: 'Einstellungen für Benachrichtigungen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Benachrichtigungen einstellen' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profil/benachrichtigungen');

    const mentions = page.getByRole('group', { name: 'Erwähnungen' });
    await mentions.getByRole('radio', { name: 'Sofort per E-Mail' }).waitFor();
    expect(await page.getByRole('group', { name: 'Förderfristen' }).getByRole('radio').count()).toBe(3);

    const enabled = page.getByRole('checkbox', { name: 'Zusammenfassung per E-Mail erhalten' });
    if (!(await enabled.isChecked())) await enabled.check();
    await page.getByRole('radio', { name: 'Täglich' }).check();
    expect(await page.getByLabel('Wochentag').count()).toBe(0);
    await page.getByLabel('Uhrzeit').selectOption({ label: '18:00 Uhr' });
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Ihre Einstellungen für Benachrichtigungen wurden gespeichert.' })
      .waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Benachrichtigungen einstellen' }).waitFor();
    const daily = page.getByRole('radio', { name: 'Täglich' });
    await daily.waitFor();
    expect(await daily.isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Wöchentlich' }).isChecked()).toBe(false);
    const hour = page.getByLabel('Uhrzeit');
    expect(await hour.inputValue()).toBe('18');
    expect(await hour.locator('option:checked').innerText()).toBe('18:00 Uhr');
    expect(await enabled.isChecked()).toBe(true);

    // The preview shows what the server would send now: the next digest's subject and
    // text, or the empty-digest sentence. The server's own answer says which to expect.
    const preview = page.getByRole('region', { name: 'Vorschau der nächsten Zusammenfassung' });
    await preview.waitFor();
    const expected = await serverPreview('digital@warburg.example');
    const empty = preview.getByText('Ihre nächste Zusammenfassung ist leer und wird nicht verschickt.');
    const text = preview.locator('pre');
    if (expected.has_content) {
      await text.waitFor();
      const norm = (v: string) => v.replace(/\r\n/g, '\n').trim();
      expect(norm(await text.innerText())).toBe(norm(expected.text ?? ''));
      await preview.getByText(expected.subject ?? '').waitFor();
      expect(await empty.count()).toBe(0);
    } else {
      await empty.waitFor();
      expect(await text.count()).toBe(0);
    }

    // The profile page links here too.
    await page.goto('/profil');
    await page.getByRole('link', { name: 'Benachrichtigungen einstellen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Benachrichtigungen einstellen' }).waitFor();
  });
});
