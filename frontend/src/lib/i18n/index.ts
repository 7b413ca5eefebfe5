export { I18nProvider } from './I18nProvider';
export { useI18n, useT } from './context';
export { isLocale, locales, makeT, translate } from './translate';
export type { Locale, MessageKey, TFunction } from './translate';
