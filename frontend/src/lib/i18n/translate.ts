// Typed message lookup: German is the source of truth, English falls back to German.
import de from '@/locales/de.json';
import en from '@/locales/en.json';

export type Locale = 'de' | 'en';
export type MessageKey = keyof typeof de;
export type Messages = Partial<Record<MessageKey, string>>;
export type Vars = Record<string, string | number>;
export type TFunction = (key: MessageKey, vars?: Vars) => string;

export const locales: Locale[] = ['de', 'en'];

const catalogues: Record<Locale, Messages> = { de, en };

export function isLocale(value: unknown): value is Locale {
  return value === 'de' || value === 'en';
}

function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Looks up `key` in `locale`, then in German, then returns the key itself. */
export function translate(
  locale: Locale,
  key: MessageKey,
  vars?: Vars,
  catalogue: Record<Locale, Messages> = catalogues,
): string {
  const text = catalogue[locale][key] ?? catalogue.de[key] ?? key;
  return interpolate(text, vars);
}

export function makeT(locale: Locale): TFunction {
  return (key, vars) => translate(locale, key, vars);
}
