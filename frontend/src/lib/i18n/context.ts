// The current language and its t(); kept in React context.
import { createContext, useContext } from 'react';
import type { Locale, TFunction } from './translate';

export interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: TFunction;
}

export const I18nContext = createContext<I18nValue | null>(null);

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export function useT(): TFunction {
  return useI18n().t;
}
