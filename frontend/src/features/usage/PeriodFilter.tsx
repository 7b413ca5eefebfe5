// The period of a view as two month inputs ("YYYY-MM"), kept in the URL (?von=&bis=).
import { useSearchParams } from 'react-router';
import { TextField } from '@/components';
import { useT } from '@/lib/i18n';
import type { Period } from './api';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The period from the URL; invalid months are ignored (the server then takes its default). */
export function usePeriod(): [Period, (next: Period) => void] {
  const [params, setParams] = useSearchParams();
  const from = params.get('von') ?? '';
  const to = params.get('bis') ?? '';
  const period: Period = { ...(MONTH.test(from) ? { from } : {}), ...(MONTH.test(to) ? { to } : {}) };
  const set = (next: Period) =>
    setParams(
      (p) => {
        const q = new URLSearchParams(p);
        for (const [key, value] of [['von', next.from], ['bis', next.to]] as const) {
          if (value) q.set(key, value);
          else q.delete(key);
        }
        return q;
      },
      { replace: true },
    );
  return [period, set];
}

export function PeriodFilter({ period, onChange, shown }: { period: Period; onChange: (p: Period) => void; shown?: { from: string; to: string } }) {
  const t = useT();
  return (
    <fieldset className="kern-fieldset" aria-describedby="usage-period-hint">
      <legend className="kern-label">{t('usage.period.legend')}</legend>
      <div className="kern-hint" id="usage-period-hint">
        {t('usage.period.hint')}
      </div>
      <div className="dn-filters">
        <TextField
          label={t('usage.period.from')}
          type="month"
          placeholder="2025-01"
          value={period.from ?? shown?.from ?? ''}
          onChange={(e) => onChange({ ...period, from: e.target.value || undefined })}
        />
        <TextField
          label={t('usage.period.to')}
          type="month"
          placeholder="2025-12"
          value={period.to ?? shown?.to ?? ''}
          onChange={(e) => onChange({ ...period, to: e.target.value || undefined })}
        />
      </div>
    </fieldset>
  );
}
