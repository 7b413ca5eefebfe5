// Link projects to a measure: search GET /projects?q=, add and remove with buttons.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Fieldset, TextField } from '@/components';
import { useT } from '@/lib/i18n';
import { strategyApi } from './api';
import { useDebounced } from './queries';

export interface ProjectChoice {
  id: string;
  title: string;
}

interface Props {
  value: ProjectChoice[];
  onChange: (value: ProjectChoice[]) => void;
  error?: string;
}

export function ProjectPicker({ value, onChange, error }: Props) {
  const t = useT();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q.trim(), 300);
  const resultsId = useId();
  const projects = useQuery({
    queryKey: ['projects', 'picker', debounced],
    queryFn: () => strategyApi.projects(debounced),
    enabled: debounced.length >= 2,
    placeholderData: keepPreviousData,
  });
  const chosen = new Set(value.map((v) => v.id));
  const results = debounced.length >= 2 ? (projects.data?.items ?? []) : [];
  return (
    <Fieldset legend={t('strategy.measure.projects')} hint={t('strategy.measure.projectsHint')} error={error}>
      {value.length ? (
        <ul className="dn-chip-list" aria-label={t('strategy.measure.projectsChosen')}>
          {value.map((p) => (
            <li key={p.id} className="dn-chip">
              <span className="kern-body">{p.title}</span>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                aria-label={t('action.forItem', { action: t('strategy.remove'), item: p.title })}
                onClick={() => onChange(value.filter((v) => v.id !== p.id))}
              >
                <span className="kern-icon kern-icon--close" aria-hidden="true" />
                <span className="kern-label">{t('strategy.remove')}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body kern-body--small">{t('strategy.measure.noProjects')}</p>
      )}
      <TextField
        label={t('strategy.measure.projectSearch')}
        type="search"
        value={q}
        aria-controls={resultsId}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault();
        }}
      />
      <div id={resultsId} aria-live="polite">
        {debounced.length >= 2 && projects.isSuccess && results.length === 0 ? (
          <p className="kern-body kern-body--small">{t('strategy.measure.noProjectResults')}</p>
        ) : null}
        {results.length ? (
          <ul className="dn-plain-list" aria-label={t('strategy.measure.projectResults')}>
            {results.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="kern-btn kern-btn--secondary kern-btn--x-small"
                  disabled={chosen.has(p.id)}
                  onClick={() => onChange([...value, { id: p.id, title: p.title }])}
                >
                  <span className="kern-label">
                    {chosen.has(p.id) ? t('strategy.added') : t('strategy.add')}: {p.title} ({p.municipality.name})
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
