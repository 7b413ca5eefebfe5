// Holds the UI language; remembers the choice made on the sign-in page (not a secret).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nContext, type I18nValue } from './context';
import { setRequestLocale } from '@/lib/api';
import { isLocale, makeT, type Locale } from './translate';

const STORAGE_KEY = 'dn.locale';

function initialLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage unavailable: fall through to German
  }
  return 'de';
}

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  // Before the first request of the page (effects of children run first).
  setRequestLocale(locale);

  const value = useMemo<I18nValue>(
    () => ({
      locale,
      t: makeT(locale),
      setLocale: (next) => {
        setLocaleState(next);
        try {
          window.localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // ignore
        }
      },
    }),
    [locale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
