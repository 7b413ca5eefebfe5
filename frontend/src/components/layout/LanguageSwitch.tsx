// Switches the UI language (German / English).
import { locales, useI18n, type Locale } from '@/lib/i18n';

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="dn-language" role="group" aria-label={t('language.label')}>
      {locales.map((l: Locale) => (
        <button
          key={l}
          type="button"
          lang={l}
          className={`kern-btn kern-btn--x-small ${l === locale ? 'kern-btn--primary' : 'kern-btn--tertiary'}`}
          aria-pressed={l === locale}
          onClick={() => setLocale(l)}
        >
          <span className="kern-label">{t(l === 'de' ? 'language.de' : 'language.en')}</span>
        </button>
      ))}
    </div>
  );
}
