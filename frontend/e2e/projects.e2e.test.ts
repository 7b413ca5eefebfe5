// Projects against the real backend: the editor's "Wer baut das schon?" hint, then a comment
// with an @-mention from another town.
import { describe, expect, it } from 'vitest';
import { setupBrowser } from './session';

const TITLE = 'Online-Terminvergabe für das Bürgerbüro';

const { signedIn } = setupBrowser();

describe('projects', () => {
  it('Brakel drafts a project, sees who builds it already, and Warburg comments with a mention', async () => {
    // Brakel: new project with the similar-projects hint before saving.
    const brakel = await signedIn('digital@brakel.example');
    await brakel.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Projekte', exact: true }).click();
    await brakel.getByRole('heading', { level: 1, name: 'Projekte' }).waitFor();
    await brakel.getByRole('link', { name: 'Neues Projekt' }).click();
    await brakel.getByRole('heading', { level: 1, name: 'Neues Projekt' }).waitFor();
    await brakel.getByLabel('Titel').fill(TITLE);
    await brakel
      .getByLabel('Kurzbeschreibung')
      .fill('Bürgerinnen und Bürger buchen ihren Termin im Bürgerbüro online, mit Erinnerung per E-Mail.');

    const panel = brakel.getByRole('complementary', { name: 'Wer baut das schon?' });
    const hint = panel.getByRole('listitem').filter({ has: brakel.getByRole('link', { name: /Termin/ }) }).first();
    await hint.waitFor({ timeout: 10_000 });
    const hintText = await hint.innerText();
    expect(hintText).not.toContain('Brakel');
    expect(hintText).toMatch(/ähnliche Begriffe|gemeinsame OZG-Leistung|gemeinsames Thema/);
    expect(await panel.getByTestId('similar-panel').getAttribute('aria-live')).toBe('polite');

    await brakel.getByRole('radio', { name: 'Kreis', exact: true }).check();
    await brakel.getByRole('button', { name: 'Projekt anlegen' }).click();
    await brakel.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await brakel.getByText('Kreis', { exact: true }).count()).toBeGreaterThan(0);

    // Warburg: finds the project, mentions Lena Vogt via the autocomplete.
    const warburg = await signedIn('digital@warburg.example');
    await warburg.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Projekte', exact: true }).click();
    await warburg.getByRole('heading', { level: 1, name: 'Projekte' }).waitFor();
    await warburg.getByLabel('Suchbegriff').fill('Terminvergabe');
    await warburg.getByRole('button', { name: 'Suchen' }).click();
    await warburg.waitForURL(/q=Terminvergabe/);
    await warburg.getByRole('link', { name: TITLE }).click();
    await warburg.getByRole('heading', { level: 1, name: TITLE }).waitFor();

    const comment = warburg.getByRole('textbox', { name: 'Ihr Kommentar' });
    await comment.click();
    await comment.pressSequentially('Wir planen dasselbe – @Lena');
    const option = warburg.getByRole('option', { name: /Lena Vogt/ });
    await option.waitFor();
    await option.click();
    await comment.pressSequentially('wollen wir uns abstimmen?');
    expect(await comment.inputValue()).toMatch(/^Wir planen dasselbe – @\[Lena Vogt\]\([^)]+\) wollen wir uns abstimmen\?$/);
    await warburg.getByRole('button', { name: 'Kommentar senden' }).click();

    const posted = warburg.getByTestId('comments').getByRole('listitem').filter({ hasText: 'wollen wir uns abstimmen?' });
    await posted.waitFor();
    const text = await posted.innerText();
    expect(text).toContain('Lena Vogt');
    expect(text).toContain('Tobias Schröder');
    expect(text).not.toContain('@[');
    expect(await comment.inputValue()).toBe('');
  });
});
