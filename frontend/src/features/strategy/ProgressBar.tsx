// A <progress> with the same numbers in text next to it.
import { useId } from 'react';
import { useI18n } from '@/lib/i18n';
import { progressText } from './progress';
import type { Progress } from './types';

export function ProgressBar({ label, progress }: { label: string; progress: Progress }) {
  const { t, locale } = useI18n();
  const textId = useId();
  const text = progressText(t, locale, progress);
  return (
    <div className="dn-progress-line">
      <progress
        className="dn-progress"
        max={100}
        value={Math.min(100, Math.max(0, progress.percent))}
        aria-label={label}
        aria-describedby={textId}
      />
      <span className="kern-body kern-body--small" id={textId}>
        {text}
      </span>
    </div>
  );
}
