// Pick OZG services (projects, EfA solutions): search the catalogue (GET /ozg/services?q=), add and
// remove with buttons. The owner's feature passes the hint saying what the services are for.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, call, type Schemas } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { useDebounced } from '@/lib/useDebounced';
import { Fieldset, TextField } from './Field';

export type OzgChoice = Schemas['OzgRef'];

interface OzgPickerProps {
  value: OzgChoice[];
  onChange: (value: OzgChoice[]) => void;
  hint: string;
  error?: string;
}

export function OzgPicker({ value, onChange, hint, error }: OzgPickerProps) {
  const t = useT();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q.trim(), 300);
  const resultsId = useId();
  const services = useQuery({
    queryKey: ['ozg', 'services', 'picker', debounced],
    queryFn: () => call(() => api.GET('/api/v1/ozg/services', { params: { query: { q: debounced, limit: 8 } } })),
    enabled: debounced.length >= 2,
    placeholderData: keepPreviousData,
  });
  const chosen = new Set(value.map((v) => v.ozg_id));
  const results = debounced.length >= 2 ? (services.data?.items ?? []) : [];

  return (
    <Fieldset legend={t('ozgPicker.legend')} hint={hint} error={error}>
      {value.length ? (
        <ul className="dn-chip-list" aria-label={t('ozgPicker.chosen')}>
          {value.map((s) => (
            <li key={s.ozg_id} className="dn-chip">
              <span className="kern-body">
                {s.name} ({t('ozgPicker.id', { id: s.ozg_id })})
              </span>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                aria-label={t('action.forItem', { action: t('ozgPicker.remove'), item: s.name })}
                onClick={() => onChange(value.filter((v) => v.ozg_id !== s.ozg_id))}
              >
                <span className="kern-icon kern-icon--close" aria-hidden="true" />
                <span className="kern-label">{t('ozgPicker.remove')}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body kern-body--small">{t('ozgPicker.none')}</p>
      )}
      <TextField
        label={t('ozgPicker.search')}
        type="search"
        value={q}
        aria-controls={resultsId}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault();
        }}
      />
      <div id={resultsId} aria-live="polite">
        {debounced.length >= 2 && services.isSuccess && results.length === 0 ? (
          <p className="kern-body kern-body--small">{t('ozgPicker.noResults')}</p>
        ) : null}
        {results.length ? (
          <ul className="dn-plain-list" aria-label={t('ozgPicker.results')}>
            {results.map((s) => (
              <li key={s.ozg_id}>
                <button
                  type="button"
                  className="kern-btn kern-btn--secondary kern-btn--x-small"
                  disabled={chosen.has(s.ozg_id)}
                  onClick={() => onChange([...value, { ozg_id: s.ozg_id, name: s.name }])}
                >
                  <span className="kern-label">
                    {chosen.has(s.ozg_id) ? t('ozgPicker.added') : t('ozgPicker.add')}: {s.name} ({s.ozg_id})
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Fieldset>
  );
}
