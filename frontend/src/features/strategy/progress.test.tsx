import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '@/lib/i18n';
import { ProgressBar } from './ProgressBar';
import { formatPercent, nextMeasureStatuses, progressText } from './progress';

const t = makeT('de');

describe('strategy progress', () => {
  it('says how many measures are done, with the percentage in text', () => {
    expect(progressText(t, 'de', { done: 3, total: 5, percent: 60 })).toBe('3 von 5 Maßnahmen erledigt (60 %)');
    expect(progressText(t, 'de', { done: 1, total: 3, percent: 33.3 })).toBe('1 von 3 Maßnahmen erledigt (33,3 %)');
    expect(progressText(t, 'de', { done: 0, total: 1, percent: 0 })).toBe('0 von 1 Maßnahme erledigt (0 %)');
    expect(progressText(t, 'de', { done: 0, total: 0, percent: 0 })).toBe('Noch keine Maßnahmen');
    expect(progressText(makeT('en'), 'en', { done: 3, total: 5, percent: 60 })).toBe('3 of 5 measures done (60 %)');
  });

  it('keeps percentages within 0 to 100', () => {
    expect(formatPercent(120, 'de')).toBe('100 %');
    expect(formatPercent(Number.NaN, 'de')).toBe('0 %');
  });

  it('renders a progress bar with its value and the text', () => {
    render(
      <I18nProvider locale="de">
        <ProgressBar label="Zielfeld Bürgerservice" progress={{ done: 2, total: 4, percent: 50 }} />
      </I18nProvider>,
    );
    const bar = screen.getByRole('progressbar', { name: 'Zielfeld Bürgerservice' });
    expect(bar).toHaveAttribute('value', '50');
    expect(bar).toHaveAttribute('max', '100');
    expect(screen.getByText('2 von 4 Maßnahmen erledigt (50 %)')).toBeInTheDocument();
  });

  it('moves measures only along planned → in progress → done, or dropped', () => {
    expect(nextMeasureStatuses.planned).toEqual(['in_progress', 'dropped']);
    expect(nextMeasureStatuses.done).toEqual([]);
  });
});
