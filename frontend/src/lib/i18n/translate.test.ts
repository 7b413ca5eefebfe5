import { describe, expect, it } from 'vitest';
import de from '@/locales/de.json';
import en from '@/locales/en.json';
import { translate, type MessageKey } from './translate';

describe('translate', () => {
  it('uses the requested language and fills in variables', () => {
    expect(translate('de', 'home.welcome', { name: 'Lena Vogt' })).toBe('Willkommen, Lena Vogt');
    expect(translate('en', 'pagination.status', { page: 2, pages: 5 })).toBe('Page 2 of 5');
  });

  it('falls back to German, then to the key', () => {
    const catalogue = { de: { 'nav.home': 'Start' }, en: {} };
    expect(translate('en', 'nav.home', undefined, catalogue)).toBe('Start');
    expect(translate('en', 'nav.ozg', undefined, catalogue)).toBe('nav.ozg');
  });

  it('leaves unknown placeholders visible', () => {
    expect(translate('de', 'home.welcome')).toBe('Willkommen, {name}');
  });

  it('has an English text for every German key', () => {
    const missing = (Object.keys(de) as MessageKey[]).filter((k) => !(k in en));
    expect(missing).toEqual([]);
    expect(Object.keys(en).filter((k) => !(k in de))).toEqual([]);
  });
});
