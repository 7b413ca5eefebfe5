// Progress of a strategy or goal field as text, and the moves a measure may make.
import type { Locale, TFunction } from '@/lib/i18n';
import type { MeasureStatus, Progress } from './types';

export function formatPercent(value: number, locale: Locale): string {
  const safe = Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
  return `${new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 }).format(safe)} %`;
}

/** "3 von 5 Maßnahmen erledigt (60 %)", or "Noch keine Maßnahmen" without any. */
export function progressText(t: TFunction, locale: Locale, p: Progress): string {
  if (p.total === 0) return t('strategy.progress.none');
  return t(p.total === 1 ? 'strategy.progress.text.one' : 'strategy.progress.text', {
    done: p.done,
    total: p.total,
    percent: formatPercent(p.percent, locale),
  });
}

/** planned → in_progress → done; dropped from planned or in progress; back to planned. */
export const nextMeasureStatuses: Record<MeasureStatus, MeasureStatus[]> = {
  planned: ['in_progress', 'dropped'],
  in_progress: ['done', 'planned', 'dropped'],
  done: [],
  dropped: ['planned'],
};
