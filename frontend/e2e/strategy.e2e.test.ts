// Strategies against the real backend: Brakel plans a goal field with a measure linked to
// its eWA project and completes it; the district strategy stays read-only for the officer.
import { describe, expect, it } from 'vitest';
import { setupBrowser } from './session';

const { signedIn } = setupBrowser();

describe('strategy', () => {
  it('Brakel adds a goal field and a measure, links a project and completes the measure', async () => {
    const page = await signedIn('digital@brakel.example');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Strategie' }).click();
    await page.getByRole('heading', { level: 1, name: 'Digitalisierungsstrategie Kreis Höxter' }).waitFor();
    await page.getByText('Sie können diese Strategie lesen, aber nicht bearbeiten.').waitFor();
    expect(await page.getByRole('button', { name: 'Zielfeld hinzufügen' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Zur Strategie von Brakel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Digitalisierungsstrategie Brakel' }).waitFor();
    await page.getByRole('button', { name: 'Zielfeld hinzufügen' }).click();
    await page.getByLabel('Titel des Zielfelds').fill('Bürgerservice online');
    await page.getByRole('form', { name: 'Zielfeld hinzufügen' }).getByRole('button', { name: 'Zielfeld hinzufügen' }).click();
    await page.getByRole('heading', { name: 'Bürgerservice online' }).waitFor();

    await page.getByRole('button', { name: 'Maßnahme hinzufügen' }).click();
    await page.getByLabel('Titel der Maßnahme').fill('eWA einführen');
    await page.getByLabel('Verantwortlich').selectOption({ label: 'Lena Vogt' });
    await page.getByLabel('Projekt suchen').fill('Wohnsitz');
    await page.getByRole('button', { name: /^Hinzufügen: .*eWA/ }).first().click();
    await page.getByRole('form', { name: 'Maßnahme hinzufügen' }).getByRole('button', { name: 'Maßnahme hinzufügen' }).click();
    await page.getByRole('heading', { name: 'eWA einführen' }).waitFor();
    await page.getByRole('link', { name: /Wohnsitzanmeldung \(eWA\)/ }).waitFor();
    expect(await page.getByRole('progressbar', { name: 'Gesamtfortschritt' }).getAttribute('value')).toBe('0');

    await page.getByRole('button', { name: 'Umsetzung beginnen: eWA einführen' }).click();
    await page.getByRole('button', { name: 'Als erledigt markieren: eWA einführen' }).click();
    await page.getByText('1 von 1 Maßnahme erledigt (100 %)').first().waitFor();
    expect(await page.getByRole('progressbar', { name: 'Gesamtfortschritt' }).getAttribute('value')).toBe('100');
  });
});
